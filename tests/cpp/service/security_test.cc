// SPDX-License-Identifier: MIT
// Who may use a service, through real gRPC: the token every call must carry (every
// CompilerGymService RPC and grpc.health.v1.Health), the hosts that count as loopback and what
// a service on another host needs, and runService's private files (Unix socket 0600, working
// directory and logs/ 0700) and its use of the managed launch's environment variables. TLS and
// the service binaries' messages are tested from Python (tests/python/test_service_security.py).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/sync_stream.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/protocol.h"
#include "compiler_gym_service.grpc.pb.h"
#include "example_cc/example_session.h"
#include "grpc_test_util.h"
#include "service/auth.h"
#include "service/grpc_server.h"
#include "service/service_core.h"
#include "service/service_main.h"

namespace cgym {
namespace {

namespace fs = std::filesystem;
using namespace compiler_gym;
using testing::call;

constexpr char kToken[] = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

SessionFactory exampleFactory() {
  return [](const fs::path& wd) { return std::make_unique<example::ExampleSession>(wd); };
}

// A client context whose calls carry `authorization` as that header (none when empty).
std::unique_ptr<grpc::ClientContext> contextWith(const std::string& authorization) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  if (!authorization.empty()) context->AddMetadata("authorization", authorization);
  return context;
}

// Every CompilerGymService RPC with an empty request and the given header: the status of each.
std::vector<std::pair<std::string, grpc::Status>> callEveryRpc(CompilerGymService::Stub& stub,
                                                               const std::string& authorization) {
  std::vector<std::pair<std::string, grpc::Status>> statuses;
#define CGYM_CALL(Name)                                                                    \
  {                                                                                        \
    Name##Reply reply;                                                                     \
    statuses.emplace_back(#Name, stub.Name(contextWith(authorization).get(), {}, &reply)); \
  }
  CGYM_FOR_EACH_RPC(CGYM_CALL)
#undef CGYM_CALL
  return statuses;
}

// grpc.health.v1.Health/Check of the server (""): the status, and the serving status in `serving`.
grpc::Status healthCheck(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& authorization, int* serving) {
  const grpc::internal::RpcMethod method("/grpc.health.v1.Health/Check",
                                         grpc::internal::RpcMethod::NORMAL_RPC);
  grpc::Slice empty;  // an empty HealthCheckRequest asks about the server
  grpc::ByteBuffer request(&empty, 1), reply;
  const grpc::Status status = grpc::internal::BlockingUnaryCall(
      channel.get(), method, contextWith(authorization).get(), request, &reply);
  std::vector<grpc::Slice> slices;
  *serving = 0;
  if (status.ok() && reply.Dump(&slices).ok() && !slices.empty() && slices[0].size() == 2) {
    *serving = slices[0].begin()[1];  // HealthCheckResponse{status = 1}: 0x08, the value
  }
  return status;
}

// grpc.health.v1.Health/Watch of the server: its first message's status, or the call's error.
grpc::Status healthWatch(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& authorization, bool* gotMessage) {
  const grpc::internal::RpcMethod method("/grpc.health.v1.Health/Watch",
                                         grpc::internal::RpcMethod::SERVER_STREAMING);
  std::unique_ptr<grpc::ClientContext> context = contextWith(authorization);
  grpc::Slice empty;
  grpc::ByteBuffer request(&empty, 1), message;
  std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
      grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(channel.get(), method,
                                                                    context.get(), request));
  *gotMessage = reader->Read(&message);
  if (*gotMessage) {
    context->TryCancel();  // a watch lasts until the client goes
    reader->Finish();      // CANCELLED
    return grpc::Status::OK;
  }
  return reader->Finish();
}

// The example service served with a token on an ephemeral loopback port.
class TokenTest : public ::testing::Test {
 protected:
  TokenTest() {
    core_ = std::make_unique<ServiceCore>(exampleFactory(), ServiceCoreOptions{});
    GrpcServerOptions options;
    options.token = kToken;
    const Status status = GrpcServer::start(*core_, options, &server_);
    EXPECT_TRUE(status.ok()) << status.message();
    channel_ = grpc::CreateChannel(server_->target(), grpc::InsecureChannelCredentials());
    stub_ = CompilerGymService::NewStub(channel_);
  }

  std::unique_ptr<ServiceCore> core_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<CompilerGymService::Stub> stub_;
};

TEST_F(TokenTest, EveryRpcWithoutTheRightTokenIsUnauthenticated) {
  const std::string token = kToken;
  for (const std::string& authorization : std::vector<std::string>{
           "", "Bearer", "Bearer ", "Bearer " + token.substr(0, 63), "Bearer " + token + "0",
           "bearer " + token, token, "Basic " + token, "Bearer " + token.substr(0, 63) + "1"}) {
    for (const auto& [name, status] : callEveryRpc(*stub_, authorization)) {
      SCOPED_TRACE(name + " with '" + authorization + "'");
      EXPECT_STATUS(status, UNAUTHENTICATED, "Missing or invalid token");
    }
  }
  EXPECT_EQ(core_->sessionCount(), 0u);
}

TEST_F(TokenTest, TheRightTokenPassesOnEveryRpc) {
  for (const auto& [name, status] : callEveryRpc(*stub_, std::string("Bearer ") + kToken)) {
    // Empty requests fail for other reasons (no benchmark, no session): never for the token.
    EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << name << ": " << status.error_message();
  }
  GetVersionReply version;
  ASSERT_OK(stub_->GetVersion(contextWith(std::string("Bearer ") + kToken).get(), {}, &version));
  EXPECT_EQ(version.service_version(), "0.2.5");
}

TEST_F(TokenTest, TheHealthServiceNeedsTheTokenToo) {
  int serving = -1;
  EXPECT_STATUS(healthCheck(channel_, "", &serving), UNAUTHENTICATED, "Missing or invalid token");
  EXPECT_STATUS(healthCheck(channel_, "Bearer wrong", &serving), UNAUTHENTICATED,
                "Missing or invalid token");
  ASSERT_OK(healthCheck(channel_, std::string("Bearer ") + kToken, &serving));
  EXPECT_EQ(serving, 1);  // SERVING

  bool gotMessage = true;
  EXPECT_STATUS(healthWatch(channel_, "", &gotMessage), UNAUTHENTICATED,
                "Missing or invalid token");
  EXPECT_FALSE(gotMessage);
  ASSERT_OK(healthWatch(channel_, std::string("Bearer ") + kToken, &gotMessage));
  EXPECT_TRUE(gotMessage);
}

TEST(TokenCheckTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(constantTimeEquals("", ""));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("ab", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "ab"));
  EXPECT_FALSE(constantTimeEquals("", "a"));
  EXPECT_FALSE(constantTimeEquals(std::string_view("a\0", 2), "a"));
}

TEST(ExposureTest, LoopbackHosts) {
  for (const char* host :
       {"localhost", "127.0.0.1", "127.255.0.9", "::1", "[::1]", "::ffff:127.0.0.1",
        "[::ffff:127.0.0.2]", "unix:/tmp/x.sock", "unix:relative.sock"}) {
    EXPECT_TRUE(isLoopbackHost(host)) << host;
  }
  for (const char* host :
       {"0.0.0.0", "[::]", "::", "10.0.0.1", "128.0.0.1", "example.com", "unix-abstract:x", "",
        "[::2]", "::ffff:10.0.0.1", "localhost.", "[::1"}) {
    EXPECT_FALSE(isLoopbackHost(host)) << host;
  }
}

TEST(ExposureTest, AnotherHostNeedsTlsAndATokenOrClientCertificatesOrInsecure) {
  GrpcServerOptions options;
  options.host = "0.0.0.0";
  const std::string plaintext =
      "Refusing to serve plaintext on 0.0.0.0: give --tls_cert and --tls_key, or --insecure";
  const std::string noToken =
      "Refusing to serve 0.0.0.0 without a token: give --token_file (or CGYM_SERVICE_TOKEN) or "
      "--tls_client_ca, or --insecure";
  EXPECT_EQ(exposureError(options), plaintext);
  options.token = kToken;
  EXPECT_EQ(exposureError(options), plaintext);  // a token in plaintext can be read on the way
  options.token.clear();
  options.tlsCertChain = "cert";
  options.tlsPrivateKey = "key";
  EXPECT_EQ(exposureError(options), noToken);
  EXPECT_FALSE(servesInsecurely(options));
  options.insecure = true;
  EXPECT_EQ(exposureError(options), "");
  EXPECT_TRUE(servesInsecurely(options));
  options.insecure = false;
  options.token = kToken;
  EXPECT_EQ(exposureError(options), "");
  options.token.clear();
  options.tlsClientCa = "ca";
  EXPECT_EQ(exposureError(options), "");
  EXPECT_FALSE(servesInsecurely(options));

  GrpcServerOptions plain;
  plain.host = "[::]";
  plain.insecure = true;
  EXPECT_EQ(exposureError(plain), "");
  EXPECT_TRUE(servesInsecurely(plain));
  for (const char* host : {"localhost", "127.0.0.1", "[::1]", "unix:/tmp/s"}) {
    plain.host = host;
    plain.insecure = false;
    EXPECT_EQ(exposureError(plain), "") << host;
    plain.insecure = true;
    EXPECT_FALSE(servesInsecurely(plain)) << host;  // nothing to warn about
  }
}

mode_t currentUmask() {
  const mode_t mask = umask(0);
  umask(mask);
  return mask;
}

mode_t modeOf(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(lstat(path.c_str(), &info), 0) << path;
  return info.st_mode;
}

// A fresh directory under /tmp (short enough for a Unix socket path), removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/cgym-security-test-XXXXXX";
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(GrpcServerSecurityTest, AUnixSocketIsCreated0600WhateverTheUmask) {
  TempDir dir;
  const fs::path socket = dir.path() / "service.sock";
  ServiceCore core(exampleFactory(), ServiceCoreOptions{});
  GrpcServerOptions options;
  options.host = "unix:" + socket.string();
  const mode_t before = umask(0);  // the most permissive: the socket would be 0777
  std::unique_ptr<GrpcServer> server;
  const Status status = GrpcServer::start(core, options, &server);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(currentUmask(), 0u);  // restored
  umask(before);
  EXPECT_TRUE(S_ISSOCK(modeOf(socket)));
  EXPECT_EQ(modeOf(socket) & 07777, 0600u);
  EXPECT_EQ(server->port(), 0);
}

// runService in this process, from a thread, as a managed launch starts it: the socket and the
// token in the environment. Stopped by requestStop().
class RunServiceTest : public ::testing::Test {
 protected:
  void start(std::vector<std::string> args) {
    args.insert(args.begin(), "test-service");
    args_ = std::move(args);
    exitCode_ = -1;
    thread_ = std::thread([this] {
      std::vector<const char*> argv;
      for (const std::string& arg : args_) argv.push_back(arg.c_str());
      exitCode_ = runtime::runService(exampleFactory(), static_cast<int>(argv.size()), argv.data());
    });
  }

  // Waits (bounded) for port.txt in `wd`; its contents, or "" if the service is not up.
  std::string waitForPortFile(const fs::path& wd) {
    for (int i = 0; i < 3000 && exitCode_ == -1; ++i) {
      std::ifstream in(wd / "port.txt");
      std::string line;
      if (std::getline(in, line)) return line;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return "";
  }

  int stop() {
    runtime::requestStop();
    if (thread_.joinable()) thread_.join();
    return exitCode_;
  }

  ~RunServiceTest() override {
    stop();
    unsetenv("CGYM_SERVICE_HOST");
    unsetenv("CGYM_SERVICE_TOKEN");
  }

  TempDir dir_;
  std::vector<std::string> args_;
  std::thread thread_;
  std::atomic<int> exitCode_{-1};
};

TEST_F(RunServiceTest, AManagedLaunchIsPrivateAndItsVariablesAreNotInherited) {
  const fs::path socket = dir_.path() / "service.sock";
  // Two levels that do not exist yet: both are created 0700.
  const fs::path wd = dir_.path() / "new" / "wd";
  ASSERT_EQ(setenv("CGYM_SERVICE_HOST", ("unix:" + socket.string()).c_str(), 1), 0);
  ASSERT_EQ(setenv("CGYM_SERVICE_TOKEN", kToken, 1), 0);
  start({"--working_dir=" + wd.string()});
  ASSERT_EQ(waitForPortFile(wd), "0") << "exit code " << exitCode_;

  // Read once, then gone: sessions' child processes do not inherit them.
  EXPECT_EQ(std::getenv("CGYM_SERVICE_HOST"), nullptr);
  EXPECT_EQ(std::getenv("CGYM_SERVICE_TOKEN"), nullptr);

  EXPECT_EQ(modeOf(socket) & 07777, 0600u);
  EXPECT_TRUE(S_ISSOCK(modeOf(socket)));
  EXPECT_EQ(modeOf(dir_.path() / "new") & 07777, 0700u);
  EXPECT_EQ(modeOf(wd) & 07777, 0700u);
  EXPECT_EQ(modeOf(wd / "logs") & 07777, 0700u);

  auto channel = grpc::CreateChannel("unix:" + socket.string(), grpc::InsecureChannelCredentials());
  auto stub = CompilerGymService::NewStub(channel);
  GetVersionReply version;
  EXPECT_STATUS(stub->GetVersion(contextWith("").get(), {}, &version), UNAUTHENTICATED,
                "Missing or invalid token");
  ASSERT_OK(stub->GetVersion(contextWith(std::string("Bearer ") + kToken).get(), {}, &version));
  EXPECT_EQ(stop(), 0);
}

TEST_F(RunServiceTest, AnExistingWorkingDirectoryIsLeftAsItIs) {
  const fs::path wd = dir_.path() / "mine";
  ASSERT_EQ(mkdir(wd.c_str(), 0755), 0);
  ASSERT_EQ(chmod(wd.c_str(), 0755), 0);
  start({"--working_dir=" + wd.string(), "--token_file=/nonexistent/cgym-token"});
  // A token file that cannot be read stops the service before it touches anything.
  EXPECT_EQ(stop(), 1);
  EXPECT_FALSE(fs::exists(wd / "logs"));

  const fs::path tokenFile = dir_.path() / "token";
  std::ofstream(tokenFile) << kToken << " \t\r\nsecond line is ignored\n";
  start({"--working_dir=" + wd.string(), "--token_file=" + tokenFile.string()});
  const std::string port = waitForPortFile(wd);
  ASSERT_NE(port, "") << "exit code " << exitCode_;
  EXPECT_EQ(modeOf(wd) & 07777, 0755u);
  EXPECT_EQ(modeOf(wd / "logs") & 07777, 0700u);
  auto channel = grpc::CreateChannel("localhost:" + port, grpc::InsecureChannelCredentials());
  auto stub = CompilerGymService::NewStub(channel);
  GetVersionReply version;
  EXPECT_STATUS(
      stub->GetVersion(contextWith(std::string("Bearer ") + kToken + " ").get(), {}, &version),
      UNAUTHENTICATED, "Missing or invalid token");
  ASSERT_OK(stub->GetVersion(contextWith(std::string("Bearer ") + kToken).get(), {}, &version));
  EXPECT_EQ(stop(), 0);
}

TEST_F(RunServiceTest, WithoutVariablesItListensOnLoopbackTcpWithoutAToken) {
  // What a CompilerGym client that launches our binary gets: no variable, no token.
  unsetenv("CGYM_SERVICE_HOST");
  unsetenv("CGYM_SERVICE_TOKEN");
  const fs::path wd = dir_.path() / "wd";
  start({"--working_dir=" + wd.string()});
  const std::string port = waitForPortFile(wd);
  ASSERT_NE(port, "") << "exit code " << exitCode_;
  ASSERT_NE(port, "0");
  auto channel = grpc::CreateChannel("localhost:" + port, grpc::InsecureChannelCredentials());
  auto stub = CompilerGymService::NewStub(channel);
  GetVersionReply version;
  ASSERT_OK(stub->GetVersion(contextWith("").get(), {}, &version));
  EXPECT_EQ(stop(), 0);
}

TEST_F(RunServiceTest, AnotherHostIsRefusedBeforeAnythingIsCreated) {
  const fs::path wd = dir_.path() / "wd";
  start({"--working_dir=" + wd.string(), "--host=0.0.0.0"});
  if (thread_.joinable()) thread_.join();
  EXPECT_EQ(exitCode_, 1);
  EXPECT_FALSE(fs::exists(wd));
}

}  // namespace
}  // namespace cgym
