// SPDX-License-Identifier: MIT
// The service runtime through real gRPC on loopback: every RPC's success and error paths,
// with the exact error details CompilerGym's clients match on.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

#include "client/process.h"
#include "common/text.h"
#include "compiler_gym_service.grpc.pb.h"
#include "example_cc/example_session.h"
#include "grpc_test_util.h"
#include "service/grpc_server.h"
#include "service/service_core.h"
#include "test_session.h"

namespace cgym {
namespace {

using namespace compiler_gym;
using testing::call;
using testing::control;
using testing::intEvent;
using testing::TestSession;

// A ServiceCore served over gRPC on an ephemeral loopback port, and a client stub.
class Harness {
 public:
  explicit Harness(SessionFactory factory, ServiceCoreOptions coreOptions = {},
                   GrpcServerOptions serverOptions = {}) {
    core_ = std::make_unique<ServiceCore>(std::move(factory), coreOptions);
    Status status = GrpcServer::start(*core_, serverOptions, &server_);
    EXPECT_TRUE(status.ok()) << status.message();
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);
    channel_ =
        grpc::CreateCustomChannel(server_->target(), grpc::InsecureChannelCredentials(), args);
    stub_ = CompilerGymService::NewStub(channel_);
  }

  CompilerGymService::Stub& stub() { return *stub_; }
  ServiceCore& core() { return *core_; }
  GrpcServer& server() { return *server_; }

 private:
  std::unique_ptr<ServiceCore> core_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<CompilerGymService::Stub> stub_;
};

template <typename T>
SessionFactory factoryOf() {
  return [](const std::filesystem::path& wd) { return std::make_unique<T>(wd); };
}

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest() : harness_(factoryOf<TestSession>()) {}

  grpc::Status start(const std::string& uri, StartSessionReply* reply,
                     std::vector<int32_t> observations = {}, int32_t actionSpace = 0,
                     bool withProgram = true) {
    StartSessionRequest request;
    request.mutable_benchmark()->set_uri(uri);
    if (withProgram) request.mutable_benchmark()->mutable_program()->set_contents("program");
    request.set_action_space(actionSpace);
    for (int32_t i : observations) request.add_observation_space(i);
    return call(stub(), &CompilerGymService::Stub::StartSession, request, reply);
  }

  int64_t startOk(const std::string& uri = "benchmark://test/a") {
    StartSessionReply reply;
    grpc::Status status = start(uri, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.session_id();
  }

  grpc::Status step(int64_t id, std::vector<int64_t> actions, std::vector<int32_t> observations,
                    StepReply* reply) {
    StepRequest request;
    request.set_session_id(id);
    for (int64_t a : actions) *request.add_action() = intEvent(a);
    for (int32_t i : observations) request.add_observation_space(i);
    return call(stub(), &CompilerGymService::Stub::Step, request, reply);
  }

  int64_t counter(int64_t id) {
    StepReply reply;
    grpc::Status status = step(id, {}, {0}, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reply.observation_size() == 1 ? reply.observation(0).int64_value() : -1;
  }

  grpc::Status end(int64_t id, EndSessionReply* reply) {
    EndSessionRequest request;
    request.set_session_id(id);
    return call(stub(), &CompilerGymService::Stub::EndSession, request, reply);
  }

  grpc::Status fork(int64_t id, ForkSessionReply* reply) {
    ForkSessionRequest request;
    request.set_session_id(id);
    return call(stub(), &CompilerGymService::Stub::ForkSession, request, reply);
  }

  grpc::Status params(int64_t id, std::vector<std::pair<std::string, std::string>> kvs,
                      SendSessionParameterReply* reply) {
    SendSessionParameterRequest request;
    request.set_session_id(id);
    for (auto& [k, v] : kvs) {
      SessionParameter* p = request.add_parameter();
      p->set_key(k);
      p->set_value(v);
    }
    return call(stub(), &CompilerGymService::Stub::SendSessionParameter, request, reply);
  }

  CompilerGymService::Stub& stub() { return harness_.stub(); }

  Harness harness_;
};

TEST_F(ServiceTest, GetVersionReportsProtocolAndCompilerVersions) {
  GetVersionReply reply;
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::GetVersion, GetVersionRequest(), &reply));
  EXPECT_EQ(reply.service_version(), "0.2.5");
  EXPECT_EQ(reply.compiler_version(), "test-compiler 2.0");
}

TEST_F(ServiceTest, GetSpacesReturnsTheSessionsSpacesInOrder) {
  GetSpacesReply reply;
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::GetSpaces, GetSpacesRequest(), &reply));
  ASSERT_EQ(reply.action_space_list_size(), 2);
  EXPECT_EQ(reply.action_space_list(0).name(), "main");
  EXPECT_EQ(reply.action_space_list(1).name(), "other");
  ASSERT_EQ(reply.observation_space_list_size(), 3);
  EXPECT_EQ(reply.observation_space_list(0).name(), "counter");
  EXPECT_EQ(reply.observation_space_list(0).default_observation().int64_value(), 0);
  EXPECT_EQ(reply.observation_space_list(2).name(), "fail");
}

TEST_F(ServiceTest, StartSessionWithoutUriIsInvalidArgument) {
  StartSessionReply reply;
  EXPECT_STATUS(start("", &reply), INVALID_ARGUMENT, "No benchmark URI set for StartSession()");
}

TEST_F(ServiceTest, UnknownBenchmarkIsNotFoundUntilAdded) {
  StartSessionReply reply;
  EXPECT_STATUS(start("benchmark://test/new", &reply, {}, 0, /*withProgram=*/false), NOT_FOUND,
                "Benchmark not found");
  AddBenchmarkRequest add;
  add.add_benchmark()->set_uri("benchmark://test/new");
  add.mutable_benchmark(0)->mutable_program()->set_contents("Ir data");
  AddBenchmarkReply addReply;
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::AddBenchmark, add, &addReply));
  ASSERT_OK(start("benchmark://test/new", &reply, {}, 0, /*withProgram=*/false));
  EXPECT_EQ(harness_.core().sessionCount(), 1u);
}

TEST_F(ServiceTest, BenchmarkWithProgramIsCachedForLaterUriOnlyStarts) {
  StartSessionReply reply;
  ASSERT_OK(start("benchmark://test/p", &reply));
  EXPECT_TRUE(harness_.core().benchmarkCache().contains("benchmark://test/p"));
  ASSERT_OK(start("benchmark://test/p", &reply, {}, 0, /*withProgram=*/false));
  EXPECT_EQ(harness_.core().sessionCount(), 2u);
}

TEST_F(ServiceTest, BadIndicesAreInvalidArgumentAndLeaveNoSession) {
  StartSessionReply reply;
  EXPECT_STATUS(start("benchmark://test/a", &reply, {}, 2), INVALID_ARGUMENT,
                "Action space index out of range: 2");
  EXPECT_STATUS(start("benchmark://test/a", &reply, {}, -1), INVALID_ARGUMENT,
                "Action space index out of range: -1");
  EXPECT_STATUS(start("benchmark://test/a", &reply, {0, 3}), INVALID_ARGUMENT,
                "Observation space index out of range: 3");
  EXPECT_EQ(harness_.core().sessionCount(), 0u);
  startOk();
  EXPECT_EQ(harness_.core().sessionCount(), 1u);
}

TEST_F(ServiceTest, InitErrorsPropagateVerbatimAndLeaveNoSession) {
  const int destroyedBefore = control().destroyed;
  StartSessionReply reply;
  EXPECT_STATUS(start("benchmark://fail-init", &reply), INVALID_ARGUMENT, "init failed");
  EXPECT_EQ(harness_.core().sessionCount(), 0u);
  EXPECT_GT(control().destroyed, destroyedBefore);
  startOk();
  EXPECT_EQ(harness_.core().sessionCount(), 1u);
}

TEST_F(ServiceTest, StartSessionComputesInitialObservationsInOrder) {
  StartSessionReply reply;
  ASSERT_OK(start("benchmark://test/a", &reply, {1, 0}));
  ASSERT_EQ(reply.observation_size(), 2);
  EXPECT_EQ(reply.observation(0).int64_value(), 0);
  EXPECT_EQ(reply.observation(1).int64_value(), 0);
  EXPECT_FALSE(reply.has_new_action_space());
  EXPECT_STATUS(start("benchmark://test/a", &reply, {2}), DATA_LOSS, "observation failed");
}

// Ids are random (not CompilerGym's 0, 1, 2, ...), so that a client can reach only the
// sessions it was given: distinct, never sequential, spread over all of [0, 2^63).
TEST_F(ServiceTest, SessionIdsAreRandomDistinctAndSpreadOverTheRange) {
  constexpr int kSessions = 256;
  std::vector<int64_t> ids;
  for (int i = 0; i < kSessions; ++i) {
    ids.push_back(startOk());
    ForkSessionReply forked;
    ASSERT_OK(fork(ids.back(), &forked));
    ids.push_back(forked.session_id());
  }
  std::set<int64_t> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), ids.size());
  EXPECT_EQ(harness_.core().sessionCount(), ids.size());
  // No id follows another: sequential ids, or ids from a counter, would.
  int64_t previous = -2;
  for (int64_t id : distinct) {
    EXPECT_GE(id, 0);
    EXPECT_NE(id, previous + 1);
    previous = id;
  }
  // Each of the 63 bits is 0 in some id and 1 in another (false for a counter, or for fewer
  // random bits); for 512 random ids, each fails with probability 2^-511.
  uint64_t anyOne = 0, anyZero = 0;
  for (int64_t id : ids) {
    anyOne |= static_cast<uint64_t>(id);
    anyZero |= ~static_cast<uint64_t>(id);
  }
  EXPECT_EQ(anyOne, (uint64_t{1} << 63) - 1);
  EXPECT_EQ(anyZero & ((uint64_t{1} << 63) - 1), (uint64_t{1} << 63) - 1);
  // About half above 2^62 (binomial(512, 1/2): mean 256, sd 11.3; these bounds are 11 sd off).
  const auto high =
      std::count_if(ids.begin(), ids.end(), [](int64_t id) { return id >= (int64_t{1} << 62); });
  EXPECT_GT(high, 128);
  EXPECT_LT(high, 384);
}

TEST_F(ServiceTest, SmallIdsReachNoSession) {
  for (int i = 0; i < 8; ++i) startOk();
  // A client counting from 0, as ids once did, reaches none of the 8 sessions.
  for (int64_t id = 0; id < 100; ++id) {
    StepReply reply;
    EXPECT_STATUS(step(id, {1}, {}, &reply), NOT_FOUND, "Session not found: " + std::to_string(id));
    EndSessionReply ended;
    ASSERT_OK(end(id, &ended));
    EXPECT_EQ(ended.remaining_sessions(), 8);
  }
}

TEST_F(ServiceTest, StepAppliesActionsThenComputesObservations) {
  const int64_t id = startOk();
  StepReply reply;
  ASSERT_OK(step(id, {1, 2, 0}, {0}, &reply));
  ASSERT_EQ(reply.observation_size(), 1);
  EXPECT_EQ(reply.observation(0).int64_value(), 3);
  EXPECT_FALSE(reply.action_had_no_effect());
  EXPECT_FALSE(reply.end_of_session());
  EXPECT_FALSE(reply.has_new_action_space());
}

TEST_F(ServiceTest, ActionHadNoEffectIsTheConjunctionOverActions) {
  const int64_t id = startOk();
  StepReply reply;
  ASSERT_OK(step(id, {0, 0}, {}, &reply));
  EXPECT_TRUE(reply.action_had_no_effect());
  reply.Clear();
  ASSERT_OK(step(id, {}, {}, &reply));
  EXPECT_TRUE(reply.action_had_no_effect());
  reply.Clear();
  ASSERT_OK(step(id, {0, 1}, {}, &reply));
  EXPECT_FALSE(reply.action_had_no_effect());
}

TEST_F(ServiceTest, StepStopsApplyingActionsAtEndOfSession) {
  const int64_t id = startOk();
  StepReply reply;
  ASSERT_OK(step(id, {5, -1, 7}, {0}, &reply));
  EXPECT_TRUE(reply.end_of_session());
  ASSERT_EQ(reply.observation_size(), 1);
  EXPECT_EQ(reply.observation(0).int64_value(), 5);
}

TEST_F(ServiceTest, EndOfStepHookRunsOncePerStepAndMayEndTheEpisode) {
  const int64_t id = startOk();
  StepReply reply;
  for (int i = 0; i < 3; ++i) ASSERT_OK(step(id, {1}, {}, &reply));
  reply.Clear();
  // The observation is computed before this Step's hook runs.
  ASSERT_OK(step(id, {}, {1}, &reply));
  EXPECT_EQ(reply.observation(0).int64_value(), 3);
  EXPECT_FALSE(reply.end_of_session());
  reply.Clear();
  ASSERT_OK(step(id, {97}, {}, &reply));
  EXPECT_TRUE(reply.end_of_session());
}

TEST_F(ServiceTest, NewActionSpaceIsReportedOnlyWhenChanged) {
  const int64_t id = startOk();
  StepReply reply;
  ASSERT_OK(step(id, {-4, 1}, {}, &reply));
  ASSERT_TRUE(reply.has_new_action_space());
  EXPECT_EQ(reply.new_action_space().name(), "other");
  reply.Clear();
  ASSERT_OK(step(id, {1}, {}, &reply));
  EXPECT_FALSE(reply.has_new_action_space());
}

TEST_F(ServiceTest, StepErrors) {
  StepReply reply;
  EXPECT_STATUS(step(12345, {1}, {}, &reply), NOT_FOUND, "Session not found: 12345");
  const int64_t id = startOk();
  EXPECT_STATUS(step(id, {4, -2, 8}, {}, &reply), FAILED_PRECONDITION, "boom");
  // Actions before the failing one are not rolled back; the ones after are not applied.
  EXPECT_EQ(counter(id), 4);
  EXPECT_STATUS(step(id, {-3}, {}, &reply), INTERNAL, "Unhandled exception: kaboom");
  EXPECT_STATUS(step(id, {-9}, {}, &reply), INVALID_ARGUMENT, "Out-of-range");
  EXPECT_STATUS(step(id, {}, {9}, &reply), INVALID_ARGUMENT,
                "Observation space index out of range: 9");
  EXPECT_STATUS(step(id, {}, {-1}, &reply), INVALID_ARGUMENT,
                "Observation space index out of range: -1");
  EXPECT_STATUS(step(id, {}, {2}, &reply), DATA_LOSS, "observation failed");
  // The session survives all of these.
  EXPECT_EQ(counter(id), 4);
}

TEST_F(ServiceTest, ForkGivesAnIndependentSession) {
  const int64_t parent = startOk();
  StepReply reply;
  ASSERT_OK(step(parent, {3}, {}, &reply));
  ForkSessionReply forked;
  ASSERT_OK(fork(parent, &forked));
  EXPECT_NE(forked.session_id(), parent);
  EXPECT_EQ(counter(forked.session_id()), 3);
  ASSERT_OK(step(forked.session_id(), {10}, {}, &reply));
  EXPECT_EQ(counter(forked.session_id()), 13);
  EXPECT_EQ(counter(parent), 3);
  EndSessionReply ended;
  ASSERT_OK(end(parent, &ended));
  EXPECT_EQ(ended.remaining_sessions(), 1);
  EXPECT_EQ(counter(forked.session_id()), 13);
}

TEST_F(ServiceTest, ForkErrors) {
  ForkSessionReply reply;
  EXPECT_STATUS(fork(77, &reply), NOT_FOUND, "Session not found: 77");
  const int64_t id = startOk("benchmark://no-fork");
  EXPECT_STATUS(fork(id, &reply), UNIMPLEMENTED, "CompilationSession::init() not implemented");
  EXPECT_EQ(harness_.core().sessionCount(), 1u);
}

TEST_F(ServiceTest, EndSessionCountsRemainingSessionsExactly) {
  const int liveBefore = control().liveSessions;
  const int64_t a = startOk(), b = startOk(), c = startOk();
  EXPECT_EQ(control().liveSessions, liveBefore + 3);
  EndSessionReply reply;
  ASSERT_OK(end(b, &reply));
  EXPECT_EQ(reply.remaining_sessions(), 2);
  EXPECT_EQ(control().liveSessions, liveBefore + 2);
  ASSERT_OK(end(b, &reply));  // again: unknown now, still OK
  EXPECT_EQ(reply.remaining_sessions(), 2);
  ASSERT_OK(end(999, &reply));
  EXPECT_EQ(reply.remaining_sessions(), 2);
  StepReply stepReply;
  EXPECT_STATUS(step(b, {1}, {}, &stepReply), NOT_FOUND, "Session not found: " + std::to_string(b));
  ASSERT_OK(end(a, &reply));
  EXPECT_EQ(reply.remaining_sessions(), 1);
  ASSERT_OK(end(c, &reply));
  EXPECT_EQ(reply.remaining_sessions(), 0);
  EXPECT_EQ(control().liveSessions, liveBefore);
}

TEST_F(ServiceTest, SessionParametersGoToTheSessionFirstThenTheBuiltins) {
  const int64_t id = startOk();
  SendSessionParameterReply reply;
  ASSERT_OK(params(id,
                   {{"test.echo", "hello"},
                    {"service.benchmark_cache.get_max_size_in_bytes", ""},
                    {"service.benchmark_cache.set_max_size_in_bytes", "1000"},
                    {"service.benchmark_cache.get_max_size_in_bytes", ""}},
                   &reply));
  ASSERT_EQ(reply.reply_size(), 4);
  EXPECT_EQ(reply.reply(0), "hello");
  EXPECT_EQ(reply.reply(1), "54525952");
  EXPECT_EQ(reply.reply(2), "1000");
  EXPECT_EQ(reply.reply(3), "1000");
  EXPECT_EQ(harness_.core().benchmarkCache().maxSizeInBytes(), 1000u);
}

TEST_F(ServiceTest, CacheSizeParameterReportsSerializedBytes) {
  const int64_t id = startOk("benchmark://test/sized");
  SendSessionParameterReply reply;
  ASSERT_OK(params(id, {{"service.benchmark_cache.get_size_in_bytes", ""}}, &reply));
  Benchmark expected;
  expected.set_uri("benchmark://test/sized");
  expected.mutable_program()->set_contents("program");
  EXPECT_EQ(reply.reply(0), std::to_string(expected.ByteSizeLong()));
}

TEST_F(ServiceTest, SessionParameterErrors) {
  SendSessionParameterReply reply;
  EXPECT_STATUS(params(5, {{"test.echo", "x"}}, &reply), NOT_FOUND, "Session not found: 5");
  const int64_t id = startOk();
  EXPECT_STATUS(params(id, {{"test.echo", "x"}, {"unknown.key", "1"}}, &reply), INVALID_ARGUMENT,
                "Unknown parameter: unknown.key");
  EXPECT_STATUS(params(id, {{"test.fail", ""}}, &reply), ABORTED, "parameter failed");
  for (const char* bad : {"abc", "", "12abc", "-5", "1.5", "99999999999999999999999"}) {
    reply.Clear();
    EXPECT_STATUS(params(id, {{"service.benchmark_cache.set_max_size_in_bytes", bad}}, &reply),
                  INVALID_ARGUMENT,
                  std::string("Invalid value for service.benchmark_cache.set_max_size_in_bytes: "
                              "expected a non-negative integer number of bytes, got '") +
                      bad + "'");
  }
  EXPECT_EQ(harness_.core().benchmarkCache().maxSizeInBytes(),
            BenchmarkCache::kDefaultMaxSizeInBytes);
}

TEST_F(ServiceTest, PerSessionLockSerialisesConcurrentStepsOnOneSession) {
  const int64_t id = startOk();
  constexpr int kThreads = 4, kSteps = 200;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kSteps; ++i) {
        StepReply reply;
        if (!step(id, {1}, {}, &reply).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(counter(id), kThreads * kSteps);
}

TEST_F(ServiceTest, ManyThreadsOnManySessionsLoseNothing) {
  constexpr int kThreads = 8, kSteps = 50;
  std::vector<int64_t> ids;
  for (int t = 0; t < kThreads; ++t) ids.push_back(startOk());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSteps; ++i) {
        StepReply reply;
        if (!step(ids[t], {t + 1}, {}, &reply).ok()) ++failures;
        // Interleave forks and ends with the steps of other threads.
        ForkSessionReply forked;
        EndSessionReply ended;
        if (!fork(ids[t], &forked).ok() || !end(forked.session_id(), &ended).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(counter(ids[t]), (t + 1) * kSteps);
  EXPECT_EQ(harness_.core().sessionCount(), static_cast<size_t>(kThreads));
}

// Polls (bounded) until `n` threads wait at `gate`.
bool waitForWaiters(testing::Gate& gate, int n) {
  for (int i = 0; i < 6000 && gate.waiting() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return gate.waiting() >= n;
}

TEST_F(ServiceTest, StartSessionNeverWaitsForAnotherSessionsInit) {
  control().initGate.close();
  auto blocked = std::async(std::launch::async, [&] {
    StartSessionReply reply;
    return start("benchmark://block-init", &reply).ok();
  });
  ASSERT_TRUE(waitForWaiters(control().initGate, 1));
  // Another client starts, steps, forks and ends sessions while that init is blocked.
  const int64_t id = startOk();
  StepReply reply;
  ASSERT_OK(step(id, {2}, {}, &reply));
  ForkSessionReply forked;
  ASSERT_OK(fork(id, &forked));
  EndSessionReply ended;
  ASSERT_OK(end(forked.session_id(), &ended));
  EXPECT_EQ(ended.remaining_sessions(), 1);
  control().initGate.open();
  EXPECT_TRUE(blocked.get());
  EXPECT_EQ(harness_.core().sessionCount(), 2u);
}

TEST_F(ServiceTest, DifferentSessionsStepInParallel) {
  control().actionGate.close();
  const int64_t slow = startOk(), fast = startOk();
  auto blocked = std::async(std::launch::async, [&] {
    StepReply reply;
    return step(slow, {-5}, {}, &reply).ok();
  });
  ASSERT_TRUE(waitForWaiters(control().actionGate, 1));
  StepReply reply;
  ASSERT_OK(step(fast, {1}, {0}, &reply));
  EXPECT_EQ(reply.observation(0).int64_value(), 1);
  control().actionGate.open();
  EXPECT_TRUE(blocked.get());
  EXPECT_EQ(counter(slow), 1);
}

TEST_F(ServiceTest, TheServerCountsTheCallsInFlight) {
  // The service main shuts down at once when nothing is in flight, else gives calls time.
  control().actionGate.close();
  const int64_t id = startOk();
  EXPECT_EQ(harness_.server().activeCalls(), 0);
  auto blocked = std::async(std::launch::async, [&] {
    StepReply reply;
    return step(id, {-5}, {}, &reply).ok();
  });
  ASSERT_TRUE(waitForWaiters(control().actionGate, 1));
  EXPECT_EQ(harness_.server().activeCalls(), 1);
  control().actionGate.open();
  EXPECT_TRUE(blocked.get());
  EXPECT_EQ(harness_.server().activeCalls(), 0);
}

TEST_F(ServiceTest, EndSessionWaitsForAStepInFlightOnThatSession) {
  control().actionGate.close();
  const int64_t id = startOk();
  auto blocked = std::async(std::launch::async, [&] {
    StepReply reply;
    return step(id, {-5}, {0}, &reply).ok() && reply.observation(0).int64_value() == 1;
  });
  ASSERT_TRUE(waitForWaiters(control().actionGate, 1));
  auto ending = std::async(std::launch::async, [&] {
    EndSessionReply reply;
    return end(id, &reply).ok() && reply.remaining_sessions() == 0;
  });
  control().actionGate.open();
  // The step in flight completes against a live session; the session is then ended.
  EXPECT_TRUE(blocked.get());
  EXPECT_TRUE(ending.get());
  StepReply reply;
  EXPECT_STATUS(step(id, {1}, {}, &reply), NOT_FOUND, "Session not found: " + std::to_string(id));
}

TEST(ServiceLimitsTest, MaxSessionsIsResourceExhausted) {
  ServiceCoreOptions options;
  options.maxSessions = 2;
  Harness harness(factoryOf<TestSession>(), options);
  StartSessionRequest request;
  request.mutable_benchmark()->set_uri("benchmark://test/a");
  request.mutable_benchmark()->mutable_program()->set_contents("x");
  StartSessionReply a, b, c;
  ASSERT_OK(call(harness.stub(), &CompilerGymService::Stub::StartSession, request, &a));
  ASSERT_OK(call(harness.stub(), &CompilerGymService::Stub::StartSession, request, &b));
  EXPECT_STATUS(call(harness.stub(), &CompilerGymService::Stub::StartSession, request, &c),
                RESOURCE_EXHAUSTED, "Too many sessions: this service allows at most 2");
  ForkSessionRequest forkRequest;
  forkRequest.set_session_id(a.session_id());
  ForkSessionReply forked;
  EXPECT_STATUS(call(harness.stub(), &CompilerGymService::Stub::ForkSession, forkRequest, &forked),
                RESOURCE_EXHAUSTED, "Too many sessions: this service allows at most 2");
  EndSessionRequest endRequest;
  endRequest.set_session_id(a.session_id());
  EndSessionReply ended;
  ASSERT_OK(call(harness.stub(), &CompilerGymService::Stub::EndSession, endRequest, &ended));
  ASSERT_OK(call(harness.stub(), &CompilerGymService::Stub::StartSession, request, &c));
}

TEST(ServiceLimitsTest, MessageSizeLimitIsASetting) {
  GrpcServerOptions serverOptions;
  serverOptions.maxReceiveMessageSize = 1024;
  Harness harness(factoryOf<TestSession>(), {}, serverOptions);
  AddBenchmarkRequest request;
  request.add_benchmark()->set_uri("benchmark://big");
  request.mutable_benchmark(0)->mutable_program()->set_contents(std::string(4096, 'x'));
  AddBenchmarkReply reply;
  const grpc::Status status =
      call(harness.stub(), &CompilerGymService::Stub::AddBenchmark, request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_FALSE(harness.core().benchmarkCache().contains("benchmark://big"));
}

TEST(ServiceLimitsTest, DefaultMessageSizeIsUnlimited) {
  Harness harness(factoryOf<TestSession>());
  AddBenchmarkRequest request;
  request.add_benchmark()->set_uri("benchmark://big");
  request.mutable_benchmark(0)->mutable_program()->set_contents(std::string(8 << 20, 'x'));
  AddBenchmarkReply reply;
  ASSERT_OK(call(harness.stub(), &CompilerGymService::Stub::AddBenchmark, request, &reply));
  EXPECT_TRUE(harness.core().benchmarkCache().contains("benchmark://big"));
}

TEST(ServiceLimitsTest, CacheLimitIsSettablePerService) {
  ServiceCoreOptions options;
  options.benchmarkCacheMaxSizeInBytes = 4096;
  Harness harness(factoryOf<TestSession>(), options);
  EXPECT_EQ(harness.core().benchmarkCache().maxSizeInBytes(), 4096u);
}

TEST(GrpcServerTest, FixedPortInUseIsUnavailable) {
  ServiceCore core(factoryOf<TestSession>());
  GrpcServerOptions options;
  std::unique_ptr<GrpcServer> a, b;
  ASSERT_TRUE(GrpcServer::start(core, options, &a).ok());
  options.port = a->port();
  const Status status = GrpcServer::start(core, options, &b);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "Failed to listen on localhost:" + std::to_string(a->port()));
}

TEST(GrpcServerTest, ServesOnAUnixSocket) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cgym-test-" + std::to_string(getpid()) + ".sock"))
          .string();
  ServiceCore core(factoryOf<example::ExampleSession>());
  GrpcServerOptions options;
  options.host = "unix:" + path;
  std::unique_ptr<GrpcServer> server;
  ASSERT_TRUE(GrpcServer::start(core, options, &server).ok());
  auto stub = CompilerGymService::NewStub(
      grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials()));
  GetVersionReply reply;
  ASSERT_OK(call(*stub, &CompilerGymService::Stub::GetVersion, GetVersionRequest(), &reply));
  EXPECT_EQ(reply.compiler_version(), "1.0.0");
  server.reset();
  std::filesystem::remove(path);
}

// The C++ example service (CompilerGym's example compiler).
class ExampleServiceTest : public ::testing::Test {
 protected:
  ExampleServiceTest() : harness_(factoryOf<example::ExampleSession>()) {}
  Harness harness_;
};

TEST_F(ExampleServiceTest, VersionAndSpaces) {
  testing::expectExampleVersionAndSpaces(harness_.stub());
}

TEST_F(ExampleServiceTest, EpisodeWithObservationsForkAndOutOfRangeAction) {
  StartSessionRequest start;
  start.mutable_benchmark()->set_uri("benchmark://example-compiler-v0/foo");
  start.mutable_benchmark()->mutable_program()->set_contents("Ir data");
  start.add_observation_space(0);
  StartSessionReply started;
  ASSERT_OK(call(harness_.stub(), &CompilerGymService::Stub::StartSession, start, &started));
  EXPECT_EQ(started.observation(0).string_value(), "Hello, world!");

  StepRequest request;
  request.set_session_id(started.session_id());
  *request.add_action() = intEvent(0);
  *request.add_action() = intEvent(2);
  for (int i : {0, 1, 2}) request.add_observation_space(i);
  StepReply reply;
  ASSERT_OK(call(harness_.stub(), &CompilerGymService::Stub::Step, request, &reply));
  ASSERT_EQ(reply.observation_size(), 3);
  EXPECT_EQ(reply.observation(0).string_value(), "Hello, world!");
  EXPECT_EQ(reply.observation(1).int64_tensor().shape(0), 3u);
  EXPECT_EQ(reply.observation(1).int64_tensor().value_size(), 3);
  EXPECT_EQ(reply.observation(2).double_value(), 0.0);
  EXPECT_FALSE(reply.end_of_session());

  request.clear_action();
  *request.add_action() = intEvent(3);
  EXPECT_STATUS(call(harness_.stub(), &CompilerGymService::Stub::Step, request, &reply),
                INVALID_ARGUMENT, "Out-of-range");

  ForkSessionRequest fork;
  fork.set_session_id(started.session_id());
  ForkSessionReply forked;
  ASSERT_OK(call(harness_.stub(), &CompilerGymService::Stub::ForkSession, fork, &forked));
  EXPECT_NE(forked.session_id(), started.session_id());
  EndSessionRequest end;
  EndSessionReply ended;
  end.set_session_id(forked.session_id());
  ASSERT_OK(call(harness_.stub(), &CompilerGymService::Stub::EndSession, end, &ended));
  EXPECT_EQ(ended.remaining_sessions(), 1);
  end.set_session_id(started.session_id());
  ASSERT_OK(call(harness_.stub(), &CompilerGymService::Stub::EndSession, end, &ended));
  EXPECT_EQ(ended.remaining_sessions(), 0);
}

// --- Error messages never echo unbounded input ------------------------------------------

TEST(QuoteInputTest, KeepsAtMost200BytesThenTheSize) {
  EXPECT_EQ(quoteInput(""), "");
  EXPECT_EQ(quoteInput("unknown.key"), "unknown.key");
  EXPECT_EQ(quoteInput(std::string(200, 'k')), std::string(200, 'k'));
  EXPECT_EQ(quoteInput(std::string(201, 'k')), std::string(200, 'k') + "... (201 bytes)");
  EXPECT_EQ(quoteInput(std::string(1 << 20, 'k')), std::string(200, 'k') + "... (1048576 bytes)");
  // A UTF-8 character across the cut is left out whole.
  EXPECT_EQ(quoteInput(std::string(199, 'k') + "\xc3\xa9zz"),
            std::string(199, 'k') + "... (203 bytes)");
  EXPECT_EQ(quoteInput(std::string(198, 'k') + "\xc3\xa9zz"),
            std::string(198, 'k') + "\xc3\xa9... (202 bytes)");
  EXPECT_EQ(quoteInput(std::string("a\0b", 3)), std::string("a\0b", 3));
}

// A channel with gRPC's default metadata limit (8 KiB here), which a status message must fit:
// a longer one reaches the client as a transport error, not as the status.
std::unique_ptr<CompilerGymService::Stub> defaultStub(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(-1);
  return CompilerGymService::NewStub(
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
}

grpc::Status sendParameter(CompilerGymService::Stub& stub, int64_t id, const std::string& key,
                           const std::string& value) {
  SendSessionParameterRequest request;
  request.set_session_id(id);
  SessionParameter* parameter = request.add_parameter();
  parameter->set_key(key);
  parameter->set_value(value);
  SendSessionParameterReply reply;
  return call(stub, &CompilerGymService::Stub::SendSessionParameter, request, &reply);
}

// The errors of both example services for a huge unknown parameter key and a huge cache size
// value; they once echoed the input whole (a 1 MiB key made a 1 MiB message, which the
// client's metadata limit turned into a transport error).
void expectHugeInputsAreQuotedShort(CompilerGymService::Stub& stub) {
  StartSessionRequest start;
  start.mutable_benchmark()->set_uri("benchmark://example-compiler-v0/foo");
  start.mutable_benchmark()->mutable_program()->set_contents("Ir data");
  StartSessionReply started;
  ASSERT_OK(call(stub, &CompilerGymService::Stub::StartSession, start, &started));
  const std::string key(1 << 20, 'k');
  EXPECT_STATUS(sendParameter(stub, started.session_id(), key, "v"), INVALID_ARGUMENT,
                "Unknown parameter: " + std::string(200, 'k') + "... (1048576 bytes)");
  const std::string value = std::string(1 << 20, '9') + "x";
  EXPECT_STATUS(sendParameter(stub, started.session_id(),
                              "service.benchmark_cache.set_max_size_in_bytes", value),
                INVALID_ARGUMENT,
                "Invalid value for service.benchmark_cache.set_max_size_in_bytes: expected a "
                "non-negative integer number of bytes, got '" +
                    std::string(200, '9') + "... (1048577 bytes)'");
  // A huge benchmark URI is not echoed either.
  start.mutable_benchmark()->set_uri(std::string(1 << 20, 'u'));
  start.mutable_benchmark()->clear_program();
  const int64_t id = started.session_id();
  EXPECT_STATUS(call(stub, &CompilerGymService::Stub::StartSession, start, &started), NOT_FOUND,
                "Benchmark not found");
  EndSessionRequest end;
  end.set_session_id(id);
  EndSessionReply ended;
  ASSERT_OK(call(stub, &CompilerGymService::Stub::EndSession, end, &ended));
  EXPECT_EQ(ended.remaining_sessions(), 0);
}

TEST(BoundedErrorsTest, ExampleServiceInProcessQuotesHugeInputsShort) {
  Harness harness(factoryOf<example::ExampleSession>());
  expectHugeInputsAreQuotedShort(*defaultStub(harness.server().target()));
}

// A session that quotes its inputs whole in its errors, as a session may ("Invalid value for
// KEY: 'VALUE'"): the runtime cuts any message of session code to 4 KiB as gRPC sends it
// (percent-encoded: a byte that is not printable ASCII takes 3).
class EchoingSession final : public CompilationSession {
 public:
  using CompilationSession::CompilationSession;
  std::vector<ActionSpace> getActionSpaces() const override {
    return example::ExampleSession(workingDirectory()).getActionSpaces();
  }
  std::vector<ObservationSpace> getObservationSpaces() const override {
    return example::ExampleSession(workingDirectory()).getObservationSpaces();
  }
  Status init(const ActionSpace&, const Benchmark& benchmark) override {
    if (benchmark.uri().size() > 100) {
      return Status(StatusCode::kInvalidArgument, "Cannot parse " + benchmark.uri());
    }
    return Status::OK();
  }
  Status applyAction(const Event& action, bool&, std::optional<ActionSpace>&, bool&) override {
    throw std::runtime_error("bad action " + action.string_value());
  }
  Status computeObservation(const ObservationSpace&, Event&) override { return Status::OK(); }
  Status handleSessionParameter(const std::string& key, const std::string& value,
                                std::optional<std::string>&) override {
    return Status(StatusCode::kInvalidArgument, "Invalid value for " + key + ": '" + value + "'");
  }
};

TEST(BoundedErrorsTest, ASessionsOwnMessagesAreCutTo4KiB) {
  Harness harness(factoryOf<EchoingSession>());
  auto stub = defaultStub(harness.server().target());
  const std::string huge(1 << 20, 'x');
  // The message's first 4096 bytes, then the size of the whole message.
  const auto cut = [](const std::string& message) {
    return message.substr(0, 4096) + "... (" + std::to_string(message.size()) + " bytes)";
  };

  StartSessionRequest start;
  start.mutable_benchmark()->set_uri(huge);
  start.mutable_benchmark()->mutable_program()->set_contents("x");
  StartSessionReply started;
  EXPECT_STATUS(call(*stub, &CompilerGymService::Stub::StartSession, start, &started),
                INVALID_ARGUMENT, cut("Cannot parse " + huge));
  start.mutable_benchmark()->set_uri("benchmark://test/a");
  ASSERT_OK(call(*stub, &CompilerGymService::Stub::StartSession, start, &started));

  EXPECT_STATUS(sendParameter(*stub, started.session_id(), "k", huge), INVALID_ARGUMENT,
                cut("Invalid value for k: '" + huge + "'"));
  // A message that fits is left whole.
  EXPECT_STATUS(sendParameter(*stub, started.session_id(), "k", std::string(4000, 'v')),
                INVALID_ARGUMENT, "Invalid value for k: '" + std::string(4000, 'v') + "'");
  std::string accents;
  for (int i = 0; i < 2000; ++i) accents += "\xc3\xa9";
  // 4,023 bytes, 12 KiB encoded: cut to 22 + 1,358 bytes, 4,096 encoded.
  EXPECT_STATUS(sendParameter(*stub, started.session_id(), "k", accents), INVALID_ARGUMENT,
                "Invalid value for k: '" + accents.substr(0, 1358) + "... (4023 bytes)");

  StepRequest request;
  request.set_session_id(started.session_id());
  request.add_action()->set_string_value(huge);
  StepReply reply;
  EXPECT_STATUS(call(*stub, &CompilerGymService::Stub::Step, request, &reply), INTERNAL,
                cut("Unhandled exception: bad action " + huge));
}

// The example service binaries (C++ and C sessions) as processes, as clients launch them.
class ExampleBinary {
 public:
  explicit ExampleBinary(const std::string& binary) {
    char pattern[] = "/tmp/cgym-service-test-XXXXXX";
    const char* dir = mkdtemp(pattern);
    EXPECT_NE(dir, nullptr);
    if (!dir) return;
    dir_ = dir;
    client::SpawnOptions options;
    options.path = binary;
    options.args = {"--working_dir=" + dir_.string()};
    const Status status = client::ChildProcess::spawn(options, &process_);
    EXPECT_TRUE(status.ok()) << status.message();
    if (!status.ok()) return;
    // Bounded: 10 s for port.txt.
    for (int i = 0; i < 1000 && port_ == 0 && process_->running(); ++i) {
      std::ifstream in(dir_ / "port.txt");
      if (!(in >> port_)) {
        port_ = 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    EXPECT_NE(port_, 0) << binary << " wrote no port.txt";
  }
  ~ExampleBinary() {
    if (process_) process_->terminate(30);
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  bool ready() const { return port_ != 0; }
  std::string target() const { return "localhost:" + std::to_string(port_); }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<client::ChildProcess> process_;
  int port_ = 0;
};

class ExampleBinaryTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ExampleBinaryTest, HugeInputsAreQuotedShort) {
  ExampleBinary service(GetParam());
  ASSERT_TRUE(service.ready());
  expectHugeInputsAreQuotedShort(*defaultStub(service.target()));
}

TEST_P(ExampleBinaryTest, SessionIdsAreRandom) {
  ExampleBinary service(GetParam());
  ASSERT_TRUE(service.ready());
  auto stub = defaultStub(service.target());
  StartSessionRequest start;
  start.mutable_benchmark()->set_uri("benchmark://example-compiler-v0/foo");
  start.mutable_benchmark()->mutable_program()->set_contents("Ir data");
  std::set<int64_t> ids;
  for (int i = 0; i < 16; ++i) {
    StartSessionReply started;
    ASSERT_OK(call(*stub, &CompilerGymService::Stub::StartSession, start, &started));
    ForkSessionRequest fork;
    fork.set_session_id(started.session_id());
    ForkSessionReply forked;
    ASSERT_OK(call(*stub, &CompilerGymService::Stub::ForkSession, fork, &forked));
    ids.insert({started.session_id(), forked.session_id()});
  }
  ASSERT_EQ(ids.size(), 32u);
  // Each id below 2^32 has probability 2^-31: none is, unlike ids counted from 0.
  EXPECT_GE(*ids.begin(), int64_t{1} << 32);
  for (int64_t id : ids) {
    EndSessionRequest end;
    end.set_session_id(id);
    EndSessionReply ended;
    ASSERT_OK(call(*stub, &CompilerGymService::Stub::EndSession, end, &ended));
  }
}

INSTANTIATE_TEST_SUITE_P(CAndCpp, ExampleBinaryTest,
                         ::testing::Values(CGYM_EXAMPLE_SERVICE, CGYM_EXAMPLE_SERVICE_C),
                         [](const auto& info) { return info.index == 0 ? "Cpp" : "C"; });

}  // namespace
}  // namespace cgym
