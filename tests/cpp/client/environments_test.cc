// SPDX-License-Identifier: MIT
// Environments by name from C++ (client/environments.h): the ids, make() of an id with its
// default spaces and rewards, CostReward's errors and formulas, and a CostReward's clone, which
// keeps its state: alone, and in the fork of an env. The tests that run the LLVM environment
// need its service binary (CGYM_LLVM_SERVICE, defined when the LLVM environment is built).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/env.h"
#include "client/environments.h"
#include "status_test_util.h"

namespace cgym::client {
namespace {

using compiler_gym::Benchmark;
using compiler_gym::Event;

const std::vector<std::string> kIds = {"llvm-v0", "llvm-ic-v0", "llvm-codesize-v0",
                                       "llvm-autophase-ic-v0", "llvm-autophase-codesize-v0"};

Event int64Event(int64_t value) {
  Event event;
  event.set_int64_value(value);
  return event;
}

// An ObservationView of fixed scalar values that counts what it is asked.
class FixedView final : public ObservationView {
 public:
  explicit FixedView(std::map<std::string, int64_t> values) : values_(std::move(values)) {}
  Status observe(const std::string& name, Event* observation) override {
    ++calls;
    auto it = values_.find(name);
    if (it == values_.end()) return Status(StatusCode::kNotFound, "no space " + name);
    *observation = int64Event(it->second);
    return Status::OK();
  }
  int calls = 0;

 private:
  std::map<std::string, int64_t> values_;
};

// The reward of a step whose cost observation is `cost` (one observation per declared space,
// all of them the cost: the rewards here declare only their cost space).
double updateWith(Reward& reward, int64_t cost, ObservationView& view) {
  std::vector<Event> observations(reward.observationSpaces().size(), int64Event(cost));
  double value = -1;
  const Status status = reward.update({int64Event(0)}, observations, view, &value);
  EXPECT_TRUE(status.ok()) << status.message();
  return value;
}

Benchmark benchmark(const std::string& uri) {
  Benchmark out;
  out.set_uri(uri);
  return out;
}

TEST(EnvironmentIds, InOrder) { EXPECT_EQ(environmentIds(), kIds); }

TEST(Make, UnknownIdListsTheIds) {
  std::unique_ptr<Env> env;
  const Status status = make("llvm-v1", "", MakeOptions(), &env);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  for (const std::string& id : kIds) {
    EXPECT_NE(status.message().find(id), std::string::npos) << status.message();
  }
  EXPECT_EQ(env, nullptr);
  std::string path;
  EXPECT_EQ(findEnvironmentService("llvm-v1", false, &path).code(), StatusCode::kNotFound);
}

TEST(CostReward, CreateErrors) {
  std::unique_ptr<CostReward> reward;
  Status status = CostReward::create("R", "Cost", "Cost0", "", CostReward::Kind::kBaseline, true,
                                     false, &reward);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.message();
  EXPECT_FALSE(status.message().empty());
  EXPECT_EQ(reward, nullptr);
  status = CostReward::create("R", "Cost", "Cost0", "", static_cast<CostReward::Kind>(3), true,
                              false, &reward);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.message();
  EXPECT_EQ(reward, nullptr);
}

TEST(CostReward, Spec) {
  std::unique_ptr<CostReward> reward;
  ASSERT_OK(CostReward::create("R", "Cost", "Cost0", "CostB", CostReward::Kind::kBaseline, true,
                               false, &reward));
  EXPECT_EQ(reward->name(), "R");
  EXPECT_TRUE(reward->spec().deterministic);
  EXPECT_FALSE(reward->spec().platformDependent);
  ASSERT_TRUE(reward->spec().successThreshold.has_value());
  EXPECT_EQ(*reward->spec().successThreshold, 1.0);
  ASSERT_FALSE(reward->observationSpaces().empty());
  EXPECT_EQ(reward->observationSpaces()[0], "Cost");
}

// The three kinds, over two steps, from C0 = 100 and Cb = 60.
TEST(CostReward, Formulas) {
  FixedView view({{"Cost0", 100}, {"CostB", 60}});
  const Benchmark b = benchmark("benchmark://test-v0/a");
  struct Case {
    CostReward::Kind kind;
    double first, second;  // costs 90, then 75
  };
  const Case cases[] = {{CostReward::Kind::kDelta, 10.0, 15.0},
                        {CostReward::Kind::kNormalized, 10.0 / 100.0, 15.0 / 100.0},
                        {CostReward::Kind::kBaseline, 10.0 / 40.0, 15.0 / 40.0}};
  for (const Case& c : cases) {
    std::unique_ptr<CostReward> reward;
    ASSERT_OK(CostReward::create("R", "Cost", "Cost0",
                                 c.kind == CostReward::Kind::kBaseline ? "CostB" : "", c.kind, true,
                                 false, &reward));
    ASSERT_OK(reward->reset(b, view));
    EXPECT_EQ(updateWith(*reward, 90, view), c.first);
    EXPECT_EQ(updateWith(*reward, 75, view), c.second);
  }
}

// The divisor is at least 1: a baseline no better than the benchmark.
TEST(CostReward, BaselineDivisorIsAtLeastOne) {
  FixedView view({{"Cost0", 100}, {"CostB", 120}});
  std::unique_ptr<CostReward> reward;
  ASSERT_OK(CostReward::create("R", "Cost", "Cost0", "CostB", CostReward::Kind::kBaseline, true,
                               false, &reward));
  ASSERT_OK(reward->reset(benchmark("benchmark://test-v0/a"), view));
  EXPECT_EQ(updateWith(*reward, 97, view), 3.0);
}

// A clone continues from its original's previous cost and keeps its divisor (not read again),
// and the two go on independently.
TEST(CostReward, CloneKeepsState) {
  FixedView view({{"Cost0", 100}, {"CostB", 60}});
  std::unique_ptr<CostReward> reward;
  ASSERT_OK(CostReward::create("R", "Cost", "Cost0", "CostB", CostReward::Kind::kBaseline, true,
                               false, &reward));
  ASSERT_OK(reward->reset(benchmark("benchmark://test-v0/a"), view));
  EXPECT_EQ(updateWith(*reward, 90, view), 10.0 / 40.0);
  const int calls = view.calls;

  std::unique_ptr<Reward> clone = reward->clone();
  ASSERT_NE(clone, nullptr);
  EXPECT_EQ(clone->name(), "R");
  EXPECT_EQ(updateWith(*clone, 80, view), 10.0 / 40.0);
  EXPECT_EQ(view.calls, calls);
  EXPECT_EQ(updateWith(*reward, 70, view), 20.0 / 40.0);
  EXPECT_EQ(updateWith(*clone, 80, view), 0.0);
  EXPECT_EQ(view.calls, calls);
}

#if defined(CGYM_LLVM_SERVICE)

// The LLVM environment's service binary built with these tests, whatever the environment says.
class LlvmMake : public ::testing::Test {
 protected:
  void SetUp() override { setenv("CGYM_LLVM_SERVICE", CGYM_LLVM_SERVICE, 1); }

  static double observe(Env& env, const std::string& space) {
    Event event;
    const Status status = env.observe(space, &event);
    EXPECT_TRUE(status.ok()) << space << ": " << status.message();
    return scalarValue(event).value_or(-1);
  }

  static Event flag(const Env& env, const std::string& name) {
    const auto& names = env.actionSpace().space().named_discrete().name();
    for (int i = 0; i < names.size(); ++i) {
      if (names[i] == name) return int64Event(i);
    }
    ADD_FAILURE() << "no action " << name;
    return int64Event(-1);
  }
};

TEST_F(LlvmMake, FindsTheService) {
  std::string path;
  ASSERT_OK(findEnvironmentService("llvm-ic-v0", false, &path));
  EXPECT_EQ(path, CGYM_LLVM_SERVICE);
  setenv("CGYM_LLVM_SERVICE", "/nonexistent/cgym-environments-test/cgym-llvm-service", 1);
  const Status status = findEnvironmentService("llvm-ic-v0", false, &path);
  EXPECT_EQ(status.code(), StatusCode::kEnvironmentNotSupported) << status.message();
  std::unique_ptr<Env> env;
  EXPECT_EQ(make("llvm-ic-v0", "", MakeOptions(), &env).code(),
            StatusCode::kEnvironmentNotSupported);
  EXPECT_EQ(env, nullptr);
}

// An id's defaults: the benchmark, no observation space, IrInstructionCountOz as the reward,
// the twelve cost rewards; and the reward of a step is its formula's.
TEST_F(LlvmMake, DefaultsOfAnId) {
  std::unique_ptr<Env> env;
  ASSERT_OK(make("llvm-ic-v0", "", MakeOptions(), &env));
  ASSERT_NE(env, nullptr);
  ASSERT_OK(env->reset());
  ASSERT_TRUE(env->benchmark().has_value());
  EXPECT_EQ(env->benchmark()->uri(), "benchmark://cgym-v0/sorting");
  EXPECT_EQ(env->observationSpace(), nullptr);
  ASSERT_NE(env->rewardSpace(), nullptr);
  EXPECT_EQ(env->rewardSpace()->name(), "IrInstructionCountOz");
  const std::vector<std::unique_ptr<Reward>> rewards = llvmRewards();
  ASSERT_EQ(rewards.size(), 12u);
  for (const auto& reward : rewards) {
    EXPECT_NE(env->findReward(reward->name()), nullptr) << reward->name();
  }

  const double initial = observe(*env, "IrInstructionCountO0");
  const double oz = observe(*env, "IrInstructionCountOz");
  StepResult result;
  ASSERT_OK(env->step(flag(*env, "-mem2reg"), &result));
  ASSERT_FALSE(result.done);
  ASSERT_EQ(result.rewards.size(), 1u);
  const double now = observe(*env, "IrInstructionCount");
  EXPECT_EQ(result.rewards[0], (initial - now) / std::max(initial - oz, 1.0));
}

// Options replace the id's spaces and benchmark.
TEST_F(LlvmMake, Options) {
  MakeOptions options;
  options.benchmark = benchmark("benchmark://cgym-v0/sum_squares");
  options.observation_space = "IrInstructionCount";
  options.reward_space = "";
  std::unique_ptr<Env> env;
  ASSERT_OK(make("llvm-autophase-codesize-v0", "", std::move(options), &env));
  std::optional<Event> observation;
  ASSERT_OK(env->reset({}, &observation));
  EXPECT_EQ(env->benchmark()->uri(), "benchmark://cgym-v0/sum_squares");
  EXPECT_EQ(env->rewardSpace(), nullptr);
  ASSERT_TRUE(observation.has_value());
  EXPECT_EQ(scalarValue(*observation), observe(*env, "IrInstructionCountO0"));
}

// A fork's rewards go on from where its parent's were: the delta of IrInstructionCount on the
// fork is the parent's, not the one from the unmodified benchmark.
TEST_F(LlvmMake, ForkKeepsRewardState) {
  MakeOptions options;
  options.benchmark = benchmark("benchmark://cgym-v0/fibonacci");
  options.reward_space = "IrInstructionCount";
  std::unique_ptr<Env> env;
  ASSERT_OK(make("llvm-v0", "", std::move(options), &env));
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(flag(*env, "-mem2reg"), &result));
  const double afterMem2reg = observe(*env, "IrInstructionCount");
  EXPECT_EQ(result.rewards.at(0), observe(*env, "IrInstructionCountO0") - afterMem2reg);

  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  ASSERT_NE(fork->rewardSpace(), nullptr);
  EXPECT_EQ(fork->rewardSpace()->name(), "IrInstructionCount");
  StepResult forkResult;
  ASSERT_OK(fork->step(flag(*fork, "-instcombine"), &forkResult));
  const double forkNow = observe(*fork, "IrInstructionCount");
  ASSERT_LT(forkNow, afterMem2reg);
  EXPECT_EQ(forkResult.rewards.at(0), afterMem2reg - forkNow);
  EXPECT_EQ(*fork->episodeReward(), *env->episodeReward() + forkResult.rewards.at(0));

  // The parent is where it was.
  ASSERT_OK(env->step(flag(*env, "-instcombine"), &result));
  EXPECT_EQ(result.rewards.at(0), afterMem2reg - observe(*env, "IrInstructionCount"));
}

#endif  // CGYM_LLVM_SERVICE

}  // namespace
}  // namespace cgym::client
