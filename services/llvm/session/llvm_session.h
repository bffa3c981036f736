// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/compilation_session.h"

namespace cgym::llvm_env {

// One action of the "PassesAll" space (actions.def): CompilerGym's flag, the new pass manager
// pipeline that runs it ("" is an explicit no-op), and why it differs from the flag, if it does.
struct ActionInfo {
  const char* flag;
  const char* pipeline;
  const char* note;
};

// The 124 actions, in CompilerGym's order (the index is the wire index).
const std::vector<ActionInfo>& actionTable();

// The default per-action time limit, in seconds (llvm.set_action_timeout_seconds).
inline constexpr double kDefaultActionTimeoutSeconds = 60;

// CompilerGym's LLVM phase-ordering environment on LLVM 16's new pass manager
// (services/llvm/session/README.md): action space "PassesAll" (a CommandlineSpace of the 124
// CompilerGym flags), CompilerGym's observation spaces except ProGraML, and its session
// parameters.
class LlvmSession final : public CompilationSession {
 public:
  explicit LlvmSession(std::filesystem::path workingDirectory);
  ~LlvmSession() override;

  std::string getCompilerVersion() const override;
  std::vector<compiler_gym::ActionSpace> getActionSpaces() const override;
  std::vector<compiler_gym::ObservationSpace> getObservationSpaces() const override;

  Status init(const compiler_gym::ActionSpace& actionSpace,
              const compiler_gym::Benchmark& benchmark) override;
  Status init(CompilationSession* other) override;
  Status applyAction(const compiler_gym::Event& action, bool& endOfEpisode,
                     std::optional<compiler_gym::ActionSpace>& newActionSpace,
                     bool& actionHadNoEffect) override;
  Status computeObservation(const compiler_gym::ObservationSpace& observationSpace,
                            compiler_gym::Event& observation) override;
  Status handleSessionParameter(const std::string& key, const std::string& value,
                                std::optional<std::string>& reply) override;

  struct Engine;     // the LLVM context, module, pass builder and analysis managers
  struct Baselines;  // the O0/O3/Oz measurements of a benchmark, shared by its sessions

 private:
  // Replaces the engine with one holding the module parsed from `bitcode`.
  Status loadEngine(const std::string& bitcode, const std::string& name);
  // Runs `pipeline` on the module under the time limit; `changed` is exact (fingerprint).
  Status runPipeline(int actionIndex, bool* changed);
  // Re-serialises the module, compares it with the fingerprint, verifies it if it changed.
  Status updateFingerprint(bool* changed);
  Status baselineValue(const std::string& name, compiler_gym::Event* out);
  // Building and running with the benchmark's dynamic config, in the session's scratch
  // directory (created on first use, removed with the session).
  Status scratchDirectory(const std::string& name, std::filesystem::path* out);
  Status runInScratch(const compiler_gym::Command& command, const std::filesystem::path& dir,
                      const std::string& what, double* seconds);
  Status buildBitcode(const std::string& bitcode, const std::filesystem::path& dir,
                      double* seconds);
  Status buildCurrent();  // cached while the module is unchanged
  Status builtTextSize(const std::filesystem::path& dir, int64_t* size);
  Status computeRuntime(compiler_gym::Event* out);

  std::shared_ptr<Engine> engine_;
  std::shared_ptr<Baselines> baselines_;
  // The module's bitcode, use-list order included: the fingerprint for action_had_no_effect,
  // the snapshot a timed-out action is rolled back to, and the source of forks.
  std::string fingerprint_;
  // Cached IrSha1 of the current module (reset when the fingerprint changes).
  std::optional<std::string> irSha1_;
  compiler_gym::BenchmarkDynamicConfig dynamicConfig_;
  std::string benchmarkUri_;
  double actionTimeoutSeconds_ = kDefaultActionTimeoutSeconds;
  int runtimesPerObservation_ = 1;
  int warmupRunsPerRuntimeObservation_ = 0;
  int buildtimesPerObservation_ = 1;
  uint64_t bitcodeFileCounter_ = 0;
  std::filesystem::path scratch_;
  std::string builtFingerprint_;  // the fingerprint of the last successful build
  double buildSeconds_ = 0;
  std::map<std::string, int64_t> builtBaselineSizes_;  // TextSizeO0/O3/Oz with a build command
};

}  // namespace cgym::llvm_env
