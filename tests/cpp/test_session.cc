// SPDX-License-Identifier: MIT
#include "test_session.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace cgym::testing {

using namespace compiler_gym;

void Gate::open() {
  std::lock_guard<std::mutex> lock(mutex_);
  open_ = true;
  cv_.notify_all();
}

void Gate::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  open_ = false;
}

bool Gate::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  ++waiting_;
  const bool opened = cv_.wait_for(lock, std::chrono::seconds(60), [this] { return open_; });
  --waiting_;
  return opened;
}

TestSessionControl& control() {
  static TestSessionControl instance;
  return instance;
}

TestSession::TestSession(std::filesystem::path workingDirectory)
    : CompilationSession(std::move(workingDirectory)) {
  ++control().liveSessions;
}

TestSession::~TestSession() {
  --control().liveSessions;
  ++control().destroyed;
}

std::vector<ActionSpace> TestSession::getActionSpaces() const {
  ActionSpace main;
  main.set_name("main");
  main.mutable_space()->mutable_int64_value()->set_min(-5);
  ActionSpace other;
  other.set_name("other");
  other.mutable_space()->mutable_discrete()->set_n(2);
  return {main, other};
}

std::vector<ObservationSpace> TestSession::getObservationSpaces() const {
  std::vector<ObservationSpace> spaces(3);
  spaces[0].set_name("counter");
  spaces[0].mutable_space()->mutable_int64_value();
  spaces[0].mutable_default_observation()->set_int64_value(0);
  spaces[1].set_name("end_of_step_calls");
  spaces[1].mutable_space()->mutable_int64_value()->set_min(0);
  spaces[2].set_name("fail");
  spaces[2].mutable_space()->mutable_string_value();
  return spaces;
}

Status TestSession::init(const ActionSpace&, const Benchmark& benchmark) {
  if (benchmark.uri() == "benchmark://fail-init") {
    return Status(StatusCode::kInvalidArgument, "init failed");
  }
  if (benchmark.uri() == "benchmark://block-init" && !control().initGate.wait()) {
    return Status(StatusCode::kDeadlineExceeded, "init gate never opened");
  }
  forkable_ = benchmark.uri() != "benchmark://no-fork";
  return Status::OK();
}

Status TestSession::init(CompilationSession* other) {
  auto* base = static_cast<TestSession*>(other);
  if (!base->forkable_) return CompilationSession::init(other);
  counter_ = base->counter_;
  endOfStepCalls_ = base->endOfStepCalls_;
  return Status::OK();
}

Status TestSession::applyAction(const Event& action, bool& endOfEpisode,
                                std::optional<ActionSpace>& newActionSpace,
                                bool& actionHadNoEffect) {
  const int64_t v = action.int64_value();
  if (v == -1) {
    endOfEpisode = true;
  } else if (v == -2) {
    return Status(StatusCode::kFailedPrecondition, "boom");
  } else if (v == -3) {
    throw std::runtime_error("kaboom");
  } else if (v == -4) {
    newActionSpace = getActionSpaces()[1];
  } else if (v == -5) {
    if (!control().actionGate.wait()) {
      return Status(StatusCode::kDeadlineExceeded, "action gate never opened");
    }
    counter_ += 1;
  } else if (v >= 0) {
    const int64_t read = counter_;
    std::this_thread::yield();
    counter_ = read + v;
    actionHadNoEffect = v == 0;
  } else {
    return Status(StatusCode::kInvalidArgument, "Out-of-range");
  }
  return Status::OK();
}

Status TestSession::computeObservation(const ObservationSpace& space, Event& observation) {
  if (space.name() == "counter") {
    observation.set_int64_value(counter_);
  } else if (space.name() == "end_of_step_calls") {
    observation.set_int64_value(endOfStepCalls_);
  } else {
    return Status(StatusCode::kDataLoss, "observation failed");
  }
  return Status::OK();
}

Status TestSession::endOfStep(bool, bool& endOfEpisode, std::optional<ActionSpace>&) {
  ++endOfStepCalls_;
  if (counter_ >= 100) endOfEpisode = true;
  return Status::OK();
}

Status TestSession::handleSessionParameter(const std::string& key, const std::string& value,
                                           std::optional<std::string>& reply) {
  if (key == "test.echo") {
    reply = value;
  } else if (key == "test.fail") {
    return Status(StatusCode::kAborted, "parameter failed");
  }
  return Status::OK();
}

}  // namespace cgym::testing
