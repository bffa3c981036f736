// SPDX-License-Identifier: MIT
#include "client/env.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/deadline.h"
#include "common/limits.h"
#include "common/logging.h"
#include "common/text.h"

namespace cgym::client {

using namespace compiler_gym;
using Clock = std::chrono::steady_clock;

namespace {

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

Status sessionNotStarted(const std::string& call) {
  return Status(StatusCode::kSessionNotFound, "Must call reset() before " + call + "()");
}

// INVALID_ARGUMENT if a string field of `message` (at any depth) is not valid UTF-8: protobuf
// cannot send it, and a service would see a request it cannot parse.
Status checkUtf8Fields(const google::protobuf::Message& message, const std::string& path) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string name = path + "." + field->name();
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
      for (int i = 0; i < count; ++i) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection->GetRepeatedStringReference(message, field, i, &scratch)
                : reflection->GetStringReference(message, field, &scratch);
        if (std::optional<size_t> offset = invalidUtf8Offset(value)) {
          return Status(StatusCode::kInvalidArgument,
                        name + (field->is_repeated() ? "[" + std::to_string(i) + "]" : "") +
                            " is not valid UTF-8 (invalid byte at offset " +
                            std::to_string(*offset) + ")");
        }
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
      for (int i = 0; i < count; ++i) {
        CGYM_RETURN_IF_ERROR(
            checkUtf8Fields(field->is_repeated() ? reflection->GetRepeatedMessage(message, field, i)
                                                 : reflection->GetMessage(message, field),
                            name + (field->is_repeated() ? "[" + std::to_string(i) + "]" : "")));
      }
    }
  }
  return Status::OK();
}

// INVALID_ARGUMENT if a session parameter cannot be sent (see checkUtf8Fields).
Status checkParams(const std::vector<std::pair<std::string, std::string>>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    for (const auto& [what, text] :
         {std::pair<const char*, const std::string&>{"key", params[i].first},
          std::pair<const char*, const std::string&>{"value", params[i].second}}) {
      if (std::optional<size_t> offset = invalidUtf8Offset(text)) {
        return Status(StatusCode::kInvalidArgument,
                      "Session parameter " + std::to_string(i) + ": the " + what +
                          " is not valid UTF-8 (invalid byte at offset " + std::to_string(*offset) +
                          ")");
      }
    }
  }
  return Status::OK();
}

}  // namespace

Env::Env(std::string endpoint, EnvOptions options, std::shared_ptr<Connection> connection)
    : endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      connection_(std::move(connection)) {}

Env::~Env() {
  Status status = close();
  if (!status.ok()) logger().warn("Closing the environment: {}", status.message());
}

Status Env::make(const std::string& endpoint, EnvOptions options, std::unique_ptr<Env>* out) {
  std::shared_ptr<Connection> connection;
  CGYM_RETURN_IF_ERROR(Connection::connect(endpoint, options.connection, &connection));
  std::unique_ptr<Env> env(new Env(endpoint, std::move(options), std::move(connection)));
  CGYM_RETURN_IF_ERROR(env->initSpaces());
  *out = std::move(env);
  return Status::OK();
}

Status Env::convertActionSpace(const ActionSpace& space, ActionSpace* out) const {
  if (options_.converters.action_space_converter) {
    return options_.converters.action_space_converter(space, out);
  }
  *out = space;
  // CompilerGym's default conversion: a CommandlineSpace (sent in an Any, as CompilerGym's LLVM
  // environment sends its passes) is a space of named actions, the flags.
  compiler_gym::CommandlineSpace commandline;
  if (space.space().has_any_value() &&
      space.space().any_value().Is<compiler_gym::CommandlineSpace>() &&
      space.space().any_value().UnpackTo(&commandline)) {
    compiler_gym::Space* converted = out->mutable_space();
    converted->Clear();
    converted->set_type_id(kCommandlineTypeId);
    *converted->mutable_named_discrete()->mutable_name() = commandline.name();
  }
  return Status::OK();
}

Status Env::initSpaces() {
  const GetSpacesReply& spaces = connection_->spaces();
  actionSpaces_.clear();
  for (const ActionSpace& space : spaces.action_space_list()) {
    ActionSpace converted;
    CGYM_RETURN_IF_ERROR(convertActionSpace(space, &converted));
    actionSpaces_.push_back(std::move(converted));
  }
  if (actionSpaces_.empty()) {
    return Status(StatusCode::kInvalidArgument, "The service has no action spaces");
  }
  if (spaces.observation_space_list_size() == 0) {
    return Status(StatusCode::kInvalidArgument, "No observation spaces");
  }
  observationSpaces_.clear();
  for (int i = 0; i < spaces.observation_space_list_size(); ++i) {
    observationSpaces_.push_back(ObservationSpaceSpec{spaces.observation_space_list(i).name(), i,
                                                      spaces.observation_space_list(i)});
  }
  rewards_ = std::move(options_.rewards);
  options_.rewards.clear();
  if (rewards_.empty() && options_.useDefaultRewards) {
    for (const ObservationSpaceSpec& spec : observationSpaces_) {
      if (scalarValue(spec.defaultValue())) {
        rewards_.push_back(std::make_unique<DefaultRewardFromObservation>(spec.id));
      }
    }
  }
  nextBenchmark_ = options_.benchmark;
  CGYM_RETURN_IF_ERROR(setActionSpace(options_.action_space));
  CGYM_RETURN_IF_ERROR(setObservationSpace(options_.observation_space));
  return setRewardSpace(options_.reward_space);
}

const ObservationSpaceSpec* Env::findObservationSpace(const std::string& name) const {
  for (const ObservationSpaceSpec& spec : observationSpaces_) {
    if (spec.id == name) return &spec;
  }
  return nullptr;
}

Reward* Env::findReward(const std::string& name) const {
  for (const auto& reward : rewards_) {
    if (reward->name() == name) return reward.get();
  }
  return nullptr;
}

Status Env::setActionSpace(const std::string& name) {
  if (name.empty()) {
    actionSpaceIndex_ = 0;
    return Status::OK();
  }
  for (size_t i = 0; i < actionSpaces_.size(); ++i) {
    if (actionSpaces_[i].name() == name) {
      actionSpaceIndex_ = i;
      return Status::OK();
    }
  }
  return Status(StatusCode::kNotFound, "Action space not found: " + name);
}

Status Env::setObservationSpace(const std::string& name) {
  if (name.empty()) {
    observationSpace_ = nullptr;
    return Status::OK();
  }
  const ObservationSpaceSpec* spec = findObservationSpace(name);
  if (!spec) return Status(StatusCode::kNotFound, "Observation space not found: " + name);
  observationSpace_ = spec;
  return Status::OK();
}

Status Env::setRewardSpace(const std::string& name) {
  Reward* reward = nullptr;
  if (!name.empty()) {
    reward = findReward(name);
    if (!reward) return Status(StatusCode::kNotFound, "Reward space not found: " + name);
  }
  // A different reward space restarts the episode's reward, as in CompilerGym.
  if (reward != rewardSpace_) {
    episodeReward_ = reward && inEpisode() ? std::optional<double>(0.0) : std::nullopt;
  }
  rewardSpace_ = reward;
  return Status::OK();
}

void Env::addReward(std::unique_ptr<Reward> reward) {
  for (auto& existing : rewards_) {
    if (existing->name() == reward->name()) {
      // Replacing a default reward (made from an observation space with a default value) is
      // what a user reward of the same name is for; replacing a user's reward may be a mistake.
      if (dynamic_cast<const DefaultRewardFromObservation*>(existing.get()) != nullptr) {
        logger().debug("Reward space '{}' replaces the default one", reward->name());
      } else {
        logger().warn("Replacing existing reward space '{}'", reward->name());
      }
      if (rewardSpace_ == existing.get()) rewardSpace_ = reward.get();
      existing = std::move(reward);
      return;
    }
  }
  rewards_.push_back(std::move(reward));
}

void Env::setBenchmark(Benchmark benchmark) {
  // Once per env, as Python's warnings.warn shows CompilerGym's: agents that pick the next
  // benchmark during an episode on purpose (searches, replays) are not flooded.
  if (inEpisode() && !warnedBenchmarkChange_) {
    warnedBenchmarkChange_ = true;
    logger().warn("Changing the benchmark has no effect until reset() is called");
  }
  nextBenchmark_ = std::move(benchmark);
}

double Env::episodeWalltime() const {
  return std::chrono::duration<double>(Clock::now() - episodeStart_).count();
}

Status Env::ensureConnection(Deadline deadline) {
  if (connection_) return Status::OK();
  // After a failure the env dropped its service; a new one is made on demand.
  if (!slot_) return Connection::connect(endpoint_, options_.connection, &connection_, deadline);
  std::lock_guard<std::mutex> lock(slot_->mutex);
  if (!slot_->connection || !slot_->connection->usable()) {
    CGYM_RETURN_IF_ERROR(
        Connection::connect(endpoint_, options_.connection, &slot_->connection, deadline));
  }
  connection_ = slot_->connection;
  return Status::OK();
}

Status Env::callService(Rpc rpc, const google::protobuf::Message& request,
                        google::protobuf::Message* reply, double timeout, Deadline deadline) {
  deadline = deadline.earliest(Deadline::after(timeout));
  CGYM_RETURN_IF_ERROR(ensureConnection(deadline));
  CallOptions options;
  options.timeout = timeout;
  options.deadline = deadline;
  return connection_->call(rpc, request, reply, options);
}

Status Env::version(std::string* out) {
  if (!versions_) {
    GetVersionReply reply;
    CGYM_RETURN_IF_ERROR(callService(Rpc::kGetVersion, GetVersionRequest(), &reply, 60));
    versions_ = std::move(reply);
  }
  *out = versions_->service_version();
  return Status::OK();
}

Status Env::compilerVersion(std::string* out) {
  std::string ignored;
  CGYM_RETURN_IF_ERROR(version(&ignored));
  *out = versions_->compiler_version();
  return Status::OK();
}

Status Env::reset(const ResetOptions& options, std::optional<Event>* observation) {
  // Arguments are checked before anything changes.
  CGYM_RETURN_IF_ERROR(checkSeconds("The reset timeout", options.timeout));
  if (options.benchmark) CGYM_RETURN_IF_ERROR(checkUtf8Fields(*options.benchmark, "benchmark"));
  if (options.action_space) CGYM_RETURN_IF_ERROR(setActionSpace(*options.action_space));
  if (options.observation_space)
    CGYM_RETURN_IF_ERROR(setObservationSpace(*options.observation_space));
  if (options.reward_space) CGYM_RETURN_IF_ERROR(setRewardSpace(*options.reward_space));
  if (options.benchmark) nextBenchmark_ = *options.benchmark;
  if (!nextBenchmark_ || nextBenchmark_->uri().empty()) {
    return Status(StatusCode::kFailedPrecondition,
                  "No benchmark set. Set a benchmark with env.reset(benchmark=...) or "
                  "setBenchmark()");
  }
  // A benchmark set by EnvOptions or setBenchmark() is checked here, before it is sent.
  CGYM_RETURN_IF_ERROR(checkUtf8Fields(*nextBenchmark_, "benchmark"));
  std::optional<Event> ignored;
  return resetAttempt(0, options.timeout, Deadline::after(options.timeout),
                      observation ? observation : &ignored);
}

Status Env::resetAttempt(int retry, double timeout, Deadline deadline,
                         std::optional<Event>* observation) {
  observation->reset();
  Status status = ensureConnection(deadline);
  if (!status.ok()) {
    // No service to reset on: a managed binary that is gone, an in-process service that is no
    // longer registered, a service that cannot start. Connecting has its own attempt budget,
    // and there is nothing to send a benchmark to. But connecting that the reset's deadline
    // cut short is a failed attempt, as a StartSession that times out.
    if (status.code() != StatusCode::kDeadlineExceeded || !deadline.expired()) return status;
    return resetFailed(retry, timeout, deadline,
                       Status(StatusCode::kDeadlineExceeded,
                              "Deadline Exceeded (" + oneDecimal(timeout) +
                                  " seconds) while connecting: " + status.message()),
                       observation);
  }
  if (sessionId_) {
    // Its outcome is only logged, so it need not delay the new session (one that gets no
    // answer in time is ended later: see Connection).
    connection_->endSessionDetached(*sessionId_, timeout);
  }
  sessionId_.reset();

  StartSessionRequest request;
  if (options_.connection.always_send_benchmark_on_reset) {
    *request.mutable_benchmark() = *nextBenchmark_;
  } else {
    request.mutable_benchmark()->set_uri(nextBenchmark_->uri());
  }
  request.set_action_space(static_cast<int32_t>(actionSpaceIndex_));
  if (observationSpace_) request.add_observation_space(observationSpace_->index);

  StartSessionReply reply;
  CallOptions call;
  call.timeout = timeout;
  call.deadline = deadline;
  status = connection_->call(Rpc::kStartSession, request, &reply, call);
  if (status.code() == StatusCode::kNotFound) {
    // The service does not have the benchmark yet: send it, then start again.
    AddBenchmarkRequest add;
    *add.add_benchmark() = *nextBenchmark_;
    AddBenchmarkReply added;
    status = connection_->call(Rpc::kAddBenchmark, add, &added, call);
    if (status.ok()) {
      reply.Clear();
      status = connection_->call(Rpc::kStartSession, request, &reply, call);
    }
  }
  if (!status.ok()) {
    const StatusCode code = status.code();
    if (!isServiceError(code) && code != StatusCode::kDeadlineExceeded) return status;
    return resetFailed(retry, timeout, deadline, status, observation);
  }

  sessionId_ = reply.session_id();
  benchmark_ = nextBenchmark_;
  episodeStart_ = Clock::now();
  actions_.clear();
  if (reply.has_new_action_space()) {
    CGYM_RETURN_IF_ERROR(adoptActionSpace(reply.new_action_space()));
  }
  if (!paramsToResend_.empty()) {
    std::vector<std::pair<std::string, std::string>> params;
    for (const KeptParam& param : paramsToResend_) params.emplace_back(param.key, param.value);
    std::vector<std::string> ignored;
    Status sent = sendParamsNow(params, &ignored, timeout, deadline);
    if (!sent.ok()) {
      // Parameters kept before any episode are first sent here: those the service rejects
      // are not kept, so that the next reset does not fail the same way.
      paramsToResend_.erase(std::remove_if(paramsToResend_.begin(), paramsToResend_.end(),
                                           [](const KeptParam& p) { return !p.accepted; }),
                            paramsToResend_.end());
      return Status(sent.code(), "Failed to resend session parameters on reset: " + sent.message() +
                                     " (send a parameter again with resend_on_reset=false to stop "
                                     "resending it)");
    }
    for (KeptParam& param : paramsToResend_) param.accepted = true;
  }
  for (auto& reward : rewards_) CGYM_RETURN_IF_ERROR(reward->reset(*benchmark_, *this));
  episodeReward_ = rewardSpace_ ? std::optional<double>(0.0) : std::nullopt;

  if (observationSpace_) {
    if (reply.observation_size() != 1) {
      return Status(StatusCode::kServiceTransport,
                    "Expected one observation from service, received " +
                        std::to_string(reply.observation_size()));
    }
    *observation = std::move(*reply.mutable_observation(0));
  }
  return Status::OK();
}

// A reset attempt failed with `status`, a service error or an expired deadline: the service is
// replaced and the reset tried again, while attempts and time remain.
Status Env::resetFailed(int retry, double timeout, Deadline deadline, const Status& status,
                        std::optional<Event>* observation) {
  const StatusCode code = status.code();
  // The service is broken: replace it and try again. Closing it waits no longer than the
  // reset may (a service that let the deadline pass is not waited for at all). An unmanaged
  // service that let it pass is kept when no attempt follows: the sessions left on it are
  // ended once it answers again (see Connection), which a new connection would not know of.
  const bool last = retry + 1 >= options_.connection.init_max_attempts || deadline.expired();
  const bool keep = last && connection_ && connection_->kind() == Connection::Kind::kUnmanaged &&
                    connection_->unresponsive();
  if (connection_ && !keep) {
    Status closed = connection_->close(deadline);
    if (!closed.ok()) logger().warn("{}", closed.message());
    connection_.reset();
  }
  if (retry + 1 >= options_.connection.init_max_attempts) {
    return Status(StatusCode::kServiceInit, "Failed to reset environment using benchmark " +
                                                truncateForMessage(nextBenchmark_->uri()) +
                                                " after " + plural(retry + 1, "attempt") +
                                                ".\nLast error (" + errorTypeName(code) +
                                                "): " + status.message());
  }
  if (deadline.expired()) {
    // The reset's timeout covers its retries: there is no time left for another.
    return Status(StatusCode::kDeadlineExceeded,
                  "Failed to reset environment using benchmark " +
                      truncateForMessage(nextBenchmark_->uri()) + " within its timeout of " +
                      oneDecimal(timeout) + " seconds (" + plural(retry + 1, "attempt") +
                      ").\nLast error (" + errorTypeName(code) + "): " + status.message());
  }
  logger().warn("reset() failed ({}), retrying with a new service", status.message());
  return resetAttempt(retry + 1, timeout, deadline, observation);
}

// The service changed the action space of the episode: it replaces the one in use.
Status Env::adoptActionSpace(const ActionSpace& space) {
  ActionSpace converted;
  CGYM_RETURN_IF_ERROR(convertActionSpace(space, &converted));
  actionSpaces_[actionSpaceIndex_] = std::move(converted);
  return Status::OK();
}

Status Env::resolveSpaces(const StepOptions& options,
                          std::vector<const ObservationSpaceSpec*>* observations,
                          std::vector<Reward*>* rewards) const {
  if (options.observation_spaces) {
    for (const std::string& name : *options.observation_spaces) {
      const ObservationSpaceSpec* spec = findObservationSpace(name);
      if (!spec) return Status(StatusCode::kNotFound, "Observation space not found: " + name);
      observations->push_back(spec);
    }
  } else if (observationSpace_) {
    observations->push_back(observationSpace_);
  }
  if (options.reward_spaces) {
    for (const std::string& name : *options.reward_spaces) {
      Reward* reward = findReward(name);
      if (!reward) return Status(StatusCode::kNotFound, "Reward space not found: " + name);
      rewards->push_back(reward);
    }
  } else if (rewardSpace_) {
    rewards->push_back(rewardSpace_);
  }
  return Status::OK();
}

Status Env::step(const Event& action, StepResult* result, const StepOptions& options) {
  return step(std::vector<Event>{action}, result, options);
}

Status Env::step(const std::vector<Event>& actions, StepResult* result,
                 const StepOptions& options) {
  PendingStep step;
  CGYM_RETURN_IF_ERROR(beginStep(actions, options, &step));
  StepReply reply;
  const Status status = sendStep(step, &reply);
  return endStep(step, status, &reply, result);
}

Status Env::beginStep(const std::vector<Event>& actions, const StepOptions& options,
                      PendingStep* step) {
  std::vector<const ObservationSpaceSpec*> observations;
  std::vector<Reward*> rewards;
  CGYM_RETURN_IF_ERROR(resolveSpaces(options, &observations, &rewards));
  CGYM_RETURN_IF_ERROR(
      prepareStep(actions, std::move(observations), std::move(rewards), options.timeout, step));
  step->addsToEpisodeReward = !options.reward_spaces.has_value();
  return Status::OK();
}

Status Env::endStep(PendingStep& step, const Status& status, StepReply* reply, StepResult* result) {
  CGYM_RETURN_IF_ERROR(finishStep(step, status, reply, result));
  // Only the default reward space adds up into the episode's reward.
  if (step.addsToEpisodeReward && rewardSpace_ && episodeReward_ && !result->rewards.empty()) {
    *episodeReward_ += result->rewards[0];
  }
  return Status::OK();
}

Status Env::rawStep(const std::vector<Event>& actions,
                    const std::vector<const ObservationSpaceSpec*>& observationSpaces,
                    const std::vector<Reward*>& rewardSpaces, double timeout, StepResult* result) {
  PendingStep step;
  CGYM_RETURN_IF_ERROR(prepareStep(actions, observationSpaces, rewardSpaces, timeout, &step));
  StepReply reply;
  const Status status = sendStep(step, &reply);
  return finishStep(step, status, &reply, result);
}

Status Env::prepareStep(const std::vector<Event>& actions,
                        std::vector<const ObservationSpaceSpec*> observationSpaces,
                        std::vector<Reward*> rewardSpaces, double timeout, PendingStep* step) {
  CGYM_RETURN_IF_ERROR(checkSeconds("The step timeout", timeout));
  if (!sessionId_) return sessionNotStarted("step");
  step->deadline = Deadline::after(timeout);
  // A deeper action would fail in the service's parser and end the episode as a failed step.
  for (size_t i = 0; i < actions.size(); ++i) {
    if (nestingDepth(actions[i]) > kMaxNestingDepth) {
      return Status(StatusCode::kInvalidArgument, "Action " + std::to_string(i) +
                                                      ": Event nested deeper than " +
                                                      std::to_string(kMaxNestingDepth) + " levels");
    }
  }

  // The observations to compute: those asked for, plus those the rewards need, each once.
  std::vector<int32_t>& indices = step->indices;
  auto want = [&](int32_t index) {
    for (size_t i = 0; i < indices.size(); ++i) {
      if (indices[i] == index) return i;
    }
    indices.push_back(index);
    return indices.size() - 1;
  };
  for (const ObservationSpaceSpec* spec : observationSpaces)
    step->observationSlots.push_back(want(spec->index));
  for (Reward* reward : rewardSpaces) {
    std::vector<size_t> slots;
    for (const std::string& name : reward->observationSpaces()) {
      const ObservationSpaceSpec* spec = findObservationSpace(name);
      if (!spec) {
        return Status(StatusCode::kNotFound,
                      "Reward '" + reward->name() + "' needs unknown observation space " + name);
      }
      slots.push_back(want(spec->index));
    }
    step->rewardSlots.push_back(std::move(slots));
  }

  StepRequest& request = step->request;
  request.set_session_id(*sessionId_);
  for (const Event& action : actions) {
    Event* converted = request.add_action();
    if (options_.converters.action_converter) {
      CGYM_RETURN_IF_ERROR(options_.converters.action_converter(action, converted));
    } else {
      *converted = action;
    }
  }
  for (int32_t index : indices) request.add_observation_space(index);
  step->actions = actions;
  step->observationSpaces = std::move(observationSpaces);
  step->rewardSpaces = std::move(rewardSpaces);
  step->timeout = timeout;
  // Recorded before sending, as in CompilerGym: a failed step still counts its actions.
  actions_.insert(actions_.end(), actions.begin(), actions.end());
  return Status::OK();
}

Status Env::finishStep(PendingStep& step, Status status, StepReply* reply, StepResult* result) {
  *result = StepResult();
  if (status.code() == StatusCode::kNotFound &&
      status.message().rfind("Session not found", 0) == 0) {
    status = Status(StatusCode::kSessionNotFound, status.message());
  }
  if (!status.ok()) {
    const StatusCode code = status.code();
    if (isServiceError(code) || code == StatusCode::kDeadlineExceeded) {
      return endEpisodeOnError(status, step.observationSpaces, step.rewardSpaces, step.timeout,
                               step.deadline, result);
    }
    return status;
  }

  if (reply->has_new_action_space()) {
    CGYM_RETURN_IF_ERROR(adoptActionSpace(reply->new_action_space()));
  }
  const std::vector<int32_t>& indices = step.indices;
  if (reply->observation_size() != static_cast<int>(indices.size())) {
    return Status(StatusCode::kInternal, "Requested " + std::to_string(indices.size()) +
                                             " observations but received " +
                                             std::to_string(reply->observation_size()));
  }
  // Observations leave the reply by move for their last use, by copy before: a big
  // observation is never copied on the client.
  std::vector<int> uses(indices.size(), 0);
  for (size_t slot : step.observationSlots) ++uses[slot];
  for (const auto& slots : step.rewardSlots) {
    for (size_t slot : slots) ++uses[slot];
  }
  auto take = [&](size_t slot) -> Event {
    if (--uses[slot] == 0) return std::move(*reply->mutable_observation(static_cast<int>(slot)));
    return reply->observation(static_cast<int>(slot));
  };
  result->observations.reserve(step.observationSlots.size());
  for (size_t slot : step.observationSlots) result->observations.push_back(take(slot));
  for (size_t r = 0; r < step.rewardSpaces.size(); ++r) {
    std::vector<Event> inputs;
    for (size_t slot : step.rewardSlots[r]) inputs.push_back(take(slot));
    double value = 0;
    CGYM_RETURN_IF_ERROR(step.rewardSpaces[r]->update(step.actions, inputs, *this, &value));
    result->rewards.push_back(value);
  }
  result->done = reply->end_of_session();
  result->info.action_had_no_effect = reply->action_had_no_effect();
  result->info.new_action_space = reply->has_new_action_space();
  return Status::OK();
}

Status Env::endEpisodeOnError(const Status& error,
                              const std::vector<const ObservationSpaceSpec*>& observationSpaces,
                              const std::vector<Reward*>& rewardSpaces, double timeout,
                              Deadline deadline, StepResult* result) {
  result->done = true;
  result->info.error_type = errorTypeName(error.code());
  result->info.error_details = error.message();
  for (const ObservationSpaceSpec* spec : observationSpaces) {
    result->observations.push_back(spec->defaultValue());
  }
  for (Reward* reward : rewardSpaces) {
    result->rewards.push_back(reward->rewardOnError(episodeReward_.value_or(0)));
  }
  // Ending the session waits for the service until the step's deadline, or 1 s past it for a
  // service that failed the step just before (it answers, so the end is quick); not at all
  // for a service that let the deadline pass (see endSession).
  Status closed = endSession(Deadline::after(std::max(deadline.remaining(), 1.0)),
                             std::max(timeout, 1.0), true);
  if (!closed.ok()) result->info.error_details += "\n" + closed.message();
  return Status::OK();
}

Status Env::observe(const std::string& name, Event* observation) {
  return observeWithin(name, CallOptions().timeout, observation);
}

Status Env::observeWithin(const std::string& name, double timeout, Event* observation) {
  const ObservationSpaceSpec* spec = findObservationSpace(name);
  if (!spec) return Status(StatusCode::kNotFound, "Observation space not found: " + name);
  StepResult result;
  CGYM_RETURN_IF_ERROR(rawStep({}, {spec}, {}, timeout, &result));
  if (result.done) {
    return Status(StatusCode::kInternal,
                  "Failed to compute observation '" + name + "'" +
                      (result.info.error_details.empty() ? "" : ": " + result.info.error_details));
  }
  if (result.observations.size() != 1) {
    return Status(StatusCode::kInternal, "Expected 1 '" + name +
                                             "' observation but the service returned " +
                                             std::to_string(result.observations.size()));
  }
  *observation = std::move(result.observations[0]);
  return Status::OK();
}

Status Env::reward(const std::string& name, double* value) {
  // An unknown name is NOT_FOUND, as for observation spaces, whether or not there are rewards.
  Reward* reward = findReward(name);
  if (!reward) return Status(StatusCode::kNotFound, "Reward space not found: " + name);
  if (!sessionId_) return sessionNotStarted("step");
  // One deadline for the observations the reward needs.
  const Deadline deadline = Deadline::after(CallOptions().timeout);
  std::vector<Event> observations;
  for (const std::string& observationName : reward->observationSpaces()) {
    CGYM_RETURN_IF_ERROR(
        observeWithin(observationName, deadline.remaining(), &observations.emplace_back()));
  }
  return reward->update({}, observations, *this, value);
}

Status Env::close() {
  const double timeout = CallOptions().timeout;
  return endSession(Deadline::after(timeout), timeout, false);
}

Status Env::endSession(Deadline deadline, double timeout, bool afterError) {
  Status status;
  if (connection_ && sessionId_) {
    const int64_t id = *sessionId_;
    const bool managed = connection_->kind() == Connection::Kind::kManaged;
    if (connection_->hasOtherSessions(id)) {
      // Another session of this client (a fork, or the env this one was forked from) keeps
      // the service, and the last of them to close decides its fate: nobody needs this reply.
      connection_->endSessionDetached(id, timeout);
    } else if (connection_->unresponsive()) {
      // The service let its last call's deadline pass: nothing is waited for. A managed one is
      // killed, with its sessions; on an unmanaged one the session is ended once it answers.
      if (managed) {
        status = connection_->close(deadline);
      } else {
        connection_->endSessionDetached(id, timeout);
      }
    } else {
      // remaining_sessions decides whether to close the service: count no session that is
      // already being ended.
      connection_->drainDetached(deadline);
      EndSessionRequest request;
      request.set_session_id(id);
      EndSessionReply reply;
      CallOptions options;
      options.timeout = timeout;
      options.deadline = deadline;
      Status ended = connection_->call(Rpc::kEndSession, request, &reply, options);
      if (ended.ok() && reply.remaining_sessions() == 0) {
        // No other env (fork) uses the service: close it now.
        status = connection_->close(deadline);
      } else if (!ended.ok() && managed && connection_->unresponsive()) {
        // No answer in time: the service is hung, and killed now.
        status = connection_->close(deadline);
      } else if (!ended.ok() && ended.code() != StatusCode::kServiceIsClosed) {
        logger().warn("Failed to end session {}: {}", id, ended.message());
      }
    }
  }
  sessionId_.reset();
  // After a failure, the env keeps its connection to an unmanaged service that let a deadline
  // pass: a session left on it is ended once it answers again, which a new connection would
  // not know of.
  const bool keep = afterError && connection_ &&
                    connection_->kind() == Connection::Kind::kUnmanaged &&
                    connection_->unresponsive();
  if (connection_ && !keep) {
    if (connection_.use_count() == 1) {
      // The last reference: closed here by the deadline, not by the connection's destructor,
      // which has none. (Only this env could take another reference.)
      const Status closed = connection_->close(deadline);
      if (!closed.ok()) logger().warn("{}", closed.message());
    }
    connection_.reset();
  }
  return status;
}

Status Env::sendParam(const std::string& key, const std::string& value, std::string* reply,
                      bool resendOnReset) {
  std::vector<std::string> replies;
  CGYM_RETURN_IF_ERROR(sendParams({{key, value}}, &replies, resendOnReset));
  *reply = std::move(replies[0]);
  return Status::OK();
}

Status Env::sendParams(const std::vector<std::pair<std::string, std::string>>& params,
                       std::vector<std::string>* replies, bool resendOnReset) {
  CGYM_RETURN_IF_ERROR(checkParams(params));
  // Recorded first, as in CompilerGym, so that parameters sent before the first reset are
  // sent by it. Sending a key again says whether it is still resent.
  const std::vector<KeptParam> before = resendOnReset ? paramsToResend_ : std::vector<KeptParam>();
  for (const auto& [key, value] : params) {
    auto kept = std::find_if(paramsToResend_.begin(), paramsToResend_.end(),
                             [&key = key](const KeptParam& p) { return p.key == key; });
    if (!resendOnReset) {
      if (kept != paramsToResend_.end()) paramsToResend_.erase(kept);
    } else if (kept != paramsToResend_.end()) {
      kept->value = value;
      kept->accepted = false;
    } else {
      paramsToResend_.push_back({key, value, false});
    }
  }
  if (!sessionId_) return sessionNotStarted("send_params");
  Status status = sendParamsNow(params, replies);
  if (resendOnReset) {
    if (!status.ok()) {
      // Rejected: not kept (a key kept before keeps its earlier value).
      paramsToResend_ = before;
    } else {
      for (KeptParam& param : paramsToResend_) {
        for (const auto& sent : params) {
          if (param.key == sent.first) param.accepted = true;
        }
      }
    }
  }
  return status;
}

Status Env::sendParamsNow(const std::vector<std::pair<std::string, std::string>>& params,
                          std::vector<std::string>* replies, double timeout, Deadline deadline) {
  SendSessionParameterRequest request;
  request.set_session_id(*sessionId_);
  for (const auto& [key, value] : params) {
    SessionParameter* param = request.add_parameter();
    param->set_key(key);
    param->set_value(value);
  }
  SendSessionParameterReply reply;
  CGYM_RETURN_IF_ERROR(callService(Rpc::kSendSessionParameter, request, &reply, timeout, deadline));
  if (reply.reply_size() != static_cast<int>(params.size())) {
    return Status(StatusCode::kServiceTransport,
                  "Sent " + plural(params.size(), "parameter") + " but received " +
                      plural(reply.reply_size(), "response") + " from the service");
  }
  replies->assign(reply.reply().begin(), reply.reply().end());
  return Status::OK();
}

Status Env::actionsToString(const std::vector<Event>& actions, std::string* out) const {
  const Space& space = actionSpace().space();
  std::ostringstream text;
  for (size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].value_case() != Event::kInt64Value) {
      // int64_value() of any other event is 0, which would name another action.
      const google::protobuf::FieldDescriptor* kind =
          Event::descriptor()->FindFieldByNumber(actions[i].value_case());
      return Status(StatusCode::kInvalidArgument,
                    "The commandline can only name int64 actions, but action " + std::to_string(i) +
                        " is " + (kind ? "an Event with " + kind->name() : "an empty Event"));
    }
    const int64_t value = actions[i].int64_value();
    if (space.has_named_discrete()) {
      if (value < 0 || value >= space.named_discrete().name_size()) {
        return Status(StatusCode::kInvalidArgument,
                      "Action out of range: " + std::to_string(value));
      }
      text << (i ? " " : "") << space.named_discrete().name(static_cast<int>(value));
    } else {
      text << (i ? "," : "") << value;
    }
  }
  *out = text.str();
  return Status::OK();
}

Status Env::actionsFromString(const std::string& text, std::vector<Event>* out) const {
  const Space& space = actionSpace().space();
  out->clear();
  if (space.has_named_discrete()) {
    std::istringstream words(text);
    for (std::string word; words >> word;) {
      const auto& names = space.named_discrete().name();
      auto it = std::find(names.begin(), names.end(), word);
      if (it == names.end()) {
        return Status(StatusCode::kInvalidArgument, "Unknown action: " + word);
      }
      out->emplace_back().set_int64_value(it - names.begin());
    }
    return Status::OK();
  }
  std::istringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    try {
      size_t used = 0;
      const long long value = std::stoll(item, &used);
      if (used != item.size()) throw std::invalid_argument(item);
      out->emplace_back().set_int64_value(value);
    } catch (const std::exception&) {
      return Status(StatusCode::kInvalidArgument, "Invalid action: '" + item + "'");
    }
  }
  return Status::OK();
}

Status Env::state(CompilerEnvState* out) const {
  CompilerEnvState state;
  state.benchmark = benchmark_ ? benchmark_->uri() : "";
  state.reward = episodeReward_;
  state.walltime = episodeWalltime();
  CGYM_RETURN_IF_ERROR(actionsToString(actions_, &state.commandline));
  *out = std::move(state);
  return Status::OK();
}

Status Env::apply(const CompilerEnvState& state) {
  if (!inEpisode() || !benchmark_ || benchmark_->uri() != state.benchmark) {
    if (inEpisode() && benchmark_) {
      logger().warn("Applying state from a different benchmark: {} (current {})", state.benchmark,
                    benchmark_->uri());
    }
    Benchmark benchmark;
    benchmark.set_uri(state.benchmark);
    if (nextBenchmark_ && nextBenchmark_->uri() == state.benchmark) benchmark = *nextBenchmark_;
    ResetOptions options;
    options.benchmark = benchmark;
    CGYM_RETURN_IF_ERROR(reset(options));
  }
  std::vector<Event> actions;
  CGYM_RETURN_IF_ERROR(actionsFromString(state.commandline, &actions));
  for (const Event& action : actions) {
    StepResult result;
    CGYM_RETURN_IF_ERROR(step(action, &result));
    if (result.done) {
      return Status(StatusCode::kInvalidArgument,
                    "Environment terminated with error: `" + result.info.error_details + "`");
    }
  }
  return Status::OK();
}

Status Env::validate(const std::optional<CompilerEnvState>& state, ValidationResult* result) {
  const auto start = Clock::now();
  *result = ValidationResult();
  if (state) {
    result->state = *state;
  } else {
    CGYM_RETURN_IF_ERROR(this->state(&result->state));
  }
  // Replay into a fork when validating the current state; into a fresh fork otherwise.
  std::unique_ptr<Env> replay;
  CGYM_RETURN_IF_ERROR(fork(&replay));
  Benchmark benchmark;
  benchmark.set_uri(result->state.benchmark);
  if (benchmark_ && benchmark_->uri() == benchmark.uri()) benchmark = *benchmark_;
  ResetOptions options;
  options.benchmark = benchmark;
  Status status = replay->reset(options);
  if (status.ok()) status = replay->apply(result->state);
  if (!status.ok()) {
    result->actions_replay_failed = true;
    result->errors.push_back({"Actions replay failed", ""});
    logger().warn("Validation replay failed: {}", status.message());
  } else if (rewardSpace_ && rewardSpace_->spec().deterministic && result->state.reward) {
    result->reward_validated = true;
    const double expected = *result->state.reward;
    const double actual = replay->episodeReward().value_or(0);
    // math.isclose(rel_tol=1e-5, abs_tol=1e-10)
    const double tolerance =
        std::max(1e-5 * std::max(std::fabs(expected), std::fabs(actual)), 1e-10);
    if (std::fabs(expected - actual) > tolerance) {
      result->reward_validation_failed = true;
      std::ostringstream data;
      data << "{\"expected_reward\": " << pythonFloatRepr(expected)
           << ", \"actual_reward\": " << pythonFloatRepr(actual) << "}";
      result->errors.push_back({"Reward validation failed", data.str()});
    }
  }
  if (status.ok() && options_.validator) {
    const Status checked = options_.validator(*replay, result);
    if (!checked.ok()) {
      // The check itself could not run (no compiler, a service failure): a failed validation.
      result->benchmark_semantics_validation_failed = true;
      result->errors.push_back({"Benchmark semantics validation failed",
                                "{\"message\": " + nlohmann::json(checked.message()).dump() + "}"});
    }
  }
  Status closed = replay->close();
  if (!closed.ok()) logger().warn("{}", closed.message());
  result->walltime = std::chrono::duration<double>(Clock::now() - start).count();
  return Status::OK();
}

Status Env::fork(std::unique_ptr<Env>* out) {
  // One deadline for all of it: the replay of a dead parent, the fork, or the new service and
  // the replay of a service that cannot fork.
  const double timeout = CallOptions().timeout;
  const Deadline deadline = Deadline::after(timeout);
  if (!inEpisode()) {
    // The parent's service died (or it never started): restart the episode and replay.
    std::vector<Event> actions = actions_;
    if (!actions.empty()) logger().warn("Parent service of fork() has died, replaying state");
    ResetOptions again;
    again.timeout = deadline.remaining();
    CGYM_RETURN_IF_ERROR(reset(again));
    if (!actions.empty()) {
      StepResult result;
      StepOptions none;
      none.observation_spaces = std::vector<std::string>{};
      none.reward_spaces = std::vector<std::string>{};
      none.timeout = deadline.remaining();
      CGYM_RETURN_IF_ERROR(step(actions, &result, none));
    }
  }
  EnvOptions options;
  options.connection = options_.connection;
  options.converters = options_.converters;
  options.validator = options_.validator;
  options.useDefaultRewards = false;
  std::unique_ptr<Env> child;

  ForkSessionRequest request;
  request.set_session_id(*sessionId_);
  ForkSessionReply reply;
  Status status = callService(Rpc::kForkSession, request, &reply, timeout, deadline);
  if (status.ok()) {
    child.reset(new Env(endpoint_, std::move(options), connection_));
    CGYM_RETURN_IF_ERROR(child->initSpaces());
    child->sessionId_ = reply.session_id();
    child->benchmark_ = benchmark_;
  } else if (status.code() == StatusCode::kUnimplemented) {
    // The service cannot fork: a new service, the same benchmark, the same actions.
    std::shared_ptr<Connection> connection;
    CGYM_RETURN_IF_ERROR(Connection::connect(endpoint_, options.connection, &connection, deadline));
    child.reset(new Env(endpoint_, std::move(options), std::move(connection)));
    CGYM_RETURN_IF_ERROR(child->initSpaces());
    child->actionSpaceIndex_ = actionSpaceIndex_;
    ResetOptions reset;
    reset.benchmark = benchmark_;
    reset.observation_space = "";
    reset.reward_space = "";
    reset.timeout = deadline.remaining();
    CGYM_RETURN_IF_ERROR(child->reset(reset));
    if (!actions_.empty()) {
      StepResult result;
      StepOptions replay;
      replay.timeout = deadline.remaining();
      CGYM_RETURN_IF_ERROR(child->step(actions_, &result, replay));
    }
  } else {
    return status;
  }
  // The same spaces and reward state as the parent.
  CGYM_RETURN_IF_ERROR(copySettingsTo(child.get(), "fork()"));
  child->benchmark_ = benchmark_;
  child->episodeReward_ = episodeReward_;
  child->episodeStart_ = episodeStart_;
  child->actions_ = actions_;
  *out = std::move(child);
  return Status::OK();
}

Status Env::copySettingsTo(Env* child, const char* what) const {
  child->actionSpaces_ = actionSpaces_;
  child->actionSpaceIndex_ = actionSpaceIndex_;
  child->rewards_.clear();
  child->rewardSpace_ = nullptr;
  for (const auto& reward : rewards_) {
    std::unique_ptr<Reward> copy = reward->clone();
    if (!copy) {
      return Status(StatusCode::kCallbackError,
                    "Reward '" + reward->name() + "' could not be copied for " + what);
    }
    child->rewards_.push_back(std::move(copy));
    if (reward.get() == rewardSpace_) child->rewardSpace_ = child->rewards_.back().get();
  }
  child->observationSpace_ =
      observationSpace_ ? &child->observationSpaces_[observationSpace_->index] : nullptr;
  child->nextBenchmark_ = nextBenchmark_;
  child->paramsToResend_ = paramsToResend_;
  child->versions_ = versions_;
  return Status::OK();
}

Status Env::sibling(std::unique_ptr<Env>* out) {
  CGYM_RETURN_IF_ERROR(ensureConnection());
  if (!slot_) {
    slot_ = std::make_shared<ServiceSlot>();
    slot_->connection = connection_;
  }
  EnvOptions options;
  options.connection = options_.connection;
  options.converters = options_.converters;
  options.validator = options_.validator;
  options.useDefaultRewards = false;
  std::unique_ptr<Env> child(new Env(endpoint_, std::move(options), connection_));
  CGYM_RETURN_IF_ERROR(child->initSpaces());
  CGYM_RETURN_IF_ERROR(copySettingsTo(child.get(), "a sibling"));
  child->slot_ = slot_;
  child->nextBenchmark_ = nextBenchmark_ ? nextBenchmark_ : benchmark_;
  *out = std::move(child);
  return Status::OK();
}

}  // namespace cgym::client
