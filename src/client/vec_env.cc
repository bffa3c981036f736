// SPDX-License-Identifier: MIT
#include "client/vec_env.h"

#include <algorithm>
#include <limits>
#include <thread>

#include "common/text.h"

namespace cgym::client {

using namespace compiler_gym;

namespace {

std::vector<std::string> splitEndpoints(const std::string& list) {
  std::vector<std::string> items;
  size_t start = 0;
  for (;;) {
    const size_t comma = list.find(',', start);
    items.push_back(
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

}  // namespace

Status makeEnvs(const std::string& endpoint, Connection::Kind kind, size_t numEnvs,
                size_t numServices, const EnvMaker& maker, std::vector<std::unique_ptr<Env>>* out,
                size_t* servicesUsed) {
  if (numEnvs == 0) {
    return Status(StatusCode::kInvalidArgument, "A vector env needs at least 1 env, got 0");
  }
  std::vector<std::string> endpoints;
  if (endpoint.find(',') != std::string::npos) {
    endpoints = splitEndpoints(endpoint);
    for (const std::string& item : endpoints) {
      if (item.empty()) {
        return Status(StatusCode::kInvalidArgument,
                      "Empty endpoint in the list \"" + truncateForMessage(endpoint) + "\"");
      }
    }
  } else if (kind == Connection::Kind::kManaged) {
    size_t count = numServices;
    if (count == 0) count = std::max(1u, std::thread::hardware_concurrency());
    endpoints.assign(count, endpoint);
  } else {
    endpoints.assign(1, endpoint);
  }
  const size_t services = std::min(endpoints.size(), numEnvs);
  std::vector<std::unique_ptr<Env>> envs(numEnvs);
  for (size_t s = 0; s < services; ++s) CGYM_RETURN_IF_ERROR(maker(endpoints[s], &envs[s]));
  for (size_t i = services; i < numEnvs; ++i) {
    CGYM_RETURN_IF_ERROR(envs[i % services]->sibling(&envs[i]));
  }
  *out = std::move(envs);
  *servicesUsed = services;
  return Status::OK();
}

VecEnv::VecEnv(std::vector<Env*> envs)
    : envs_(std::move(envs)),
      results_(envs_.size()),
      finals_(envs_.size()),
      ended_(envs_.size(), false) {}

Status VecEnv::setAutoreset(int32_t mode) {
  if (mode < 0 || mode > static_cast<int32_t>(AutoresetMode::kDisabled)) {
    return Status(StatusCode::kInvalidArgument, "Unknown autoreset mode " + std::to_string(mode) +
                                                    " (0: NEXT_STEP, 1: SAME_STEP, 2: DISABLED)");
  }
  mode_ = static_cast<AutoresetMode>(mode);
  return Status::OK();
}

StepOutcome VecEnv::failed(size_t i, const Status& status) const {
  StepOutcome outcome;
  outcome.status = status;
  StepResult& result = outcome.result;
  result.done = true;
  result.info.error_type = errorTypeName(status.code());
  result.info.error_details = status.message();
  if (const ObservationSpaceSpec* space = envs_[i]->observationSpace()) {
    result.observations.push_back(space->defaultValue());
  }
  if (envs_[i]->rewardSpace()) result.rewards.push_back(0);
  return outcome;
}

void VecEnv::record(size_t i, StepOutcome outcome) {
  results_[i] = outcome.status.ok() ? std::move(outcome) : failed(i, outcome.status);
  ended_[i] = results_[i]->result.done;
}

Status VecEnv::resetOne(size_t i, double timeout) {
  ResetOptions options;
  options.timeout = timeout;
  std::optional<Event> observation;
  const Status status = envs_[i]->reset(options, &observation);
  ended_[i] = !status.ok();
  if (!status.ok()) {
    results_[i] = failed(i, status);
    return status;
  }
  StepOutcome outcome;
  if (observation) outcome.result.observations.push_back(std::move(*observation));
  if (envs_[i]->rewardSpace()) outcome.result.rewards.push_back(0);
  results_[i] = std::move(outcome);
  return Status::OK();
}

Status VecEnv::reset(const uint8_t* mask, double timeout) {
  Status first;
  for (size_t i = 0; i < envs_.size(); ++i) {
    if (mask && !mask[i]) continue;
    finals_[i].reset();
    const Status status = resetOne(i, timeout);
    if (!status.ok() && first.ok()) {
      first = Status(status.code(), "env " + std::to_string(i) + ": " + status.message());
    }
  }
  return first;
}

Status VecEnv::step(const std::vector<int64_t>& actions, double timeout) {
  if (actions.size() != envs_.size()) {
    return Status(StatusCode::kInvalidArgument, "Expected " + std::to_string(envs_.size()) +
                                                    " actions (one per env), got " +
                                                    std::to_string(actions.size()));
  }
  StepOptions options;
  options.timeout = timeout;
  std::vector<size_t> toReset;
  Event action;
  for (size_t i = 0; i < envs_.size(); ++i) {
    finals_[i].reset();
    if (mode_ == AutoresetMode::kNextStep && ended_[i]) {
      toReset.push_back(i);
      continue;
    }
    action.set_int64_value(actions[i]);
    const std::shared_ptr<Connection>& connection = envs_[i]->connection();
    if (connection && connection->kind() == Connection::Kind::kInProcess) {
      // It would run at submit anyway: the queue's bookkeeping would only add to it.
      StepOutcome outcome;
      outcome.status = envs_[i]->step(action, &outcome.result, options);
      record(i, std::move(outcome));
      continue;
    }
    const Status submitted = queue_.submit(envs_[i], {action}, options, i);
    if (!submitted.ok()) {
      results_[i] = failed(i, submitted);
      ended_[i] = true;
    }
  }
  // Resets run here while the steps are on the wire.
  // A failed reset is in its outcome, and the env is reset again at the next step.
  for (size_t i : toReset) (void)resetOne(i, timeout);
  while (queue_.size() > 0) {
    StepQueue::Completed done;
    CGYM_RETURN_IF_ERROR(queue_.next(std::numeric_limits<double>::infinity(), &done));
    record(static_cast<size_t>(done.tag), std::move(done.outcome));
  }
  if (mode_ == AutoresetMode::kSameStep) {
    for (size_t i = 0; i < envs_.size(); ++i) {
      if (!ended_[i]) continue;
      finals_[i] = std::move(results_[i]);
      (void)resetOne(i, timeout);  // a failure is in its outcome
    }
  }
  return Status::OK();
}

}  // namespace cgym::client
