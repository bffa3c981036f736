// SPDX-License-Identifier: MIT
#include "client/step_queue.h"

#include <cmath>
#include <limits>

namespace cgym::client {

using namespace compiler_gym;

struct StepQueue::Pending {
  Env* env = nullptr;  // null once abandoned
  uint64_t tag = 0;
  PendingStep step;
  AsyncCall call;
  // The connection the step went out on: finishing it may retry on it.
  std::shared_ptr<Connection> connection;
};

StepQueue::StepQueue() = default;

StepQueue::~StepQueue() {
  while (!pending_.empty() || !abandoned_.empty()) {
    Completed dropped;
    if (!next(std::numeric_limits<double>::infinity(), &dropped).ok()) break;
  }
}

Status StepQueue::submit(Env* env, const std::vector<Event>& actions, const StepOptions& options,
                         uint64_t tag) {
  if (inFlight(env)) {
    return Status(StatusCode::kFailedPrecondition, "The env has a step in flight");
  }
  auto pending = std::make_unique<Pending>();
  pending->env = env;
  pending->tag = tag;
  pending->call.owner = pending.get();
  CGYM_RETURN_IF_ERROR(env->beginStep(actions, options, &pending->step));
  pending->connection = env->connection();
  Pending* raw = pending.get();
  pending_.emplace(env, std::move(pending));
  if (!raw->connection ||
      !raw->connection->startStep(raw->step.request, raw->step.deadline, &raw->call, &queue_)) {
    // Not sendable now (no connection, a closed one, an expired deadline): the synchronous
    // path reconnects or fails as Env::step() would, and the result is ready at once.
    raw->connection.reset();
    raw->call.status = env->sendStep(raw->step, &raw->call.reply);
    queue_.post(&raw->call);
  }
  return Status::OK();
}

void StepQueue::abandon(const Env* env) {
  auto it = pending_.find(env);
  if (it == pending_.end()) return;
  it->second->env = nullptr;
  abandoned_.push_back(std::move(it->second));
  pending_.erase(it);
}

Status StepQueue::next(double timeoutSeconds, Completed* out) {
  if (std::isnan(timeoutSeconds) || timeoutSeconds < 0) {
    return Status(StatusCode::kInvalidArgument,
                  "The timeout must be a non-negative number of seconds");
  }
  if (queue_.size() == 0) return Status(StatusCode::kOutOfRange, "No step in the queue");
  AsyncCall* call = queue_.next(timeoutSeconds);
  if (!call) return Status(StatusCode::kDeadlineExceeded, "No step completed in time");
  complete(static_cast<Pending*>(call->owner), out);
  return Status::OK();
}

void StepQueue::complete(Pending* pending, Completed* out) {
  *out = Completed();
  out->tag = pending->tag;
  out->env = pending->env;
  std::unique_ptr<Pending> owned;
  if (!pending->env) {
    for (auto it = abandoned_.begin(); it != abandoned_.end(); ++it) {
      if (it->get() == pending) {
        owned = std::move(*it);
        abandoned_.erase(it);
        break;
      }
    }
    out->outcome.status =
        Status(StatusCode::kCancelled, "The env was freed while its step was in flight");
    return;
  }
  auto it = pending_.find(pending->env);
  owned = std::move(it->second);
  pending_.erase(it);
  Status status = pending->call.status;
  if (pending->connection) {
    status = pending->connection->finishStep(pending->step.request, &pending->call,
                                             pending->step.timeout, pending->step.deadline);
  }
  out->outcome.status =
      pending->env->endStep(pending->step, status, &pending->call.reply, &out->outcome.result);
}

}  // namespace cgym::client
