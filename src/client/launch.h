// SPDX-License-Identifier: MIT
//
// The launch of a managed service: a private working directory, the service binary spawned
// in it, and the address it listens on once it has written port.txt.
//
// Managed services are private to the user who launches them. Their working directories live
// in the cache root (transientCacheRoot(), then "s/"), which must be the user's own: a real
// directory owned by the effective user with no permission bits for group or others, as
// XDG_RUNTIME_DIR must be; otherwise the launch is refused. Our service binaries then listen
// on a Unix socket in the working directory (mode 0700) and require a random token of 256 bits
// that only the client knows; a CompilerGym binary ignores both and listens on loopback TCP,
// as it always has.
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
  // The address it listens on: "unix:<workingDir>/service.sock" for our binaries,
  // "localhost:PORT" for those that ignore CGYM_SERVICE_HOST (CompilerGym's).
  std::string url;
  // What every call must carry as "authorization: Bearer <token>" (64 hex digits).
  std::string token;
};

// Launches the service binary `endpoint` as ConnectionOpts says and waits for its port file.
// Working directories of services whose clients were killed are removed first (see
// removeStaleWorkingDirs). The service's stderr goes to <workingDir>/logs/stderr.txt (unless
// CGYM_DEBUG is set: then it is inherited). On failure nothing is left behind (the process is
// stopped, its directory removed). Errors: NOT_FOUND "File not found: <path>";
// PERMISSION_DENIED when the cache root is not the user's own (naming the directory and what
// is wrong with it); SERVICE_INIT when the service exits during start-up (with its exit status
// and the tail of its logs and stderr); DEADLINE_EXCEEDED when it writes no port file in
// local_service_port_init_max_seconds; RESOURCE_EXHAUSTED when no working directory can be
// created.
Status launchService(const std::string& endpoint, const ConnectionOpts& opts, LaunchedService* out);

// The root of managed services' working directories: in memory where possible, as
// CompilerGym's transient cache.
std::filesystem::path transientCacheRoot();

// Makes `dir` if it is missing (mode 0700) and checks that it is private: a directory, not a
// symbolic link, owned by the effective user, without permission bits for group or others.
// A directory of the user's that others can read but not write (what libcgym before 0.6.0
// made) is made 0700. Otherwise PERMISSION_DENIED naming `dir` and what is wrong.
Status ensurePrivateDirectory(const std::filesystem::path& dir);

// Removes, from the directory `dir` of working directories, those left behind by clients
// that were killed: a directory of the user's whose pid.txt names a process that no longer
// exists, or that has no pid.txt and was last modified more than 10 minutes ago (a service
// that is still starting has none yet). Symbolic links are never followed; at most 100
// entries are looked at. Returns how many were removed.
int removeStaleWorkingDirs(const std::filesystem::path& dir);

// The last lines of the service's logs in `logs` and of its stderr (logs/stderr.txt), for
// start-up errors.
std::string logTail(const std::filesystem::path& logs);

// CGYM_DEBUG or COMPILER_GYM_DEBUG (the greater), 0 if unset.
int debugLevel();

}  // namespace cgym::client
