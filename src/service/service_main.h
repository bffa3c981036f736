// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>

#include "service/service_core.h"

namespace cgym::runtime {

// Runs a CompilerGym service process until SIGTERM (or SIGINT), with the process lifecycle of
// CompilerGym's C++ runtime:
//   --working_dir=DIR   created if missing (default: a fresh compiler_gym-service-* temp dir)
//   --port=N            0 (the default) picks a free port
//   port.txt and pid.txt written atomically into DIR once the server listens
//   exit 0 after SIGTERM with no sessions left, 6 with sessions left, 1 on bad arguments.
// It accepts glog's flags that CompilerGym's client passes (--alsologtostderr, -v=N,
// --logbuflevel=N, --log_dir=DIR) and, beyond CompilerGym: --host (default $CGYM_SERVICE_HOST,
// else loopback), --max_message_bytes, --benchmark_cache_max_bytes, --max_sessions, and who may
// connect: --token_file (default $CGYM_SERVICE_TOKEN; both variables are removed from the
// environment once read), --tls_cert, --tls_key, --tls_client_ca, --insecure. A host that is
// not loopback needs TLS and a token or client certificates, or --insecure. The working
// directory and logs/ are created 0700, a Unix socket 0600. Run with --help for all.
// Returns the process exit code.
int runService(const SessionFactory& factory, int argc, const char* const* argv,
               const std::string& usage = "");

// Asks every runService() of this process to stop, as SIGTERM does. Callable from any thread and
// from a signal handler. A runService() that starts later is not affected.
void requestStop() noexcept;

// CompilerGym's createAndRunCompilerGymService<T>: runs a service of sessions of type T,
// which must be constructible from the working directory.
template <typename SessionType>
int createAndRunService(int argc, const char* const* argv, const std::string& usage = "") {
  return runService(
      [](const std::filesystem::path& workingDirectory) {
        return std::make_unique<SessionType>(workingDirectory);
      },
      argc, argv, usage);
}

}  // namespace cgym::runtime
