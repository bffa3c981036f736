// SPDX-License-Identifier: MIT
#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "common/deadline.h"

extern char** environ;

namespace cgym {
namespace {

constexpr size_t kMaxStdout = size_t{1} << 30;
constexpr size_t kMaxStderr = size_t{1} << 20;

std::string errnoText(int error) { return std::strerror(error); }

// Closes the file descriptor it holds when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Both ends of a pipe, close-on-exec, so that a process started concurrently by another thread
// does not inherit them (which would keep our reads from ever seeing end of file).
Status makePipe(Fd* readEnd, Fd* writeEnd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Status(StatusCode::kInternal, "pipe2: " + errnoText(errno));
  }
  readEnd->reset(fds[0]);
  writeEnd->reset(fds[1]);
  return Status::OK();
}

// The input as a memory file: the child reads it at its own pace, and we never write to a pipe
// whose reader may be gone (no SIGPIPE, no deadlock between our writes and its output).
Status makeStdinFile(const std::string& text, Fd* fd) {
  fd->reset(::memfd_create("cgym-stdin", MFD_CLOEXEC));
  if (fd->get() < 0) return Status(StatusCode::kInternal, "memfd_create: " + errnoText(errno));
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd->get(), text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status(StatusCode::kInternal, "write: " + errnoText(errno));
    written += static_cast<size_t>(n);
  }
  if (::lseek(fd->get(), 0, SEEK_SET) != 0) {
    return Status(StatusCode::kInternal, "lseek: " + errnoText(errno));
  }
  return Status::OK();
}

class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
};

// Milliseconds to wait in poll() before `deadline`; -1 for no deadline.
int pollTimeoutMs(std::chrono::steady_clock::time_point deadline) {
  if (deadline == std::chrono::steady_clock::time_point::max()) return -1;
  const auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

}  // namespace

Status runCommand(const std::vector<std::string>& argv, const std::string& stdinText,
                  double timeoutSeconds, CommandResult* result) {
  *result = CommandResult();
  if (argv.empty() || argv[0].empty()) {
    return Status(StatusCode::kInvalidArgument, "runCommand: no program given");
  }
  CGYM_RETURN_IF_ERROR(checkSeconds("runCommand timeout", timeoutSeconds));

  Fd stdinFd, stdoutRead, stdoutWrite, stderrRead, stderrWrite;
  if (!stdinText.empty()) CGYM_RETURN_IF_ERROR(makeStdinFile(stdinText, &stdinFd));
  CGYM_RETURN_IF_ERROR(makePipe(&stdoutRead, &stdoutWrite));
  CGYM_RETURN_IF_ERROR(makePipe(&stderrRead, &stderrWrite));

  SpawnSetup setup;
  if (stdinFd.get() >= 0) {
    posix_spawn_file_actions_adddup2(&setup.actions, stdinFd.get(), STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&setup.actions, stdoutWrite.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, stderrWrite.get(), STDERR_FILENO);
  // A process group of its own, so that a timeout kills the tool and everything it started
  // (clang's cc1, a shell's children); default signal handling and an empty signal mask, since
  // the service may ignore or block signals that the tool relies on.
  sigset_t noSignals, allSignals;
  sigemptyset(&noSignals);
  sigfillset(&allSignals);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setsigmask(&setup.attributes, &noSignals);
  posix_spawnattr_setsigdefault(&setup.attributes, &allSignals);
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  const auto deadline = deadlineAfter<std::chrono::steady_clock>(timeoutSeconds);
  pid_t pid = -1;
  const int spawnError =
      posix_spawnp(&pid, args[0], &setup.actions, &setup.attributes, args.data(), environ);
  if (spawnError != 0) {
    return Status(StatusCode::kInternal, "Failed to run " + argv[0] + ": " + errnoText(spawnError));
  }
  // Only the child keeps the write ends: we see end of file when it (and its children) exit.
  stdoutWrite.reset();
  stderrWrite.reset();
  stdinFd.reset();

  struct Stream {
    Fd* fd;
    std::string* text;
    size_t max;
  };
  Stream streams[2] = {{&stdoutRead, &result->stdoutText, kMaxStdout},
                       {&stderrRead, &result->stderrText, kMaxStderr}};
  char buffer[65536];
  while (stdoutRead.get() >= 0 || stderrRead.get() >= 0) {
    pollfd fds[2];
    nfds_t count = 0;
    for (const Stream& stream : streams) {
      if (stream.fd->get() >= 0) fds[count++] = {stream.fd->get(), POLLIN, 0};
    }
    const int timeoutMs = pollTimeoutMs(deadline);
    if (timeoutMs == 0) {
      result->timedOut = true;
      break;
    }
    const int ready = ::poll(fds, count, timeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;  // Cannot happen with valid descriptors; reap the child below.
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      for (Stream& stream : streams) {
        if (stream.fd->get() != fds[i].fd) continue;
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {
          stream.fd->reset();
          continue;
        }
        const size_t room = stream.max - std::min(stream.max, stream.text->size());
        stream.text->append(buffer, std::min(room, static_cast<size_t>(n)));
      }
    }
  }
  stdoutRead.reset();
  stderrRead.reset();

  // A process that closed its output may still run: wait for it until the deadline too.
  int status = 0;
  int pauseMs = 1;
  for (;;) {
    if (result->timedOut) {
      // The child is not reaped yet, so its pid (= the group id) cannot have been reused.
      ::kill(-pid, SIGKILL);
    }
    const pid_t done = ::waitpid(pid, &status, result->timedOut ? 0 : WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      return Status(StatusCode::kInternal, "waitpid: " + errnoText(errno));
    }
    if (done == 0) {
      const int timeoutMs = pollTimeoutMs(deadline);
      if (timeoutMs == 0) {
        result->timedOut = true;
      } else {
        // Short naps at first: the process is usually exiting already.
        const int napMs = std::min(pauseMs, timeoutMs < 0 ? INT_MAX : timeoutMs);
        ::poll(nullptr, 0, napMs);
        pauseMs = std::min(pauseMs * 2, 20);
      }
    }
  }
  if (WIFEXITED(status)) result->exitStatus = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result->termSignal = WTERMSIG(status);
  return Status::OK();
}

std::string describeFailure(const std::string& program, double timeoutSeconds,
                            const CommandResult& result) {
  char text[64];
  if (result.timedOut) {
    std::snprintf(text, sizeof text, "%g", timeoutSeconds);
    return program + " timed out after " + text + " seconds";
  }
  if (result.termSignal != 0) {
    return program + " was killed by signal " + std::to_string(result.termSignal);
  }
  return program + " exited with status " + std::to_string(result.exitStatus);
}

}  // namespace cgym
