// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cgym::client {

// CompilerGym's ConnectionOpts (reference 4.1), with the same names and defaults.
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
};

}  // namespace cgym::client
