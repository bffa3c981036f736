// SPDX-License-Identifier: MIT
#include "service/grpc_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/codegen/method_handler.h>
#include <grpcpp/impl/codegen/rpc_service_method.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "compiler_gym_service.grpc.pb.h"
#include "service/auth.h"
#include "service/server_limits.h"

namespace cgym {

using namespace compiler_gym;

namespace {

grpc::Status toGrpc(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message());
}

}  // namespace

// The gRPC adapter: each RPC forwards to the transport-independent ServiceCore.
class GrpcServer::Impl final : public CompilerGymService::Service {
 public:
  Impl(ServiceCore& core, const std::string& token) : core_(core), auth_(token) {}

  // One override per RPC, each forwarding to the ServiceCore method of the same name.
#define CGYM_SERVE(Name)                                                        \
  grpc::Status Name(grpc::ServerContext* context, const Name##Request* request, \
                    Name##Reply* reply) override {                              \
    if (!auth_.allows(*context)) return TokenCheck::denied();                   \
    const CallCount count(active_);                                             \
    return toGrpc(core_.Name(*request, reply));                                 \
  }
  CGYM_FOR_EACH_RPC(CGYM_SERVE)
#undef CGYM_SERVE

  // Calls being served now, so that shutdown can tell whether it has anything to wait for.
  std::atomic<int64_t> active_{0};

 private:
  struct CallCount {
    explicit CallCount(std::atomic<int64_t>& n) : n(n) {
      n.fetch_add(1, std::memory_order_relaxed);
    }
    ~CallCount() { n.fetch_sub(1, std::memory_order_relaxed); }
    std::atomic<int64_t>& n;
  };
  ServiceCore& core_;
  const TokenCheck auth_;
};

// The standard health service (grpc.health.v1.Health), served synchronously. gRPC's default
// health service is a callback service, and a callback service on a sync server costs every
// RPC of the server thread hand-offs (about 2x the round trip of a small call on loopback);
// this one costs nothing. Its two messages are small enough to encode by hand, which keeps
// a second copy of health.proto out of the process's protobuf registry.
class GrpcServer::Health final : public grpc::Service {
 public:
  enum ServingStatus { kServing = 1, kNotServing = 2, kServiceUnknown = 3 };

  explicit Health(const std::string& token) : auth_(token) {
    using ByteBuffer = grpc::ByteBuffer;
    AddMethod(new grpc::internal::RpcServiceMethod(
        "/grpc.health.v1.Health/Check", grpc::internal::RpcMethod::NORMAL_RPC,
        new grpc::internal::RpcMethodHandler<Health, ByteBuffer, ByteBuffer>(
            [](Health* self, grpc::ServerContext* context, const ByteBuffer* request,
               ByteBuffer* reply) {
              if (!self->auth_.allows(*context)) return TokenCheck::denied();
              return self->check(*request, reply);
            },
            this)));
    AddMethod(new grpc::internal::RpcServiceMethod(
        "/grpc.health.v1.Health/Watch", grpc::internal::RpcMethod::SERVER_STREAMING,
        new grpc::internal::ServerStreamingHandler<Health, ByteBuffer, ByteBuffer>(
            [](Health* self, grpc::ServerContext* context, const ByteBuffer* request,
               grpc::ServerWriter<ByteBuffer>* writer) {
              if (!self->auth_.allows(*context)) return TokenCheck::denied();
              // A watch holds a server thread until it ends: a few at once, so that watches
              // cannot take the threads the service's calls need.
              if (self->watchers_.fetch_add(1) >= kMaxWatchers) {
                self->watchers_.fetch_sub(1);
                return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                    "Too many health watches");
              }
              grpc::Status status = self->watch(context, *request, writer);
              self->watchers_.fetch_sub(1);
              return status;
            },
            this)));
  }

  // Every service reports NOT_SERVING from now on; watches end.
  void shutdown() {
    std::lock_guard<std::mutex> lock(mutex_);
    shutdown_ = true;
    changed_.notify_all();
  }

 private:
  // The status of `service`: the server ("") and the CompilerGym service are known.
  int statusOf(const std::string& service) {
    if (!service.empty() && service != CompilerGymService::service_full_name()) {
      return kServiceUnknown;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    return shutdown_ ? kNotServing : kServing;
  }

  // HealthCheckRequest{string service = 1}; other fields are skipped.
  static bool parseRequest(const grpc::ByteBuffer& buffer, std::string* service) {
    grpc::Slice slice;
    if (!buffer.DumpToSingleSlice(&slice).ok()) return false;
    const uint8_t* p = slice.begin();
    const uint8_t* end = slice.end();
    auto varint = [&](uint64_t* out) {
      *out = 0;
      for (int shift = 0; p < end && shift < 64; shift += 7) {
        const uint8_t byte = *p++;
        *out |= static_cast<uint64_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80)) return true;
      }
      return false;
    };
    service->clear();
    while (p < end) {
      uint64_t tag = 0, value = 0;
      if (!varint(&tag)) return false;
      switch (tag & 7) {
        case 0:
          if (!varint(&value)) return false;
          break;
        case 1:
          if (end - p < 8) return false;
          p += 8;
          break;
        case 2:
          if (!varint(&value) || value > static_cast<uint64_t>(end - p)) return false;
          if (tag >> 3 == 1) service->assign(reinterpret_cast<const char*>(p), value);
          p += value;
          break;
        case 5:
          if (end - p < 4) return false;
          p += 4;
          break;
        default:
          return false;
      }
    }
    return true;
  }

  // HealthCheckResponse{ServingStatus status = 1}.
  static grpc::ByteBuffer response(int status) {
    const uint8_t bytes[2] = {0x08, static_cast<uint8_t>(status)};
    grpc::Slice slice(bytes, sizeof bytes);
    return grpc::ByteBuffer(&slice, 1);
  }

  grpc::Status check(const grpc::ByteBuffer& request, grpc::ByteBuffer* reply) {
    std::string service;
    if (!parseRequest(request, &service)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "could not parse request");
    }
    const int status = statusOf(service);
    if (status == kServiceUnknown) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "service name unknown");
    }
    *reply = response(status);
    return grpc::Status::OK;
  }

  grpc::Status watch(grpc::ServerContext* context, const grpc::ByteBuffer& request,
                     grpc::ServerWriter<grpc::ByteBuffer>* writer) {
    std::string service;
    if (!parseRequest(request, &service)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "could not parse request");
    }
    int sent = statusOf(service);
    if (!writer->Write(response(sent))) return grpc::Status::OK;
    // The status changes once at most (at shutdown): wait for that or for the client to go.
    std::unique_lock<std::mutex> lock(mutex_);
    while (!context->IsCancelled()) {
      if (shutdown_ && sent == kServing) {
        sent = kNotServing;
        lock.unlock();
        writer->Write(response(sent));
        lock.lock();
      }
      if (shutdown_) break;
      changed_.wait_for(lock, std::chrono::milliseconds(200));
    }
    return grpc::Status::OK;
  }

  static constexpr int kMaxWatchers = 4;
  std::atomic<int> watchers_{0};
  const TokenCheck auth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool shutdown_ = false;
};

namespace {

// A port that is free on 127.0.0.1 right now, or 0.
int pickFreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Whether this machine has an IPv6 loopback to listen on.
bool ipv6LoopbackAvailable() {
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

}  // namespace

std::unique_ptr<grpc::Server> GrpcServer::build(const GrpcServerOptions& options,
                                                const std::vector<std::string>& addresses,
                                                int* selectedPort) {
  grpc::ServerBuilder builder;
  builder.RegisterService(impl_.get());
  builder.RegisterService(health_.get());
  // The server settings of CompilerGym's C++ runtime (docs/service.md), and our bounds.
  applyServerLimits(options, &builder);
  builder.AddChannelArgument(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // gRPC starts a server if any of its addresses binds; we need all of them.
  std::vector<int> ports(addresses.size(), 0);
  const std::shared_ptr<grpc::ServerCredentials> credentials = serverCredentials(options);
  bool anyUnixSocket = false;
  for (size_t i = 0; i < addresses.size(); ++i) {
    const bool unixSocket = addresses[i].rfind("unix:", 0) == 0;
    builder.AddListeningPort(addresses[i], credentials, unixSocket ? nullptr : &ports[i]);
    if (unixSocket) ports[i] = -1;
    anyUnixSocket |= unixSocket;
  }
  // Only this user may connect to a Unix socket: bind(), in BuildAndStart, creates it with
  // mode 0777 & ~umask, so the umask is 0177 (socket 0600) meanwhile. The umask is the
  // process's: a file another thread creates meanwhile gets no more than 0600 either.
  const mode_t previousUmask = anyUnixSocket ? umask(0177) : 0;
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (anyUnixSocket) umask(previousUmask);
  for (int port : ports) {
    if (port == 0) return nullptr;  // the server shuts down as it is destroyed
  }
  *selectedPort = ports.empty() ? 0 : std::max(ports[0], 0);
  return server;
}

Status GrpcServer::start(ServiceCore& core, const GrpcServerOptions& options,
                         std::unique_ptr<GrpcServer>* out) {
  std::unique_ptr<GrpcServer> server(new GrpcServer());
  server->impl_ = std::make_unique<Impl>(core, options.token);
  server->health_ = std::make_unique<Health>(options.token);
  // Our own health service replaces gRPC's (see Health).
  grpc::EnableDefaultHealthCheckService(false);

  int selectedPort = 0;
  std::string description;
  if (options.host.rfind("unix:", 0) == 0) {
    description = options.host;
    server->server_ = server->build(options, {options.host}, &selectedPort);
    server->target_ = options.host;
  } else if (options.host == "localhost") {
    // Loopback only, on both 127.0.0.1 and ::1 with one port: clients dial "localhost",
    // which resolves to either depending on the machine. gRPC cannot give two addresses
    // one ephemeral port, so pick a free port first and retry if another process took it
    // in between.
    description = "localhost:" + std::to_string(options.port);
    if (ipv6LoopbackAvailable()) {
      for (int attempt = 0; attempt < 20 && !server->server_; ++attempt) {
        const int port = options.port != 0 ? options.port : pickFreeLoopbackPort();
        if (port == 0) break;
        const std::string p = std::to_string(port);
        server->server_ = server->build(options, {"127.0.0.1:" + p, "[::1]:" + p}, &selectedPort);
        // A fixed port must be free on both addresses, or a client dialling "localhost"
        // could reach another process.
        if (!server->server_ && options.port != 0) break;
      }
    } else {
      // A machine without IPv6 loopback: IPv4 alone.
      server->server_ =
          server->build(options, {"127.0.0.1:" + std::to_string(options.port)}, &selectedPort);
    }
    server->target_ = "localhost:" + std::to_string(selectedPort);
  } else {
    // A bare IPv6 address ("::1") is bracketed, as a gRPC address needs it.
    const bool bareIpv6 = options.host.find(':') != std::string::npos && options.host[0] != '[';
    const std::string host = bareIpv6 ? "[" + options.host + "]" : options.host;
    description = host + ":" + std::to_string(options.port);
    server->server_ = server->build(options, {description}, &selectedPort);
    const bool wildcard = host == "0.0.0.0" || host == "[::]";
    server->target_ =
        (wildcard ? std::string("localhost") : host) + ":" + std::to_string(selectedPort);
  }
  if (!server->server_) {
    return Status(StatusCode::kUnavailable, "Failed to listen on " + description);
  }
  server->port_ = selectedPort;
  *out = std::move(server);
  return Status::OK();
}

GrpcServer::GrpcServer() = default;

GrpcServer::~GrpcServer() {
  if (server_) {
    shutdown(std::chrono::system_clock::now());
    wait();
  }
}

void GrpcServer::shutdown(std::chrono::system_clock::time_point deadline) {
  health_->shutdown();
  server_->Shutdown(deadline);
}

int64_t GrpcServer::activeCalls() const { return impl_->active_.load(); }

void GrpcServer::wait() { server_->Wait(); }

}  // namespace cgym
