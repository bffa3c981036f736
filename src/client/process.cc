// SPDX-License-Identifier: MIT
#include "client/process.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <system_error>
#include <thread>

#include "common/sanitizers.h"

extern char** environ;

namespace cgym::client {
namespace {

namespace fs = std::filesystem;

#ifndef SYS_close_range
#define SYS_close_range 436  // The same number on every architecture.
#endif

// The child's steps that can fail, for the error message.
enum class Step : int { kNone = 0, kStdout, kStderr, kChdir, kPdeathsig, kExec };

// Everything the child needs, built before clone: the child does not allocate. The child
// shares our address space (CLONE_VM) and reports a failure through failStep/failErrno.
struct Prepared {
  const char* path = nullptr;  // absolute
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* cwd = nullptr;
  const char* stdoutPath = nullptr;  // nullptr: inherit
  const char* stderrPath = nullptr;
  pid_t parentPid = 0;  // getpid() of the spawner's process
  // Written by the child, read by the spawner after clone returns (CLONE_VFORK: the child
  // has exec'd or exited by then).
  Step failStep = Step::kNone;
  int failErrno = 0;
};

// The kernel's struct sigaction with every field zero is SIG_DFL with no flags and an empty
// mask, and a zero kernel sigset_t is the empty set, whatever the architecture's layout.
// Static, so that the child needs no memset.
const unsigned long kZeros[16] = {};
constexpr long kKernelSigsetSize = _NSIG / 8;

// The code that runs in the child between clone and execve. It shares the parent's memory,
// so it only makes raw system calls: no allocation, no locks, no libc state, no interceptors;
// sanitizers are off because it runs on a stack ASan knows nothing about, and on the
// spawner thread's ThreadSanitizer state, which would then record the child's accesses as the
// spawner's and lose track of what the spawner's later unlocks publish.
#define CGYM_CHILD_CODE __attribute__((no_sanitize("address", "undefined", "thread"), noinline))

[[noreturn]] CGYM_CHILD_CODE void childFail(Prepared* p, Step step) {
  p->failErrno = errno;
  p->failStep = step;
  syscall(SYS_exit_group, 127);
  __builtin_unreachable();
}

// Appends `target` (1 or 2) to `path`. Returns false with errno set on failure.
CGYM_CHILD_CODE bool childRedirect(const char* path, int target) {
  long fd = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  if (fd == target) return syscall(SYS_fcntl, fd, F_SETFD, 0) == 0;  // keep it across exec
  if (syscall(SYS_dup3, fd, target, 0) < 0) return false;            // dup3 clears O_CLOEXEC
  syscall(SYS_close, fd);
  return true;
}

CGYM_CHILD_CODE int childMain(void* arg) {
  Prepared* p = static_cast<Prepared*>(arg);
  // All signals are blocked (inherited from the spawner thread). Give every signal its
  // default disposition, so that no parent handler can run in this shared address space once
  // they are unblocked, and so that the service starts as from a clean shell (like Popen's
  // restore_signals, but for every signal: an ignored SIGTERM would defeat terminate()).
  for (int sig = 1; sig < _NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    syscall(SYS_rt_sigaction, sig, kZeros, nullptr, kKernelSigsetSize);  // EINVAL is fine
  }
  if (p->stdoutPath && !childRedirect(p->stdoutPath, 1)) childFail(p, Step::kStdout);
  if (p->stderrPath && !childRedirect(p->stderrPath, 2)) childFail(p, Step::kStderr);
  // Like Popen's close_fds=True; ENOSYS before Linux 5.9 (then only O_CLOEXEC protects).
  syscall(SYS_close_range, 3, ~0U, 0);
  if (syscall(SYS_chdir, p->cwd) < 0) childFail(p, Step::kChdir);
  if (syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) childFail(p, Step::kPdeathsig);
  // The parent may have died before prctl: then nobody would kill us, so go now.
  if (syscall(SYS_getppid) != p->parentPid) syscall(SYS_exit_group, 127);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, kZeros, nullptr, kKernelSigsetSize);
  syscall(SYS_execve, p->path, p->argv, p->envp);
  childFail(p, Step::kExec);
}

// A spawn request, queued to the spawner thread. Lives on the requester's stack, which waits.
struct Request {
  Prepared* prepared = nullptr;
  pid_t pid = -1;
  int cloneErrno = 0;
  bool done = false;
};

// The spawner thread's state. Never freed: the thread never exits, and at process exit it
// may still be waiting on the condition variable.
struct Spawner {
  pid_t pid = 0;  // getpid() of the process that started the thread
  std::mutex mu;
  std::condition_variable requestCv;
  std::condition_variable doneCv;
  std::deque<Request*> queue;
  char* stackTop = nullptr;     // the child's stack (one: spawns are serialized)
  Spawner* previous = nullptr;  // a forked parent's spawner, kept reachable for LeakSanitizer
};

// 256 KiB: generous for a few raw system calls, and ASan-proof. Plus a guard page below.
constexpr size_t kChildStackSize = 256 * 1024;

using CloneFunction = int (*)(int (*)(void*), void*, int, void*, ...);

// clone() itself, except under ThreadSanitizer: TSan intercepts clone and treats the child as
// a forked process, resetting its own state in the child, which with CLONE_VM is the
// parent's state too; every thread then loses its history and TSan reports races that are
// not there. libc's clone, called directly, keeps TSan out of the child.
CloneFunction cloneFunction() {
#ifdef CGYM_TSAN
  static const CloneFunction function = [] {
    void* libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    void* symbol = libc ? dlsym(libc, "clone") : nullptr;
    return symbol ? reinterpret_cast<CloneFunction>(symbol) : &clone;
  }();
  return function;
#else
  return &clone;
#endif
}

void runClone(Spawner* s, Request* r) {
  Prepared* p = r->prepared;
  p->parentPid = s->pid;
  pid_t pid = cloneFunction()(childMain, s->stackTop, CLONE_VM | CLONE_VFORK | SIGCHLD, p);
  if (pid < 0) {
    r->cloneErrno = errno;
    return;
  }
  r->pid = pid;
  if (p->failStep != Step::kNone) {
    // The child has called exit_group: reap it now (it is about to become a zombie).
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

[[noreturn]] void spawnerLoop(Spawner* s) {
  pthread_setname_np(pthread_self(), "cgym-spawner");
  for (;;) {
    Request* r;
    {
      std::unique_lock<std::mutex> lock(s->mu);
      s->requestCv.wait(lock, [s] { return !s->queue.empty(); });
      r = s->queue.front();
      s->queue.pop_front();
    }
    runClone(s, r);
    {
      std::lock_guard<std::mutex> lock(s->mu);
      r->done = true;  // r may be gone as soon as the lock is released
    }
    s->doneCv.notify_all();
  }
}

// Guards gSpawner. Held across fork() (pthread_atfork) so that a forked child never
// inherits it locked. Never destroyed.
std::mutex& spawnerMu() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}
Spawner* gSpawner = nullptr;
bool gAtforkRegistered = false;

Status startSpawner(Spawner** out) {
  long page = sysconf(_SC_PAGESIZE);
  size_t size = kChildStackSize + static_cast<size_t>(page);
  void* stack =
      mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    return Status(
        StatusCode::kResourceExhausted,
        std::string("Failed to allocate a stack for child processes: ") + strerror(errno));
  }
  mprotect(stack, static_cast<size_t>(page), PROT_NONE);  // guard page (best effort)
  auto* s = new Spawner;
  s->pid = getpid();
  s->stackTop = static_cast<char*>(stack) + size;
  // The thread starts with every signal blocked: a library thread must not take the host's
  // signals, and the child inherits a fully blocked mask until just before exec.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  Status status;
  try {
    std::thread(spawnerLoop, s).detach();
  } catch (const std::system_error& e) {
    status = Status(StatusCode::kResourceExhausted,
                    std::string("Failed to start the process spawner thread: ") + e.what());
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (!status.ok()) {
    munmap(stack, size);
    delete s;
    return status;
  }
  *out = s;
  return Status::OK();
}

// The spawner of this process, started on first use (and again in a forked child, which has
// the memory but not the thread).
Status getSpawner(Spawner** out) {
  std::lock_guard<std::mutex> lock(spawnerMu());
  if (!gAtforkRegistered) {
    pthread_atfork([] { spawnerMu().lock(); }, [] { spawnerMu().unlock(); },
                   [] { spawnerMu().unlock(); });
    gAtforkRegistered = true;
  }
  if (gSpawner == nullptr || gSpawner->pid != getpid()) {
    Spawner* s = nullptr;
    CGYM_RETURN_IF_ERROR(startSpawner(&s));
    s->previous = gSpawner;
    gSpawner = s;
  }
  *out = gSpawner;
  return Status::OK();
}

StatusCode codeForErrno(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return StatusCode::kNotFound;
    case EACCES:
    case EPERM:
      return StatusCode::kPermissionDenied;
    default:
      return StatusCode::kInternal;
  }
}

// NUL-terminated pointers into `strings`, which must outlive them.
std::vector<char*> pointersTo(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

Status ChildProcess::spawn(const SpawnOptions& options, std::unique_ptr<ChildProcess>* out) {
  out->reset();
  // CompilerGym's client's check: the binary must be an existing file.
  struct stat st;
  if (options.path.empty() || stat(options.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status(StatusCode::kNotFound, "File not found: " + options.path);
  }
  if (access(options.path.c_str(), X_OK) != 0) {
    return Status(StatusCode::kPermissionDenied, "Permission denied: " + options.path);
  }

  // Everything the child needs, as C strings.
  std::error_code ec;
  fs::path absolute = fs::absolute(options.path, ec);  // not normalized: ".." is the kernel's
  if (ec) {
    return Status(StatusCode::kInternal, "Failed to resolve " + options.path + ": " + ec.message());
  }
  std::string path = absolute.string();
  std::string cwd = options.cwd.empty() ? absolute.parent_path().string() : options.cwd;

  std::vector<std::string> argvStrings;
  argvStrings.reserve(options.args.size() + 1);
  argvStrings.push_back(absolute.filename().string());
  argvStrings.insert(argvStrings.end(), options.args.begin(), options.args.end());

  std::vector<std::string> envStrings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const char* eq = strchr(*e, '=');
    std::string name = eq ? std::string(*e, static_cast<size_t>(eq - *e)) : std::string(*e);
    if (options.env.count(name) == 0) envStrings.emplace_back(*e);
  }
  for (const auto& [name, value] : options.env) envStrings.push_back(name + "=" + value);

  std::vector<char*> argv = pointersTo(argvStrings);
  std::vector<char*> envp = pointersTo(envStrings);

  Prepared prepared;
  prepared.path = path.c_str();
  prepared.argv = argv.data();
  prepared.envp = envp.data();
  prepared.cwd = cwd.c_str();
  prepared.stdoutPath = options.stdoutPath.empty() ? nullptr : options.stdoutPath.c_str();
  prepared.stderrPath = options.stderrPath.empty() ? nullptr : options.stderrPath.c_str();

  Spawner* spawner = nullptr;
  CGYM_RETURN_IF_ERROR(getSpawner(&spawner));
  Request request;
  request.prepared = &prepared;
  {
    std::lock_guard<std::mutex> lock(spawner->mu);
    spawner->queue.push_back(&request);
  }
  spawner->requestCv.notify_one();
  {
    std::unique_lock<std::mutex> lock(spawner->mu);
    spawner->doneCv.wait(lock, [&request] { return request.done; });
  }

  if (request.pid < 0) {
    return Status(StatusCode::kResourceExhausted, "Failed to create a process for " + options.path +
                                                      ": " + strerror(request.cloneErrno));
  }
  if (prepared.failStep != Step::kNone) {
    std::string what;
    switch (prepared.failStep) {
      case Step::kStdout:
        what = "open " + options.stdoutPath + " for stdout";
        break;
      case Step::kStderr:
        what = "open " + options.stderrPath + " for stderr";
        break;
      case Step::kChdir:
        what = "change directory to " + cwd;
        break;
      case Step::kPdeathsig:
        what = "set the parent-death signal";
        break;
      default:
        what = "execute " + options.path;
        break;
    }
    return Status(codeForErrno(prepared.failErrno),
                  "Failed to " + what + ": " + strerror(prepared.failErrno));
  }
  out->reset(new ChildProcess(request.pid, spawner->pid));
  return Status::OK();
}

bool ChildProcess::liveLocked() const { return !returncode_ && getpid() == ownerPid_; }

void ChildProcess::reapLocked(int options) {
  if (!liveLocked()) return;
  for (;;) {
    int status;
    pid_t r = waitpid(pid_, &status, options);
    if (r == pid_) {
      returncode_ = WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
      return;
    }
    if (r == 0) return;  // WNOHANG: still running
    if (errno == EINTR) continue;
    // ECHILD: someone else reaped it (SIGCHLD ignored, or the host reaps all children). The
    // status is lost; like Python's Popen, report 0.
    if (errno == ECHILD) returncode_ = 0;
    return;
  }
}

std::optional<int> ChildProcess::poll() {
  std::lock_guard<std::mutex> lock(mu_);
  reapLocked(WNOHANG);
  return returncode_;
}

std::optional<int> ChildProcess::waitFor(double seconds) {
  using Clock = std::chrono::steady_clock;
  if (!(seconds > 0)) seconds = 0;  // and NaN
  seconds = std::min(seconds, 1e9);
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(seconds));
  // A pidfd becomes readable when the process exits: waiting on it wakes up at the exit
  // instead of at the next poll (a service's exit would otherwise cost up to one sleep).
  // Until reaped the pid is ours, so the pidfd is for this process. Without pidfds (Linux
  // < 5.3), the sleeps below alone.
  int pidfd = -1;
  {
    std::lock_guard<std::mutex> lock(mu_);
#ifdef SYS_pidfd_open
    if (liveLocked()) pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
#endif
  }
  auto sleep = std::chrono::microseconds(1000);
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      reapLocked(WNOHANG);
      if (!liveLocked()) {
        if (pidfd >= 0) close(pidfd);
        return returncode_;
      }
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      if (pidfd >= 0) close(pidfd);
      return std::nullopt;
    }
    const auto wait = std::min<Clock::duration>(sleep, deadline - now);
    if (pidfd >= 0) {
      pollfd entry{pidfd, POLLIN, 0};
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count() + 1;
      ::poll(&entry, 1, static_cast<int>(ms));
    } else {
      std::this_thread::sleep_for(wait);
    }
    sleep = std::min(sleep * 2, std::chrono::microseconds(20000));
  }
}

void ChildProcess::signal(int sig) {
  std::lock_guard<std::mutex> lock(mu_);
  // Until reaped, the pid is ours (at worst a zombie), so it cannot have been reused.
  if (liveLocked()) kill(pid_, sig);
}

int ChildProcess::terminate(double seconds, bool* killed) {
  if (killed) *killed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    reapLocked(WNOHANG);
    if (!liveLocked()) return returncode_.value_or(0);
    kill(pid_, SIGTERM);
  }
  if (std::optional<int> rc = waitFor(seconds)) return *rc;
  std::lock_guard<std::mutex> lock(mu_);
  if (!liveLocked()) return returncode_.value_or(0);
  kill(pid_, SIGKILL);
  if (killed) *killed = true;
  reapLocked(0);  // SIGKILL cannot be caught: this returns promptly
  return returncode_.value_or(-SIGKILL);
}

void ChildProcess::killInBackground(std::unique_ptr<ChildProcess> child) {
  if (!child) return;
  child->signal(SIGKILL);
  if (child->waitFor(0.05)) return;
  // The destructor kills (again) and reaps, however long that takes.
  try {
    std::thread([child = std::move(child)]() mutable { child.reset(); }).detach();
  } catch (const std::system_error&) {
    // No thread to be had: `child` is reaped here, when it goes.
  }
}

ChildProcess::~ChildProcess() {
  std::lock_guard<std::mutex> lock(mu_);
  reapLocked(WNOHANG);
  if (!liveLocked()) return;
  kill(pid_, SIGKILL);
  reapLocked(0);
}

const char* signalName(int sig) {
  // Python's signal.Signals names (the first alphabetically among aliases: SIGABRT, SIGCHLD,
  // SIGIO), so messages read as CompilerGym's.
  switch (sig) {
    case SIGHUP:
      return "SIGHUP";
    case SIGINT:
      return "SIGINT";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGILL:
      return "SIGILL";
    case SIGTRAP:
      return "SIGTRAP";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGKILL:
      return "SIGKILL";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGUSR2:
      return "SIGUSR2";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGALRM:
      return "SIGALRM";
    case SIGTERM:
      return "SIGTERM";
#ifdef SIGSTKFLT
    case SIGSTKFLT:
      return "SIGSTKFLT";
#endif
    case SIGCHLD:
      return "SIGCHLD";
    case SIGCONT:
      return "SIGCONT";
    case SIGSTOP:
      return "SIGSTOP";
    case SIGTSTP:
      return "SIGTSTP";
    case SIGTTIN:
      return "SIGTTIN";
    case SIGTTOU:
      return "SIGTTOU";
    case SIGURG:
      return "SIGURG";
    case SIGXCPU:
      return "SIGXCPU";
    case SIGXFSZ:
      return "SIGXFSZ";
    case SIGVTALRM:
      return "SIGVTALRM";
    case SIGPROF:
      return "SIGPROF";
    case SIGWINCH:
      return "SIGWINCH";
    case SIGIO:
      return "SIGIO";
#ifdef SIGPWR
    case SIGPWR:
      return "SIGPWR";
#endif
    case SIGSYS:
      return "SIGSYS";
    default:
      break;
  }
  if (sig == SIGRTMIN) return "SIGRTMIN";
  if (sig == SIGRTMAX) return "SIGRTMAX";
  return "";
}

std::string describeExit(int returncode) {
  std::string text = "returncode: " + std::to_string(returncode);
  if (returncode < 0) {
    const char* name = signalName(-returncode);
    if (*name) text += std::string(" (") + name + ")";
  }
  return text;
}

}  // namespace cgym::client
