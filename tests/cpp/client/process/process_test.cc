// SPDX-License-Identifier: MIT
//
// Tests of the managed services' child processes (src/client/process.h). Every wait is
// bounded; no test depends on how fast anything runs.
#include "client/process.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace cgym::client {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// A fresh directory, removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "cgym_process_test.XXXXXX").string();
    EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
    path_ = fs::canonical(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string& path, const std::string& text, fs::perms perms) {
  std::ofstream(path) << text;
  fs::permissions(path, perms);
}

// Waits (bounded) for `path` to exist.
bool waitForFile(const std::string& path, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + milliseconds(static_cast<int>(seconds * 1000));
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(path)) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return fs::exists(path);
}

std::unique_ptr<ChildProcess> spawnOk(SpawnOptions options) {
  std::unique_ptr<ChildProcess> child;
  Status status = ChildProcess::spawn(options, &child);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(!status.ok() || child != nullptr);
  return child;
}

std::unique_ptr<ChildProcess> spawnOk(const std::string& path, std::vector<std::string> args = {}) {
  SpawnOptions options;
  options.path = path;
  options.args = std::move(args);
  return spawnOk(options);
}

// Spawns and waits (bounded) for the returncode; INT32_MIN on failure.
int run(const std::string& path, std::vector<std::string> args = {}) {
  std::unique_ptr<ChildProcess> child = spawnOk(path, std::move(args));
  if (!child) return INT32_MIN;
  std::optional<int> rc = child->waitFor(30);
  EXPECT_TRUE(rc.has_value()) << "child " << child->pid() << " did not exit";
  return rc.value_or(INT32_MIN);
}

Status spawnError(const SpawnOptions& options) {
  std::unique_ptr<ChildProcess> child;
  Status status = ChildProcess::spawn(options, &child);
  EXPECT_EQ(child == nullptr, !status.ok());
  return status;
}

// True if `pid` is a live (not zombie) process named `comm`, read from /proc/<pid>/stat.
bool aliveAs(pid_t pid, const std::string& comm) {
  std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  size_t open = stat.find('('), close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 >= stat.size()) {
    return false;
  }
  char state = stat[close + 2];
  return stat.substr(open + 1, close - open - 1) == comm && state != 'Z' && state != 'X';
}

// The value of a field (e.g. "SigBlk") of /proc/<pid>/status.
std::string procStatusField(pid_t pid, const std::string& field) {
  std::istringstream in(readFile("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) {
      size_t start = line.find_first_not_of(" \t", field.size() + 1);
      return start == std::string::npos ? "" : line.substr(start);
    }
  }
  return "<missing>";
}

// No exited child of this process is left unreaped.
void expectNoZombieChildren() {
  int status;
  EXPECT_LE(waitpid(-1, &status, WNOHANG), 0) << "a child was left as a zombie";
}

// --- Exit codes ----------------------------------------------------------------------------

TEST(ChildProcessTest, ExitCodes) {
  EXPECT_EQ(run("/bin/true"), 0);
  EXPECT_EQ(run("/bin/false"), 1);
  EXPECT_EQ(run("/bin/sh", {"-c", "exit 7"}), 7);
  expectNoZombieChildren();
}

TEST(ChildProcessTest, DeathBySignalIsANegativeReturncode) {
  int rc = run("/bin/sh", {"-c", "kill -9 $$"});
  EXPECT_EQ(rc, -SIGKILL);
  EXPECT_EQ(describeExit(rc), "returncode: -9 (SIGKILL)");
}

TEST(ChildProcessTest, DescribeExit) {
  EXPECT_EQ(describeExit(0), "returncode: 0");
  EXPECT_EQ(describeExit(1), "returncode: 1");
  EXPECT_EQ(describeExit(-SIGTERM), "returncode: -15 (SIGTERM)");
  EXPECT_EQ(describeExit(-SIGSEGV), "returncode: -11 (SIGSEGV)");
  EXPECT_EQ(describeExit(-SIGABRT), "returncode: -6 (SIGABRT)");
  EXPECT_EQ(describeExit(-(SIGRTMIN + 1)), "returncode: " + std::to_string(-(SIGRTMIN + 1)));
  EXPECT_STREQ(signalName(SIGKILL), "SIGKILL");
  EXPECT_STREQ(signalName(0), "");
}

TEST(ChildProcessTest, PollRemembersTheReturncode) {
  auto child = spawnOk("/bin/sh", {"-c", "exit 5"});
  ASSERT_TRUE(child);
  EXPECT_EQ(child->waitFor(30), 5);
  EXPECT_EQ(child->poll(), 5);
  EXPECT_EQ(child->poll(), 5);
  EXPECT_FALSE(child->running());
  child->signal(SIGKILL);  // reaped: a no-op
  EXPECT_EQ(child->terminate(1), 5);
}

TEST(ChildProcessTest, WaitForIsBounded) {
  auto child = spawnOk("/bin/sleep", {"100"});
  ASSERT_TRUE(child);
  EXPECT_EQ(child->poll(), std::nullopt);
  EXPECT_EQ(child->waitFor(0.05), std::nullopt);
  EXPECT_EQ(child->waitFor(0), std::nullopt);
  EXPECT_TRUE(child->running());
}

TEST(ChildProcessTest, SignalIsDelivered) {
  auto child = spawnOk("/bin/sleep", {"100"});
  ASSERT_TRUE(child);
  child->signal(SIGUSR1);
  EXPECT_EQ(child->waitFor(30), -SIGUSR1);
}

// --- What the child gets -------------------------------------------------------------------

TEST(ChildProcessTest, ArgsEnvAndArgv0ReachTheChild) {
  TempDir dir;
  ASSERT_EQ(setenv("CGYM_TEST_INHERITED", "from parent", 1), 0);
  ASSERT_EQ(setenv("CGYM_TEST_OVERRIDDEN", "from parent", 1), 0);
  SpawnOptions options;
  options.path = "/bin/sh";
  options.args = {"-c",
                  "printf '%s|%s|%s|%s|%s\\n' \"$1\" \"$2\" \"$FOO\" \"$CGYM_TEST_INHERITED\" "
                  "\"$CGYM_TEST_OVERRIDDEN\" > \"$0\"; tr '\\0' '\\n' < /proc/$$/cmdline >> \"$0\"",
                  dir / "out", "one two", "three"};
  options.env = {{"FOO", "bar baz"}, {"CGYM_TEST_OVERRIDDEN", "from options"}};
  auto child = spawnOk(options);
  ASSERT_TRUE(child);
  EXPECT_EQ(child->waitFor(30), 0);
  unsetenv("CGYM_TEST_INHERITED");
  unsetenv("CGYM_TEST_OVERRIDDEN");
  std::string out = readFile(dir / "out");
  EXPECT_EQ(out.substr(0, out.find('\n')), "one two|three|bar baz|from parent|from options");
  // argv[0] is the basename of the path.
  EXPECT_NE(out.find("\nsh\n-c\n"), std::string::npos) << out;
}

TEST(ChildProcessTest, CwdIsHonoured) {
  TempDir dir;
  SpawnOptions options;
  options.path = "/bin/sh";
  options.args = {"-c", "pwd -P > out"};
  options.cwd = dir.path().string();
  auto child = spawnOk(options);
  ASSERT_TRUE(child);
  EXPECT_EQ(child->waitFor(30), 0);
  EXPECT_EQ(readFile(dir / "out"), dir.path().string() + "\n");
}

TEST(ChildProcessTest, DefaultCwdIsTheBinarysDirectoryAndRelativePathsWork) {
  TempDir dir;
  fs::create_directory(dir.path() / "bin");
  const std::string script = dir / "bin/service.sh";
  writeFile(script, "#!/bin/sh\npwd -P > \"$1\"\nprintf '%s' \"$0\" > \"$2\"\n",
            fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  SpawnOptions options;
  options.path = fs::relative(script, fs::current_path()).string();
  ASSERT_NE(options.path.front(), '/');
  options.args = {dir / "pwd", dir / "argv0"};
  auto child = spawnOk(options);
  ASSERT_TRUE(child);
  EXPECT_EQ(child->waitFor(30), 0);
  EXPECT_EQ(readFile(dir / "pwd"), (dir.path() / "bin").string() + "\n");
  // A script sees the (absolute) path the kernel ran.
  std::string ran = readFile(dir / "argv0");
  EXPECT_EQ(ran.front(), '/') << ran;
  EXPECT_TRUE(fs::equivalent(ran, script)) << ran;
}

TEST(ChildProcessTest, StdoutAndStderrAreAppendedToFiles) {
  TempDir dir;
  SpawnOptions options;
  options.path = "/bin/sh";
  options.args = {"-c", "echo out; echo err >&2"};
  options.stdoutPath = dir / "stdout.txt";
  options.stderrPath = dir / "stderr.txt";
  for (int i = 0; i < 2; ++i) {
    auto child = spawnOk(options);
    ASSERT_TRUE(child);
    EXPECT_EQ(child->waitFor(30), 0);
  }
  EXPECT_EQ(readFile(dir / "stdout.txt"), "out\nout\n");
  EXPECT_EQ(readFile(dir / "stderr.txt"), "err\nerr\n");
}

TEST(ChildProcessTest, InheritedDescriptorsAreClosed) {
  if (syscall(SYS_close_range, ~0U, ~0U, 0) != 0 && errno == ENOSYS) {
    GTEST_SKIP() << "close_range needs Linux 5.9";
  }
  int fd = open("/dev/null", O_RDONLY);  // deliberately not O_CLOEXEC
  ASSERT_GE(fd, 0);
  ASSERT_EQ(dup2(fd, 100), 100);
  int rc = run("/bin/sh", {"-c", "test -e /proc/$$/fd/100 && exit 3; exit 0"});
  close(100);
  close(fd);
  EXPECT_EQ(rc, 0) << "fd 100 leaked into the child";
}

TEST(ChildProcessTest, ChildStartsWithCleanSignalState) {
  // The calling thread blocks SIGTERM and the process ignores SIGUSR2 and SIGPIPE.
  sigset_t block, oldMask;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &block, &oldMask), 0);
  struct sigaction ignore = {}, oldUsr2, oldPipe;
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGUSR2, &ignore, &oldUsr2), 0);
  ASSERT_EQ(sigaction(SIGPIPE, &ignore, &oldPipe), 0);
  auto child = spawnOk("/bin/sleep", {"100"});
  sigaction(SIGUSR2, &oldUsr2, nullptr);
  sigaction(SIGPIPE, &oldPipe, nullptr);
  pthread_sigmask(SIG_SETMASK, &oldMask, nullptr);
  ASSERT_TRUE(child);
  // spawn() returns after the exec: /proc shows sleep's own state.
  EXPECT_EQ(procStatusField(child->pid(), "SigBlk"), "0000000000000000");
  EXPECT_EQ(procStatusField(child->pid(), "SigIgn"), "0000000000000000");
  bool killed = true;
  EXPECT_EQ(child->terminate(30, &killed), -SIGTERM);
  EXPECT_FALSE(killed);
}

TEST(ChildProcessTest, TerminateWithSigtermBlockedInTheCallingThread) {
  sigset_t block, oldMask;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &block, &oldMask), 0);
  auto child = spawnOk("/bin/sleep", {"100"});
  ASSERT_TRUE(child);
  bool killed = true;
  EXPECT_EQ(child->terminate(30, &killed), -SIGTERM);
  EXPECT_FALSE(killed);
  pthread_sigmask(SIG_SETMASK, &oldMask, nullptr);
}

// --- Errors --------------------------------------------------------------------------------

TEST(ChildProcessTest, MissingBinaryIsNotFound) {
  SpawnOptions options;
  options.path = "/nonexistent/cgym-no-such-binary";
  Status status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "File not found: /nonexistent/cgym-no-such-binary");
  options.path = "";
  EXPECT_EQ(spawnError(options).code(), StatusCode::kNotFound);
}

TEST(ChildProcessTest, DirectoryIsNotFound) {
  TempDir dir;
  SpawnOptions options;
  options.path = dir.path().string();
  Status status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "File not found: " + options.path);
}

TEST(ChildProcessTest, NonExecutableFileIsPermissionDenied) {
  TempDir dir;
  writeFile(dir / "data.txt", "hello\n", fs::perms::owner_read | fs::perms::owner_write);
  SpawnOptions options;
  options.path = dir / "data.txt";
  Status status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "Permission denied: " + options.path);
}

TEST(ChildProcessTest, ExecFailuresAreReportedAndReaped) {
  TempDir dir;
  writeFile(dir / "garbage", std::string("\x01\x02\x03 not a program\n"), fs::perms::owner_all);
  writeFile(dir / "no_interpreter", "#!/nonexistent/interpreter\n", fs::perms::owner_all);
  SpawnOptions options;
  options.path = dir / "garbage";
  Status status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.message(), "Failed to execute " + options.path + ": " + strerror(ENOEXEC));

  options.path = dir / "no_interpreter";
  status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "Failed to execute " + options.path + ": " + strerror(ENOENT));
  expectNoZombieChildren();
}

TEST(ChildProcessTest, BadCwdAndRedirectionAreReported) {
  SpawnOptions options;
  options.path = "/bin/true";
  options.cwd = "/nonexistent/dir";
  Status status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "Failed to change directory to /nonexistent/dir: " + std::string(strerror(ENOENT)));

  options.cwd = "";
  options.stdoutPath = "/nonexistent/dir/out.txt";
  status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "Failed to open /nonexistent/dir/out.txt for stdout: " + std::string(strerror(ENOENT)));

  options.stdoutPath = "";
  options.stderrPath = "/nonexistent/dir/err.txt";
  status = spawnError(options);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find("for stderr"), std::string::npos) << status.message();
  expectNoZombieChildren();
}

// --- Termination ---------------------------------------------------------------------------

TEST(ChildProcessTest, TerminateReturnsTheCodeOfAChildThatExitsOnSigterm) {
  TempDir dir;
  auto child = spawnOk(
      "/bin/sh",
      {"-c", "trap 'exit 3' TERM; : > \"$0\"; while :; do sleep 0.05; done", dir / "ready"});
  ASSERT_TRUE(child);
  ASSERT_TRUE(waitForFile(dir / "ready", 30));
  bool killed = true;
  EXPECT_EQ(child->terminate(30, &killed), 3);
  EXPECT_FALSE(killed);
}

TEST(ChildProcessTest, TerminateKillsAChildThatIgnoresSigterm) {
  TempDir dir;
  auto child =
      spawnOk("/bin/sh", {"-c", "trap '' TERM; : > \"$0\"; exec sleep 100", dir / "ready"});
  ASSERT_TRUE(child);
  ASSERT_TRUE(waitForFile(dir / "ready", 30));
  bool killed = false;
  int rc = child->terminate(0.3, &killed);
  EXPECT_EQ(rc, -SIGKILL);
  EXPECT_TRUE(killed);
  EXPECT_EQ(describeExit(rc), "returncode: -9 (SIGKILL)");
}

TEST(ChildProcessTest, DestructorKillsAndReapsARunningChild) {
  auto child = spawnOk("/bin/sleep", {"100"});
  ASSERT_TRUE(child);
  pid_t pid = child->pid();
  ASSERT_TRUE(aliveAs(pid, "sleep"));
  child.reset();
  errno = 0;
  EXPECT_EQ(kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);  // not even a zombie
}

// --- No orphans ----------------------------------------------------------------------------

TEST(ChildProcessTest, ChildSurvivesTheExitOfTheSpawningThread) {
  std::unique_ptr<ChildProcess> child;
  std::thread([&child] { child = spawnOk("/bin/sleep", {"100"}); }).join();
  ASSERT_TRUE(child);
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_TRUE(child->running());
  EXPECT_TRUE(aliveAs(child->pid(), "sleep"));
}

TEST(ChildProcessTest, NoOrphanWhenClientIsKilled) {
  TempDir dir;
  const std::string pidFile = dir / "pid";
  auto client = spawnOk(CGYM_ORPHAN_PARENT, {pidFile});
  ASSERT_TRUE(client);
  ASSERT_TRUE(waitForFile(pidFile, 30)) << "the helper did not write its child's pid";
  pid_t service = std::stoi(readFile(pidFile));
  ASSERT_GT(service, 0);
  // The helper's spawning thread has exited; its child must have survived that.
  std::this_thread::sleep_for(milliseconds(200));
  ASSERT_TRUE(aliveAs(service, "sleep"));

  client->signal(SIGKILL);
  EXPECT_EQ(client->waitFor(30), -SIGKILL);
  bool dead = false;
  for (int i = 0; i < 1000 && !dead; ++i) {  // up to ~10 s
    dead = !aliveAs(service, "sleep");
    if (!dead) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(dead) << "the service " << service << " outlived its SIGKILLed client";
  if (!dead) kill(service, SIGKILL);
}

// --- Concurrency and fork ------------------------------------------------------------------

TEST(ChildProcessTest, ConcurrentSpawnsFromManyThreads) {
  constexpr int kThreads = 8, kSpawnsPerThread = 16;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &good] {
      for (int i = 0; i < kSpawnsPerThread; ++i) {
        int code = (t * kSpawnsPerThread + i) % 100;
        if (run("/bin/sh", {"-c", "exit " + std::to_string(code)}) == code) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), kThreads * kSpawnsPerThread);
  expectNoZombieChildren();
}

TEST(ChildProcessTest, SpawningDoesNotLeakDescriptors) {
  auto countFds = [] {
    return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator());
  };
  EXPECT_EQ(run("/bin/true"), 0);  // the spawner is started
  auto before = countFds();
  TempDir dir;
  SpawnOptions options;
  options.path = "/bin/true";
  options.stdoutPath = dir / "out";
  options.stderrPath = dir / "err";
  for (int i = 0; i < 20; ++i) {
    auto child = spawnOk(options);
    ASSERT_TRUE(child);
    EXPECT_EQ(child->waitFor(30), 0);
  }
  EXPECT_EQ(countFds(), before);
}

TEST(ChildProcessTest, AForkedProcessDoesNotOwnTheChildrenButCanSpawn) {
  auto child = spawnOk("/bin/sleep", {"100"});
  ASSERT_TRUE(child);
  pid_t forked = fork();
  ASSERT_GE(forked, 0);
  if (forked == 0) {
    child->signal(SIGKILL);                // not ours here: a no-op
    bool ok = !child->poll().has_value();  // and not reaped here
    std::unique_ptr<ChildProcess> own;
    SpawnOptions options;
    options.path = "/bin/sh";
    options.args = {"-c", "exit 4"};
    ok = ok && ChildProcess::spawn(options, &own).ok() && own->waitFor(30) == 4;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  pid_t r = 0;
  for (int i = 0; i < 3000 && r == 0; ++i) {  // up to ~30 s
    r = waitpid(forked, &status, WNOHANG);
    if (r == 0) std::this_thread::sleep_for(milliseconds(10));
  }
  if (r == 0) kill(forked, SIGKILL);
  ASSERT_EQ(r, forked);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_TRUE(child->running());
  EXPECT_TRUE(aliveAs(child->pid(), "sleep"));
}

}  // namespace
}  // namespace cgym::client
