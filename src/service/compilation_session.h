// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "compiler_gym_service.pb.h"

namespace cgym {

// The C++ interface a compiler implements to become a CompilerGym environment: one instance
// per session (episode). It is CompilerGym's C++ CompilationSession with cgym::Status in place
// of grpc::Status, so a session does not depend on the transport.
//
// The service calls one session's methods one at a time (a per-session lock), so a session
// needs no locking of its own; different sessions run in parallel, so state shared between
// sessions must be synchronised by the session author.
class CompilationSession {
 public:
  // Sessions are constructed with the service's working directory, shared by all sessions.
  explicit CompilationSession(std::filesystem::path workingDirectory)
      : workingDirectory_(std::move(workingDirectory)) {}
  virtual ~CompilationSession() = default;

  CompilationSession(const CompilationSession&) = delete;
  CompilationSession& operator=(const CompilationSession&) = delete;

  // Reported as GetVersionReply.compiler_version. Read once when the service starts.
  virtual std::string getCompilerVersion() const { return ""; }

  // The action and observation spaces. Read once when the service starts; the indices of
  // these lists are the indices used on the wire.
  virtual std::vector<compiler_gym::ActionSpace> getActionSpaces() const = 0;
  virtual std::vector<compiler_gym::ObservationSpace> getObservationSpaces() const = 0;

  // Starts a new episode. Called exactly once, right after construction.
  virtual Status init(const compiler_gym::ActionSpace& actionSpace,
                      const compiler_gym::Benchmark& benchmark) = 0;

  // Starts an episode as a copy of `other` (ForkSession). Called exactly once, right after
  // construction, while `other` is locked. The default does not support forking.
  virtual Status init(CompilationSession* other);

  // Applies one action. Set `endOfEpisode` to end the episode (the service then applies no
  // further actions of the same Step), `newActionSpace` to change the action space, and
  // `actionHadNoEffect` when the action changed nothing.
  virtual Status applyAction(const compiler_gym::Event& action, bool& endOfEpisode,
                             std::optional<compiler_gym::ActionSpace>& newActionSpace,
                             bool& actionHadNoEffect) = 0;

  // Computes one observation into `observation`, which is empty on entry.
  virtual Status computeObservation(const compiler_gym::ObservationSpace& observationSpace,
                                    compiler_gym::Event& observation) = 0;

  // Called once per Step, after all actions and observations. May end the episode or change
  // the action space.
  virtual Status endOfStep(bool actionHadNoEffect, bool& endOfEpisode,
                           std::optional<compiler_gym::ActionSpace>& newActionSpace);

  // Handles a session parameter. Leave `reply` empty for a key the session does not know;
  // the service then tries its built-in parameters.
  virtual Status handleSessionParameter(const std::string& key, const std::string& value,
                                        std::optional<std::string>& reply);

 protected:
  const std::filesystem::path& workingDirectory() const { return workingDirectory_; }

 private:
  const std::filesystem::path workingDirectory_;
};

}  // namespace cgym
