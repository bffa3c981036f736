// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "service/compilation_session.h"

namespace cgym::testing {

// A gate that blocks threads until it is opened, with a bounded wait so that a broken test
// fails instead of hanging.
class Gate {
 public:
  void open();
  void close();
  // Blocks until open; false after 60 s.
  bool wait();
  // Number of threads currently waiting.
  int waiting() const { return waiting_.load(); }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
  std::atomic<int> waiting_{0};
};

// Shared between the test and the sessions it makes.
struct TestSessionControl {
  Gate initGate;    // init() of "benchmark://block-init" waits here
  Gate actionGate;  // action -5 waits here
  std::atomic<int> liveSessions{0};
  std::atomic<int> destroyed{0};
};
TestSessionControl& control();

// A session that exercises every path of the runtime. Actions are int64 values:
//   v >= 0  add v to the counter (v == 0 has no effect)
//   -1      end the episode
//   -2      fail with FAILED_PRECONDITION "boom"
//   -3      throw std::runtime_error("kaboom")
//   -4      switch to action space "other"
//   -5      wait at control().actionGate, then add 1
// Observations: "counter" (int64), "end_of_step_calls" (int64), "fail" (always DATA_LOSS).
// endOfStep ends the episode once the counter reaches 100.
// Benchmarks: "benchmark://fail-init" fails init with INVALID_ARGUMENT "init failed";
// "benchmark://block-init" waits at control().initGate; "benchmark://no-fork" sessions cannot
// be forked. Parameters: "test.echo" replies the value, "test.fail" fails with ABORTED.
class TestSession final : public CompilationSession {
 public:
  explicit TestSession(std::filesystem::path workingDirectory);
  ~TestSession() override;

  std::string getCompilerVersion() const override { return "test-compiler 2.0"; }
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
  Status endOfStep(bool actionHadNoEffect, bool& endOfEpisode,
                   std::optional<compiler_gym::ActionSpace>& newActionSpace) override;
  Status handleSessionParameter(const std::string& key, const std::string& value,
                                std::optional<std::string>& reply) override;

 private:
  // Deliberately not atomic, and updated with a read-yield-write, so that two unserialised
  // calls on one session lose updates and the per-session lock test can fail.
  int64_t counter_ = 0;
  int64_t endOfStepCalls_ = 0;
  bool forkable_ = true;
};

}  // namespace cgym::testing
