// SPDX-License-Identifier: MIT
// Many envs at once from C++ (client/vec_env.h, client/step_queue.h): how makeEnvs places envs
// on services, what a dead service does to the envs that share it (their episodes end, and the
// first of them to reset replaces the service for all), and a StepQueue that outlives or is
// outlived by its steps.
#include <gtest/gtest.h>
#include <signal.h>

#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "client/env.h"
#include "client/step_queue.h"
#include "client/vec_env.h"
#include "status_test_util.h"

namespace cgym::client {
namespace {

using compiler_gym::Benchmark;
using compiler_gym::Event;

constexpr double kForever = std::numeric_limits<double>::infinity();

EnvMaker exampleMaker() {
  return [](const std::string& endpoint, std::unique_ptr<Env>* out) {
    EnvOptions options;
    Benchmark benchmark;
    benchmark.set_uri("benchmark://example-compiler-v0/foo");
    benchmark.mutable_program()->set_contents("Ir data");
    options.benchmark = benchmark;
    options.observation_space = "ir";
    return Env::make(endpoint, std::move(options), out);
  };
}

std::vector<Env*> raw(const std::vector<std::unique_ptr<Env>>& envs) {
  std::vector<Env*> out;
  for (const auto& env : envs) out.push_back(env.get());
  return out;
}

Event action(int64_t value) {
  Event event;
  event.set_int64_value(value);
  return event;
}

TEST(MakeEnvsTest, SpreadsEnvsRoundRobinOverManagedServices) {
  std::vector<std::unique_ptr<Env>> envs;
  size_t services = 0;
  ASSERT_OK(makeEnvs(CGYM_EXAMPLE_SERVICE, Connection::Kind::kManaged, 5, 2, exampleMaker(), &envs,
                     &services));
  ASSERT_EQ(envs.size(), 5u);
  EXPECT_EQ(services, 2u);
  for (size_t i = 0; i < envs.size(); ++i) {
    EXPECT_EQ(envs[i]->connection(), envs[i % 2]->connection()) << "env " << i;
  }
  EXPECT_NE(envs[0]->connection(), envs[1]->connection());
  EXPECT_NE(envs[0]->connection()->pid(), envs[1]->connection()->pid());
}

TEST(MakeEnvsTest, NeverMoreServicesThanEnvs) {
  std::vector<std::unique_ptr<Env>> envs;
  size_t services = 0;
  ASSERT_OK(makeEnvs(CGYM_EXAMPLE_SERVICE, Connection::Kind::kManaged, 2, 8, exampleMaker(), &envs,
                     &services));
  EXPECT_EQ(services, 2u);
}

TEST(MakeEnvsTest, RejectsNoEnvsAndEmptyListItems) {
  std::vector<std::unique_ptr<Env>> envs;
  size_t services = 0;
  EXPECT_STATUS(makeEnvs(CGYM_EXAMPLE_SERVICE, Connection::Kind::kManaged, 0, 1, exampleMaker(),
                         &envs, &services),
                kInvalidArgument, "A vector env needs at least 1 env, got 0");
  EXPECT_STATUS(makeEnvs("localhost:1,,localhost:2", Connection::Kind::kUnmanaged, 2, 0,
                         exampleMaker(), &envs, &services),
                kInvalidArgument, "Empty endpoint in the list \"localhost:1,,localhost:2\"");
}

TEST(VecEnvTest, ADeadServiceEndsItsEnvsOnlyAndIsReplacedOnceForAll) {
  std::vector<std::unique_ptr<Env>> envs;
  size_t services = 0;
  ASSERT_OK(makeEnvs(CGYM_EXAMPLE_SERVICE, Connection::Kind::kManaged, 6, 2, exampleMaker(), &envs,
                     &services));
  VecEnv vec(raw(envs));
  ASSERT_OK(vec.reset(nullptr, 60));
  const std::optional<int> dead = envs[0]->connection()->pid();
  ASSERT_TRUE(dead.has_value());
  ASSERT_EQ(kill(*dead, SIGKILL), 0);

  ASSERT_OK(vec.step(std::vector<int64_t>(6, 0), 60));
  for (size_t i = 0; i < 6; ++i) {
    const StepOutcome* outcome = vec.result(i);
    ASSERT_NE(outcome, nullptr);
    // A failed service is not an error of the step: its episode is over.
    EXPECT_TRUE(outcome->status.ok()) << outcome->status.message();
    EXPECT_EQ(outcome->result.done, i % 2 == 0) << "env " << i;
    EXPECT_EQ(outcome->result.info.error_type.empty(), i % 2 == 1) << "env " << i;
  }

  // NEXT_STEP: the ended envs are reset at this step, on one new service.
  ASSERT_OK(vec.step(std::vector<int64_t>(6, 0), 60));
  std::set<int> pids;
  for (size_t i = 0; i < 6; ++i) {
    const StepOutcome* outcome = vec.result(i);
    EXPECT_FALSE(outcome->result.done) << "env " << i;
    EXPECT_EQ(outcome->result.observations.size(), 1u) << "env " << i;
    ASSERT_NE(envs[i]->connection(), nullptr);
    pids.insert(envs[i]->connection()->pid().value_or(-1));
  }
  EXPECT_EQ(pids.size(), 2u);
  EXPECT_EQ(pids.count(*dead), 0u);
  EXPECT_EQ(envs[0]->connection(), envs[2]->connection());
  EXPECT_EQ(envs[0]->connection(), envs[4]->connection());
}

TEST(StepQueueTest, DestroyingTheQueueCompletesItsStepsIntoTheirEnvs) {
  std::vector<std::unique_ptr<Env>> envs;
  size_t services = 0;
  ASSERT_OK(makeEnvs(CGYM_EXAMPLE_SERVICE, Connection::Kind::kManaged, 3, 1, exampleMaker(), &envs,
                     &services));
  for (auto& env : envs) ASSERT_OK(env->reset());
  {
    StepQueue queue;
    for (size_t i = 0; i < envs.size(); ++i) {
      ASSERT_OK(queue.submit(envs[i].get(), {action(0)}, {}, i));
    }
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_STATUS(queue.submit(envs[0].get(), {action(0)}, {}, 9), kFailedPrecondition,
                  "The env has a step in flight");
  }
  for (auto& env : envs) EXPECT_EQ(env->actions().size(), 1u);
  StepResult result;
  ASSERT_OK(envs[0]->step(action(0), &result));
  EXPECT_EQ(envs[0]->actions().size(), 2u);
}

TEST(StepQueueTest, AnAbandonedStepComesOutCancelled) {
  std::vector<std::unique_ptr<Env>> envs;
  size_t services = 0;
  ASSERT_OK(makeEnvs(CGYM_EXAMPLE_SERVICE, Connection::Kind::kManaged, 2, 1, exampleMaker(), &envs,
                     &services));
  for (auto& env : envs) ASSERT_OK(env->reset());
  StepQueue queue;
  ASSERT_OK(queue.submit(envs[0].get(), {action(0)}, {}, 7));
  ASSERT_OK(queue.submit(envs[1].get(), {action(0)}, {}, 8));
  queue.abandon(envs[0].get());
  envs[0].reset();
  std::set<uint64_t> tags;
  for (int i = 0; i < 2; ++i) {
    StepQueue::Completed done;
    ASSERT_OK(queue.next(kForever, &done));
    tags.insert(done.tag);
    if (done.tag == 7) {
      EXPECT_EQ(done.env, nullptr);
      EXPECT_STATUS(done.outcome.status, kCancelled,
                    "The env was freed while its step was in flight");
    } else {
      EXPECT_EQ(done.env, envs[1].get());
      ASSERT_OK(done.outcome.status);
      EXPECT_EQ(done.outcome.result.observations.size(), 1u);
    }
  }
  EXPECT_EQ(tags, (std::set<uint64_t>{7, 8}));
  StepQueue::Completed none;
  EXPECT_STATUS(queue.next(0, &none), kOutOfRange, "No step in the queue");
  EXPECT_STATUS(queue.next(-1, &none), kInvalidArgument,
                "The timeout must be a non-negative number of seconds");
}

}  // namespace
}  // namespace cgym::client
