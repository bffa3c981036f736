// SPDX-License-Identifier: MIT
// The example service written in C (services/example, a session on cgym.h's vtable) against
// the expectations of the C++ example (ExampleServiceTest in service_test.cc), over real gRPC
// to the C binary run as an unmanaged service; and the two services' replies compared RPC by
// RPC, byte for byte.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "client/process.h"
#include "compiler_gym_service.grpc.pb.h"
#include "example_cc/example_session.h"
#include "grpc_test_util.h"
#include "service/service_core.h"

namespace cgym {
namespace {

namespace fs = std::filesystem;
using namespace compiler_gym;
using cgym::testing::call;
using cgym::testing::intEvent;
using client::ChildProcess;
using client::SpawnOptions;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

// A service binary this test runs itself (as env_test.cc's ExternalService), with a stub.
class ExternalService {
 public:
  explicit ExternalService(const std::string& binary) {
    char pattern[] = "/tmp/cgym-c-session-test-XXXXXX";
    const char* dir = mkdtemp(pattern);
    EXPECT_NE(dir, nullptr);
    if (!dir) return;
    dir_ = dir;
    SpawnOptions options;
    options.path = binary;
    options.args = {"--working_dir=" + dir_.string()};
    Status status = ChildProcess::spawn(options, &process_);
    EXPECT_TRUE(status.ok()) << status.message();
    if (!status.ok()) return;
    for (int i = 0; i < 1000 && port_ == 0 && process_->running(); ++i) {
      std::ifstream in(dir_ / "port.txt");
      if (!(in >> port_)) {
        port_ = 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    EXPECT_NE(port_, 0) << binary << " wrote no port.txt";
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);
    stub_ = CompilerGymService::NewStub(grpc::CreateCustomChannel(
        "localhost:" + std::to_string(port_), grpc::InsecureChannelCredentials(), args));
  }

  ~ExternalService() {
    stub_.reset();
    if (process_) process_->terminate(30);
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  CompilerGymService::Stub& stub() { return *stub_; }
  ChildProcess& process() { return *process_; }

  // Closes the channel (as CompilerGym's client does before it stops a service), then sends
  // SIGTERM and returns the exit code.
  int terminate() {
    stub_.reset();
    return process_->terminate(30);
  }
  bool ready() const { return stub_ != nullptr && port_ != 0; }

 private:
  fs::path dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  std::unique_ptr<CompilerGymService::Stub> stub_;
};

std::string serialized(const Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&out);
  out.Trim();
  return bytes;
}

class CSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(service_.ready()); }
  CompilerGymService::Stub& stub() { return service_.stub(); }
  ExternalService service_{CGYM_EXAMPLE_SERVICE_C};
};

// ExampleServiceTest.VersionAndSpaces, against the C service.
TEST_F(CSessionTest, VersionAndSpaces) { cgym::testing::expectExampleVersionAndSpaces(stub()); }

// ExampleServiceTest.EpisodeWithObservationsForkAndOutOfRangeAction, against the C service.
TEST_F(CSessionTest, EpisodeWithObservationsForkAndOutOfRangeAction) {
  StartSessionRequest start;
  start.mutable_benchmark()->set_uri("benchmark://example-compiler-v0/foo");
  start.mutable_benchmark()->mutable_program()->set_contents("Ir data");
  start.add_observation_space(0);
  StartSessionReply started;
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::StartSession, start, &started));
  EXPECT_EQ(started.observation(0).string_value(), "Hello, world!");

  StepRequest request;
  request.set_session_id(started.session_id());
  *request.add_action() = intEvent(0);
  *request.add_action() = intEvent(2);
  for (int i : {0, 1, 2}) request.add_observation_space(i);
  StepReply reply;
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::Step, request, &reply));
  ASSERT_EQ(reply.observation_size(), 3);
  EXPECT_EQ(reply.observation(0).string_value(), "Hello, world!");
  EXPECT_EQ(reply.observation(1).int64_tensor().shape(0), 3u);
  EXPECT_EQ(reply.observation(1).int64_tensor().value_size(), 3);
  EXPECT_EQ(reply.observation(2).double_value(), 0.0);
  EXPECT_FALSE(reply.end_of_session());

  request.clear_action();
  *request.add_action() = intEvent(3);
  EXPECT_STATUS(call(stub(), &CompilerGymService::Stub::Step, request, &reply), INVALID_ARGUMENT,
                "Out-of-range");

  ForkSessionRequest fork;
  fork.set_session_id(started.session_id());
  ForkSessionReply forked;
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::ForkSession, fork, &forked));
  EXPECT_NE(forked.session_id(), started.session_id());
  EndSessionRequest end;
  EndSessionReply ended;
  end.set_session_id(forked.session_id());
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::EndSession, end, &ended));
  EXPECT_EQ(ended.remaining_sessions(), 1);
  end.set_session_id(started.session_id());
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::EndSession, end, &ended));
  EXPECT_EQ(ended.remaining_sessions(), 0);

  // With no session left, SIGTERM makes the service exit with 0 (docs/service.md).
  EXPECT_EQ(service_.terminate(), 0);
}

TEST_F(CSessionTest, SigtermWithALiveSessionExits6) {
  StartSessionRequest start;
  start.mutable_benchmark()->set_uri("benchmark://example-compiler-v0/foo");
  start.mutable_benchmark()->mutable_program()->set_contents("Ir data");
  StartSessionReply started;
  ASSERT_OK(call(stub(), &CompilerGymService::Stub::StartSession, start, &started));
  EXPECT_EQ(service_.terminate(), 6);
}

// The C and C++ example services, side by side: the C binary, the C++ binary, and the C++
// session in this process.
class CAndCppServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(c_.ready());
    ASSERT_TRUE(cc_.ready());
  }

  // Sends the same request to both binaries; expects the same status and equal replies.
  // Session ids are random, so they are logical ones here: a reply's session_id is recorded
  // under the next logical id (0, 1, ...) and not compared, and a request's session_id names
  // each binary's own session of that logical id (an id never recorded goes as is).
  template <typename Method, typename Request, typename Reply>
  void expectSame(const std::string& what, Method method, const Request& request, Reply* cReply,
                  Reply* ccReply) {
    SCOPED_TRACE(what);
    Request cRequest = request, ccRequest = request;
    if constexpr (HasSessionId<Request>::value) {
      auto it = sessions_.find(request.session_id());
      if (it != sessions_.end()) {
        cRequest.set_session_id(it->second.first);
        ccRequest.set_session_id(it->second.second);
      }
    }
    const grpc::Status cStatus = call(c_.stub(), method, cRequest, cReply);
    const grpc::Status ccStatus = call(cc_.stub(), method, ccRequest, ccReply);
    EXPECT_EQ(cStatus.error_code(), ccStatus.error_code()) << cStatus.error_message();
    EXPECT_EQ(cStatus.error_message(), ccStatus.error_message());
    if constexpr (HasSessionId<Reply>::value) {
      if (cStatus.ok() && ccStatus.ok()) {
        const auto logical = static_cast<int64_t>(sessions_.size());
        sessions_[logical] = {cReply->session_id(), ccReply->session_id()};
        cReply->clear_session_id();
        ccReply->clear_session_id();
      }
    }
    EXPECT_TRUE(MessageDifferencer::Equals(*cReply, *ccReply))
        << "C: " << cReply->ShortDebugString() << "\nC++: " << ccReply->ShortDebugString();
    EXPECT_EQ(serialized(*cReply), serialized(*ccReply));
  }
  // The same, with replies this test does not look at.
  template <typename Reply, typename Method, typename Request>
  void expectSame(const std::string& what, Method method, const Request& request) {
    Reply cReply, ccReply;
    expectSame(what, method, request, &cReply, &ccReply);
  }

  // Whether a message has a session_id field.
  template <typename T, typename = void>
  struct HasSessionId : std::false_type {};
  template <typename T>
  struct HasSessionId<T, std::void_t<decltype(std::declval<T>().session_id())>> : std::true_type {};

  ExternalService c_{CGYM_EXAMPLE_SERVICE_C};
  ExternalService cc_{CGYM_EXAMPLE_SERVICE};
  // Logical session id -> the ids of the C and the C++ binaries' sessions.
  std::map<int64_t, std::pair<int64_t, int64_t>> sessions_;
};

TEST_F(CAndCppServicesTest, GetVersionAndGetSpacesRepliesAreEqual) {
  GetVersionReply cVersion, ccVersion;
  expectSame("GetVersion", &CompilerGymService::Stub::GetVersion, GetVersionRequest(), &cVersion,
             &ccVersion);
  GetSpacesReply cSpaces, ccSpaces;
  expectSame("GetSpaces", &CompilerGymService::Stub::GetSpaces, GetSpacesRequest(), &cSpaces,
             &ccSpaces);
  ASSERT_EQ(cSpaces.observation_space_list_size(), 3);

  // And equal to what the C++ session declares, read in this process.
  ServiceCore core(
      [](const fs::path& wd) { return std::make_unique<example::ExampleSession>(wd); });
  GetSpacesReply local;
  ASSERT_TRUE(core.GetSpaces(GetSpacesRequest(), &local).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(cSpaces, local));
  EXPECT_EQ(serialized(cSpaces), serialized(local));
  GetVersionReply localVersion;
  ASSERT_TRUE(core.GetVersion(GetVersionRequest(), &localVersion).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(cVersion, localVersion));
}

// A script of RPCs, successes and errors, replayed against both binaries: every reply and
// every status must be the same.
TEST_F(CAndCppServicesTest, EpisodeRepliesAreEqual) {
  using Stub = CompilerGymService::Stub;
  StartSessionRequest start;
  start.mutable_benchmark()->set_uri("benchmark://example-compiler-v0/foo");
  start.add_observation_space(2);
  start.add_observation_space(0);
  start.add_observation_space(1);
  expectSame<StartSessionReply>("StartSession of an unknown benchmark", &Stub::StartSession, start);

  AddBenchmarkRequest add;
  Benchmark* benchmark = add.add_benchmark();
  benchmark->set_uri("benchmark://example-compiler-v0/foo");
  benchmark->mutable_program()->set_contents("Ir data");
  expectSame<AddBenchmarkReply>("AddBenchmark", &Stub::AddBenchmark, add);
  expectSame<StartSessionReply>("StartSession", &Stub::StartSession, start);
  start.set_action_space(1);
  expectSame<StartSessionReply>("StartSession with a bad action space", &Stub::StartSession, start);
  start.set_action_space(0);
  start.add_observation_space(3);
  expectSame<StartSessionReply>("StartSession with a bad observation space", &Stub::StartSession,
                                start);

  StepRequest step;
  step.set_session_id(0);
  expectSame<StepReply>("Step with nothing", &Stub::Step, step);
  for (int64_t action : {0, 1, 2}) *step.add_action() = intEvent(action);
  for (int i : {1, 0, 2, 0}) step.add_observation_space(i);
  expectSame<StepReply>("Step", &Stub::Step, step);
  *step.add_action() = Event();  // An empty event reads as action 0 in both.
  expectSame<StepReply>("Step with an empty action", &Stub::Step, step);
  for (int64_t action : std::vector<int64_t>{-1, 3, 100, INT64_MIN, INT64_MAX}) {
    step.clear_action();
    *step.add_action() = intEvent(action);
    expectSame<StepReply>("Step with action " + std::to_string(action), &Stub::Step, step);
  }
  step.clear_action();
  step.add_observation_space(3);
  expectSame<StepReply>("Step with a bad observation space", &Stub::Step, step);
  step.set_session_id(42);
  expectSame<StepReply>("Step of an unknown session", &Stub::Step, step);

  SendSessionParameterRequest params;
  params.set_session_id(0);
  SessionParameter* p = params.add_parameter();
  p->set_key("service.benchmark_cache.get_size_in_bytes");
  p = params.add_parameter();
  p->set_key("service.benchmark_cache.set_max_size_in_bytes");
  p->set_value("1000000");
  expectSame<SendSessionParameterReply>("SendSessionParameter (built-ins)",
                                        &Stub::SendSessionParameter, params);
  p = params.add_parameter();
  p->set_key("foo");
  expectSame<SendSessionParameterReply>("SendSessionParameter (unknown)",
                                        &Stub::SendSessionParameter, params);

  ForkSessionRequest fork;
  fork.set_session_id(0);
  expectSame<ForkSessionReply>("ForkSession", &Stub::ForkSession, fork);
  fork.set_session_id(42);
  expectSame<ForkSessionReply>("ForkSession of an unknown session", &Stub::ForkSession, fork);

  EndSessionRequest end;
  for (int64_t id : {1, 42, 0, 0}) {
    end.set_session_id(id);
    expectSame<EndSessionReply>("EndSession " + std::to_string(id), &Stub::EndSession, end);
  }
  EXPECT_EQ(c_.terminate(), 0);
  EXPECT_EQ(cc_.terminate(), 0);
}

}  // namespace
}  // namespace cgym
