// SPDX-License-Identifier: MIT
// Managed services are their user's alone: the client launches the example service on a Unix
// socket in a working directory only the user can enter, under a cache root it has checked
// (another user's, or one others may write in, is refused), with a token without which the
// service answers nothing; working directories left by killed clients are removed; a service
// that dies at start-up says why (its exit status and the tail of its stderr).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "client/connection.h"
#include "client/launch.h"
#include "client/process.h"
#include "client/transport.h"
#include "status_test_util.h"

namespace cgym::client {
namespace {

namespace fs = std::filesystem;

// "nobody": stands for another user (the tests run as root, who may chown).
constexpr uid_t kOtherUser = 65534;

// Sets (or, with nullopt, unsets) an environment variable for the life of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/cgym-security-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A private cache root for one test (CGYM_TRANSIENT_CACHE), so that nothing another test or
// client does in the real one matters, and CGYM_DEBUG unset (it changes where stderr goes).
class ClientSecurityTest : public ::testing::Test {
 protected:
  fs::path root() const { return dir_.path() / "root"; }
  TempDir dir_;
  ScopedEnv cache_{"CGYM_TRANSIENT_CACHE", root().string()};
  ScopedEnv debug_{"CGYM_DEBUG", std::nullopt};
  ScopedEnv compilerGymDebug_{"COMPILER_GYM_DEBUG", std::nullopt};
};

mode_t modeOf(const fs::path& path) {
  struct stat st;
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

fs::path writeScript(const fs::path& dir, const std::string& name, const std::string& body) {
  const fs::path path = dir / name;
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

Status getVersion(Transport& transport) {
  compiler_gym::GetVersionReply reply;
  return transport.invoke(Rpc::kGetVersion, compiler_gym::GetVersionRequest(), &reply, 30);
}

// --- Where a managed service listens ----------------------------------------------------

TEST_F(ClientSecurityTest, AManagedServiceListensOnAUnixSocketInAPrivateDirectory) {
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  const fs::path wd = connection->workingDirectory();
  EXPECT_EQ(wd.parent_path(), root() / "s");
  EXPECT_EQ(connection->url(), "unix:" + (wd / "service.sock").string());
  EXPECT_EQ(readFile(wd / "port.txt"), "0\n");
  for (const fs::path& dir : {root(), root() / "s", wd, wd / "logs"}) {
    EXPECT_EQ(modeOf(dir), 0700u) << dir;
  }
  struct stat socket;
  ASSERT_EQ(lstat((wd / "service.sock").c_str(), &socket), 0);
  EXPECT_TRUE(S_ISSOCK(socket.st_mode));
  EXPECT_EQ(socket.st_mode & 0777, 0600u);
  compiler_gym::GetVersionReply reply;
  ASSERT_OK(connection->call(Rpc::kGetVersion, compiler_gym::GetVersionRequest(), &reply));
  ASSERT_OK(connection->close());
  EXPECT_FALSE(fs::exists(wd));
}

TEST_F(ClientSecurityTest, AManagedServiceAnswersOnlyCallsWithTheTokenTheClientMade) {
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  // Anyone who reached the socket (the directory's mode aside) would still need the token.
  auto channel = GrpcTransport::makeChannel(connection->url());
  GrpcTransport withoutToken(channel);
  EXPECT_STATUS(getVersion(withoutToken), kUnauthenticated, "Missing or invalid token");
  GrpcTransport wrongToken(channel, std::string(64, '0'));
  EXPECT_STATUS(getVersion(wrongToken), kUnauthenticated, "Missing or invalid token");
  compiler_gym::GetVersionReply reply;
  ASSERT_OK(connection->call(Rpc::kGetVersion, compiler_gym::GetVersionRequest(), &reply));
}

TEST_F(ClientSecurityTest, ACacheRootTooLongForASocketPathFallsBackToLoopbackWithTheToken) {
  // sun_path holds 107 bytes: root/s/XXXXXX/service.sock would not fit.
  const fs::path deep = dir_.path() / std::string(100, 'd');
  ScopedEnv cache("CGYM_TRANSIENT_CACHE", deep.string());
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  EXPECT_EQ(connection->url().rfind("localhost:", 0), 0u) << connection->url();
  GrpcTransport withoutToken(GrpcTransport::makeChannel(connection->url()));
  EXPECT_STATUS(getVersion(withoutToken), kUnauthenticated, "Missing or invalid token");
  compiler_gym::GetVersionReply reply;
  ASSERT_OK(connection->call(Rpc::kGetVersion, compiler_gym::GetVersionRequest(), &reply));
}

TEST_F(ClientSecurityTest, ABinaryThatIgnoresTheVariablesIsReachedOnLoopbackAsBefore) {
  // As a CompilerGym service binary: it knows neither variable, listens on loopback TCP and
  // requires no token; the client sends its token anyway, which such a service ignores.
  const fs::path script = writeScript(
      dir_.path(), "compiler-gym-like-service",
      "exec env -u CGYM_SERVICE_HOST -u CGYM_SERVICE_TOKEN '" CGYM_EXAMPLE_SERVICE "' \"$@\"");
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(script.string(), {}, &connection));
  EXPECT_EQ(connection->url().rfind("localhost:", 0), 0u) << connection->url();
  GrpcTransport withoutToken(GrpcTransport::makeChannel(connection->url()));
  ASSERT_OK(getVersion(withoutToken));
  compiler_gym::GetVersionReply reply;
  ASSERT_OK(connection->call(Rpc::kGetVersion, compiler_gym::GetVersionRequest(), &reply));
}

// --- The cache root must be the user's own ----------------------------------------------

// Connecting fails with PERMISSION_DENIED naming `dir` and saying `problem`.
void expectRefused(const fs::path& dir, const std::string& problem) {
  std::shared_ptr<Connection> connection;
  const Status status = Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection);
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status.message();
  EXPECT_NE(status.message().find("Refusing to run services in " + dir.string() + ": " + problem),
            std::string::npos)
      << status.message();
  EXPECT_EQ(connection, nullptr);
}

TEST_F(ClientSecurityTest, ACacheRootOfAnotherUserIsRefused) {
  ASSERT_EQ(mkdir(root().c_str(), 0700), 0);
  ASSERT_EQ(chown(root().c_str(), kOtherUser, kOtherUser), 0);
  expectRefused(
      root(), "it is owned by uid 65534, not by this user (uid " + std::to_string(geteuid()) + ")");
  EXPECT_FALSE(fs::exists(root() / "s"));  // nothing was made in it
}

TEST_F(ClientSecurityTest, ACacheRootOthersMayWriteInIsRefused) {
  ASSERT_EQ(mkdir(root().c_str(), 0700), 0);
  ASSERT_EQ(chmod(root().c_str(), 0777), 0);
  expectRefused(root(), "its mode 0777 lets group or others write in it");
  ASSERT_EQ(chmod(root().c_str(), 0770), 0);
  expectRefused(root(), "its mode 0770 lets group or others write in it");
  EXPECT_FALSE(fs::exists(root() / "s"));
}

TEST_F(ClientSecurityTest, AServicesDirectoryOfAnotherUserIsRefused) {
  // root itself is fine; root/s, where the working directories go, is someone else's.
  ASSERT_EQ(mkdir(root().c_str(), 0700), 0);
  ASSERT_EQ(mkdir((root() / "s").c_str(), 0700), 0);
  ASSERT_EQ(chown((root() / "s").c_str(), kOtherUser, kOtherUser), 0);
  expectRefused(root() / "s", "it is owned by uid 65534");
}

TEST_F(ClientSecurityTest, ACacheRootThatIsASymbolicLinkOrAFileIsRefused) {
  const fs::path target = dir_.path() / "elsewhere";
  ASSERT_EQ(mkdir(target.c_str(), 0700), 0);
  fs::create_directory_symlink(target, root());
  expectRefused(root(), "it is a symbolic link");
  EXPECT_FALSE(fs::exists(target / "s"));
  fs::remove(root());
  std::ofstream(root()) << "not a directory";
  expectRefused(root(), "it is not a directory");
}

TEST_F(ClientSecurityTest, AnOwnCacheRootThatOthersMayOnlyReadIsMadePrivate) {
  // What libcgym made before 0.6.0 (0755): nobody else can have put anything in it.
  ASSERT_EQ(mkdir(root().c_str(), 0700), 0);
  ASSERT_EQ(chmod(root().c_str(), 0755), 0);
  ASSERT_EQ(mkdir((root() / "s").c_str(), 0700), 0);
  ASSERT_EQ(chmod((root() / "s").c_str(), 0755), 0);
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  EXPECT_EQ(modeOf(root()), 0700u);
  EXPECT_EQ(modeOf(root() / "s"), 0700u);
}

// --- Working directories of killed clients ----------------------------------------------

TEST_F(ClientSecurityTest, WorkingDirectoriesOfDeadServicesAreRemovedAtTheNextLaunch) {
  // A PID that no process has any more: a child that has exited and been reaped.
  std::unique_ptr<ChildProcess> child;
  SpawnOptions spawn;
  spawn.path = "/bin/true";
  ASSERT_OK(ChildProcess::spawn(spawn, &child));
  ASSERT_TRUE(child->waitFor(60));
  const std::string deadPid = std::to_string(child->pid());
  child.reset();

  const fs::path s = root() / "s";
  ASSERT_EQ(mkdir(root().c_str(), 0700), 0);
  ASSERT_EQ(mkdir(s.c_str(), 0700), 0);
  const auto makeDir = [](const fs::path& dir, const std::optional<std::string>& pid) {
    fs::create_directories(dir / "logs");
    if (pid) std::ofstream(dir / "pid.txt") << *pid << "\n";
  };
  makeDir(s / "dead", deadPid);                   // removed
  makeDir(s / "live", std::to_string(getpid()));  // kept: its process runs
  makeDir(s / "old", std::nullopt);               // removed: no pid.txt for an hour
  makeDir(s / "young", std::nullopt);             // kept: its service may be starting
  makeDir(s / "foreign", deadPid);                // kept: another user's
  makeDir(dir_.path() / "target", deadPid);       // kept: reached through a link only
  ASSERT_EQ(chown((s / "foreign").c_str(), kOtherUser, kOtherUser), 0);
  fs::create_directory_symlink(dir_.path() / "target", s / "link");
  const timespec anHourAgo[2] = {{std::time(nullptr) - 3600, 0}, {std::time(nullptr) - 3600, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, (s / "old").c_str(), anHourAgo, 0), 0);

  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  EXPECT_FALSE(fs::exists(s / "dead"));
  EXPECT_FALSE(fs::exists(s / "old"));
  EXPECT_TRUE(fs::exists(s / "live"));
  EXPECT_TRUE(fs::exists(s / "young"));
  EXPECT_TRUE(fs::exists(s / "foreign"));
  EXPECT_TRUE(fs::is_symlink(s / "link"));
  EXPECT_TRUE(fs::exists(dir_.path() / "target" / "pid.txt"));
  EXPECT_TRUE(fs::exists(connection->workingDirectory()));
}

TEST_F(ClientSecurityTest, RemovingStaleDirectoriesLooksAtABoundedNumberOfEntries) {
  const fs::path s = root() / "s";
  fs::create_directories(s);
  const timespec anHourAgo[2] = {{std::time(nullptr) - 3600, 0}, {std::time(nullptr) - 3600, 0}};
  for (int i = 0; i < 150; ++i) {
    const fs::path dir = s / ("old" + std::to_string(i));
    ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
    ASSERT_EQ(utimensat(AT_FDCWD, dir.c_str(), anHourAgo, 0), 0);
  }
  EXPECT_EQ(removeStaleWorkingDirs(s), 100);
  EXPECT_EQ(removeStaleWorkingDirs(s), 50);
  EXPECT_EQ(removeStaleWorkingDirs(s), 0);
}

// --- A service's stderr -----------------------------------------------------------------

TEST_F(ClientSecurityTest, AServiceThatExitsAtOnceReportsItsExitStatusAndItsStderr) {
  const fs::path script =
      writeScript(dir_.path(), "broken-service",
                  "echo 'starting' >&2\n"
                  "echo 'error while loading shared libraries: libfoo.so.1' >&2\n"
                  "exit 127");
  ConnectionOpts opts;
  opts.init_max_attempts = 1;
  std::shared_ptr<Connection> connection;
  const Status status = Connection::connect(script.string(), opts, &connection);
  EXPECT_EQ(status.code(), StatusCode::kServiceInit);
  EXPECT_NE(status.message().find("Service terminated with returncode: 127"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("Service stderr:\n    starting\n    error while loading "
                                  "shared libraries: libfoo.so.1"),
            std::string::npos)
      << status.message();
  // The failed launch left nothing behind.
  EXPECT_TRUE(fs::is_empty(root() / "s"));
}

TEST_F(ClientSecurityTest, ARunningServicesStderrIsInItsLogDirectory) {
  const fs::path script = writeScript(dir_.path(), "chatty-service",
                                      "echo 'hello from stderr' >&2\n"
                                      "exec '" CGYM_EXAMPLE_SERVICE "' \"$@\"");
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(script.string(), {}, &connection));
  const std::string stderrText = readFile(connection->workingDirectory() / "logs" / "stderr.txt");
  EXPECT_EQ(stderrText.rfind("hello from stderr\n", 0), 0u) << stderrText;
}

TEST_F(ClientSecurityTest, WithCgymDebugAServicesStderrIsInherited) {
  ScopedEnv debug("CGYM_DEBUG", "1");
  std::shared_ptr<Connection> connection;
  ASSERT_OK(Connection::connect(CGYM_EXAMPLE_SERVICE, {}, &connection));
  EXPECT_FALSE(fs::exists(connection->workingDirectory() / "logs" / "stderr.txt"));
}

TEST(LogTailTest, TheLastLinesOfTheLogsThenOfStderr) {
  TempDir dir;
  {
    std::ofstream log(dir.path() / "service.log");
    for (int i = 0; i < 30; ++i) log << "log line " << i << "\n";
    std::ofstream(dir.path() / "stderr.txt") << std::string(200, 'x') << "\nlast words\n";
  }
  const std::string tail = logTail(dir.path());
  EXPECT_EQ(tail.find("log line 4\n"), std::string::npos) << tail;
  EXPECT_NE(tail.find("\nService logs:\n    log line 5\n"), std::string::npos) << tail;
  EXPECT_NE(tail.find("    log line 29\nService stderr:\n    " + std::string(100, 'x') +
                      "\n    last words"),
            std::string::npos)
      << tail;
  EXPECT_EQ(logTail(dir.path() / "missing"), "");
}

// --- Options for unmanaged services -----------------------------------------------------

TEST(ConnectionOptsTest, TlsAndTokenOptionsAreValidated) {
  ConnectionOpts opts;
  EXPECT_FALSE(opts.usesTls());
  opts.tls_client_cert = "client.pem";
  EXPECT_TRUE(opts.usesTls());
  std::shared_ptr<Connection> connection;
  EXPECT_STATUS(Connection::connect("localhost:1", opts, &connection), kInvalidArgument,
                "ConnectionOpts.tls_client_cert and tls_client_key go together: give both or "
                "neither");
  opts = {};
  opts.token = "two words";
  EXPECT_STATUS(Connection::connect("localhost:1", opts, &connection), kInvalidArgument,
                "ConnectionOpts.token must be printable ASCII without spaces");
  opts = {};
  opts.tls_root_certs = "/nonexistent/ca.pem";
  EXPECT_STATUS(Connection::connect("localhost:1", opts, &connection), kInvalidArgument,
                "Cannot read ConnectionOpts.tls_root_certs file '/nonexistent/ca.pem': No such "
                "file or directory");
}

}  // namespace
}  // namespace cgym::client
