// SPDX-License-Identifier: MIT
// Tests of benchmark parsing and URI resolution of the LLVM environment, with the real tools
// (clang, csmith, llvm-stress).
#include "benchmarks/benchmarks.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <llvm/AsmParser/Parser.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "common/subprocess.h"
#include "common/toolchain.h"

namespace fs = std::filesystem;

namespace cgym::llvm_env {
namespace {

// A function with full debug info, module flags, an ident and a source file name: everything
// that normalisation removes.
constexpr const char* kIrWithDebugInfo = R"(; ModuleID = 'foo.c'
source_filename = "foo.c"

define i32 @add(i32 %a, i32 %b) !dbg !7 {
entry:
  %sum = add i32 %a, %b, !dbg !10
  ret i32 %sum, !dbg !10
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!llvm.ident = !{!6}

!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, producer: "clang", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "foo.c", directory: "/tmp")
!3 = !{i32 7, !"Dwarf Version", i32 5}
!4 = !{i32 2, !"Debug Info Version", i32 3}
!6 = !{!"clang version 16"}
!7 = distinct !DISubprogram(name: "add", scope: !1, file: !1, line: 1, type: !8, scopeLine: 1, spFlags: DISPFlagDefinition, unit: !0)
!8 = !DISubroutineType(types: !9)
!9 = !{null}
!10 = !DILocation(line: 1, column: 1, scope: !7)
)";

// Parses, but the verifier rejects it.
constexpr const char* kUnverifiableIr = R"(define i32 @f(i1 %c) {
entry:
  br label %exit
exit:
  ret i32 %x
dead:
  %x = add i32 1, 2
  br label %exit
}
)";

// Does not parse.
constexpr const char* kInvalidIr = "define i32 @f() {\n  ret i64 0\n}\n";

std::string toBitcode(const std::string& ir) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(ir, error, context);
  if (!module) return "";
  std::string bitcode;
  llvm::raw_string_ostream stream(bitcode);
  llvm::WriteBitcodeToFile(*module, stream);
  stream.flush();
  return bitcode;
}

bool hasDebugInfo(const llvm::Module& module) {
  for (const llvm::Function& function : module) {
    if (function.getSubprogram()) return true;
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        if (instruction.getDebugLoc()) return true;
      }
    }
  }
  return llvm::getDebugMetadataVersionFromModule(module) != 0;
}

void expectNormalised(const llvm::Module& module) {
  EXPECT_EQ(module.getModuleIdentifier(), "-");
  EXPECT_EQ(module.getSourceFileName(), "-");
  EXPECT_FALSE(hasDebugInfo(module));
  EXPECT_TRUE(module.named_metadata_empty());
}

std::string read(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

void write(const fs::path& path, const std::string& contents) {
  std::ofstream file(path, std::ios::binary);
  file << contents;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cgym-benchmarks-test-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Resolution with a scratch directory of the test's own, and checks that it is left empty.
class ResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(scratch_.path().empty());
    options_.scratchDirectory = scratch_.path();
  }
  void TearDown() override { EXPECT_TRUE(fs::is_empty(scratch_.path())); }

  Status resolve(const std::string& uri, ResolvedBenchmark* out) {
    return resolveBenchmark(uri, options_, out);
  }

  // Resolves `uri`, which must succeed, and parses the bitcode.
  std::unique_ptr<llvm::Module> resolveAndParse(const std::string& uri, ResolvedBenchmark* out) {
    const Status status = resolve(uri, out);
    EXPECT_TRUE(status.ok()) << uri << ": " << status.message();
    if (!status.ok()) return nullptr;
    std::unique_ptr<llvm::Module> module;
    const Status parsed = parseBenchmark(context_, out->bitcode, &module);
    EXPECT_TRUE(parsed.ok()) << uri << ": " << parsed.message();
    return module;
  }

  std::string fileUri(const fs::path& path) { return "file://" + path.string(); }

  TempDir scratch_;
  TempDir files_;
  ResolveOptions options_;
  llvm::LLVMContext context_;
};

// --- parseBenchmark -----------------------------------------------------------------------------

TEST(ParseBenchmark, TextualIrIsParsedAndNormalised) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  const Status status = parseBenchmark(context, kIrWithDebugInfo, &module);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_NE(module, nullptr);
  expectNormalised(*module);
  // Value names stay, as in CompilerGym: only the module's own names are anonymised.
  const llvm::Function* add = module->getFunction("add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->getArg(0)->getName(), "a");
}

TEST(ParseBenchmark, BitcodeIsParsedAndNormalised) {
  const std::string bitcode = toBitcode(kIrWithDebugInfo);
  ASSERT_FALSE(bitcode.empty());
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  const Status status = parseBenchmark(context, bitcode, &module);
  ASSERT_TRUE(status.ok()) << status.message();
  expectNormalised(*module);
  EXPECT_NE(module->getFunction("add"), nullptr);
}

TEST(ParseBenchmark, InvalidIrGivesLlvmsDiagnostic) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  const Status status = parseBenchmark(context, kInvalidIr, &module);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Failed to parse LLVM bitcode")) << status.message();
  EXPECT_TRUE(contains(status.message(),
                       "<benchmark>:2:7: error: value doesn't match function result type"))
      << status.message();
  EXPECT_EQ(module, nullptr);
}

TEST(ParseBenchmark, DataThatIsNoProgramIsRejectedAsCompilerGymDoes) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  const Status status = parseBenchmark(context, "Invalid bitcode", &module);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Failed to parse LLVM bitcode")) << status.message();
  EXPECT_TRUE(contains(status.message(), "expected top-level entity")) << status.message();
}

TEST(ParseBenchmark, EmptyDataIsRejected) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  const Status status = parseBenchmark(context, "", &module);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Failed to parse LLVM bitcode: the benchmark is empty");
}

TEST(ParseBenchmark, TruncatedBitcodeGivesTheReadersDiagnostic) {
  const std::string bitcode = toBitcode(kIrWithDebugInfo);
  ASSERT_GT(bitcode.size(), 100u);
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  const Status status = parseBenchmark(context, bitcode.substr(0, bitcode.size() / 2), &module);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  const std::string prefix = "Failed to parse LLVM bitcode: ";
  EXPECT_EQ(status.message().rfind(prefix, 0), 0u) << status.message();
  EXPECT_GT(status.message().size(), prefix.size() + 5) << status.message();
}

TEST(ParseBenchmark, UnverifiableModuleGivesTheVerifiersText) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  Status status = parseBenchmark(context, kUnverifiableIr, &module);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(),
                       "Failed to verify module: "
                       "Instruction does not dominate all uses!"))
      << status.message();
  // The same for bitcode (which the bitcode writer writes without verifying).
  const std::string bitcode = toBitcode(kUnverifiableIr);
  ASSERT_FALSE(bitcode.empty());
  status = parseBenchmark(context, bitcode, &module);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Instruction does not dominate all uses!"));
}

// --- file:// ---------------------------------------------------------------------------------

TEST_F(ResolveTest, BitcodeFileIsReadAsIs) {
  const std::string bitcode = toBitcode(kIrWithDebugInfo);
  write(files_.path() / "a.bc", bitcode);
  ResolvedBenchmark benchmark;
  std::unique_ptr<llvm::Module> module =
      resolveAndParse(fileUri(files_.path() / "a.bc"), &benchmark);
  EXPECT_EQ(benchmark.bitcode, bitcode);
  EXPECT_FALSE(benchmark.dynamicConfig.has_value());
  ASSERT_NE(module, nullptr);
  expectNormalised(*module);
}

TEST_F(ResolveTest, IrFileIsAssembled) {
  write(files_.path() / "a.ll", kIrWithDebugInfo);
  ResolvedBenchmark benchmark;
  std::unique_ptr<llvm::Module> module =
      resolveAndParse(fileUri(files_.path() / "a.ll"), &benchmark);
  ASSERT_NE(module, nullptr);
  EXPECT_NE(module->getFunction("add"), nullptr);
  EXPECT_FALSE(benchmark.dynamicConfig.has_value());
}

TEST_F(ResolveTest, InvalidIrFileGivesTheParsersDiagnostic) {
  const fs::path path = files_.path() / "bad.ll";
  write(path, kInvalidIr);
  ResolvedBenchmark benchmark;
  const Status status = resolve(fileUri(path), &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Failed to parse LLVM IR: " + path.string() +
                                             ":2:7: error: value doesn't match"))
      << status.message();
}

TEST_F(ResolveTest, UnverifiableIrFileGivesTheVerifiersText) {
  write(files_.path() / "bad.ll", kUnverifiableIr);
  ResolvedBenchmark benchmark;
  const Status status = resolve(fileUri(files_.path() / "bad.ll"), &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Failed to verify module: Instruction does not dominate"))
      << status.message();
}

TEST_F(ResolveTest, CFileIsCompiledWithoutOptnone) {
  write(files_.path() / "a.c", "#include <stdio.h>\nint A(void) { printf(\"\"); return 0; }\n");
  ResolvedBenchmark benchmark;
  std::unique_ptr<llvm::Module> module =
      resolveAndParse(fileUri(files_.path() / "a.c"), &benchmark);
  ASSERT_NE(module, nullptr);
  const llvm::Function* a = module->getFunction("A");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->isDeclaration());
  EXPECT_FALSE(a->hasOptNone());
  EXPECT_FALSE(a->hasFnAttribute(llvm::Attribute::NoInline));
  EXPECT_NE(module->getFunction("printf"), nullptr);
  EXPECT_FALSE(benchmark.dynamicConfig.has_value());
}

TEST_F(ResolveTest, CxxFilesAreCompiledAsCxx) {
  for (const char* extension : {".cc", ".cpp", ".cxx"}) {
    const fs::path path = files_.path() / (std::string("a") + extension);
    write(path,
          "#include <cstdio>\n#include <vector>\n"
          "int A() { std::vector<int> v{1}; std::printf(\"\"); return v[0]; }\n");
    ResolvedBenchmark benchmark;
    std::unique_ptr<llvm::Module> module = resolveAndParse(fileUri(path), &benchmark);
    ASSERT_NE(module, nullptr) << extension;
    EXPECT_NE(module->getFunction("_Z1Av"), nullptr) << extension;
  }
}

TEST_F(ResolveTest, SourceWithASyntaxErrorGivesClangsDiagnostic) {
  const fs::path path = files_.path() / "broken.c";
  write(path, "int f( {\n");
  ResolvedBenchmark benchmark;
  const Status status = resolve(fileUri(path), &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Failed to compile \"" + path.string() + "\""))
      << status.message();
  EXPECT_TRUE(contains(status.message(), "clang exited with status 1")) << status.message();
  EXPECT_TRUE(contains(status.message(), path.string() + ":1:")) << status.message();
  EXPECT_TRUE(contains(status.message(), "error:")) << status.message();
}

TEST_F(ResolveTest, MissingFileIsNotFound) {
  for (const char* name : {"missing.bc", "missing.ll", "missing.c", "missing.cc"}) {
    ResolvedBenchmark benchmark;
    const fs::path path = files_.path() / name;
    const Status status = resolve(fileUri(path), &benchmark);
    EXPECT_EQ(status.code(), StatusCode::kNotFound) << name;
    EXPECT_EQ(status.message(), "File not found: \"" + path.string() + "\"");
  }
}

TEST_F(ResolveTest, UnreadableFileIsNotFound) {
  fs::create_directory(files_.path() / "dir.bc");
  ResolvedBenchmark benchmark;
  const Status status = resolve(fileUri(files_.path() / "dir.bc"), &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_TRUE(contains(status.message(), "Error reading file")) << status.message();
  EXPECT_TRUE(contains(status.message(), "Is a directory")) << status.message();
}

TEST_F(ResolveTest, UnrecognizedFileTypeIsInvalid) {
  write(files_.path() / "foo.txt", "text");
  ResolvedBenchmark benchmark;
  const Status status = resolve(fileUri(files_.path() / "foo.txt"), &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Unrecognized file type \".txt\"")) << status.message();
}

TEST_F(ResolveTest, FileUriWithoutAbsolutePathIsInvalid) {
  ResolvedBenchmark benchmark;
  const Status status = resolve("file://relative/a.bc", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Invalid file URI")) << status.message();
}

TEST_F(ResolveTest, MissingClangIsAnInternalError) {
  write(files_.path() / "a.c", "int A(void) { return 0; }\n");
  options_.llvmToolsDirectory = files_.path() / "no-such-dir";
  ResolvedBenchmark benchmark;
  const Status status = resolve(fileUri(files_.path() / "a.c"), &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_TRUE(contains(status.message(), "Failed to run " +
                                             (options_.llvmToolsDirectory / "clang").string() +
                                             ": No such file or directory"))
      << status.message();
}

TEST_F(ResolveTest, ClangOutOfTimeIsDeadlineExceeded) {
  write(files_.path() / "a.c", "int A(void) { return 0; }\n");
  options_.clangTimeoutSeconds = 0;
  ResolvedBenchmark benchmark;
  const Status status = resolve(fileUri(files_.path() / "a.c"), &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(contains(status.message(), "clang timed out after 0 seconds")) << status.message();
}

TEST_F(ResolveTest, UnusableScratchDirectoryIsAnInternalError) {
  write(files_.path() / "a.c", "int A(void) { return 0; }\n");
  ResolveOptions options = options_;
  options.scratchDirectory = files_.path() / "no-such-dir";
  ResolvedBenchmark benchmark;
  const Status status = resolveBenchmark(fileUri(files_.path() / "a.c"), options, &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_TRUE(contains(status.message(), "Cannot create a scratch directory")) << status.message();
}

// --- generator:// ----------------------------------------------------------------------------

TEST_F(ResolveTest, CsmithSeedsGiveRunnablePrograms) {
  for (int seed = 1; seed <= 3; ++seed) {
    const std::string uri = "generator://csmith-v0/" + std::to_string(seed);
    ResolvedBenchmark benchmark;
    std::unique_ptr<llvm::Module> module = resolveAndParse(uri, &benchmark);
    ASSERT_NE(module, nullptr) << uri;
    EXPECT_NE(module->getFunction("main"), nullptr) << uri;
    ASSERT_TRUE(benchmark.dynamicConfig.has_value()) << uri;
    const DynamicConfig& config = *benchmark.dynamicConfig;
    ASSERT_GE(config.build.argument.size(), 2u);
    EXPECT_EQ(config.build.argument[0], "$CC");
    EXPECT_EQ(config.build.argument[1], "$IN");
    EXPECT_EQ(config.build.timeoutSeconds, 60);
    ASSERT_EQ(config.build.outfile.size(), 1u);
    EXPECT_EQ(config.build.outfile[0], "a.out");
    ASSERT_EQ(config.run.argument.size(), 1u);
    EXPECT_EQ(config.run.argument[0], "./a.out");
    EXPECT_EQ(config.run.timeoutSeconds, 300);
    ASSERT_EQ(config.run.infile.size(), 1u);
    EXPECT_EQ(config.run.infile[0], "a.out");
  }
}

TEST_F(ResolveTest, CsmithIsDeterministicPerSeed) {
  ResolvedBenchmark first, second;
  ASSERT_TRUE(resolve("generator://csmith-v0/7", &first).ok());
  ASSERT_TRUE(resolve("generator://csmith-v0/7", &second).ok());
  EXPECT_EQ(first.bitcode, second.bitcode);
}

TEST_F(ResolveTest, CsmithBuildCommandBuildsTheProgram) {
  ResolvedBenchmark benchmark;
  ASSERT_TRUE(resolve("generator://csmith-v0/1", &benchmark).ok());
  ASSERT_TRUE(benchmark.dynamicConfig.has_value());
  // What the session does: the command through a shell, in the benchmark's directory, with CC
  // and IN set.
  write(files_.path() / "out.bc", benchmark.bitcode);
  std::string command = "cd '" + files_.path().string() + "' && export CC='" +
                        (options_.llvmToolsDirectory / "clang").string() + "' IN=out.bc &&";
  for (const std::string& argument : benchmark.dynamicConfig->build.argument) {
    command += " " + argument;
  }
  CommandResult result;
  ASSERT_TRUE(runCommand({"sh", "-c", command}, "", INFINITY, &result).ok());
  EXPECT_TRUE(result.succeeded()) << result.stderrText;
  EXPECT_TRUE(fs::is_regular_file(files_.path() / "a.out"));
}

TEST_F(ResolveTest, FailingCsmithIsRetriedThenAnInternalError) {
  // A csmith that fails every time and counts its runs.
  const fs::path counter = files_.path() / "runs";
  const fs::path script = files_.path() / "csmith";
  write(script, "#!/bin/sh\necho run >> '" + counter.string() + "'\necho broken >&2\nexit 2\n");
  fs::permissions(script, fs::perms::owner_all);
  options_.csmith = script.string();
  ResolvedBenchmark benchmark;
  const Status status = resolve("generator://csmith-v0/1", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_TRUE(contains(status.message(), "csmith exited with status 2 (3 attempts): broken"))
      << status.message();
  EXPECT_EQ(read(counter), "run\nrun\nrun\n");
}

TEST_F(ResolveTest, CsmithOutputThatDoesNotCompileIsInvalid) {
  const fs::path script = files_.path() / "csmith";
  write(script, "#!/bin/sh\necho 'int main( {'\n");
  fs::permissions(script, fs::perms::owner_all);
  options_.csmith = script.string();
  ResolvedBenchmark benchmark;
  const Status status = resolve("generator://csmith-v0/1", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status.message(), "Failed to compile \"generator://csmith-v0/1\""))
      << status.message();
  EXPECT_TRUE(contains(status.message(), "<stdin>:1:")) << status.message();
}

TEST_F(ResolveTest, CsmithWithoutOutputIsAnInternalError) {
  options_.csmith = "true";
  ResolvedBenchmark benchmark;
  const Status status = resolve("generator://csmith-v0/1", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_TRUE(contains(status.message(), "no output")) << status.message();
}

TEST_F(ResolveTest, CsmithOutOfTimeIsDeadlineExceeded) {
  options_.csmithTimeoutSeconds = 0;
  ResolvedBenchmark benchmark;
  const Status status = resolve("generator://csmith-v0/1", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(contains(status.message(), "csmith timed out")) << status.message();
}

TEST_F(ResolveTest, LlvmStressSeedGivesAModule) {
  ResolvedBenchmark benchmark;
  std::unique_ptr<llvm::Module> module =
      resolveAndParse("generator://llvm-stress-v0/5", &benchmark);
  ASSERT_NE(module, nullptr);
  EXPECT_FALSE(module->empty());
  EXPECT_FALSE(benchmark.dynamicConfig.has_value());
  ResolvedBenchmark again;
  ASSERT_TRUE(resolve("generator://llvm-stress-v0/5", &again).ok());
  EXPECT_EQ(benchmark.bitcode, again.bitcode);
  // The largest seed is valid.
  EXPECT_TRUE(resolve("generator://llvm-stress-v0/4294967295", &again).ok());
}

TEST_F(ResolveTest, LlvmStressFailureIsAnInternalError) {
  options_.llvmToolsDirectory = files_.path();
  write(files_.path() / "llvm-stress", "#!/bin/sh\necho stressed >&2\nexit 1\n");
  fs::permissions(files_.path() / "llvm-stress", fs::perms::owner_all);
  ResolvedBenchmark benchmark;
  Status status = resolve("generator://llvm-stress-v0/5", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_TRUE(contains(status.message(), "llvm-stress exited with status 1: stressed"))
      << status.message();
  options_.llvmToolsDirectory = ResolveOptions::defaultLlvmToolsDirectory();
  options_.llvmStressTimeoutSeconds = 0;
  status = resolve("generator://llvm-stress-v0/5", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(contains(status.message(), "llvm-stress timed out")) << status.message();
}

TEST_F(ResolveTest, BadSeedsAreInvalid) {
  for (const char* seed : {"", "abc", "-1", "+1", "1x", " 1", "4294967296", "99999999999"}) {
    for (const char* generator : {"csmith-v0", "llvm-stress-v0"}) {
      ResolvedBenchmark benchmark;
      const std::string uri = std::string("generator://") + generator + "/" + seed;
      const Status status = resolve(uri, &benchmark);
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << uri;
      EXPECT_TRUE(contains(status.message(), "Invalid seed")) << status.message();
    }
  }
  ResolvedBenchmark benchmark;
  EXPECT_EQ(resolve("generator://csmith-v0", &benchmark).code(), StatusCode::kInvalidArgument);
}

TEST_F(ResolveTest, UnknownGeneratorOrDatasetIsNotFound) {
  for (const char* uri :
       {"generator://nope-v0/1", "benchmark://nope-v0/x", "benchmark://user-v0/20240101-abcd"}) {
    ResolvedBenchmark benchmark;
    const Status status = resolve(uri, &benchmark);
    EXPECT_EQ(status.code(), StatusCode::kNotFound) << uri;
    EXPECT_TRUE(contains(status.message(), "Benchmark not found")) << status.message();
  }
}

TEST_F(ResolveTest, UnsupportedSchemeIsInvalid) {
  for (const char* uri : {"http://example.com/a.bc", "a.bc", "", "ftp:///a.bc"}) {
    ResolvedBenchmark benchmark;
    const Status status = resolve(uri, &benchmark);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << uri;
    EXPECT_TRUE(contains(status.message(), "Unsupported benchmark URI scheme")) << uri;
  }
}

// --- benchmark://cgym-v0 ---------------------------------------------------------------------

// A dataset of the bundled layout with one program, in a temporary directory.
class FakeDatasetTest : public ResolveTest {
 protected:
  void SetUp() override {
    ResolveTest::SetUp();
    fs::create_directory(dataset_.path() / "programs");
    write(dataset_.path() / "programs" / "hello.c",
          "#include <math.h>\n#include <stdio.h>\n"
          "int main(int argc, char** argv) { printf(\"%d %s\\n\", argc, argv[1]);"
          " return (int)sqrt(0.0); }\n");
    options_.datasetDirectory = dataset_.path();
  }
  TempDir dataset_;
};

TEST_F(FakeDatasetTest, ProgramWithManifestEntry) {
  write(dataset_.path() / "manifest.json",
        R"({"programs": [{"name": "other"},
            {"name": "hello", "build_flags": ["-lm", "-DX=1"], "run_args": ["3", "x y"]}]})");
  ResolvedBenchmark benchmark;
  std::unique_ptr<llvm::Module> module = resolveAndParse("benchmark://cgym-v0/hello", &benchmark);
  ASSERT_NE(module, nullptr);
  EXPECT_NE(module->getFunction("main"), nullptr);
  ASSERT_TRUE(benchmark.dynamicConfig.has_value());
  const Command& build = benchmark.dynamicConfig->build;
  ASSERT_GE(build.argument.size(), 4u);
  EXPECT_EQ(build.argument[0], "$CC");
  EXPECT_EQ(build.argument[1], "$IN");
  EXPECT_EQ(build.argument[build.argument.size() - 2], "-lm");
  EXPECT_EQ(build.argument[build.argument.size() - 1], "-DX=1");
  const Command& run = benchmark.dynamicConfig->run;
  ASSERT_EQ(run.argument.size(), 3u);
  EXPECT_EQ(run.argument[0], "./a.out");
  EXPECT_EQ(run.argument[1], "3");
  EXPECT_EQ(run.argument[2], "x y");
}

TEST_F(FakeDatasetTest, ManifestKeyedByNameWithStrings) {
  write(dataset_.path() / "manifest.json", R"({"hello": {"flags": "-lm", "args": "1 2"}})");
  ResolvedBenchmark benchmark;
  ASSERT_NE(resolveAndParse("benchmark://cgym-v0/hello", &benchmark), nullptr);
  ASSERT_TRUE(benchmark.dynamicConfig.has_value());
  const Command& run = benchmark.dynamicConfig->run;
  ASSERT_EQ(run.argument.size(), 3u);
  EXPECT_EQ(run.argument[2], "2");
}

TEST_F(FakeDatasetTest, ProgramWithoutManifest) {
  ResolvedBenchmark benchmark;
  ASSERT_NE(resolveAndParse("benchmark://cgym-v0/hello", &benchmark), nullptr);
  ASSERT_TRUE(benchmark.dynamicConfig.has_value());
  EXPECT_EQ(benchmark.dynamicConfig->run.argument.size(), 1u);
}

TEST_F(FakeDatasetTest, InvalidManifestIsAnInternalError) {
  write(dataset_.path() / "manifest.json", "{not json");
  ResolvedBenchmark benchmark;
  const Status status = resolve("benchmark://cgym-v0/hello", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_TRUE(contains(status.message(), "Invalid JSON")) << status.message();
}

TEST_F(FakeDatasetTest, UnknownProgramIsNotFoundAndListsThePrograms) {
  for (const char* name : {"nope", "", "../programs/hello", ".hidden", "hello.c"}) {
    ResolvedBenchmark benchmark;
    const Status status = resolve(std::string("benchmark://cgym-v0/") + name, &benchmark);
    EXPECT_EQ(status.code(), StatusCode::kNotFound) << name;
    EXPECT_TRUE(contains(status.message(), "cgym-v0 has 1 programs: hello")) << status.message();
  }
}

TEST_F(FakeDatasetTest, MissingDatasetIsNotFound) {
  options_.datasetDirectory = dataset_.path() / "nowhere";
  ResolvedBenchmark benchmark;
  const Status status = resolve("benchmark://cgym-v0/hello", &benchmark);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_TRUE(contains(status.message(), "the cgym-v0 dataset is not installed"))
      << status.message();
}

// The bundled dataset: every program compiles, and the one built and run with its dynamic
// config prints what it is expected to.
TEST_F(ResolveTest, BundledDataset) {
  const fs::path programs = ResolveOptions::defaultDatasetDirectory() / "programs";
  if (ResolveOptions::defaultDatasetDirectory().empty() || !fs::is_directory(programs)) {
    GTEST_SKIP() << "no bundled dataset";
  }
  std::vector<std::string> names;
  for (const auto& file : fs::directory_iterator(programs)) {
    if (file.path().extension() == ".c") names.push_back(file.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  ASSERT_FALSE(names.empty());
  for (const std::string& name : names) {
    ResolvedBenchmark benchmark;
    std::unique_ptr<llvm::Module> module =
        resolveAndParse("benchmark://cgym-v0/" + name, &benchmark);
    ASSERT_NE(module, nullptr) << name;
    EXPECT_NE(module->getFunction("main"), nullptr) << name;
    ASSERT_TRUE(benchmark.dynamicConfig.has_value()) << name;
    const fs::path expected = programs / (name + ".expected");
    if (name != names.front() || !fs::exists(expected)) continue;
    // Build and run the first one as the session would.
    write(files_.path() / "out.bc", benchmark.bitcode);
    std::string command = "cd '" + files_.path().string() + "' && export CC='" +
                          (options_.llvmToolsDirectory / "clang").string() + "' IN=out.bc &&";
    for (const std::string& argument : benchmark.dynamicConfig->build.argument) {
      command += " " + argument;
    }
    command += " &&";
    for (const std::string& argument : benchmark.dynamicConfig->run.argument) {
      command += " " + argument;
    }
    CommandResult result;
    ASSERT_TRUE(runCommand({"sh", "-c", command}, "", INFINITY, &result).ok());
    EXPECT_TRUE(result.succeeded()) << name << ": " << result.stderrText;
    EXPECT_EQ(result.stdoutText, read(expected)) << name;
  }
}

// --- Helpers ---------------------------------------------------------------------------------

TEST(SystemIncludeFlags, AreIsystemPairs) {
  const std::vector<std::string>& flags = systemIncludeFlags();
  ASSERT_FALSE(flags.empty());
  ASSERT_EQ(flags.size() % 2, 0u);
  for (size_t i = 0; i < flags.size(); i += 2) {
    EXPECT_EQ(flags[i], "-isystem");
    EXPECT_TRUE(fs::is_directory(flags[i + 1])) << flags[i + 1];
  }
}

TEST(RunCommand, CapturesOutputAndExitStatus) {
  CommandResult result;
  ASSERT_TRUE(runCommand({"sh", "-c", "echo out; echo err >&2; exit 3"}, "", 60, &result).ok());
  EXPECT_EQ(result.stdoutText, "out\n");
  EXPECT_EQ(result.stderrText, "err\n");
  EXPECT_EQ(result.exitStatus, 3);
  EXPECT_FALSE(result.timedOut);
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(describeFailure("sh", 60, result), "sh exited with status 3");
}

TEST(RunCommand, FeedsStdinAndPassesArgumentsUntouched) {
  CommandResult result;
  const std::string input(200000, 'x');  // more than a pipe holds
  ASSERT_TRUE(runCommand({"cat"}, input, 60, &result).ok());
  EXPECT_TRUE(result.succeeded());
  EXPECT_EQ(result.stdoutText, input);
  ASSERT_TRUE(runCommand({"printf", "%s|", "$HOME", "a b", "; rm -rf /"}, "", 60, &result).ok());
  EXPECT_EQ(result.stdoutText, "$HOME|a b|; rm -rf /|");
  // Without input, stdin is empty.
  ASSERT_TRUE(runCommand({"wc", "-c"}, "", 60, &result).ok());
  EXPECT_EQ(result.stdoutText, "0\n");
}

TEST(RunCommand, TimeoutKillsTheProcessGroup) {
  CommandResult result;
  ASSERT_TRUE(runCommand({"sh", "-c", "sleep 1000 & sleep 1000"}, "", 0.2, &result).ok());
  EXPECT_TRUE(result.timedOut);
  EXPECT_EQ(result.termSignal, SIGKILL);
  EXPECT_EQ(describeFailure("sh", 0.2, result), "sh timed out after 0.2 seconds");
}

TEST(RunCommand, ReportsASignal) {
  CommandResult result;
  ASSERT_TRUE(runCommand({"sh", "-c", "kill -TERM $$"}, "", 60, &result).ok());
  EXPECT_EQ(result.termSignal, SIGTERM);
  EXPECT_EQ(describeFailure("sh", 60, result), "sh was killed by signal 15");
}

TEST(RunCommand, Errors) {
  CommandResult result;
  Status status = runCommand({}, "", 1, &result);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  status = runCommand({"true"}, "", -1, &result);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  status = runCommand({"true"}, "", NAN, &result);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  status = runCommand({"/no/such/program"}, "", 1, &result);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.message(), "Failed to run /no/such/program: No such file or directory");
}

}  // namespace
}  // namespace cgym::llvm_env
