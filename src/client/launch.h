// SPDX-License-Identifier: MIT
//
// The launch of a managed service: a private working directory, the service binary spawned
// in it, and the address it listens on once it has written port.txt.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "client/connection_opts.h"
#include "common/status.h"

namespace cgym::client {

class ChildProcess;

// A managed service that has started and written its port file.
struct LaunchedService {
  LaunchedService();
  ~LaunchedService();
  LaunchedService(LaunchedService&&) noexcept;

  std::unique_ptr<ChildProcess> process;
  std::filesystem::path workingDir;
  // The address it listens on: "localhost:PORT".
  std::string url;
};

// Launches the service binary `endpoint` as ConnectionOpts says and waits for its port file.
// On failure nothing is left behind (the process is stopped, its directory removed). Errors:
// NOT_FOUND "File not found: <path>"; SERVICE_INIT when the service exits during start-up
// (with its exit status and the tail of its logs); DEADLINE_EXCEEDED when it writes no port
// file in local_service_port_init_max_seconds; RESOURCE_EXHAUSTED when no working directory
// can be created.
Status launchService(const std::string& endpoint, const ConnectionOpts& opts, LaunchedService* out);

// The root of managed services' working directories: in memory where possible, as
// CompilerGym's transient cache.
std::filesystem::path transientCacheRoot();

// The last lines of the service's logs in `logs`, for start-up errors.
std::string logTail(const std::filesystem::path& logs);

// CGYM_DEBUG or COMPILER_GYM_DEBUG (the greater), 0 if unset.
int debugLevel();

}  // namespace cgym::client
