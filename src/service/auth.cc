// SPDX-License-Identifier: MIT
#include "service/auth.h"

#include <arpa/inet.h>
#include <grpcpp/security/server_credentials.h>
#include <netinet/in.h>

#include "service/grpc_server.h"

namespace cgym {

TokenCheck::TokenCheck(const std::string& token) {
  if (!token.empty()) expected_ = "Bearer " + token;
}

grpc::Status TokenCheck::denied() {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "Missing or invalid token");
}

bool TokenCheck::carriesToken(const grpc::ServerContextBase& context) const {
  const auto range = context.client_metadata().equal_range("authorization");
  bool match = false;
  for (auto it = range.first; it != range.second; ++it) {
    match |= constantTimeEquals(std::string_view(it->second.data(), it->second.size()), expected_);
  }
  return match;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte of `b` (the expected value) is read whatever `a` holds: no early exit tells an
  // attacker how long a prefix they guessed right.
  unsigned difference = a.size() != b.size() ? 1 : 0;
  for (size_t i = 0; i < b.size(); ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    difference |= x ^ static_cast<unsigned char>(b[i]);
  }
  return difference == 0;
}

bool isLoopbackHost(std::string_view host) {
  if (host == "localhost" || host.rfind("unix:", 0) == 0) return true;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string address(host);
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  return false;
}

namespace {

std::string exposureErrorIgnoringInsecure(const GrpcServerOptions& options) {
  if (isLoopbackHost(options.host)) return "";
  if (options.tlsCertChain.empty()) {
    return "Refusing to serve plaintext on " + options.host +
           ": give --tls_cert and --tls_key, or --insecure";
  }
  if (options.token.empty() && options.tlsClientCa.empty()) {
    return "Refusing to serve " + options.host +
           " without a token: give --token_file (or CGYM_SERVICE_TOKEN) or --tls_client_ca, or "
           "--insecure";
  }
  return "";
}

}  // namespace

std::string exposureError(const GrpcServerOptions& options) {
  return options.insecure ? "" : exposureErrorIgnoringInsecure(options);
}

bool servesInsecurely(const GrpcServerOptions& options) {
  return options.insecure && !exposureErrorIgnoringInsecure(options).empty();
}

std::shared_ptr<grpc::ServerCredentials> serverCredentials(const GrpcServerOptions& options) {
  if (options.tlsCertChain.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      options.tlsClientCa.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                  : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = options.tlsClientCa;
  ssl.pem_key_cert_pairs.push_back({options.tlsPrivateKey, options.tlsCertChain});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace cgym
