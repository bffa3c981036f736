// SPDX-License-Identifier: MIT
// The client (Connection and Env) against the example service, over a managed, an unmanaged
// and an in-process connection, with identical expectations: CompilerGym's client behaviour
// (episodes, spaces, steps, forks, connections, benchmarks) and fault handling.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "client/connection.h"
#include "client/env.h"
#include "client/inprocess_transport.h"
#include "client/process.h"
#include "compiler_gym_service.grpc.pb.h"
#include "example_cc/example_session.h"
#include "service/grpc_server.h"
#include "status_test_util.h"
#include "test_session.h"

namespace cgym::client {
namespace {

namespace fs = std::filesystem;
using compiler_gym::Benchmark;
using compiler_gym::Event;

// The C++ example session managed, unmanaged and in-process; the C example service (written
// on cgym.h) managed and unmanaged: every expectation holds for each.
enum class Kind { kManaged, kUnmanaged, kInProcess, kManagedC, kUnmanagedC };

std::string kindName(const ::testing::TestParamInfo<Kind>& info) {
  switch (info.param) {
    case Kind::kManaged:
      return "Managed";
    case Kind::kUnmanaged:
      return "Unmanaged";
    case Kind::kInProcess:
      return "InProcess";
    case Kind::kManagedC:
      return "ManagedC";
    case Kind::kUnmanagedC:
      return "UnmanagedC";
  }
  return "?";
}

Event action(int64_t value) {
  Event event;
  event.set_int64_value(value);
  return event;
}

Benchmark fooBenchmark() {
  Benchmark benchmark;
  benchmark.set_uri("benchmark://example-compiler-v0/foo");
  benchmark.mutable_program()->set_contents("Ir data");
  return benchmark;
}

bool processAlive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

// Polls (bounded) until `pid` is gone.
bool waitUntilDead(pid_t pid) {
  for (int i = 0; i < 1000 && processAlive(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return !processAlive(pid);
}

// An example service this test runs itself, for unmanaged connections.
class ExternalService {
 public:
  explicit ExternalService(const std::string& binary = CGYM_EXAMPLE_SERVICE) {
    char pattern[] = "/tmp/cgym-env-test-XXXXXX";
    dir_ = mkdtemp(pattern);
    SpawnOptions options;
    options.path = binary;
    options.args = {"--working_dir=" + dir_.string()};
    Status status = ChildProcess::spawn(options, &process_);
    EXPECT_TRUE(status.ok()) << status.message();
    for (int i = 0; i < 1000 && port_ == 0; ++i) {
      std::ifstream in(dir_ / "port.txt");
      if (!(in >> port_)) {
        port_ = 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    EXPECT_NE(port_, 0) << "the service wrote no port.txt";
  }
  ~ExternalService() {
    if (process_) process_->terminate(30);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string endpoint() const { return "localhost:" + std::to_string(port_); }
  ChildProcess& process() { return *process_; }

 private:
  fs::path dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

class EnvTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Kind::kManaged:
        endpoint_ = CGYM_EXAMPLE_SERVICE;
        break;
      case Kind::kUnmanaged:
        external_ = std::make_unique<ExternalService>();
        endpoint_ = external_->endpoint();
        break;
      case Kind::kManagedC:
        endpoint_ = CGYM_EXAMPLE_SERVICE_C;
        break;
      case Kind::kUnmanagedC:
        external_ = std::make_unique<ExternalService>(CGYM_EXAMPLE_SERVICE_C);
        endpoint_ = external_->endpoint();
        break;
      case Kind::kInProcess:
        registerInProcessService("example", [](const fs::path& wd) {
          return std::make_unique<example::ExampleSession>(wd);
        });
        endpoint_ = "inproc:example";
        break;
    }
  }

  EnvOptions options(const std::string& observation = "", const std::string& reward = "") {
    EnvOptions opts;
    opts.benchmark = fooBenchmark();
    opts.observation_space = observation;
    opts.reward_space = reward;
    opts.connection.init_max_seconds = 10;
    return opts;
  }

  std::unique_ptr<Env> makeEnv(EnvOptions opts) {
    std::unique_ptr<Env> env;
    Status status = Env::make(endpoint_, std::move(opts), &env);
    EXPECT_TRUE(status.ok()) << status.message();
    return env;
  }
  std::unique_ptr<Env> makeEnv() { return makeEnv(options()); }

  std::string endpoint_;
  std::unique_ptr<ExternalService> external_;
};

TEST_P(EnvTest, VersionsAndSpaces) {
  auto env = makeEnv();
  std::string version, compiler;
  ASSERT_OK(env->version(&version));
  ASSERT_OK(env->compilerVersion(&compiler));
  EXPECT_EQ(version, "0.2.5");
  EXPECT_EQ(compiler, "1.0.0");
  ASSERT_EQ(env->actionSpaces().size(), 1u);
  EXPECT_EQ(env->actionSpace().name(), "default");
  ASSERT_EQ(env->observationSpaces().size(), 3u);
  EXPECT_EQ(env->observationSpaces()[0].id, "ir");
  EXPECT_EQ(env->observationSpaces()[1].id, "features");
  EXPECT_EQ(env->observationSpaces()[2].id, "runtime");
  // The C++ example service gives no default observations, so no default rewards.
  EXPECT_TRUE(env->rewardSpaces().empty());
}

TEST_P(EnvTest, CallsBeforeResetNeedAnEpisode) {
  EnvOptions opts = options();
  opts.rewards.push_back(std::make_unique<DefaultRewardFromObservation>("runtime"));
  auto env = makeEnv(std::move(opts));
  StepResult result;
  EXPECT_STATUS(env->step(action(0), &result), kSessionNotFound, "Must call reset() before step()");
  Event observation;
  EXPECT_STATUS(env->observe("ir", &observation), kSessionNotFound,
                "Must call reset() before step()");
  double reward;
  EXPECT_STATUS(env->reward("runtime", &reward), kSessionNotFound,
                "Must call reset() before step()");
  std::vector<std::string> replies;
  EXPECT_STATUS(env->sendParams({{"a", "b"}}, &replies), kSessionNotFound,
                "Must call reset() before send_params()");
}

TEST_P(EnvTest, UnknownSpacesAreNotFound) {
  auto env = makeEnv();
  EXPECT_STATUS(env->setObservationSpace("100"), kNotFound, "Observation space not found: 100");
  EXPECT_STATUS(env->setRewardSpace("100"), kNotFound, "Reward space not found: 100");
  EXPECT_STATUS(env->setActionSpace("100"), kNotFound, "Action space not found: 100");
  StepResult result;
  ASSERT_OK(env->reset());
  StepOptions step;
  step.observation_spaces = std::vector<std::string>{"nope"};
  EXPECT_STATUS(env->step(action(0), &result, step), kNotFound,
                "Observation space not found: nope");
}

TEST_P(EnvTest, ResetWithoutBenchmarkIsFailedPrecondition) {
  EnvOptions opts = options();
  opts.benchmark.reset();
  auto env = makeEnv(std::move(opts));
  Status status = env->reset();
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message().rfind("No benchmark set.", 0), 0u) << status.message();
}

TEST_P(EnvTest, DoubleResetAndSteps) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  EXPECT_TRUE(env->inEpisode());
  const int64_t first = *env->sessionId();
  ASSERT_OK(env->reset());
  EXPECT_TRUE(env->inEpisode());
  EXPECT_NE(*env->sessionId(), first);
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_FALSE(result.done);
  ASSERT_OK(env->reset());
  ASSERT_OK(env->step(action(2), &result));
  EXPECT_FALSE(result.done);
  EXPECT_TRUE(env->inEpisode());
  EXPECT_EQ(env->actions().size(), 1u);
}

TEST_P(EnvTest, OutOfRangeActionIsAnErrorAndTheEpisodeGoesOn) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  StepResult result;
  EXPECT_STATUS(env->step(action(100), &result), kInvalidArgument, "Out-of-range");
  EXPECT_TRUE(env->inEpisode());
  ASSERT_OK(env->step(action(0), &result));
  EXPECT_FALSE(result.done);
  // The rejected action is recorded, as CompilerGym records it, and the state cannot name it:
  // an error, not a commandline that would replay another episode.
  EXPECT_EQ(env->actions().size(), 2u);
  CompilerEnvState state;
  EXPECT_STATUS(env->state(&state), kInvalidArgument, "Action out of range: 100");
  ValidationResult validation;
  EXPECT_STATUS(env->validate(std::nullopt, &validation), kInvalidArgument,
                "Action out of range: 100");
}

TEST_P(EnvTest, DefaultObservationIr) {
  auto env = makeEnv(options("ir"));
  std::optional<Event> observation;
  ASSERT_OK(env->reset({}, &observation));
  ASSERT_TRUE(observation);
  EXPECT_EQ(observation->string_value(), "Hello, world!");
  StepResult result;
  ASSERT_OK(env->step(action(0), &result));
  ASSERT_EQ(result.observations.size(), 1u);
  EXPECT_EQ(result.observations[0].string_value(), "Hello, world!");
  EXPECT_TRUE(result.rewards.empty());
  EXPECT_FALSE(result.done);
  EXPECT_FALSE(env->episodeReward());
}

TEST_P(EnvTest, DefaultObservationFeatures) {
  auto env = makeEnv(options("features"));
  std::optional<Event> observation;
  ASSERT_OK(env->reset({}, &observation));
  ASSERT_TRUE(observation && observation->has_int64_tensor());
  EXPECT_EQ(std::vector<uint64_t>(observation->int64_tensor().shape().begin(),
                                  observation->int64_tensor().shape().end()),
            std::vector<uint64_t>{3});
  EXPECT_EQ(std::vector<int64_t>(observation->int64_tensor().value().begin(),
                                 observation->int64_tensor().value().end()),
            (std::vector<int64_t>{0, 0, 0}));
}

TEST_P(EnvTest, DefaultRewardRuntime) {
  EnvOptions opts = options("", "runtime");
  opts.rewards.push_back(std::make_unique<DefaultRewardFromObservation>("runtime"));
  auto env = makeEnv(std::move(opts));
  ASSERT_OK(env->reset());
  EXPECT_EQ(env->episodeReward(), 0.0);
  StepResult result;
  ASSERT_OK(env->step(action(0), &result));
  EXPECT_TRUE(result.observations.empty());
  ASSERT_EQ(result.rewards.size(), 1u);
  EXPECT_EQ(result.rewards[0], 0.0);
  EXPECT_FALSE(result.done);
  double reward = -1;
  ASSERT_OK(env->reward("runtime", &reward));
  EXPECT_EQ(reward, 0.0);
}

TEST_P(EnvTest, ObservationView) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  Event ir, features, runtime;
  ASSERT_OK(env->observe("ir", &ir));
  ASSERT_OK(env->observe("features", &features));
  ASSERT_OK(env->observe("runtime", &runtime));
  EXPECT_EQ(ir.string_value(), "Hello, world!");
  EXPECT_EQ(features.int64_tensor().value_size(), 3);
  EXPECT_EQ(runtime.double_value(), 0.0);
  EXPECT_TRUE(env->actions().empty());
  StepResult result;
  StepOptions all;
  all.observation_spaces = std::vector<std::string>{"ir", "runtime", "ir"};
  ASSERT_OK(env->step(std::vector<Event>{action(0), action(1)}, &result, all));
  ASSERT_EQ(result.observations.size(), 3u);
  EXPECT_EQ(result.observations[2].string_value(), "Hello, world!");
}

TEST_P(EnvTest, Fork) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(action(0), &result));
  ASSERT_OK(env->step(action(1), &result));
  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  EXPECT_EQ(fork->benchmark()->uri(), env->benchmark()->uri());
  ASSERT_EQ(fork->actions().size(), 2u);
  EXPECT_EQ(fork->actions()[0].int64_value(), 0);
  EXPECT_EQ(fork->actions()[1].int64_value(), 1);
  EXPECT_NE(fork->sessionId(), env->sessionId());
  // Forks share the service.
  EXPECT_EQ(fork->connection(), env->connection());
  // They diverge.
  ASSERT_OK(fork->step(action(2), &result));
  EXPECT_EQ(fork->actions().size(), 3u);
  EXPECT_EQ(env->actions().size(), 2u);
  ASSERT_OK(fork->close());
  ASSERT_OK(env->step(action(2), &result));
  ASSERT_OK(env->close());
}

TEST_P(EnvTest, ChainOfForksKeepsTheServiceAliveUntilTheLastCloses) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  std::vector<std::unique_ptr<Env>> chain;
  Env* last = env.get();
  for (int i = 0; i < 4; ++i) {
    std::unique_ptr<Env> fork;
    ASSERT_OK(last->fork(&fork));
    last = fork.get();
    chain.push_back(std::move(fork));
  }
  std::shared_ptr<Connection> connection = env->connection();
  const std::optional<int> pid = connection->pid();
  ASSERT_OK(env->close());
  EXPECT_FALSE(env->inEpisode());
  for (auto& fork : chain) {
    EXPECT_FALSE(connection->closed());
    if (pid) {
      EXPECT_TRUE(processAlive(*pid));
    }
    StepResult result;
    ASSERT_OK(fork->step(action(1), &result));
    EXPECT_FALSE(result.done);
    ASSERT_OK(fork->close());
  }
  EXPECT_TRUE(connection->closed());
  if (pid) {
    EXPECT_TRUE(waitUntilDead(*pid));
  }
}

TEST_P(EnvTest, ForkBeforeResetStartsAnEpisode) {
  auto env = makeEnv();
  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  EXPECT_TRUE(env->inEpisode());
  EXPECT_TRUE(fork->inEpisode());
}

TEST_P(EnvTest, ForkOfAClosedEnvReplaysItsActions) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(std::vector<Event>{action(2), action(1)}, &result));
  ASSERT_OK(env->close());
  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  EXPECT_TRUE(env->inEpisode());
  ASSERT_EQ(fork->actions().size(), 2u);
  EXPECT_EQ(fork->actions()[0].int64_value(), 2);
}

TEST_P(EnvTest, ResetOfAForkDoesNotAffectTheParent) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  ASSERT_OK(fork->reset());
  EXPECT_TRUE(fork->actions().empty());
  EXPECT_EQ(env->actions().size(), 1u);
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_FALSE(result.done);
}

TEST_P(EnvTest, BenchmarkSetterTakesEffectAtTheNextReset) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  EXPECT_EQ(env->benchmark()->uri(), "benchmark://example-compiler-v0/foo");
  Benchmark bar = fooBenchmark();
  bar.set_uri("benchmark://example-compiler-v0/bar");
  env->setBenchmark(bar);
  EXPECT_EQ(env->benchmark()->uri(), "benchmark://example-compiler-v0/foo");
  ASSERT_OK(env->reset());
  EXPECT_EQ(env->benchmark()->uri(), "benchmark://example-compiler-v0/bar");
  ResetOptions reset;
  reset.benchmark = fooBenchmark();
  ASSERT_OK(env->reset(reset));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(env->reset());
    EXPECT_EQ(env->benchmark()->uri(), "benchmark://example-compiler-v0/foo");
  }
}

TEST_P(EnvTest, SpacesSetOnResetPersist) {
  EnvOptions opts = options();
  opts.rewards.push_back(std::make_unique<DefaultRewardFromObservation>("runtime"));
  auto env = makeEnv(std::move(opts));
  ResetOptions reset;
  reset.observation_space = "ir";
  reset.reward_space = "runtime";
  std::optional<Event> observation;
  ASSERT_OK(env->reset(reset, &observation));
  ASSERT_OK(env->reset({}, &observation));
  ASSERT_TRUE(observation);
  EXPECT_EQ(observation->string_value(), "Hello, world!");
  EXPECT_EQ(env->rewardSpace()->name(), "runtime");
}

TEST_P(EnvTest, UnknownSessionEndsTheEpisodeWithErrorInfo) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  env->forceSessionId(15);
  StepResult result;
  ASSERT_OK(env->step(action(0), &result));
  EXPECT_TRUE(result.done);
  EXPECT_EQ(result.info.error_type, "SessionNotFound");
  EXPECT_EQ(result.info.error_details, "Session not found: 15");
  EXPECT_TRUE(result.observations.empty());
  EXPECT_FALSE(env->inEpisode());
  // The env recovers with the next reset.
  ASSERT_OK(env->reset());
  ASSERT_OK(env->step(action(0), &result));
  EXPECT_FALSE(result.done);
}

TEST_P(EnvTest, ChangingTheRewardSpaceRestartsTheEpisodeReward) {
  EnvOptions opts = options("", "runtime");
  opts.rewards.push_back(std::make_unique<DefaultRewardFromObservation>("runtime"));
  opts.rewards.push_back(std::make_unique<DefaultRewardFromObservation>("other"));
  auto env = makeEnv(std::move(opts));
  ASSERT_OK(env->reset());
  ASSERT_OK(env->setRewardSpace("runtime"));
  EXPECT_EQ(env->episodeReward(), 0.0);
  ASSERT_OK(env->setRewardSpace(""));
  EXPECT_FALSE(env->episodeReward());
}

TEST_P(EnvTest, SessionParameters) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  std::vector<std::string> replies;
  EXPECT_STATUS(env->sendParams({{"unknown.key", ""}}, &replies), kInvalidArgument,
                "Unknown parameter: unknown.key");
  std::string reply;
  ASSERT_OK(env->sendParam("service.benchmark_cache.get_max_size_in_bytes", "", &reply));
  EXPECT_EQ(reply, "54525952");
  ASSERT_OK(env->sendParams({{"service.benchmark_cache.set_max_size_in_bytes", "256"},
                             {"service.benchmark_cache.get_max_size_in_bytes", ""}},
                            &replies));
  EXPECT_EQ(replies, (std::vector<std::string>{"256", "256"}));
  ASSERT_OK(env->sendParam("service.benchmark_cache.get_size_in_bytes", "", &reply));
  EXPECT_GT(std::stoll(reply), 0);
  Status bad = env->sendParam("service.benchmark_cache.set_max_size_in_bytes", "x", &reply);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
}

TEST_P(EnvTest, ParametersMarkedResendOnResetAreResent) {
  auto env = makeEnv();
  std::vector<std::string> replies;
  // Recorded even though it fails now (no episode).
  EXPECT_EQ(env->sendParams({{"unknown.resent", "1"}}, &replies, /*resendOnReset=*/true).code(),
            StatusCode::kSessionNotFound);
  // The service rejects it when reset resends it, which shows it was sent.
  EXPECT_STATUS(env->reset(), kInvalidArgument,
                "Failed to resend session parameters on reset: Unknown parameter: unknown.resent "
                "(send a parameter again with resend_on_reset=false to stop resending it)");
  // Rejected when first sent, it is not kept: the next reset succeeds.
  ASSERT_OK(env->reset());
}

TEST_P(EnvTest, StateApplyAndValidate) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(std::vector<Event>{action(0), action(2), action(1)}, &result));
  CompilerEnvState state;
  ASSERT_OK(env->state(&state));
  EXPECT_EQ(state.benchmark, "benchmark://example-compiler-v0/foo");
  EXPECT_EQ(state.commandline, "a c b");
  EXPECT_GE(state.walltime, 0);

  auto other = makeEnv();
  ASSERT_OK(other->apply(state));
  ASSERT_EQ(other->actions().size(), 3u);
  CompilerEnvState otherState;
  ASSERT_OK(other->state(&otherState));
  EXPECT_EQ(otherState, state);

  ValidationResult validation;
  ASSERT_OK(env->validate(state, &validation));
  EXPECT_TRUE(validation.okay());
  EXPECT_FALSE(validation.actions_replay_failed);

  CompilerEnvState bad = state;
  bad.commandline = "a z";
  EXPECT_STATUS(other->apply(bad), kInvalidArgument, "Unknown action: z");
  ASSERT_OK(env->validate(bad, &validation));
  EXPECT_TRUE(validation.actions_replay_failed);
  EXPECT_FALSE(validation.okay());
}

TEST_P(EnvTest, ExpiredDeadlineEndsTheStepAndTheEnvStaysUsable) {
  auto env = makeEnv(options("ir"));
  ASSERT_OK(env->reset());
  StepResult result;
  StepOptions expired;
  expired.timeout = 0;  // expires at once (a negative timeout is INVALID_ARGUMENT)
  ASSERT_OK(env->step(action(0), &result, expired));
  EXPECT_TRUE(result.done);
  EXPECT_EQ(result.info.error_type, "TimeoutError");
  EXPECT_NE(result.info.error_details.find("Deadline Exceeded"), std::string::npos)
      << result.info.error_details;
  ASSERT_EQ(result.observations.size(), 1u);  // the default (empty) observation
  EXPECT_FALSE(env->inEpisode());
  ASSERT_OK(env->reset());
  ASSERT_OK(env->step(action(0), &result));
  EXPECT_FALSE(result.done);
}

TEST_P(EnvTest, CloseIsIdempotent) {
  auto env = makeEnv();
  ASSERT_OK(env->reset());
  ASSERT_OK(env->close());
  ASSERT_OK(env->close());
  EXPECT_FALSE(env->inEpisode());
  // A closed env starts again with reset.
  ASSERT_OK(env->reset());
  EXPECT_TRUE(env->inEpisode());
}

TEST_P(EnvTest, ConvertersRewriteActionSpacesAndActions) {
  EnvOptions opts = options();
  opts.converters.action_space_converter = [](const compiler_gym::ActionSpace& in,
                                              compiler_gym::ActionSpace* out) {
    *out = in;
    out->set_name("converted-" + in.name());
    return Status::OK();
  };
  // Actions are given counting from 1.
  opts.converters.action_converter = [](const Event& in, Event* out) {
    out->set_int64_value(in.int64_value() - 1);
    return Status::OK();
  };
  auto env = makeEnv(std::move(opts));
  EXPECT_EQ(env->actionSpace().name(), "converted-default");
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(action(3), &result));  // sent as 2: in range
  EXPECT_STATUS(env->step(action(4), &result), kInvalidArgument, "Out-of-range");
}

INSTANTIATE_TEST_SUITE_P(Transports, EnvTest,
                         ::testing::Values(Kind::kManaged, Kind::kUnmanaged, Kind::kInProcess,
                                           Kind::kManagedC, Kind::kUnmanagedC),
                         kindName);

// --- Connections ------------------------------------------------------------------------

TEST(ConnectionTest, EmptyEndpointIsInvalid) {
  std::shared_ptr<Connection> connection;
  EXPECT_STATUS(Connection::connect("", {}, &connection), kInvalidArgument,
                "No endpoint provided for service connection");
}

TEST(ConnectionTest, EndpointKinds) {
  EXPECT_EQ(endpointKind("inproc:x"), Connection::Kind::kInProcess);
  EXPECT_EQ(endpointKind("localhost:1234"), Connection::Kind::kUnmanaged);
  EXPECT_EQ(endpointKind("unix:/tmp/x.sock"), Connection::Kind::kUnmanaged);
  EXPECT_EQ(endpointKind("[::1]:1234"), Connection::Kind::kUnmanaged);
  EXPECT_EQ(endpointKind("/usr/bin/service"), Connection::Kind::kManaged);
  EXPECT_EQ(endpointKind("./service"), Connection::Kind::kManaged);
}

TEST(ConnectionTest, MissingBinaryIsNotFound) {
  std::shared_ptr<Connection> connection;
  EXPECT_STATUS(Connection::connect("/nonexistent/service", {}, &connection), kNotFound,
                "File not found: /nonexistent/service");
}

TEST(ConnectionTest, UnknownInProcessServiceIsNotFound) {
  std::shared_ptr<Connection> connection;
  EXPECT_STATUS(Connection::connect("inproc:nothing-here", {}, &connection), kNotFound,
                "No in-process service registered as 'nothing-here'");
}

// A port nothing listens on (bound, then released).
int unusedPort() {
  ServiceCore core(
      [](const fs::path& wd) { return std::make_unique<example::ExampleSession>(wd); });
  std::unique_ptr<cgym::GrpcServer> server;
  EXPECT_TRUE(cgym::GrpcServer::start(core, {}, &server).ok());
  return server->port();
}

TEST(ConnectionTest, ConnectingToNothingFailsWithCompilerGymsMessage) {
  ConnectionOpts opts;
  opts.init_max_seconds = 0.1;
  opts.init_max_attempts = 2;
  opts.rpc_init_max_seconds = 0.5;
  const std::string url = "localhost:" + std::to_string(unusedPort());
  std::shared_ptr<Connection> connection;
  const Status status = Connection::connect(url, opts, &connection);
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  const std::string prefix = "Failed to create connection to " + url + " after ";
  EXPECT_EQ(status.message().rfind(prefix, 0), 0u) << status.message();
  EXPECT_NE(
      status.message().find(
          " seconds (1 attempt made).\nLast error (TimeoutError): Failed to connect to " + url),
      std::string::npos)
      << status.message();
}

TEST(ConnectionTest, AttemptBudgetExhaustedIsServiceInit) {
  ConnectionOpts opts;
  opts.init_max_seconds = 10;
  opts.init_max_attempts = 2;
  opts.rpc_init_max_seconds = 0.1;
  const std::string url = "localhost:" + std::to_string(unusedPort());
  std::shared_ptr<Connection> connection;
  const Status status = Connection::connect(url, opts, &connection);
  EXPECT_EQ(status.code(), StatusCode::kServiceInit);
  EXPECT_NE(status.message().find("(2 attempts made)"), std::string::npos) << status.message();
}

TEST(ConnectionTest, NegativeTimeoutIsDeadlineExceeded) {
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  compiler_gym::GetSpacesReply reply;
  CallOptions call;
  call.timeout = -10;
  const Status status =
      connection->call(Rpc::kGetSpaces, compiler_gym::GetSpacesRequest(), &reply, call);
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(status.message().find("Deadline Exceeded (-10.0 seconds)"), std::string::npos)
      << status.message();
}

TEST(ConnectionTest, ManagedConnectionDescribesItsService) {
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  const std::optional<int> pid = connection->pid();
  ASSERT_TRUE(pid);
  EXPECT_EQ(connection->toString(), "Connection to service at " + connection->url() +
                                        " running on PID " + std::to_string(*pid));
  const fs::path wd = connection->workingDirectory();
  EXPECT_TRUE(fs::exists(wd / "port.txt"));
  EXPECT_EQ(fs::status(wd).permissions() & fs::perms::all, fs::perms::owner_all);
  kill(*pid, SIGKILL);
  ASSERT_TRUE(waitUntilDead(*pid));
  for (int i = 0; i < 1000 && connection->pid(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(connection->toString(), "Connection to dead service at " + connection->url());
  connection.reset();
  EXPECT_FALSE(fs::exists(wd));
}

TEST(ConnectionTest, CloseReportsANonZeroExitOnce) {
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  // A session left open makes the service exit with 6 on SIGTERM.
  compiler_gym::StartSessionRequest start;
  *start.mutable_benchmark() = fooBenchmark();
  compiler_gym::StartSessionReply started;
  ASSERT_OK(connection->call(Rpc::kStartSession, start, &started));
  EXPECT_STATUS(connection->close(), kInternal, "Service exited with returncode 6");
  ASSERT_OK(connection->close());
  EXPECT_TRUE(connection->closed());
}

TEST(ConnectionTest, ClosedConnectionReconnectsOnTheNextCall) {
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  const int firstPid = *connection->pid();
  ASSERT_OK(connection->close());
  compiler_gym::GetVersionReply reply;
  ASSERT_OK(connection->call(Rpc::kGetVersion, compiler_gym::GetVersionRequest(), &reply));
  EXPECT_EQ(reply.compiler_version(), "1.0.0");
  ASSERT_TRUE(connection->pid());
  EXPECT_NE(*connection->pid(), firstPid);
  ASSERT_OK(connection->restart());
  ASSERT_OK(connection->call(Rpc::kGetVersion, compiler_gym::GetVersionRequest(), &reply));
}

// A "service" that dies at start-up.
fs::path writeScript(const std::string& name, const std::string& body) {
  const fs::path path = fs::temp_directory_path() / (name + "-" + std::to_string(getpid()));
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

TEST(ConnectionTest, ServiceThatCrashesAtStartupGivesItsExitStatusAndLog) {
  const fs::path script = writeScript(
      "crashing-service",
      "echo 'cannot load libfoo.so' > \"${1#--working_dir=}/logs/service.log\"; exit 3");
  ConnectionOpts opts;
  opts.init_max_attempts = 2;
  std::shared_ptr<Connection> connection;
  const Status status = Connection::connect(script.string(), opts, &connection);
  EXPECT_EQ(status.code(), StatusCode::kServiceInit);
  EXPECT_NE(status.message().find("(2 attempts made)"), std::string::npos) << status.message();
  EXPECT_NE(
      status.message().find("Last error (ServiceInitError): Service terminated with returncode: 3"),
      std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("cannot load libfoo.so"), std::string::npos) << status.message();
  fs::remove(script);
}

TEST(ConnectionTest, ServiceThatNeverWritesItsPortTimesOut) {
  const fs::path script = writeScript("silent-service", "exec sleep 100");
  ConnectionOpts opts;
  opts.init_max_attempts = 1;
  opts.local_service_port_init_max_seconds = 0.3;
  std::shared_ptr<Connection> connection;
  const Status status = Connection::connect(script.string(), opts, &connection);
  EXPECT_EQ(status.code(), StatusCode::kServiceInit);
  EXPECT_NE(status.message().find("Service failed to produce port file after 0.3 seconds"),
            std::string::npos)
      << status.message();
  fs::remove(script);
}

// --- Faults -----------------------------------------------------------------------------

TEST(FaultTest, KilledServiceEndsTheEpisodeAndResetRecovers) {
  EnvOptions opts;
  opts.benchmark = fooBenchmark();
  opts.observation_space = "runtime";
  opts.reward_space = "runtime";
  opts.rewards.push_back(std::make_unique<DefaultRewardFromObservation>("runtime"));
  opts.connection.rpc_max_retries = 1;
  opts.connection.retry_wait_seconds = 0.01;
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(CGYM_EXAMPLE_SERVICE, std::move(opts), &env));
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(action(0), &result));
  const int pid = *env->connection()->pid();
  kill(pid, SIGKILL);
  ASSERT_TRUE(waitUntilDead(pid));
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_TRUE(result.done);
  EXPECT_FALSE(result.info.error_type.empty());
  EXPECT_FALSE(result.info.error_details.empty());
  ASSERT_EQ(result.observations.size(), 1u);
  ASSERT_EQ(result.rewards.size(), 1u);
  EXPECT_EQ(result.rewards[0], 0.0);
  EXPECT_FALSE(env->inEpisode());
  // The next reset launches a new service.
  ASSERT_OK(env->reset());
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_FALSE(result.done);
  EXPECT_NE(*env->connection()->pid(), pid);
}

}  // namespace
}  // namespace cgym::client

namespace cgym::client {
namespace {

// A reward written by a user: the number of actions of the step, plus 100 if the observation
// view reports the expected IR (rewards may compute observations they did not declare).
class CountingReward final : public Reward {
 public:
  CountingReward() : Reward(spec()) {}
  static Spec spec() {
    Spec s;
    s.name = "count";
    s.deterministic = true;
    return s;
  }
  Status reset(const Benchmark&, ObservationView&) override {
    ++resets;
    return Status::OK();
  }
  Status update(const std::vector<Event>& actions, const std::vector<Event>&, ObservationView& view,
                double* reward) override {
    Event ir;
    CGYM_RETURN_IF_ERROR(view.observe("ir", &ir));
    *reward =
        static_cast<double>(actions.size()) + (ir.string_value() == "Hello, world!" ? 100 : 0);
    return Status::OK();
  }
  std::unique_ptr<Reward> clone() const override { return std::make_unique<CountingReward>(*this); }
  int resets = 0;
};

TEST(CustomRewardTest, UserRewardsSeeActionsAndTheObservationView) {
  EnvOptions opts;
  opts.benchmark = fooBenchmark();
  opts.reward_space = "count";
  opts.rewards.push_back(std::make_unique<CountingReward>());
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(CGYM_EXAMPLE_SERVICE, std::move(opts), &env));
  ASSERT_OK(env->reset());
  EXPECT_EQ(static_cast<CountingReward*>(env->rewardSpace())->resets, 1);
  StepResult result;
  ASSERT_OK(env->step(std::vector<Event>{action(0), action(1)}, &result));
  ASSERT_EQ(result.rewards.size(), 1u);
  EXPECT_EQ(result.rewards[0], 102.0);
  EXPECT_EQ(env->episodeReward(), 102.0);
  // A fork carries a copy of the reward with its state.
  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  EXPECT_EQ(static_cast<CountingReward*>(fork->rewardSpace())->resets, 1);
  EXPECT_NE(fork->rewardSpace(), env->rewardSpace());
  EXPECT_EQ(fork->episodeReward(), 102.0);
}

// The test session of the runtime tests, served in this process over gRPC, so that a call
// can be held in flight.
class TestSessionServer {
 public:
  TestSessionServer()
      : core_([](const fs::path& wd) { return std::make_unique<cgym::testing::TestSession>(wd); }) {
    EXPECT_TRUE(GrpcServer::start(core_, {}, &server_).ok());
  }
  std::string endpoint() const { return server_->target(); }

 private:
  ServiceCore core_;
  std::unique_ptr<GrpcServer> server_;
};

TEST(DeadlineTest, ADeadlineThatExpiresInFlightEndsTheStepAndTheEnvStaysUsable) {
  cgym::testing::control().actionGate.close();
  TestSessionServer server;
  EnvOptions opts;
  opts.benchmark.emplace();
  opts.benchmark->set_uri("benchmark://test/a");
  opts.benchmark->mutable_program()->set_contents("x");
  opts.observation_space = "counter";
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(server.endpoint(), std::move(opts), &env));
  ASSERT_OK(env->reset());
  StepResult result;
  StepOptions shortDeadline;
  shortDeadline.timeout = 0.2;
  ASSERT_OK(env->step(action(-5), &result, shortDeadline));  // held at the gate
  EXPECT_TRUE(result.done);
  EXPECT_EQ(result.info.error_type, "TimeoutError");
  EXPECT_EQ(result.info.error_details.rfind("Deadline Exceeded (0.2 seconds)", 0), 0u)
      << result.info.error_details;
  ASSERT_EQ(result.observations.size(), 1u);
  EXPECT_EQ(result.observations[0].int64_value(), 0);  // the space's default observation
  cgym::testing::control().actionGate.open();
  ASSERT_OK(env->reset());
  ASSERT_OK(env->step(action(3), &result));
  EXPECT_FALSE(result.done);
  EXPECT_EQ(result.observations[0].int64_value(), 3);
}

EnvOptions testSessionOptions() {
  EnvOptions opts;
  opts.benchmark.emplace();
  opts.benchmark->set_uri("benchmark://test/a");
  opts.benchmark->mutable_program()->set_contents("x");
  return opts;
}

TEST(DetachedEndTest, FreeingAForkDoesNotWaitForItsEndSession) {
  cgym::testing::TestSessionControl& control = cgym::testing::control();
  control.actionGate.close();
  TestSessionServer server;
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(server.endpoint(), testSessionOptions(), &env));
  ASSERT_OK(env->reset());
  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  const int live = control.liveSessions.load();
  // Another client holds the fork's session in a step (action -5 waits at the gate), and
  // the service's EndSession waits for a step in flight.
  auto channel = grpc::CreateChannel(server.endpoint(), grpc::InsecureChannelCredentials());
  auto stub = compiler_gym::CompilerGymService::NewStub(channel);
  std::thread blocked([&] {
    compiler_gym::StepRequest request;
    request.set_session_id(*fork->sessionId());
    *request.add_action() = action(-5);
    compiler_gym::StepReply reply;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    EXPECT_TRUE(stub->Step(&context, request, &reply).ok());
  });
  while (control.actionGate.waiting() == 0) std::this_thread::yield();
  ASSERT_OK(fork->close());  // returns with its EndSession still waiting for the step
  EXPECT_EQ(control.actionGate.waiting(), 1);
  EXPECT_EQ(control.liveSessions.load(), live);
  control.actionGate.open();
  blocked.join();
  env->connection()->drainDetached();
  EXPECT_EQ(control.liveSessions.load(), live - 1);  // the fork's session was ended
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_FALSE(result.done);
}

// A service with room for one session whose EndSession is held until a StartSession has been
// refused: the refused StartSession of a reset must wait for the reset's own (detached)
// EndSession and be retried, not fail.
class OneSessionService final : public compiler_gym::CompilerGymService::Service {
 public:
  grpc::Status GetSpaces(grpc::ServerContext*, const compiler_gym::GetSpacesRequest*,
                         compiler_gym::GetSpacesReply* reply) override {
    compiler_gym::ActionSpace* space = reply->add_action_space_list();
    space->set_name("default");
    space->mutable_space()->mutable_named_discrete()->add_name("a");
    reply->add_observation_space_list()->set_name("none");
    return grpc::Status::OK;
  }
  grpc::Status StartSession(grpc::ServerContext*, const compiler_gym::StartSessionRequest*,
                            compiler_gym::StartSessionReply* reply) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_ > 0) {
      ++refused_;
      endGate_.open();
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "Too many sessions");
    }
    ++open_;
    reply->set_session_id(++lastId_);
    return grpc::Status::OK;
  }
  grpc::Status EndSession(grpc::ServerContext*, const compiler_gym::EndSessionRequest*,
                          compiler_gym::EndSessionReply* reply) override {
    if (!endGate_.wait()) return grpc::Status(grpc::StatusCode::INTERNAL, "gate timeout");
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
    reply->set_remaining_sessions(open_);
    return grpc::Status::OK;
  }
  int refused() {
    std::lock_guard<std::mutex> lock(mutex_);
    return refused_;
  }

 private:
  std::mutex mutex_;
  int open_ = 0;
  int refused_ = 0;
  int64_t lastId_ = 0;
  cgym::testing::Gate endGate_;  // closed until a StartSession is refused
};

TEST(DetachedEndTest, AStartRefusedWhileAnEndIsInFlightIsRetriedOnceItHasEnded) {
  OneSessionService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_TRUE(server);
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make("127.0.0.1:" + std::to_string(port), testSessionOptions(), &env));
  ASSERT_OK(env->reset());
  const std::shared_ptr<Connection> connection = env->connection();
  ASSERT_OK(env->reset());  // EndSession (held) + StartSession (refused, then retried)
  EXPECT_EQ(env->connection(), connection);  // retried, not recovered by a new connection
  EXPECT_EQ(service.refused(), 1);
  EXPECT_EQ(*env->sessionId(), 2);
  ASSERT_OK(env->close());
  server->Shutdown();
}

TEST(ForkFallbackTest, AServiceThatCannotForkGetsANewServiceWithTheActionsReplayed) {
  registerInProcessService("no-fork", [](const fs::path& wd) {
    return std::make_unique<cgym::testing::TestSession>(wd);
  });
  EnvOptions opts;
  opts.benchmark.emplace();
  opts.benchmark->set_uri("benchmark://no-fork");
  opts.benchmark->mutable_program()->set_contents("x");
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make("inproc:no-fork", std::move(opts), &env));
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(std::vector<Event>{action(2), action(5)}, &result));
  std::unique_ptr<Env> fork;
  ASSERT_OK(env->fork(&fork));
  EXPECT_NE(fork->connection(), env->connection());  // a new service
  ASSERT_EQ(fork->actions().size(), 2u);
  Event counter;
  ASSERT_OK(fork->observe("counter", &counter));
  EXPECT_EQ(counter.int64_value(), 7);
  ASSERT_OK(fork->step(action(1), &result));
  ASSERT_OK(env->observe("counter", &counter));
  EXPECT_EQ(counter.int64_value(), 7);
  EXPECT_TRUE(unregisterInProcessService("no-fork"));
}

}  // namespace
}  // namespace cgym::client

namespace cgym::client {
namespace {

TEST(NewActionSpaceTest, TheEnvAdoptsTheActionSpaceTheServiceSwitchesTo) {
  registerInProcessService("switching", [](const fs::path& wd) {
    return std::make_unique<cgym::testing::TestSession>(wd);
  });
  EnvOptions opts;
  opts.benchmark.emplace();
  opts.benchmark->set_uri("benchmark://test/a");
  opts.benchmark->mutable_program()->set_contents("x");
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make("inproc:switching", std::move(opts), &env));
  ASSERT_OK(env->reset());
  EXPECT_EQ(env->actionSpace().name(), "main");
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_FALSE(result.info.new_action_space);
  ASSERT_OK(env->step(action(-4), &result));
  EXPECT_TRUE(result.info.new_action_space);
  EXPECT_EQ(env->actionSpace().name(), "other");
  EXPECT_TRUE(env->actionSpace().space().has_discrete());
  EXPECT_TRUE(unregisterInProcessService("switching"));
}

}  // namespace
}  // namespace cgym::client

namespace cgym::client {
namespace {

TEST(UnixSocketTest, AnEnvDrivesAServiceOnAUnixSocket) {
  const std::string path =
      (fs::temp_directory_path() / ("cgym-env-test-" + std::to_string(getpid()) + ".sock"))
          .string();
  ServiceCore core(
      [](const fs::path& wd) { return std::make_unique<example::ExampleSession>(wd); });
  GrpcServerOptions serverOptions;
  serverOptions.host = "unix:" + path;
  std::unique_ptr<GrpcServer> server;
  ASSERT_TRUE(GrpcServer::start(core, serverOptions, &server).ok());
  EnvOptions opts;
  opts.benchmark = fooBenchmark();
  opts.observation_space = "ir";
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make("unix:" + path, std::move(opts), &env));
  EXPECT_EQ(env->connection()->kind(), Connection::Kind::kUnmanaged);
  std::optional<Event> observation;
  ASSERT_OK(env->reset({}, &observation));
  EXPECT_EQ(observation->string_value(), "Hello, world!");
  ASSERT_OK(env->close());
  server.reset();
  fs::remove(path);
}

TEST(RewardTest, RewardOnErrorIsTheDefaultOrItsDifferenceFromTheEpisodeReward) {
  Reward::Spec spec;
  spec.name = "r";
  spec.defaultValue = 5;
  CountingReward plain;
  EXPECT_EQ(plain.rewardOnError(3), 0);
  struct Negating final : public Reward {
    explicit Negating(Spec s) : Reward(std::move(s)) {}
    Status update(const std::vector<Event>&, const std::vector<Event>&, ObservationView&,
                  double*) override {
      return Status::OK();
    }
    std::unique_ptr<Reward> clone() const override { return nullptr; }
  };
  EXPECT_EQ(Negating(spec).rewardOnError(3), 5);
  spec.defaultNegatesReturns = true;
  EXPECT_EQ(Negating(spec).rewardOnError(3), 2);
}

}  // namespace
}  // namespace cgym::client
