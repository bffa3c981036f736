// SPDX-License-Identifier: MIT
// The LLVM phase-ordering environment's session, free of the protocol's generated code: the
// service binary (llvm_session.h, a cgym::CompilationSession) and the in-process plugin
// (plugin.cc, a session vtable of cgym.h) are two thin adapters around it, so that both behave
// identically. See services/llvm/session/README.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace cgym::llvm_env {

struct Command;        // benchmarks/benchmarks.h
struct DynamicConfig;  // benchmarks/benchmarks.h
struct LexedIr;        // features/features.h

// One action of the "PassesAll" space (actions.def): CompilerGym's flag, the new pass manager
// pipeline that runs it ("" is an explicit no-op), and why it differs from the flag, if it does.
struct ActionInfo {
  const char* flag;
  const char* pipeline;
  const char* note;
};

// The 124 actions, in CompilerGym's order (the index is the wire index).
const std::vector<ActionInfo>& actionTable();

// The name of the only action space.
inline constexpr const char* kActionSpaceName = "PassesAll";

// The default per-action time limit, in seconds (llvm.set_action_timeout_seconds).
inline constexpr double kDefaultActionTimeoutSeconds = 60;

// The compiler version a service reports: LLVM's version and the default target triple.
std::string compilerVersion();

// A benchmark as a client sends it: a URI and, optionally, the program (bitcode or textual
// IR) and the build and run commands. Without a program, the URI (or programUri, when the
// client named a file) is resolved (benchmarks/benchmarks.h).
struct BenchmarkSpec {
  std::string uri;
  std::optional<std::string> program;
  std::optional<std::string> programUri;
  std::shared_ptr<const DynamicConfig> dynamicConfig;  // null: none sent
};

// An observation's value. Kinds follow the observation spaces (llvm_spaces.h): strings (Ir,
// IrSha1, BitcodeFile, CpuInfo), bytes (Bitcode), int64 scalars (counts and sizes), booleans,
// int64 vectors (InstCount, Autophase), double vectors (Runtime, Buildtime) and LexedIr.
struct Observation {
  enum class Kind { kString, kBytes, kInt64, kBool, kInt64Vector, kDoubleVector, kLexedIr };
  Kind kind = Kind::kInt64;
  std::string text;  // kString, kBytes
  int64_t int64 = 0;
  bool boolean = false;
  std::vector<int64_t> int64s;
  std::vector<double> doubles;
  std::shared_ptr<LexedIr> lexedIr;
};

// One episode on one module. Not thread-safe: the runtime calls one session at a time; separate
// sessions (forks included) are independent and may run in parallel.
class Session {
 public:
  // Files (BitcodeFile, builds in a scratch directory, generated benchmarks) go below
  // `workingDirectory`.
  explicit Session(std::filesystem::path workingDirectory);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts the episode. INVALID_ARGUMENT for another action space, or a benchmark that does
  // not parse or verify (with LLVM's diagnostic); resolution errors as resolveBenchmark().
  Status init(const std::string& actionSpace, const BenchmarkSpec& benchmark);
  // Starts the episode as a copy of `parent`'s current state (ForkSession).
  Status initFork(const Session& parent);

  // Runs action `index` under the time limit; `*noEffect` is true iff the module is unchanged.
  Status applyAction(int64_t index, bool* noEffect);

  // Computes the observation space `name`. UNIMPLEMENTED for an unknown name.
  Status observe(const std::string& name, Observation* out);

  // CompilerGym's llvm.* session parameters; `*reply` is left empty for an unknown key.
  Status handleParameter(const std::string& key, const std::string& value,
                         std::optional<std::string>* reply);

  const std::filesystem::path& workingDirectory() const { return workingDirectory_; }

  struct Engine;     // the LLVM context, module, pass builder and analysis managers
  struct Baselines;  // the O0/O3/Oz measurements of a benchmark, shared by its sessions
  // A benchmark as this process prepared it once: its fingerprint, baselines and, when it
  // was resolved from its URI, build and run commands.
  struct Prepared {
    std::shared_ptr<const std::string> fingerprint;
    std::shared_ptr<Baselines> baselines;
    std::shared_ptr<const DynamicConfig> dynamicConfig;
  };
  class Worker;  // the thread that runs the session's actions

 private:
  Status loadEngine(const std::string& bitcode, const std::string& name);
  // Loads the function bodies of a lazily loaded module (loadEngine); before any use of it.
  Status materialize();
  static std::string preparedKey(const BenchmarkSpec& benchmark);
  Status runPipeline(int actionIndex, bool* changed);
  Status updateFingerprint(bool* changed);
  Status baselineValue(const std::string& name, Observation* out);
  Status scratchDirectory(const std::string& name, std::filesystem::path* out);
  Status runInScratch(const Command& command, const std::filesystem::path& dir,
                      const std::string& what, double* seconds);
  Status buildBitcode(const std::string& bitcode, const std::filesystem::path& dir,
                      double* seconds);
  Status buildCurrent();  // cached while the module is unchanged
  Status builtTextSize(const std::filesystem::path& dir, int64_t* size);
  Status computeRuntime(Observation* out);
  Status objectTextSize(int64_t* size);
  // The observation `name` from cache_, computed by `compute` and kept if it is not there.
  Status cached(const std::string& name, Observation* out,
                const std::function<Status(Observation*)>& compute);
  bool buildable() const;
  bool runnable() const;

  std::filesystem::path workingDirectory_;
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<Baselines> baselines_;
  std::unique_ptr<Worker> worker_;  // started by the first action
  // The module's bitcode, use-list order included: the fingerprint for action_had_no_effect,
  // the snapshot a timed-out action is rolled back to, and the source of forks.
  std::shared_ptr<const std::string> fingerprint_;  // shared with forks and the cache
  // Observations of the current module that are costly or asked for often (IrSha1, counts,
  // feature vectors, the object size), by space name; cleared when the fingerprint changes.
  std::map<std::string, Observation> cache_;
  std::shared_ptr<const DynamicConfig> dynamicConfig_;  // never null after init
  std::string benchmarkUri_;
  double actionTimeoutSeconds_ = kDefaultActionTimeoutSeconds;
  int runtimesPerObservation_ = 1;
  int warmupRunsPerRuntimeObservation_ = 0;
  int buildtimesPerObservation_ = 1;
  uint64_t bitcodeFileCounter_ = 0;
  std::filesystem::path scratch_;
  std::shared_ptr<const std::string> builtFingerprint_;  // that of the last successful build
  double buildSeconds_ = 0;
  std::map<std::string, int64_t> builtBaselineSizes_;  // TextSizeO0/O3/Oz with a build command
};

}  // namespace cgym::llvm_env
