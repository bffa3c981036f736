// SPDX-License-Identifier: MIT
#include "benchmarks/benchmarks.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <llvm/AsmParser/Parser.h>
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "common/subprocess.h"
#include "common/text.h"
#include "common/toolchain.h"

namespace fs = std::filesystem;

namespace cgym::llvm_env {
namespace {

// CompilerGym's time limits for the commands of its runnable benchmarks.
constexpr int kBuildTimeoutSeconds = 60;
constexpr int kRunTimeoutSeconds = 300;

// CompilerGym retries a failed csmith run with the same seed: three attempts in all.
constexpr int kCsmithAttempts = 3;

Status invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

std::string quoted(const std::string& text) { return quotedForMessage(text); }
std::string diagnostic(std::string text) { return toolDiagnostic(std::move(text)); }

// --- Modules ------------------------------------------------------------------------------------

Status verify(const llvm::Module& module) {
  std::string errors;
  llvm::raw_string_ostream stream(errors);
  // Broken debug info is not an error: normalisation strips it anyway (and the readers have
  // already dropped debug info they could not upgrade).
  bool brokenDebugInfo = false;
  if (llvm::verifyModule(module, &stream, &brokenDebugInfo)) {
    stream.flush();
    return invalid("Failed to verify module: " + diagnostic(errors));
  }
  return Status::OK();
}

// Parses textual IR; `name` is the buffer name that LLVM's diagnostic starts with.
Status parseIr(llvm::LLVMContext& context, std::string_view text, const std::string& name,
               const std::string& errorPrefix, std::unique_ptr<llvm::Module>* out) {
  // A copy: the IR lexer needs a NUL-terminated buffer, which a string_view does not promise.
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(text.data(), text.size()), name);
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module = llvm::parseAssembly(*buffer, error, context);
  if (!module) {
    std::string message;
    llvm::raw_string_ostream stream(message);
    error.print(nullptr, stream, /*ShowColors=*/false);
    stream.flush();
    return invalid(errorPrefix + diagnostic(message));
  }
  *out = std::move(module);
  return Status::OK();
}

std::string writeBitcode(const llvm::Module& module) {
  std::string bitcode;
  llvm::raw_string_ostream stream(bitcode);
  llvm::WriteBitcodeToFile(module, stream);
  stream.flush();
  return bitcode;
}

// Textual IR to bitcode, verified as llvm-as (which CompilerGym uses) verifies it.
Status assemble(std::string_view text, const std::string& name, std::string* bitcode) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  CGYM_RETURN_IF_ERROR(parseIr(context, text, name, "Failed to parse LLVM IR: ", &module));
  CGYM_RETURN_IF_ERROR(verify(*module));
  *bitcode = writeBitcode(*module);
  return Status::OK();
}

// --- clang ----------------------------------------------------------------------------------

// Compiles with the clang of the LLVM we are built against (see compileToBitcode()).
Status compileWithClang(const fs::path& source, const std::string& name, bool cxx,
                        const std::vector<std::string>& flags, const ResolveOptions& options,
                        const ScratchDirectory& scratch, std::string* bitcode,
                        const std::string& stdinSource = "") {
  return compileToBitcode((options.llvmToolsDirectory / "clang").string(), source, name, cxx, flags,
                          options.clangTimeoutSeconds, scratch, bitcode, stdinSource);
}

// --- URIs -----------------------------------------------------------------------------------

// Seeds are what CompilerGym's generators take: unsigned 32-bit integers, in decimal.
Status parseSeed(const std::string& uri, const std::string& text, uint32_t* seed) {
  const bool digits =
      !text.empty() && text.size() <= 10 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const unsigned long long value = digits ? std::stoull(text) : 0;
  if (!digits || value > UINT32_MAX) {
    return invalid("Invalid seed " + quoted(text) + " in benchmark URI " + quoted(uri) +
                   ": the seed must be an integer from 0 to 4294967295");
  }
  *seed = static_cast<uint32_t>(value);
  return Status::OK();
}

Status notFound(const std::string& uri, const std::string& why) {
  return Status(StatusCode::kNotFound, "Benchmark not found: " + quoted(uri) + " (" + why + ")");
}

Status resolveFile(const std::string& uri, const ResolveOptions& options, ResolvedBenchmark* out) {
  // As in CompilerGym, the path is the rest of the URI verbatim (no percent-decoding).
  const std::string prefix = "file:///";
  if (uri.rfind(prefix, 0) != 0) {
    return invalid("Invalid file URI " + quoted(uri) +
                   ": expected file:/// followed by an absolute path");
  }
  const fs::path path = uri.substr(prefix.size() - 1);
  const std::string extension = path.extension().string();
  const bool c = extension == ".c";
  const bool cxx = extension == ".cc" || extension == ".cpp" || extension == ".cxx";
  if (extension != ".bc" && extension != ".ll" && !c && !cxx) {
    return invalid("Unrecognized file type " + quoted(extension) + " of " + quoted(path.string()) +
                   ": expected .bc, .ll, .c, .cc, .cpp or .cxx");
  }
  std::string contents;
  CGYM_RETURN_IF_ERROR(readFile(path, &contents));
  if (extension == ".bc") {
    out->bitcode = std::move(contents);
    return Status::OK();
  }
  if (extension == ".ll") return assemble(contents, path.string(), &out->bitcode);
  ScratchDirectory scratch;
  CGYM_RETURN_IF_ERROR(scratch.create(options.scratchDirectory));
  return compileWithClang(path, path.string(), cxx, {}, options, scratch, &out->bitcode);
}

// Build with the benchmark's bitcode, $IN, into a.out and run ./a.out, as CompilerGym's
// runnable datasets do. The service runs them through a shell, with CC and IN set.
DynamicConfig runnableConfig(const std::vector<std::string>& buildFlags,
                             const std::vector<std::string>& runArgs) {
  DynamicConfig config;
  Command& build = config.build;
  build.argument = {"$CC", "$IN"};
  for (const std::string& flag : systemIncludeFlags()) build.argument.push_back(flag);
  for (const std::string& flag : buildFlags) build.argument.push_back(flag);
  build.outfile.push_back("a.out");
  build.timeoutSeconds = kBuildTimeoutSeconds;
  Command& run = config.run;
  run.argument.push_back("./a.out");
  for (const std::string& arg : runArgs) run.argument.push_back(arg);
  run.infile.push_back("a.out");
  run.timeoutSeconds = kRunTimeoutSeconds;
  return config;
}

Status resolveCsmith(const std::string& uri, uint32_t seed, const ResolveOptions& options,
                     ResolvedBenchmark* out) {
  const std::vector<std::string> argv = {options.csmith, "--seed", std::to_string(seed)};
  CommandResult result;
  for (int attempt = 1;; ++attempt) {
    CGYM_RETURN_IF_ERROR(runCommand(argv, "", options.csmithTimeoutSeconds, &result));
    if (result.timedOut) {
      return Status(StatusCode::kDeadlineExceeded,
                    "Failed to generate " + quoted(uri) + ": " +
                        describeFailure("csmith", options.csmithTimeoutSeconds, result));
    }
    if (result.succeeded()) break;
    if (attempt == kCsmithAttempts) {
      return Status(StatusCode::kInternal,
                    "Failed to generate " + quoted(uri) + ": " +
                        describeFailure("csmith", options.csmithTimeoutSeconds, result) + " (" +
                        std::to_string(kCsmithAttempts) +
                        " attempts): " + diagnostic(result.stderrText));
    }
    logger().warn("csmith --seed {} failed ({}), retrying", seed,
                  describeFailure("csmith", options.csmithTimeoutSeconds, result));
  }
  ScratchDirectory scratch;
  CGYM_RETURN_IF_ERROR(scratch.create(options.scratchDirectory));
  // The program goes in through stdin, as in CompilerGym: the module's source file name is "-"
  // and a seed always gives the same bitcode. The programs include csmith.h (from
  // libcsmith-dev); -w since they are full of warnings, -ferror-limit=1 as CompilerGym.
  if (result.stdoutText.empty()) {
    return Status(StatusCode::kInternal, "Failed to generate " + quoted(uri) + ": no output");
  }
  CGYM_RETURN_IF_ERROR(compileWithClang("-", uri, /*cxx=*/false,
                                        {"-ferror-limit=1", "-w", "-I/usr/include/csmith"}, options,
                                        scratch, &out->bitcode, result.stdoutText));
  out->dynamicConfig = runnableConfig({}, {});
  return Status::OK();
}

Status resolveLlvmStress(const std::string& uri, uint32_t seed, const ResolveOptions& options,
                         ResolvedBenchmark* out) {
  const std::vector<std::string> argv = {(options.llvmToolsDirectory / "llvm-stress").string(),
                                         "--seed=" + std::to_string(seed)};
  CommandResult result;
  CGYM_RETURN_IF_ERROR(runCommand(argv, "", options.llvmStressTimeoutSeconds, &result));
  if (!result.succeeded()) {
    return Status(result.timedOut ? StatusCode::kDeadlineExceeded : StatusCode::kInternal,
                  "Failed to generate " + quoted(uri) + ": " +
                      describeFailure("llvm-stress", options.llvmStressTimeoutSeconds, result) +
                      ": " + diagnostic(result.stderrText));
  }
  return assemble(result.stdoutText, "llvm-stress", &out->bitcode);
}

// --- The bundled dataset --------------------------------------------------------------------

// A list of strings in the manifest: a JSON array of strings, or one string of words.
std::vector<std::string> stringList(const nlohmann::json& value) {
  std::vector<std::string> list;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) list.push_back(item.get<std::string>());
    }
  } else if (value.is_string()) {
    std::istringstream words(value.get<std::string>());
    std::string word;
    while (words >> word) list.push_back(word);
  }
  return list;
}

std::vector<std::string> firstList(const nlohmann::json& entry,
                                   std::initializer_list<const char*> keys) {
  if (!entry.is_object()) return {};
  for (const char* key : keys) {
    if (entry.contains(key)) return stringList(entry.at(key));
  }
  return {};
}

struct DatasetProgram {
  // For clang, to bitcode: the dataset's programs are C99, and their expected output assumes
  // no contraction of floating point operations into fused multiply-adds.
  std::vector<std::string> compileFlags = {"-std=c99", "-ffp-contract=off"};
  std::vector<std::string> buildFlags;  // for the build command, from bitcode to a.out
  std::vector<std::string> runArgs;
};

// The manifest's entry for `name`: programs listed as an array of objects with "name", or as
// an object keyed by name (at the top level or under "programs").
Status readManifestEntry(const fs::path& manifestPath, const std::string& name,
                         DatasetProgram* program) {
  std::string text;
  if (!fs::exists(manifestPath)) return Status::OK();  // no flags, no arguments
  CGYM_RETURN_IF_ERROR(readFile(manifestPath, &text));
  nlohmann::json manifest = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded()) {
    return Status(StatusCode::kInternal, "Invalid JSON in " + quoted(manifestPath.string()));
  }
  const nlohmann::json* programs = &manifest;
  if (manifest.is_object() && manifest.contains("programs")) programs = &manifest["programs"];
  nlohmann::json entry;
  if (programs->is_array()) {
    for (const auto& item : *programs) {
      if (item.is_object() && item.value("name", "") == name) entry = item;
    }
  } else if (programs->is_object() && programs->contains(name)) {
    entry = programs->at(name);
  }
  program->buildFlags =
      firstList(entry, {"build_flags", "buildFlags", "flags", "cflags", "linkopts"});
  program->runArgs = firstList(entry, {"run_args", "runArgs", "args", "arguments"});
  // Flags that change the IR go to clang too; link flags (-l, -L, -Wl,...) only to the build.
  for (const std::string& flag : program->buildFlags) {
    for (const char* prefix : {"-D", "-U", "-I", "-std=", "-f"}) {
      if (flag.rfind(prefix, 0) == 0) {
        program->compileFlags.push_back(flag);
        break;
      }
    }
  }
  return Status::OK();
}

bool isProgramName(const std::string& name) {
  return !name.empty() && name[0] != '.' && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

Status resolveDatasetProgram(const std::string& uri, const std::string& name,
                             const ResolveOptions& options, ResolvedBenchmark* out) {
  const fs::path programs = options.datasetDirectory / "programs";
  std::error_code error;
  if (options.datasetDirectory.empty() || !fs::is_directory(programs, error)) {
    return notFound(
        uri, "the cgym-v0 dataset is not installed: no directory " + quoted(programs.string()));
  }
  const fs::path source = programs / (name + ".c");
  if (!isProgramName(name) || !fs::is_regular_file(source, error)) {
    // List what there is, unless that would make a huge message.
    std::vector<std::string> names;
    for (const auto& file : fs::directory_iterator(programs, error)) {
      if (file.path().extension() == ".c") names.push_back(file.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    std::string known;
    for (size_t i = 0; i < names.size() && i < 30; ++i) known += (i ? ", " : "") + names[i];
    if (names.size() > 30) known += ", ...";
    return notFound(uri, "cgym-v0 has " + std::to_string(names.size()) + " programs: " + known);
  }
  DatasetProgram program;
  CGYM_RETURN_IF_ERROR(
      readManifestEntry(options.datasetDirectory / "manifest.json", name, &program));
  ScratchDirectory scratch;
  CGYM_RETURN_IF_ERROR(scratch.create(options.scratchDirectory));
  CGYM_RETURN_IF_ERROR(compileWithClang(source, source.string(), /*cxx=*/false,
                                        program.compileFlags, options, scratch, &out->bitcode));
  out->dynamicConfig = runnableConfig(program.buildFlags, program.runArgs);
  return Status::OK();
}

}  // namespace

// --- Public API -----------------------------------------------------------------------------

void normaliseModule(llvm::Module& module) {
  // CompilerGym anonymises benchmarks so that learning algorithms cannot overfit to them by
  // their names.
  module.setModuleIdentifier("-");
  module.setSourceFileName("-");
  llvm::StripDebugInfo(module);
  while (!module.named_metadata_empty()) {
    module.eraseNamedMetadata(&*module.named_metadata_begin());
  }
}

Status parseBenchmark(llvm::LLVMContext& context, std::string_view bytes,
                      std::unique_ptr<llvm::Module>* out) {
  // An empty text would parse as an empty module; CompilerGym rejects it as unparsable bitcode.
  if (bytes.empty()) return invalid("Failed to parse LLVM bitcode: the benchmark is empty");
  std::unique_ptr<llvm::Module> module;
  const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
  if (llvm::isBitcode(begin, begin + bytes.size())) {
    llvm::MemoryBufferRef buffer(llvm::StringRef(bytes.data(), bytes.size()), "-");
    llvm::Expected<std::unique_ptr<llvm::Module>> parsed = llvm::parseBitcodeFile(buffer, context);
    if (!parsed) {
      return invalid("Failed to parse LLVM bitcode: " +
                     diagnostic(llvm::toString(parsed.takeError())));
    }
    module = std::move(*parsed);
  } else {
    // The prefix keeps CompilerGym's message for data that is not a program at all.
    CGYM_RETURN_IF_ERROR(parseIr(context, bytes, "<benchmark>",
                                 "Failed to parse LLVM bitcode: not bitcode, and not valid "
                                 "textual IR: ",
                                 &module));
  }
  CGYM_RETURN_IF_ERROR(verify(*module));
  normaliseModule(*module);
  *out = std::move(module);
  return Status::OK();
}

fs::path ResolveOptions::defaultDatasetDirectory() {
  // As the client looks for it (src/client/environments.cc): the variable, then the installed
  // copy relative to the binary holding this code (the service, or the plugin), then the
  // sources of a build tree.
  if (const char* dir = std::getenv("CGYM_LLVM_DATASET"); dir && *dir) return dir;
  const fs::path code =
      codeDirectory(reinterpret_cast<const void*>(&ResolveOptions::defaultDatasetDirectory));
  if (!code.empty()) {
    std::error_code error;
    const fs::path installed = (code / CGYM_LIBEXEC_TO_DATASET_DIR).lexically_normal();
    if (fs::exists(installed / "manifest.json", error)) return installed;
  }
#ifdef CGYM_LLVM_DATASET_DIR
  return CGYM_LLVM_DATASET_DIR;
#else
  return {};
#endif
}

fs::path ResolveOptions::defaultLlvmToolsDirectory() { return CGYM_LLVM_TOOLS_DIR; }

Status resolveBenchmark(const std::string& uri, const ResolveOptions& options,
                        ResolvedBenchmark* out) {
  *out = ResolvedBenchmark();
  const size_t schemeEnd = uri.find("://");
  const std::string scheme = schemeEnd == std::string::npos ? "" : uri.substr(0, schemeEnd);
  if (scheme == "file") return resolveFile(uri, options, out);
  if (scheme != "benchmark" && scheme != "generator") {
    return invalid("Unsupported benchmark URI scheme in " + quoted(uri) +
                   ": expected file:///, benchmark:// or generator://");
  }
  // <scheme>://<dataset>/<path>
  const std::string rest = uri.substr(schemeEnd + 3);
  const size_t slash = rest.find('/');
  const std::string dataset = rest.substr(0, slash);
  const std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (scheme == "generator") {
    if (dataset != "csmith-v0" && dataset != "llvm-stress-v0") {
      return notFound(
          uri, "unknown generator " + quoted(dataset) + "; there are csmith-v0 and llvm-stress-v0");
    }
    uint32_t seed = 0;
    CGYM_RETURN_IF_ERROR(parseSeed(uri, path, &seed));
    if (dataset == "csmith-v0") return resolveCsmith(uri, seed, options, out);
    return resolveLlvmStress(uri, seed, options, out);
  }
  if (dataset == "cgym-v0") return resolveDatasetProgram(uri, path, options, out);
  return notFound(uri, "unknown dataset " + quoted(dataset));
}

}  // namespace cgym::llvm_env
