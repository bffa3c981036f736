// SPDX-License-Identifier: MIT
#include "client/launch.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <thread>
#include <vector>

#include "client/process.h"
#include "common/deadline.h"
#include "common/logging.h"

namespace cgym::client {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

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

// 256 random bits from the kernel's CSPRNG as 64 lowercase hex digits.
Status randomToken(std::string* out) {
  unsigned char bytes[32];
  size_t got = 0;
  int error = 0;
  for (int tries = 0; got < sizeof bytes && tries < 100; ++tries) {
    const ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      error = errno;
      break;
    }
  }
  if (got < sizeof bytes) {
    return Status(StatusCode::kInternal, std::string("Cannot make a token for the service: ") +
                                             std::strerror(error ? error : EAGAIN));
  }
  static const char digits[] = "0123456789abcdef";
  out->clear();
  for (const unsigned char byte : bytes) {
    out->push_back(digits[byte >> 4]);
    out->push_back(digits[byte & 15]);
  }
  return Status::OK();
}

std::string octalMode(mode_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

// The PID in a working directory's pid.txt, opened without following symbolic links;
// 0 if there is none or it cannot be read.
pid_t readPid(int dirFd, const char* name) {
  const int sub = openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (sub < 0) return 0;
  const int file = openat(sub, "pid.txt", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  ::close(sub);
  if (file < 0) return 0;
  char buffer[32] = {};
  const ssize_t n = ::read(file, buffer, sizeof buffer - 1);
  ::close(file);
  if (n <= 0) return 0;
  char* end = nullptr;
  const long pid = std::strtol(buffer, &end, 10);
  return pid > 0 && pid <= INT32_MAX && end != buffer ? static_cast<pid_t>(pid) : 0;
}

// The last `maxLines` lines of `file`, each cut at 100 characters, from at most its last
// 64 KiB: a service's stderr may have grown large by the time it fails.
std::deque<std::string> tailLines(const fs::path& file, size_t maxLines) {
  std::deque<std::string> lines;
  std::ifstream in(file, std::ios::binary);
  if (!in) return lines;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > 65536 ? size - 65536 : 0;
  in.seekg(start);
  bool partial = start > 0;  // the first line read is the end of a line
  for (std::string line; std::getline(in, line);) {
    if (partial) {
      partial = false;
      continue;
    }
    lines.push_back(line.substr(0, 100));
    if (lines.size() > maxLines) lines.pop_front();
  }
  return lines;
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
// most 100 characters), then those of its stderr, where a binary that fails before it logs
// anything says why.
std::string logTail(const fs::path& logs) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(logs, ec)) {
    if (entry.is_regular_file(ec) && !entry.is_symlink(ec) &&
        entry.path().filename() != "stderr.txt") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::deque<std::string> lines;
  for (const fs::path& file : files) {
    for (std::string& line : tailLines(file, 25)) lines.push_back(std::move(line));
    while (lines.size() > 25) lines.pop_front();
  }
  std::string out;
  if (!lines.empty()) out += "\nService logs:";
  for (const std::string& line : lines) out += "\n    " + line;
  const std::deque<std::string> stderrLines = tailLines(logs / "stderr.txt", 25);
  if (!stderrLines.empty()) out += "\nService stderr:";
  for (const std::string& line : stderrLines) out += "\n    " + line;
  return out;
}

Status ensurePrivateDirectory(const fs::path& dir) {
  const std::string name = dir.string();
  int made = ::mkdir(dir.c_str(), 0700) == 0 ? 0 : errno;
  if (made == ENOENT) {
    std::error_code ec;
    fs::create_directories(dir.parent_path(), ec);
    made = ::mkdir(dir.c_str(), 0700) == 0 ? 0 : errno;
  }
  // Whatever mkdir did (it fails if the path exists, whoever made it), the path is checked.
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) {
    const int error = made != 0 && made != EEXIST ? made : errno;
    return Status(error == EACCES || error == EPERM || error == EROFS
                      ? StatusCode::kPermissionDenied
                      : StatusCode::kResourceExhausted,
                  "Cannot create the directory " + name + ": " + std::strerror(error));
  }
  const uid_t user = geteuid();
  std::string problem;
  if (S_ISLNK(st.st_mode)) {
    problem = "it is a symbolic link";
  } else if (!S_ISDIR(st.st_mode)) {
    problem = "it is not a directory";
  } else if (st.st_uid != user) {
    problem = "it is owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " +
              std::to_string(user) + ")";
  } else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    problem = "its mode " + octalMode(st.st_mode) + " lets group or others write in it";
  }
  if (!problem.empty()) {
    return Status(StatusCode::kPermissionDenied,
                  "Refusing to run services in " + name + ": " + problem +
                      ". Managed services need a directory of the user's own with mode 0700 "
                      "(as XDG_RUNTIME_DIR): remove it, or set CGYM_TRANSIENT_CACHE to another "
                      "path");
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    // Readable by others but not writable: nobody else can have changed its contents, so it is
    // made private rather than refused (libcgym before 0.6.0 made its directories 0755). The
    // descriptor, opened without following links, is the directory just checked.
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat again;
    const bool same = fd >= 0 && ::fstat(fd, &again) == 0 && again.st_dev == st.st_dev &&
                      again.st_ino == st.st_ino && again.st_uid == user;
    const bool changed = same && ::fchmod(fd, 0700) == 0;
    if (fd >= 0) ::close(fd);
    if (!changed) {
      return Status(StatusCode::kPermissionDenied,
                    "Refusing to run services in " + name + ": its mode " + octalMode(st.st_mode) +
                        " lets group or others in, and it cannot be made 0700");
    }
    logger().debug("Made {} private (mode 0700; it was {})", name, octalMode(st.st_mode));
  }
  return Status::OK();
}

int removeStaleWorkingDirs(const fs::path& dir) {
  const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dirFd < 0) return 0;
  DIR* entries = fdopendir(dirFd);
  if (!entries) {
    ::close(dirFd);
    return 0;
  }
  const uid_t user = geteuid();
  const time_t now = std::time(nullptr);
  std::vector<std::string> stale;
  int seen = 0;
  // Bounded: a launch never pays for a directory that has grown huge.
  while (seen < 100) {
    const dirent* entry = readdir(entries);
    if (!entry) break;
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    ++seen;
    struct stat st;
    if (fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISDIR(st.st_mode) || st.st_uid != user) continue;
    const pid_t pid = readPid(dirFd, name.c_str());
    // A PID that exists (or that another user's process reuses: EPERM) keeps the directory.
    const bool gone = pid > 0 ? ::kill(pid, 0) != 0 && errno == ESRCH : now - st.st_mtime > 10 * 60;
    if (gone) stale.push_back(name);
  }
  closedir(entries);  // closes dirFd
  int removed = 0;
  for (const std::string& name : stale) {
    // remove_all removes symbolic links inside, never what they point to.
    std::error_code ec;
    if (fs::remove_all(dir / name, ec) > 0 && !ec) ++removed;
  }
  if (removed > 0)
    logger().debug("Removed {} stale working directories in {}", removed, dir.string());
  return removed;
}

Status launchService(const std::string& endpoint, const ConnectionOpts& opts,
                     LaunchedService* out) {
  const fs::path binary = fs::absolute(endpoint);
  std::error_code ec;
  if (!fs::is_regular_file(binary, ec)) {
    return Status(StatusCode::kNotFound, "File not found: " + binary.string());
  }
  // The root is checked before anything is made in it: another user who made it first (it
  // has a predictable name) could otherwise swap in a service of their own.
  const fs::path cacheRoot = transientCacheRoot();
  CGYM_RETURN_IF_ERROR(ensurePrivateDirectory(cacheRoot));
  const fs::path root = cacheRoot / "s";
  CGYM_RETURN_IF_ERROR(ensurePrivateDirectory(root));
  removeStaleWorkingDirs(root);
  CGYM_RETURN_IF_ERROR(randomToken(&out->token));
  std::string pattern = (root / "XXXXXX").string();
  if (!mkdtemp(pattern.data())) {  // mode 0700: the service's files are the user's alone
    return Status(StatusCode::kResourceExhausted,
                  "Cannot create a working directory in " + root.string());
  }
  out->workingDir = pattern;
  ::mkdir((out->workingDir / "logs").c_str(), 0700);
  ::mkdir((out->workingDir / "disk").c_str(), 0700);

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
  // Our service binaries listen where CGYM_SERVICE_HOST says and require CGYM_SERVICE_TOKEN
  // on every call (both unset by the service once read, so that its sessions' processes do
  // not inherit them); CompilerGym's ignore both and listen on loopback TCP, without a token,
  // as they always have. The socket lives in the working directory, which only this user can
  // enter. A Unix socket path holds at most 107 bytes: with a longer one (a deep
  // CGYM_TRANSIENT_CACHE) the service listens on loopback TCP instead, where the token alone
  // keeps other local users out. "localhost" is set rather than left out, so that a value in
  // this process's environment is not inherited.
  const std::string socketPath = (out->workingDir / "service.sock").string();
  const bool unixSocket = socketPath.size() < sizeof(sockaddr_un{}.sun_path);
  spawn.env["CGYM_SERVICE_HOST"] = unixSocket ? "unix:" + socketPath : "localhost";
  spawn.env["CGYM_SERVICE_TOKEN"] = out->token;
  // The service's stderr goes to logs/stderr.txt, whose tail a failed start reports (a binary
  // that dies before it logs anything says why there: a missing library, a bad flag); the
  // services log to logs/ anyway, and stderr stays readable there while the service runs.
  // With CGYM_DEBUG it is inherited instead, so that debugging output reaches the terminal
  // as it happens.
  if (debug == 0) spawn.stderrPath = (out->workingDir / "logs" / "stderr.txt").string();
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
    int port = -1;
    if (in && (in >> port)) {
      // 0: our service on its Unix socket; a port: a binary that listens on TCP.
      if (port == 0 && unixSocket) {
        out->url = "unix:" + socketPath;
        return Status::OK();
      }
      if (port > 0) {
        out->url = "localhost:" + std::to_string(port);
        return Status::OK();
      }
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
