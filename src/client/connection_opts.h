// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/deadline.h"
#include "common/status.h"

namespace cgym::client {

// CompilerGym's ConnectionOpts (compiler_gym.service), with the same names and defaults.
// Times are in seconds: +infinity means no limit; NaN and negative times are invalid (see
// validate()).
struct ConnectionOpts {
  // Retries of a call that fails with UNAVAILABLE.
  int rpc_max_retries = 5;
  // The first sleep between retries, multiplied by the exponent after each retry.
  double retry_wait_seconds = 0.1;
  double retry_wait_backoff_exponent = 1.5;
  // Budget in time and attempts for establishing a connection (and for reset's retries).
  double init_max_seconds = 30;
  int init_max_attempts = 5;
  // How long to wait for a managed service's port.txt.
  double local_service_port_init_max_seconds = 30;
  // How long to wait for a managed service to exit after SIGTERM before SIGKILL.
  double local_service_exit_max_seconds = 30;
  // How long to wait for the channel to become ready.
  double rpc_init_max_seconds = 3;
  // Send the benchmark's program with every StartSession.
  bool always_send_benchmark_on_reset = false;
  // Extra arguments and environment variables for a managed service.
  std::vector<std::string> script_args;
  std::map<std::string, std::string> script_env;

  // Security of unmanaged services (HOST:PORT, unix:PATH); see docs/security.md. A managed
  // service ignores these: the client reaches it over a Unix socket in a private directory,
  // with a token of its own.
  // Sent as the gRPC metadata "authorization: Bearer <token>" with every call; empty: none.
  std::string token;
  // Connect with TLS. Implied by any tls_* path below; alone it verifies the server against
  // the system's root certificates.
  bool tls = false;
  // PEM file of the root certificates to verify the server against.
  std::string tls_root_certs;
  // PEM files of a client certificate and its private key, for services that require one:
  // both or neither.
  std::string tls_client_cert;
  std::string tls_client_key;

  // Whether calls to an unmanaged service go over TLS.
  bool usesTls() const {
    return tls || !tls_root_certs.empty() || !tls_client_cert.empty() || !tls_client_key.empty();
  }

  // INVALID_ARGUMENT naming the first field that is NaN or negative (the times, and
  // retry_wait_backoff_exponent), for a token that is not printable ASCII without spaces, or for a
  // client certificate without its key or the reverse. Connection::connect() checks this; files are
  // read when connecting.
  Status validate() const {
    const std::pair<const char*, double> fields[] = {
        {"retry_wait_seconds", retry_wait_seconds},
        {"init_max_seconds", init_max_seconds},
        {"local_service_port_init_max_seconds", local_service_port_init_max_seconds},
        {"local_service_exit_max_seconds", local_service_exit_max_seconds},
        {"rpc_init_max_seconds", rpc_init_max_seconds},
    };
    for (const auto& [name, value] : fields) {
      CGYM_RETURN_IF_ERROR(checkSeconds((std::string("ConnectionOpts.") + name).c_str(), value));
    }
    if (!(retry_wait_backoff_exponent >= 0)) {
      return Status(StatusCode::kInvalidArgument,
                    "ConnectionOpts.retry_wait_backoff_exponent must be a number >= 0");
    }
    for (const char c : token) {
      // As the services' tokens: it travels in an HTTP/2 header as "Bearer <token>".
      if (c < 0x21 || c > 0x7e) {
        return Status(StatusCode::kInvalidArgument,
                      "ConnectionOpts.token must be printable ASCII without spaces");
      }
    }
    if (tls_client_cert.empty() != tls_client_key.empty()) {
      return Status(StatusCode::kInvalidArgument,
                    "ConnectionOpts.tls_client_cert and tls_client_key go together: give both "
                    "or neither");
    }
    return Status::OK();
  }
};

}  // namespace cgym::client
