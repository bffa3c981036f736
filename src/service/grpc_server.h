// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "service/service_core.h"

namespace grpc {
class Server;
}

namespace cgym {

struct GrpcServerOptions {
  // "localhost" listens on loopback only (127.0.0.1 and ::1), which is what CompilerGym's
  // client dials. Any other host or address listens there; "0.0.0.0" or "[::]" everywhere.
  // A "unix:/path" address listens on a Unix domain socket and ignores `port`.
  std::string host = "localhost";
  // 0 picks a free port.
  int port = 0;
  // Message size limits in bytes; -1 is unlimited, as in CompilerGym.
  int maxReceiveMessageSize = -1;
  int maxSendMessageSize = -1;
  // When set, every call (CompilerGymService and grpc.health.v1.Health) must carry the gRPC
  // metadata "authorization: Bearer <token>", or fails with UNAUTHENTICATED.
  std::string token;
  // TLS: the server's certificate chain and private key (PEM text, both or neither). Without
  // them the server speaks plaintext.
  std::string tlsCertChain;
  std::string tlsPrivateKey;
  // PEM CA certificates (TLS only): clients must present a certificate signed by one of them.
  std::string tlsClientCa;
  // Lets a host that is not loopback be served without TLS, or without a token or client
  // certificates (see exposureError() in service/auth.h, which runService() applies).
  bool insecure = false;
};

// A gRPC server serving the CompilerGymService protocol (and the standard health service)
// over a ServiceCore. The core must outlive the server.
class GrpcServer {
 public:
  // Starts serving. Fails with UNAVAILABLE if the address cannot be bound.
  static Status start(ServiceCore& core, const GrpcServerOptions& options,
                      std::unique_ptr<GrpcServer>* out);
  ~GrpcServer();

  // The port actually bound (0 for a Unix socket).
  int port() const { return port_; }
  // A target a client on this machine can dial, e.g. "localhost:4242".
  const std::string& target() const { return target_; }

  // Stops accepting calls; calls in flight get until `deadline` to finish. Idempotent.
  void shutdown(std::chrono::system_clock::time_point deadline);
  // The number of CompilerGym calls being served right now.
  int64_t activeCalls() const;
  // Blocks until the server has shut down.
  void wait();

 private:
  class Impl;
  class Health;
  GrpcServer();
  std::unique_ptr<grpc::Server> build(const GrpcServerOptions& options,
                                      const std::vector<std::string>& addresses, int* selectedPort);
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<Health> health_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string target_;
};

}  // namespace cgym
