// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "client/env.h"
#include "client/transport.h"
#include "common/status.h"

namespace cgym::client {

// A step and how it ended: `status` is what Env::step() returned (OK when the step ran, even
// if it ended the episode on a service failure), `result` what it gave.
struct StepOutcome {
  StepResult result;
  Status status;
};

// Steps of many envs in flight at once, taken back in the order they complete: one thread
// keeps N sessions busy on one or several services. Over gRPC, every submitted step is on the
// wire at once (one completion queue for all); in-process steps run at submit(). Used by one
// thread at a time.
class StepQueue {
 public:
  StepQueue();
  // Waits for the steps in flight and completes them (their envs are then up to date and free
  // again); their results are dropped.
  ~StepQueue();
  StepQueue(const StepQueue&) = delete;
  StepQueue& operator=(const StepQueue&) = delete;

  // Starts a step of `env` (Env::step()'s arguments). Errors found before sending are
  // returned, with nothing queued; FAILED_PRECONDITION if `env` has a step in flight.
  Status submit(Env* env, const std::vector<compiler_gym::Event>& actions,
                const StepOptions& options, uint64_t tag);

  struct Completed {
    uint64_t tag = 0;
    Env* env = nullptr;  // null if the env was abandoned
    StepOutcome outcome;
  };
  // The next completed step, waiting up to `timeoutSeconds`. OUT_OF_RANGE "No step in the
  // queue" if empty; DEADLINE_EXCEEDED if none completed in time; INVALID_ARGUMENT for a NaN
  // or negative timeout.
  Status next(double timeoutSeconds, Completed* out);

  // Steps submitted and not yet taken.
  size_t size() const { return queue_.size(); }
  bool inFlight(const Env* env) const { return pending_.count(env) != 0; }
  // `env` is going away with a step in flight: its outcome will be CANCELLED and the env is
  // not touched again.
  void abandon(const Env* env);

 private:
  struct Pending;
  void complete(Pending* pending, Completed* out);

  std::unordered_map<const Env*, std::unique_ptr<Pending>> pending_;
  std::vector<std::unique_ptr<Pending>> abandoned_;  // no env any more; still on the wire
  // Last, so destroyed first: it waits for the calls on the wire, which write into Pendings.
  AsyncQueue queue_;
};

}  // namespace cgym::client
