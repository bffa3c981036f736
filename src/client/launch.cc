// SPDX-License-Identifier: MIT
#include "client/launch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <thread>

#include "client/process.h"

namespace cgym::client {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void sleepSeconds(double seconds) {
  if (!(seconds > 0)) return;  // and NaN
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(seconds, 1e9)));
}

// Python's "%.1f" of a float, used in CompilerGym's messages.
std::string oneDecimal(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", seconds);
  return buffer;
}

// Files created in or moved into a directory, as a file descriptor that becomes readable
// (inotify); fd() is -1 where inotify is unavailable. The process keeps one inotify instance
// and adds a watch per directory: closing an instance waits for a kernel grace period
// (15 ms measured here), longer than a fast service takes to start. Concurrent watchers may
// read each other's events; they then wake at their next timed poll instead.
class DirectoryWatch {
 public:
  explicit DirectoryWatch(const fs::path& dir) {
    static const int instance = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (instance >= 0) {
      watch_ = inotify_add_watch(instance, dir.c_str(), IN_CREATE | IN_MOVED_TO);
      if (watch_ >= 0) fd_ = instance;
    }
  }
  ~DirectoryWatch() {
    if (fd_ >= 0) inotify_rm_watch(fd_, watch_);
  }
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;
  int fd() const { return fd_; }
  void drain() {
    alignas(inotify_event) char buffer[4096];
    while (::read(fd_, buffer, sizeof buffer) > 0) {
    }
  }

 private:
  int fd_ = -1;
  int watch_ = -1;
};

// A launch that failed: the service is stopped and its working directory removed.
void abandon(const ConnectionOpts& opts, LaunchedService* out) {
  if (out->process) {
    bool killed = false;
    out->process->terminate(opts.local_service_exit_max_seconds, &killed);
    out->process.reset();
  }
  if (!out->workingDir.empty()) {
    std::error_code ec;
    fs::remove_all(out->workingDir, ec);
    out->workingDir.clear();
  }
}

}  // namespace

LaunchedService::LaunchedService() = default;
LaunchedService::~LaunchedService() = default;
LaunchedService::LaunchedService(LaunchedService&&) noexcept = default;

// The root for managed services' working directories: in memory where possible, as
// CompilerGym's transient cache.
fs::path transientCacheRoot() {
  for (const char* var : {"CGYM_TRANSIENT_CACHE", "COMPILER_GYM_TRANSIENT_CACHE"}) {
    if (const char* value = std::getenv(var); value && *value) return value;
  }
  std::error_code ec;
  const fs::path base = fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0
                            ? fs::path("/dev/shm")
                            : fs::temp_directory_path();
  return base / ("cgym_" + std::to_string(getuid()));
}

int debugLevel() {
  int level = 0;
  for (const char* var : {"CGYM_DEBUG", "COMPILER_GYM_DEBUG"}) {
    if (const char* value = std::getenv(var); value && *value)
      level = std::max(level, std::atoi(value));
  }
  return level;
}

// The last lines of the service's logs, for start-up errors (CompilerGym: 25 lines of at
// most 100 characters).
std::string logTail(const fs::path& logs) {
  std::deque<std::string> lines;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(logs, ec)) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line.substr(0, 100));
      if (lines.size() > 25) lines.pop_front();
    }
  }
  if (lines.empty()) return "";
  std::string out = "\nService logs:";
  for (const std::string& line : lines) out += "\n    " + line;
  return out;
}

Status launchService(const std::string& endpoint, const ConnectionOpts& opts,
                     LaunchedService* out) {
  const fs::path binary = fs::absolute(endpoint);
  std::error_code ec;
  if (!fs::is_regular_file(binary, ec)) {
    return Status(StatusCode::kNotFound, "File not found: " + binary.string());
  }
  const fs::path root = transientCacheRoot() / "s";
  fs::create_directories(root, ec);
  std::string pattern = (root / "XXXXXX").string();
  if (!mkdtemp(pattern.data())) {  // mode 0700: the service's files are the user's alone
    return Status(StatusCode::kResourceExhausted,
                  "Cannot create a working directory in " + root.string());
  }
  out->workingDir = pattern;
  fs::create_directories(out->workingDir / "logs", ec);
  fs::create_directories(out->workingDir / "disk", ec);

  DirectoryWatch watch(out->workingDir);
  SpawnOptions spawn;
  spawn.path = binary.string();
  spawn.args.push_back("--working_dir=" + out->workingDir.string());
  for (const std::string& arg : opts.script_args) spawn.args.push_back(arg);
  const int debug = debugLevel();
  if (debug > 0) {
    spawn.args.insert(spawn.args.end(),
                      {"--alsologtostderr", "-v=" + std::to_string(debug - 1), "--logbuflevel=-1"});
  } else if (!std::getenv("GRPC_VERBOSITY")) {
    spawn.env["GRPC_VERBOSITY"] = "NONE";
  }
  if (const char* extra = std::getenv("COMPILER_GYM_SERVICE_ARGS"); extra && *extra) {
    spawn.args.push_back(extra);
  }
  for (const auto& [key, value] : opts.script_env) spawn.env[key] = value;
  spawn.cwd = binary.parent_path().string();
  CGYM_RETURN_IF_ERROR(ChildProcess::spawn(spawn, &out->process));

  // Wait for port.txt. CompilerGym polls every 0.1 s growing by 1.2; a fast service is up in
  // milliseconds, so start at 1 ms, and wake at once when a file appears in the working
  // directory (inotify; the service renames port.txt into place). The watch is set before
  // the service is spawned, so the rename cannot be missed.
  const auto start = Clock::now();
  double wait = 0.001;
  const fs::path portFile = out->workingDir / "port.txt";
  while (true) {
    std::ifstream in(portFile);
    int port = 0;
    if (in && (in >> port) && port > 0) {
      out->url = "localhost:" + std::to_string(port);
      return Status::OK();
    }
    if (std::optional<int> exit = out->process->poll()) {
      const std::string logs = logTail(out->workingDir / "logs");
      abandon(opts, out);
      return Status(StatusCode::kServiceInit,
                    "Service terminated with " + describeExit(*exit) + logs);
    }
    if (secondsSince(start) >= opts.local_service_port_init_max_seconds) {
      abandon(opts, out);
      return Status(StatusCode::kDeadlineExceeded,
                    "Service failed to produce port file after " +
                        oneDecimal(opts.local_service_port_init_max_seconds) + " seconds");
    }
    if (watch.fd() >= 0) {
      pollfd entry{watch.fd(), POLLIN, 0};
      if (::poll(&entry, 1, static_cast<int>(std::ceil(wait * 1000))) > 0) watch.drain();
    } else {
      sleepSeconds(wait);
    }
    wait = std::min(wait * 1.2, 0.1);
  }
}

}  // namespace cgym::client
