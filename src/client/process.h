// SPDX-License-Identifier: MIT
//
// The child processes of managed services, launched and closed as CompilerGym's client does,
// with one guarantee CompilerGym lacks (its issue #326): a child never outlives
// the client process, even when the client is killed with SIGKILL, and the child's binary
// need not cooperate.
//
// How: every child is created by one long-lived "spawner" thread (started on the first
// spawn, detached, never exits, all signals blocked) with
// clone(CLONE_VM | CLONE_VFORK | SIGCHLD) on a separate stack, the mechanism posix_spawn uses
// internally. Between clone and exec the child only makes raw system calls: it resets every
// signal disposition to the default, redirects stdout/stderr, closes inherited descriptors
// >= 3 (close_range, like Python's Popen close_fds=True), changes directory, sets
// PR_SET_PDEATHSIG(SIGKILL), exits if the parent is already gone, empties its signal mask and
// execs. PR_SET_PDEATHSIG fires when the *thread* that created the child exits, which is why
// the creator is a thread that never exits rather than the caller's thread; it also fires
// when the client calls execve (the process image, and the spawner thread, are gone).
//
// Caveats:
// * PR_SET_PDEATHSIG is cleared by the kernel when the child execs a set-user-ID,
//   set-group-ID or file-capability binary: such a service would not die with its client.
// * Descriptors >= 3 are closed with close_range (Linux >= 5.9). On older kernels they are
//   inherited unless close-on-exec: libcgym opens its own descriptors with O_CLOEXEC.
// * Reaping is waitpid(pid, WNOHANG) on demand; no SIGCHLD handler is installed. If the host
//   process ignores SIGCHLD (SIG_IGN, so the kernel reaps) or reaps all children itself, the
//   exit status is lost: the child is then reported as exited with returncode 0, as Python's
//   Popen does.
// * A process created by fork() from the client does not own the client's children: all
//   ChildProcess methods become no-ops there (the fork's own spawns work normally).
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace cgym::client {

struct SpawnOptions {
  // The executable, absolute or relative to the current directory (no PATH search).
  std::string path;
  // argv[1..]; argv[0] is the basename of `path`.
  std::vector<std::string> args;
  // Added to, or overriding, a copy of the parent's environment taken at spawn time.
  std::map<std::string, std::string> env;
  // Working directory of the child; empty means the parent directory of the binary (as
  // CompilerGym runs its services).
  std::string cwd;
  // If non-empty, the child's stdout/stderr are appended to these files (created 0644 if
  // needed; relative to the caller's current directory, not `cwd`); otherwise they are
  // inherited. stdin is always inherited.
  std::string stdoutPath;
  std::string stderrPath;
};

// A child process, owned: it is killed (SIGKILL) and reaped when destroyed while running, so
// it never becomes an orphan nor a zombie. Exit results are "returncodes" like Python's
// Popen.returncode: the exit code, or minus the signal number for a death by signal. All
// methods are thread-safe.
class ChildProcess {
 public:
  // Starts `options.path`. Errors: NOT_FOUND "File not found: <path>" if the path is not an
  // existing regular file (CompilerGym's check), PERMISSION_DENIED "Permission denied: <path>"
  // if it is not executable; if the child fails before or at exec (bad cwd, unopenable
  // redirection file, exec format error, missing script interpreter), a status naming the
  // step and strerror, with code NOT_FOUND (ENOENT, ENOTDIR), PERMISSION_DENIED (EACCES,
  // EPERM) or INTERNAL. RESOURCE_EXHAUSTED if the process cannot be created.
  static Status spawn(const SpawnOptions& options, std::unique_ptr<ChildProcess>* out);

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }

  // Non-blocking: the returncode if the child has exited (reaping it on the first call that
  // sees the exit), else nullopt.
  std::optional<int> poll();
  // Waits up to `seconds` (polling every 1 ms, growing to 20 ms) for the child to exit.
  // Returns at once if `seconds` <= 0.
  std::optional<int> waitFor(double seconds);
  // True until the child has exited.
  bool running() { return !poll().has_value(); }
  // Sends `sig` to the child; a no-op once it has been reaped (so never hits a reused pid).
  void signal(int sig);
  // CompilerGym's close: SIGTERM, wait up to `seconds`, then SIGKILL and reap. Returns the
  // returncode; `*killed` (if given) tells whether SIGKILL was needed. If the child had
  // already exited, returns its returncode without signalling.
  int terminate(double seconds, bool* killed = nullptr);
  // Kills `child` (SIGKILL) without waiting for it: for a child the caller has given up on,
  // such as a service that missed a deadline. It is reaped here if it dies within 50 ms (as
  // a process does once killed), else by a thread of its own: a process in uninterruptible
  // sleep dies only when the kernel lets it, and the caller must not wait for that.
  static void killInBackground(std::unique_ptr<ChildProcess> child);

 private:
  ChildProcess(pid_t pid, pid_t ownerPid) : pid_(pid), ownerPid_(ownerPid) {}
  // With mu_ held: waitpid with `options`; records the returncode if the child is reaped.
  void reapLocked(int options);
  // With mu_ held: true if this process owns the child and it has not been reaped.
  bool liveLocked() const;

  const pid_t pid_;
  const pid_t ownerPid_;  // getpid() of the spawning process; see the fork caveat above.
  std::mutex mu_;
  std::optional<int> returncode_;
};

// "returncode: <rc>", plus " (<SIGNAME>)" for a death by signal (rc < 0), e.g.
// "returncode: -9 (SIGKILL)", for CompilerGym's "Service terminated with <this>".
std::string describeExit(int returncode);

// The Python-style name of signal `sig` ("SIGKILL"), or "" if it has none.
const char* signalName(int sig);

}  // namespace cgym::client
