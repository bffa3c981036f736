// SPDX-License-Identifier: MIT
// The LLVM session as a cgym::CompilationSession, for the service binary (cgym-llvm-service)
// and C++ hosts that link the runtime: it converts the protocol's messages to and from the
// protocol-free Session (session.h), which does the work.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/compilation_session.h"
#include "session.h"

namespace cgym::llvm_env {

// The spaces, as CompilerGym declares them: action space "PassesAll" (a CommandlineSpace of
// the 124 flags in an Any) and the observation spaces, with their flags and defaults.
std::vector<compiler_gym::ActionSpace> actionSpaces();
std::vector<compiler_gym::ObservationSpace> observationSpaces();

// An observation as the protocol's Event.
void toEvent(Observation observation, compiler_gym::Event* event);

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

 private:
  Session session_;
};

}  // namespace cgym::llvm_env
