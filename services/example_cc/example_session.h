// SPDX-License-Identifier: MIT
#pragma once

#include "service/compilation_session.h"

namespace cgym::example {

// CompilerGym's example compiler service, written on the C++ interface: action space
// "default" = named discrete a, b, c; observations "ir" (a string), "features" (three int64
// in [-100, 100]) and "runtime" (a double >= 0). It has no state, so forking is trivial.
class ExampleSession final : public CompilationSession {
 public:
  using CompilationSession::CompilationSession;

  std::string getCompilerVersion() const override { return "1.0.0"; }
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
};

}  // namespace cgym::example
