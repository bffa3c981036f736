// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/connection.h"
#include "client/reward.h"
#include "client/state.h"
#include "common/status.h"
#include "compiler_gym_service.pb.h"

namespace cgym::client {

// The type_id of an action space converted from a CommandlineSpace (see
// ServiceMessageConverters).
inline constexpr const char* kCommandlineTypeId = "commandline";

// CompilerGym's ServiceMessageConverters: how an ActionSpace message becomes the env's
// action space, and how an action becomes the Event sent to the service. An unset action space
// converter means CompilerGym's default: a CommandlineSpace packed in the space's Any becomes a
// named discrete space of its flags (type_id "commandline"); other spaces are unchanged. An
// unset action converter sends actions unchanged.
struct ServiceMessageConverters {
  std::function<Status(const compiler_gym::ActionSpace&, compiler_gym::ActionSpace*)>
      action_space_converter;
  std::function<Status(const compiler_gym::Event&, compiler_gym::Event*)> action_converter;
};

class Env;

// A service's observation space as the env sees it.
struct ObservationSpaceSpec {
  std::string id;
  int index = 0;  // position in GetSpacesReply.observation_space_list
  compiler_gym::ObservationSpace message;
  bool deterministic() const { return message.deterministic(); }
  bool platformDependent() const { return message.platform_dependent(); }
  // The value reported when the service fails; empty Event if the service gives none.
  const compiler_gym::Event& defaultValue() const { return message.default_observation(); }
};

struct EnvOptions {
  ConnectionOpts connection;
  // Rewards; when none are given, one DefaultRewardFromObservation is made per observation
  // space whose default observation is a numeric scalar, as in CompilerGym.
  std::vector<std::unique_ptr<Reward>> rewards;
  bool useDefaultRewards = true;
  // The benchmark of the first reset: a URI, or a URI with the program.
  std::optional<compiler_gym::Benchmark> benchmark;
  // Names of the default spaces; empty for none (action space: the first).
  std::string observation_space;
  std::string reward_space;
  std::string action_space;
  ServiceMessageConverters converters;
  // Checks of validate() beyond replay and reward (e.g. that the compiled program still behaves
  // the same), run on an env holding the replayed state; they add their findings to the
  // result. Forks keep them.
  std::function<Status(Env& replayed, ValidationResult* result)> validator;
};

struct StepInfo {
  bool action_had_no_effect = false;
  bool new_action_space = false;
  // Set when the step failed and ended the episode.
  std::string error_type;
  std::string error_details;
};

struct StepResult {
  // One per requested observation space, in order.
  std::vector<compiler_gym::Event> observations;
  // One per requested reward space, in order.
  std::vector<double> rewards;
  bool done = false;
  StepInfo info;
};

// Which spaces a step computes. Unset lists mean the env's defaults.
struct StepOptions {
  std::optional<std::vector<std::string>> observation_spaces;
  std::optional<std::vector<std::string>> reward_spaces;
  // Seconds: >= 0 (0 expires at once) or +infinity (no deadline); NaN or negative is
  // INVALID_ARGUMENT.
  double timeout = 300;
};

// A step between Env::beginStep() and Env::endStep(): what the reply is read with.
struct PendingStep {
  compiler_gym::StepRequest request;
  double timeout = 300;
  // `timeout` from beginStep(): the step, its retries and ending its session after a failure
  // all end by then.
  Deadline deadline;
  std::vector<compiler_gym::Event> actions;
  std::vector<const ObservationSpaceSpec*> observationSpaces;
  std::vector<Reward*> rewardSpaces;
  std::vector<int32_t> indices;                  // the observation spaces requested, each once
  std::vector<size_t> observationSlots;          // per observation space: its place in `indices`
  std::vector<std::vector<size_t>> rewardSlots;  // per reward: its observations' places
  bool addsToEpisodeReward = false;
};

struct ResetOptions {
  std::optional<compiler_gym::Benchmark> benchmark;
  // Unset: unchanged. Empty string: no default space.
  std::optional<std::string> action_space;
  std::optional<std::string> observation_space;
  std::optional<std::string> reward_space;
  // The deadline of the reset, in seconds as StepOptions::timeout: everything it does
  // (reconnecting, StartSession, AddBenchmark, resending parameters, retries with a new
  // service) ends by then.
  double timeout = 300;
};

// A compiler environment driven through a service: CompilerGym's ClientServiceCompilerEnv
// (docs/architecture.md). Not thread-safe: use one env from one thread at a time (envs may move
// between threads; different envs, forks included, may be used from different threads).
class Env final : public ObservationView {
 public:
  // Connects to `endpoint` (see Connection) and reads the service's spaces.
  static Status make(const std::string& endpoint, EnvOptions options, std::unique_ptr<Env>* out);
  ~Env() override;

  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // Starts an episode: ends the current one, then StartSession (on NOT_FOUND: AddBenchmark
  // and StartSession again). A dead service is replaced and reset retried up to
  // init_max_attempts (SERVICE_INIT after the last), within the reset's timeout
  // (DEADLINE_EXCEEDED "Failed to reset environment ..." once it has passed); a service that
  // cannot be reached again (a managed binary that is gone, an in-process service no longer
  // registered) is the connection's error (NOT_FOUND, SERVICE_INIT, DEADLINE_EXCEEDED...).
  // INVALID_ARGUMENT, with nothing sent, for a bad timeout or a benchmark with a string that
  // is not valid UTF-8. `observation` receives the default observation if there is one.
  Status reset(const ResetOptions& options = {},
               std::optional<compiler_gym::Event>* observation = nullptr);

  // Applies actions and computes observations and rewards. A service or transport failure
  // ends the episode: done is true, the observations are the spaces' defaults and the
  // rewards reward_on_error, and info says why; the call itself returns OK. An invalid action
  // is an error to the caller and the episode goes on. The step returns by its timeout; after
  // a failure, ending the session takes at most 1 s more, and nothing at all when the service
  // let the deadline pass (see Connection: a managed service is then killed, and a session
  // left on an unmanaged one is ended once it answers again, for which the env keeps its
  // connection).
  Status step(const std::vector<compiler_gym::Event>& actions, StepResult* result,
              const StepOptions& options = {});
  Status step(const compiler_gym::Event& action, StepResult* result,
              const StepOptions& options = {});
  // step() in two halves, for a caller that sends the request itself (StepQueue): beginStep
  // checks the arguments and makes the request (errors: as step()'s, with nothing sent);
  // endStep reads the outcome of sending it, `status` as Connection::call() gives it. Nothing
  // else may be done with the env in between.
  Status beginStep(const std::vector<compiler_gym::Event>& actions, const StepOptions& options,
                   PendingStep* step);
  Status endStep(PendingStep& step, const Status& status, compiler_gym::StepReply* reply,
                 StepResult* result);
  // A step with resolved spaces that adds nothing to the episode's reward.
  Status rawStep(const std::vector<compiler_gym::Event>& actions,
                 const std::vector<const ObservationSpaceSpec*>& observationSpaces,
                 const std::vector<Reward*>& rewardSpaces, double timeout, StepResult* result);

  // Computes one observation or reward now (a Step with no actions).
  Status observe(const std::string& name, compiler_gym::Event* observation) override;
  Status reward(const std::string& name, double* reward);

  // A new env in the same state: ForkSession on the same service, or, if the service cannot
  // fork, a new service with the actions replayed. All of it within 300 s (CompilerGym's
  // default timeout).
  Status fork(std::unique_ptr<Env>* out);

  // A new env on the same service (the same connection) with the same settings (spaces,
  // rewards, benchmark for the next reset, parameters kept for resets) and no episode: many
  // envs share one service this way. Errors: those of reconnecting a closed connection.
  Status sibling(std::unique_ptr<Env>* out);

  // Sends a step made by beginStep() and waits for its reply (what step() does between its
  // halves); the status is for endStep().
  Status sendStep(const PendingStep& step, compiler_gym::StepReply* reply) {
    return callService(Rpc::kStep, step.request, reply, step.timeout, step.deadline);
  }

  // Ends the episode; closes the service if no other env uses it. Idempotent. Waits at most
  // 300 s (CompilerGym's EndSession timeout) for the service to end the session, not at all
  // for a service that let its last call's deadline pass (see Connection), then, if the
  // service is closed, as Connection::close() says.
  Status close();

  // Session parameters (SendSessionParameter). INVALID_ARGUMENT, with nothing sent, if a key
  // or value is not valid UTF-8. With resendOnReset, a parameter is kept and sent again after
  // every reset, as in CompilerGym; but only if the service accepts it: one it rejects when
  // first sent (at once, or by the next reset if sent before any) is not kept. Sending a key
  // with resendOnReset false stops resending it, whether or not that send succeeds.
  Status sendParam(const std::string& key, const std::string& value, std::string* reply,
                   bool resendOnReset = false);
  Status sendParams(const std::vector<std::pair<std::string, std::string>>& params,
                    std::vector<std::string>* replies, bool resendOnReset = false);

  // The episode as a CompilerEnvState; replaying one; checking one. INVALID_ARGUMENT "Action
  // out of range: N" if an action the service rejected cannot be written in the commandline
  // (CompilerGym raises there too), and for an action that is not an int64 (a dict, a string,
  // ...), which the commandline cannot name either.
  Status state(CompilerEnvState* out) const;
  Status apply(const CompilerEnvState& state);
  Status validate(const std::optional<CompilerEnvState>& state, ValidationResult* result);

  // Versions (fetched once).
  Status version(std::string* out);
  Status compilerVersion(std::string* out);

  // Spaces.
  const std::vector<compiler_gym::ActionSpace>& actionSpaces() const { return actionSpaces_; }
  const compiler_gym::ActionSpace& actionSpace() const { return actionSpaces_[actionSpaceIndex_]; }
  Status setActionSpace(const std::string& name);
  const std::vector<ObservationSpaceSpec>& observationSpaces() const { return observationSpaces_; }
  const ObservationSpaceSpec* observationSpace() const { return observationSpace_; }
  Status setObservationSpace(const std::string& name);  // "" for none
  const std::vector<std::unique_ptr<Reward>>& rewardSpaces() const { return rewards_; }
  Reward* rewardSpace() const { return rewardSpace_; }
  Status setRewardSpace(const std::string& name);  // "" for none
  // Adds a reward space (replacing one of the same name).
  void addReward(std::unique_ptr<Reward> reward);
  const ObservationSpaceSpec* findObservationSpace(const std::string& name) const;
  Reward* findReward(const std::string& name) const;

  // The benchmark of the current episode; setting it takes effect at the next reset.
  const std::optional<compiler_gym::Benchmark>& benchmark() const { return benchmark_; }
  void setBenchmark(compiler_gym::Benchmark benchmark);

  bool inEpisode() const { return sessionId_.has_value(); }
  std::optional<int64_t> sessionId() const { return sessionId_; }
  // For tests: pretend the episode is `id` on the service (CompilerGym tests force this).
  void forceSessionId(int64_t id) { sessionId_ = id; }
  const std::vector<compiler_gym::Event>& actions() const { return actions_; }
  std::optional<double> episodeReward() const { return episodeReward_; }
  double episodeWalltime() const;
  const std::shared_ptr<Connection>& connection() const { return connection_; }
  const std::string& endpoint() const { return endpoint_; }

  // The action space's text form of int64 actions (names joined by spaces for a named
  // discrete space, else comma-joined integers), and back.
  Status actionsToString(const std::vector<compiler_gym::Event>& actions, std::string* out) const;
  Status actionsFromString(const std::string& text, std::vector<compiler_gym::Event>* out) const;

 private:
  Env(std::string endpoint, EnvOptions options, std::shared_ptr<Connection> connection);
  Status initSpaces();
  // Gives `child` this env's spaces, rewards (copies), next benchmark and kept parameters.
  Status copySettingsTo(Env* child, const char* what) const;
  Status resetAttempt(int retry, double timeout, Deadline deadline,
                      std::optional<compiler_gym::Event>* observation);
  Status resetFailed(int retry, double timeout, Deadline deadline, const Status& status,
                     std::optional<compiler_gym::Event>* observation);
  Status prepareStep(const std::vector<compiler_gym::Event>& actions,
                     std::vector<const ObservationSpaceSpec*> observationSpaces,
                     std::vector<Reward*> rewardSpaces, double timeout, PendingStep* step);
  Status finishStep(PendingStep& step, Status status, compiler_gym::StepReply* reply,
                    StepResult* result);
  Status endEpisodeOnError(const Status& error,
                           const std::vector<const ObservationSpaceSpec*>& observationSpaces,
                           const std::vector<Reward*>& rewardSpaces, double timeout,
                           Deadline deadline, StepResult* result);
  // Ends the episode's session (see close()) and lets go of the connection (`afterError`: see
  // there): waits for the service no later than `deadline`; `timeout` names it.
  Status endSession(Deadline deadline, double timeout, bool afterError);
  Status observeWithin(const std::string& name, double timeout, compiler_gym::Event* observation);
  Status adoptActionSpace(const compiler_gym::ActionSpace& space);
  Status convertActionSpace(const compiler_gym::ActionSpace& space,
                            compiler_gym::ActionSpace* out) const;
  Status resolveSpaces(const StepOptions& options,
                       std::vector<const ObservationSpaceSpec*>* observations,
                       std::vector<Reward*>* rewards) const;
  Status sendParamsNow(const std::vector<std::pair<std::string, std::string>>& params,
                       std::vector<std::string>* replies, double timeout = 300,
                       Deadline deadline = Deadline());
  // One call to the service, by `timeout` and `deadline` (see CallOptions).
  Status callService(Rpc rpc, const google::protobuf::Message& request,
                     google::protobuf::Message* reply, double timeout = 300,
                     Deadline deadline = Deadline());
  Status ensureConnection(Deadline deadline = Deadline());

  const std::string endpoint_;
  EnvOptions options_;
  std::shared_ptr<Connection> connection_;
  // Shared by an env and its siblings: the service they use. When it dies, the first of them
  // to need it again replaces it for all, instead of each starting a service of its own.
  struct ServiceSlot {
    std::mutex mutex;
    std::shared_ptr<Connection> connection;
  };
  std::shared_ptr<ServiceSlot> slot_;

  std::vector<compiler_gym::ActionSpace> actionSpaces_;
  size_t actionSpaceIndex_ = 0;
  std::vector<ObservationSpaceSpec> observationSpaces_;
  const ObservationSpaceSpec* observationSpace_ = nullptr;
  std::vector<std::unique_ptr<Reward>> rewards_;
  Reward* rewardSpace_ = nullptr;

  std::optional<compiler_gym::Benchmark> benchmark_;  // of the current episode
  bool warnedBenchmarkChange_ = false;
  std::optional<compiler_gym::Benchmark> nextBenchmark_;  // for the next reset
  std::optional<int64_t> sessionId_;
  std::vector<compiler_gym::Event> actions_;
  std::optional<double> episodeReward_;
  std::chrono::steady_clock::time_point episodeStart_ = std::chrono::steady_clock::now();
  // Parameters to send after every reset; `accepted` once the service has taken one.
  struct KeptParam {
    std::string key;
    std::string value;
    bool accepted = false;
  };
  std::vector<KeptParam> paramsToResend_;
  std::optional<compiler_gym::GetVersionReply> versions_;
};

}  // namespace cgym::client
