// SPDX-License-Identifier: MIT
//
// Who may use a service: the token every call must carry, the transport credentials (TLS or
// plaintext), and which addresses only this machine can reach.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <string_view>

namespace grpc {
class ServerCredentials;
}

namespace cgym {

struct GrpcServerOptions;

// The check of the token every call must carry as gRPC metadata "authorization: Bearer TOKEN".
// Without a token it allows everything and costs one branch; with one, a metadata lookup and a
// comparison in constant time.
class TokenCheck {
 public:
  // An empty token allows every call.
  explicit TokenCheck(const std::string& token);

  bool allows(const grpc::ServerContextBase& context) const {
    return expected_.empty() || carriesToken(context);
  }
  // What a call that is not allowed gets: UNAUTHENTICATED "Missing or invalid token".
  static grpc::Status denied();

 private:
  bool carriesToken(const grpc::ServerContextBase& context) const;
  std::string expected_;  // "Bearer TOKEN", or empty without a token
};

// Whether `a` equals `b`, in a time that depends on the lengths only, not on where they differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

// Whether only this machine can reach `host`: "localhost", an address in 127.0.0.0/8, ::1
// (bracketed or not, or IPv4-mapped 127.x), or a "unix:" socket. Everything else (0.0.0.0,
// another address, a host name, "unix-abstract:" which has no file permissions) is not.
bool isLoopbackHost(std::string_view host);

// Why the service must not start with these options, or "" if it may: a host that is not
// loopback needs TLS and either a token or client certificates, unless options.insecure.
std::string exposureError(const GrpcServerOptions& options);

// Whether options.insecure is what lets the service start (the warning to log then).
bool servesInsecurely(const GrpcServerOptions& options);

// The credentials to listen with: TLS with options' certificate (and client certificates
// required and verified against options.tlsClientCa when set), else plaintext.
std::shared_ptr<grpc::ServerCredentials> serverCredentials(const GrpcServerOptions& options);

}  // namespace cgym
