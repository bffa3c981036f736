// SPDX-License-Identifier: MIT
// Benchmarks of the LLVM environment: parsing a program into a normalised module, and turning a
// benchmark URI (file://, generator://csmith-v0, generator://llvm-stress-v0,
// benchmark://cgym-v0) into bitcode plus, for runnable programs, CompilerGym's dynamic config
// (build and run commands). See docs/llvm.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace cgym::llvm_env {

// Parses `bytes` (bitcode, or textual IR if they do not start with a bitcode magic) into a new
// module of `context`, verifies it, and normalises it as CompilerGym does so that an agent
// cannot key on names: module identifier and source file name "-", debug info stripped, all
// module-level named metadata erased (value names are kept, as in CompilerGym).
//
// Errors are INVALID_ARGUMENT, whose message starts with "Failed to parse LLVM bitcode" (as
// CompilerGym's, which its tests match) and holds LLVM's own diagnostic, or with "Failed to
// verify module" and the verifier's text. INVALID_ARGUMENT is what CompilerGym's LLVM service
// answers StartSession/AddBenchmark with for an unparsable program; its client raises it as
// ValueError (the base class of BenchmarkInitError).
Status parseBenchmark(llvm::LLVMContext& context, std::string_view bytes,
                      std::unique_ptr<llvm::Module>* out);

// The normalisation of parseBenchmark() alone, for modules made some other way.
void normaliseModule(llvm::Module& module);

// Where resolveBenchmark() finds its tools and data, and how long it lets them run.
struct ResolveOptions {
  // Temporary files go in a fresh directory below this one, removed before returning.
  // Empty: the system's temporary directory.
  std::filesystem::path scratchDirectory;
  // The bundled dataset (benchmark://cgym-v0): programs/<name>.c and manifest.json. Defaults to
  // the source tree's services/llvm/dataset when it was there at configure time.
  std::filesystem::path datasetDirectory = defaultDatasetDirectory();
  // clang and llvm-stress are taken from here: the tools of the LLVM we are built against.
  std::filesystem::path llvmToolsDirectory = defaultLlvmToolsDirectory();
  // The csmith program (looked up in PATH if it has no '/').
  std::string csmith = "csmith";
  // Time limits in seconds (CompilerGym's): clang on a user's source or a generated program,
  // one csmith run, one llvm-stress run.
  double clangTimeoutSeconds = 600;
  double csmithTimeoutSeconds = 300;
  double llvmStressTimeoutSeconds = 60;

  static std::filesystem::path defaultDatasetDirectory();
  static std::filesystem::path defaultLlvmToolsDirectory();
};

// CompilerGym's Command and BenchmarkDynamicConfig messages as plain data, so that the
// environment's core does not depend on the protocol's generated code (the in-process plugin
// cannot hold a second copy of it; see docs/llvm.md).
struct Command {
  std::vector<std::string> argument;
  std::map<std::string, std::string> env;
  int32_t timeoutSeconds = 0;  // 0: the runner's default
  std::vector<std::string> infile;
  std::vector<std::string> outfile;
};

struct DynamicConfig {
  Command build;
  Command run;
  std::vector<Command> preRun;
  std::vector<Command> postRun;
};

struct ResolvedBenchmark {
  // The program as bitcode, not yet normalised (parseBenchmark() does that).
  std::string bitcode;
  // Build and run commands, for the programs that can be run (csmith-v0, cgym-v0).
  std::optional<DynamicConfig> dynamicConfig;
};

// Resolves a benchmark given by URI alone:
//  * file:///<absolute path> ending in .bc (read as is), .ll (assembled and verified), or
//    .c / .cc / .cpp / .cxx (compiled with clang and CompilerGym's flags: unoptimised bitcode
//    without optnone, with the host C++ compiler's system include directories);
//  * generator://csmith-v0/<seed> and generator://llvm-stress-v0/<seed>, seed in [0, 2^32-1];
//  * benchmark://cgym-v0/<name>, the bundled dataset.
// Errors: INVALID_ARGUMENT for a malformed URI, a bad seed, an unsupported scheme or file type,
// or a program that does not compile (with clang's or LLVM's diagnostic); NOT_FOUND for a
// missing file, an unknown dataset or program (which makes CompilerGym's client send the
// benchmark with AddBenchmark); DEADLINE_EXCEEDED if a tool runs out of time; INTERNAL if a
// tool cannot be run or fails for a reason of its own.
Status resolveBenchmark(const std::string& uri, const ResolveOptions& options,
                        ResolvedBenchmark* out);

}  // namespace cgym::llvm_env
