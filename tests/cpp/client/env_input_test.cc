// SPDX-License-Identifier: MIT
// The client and the service runtime given careless input: times that are infinite, huge, NaN
// or negative; endpoints that have gone away between resets; strings that are not UTF-8;
// actions the commandline cannot name; session parameters the service rejects; service
// definitions with two spaces of one name.
#include <gtest/gtest.h>

#include <cfloat>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <set>

#include "client/connection.h"
#include "client/env.h"
#include "common/deadline.h"
#include "common/limits.h"
#include "common/text.h"
#include "example_cc/example_session.h"
#include "service/service_core.h"
#include "status_test_util.h"

namespace cgym::client {
namespace {

namespace fs = std::filesystem;
using compiler_gym::ActionSpace;
using compiler_gym::Benchmark;
using compiler_gym::Event;
using compiler_gym::ObservationSpace;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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

EnvOptions exampleOptions() {
  EnvOptions options;
  options.benchmark = fooBenchmark();
  options.connection.init_max_seconds = 10;
  return options;
}

// Registers the C++ example session in this process under `name` for the test's lifetime.
class InProcessExample {
 public:
  explicit InProcessExample(std::string name) : name_(std::move(name)) {
    registerInProcessService(
        name_, [](const fs::path& wd) { return std::make_unique<example::ExampleSession>(wd); });
  }
  ~InProcessExample() { unregisterInProcessService(name_); }
  std::string endpoint() const { return "inproc:" + name_; }

 private:
  std::string name_;
};

// ---------------------------------------------------------------------------------------
// Times.

TEST(DeadlineArithmeticTest, DeadlinesSaturateInsteadOfOverflowing) {
  using Clock = std::chrono::system_clock;
  const Clock::time_point now = Clock::now();
  for (double seconds : {kInf, 1e10, 7.5e9, 1e300, DBL_MAX}) {
    EXPECT_EQ(deadlineAfter<Clock>(seconds, now), Clock::time_point::max()) << seconds;
  }
  EXPECT_EQ(deadlineAfter<Clock>(1.5, now) - now, std::chrono::milliseconds(1500));
  EXPECT_EQ(deadlineAfter<Clock>(1e9, now) - now, std::chrono::seconds(1000000000));
  for (double seconds : {0.0, -1.0, -kInf, kNaN}) {
    EXPECT_EQ(deadlineAfter<Clock>(seconds, now), now) << seconds;
  }
  using Steady = std::chrono::steady_clock;
  EXPECT_EQ(deadlineAfter<Steady>(kInf), Steady::time_point::max());
}

TEST(TimeoutTest, InfiniteAndHugeTimeoutsMeanNoDeadline) {
  // Infinity, and times whose deadline the clocks cannot represent (1.7e10 s used to wrap
  // around to a deadline in the past, 1e13 s to "now").
  for (double timeout : {kInf, 1.7e10, 1e13, DBL_MAX}) {
    EnvOptions options = exampleOptions();
    options.connection.init_max_seconds = timeout;
    options.connection.rpc_init_max_seconds = timeout;
    options.connection.local_service_port_init_max_seconds = timeout;
    options.connection.local_service_exit_max_seconds = timeout;
    std::unique_ptr<Env> env;
    ASSERT_OK(Env::make(CGYM_EXAMPLE_SERVICE, std::move(options), &env));
    ResetOptions reset;
    reset.timeout = timeout;
    ASSERT_OK(env->reset(reset));
    StepOptions stepOptions;
    stepOptions.timeout = timeout;
    stepOptions.observation_spaces = std::vector<std::string>{"ir"};
    for (int i = 0; i < 3; ++i) {
      StepResult result;
      ASSERT_OK(env->step(action(i), &result, stepOptions));
      EXPECT_FALSE(result.done) << timeout << ": " << result.info.error_details;
      ASSERT_EQ(result.observations.size(), 1u);
      EXPECT_EQ(result.observations[0].string_value(), "Hello, world!");
    }
    ASSERT_OK(env->close());
  }
}

TEST(TimeoutTest, NanOrNegativeConnectionTimesAreInvalid) {
  InProcessExample service("input-times");
  struct Case {
    double ConnectionOpts::*field;
    std::string name;
  };
  const Case cases[] = {
      {&ConnectionOpts::retry_wait_seconds, "retry_wait_seconds"},
      {&ConnectionOpts::init_max_seconds, "init_max_seconds"},
      {&ConnectionOpts::local_service_port_init_max_seconds, "local_service_port_init_max_seconds"},
      {&ConnectionOpts::local_service_exit_max_seconds, "local_service_exit_max_seconds"},
      {&ConnectionOpts::rpc_init_max_seconds, "rpc_init_max_seconds"},
  };
  for (const Case& c : cases) {
    for (double bad : {kNaN, -1.0, -kInf}) {
      EnvOptions options = exampleOptions();
      options.connection.*c.field = bad;
      std::unique_ptr<Env> env;
      const Status status = Env::make(service.endpoint(), std::move(options), &env);
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.name << " " << bad;
      EXPECT_NE(status.message().find("ConnectionOpts." + c.name + " must be"), std::string::npos)
          << status.message();
      EXPECT_EQ(env, nullptr);
    }
  }
  ConnectionOpts opts;
  opts.retry_wait_backoff_exponent = kNaN;
  EXPECT_STATUS(opts.validate(), kInvalidArgument,
                "ConnectionOpts.retry_wait_backoff_exponent must be a number >= 0");
  opts = ConnectionOpts();
  opts.init_max_seconds = -2;
  EXPECT_STATUS(opts.validate(), kInvalidArgument,
                "ConnectionOpts.init_max_seconds must be a number of seconds >= 0 (or infinity), "
                "got -2");
  opts = ConnectionOpts();
  opts.rpc_init_max_seconds = kInf;
  opts.retry_wait_seconds = 0;
  ASSERT_OK(opts.validate());
}

TEST(TimeoutTest, NanOrNegativeCallTimeoutsAreInvalidAndChangeNothing) {
  InProcessExample service("input-call-times");
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(service.endpoint(), exampleOptions(), &env));
  for (double bad : {kNaN, -1.0, -kInf}) {
    ResetOptions reset;
    reset.timeout = bad;
    reset.benchmark = fooBenchmark();
    reset.observation_space = "ir";
    const Status status = env->reset(reset);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message().rfind("The reset timeout must be a number of seconds >= 0", 0), 0u)
        << status.message();
    EXPECT_FALSE(env->inEpisode());
    EXPECT_EQ(env->observationSpace(), nullptr);  // the options were not applied
  }
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  for (double bad : {kNaN, -0.5}) {
    StepOptions options;
    options.timeout = bad;
    const Status status = env->step(action(2), &result, options);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message().rfind("The step timeout must be a number of seconds >= 0", 0), 0u)
        << status.message();
  }
  // Nothing was sent or recorded; the episode goes on.
  EXPECT_TRUE(env->inEpisode());
  EXPECT_EQ(env->actions().size(), 1u);
  ASSERT_OK(env->step(action(2), &result));
  EXPECT_FALSE(result.done);

  std::shared_ptr<Connection> connection = env->connection();
  compiler_gym::GetVersionRequest request;
  compiler_gym::GetVersionReply reply;
  CallOptions call;
  call.timeout = kNaN;
  EXPECT_STATUS(connection->call(Rpc::kGetVersion, request, &reply, call), kInvalidArgument,
                "The timeout must be a number, got nan");
  call.timeout = kInf;
  ASSERT_OK(connection->call(Rpc::kGetVersion, request, &reply, call));
  // A zero timeout is valid: it expires at once and ends the episode, as in CompilerGym.
  StepOptions zero;
  zero.timeout = 0;
  ASSERT_OK(env->step(action(2), &result, zero));
  EXPECT_TRUE(result.done);
  EXPECT_EQ(result.info.error_type, "TimeoutError");
  ASSERT_OK(env->close());
}

// ---------------------------------------------------------------------------------------
// Endpoints that are gone.

TEST(GoneEndpointTest, AResetAfterTheManagedBinaryWasDeletedIsNotFound) {
  char pattern[] = "/tmp/cgym-input-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const fs::path dir = pattern;
  const fs::path binary = dir / "service-copy";
  fs::copy_file(CGYM_EXAMPLE_SERVICE, binary);
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(binary.string(), exampleOptions(), &env));
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  ASSERT_OK(env->close());
  fs::remove(binary);

  const std::string notFound = "File not found: " + binary.string();
  EXPECT_STATUS(env->reset(), kNotFound, notFound);
  EXPECT_STATUS(env->reset(), kNotFound, notFound);  // and again: nothing was left half-done
  EXPECT_FALSE(env->inEpisode());
  std::unique_ptr<Env> fork;
  EXPECT_STATUS(env->fork(&fork), kNotFound, notFound);
  EXPECT_EQ(fork, nullptr);
  CompilerEnvState state;
  state.benchmark = fooBenchmark().uri();
  state.commandline = "b";
  ValidationResult validation;
  EXPECT_STATUS(env->validate(state, &validation), kNotFound, notFound);
  EXPECT_STATUS(env->validate(std::nullopt, &validation), kNotFound, notFound);
  ASSERT_OK(env->close());
  fs::remove_all(dir);
}

TEST(GoneEndpointTest, AResetAfterTheInProcessServiceWasUnregisteredIsNotFound) {
  registerInProcessService("input-gone", [](const fs::path& wd) {
    return std::make_unique<example::ExampleSession>(wd);
  });
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make("inproc:input-gone", exampleOptions(), &env));
  ASSERT_OK(env->reset());
  ASSERT_TRUE(unregisterInProcessService("input-gone"));
  // The running service is not affected...
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  ASSERT_OK(env->close());
  // ...but a new one cannot be made.
  const std::string notFound = "No in-process service registered as 'input-gone'";
  EXPECT_STATUS(env->reset(), kNotFound, notFound);
  std::unique_ptr<Env> fork;
  EXPECT_STATUS(env->fork(&fork), kNotFound, notFound);
  ValidationResult validation;
  EXPECT_STATUS(env->validate(std::nullopt, &validation), kNotFound, notFound);
  // Registered again, the env works again.
  registerInProcessService("input-gone", [](const fs::path& wd) {
    return std::make_unique<example::ExampleSession>(wd);
  });
  ASSERT_OK(env->reset());
  ASSERT_OK(env->fork(&fork));
  ASSERT_OK(env->validate(std::nullopt, &validation));
  EXPECT_TRUE(validation.okay()) << validation.errorDetails();
  ASSERT_OK(fork->close());
  ASSERT_OK(env->close());
  EXPECT_TRUE(unregisterInProcessService("input-gone"));
}

// ---------------------------------------------------------------------------------------
// Strings that are not UTF-8.

TEST(Utf8Test, InvalidUtf8IsFound) {
  EXPECT_EQ(invalidUtf8Offset(""), std::nullopt);
  EXPECT_EQ(invalidUtf8Offset("plain ascii"), std::nullopt);
  EXPECT_EQ(invalidUtf8Offset("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"),
            std::nullopt);  // é € 😀 U+10FFFF
  EXPECT_EQ(invalidUtf8Offset(std::string("a\0b", 3)), std::nullopt);
  EXPECT_EQ(invalidUtf8Offset("ab\xff"), 2u);
  EXPECT_EQ(invalidUtf8Offset("a\xc0\x80"), 1u);         // overlong NUL
  EXPECT_EQ(invalidUtf8Offset("\xe0\x80\xaf"), 0u);      // overlong '/'
  EXPECT_EQ(invalidUtf8Offset("\xed\xa0\x80"), 0u);      // a surrogate
  EXPECT_EQ(invalidUtf8Offset("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(invalidUtf8Offset("x\xe2\x82"), 1u);         // cut short
  EXPECT_EQ(invalidUtf8Offset("\xc3\xa9\x80"), 2u);      // a stray continuation byte
}

TEST(Utf8Test, EchoedInputIsTruncated) {
  EXPECT_EQ(truncateForMessage("short"), "short");
  EXPECT_EQ(truncateForMessage(std::string(200, 'k')), std::string(200, 'k'));
  EXPECT_EQ(truncateForMessage(std::string(201, 'k')), std::string(200, 'k') + "...");
  // Never cut inside a character: 199 bytes then "é" (2 bytes) gives the 199 bytes.
  EXPECT_EQ(truncateForMessage(std::string(199, 'k') + "\xc3\xa9zz"),
            std::string(199, 'k') + "...");
}

TEST(Utf8Test, ASessionParameterThatIsNotUtf8IsInvalidAndNotSent) {
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(CGYM_EXAMPLE_SERVICE, exampleOptions(), &env));
  ASSERT_OK(env->reset());
  const auto pid = env->connection()->pid();
  std::string reply;
  EXPECT_STATUS(env->sendParam("bad\xffkey", "v", &reply), kInvalidArgument,
                "Session parameter 0: the key is not valid UTF-8 (invalid byte at offset 3)");
  EXPECT_STATUS(env->sendParam("service.benchmark_cache.set_max_size_in_bytes", "1\xc0\x80", &reply,
                               /*resendOnReset=*/true),
                kInvalidArgument,
                "Session parameter 0: the value is not valid UTF-8 (invalid byte at offset 1)");
  std::vector<std::string> replies;
  EXPECT_STATUS(env->sendParams({{"service.benchmark_cache.get_size_in_bytes", ""},
                                 {"service.benchmark_cache.get_max_size_in_bytes", "\xed\xa0\x80"}},
                                &replies),
                kInvalidArgument,
                "Session parameter 1: the value is not valid UTF-8 (invalid byte at offset 0)");
  // Nothing was kept for the next reset, and the same service goes on.
  ASSERT_OK(env->reset());
  ASSERT_OK(env->sendParam("service.benchmark_cache.get_max_size_in_bytes", "", &reply));
  EXPECT_EQ(env->connection()->pid(), pid);
  ASSERT_OK(env->close());
}

TEST(Utf8Test, ABenchmarkUriThatIsNotUtf8IsInvalidAndTheServiceIsKept) {
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(CGYM_EXAMPLE_SERVICE, exampleOptions(), &env));
  ASSERT_OK(env->reset());
  const auto pid = env->connection()->pid();
  ASSERT_TRUE(pid.has_value());
  ResetOptions options;
  options.benchmark = fooBenchmark();
  options.benchmark->set_uri("benchmark://example-compiler-v0/\xff");
  EXPECT_STATUS(env->reset(options), kInvalidArgument,
                "benchmark.uri is not valid UTF-8 (invalid byte at offset 32)");
  options.benchmark = fooBenchmark();
  options.benchmark->mutable_program()->set_uri("file:///\xe2\x82");
  EXPECT_STATUS(env->reset(options), kInvalidArgument,
                "benchmark.program.uri is not valid UTF-8 (invalid byte at offset 8)");
  // The service was not taken for dead; the episode goes on.
  EXPECT_EQ(env->connection()->pid(), pid);
  EXPECT_TRUE(env->inEpisode());
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_FALSE(result.done);

  // A benchmark set for the next reset is checked by that reset.
  Benchmark bad = fooBenchmark();
  bad.set_uri("benchmark://x/\xc0\xaf");
  env->setBenchmark(bad);
  EXPECT_STATUS(env->reset(), kInvalidArgument,
                "benchmark.uri is not valid UTF-8 (invalid byte at offset 14)");
  EXPECT_EQ(env->connection()->pid(), pid);
  ASSERT_OK(env->close());
}

// ---------------------------------------------------------------------------------------
// The commandline names int64 actions only.

// An action nested deeper than the limit is refused before it is sent: the service's parser
// would reject it, and the episode would end as a failed step. At the limit, it goes through.
TEST(NestingTest, AnActionNestedTooDeeplyIsInvalidAndTheEpisodeGoesOn) {
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(CGYM_EXAMPLE_SERVICE, exampleOptions(), &env));
  ASSERT_OK(env->reset());
  auto nested = [](int depth) {
    Event event;
    event.set_int64_value(0);
    for (int level = 1; level < depth; ++level) {
      Event list;
      *list.mutable_event_list()->add_event() = std::move(event);
      event = std::move(list);
    }
    return event;
  };
  StepResult result;
  for (int depth : {kMaxNestingDepth + 1, 50}) {
    EXPECT_STATUS(env->step(nested(depth), &result), kInvalidArgument,
                  "Action 0: Event nested deeper than 32 levels");
    EXPECT_TRUE(env->inEpisode());
  }
  ASSERT_OK(env->step(action(1), &result));
  EXPECT_FALSE(result.done);
  EXPECT_EQ(result.info.error_type, "");
}

TEST(CommandlineTest, AnActionThatIsNotAnInt64IsNotWrittenAsAnotherAction) {
  InProcessExample service("input-commandline");
  std::unique_ptr<Env> env;
  ASSERT_OK(Env::make(service.endpoint(), exampleOptions(), &env));
  ASSERT_OK(env->reset());
  StepResult result;
  ASSERT_OK(env->step(action(1), &result));
  CompilerEnvState state;
  ASSERT_OK(env->state(&state));
  EXPECT_EQ(state.commandline, "b");
  // The example session takes any event as an int64 (0, "a" here); the commandline must not.
  Event dict;
  (*dict.mutable_event_dict()->mutable_event())["x"].set_int64_value(2);
  ASSERT_OK(env->step(dict, &result));
  EXPECT_STATUS(
      env->state(&state), kInvalidArgument,
      "The commandline can only name int64 actions, but action 1 is an Event with event_dict");
  ASSERT_OK(env->reset());
  ASSERT_OK(env->step(std::vector<Event>{action(2), Event()}, &result));
  EXPECT_STATUS(env->state(&state), kInvalidArgument,
                "The commandline can only name int64 actions, but action 1 is an empty Event");
  ValidationResult validation;
  EXPECT_STATUS(env->validate(std::nullopt, &validation), kInvalidArgument,
                "The commandline can only name int64 actions, but action 1 is an empty Event");
  std::string text;
  Event str;
  str.set_string_value("a");
  EXPECT_STATUS(
      env->actionsToString({str}, &text), kInvalidArgument,
      "The commandline can only name int64 actions, but action 0 is an Event with string_value");
  ASSERT_OK(env->close());
}

// ---------------------------------------------------------------------------------------
// Session parameters kept for resending.

// What the parameter sessions have been sent, and which keys they reject.
struct ParamLog {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> received;
  std::set<std::string> rejected;

  void reset() {
    std::lock_guard<std::mutex> lock(mutex);
    received.clear();
    rejected.clear();
  }
  std::vector<std::pair<std::string, std::string>> take() {
    std::lock_guard<std::mutex> lock(mutex);
    return std::exchange(received, {});
  }
  void reject(const std::string& key, bool yes) {
    std::lock_guard<std::mutex> lock(mutex);
    if (yes) {
      rejected.insert(key);
    } else {
      rejected.erase(key);
    }
  }
};
ParamLog& paramLog() {
  static ParamLog log;
  return log;
}

// A session that takes every parameter of a key starting with "p." (replying its value) but
// those paramLog() rejects (ABORTED), and records what it took.
class ParamSession final : public CompilationSession {
 public:
  using CompilationSession::CompilationSession;
  std::vector<ActionSpace> getActionSpaces() const override {
    ActionSpace space;
    space.set_name("actions");
    space.mutable_space()->mutable_discrete()->set_n(2);
    return {space};
  }
  std::vector<ObservationSpace> getObservationSpaces() const override {
    ObservationSpace space;
    space.set_name("zero");
    return {space};
  }
  Status init(const ActionSpace&, const Benchmark&) override { return Status::OK(); }
  Status applyAction(const Event&, bool&, std::optional<ActionSpace>&, bool&) override {
    return Status::OK();
  }
  Status computeObservation(const ObservationSpace&, Event& observation) override {
    observation.set_int64_value(0);
    return Status::OK();
  }
  Status handleSessionParameter(const std::string& key, const std::string& value,
                                std::optional<std::string>& reply) override {
    if (key.rfind("p.", 0) != 0) return Status::OK();
    ParamLog& log = paramLog();
    std::lock_guard<std::mutex> lock(log.mutex);
    if (log.rejected.count(key)) return Status(StatusCode::kAborted, "rejected " + key);
    log.received.emplace_back(key, value);
    reply = value;
    return Status::OK();
  }
};

class ResendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paramLog().reset();
    registerInProcessService("input-params",
                             [](const fs::path& wd) { return std::make_unique<ParamSession>(wd); });
    EnvOptions options;
    options.benchmark.emplace().set_uri("benchmark://params/a");
    ASSERT_OK(Env::make("inproc:input-params", std::move(options), &env_));
  }
  void TearDown() override {
    if (env_) {
      EXPECT_TRUE(env_->close().ok());
    }
    unregisterInProcessService("input-params");
  }
  using Params = std::vector<std::pair<std::string, std::string>>;
  std::unique_ptr<Env> env_;
};

TEST_F(ResendTest, AParameterTheServiceRejectsIsNotKept) {
  ASSERT_OK(env_->reset());
  std::string reply;
  ASSERT_OK(env_->sendParam("p.good", "1", &reply, /*resendOnReset=*/true));
  EXPECT_EQ(reply, "1");
  paramLog().reject("p.bad", true);
  EXPECT_STATUS(env_->sendParam("p.bad", "2", &reply, true), kAborted,
                "RPC call returned status code StatusCode.ABORTED and error `rejected p.bad`");
  EXPECT_EQ(env_->sendParam("nobody.knows", "3", &reply, true).code(),
            StatusCode::kInvalidArgument);
  paramLog().take();
  // Later resets resend the accepted parameter only, after a close too.
  ASSERT_OK(env_->reset());
  EXPECT_EQ(paramLog().take(), (Params{{"p.good", "1"}}));
  ASSERT_OK(env_->close());
  ASSERT_OK(env_->reset());
  EXPECT_EQ(paramLog().take(), (Params{{"p.good", "1"}}));
  // A new value that is rejected leaves the kept one.
  paramLog().reject("p.good", true);
  EXPECT_STATUS(env_->sendParam("p.good", "9", &reply, true), kAborted,
                "RPC call returned status code StatusCode.ABORTED and error `rejected p.good`");
  paramLog().reject("p.good", false);
  ASSERT_OK(env_->reset());
  EXPECT_EQ(paramLog().take(), (Params{{"p.good", "1"}}));
}

TEST_F(ResendTest, AParameterKeptBeforeTheFirstResetAndRejectedByItIsNotKept) {
  paramLog().reject("p.bad", true);
  std::string reply;
  EXPECT_EQ(env_->sendParam("p.bad", "1", &reply, true).code(), StatusCode::kSessionNotFound);
  EXPECT_EQ(env_->sendParam("p.good", "2", &reply, true).code(), StatusCode::kSessionNotFound);
  const Status status = env_->reset();
  EXPECT_EQ(status.code(), StatusCode::kAborted);
  EXPECT_EQ(status.message(),
            "Failed to resend session parameters on reset: RPC call returned status code "
            "StatusCode.ABORTED and error `rejected p.bad` (send a parameter again with "
            "resend_on_reset=false to stop resending it)");
  paramLog().take();
  ASSERT_OK(env_->reset());
  // Both were dropped: they were sent together and never accepted.
  EXPECT_EQ(paramLog().take(), (Params{}));
}

TEST_F(ResendTest, SendingAKeyWithoutResendWithdrawsIt) {
  ASSERT_OK(env_->reset());
  std::vector<std::string> replies;
  ASSERT_OK(env_->sendParams({{"p.a", "1"}, {"p.b", "2"}, {"p.c", "3"}}, &replies, true));
  // The service changes its mind about p.b: every reset fails until it is withdrawn.
  paramLog().reject("p.b", true);
  EXPECT_EQ(env_->reset().code(), StatusCode::kAborted);
  EXPECT_EQ(env_->reset().code(), StatusCode::kAborted);
  ASSERT_OK(env_->close());
  EXPECT_EQ(env_->reset().code(), StatusCode::kAborted);
  std::string reply;
  // Withdrawn even though this send fails too.
  EXPECT_STATUS(env_->sendParam("p.b", "0", &reply, /*resendOnReset=*/false), kAborted,
                "RPC call returned status code StatusCode.ABORTED and error `rejected p.b`");
  paramLog().take();
  ASSERT_OK(env_->reset());
  EXPECT_EQ(paramLog().take(), (Params{{"p.a", "1"}, {"p.c", "3"}}));
  // Withdrawn before any episode as well.
  ASSERT_OK(env_->close());
  EXPECT_EQ(env_->sendParam("p.a", "1", &reply, false).code(), StatusCode::kSessionNotFound);
  ASSERT_OK(env_->reset());
  EXPECT_EQ(paramLog().take(), (Params{{"p.c", "3"}}));
  // A fork keeps the same list.
  std::unique_ptr<Env> fork;
  ASSERT_OK(env_->fork(&fork));
  paramLog().take();
  ASSERT_OK(fork->reset());
  EXPECT_EQ(paramLog().take(), (Params{{"p.c", "3"}}));
  ASSERT_OK(fork->close());
}

// ---------------------------------------------------------------------------------------
// Space names are unique.

// A session with two spaces of one name: observation spaces if `observations`, else action
// spaces.
class DuplicateSpacesSession final : public CompilationSession {
 public:
  DuplicateSpacesSession(const fs::path& wd, bool observations)
      : CompilationSession(wd), observations_(observations) {}
  std::vector<ActionSpace> getActionSpaces() const override {
    std::vector<ActionSpace> spaces(observations_ ? 1 : 3);
    spaces[0].set_name("act");
    if (!observations_) {
      spaces[1].set_name("other");
      spaces[2].set_name("act");
    }
    return spaces;
  }
  std::vector<ObservationSpace> getObservationSpaces() const override {
    std::vector<ObservationSpace> spaces(observations_ ? 2 : 1);
    spaces[0].set_name("obs");
    if (observations_) spaces[1].set_name("obs");
    return spaces;
  }
  Status init(const ActionSpace&, const Benchmark&) override { return Status::OK(); }
  Status applyAction(const Event&, bool&, std::optional<ActionSpace>&, bool&) override {
    return Status::OK();
  }
  Status computeObservation(const ObservationSpace&, Event&) override { return Status::OK(); }

 private:
  bool observations_;
};

TEST(DuplicateSpacesTest, AServiceCoreRejectsTwoSpacesOfOneName) {
  for (bool observations : {true, false}) {
    try {
      ServiceCore core([observations](const fs::path& wd) {
        return std::make_unique<DuplicateSpacesSession>(wd, observations);
      });
      ADD_FAILURE() << "duplicate names accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), observations ? "Duplicate observation space name: 'obs'"
                                                    : "Duplicate action space name: 'act'");
    }
  }
}

TEST(DuplicateSpacesTest, AnInProcessServiceWithTwoSpacesOfOneNameCannotBeConnectedTo) {
  registerInProcessService("input-duplicates", [](const fs::path& wd) {
    return std::make_unique<DuplicateSpacesSession>(wd, true);
  });
  std::unique_ptr<Env> env;
  EXPECT_STATUS(Env::make("inproc:input-duplicates", exampleOptions(), &env), kInvalidArgument,
                "Failed to create the service: Duplicate observation space name: 'obs'");
  EXPECT_TRUE(unregisterInProcessService("input-duplicates"));
}

}  // namespace
}  // namespace cgym::client
