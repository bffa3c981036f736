// SPDX-License-Identifier: MIT
#include "service/service_main.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "common/logging.h"
#include "common/toolchain.h"
#include "service/auth.h"
#include "service/grpc_server.h"

namespace cgym::runtime {

namespace fs = std::filesystem;

namespace {

// requestStop(): a counter of stop requests and an eventfd that wakes every running service.
// Both are set up when the library loads, so that requestStop() only does async-signal-safe
// work (an atomic increment and a write).
std::atomic<uint64_t> stopRequests{0};
const int stopEventFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

// gflags, which CompilerGym's services use, treats -flag and --flag alike; CLI11 reads a
// single dash as a one-letter flag. Rewrite "-name..." to "--name..." (but not "-v" itself
// or negative numbers) so that CompilerGym's "-v=0" and friends parse.
std::vector<std::string> normalizeArgs(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i] ? argv[i] : "";
    if (arg.empty()) continue;  // CompilerGym drops empty arguments too.
    if (arg.size() > 2 && arg[0] == '-' && arg[1] != '-' && !std::isdigit(arg[1])) {
      arg = "-" + arg;
    }
    args.push_back(std::move(arg));
  }
  return args;
}

// The flag name in "--name=value", for error messages in gflags' form.
std::string flagName(const std::string& arg) {
  size_t start = arg.find_first_not_of('-');
  if (start == std::string::npos) return arg;
  return arg.substr(start, arg.find('=') - start);
}

// Writes `contents` to dir/name via a temporary file and a rename, so that a reader polling
// for the file never sees it half-written.
bool writeFileAtomically(const fs::path& dir, const std::string& name,
                         const std::string& contents) {
  const fs::path tmp = dir / (name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(tmp, dir / name, ec);
  return !ec;
}

// Creates `dir` and its missing parents, each mode 0700: a working directory holds the service's
// socket, logs and sessions' files, which are no other user's business. A directory that exists
// already is left as it is.
void createPrivateDirectories(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  const fs::path parent = dir.parent_path();
  if (!parent.empty() && parent != dir) createPrivateDirectories(parent);
  if (mkdir(dir.c_str(), 0700) == 0) {
    chmod(dir.c_str(), 0700);  // exactly 0700, whatever the umask
  } else if (errno != EEXIST) {
    throw fs::filesystem_error("cannot create directory", dir,
                               std::error_code(errno, std::generic_category()));
  }
  if (!fs::is_directory(dir, ec)) {
    throw fs::filesystem_error("not a directory", dir,
                               std::make_error_code(std::errc::not_a_directory));
  }
}

// The value of environment variable `name`, which is then removed from the environment (so
// that the processes that sessions start do not inherit it).
std::optional<std::string> takeEnv(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  std::string copy = value;
  unsetenv(name);
  return copy;
}

// Reads the file that flag `flag` names into `contents`; or an error message naming both.
bool readFlagFile(const std::string& flag, const std::string& path, std::string* contents,
                  std::string* error) {
  // Tokens and certificates are small; the bound keeps a path like /dev/zero from hanging us.
  const int err = readFileBounded(path, 16 << 20, contents);
  if (err != 0) {
    *error = "cannot read " + flag + " '" + path + "': " + std::strerror(err);
    return false;
  }
  return true;
}

// The token and the TLS files of the flags into `options`; or an error message.
bool readCredentials(const std::string& tokenFile, const std::optional<std::string>& envToken,
                     const std::string& tlsCert, const std::string& tlsKey,
                     const std::string& tlsClientCa, GrpcServerOptions* options,
                     std::string* error) {
  std::string source;
  if (!tokenFile.empty()) {
    std::string contents;
    if (!readFlagFile("--token_file", tokenFile, &contents, error)) return false;
    options->token = contents.substr(0, contents.find('\n'));
    options->token.erase(options->token.find_last_not_of(" \t\r\f\v") + 1);
    source = "--token_file '" + tokenFile + "'";
  } else if (envToken) {
    options->token = *envToken;
    source = "CGYM_SERVICE_TOKEN";
  }
  if (!source.empty() && options->token.empty()) {
    *error = "the token in " + source + " is empty";
    return false;
  }
  for (const char c : options->token) {
    // It travels in an HTTP/2 header as "Bearer TOKEN".
    if (c < 0x21 || c > 0x7E) {
      *error = "the token in " + source + " must be printable ASCII without spaces";
      return false;
    }
  }
  if (tlsCert.empty() != tlsKey.empty()) {
    *error = "--tls_cert and --tls_key go together: give both or neither";
    return false;
  }
  if (!tlsClientCa.empty() && tlsCert.empty()) {
    *error = "--tls_client_ca needs --tls_cert and --tls_key";
    return false;
  }
  if (tlsCert.empty()) return true;
  if (!readFlagFile("--tls_cert", tlsCert, &options->tlsCertChain, error) ||
      !readFlagFile("--tls_key", tlsKey, &options->tlsPrivateKey, error) ||
      (!tlsClientCa.empty() &&
       !readFlagFile("--tls_client_ca", tlsClientCa, &options->tlsClientCa, error))) {
    return false;
  }
  // gRPC only says that it cannot listen when given something else: say which file is wrong.
  const auto expect = [&](const std::string& contents, const char* marker, const char* flag,
                          const std::string& path, const char* what) {
    if (contents.find(marker) != std::string::npos) return true;
    *error = std::string(flag) + " '" + path + "' holds no PEM " + what;
    return false;
  };
  return expect(options->tlsCertChain, "-----BEGIN CERTIFICATE-----", "--tls_cert", tlsCert,
                "certificate") &&
         expect(options->tlsPrivateKey, "PRIVATE KEY-----", "--tls_key", tlsKey, "private key") &&
         (tlsClientCa.empty() || expect(options->tlsClientCa, "-----BEGIN CERTIFICATE-----",
                                        "--tls_client_ca", tlsClientCa, "certificate"));
}

fs::path makeTempWorkingDirectory() {
  std::string pattern = (fs::temp_directory_path() / "compiler_gym-service-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  }
  return pattern;
}

void configureLogging(const fs::path& logDir, const std::string& program, int verbosity,
                      bool alsoLogToStderr) {
  const spdlog::level::level_enum fileLevel = verbosity >= 2   ? spdlog::level::trace
                                              : verbosity == 1 ? spdlog::level::debug
                                                               : spdlog::level::info;
  auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(
      (logDir / (program + ".log")).string(), /*truncate=*/false);
  file->set_level(fileLevel);
  auto err = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  // As glog: only errors reach stderr unless --alsologtostderr.
  err->set_level(alsoLogToStderr ? fileLevel : spdlog::level::err);
  spdlog::logger& log = logger();
  log.sinks() = {file, err};
  log.set_level(fileLevel);
  log.set_pattern("%L%m%d %H:%M:%S.%f %t] %v");
  log.flush_on(spdlog::level::info);
}

}  // namespace

int runService(const SessionFactory& factory, int argc, const char* const* argv,
               const std::string& usage) {
  // A stop asked before this point is not for this run; one asked later (even before port.txt
  // is written, which is when a caller knows the service runs) is.
  const uint64_t stopsBefore = stopRequests.load();
  // A managed launch (src/client/launch.cc) passes its socket and token in these variables.
  const std::optional<std::string> envHost = takeEnv("CGYM_SERVICE_HOST");
  const std::optional<std::string> envToken = takeEnv("CGYM_SERVICE_TOKEN");
  std::string workingDir;
  std::string port = "0";
  std::string host = envHost && !envHost->empty() ? *envHost : "localhost";
  std::string logDir;
  bool alsoLogToStderr = false;
  bool logToStderr = false;
  int verbosity = 0;
  int logBufLevel = 0;
  int64_t maxMessageBytes = -1;
  uint64_t cacheMaxBytes = BenchmarkCache::kDefaultMaxSizeInBytes;
  size_t maxSessions = 0;
  std::string tokenFile, tlsCert, tlsKey, tlsClientCa;
  bool insecure = false;

  CLI::App app(usage.empty() ? "A CompilerGym service." : usage);
  app.allow_extras();
  app.add_option("--working_dir", workingDir,
                 "Directory for port.txt, pid.txt and logs/; created (0700) if missing. Default: a "
                 "new temporary directory");
  app.add_option("--port", port, "Port to listen on; 0 picks a free port")->capture_default_str();
  app.add_option("--host", host,
                 "Address to listen on: localhost (loopback only, 127.0.0.1 and ::1), an "
                 "address, 0.0.0.0 for all, or unix:PATH (created 0600). Default: "
                 "$CGYM_SERVICE_HOST, else localhost. A host that is not loopback needs TLS and "
                 "a token or client certificates, or --insecure");
  app.add_option("--log_dir", logDir, "Directory for log files. Default: WORKING_DIR/logs");
  app.add_flag("--alsologtostderr", alsoLogToStderr, "Also write log messages to stderr");
  app.add_flag("--logtostderr", logToStderr, "Write log messages to stderr");
  app.add_option("-v,--v", verbosity, "Verbose logging level (1: debug, 2: trace)");
  app.add_option("--logbuflevel", logBufLevel, "Accepted for glog compatibility; ignored");
  app.add_option("--max_message_bytes", maxMessageBytes,
                 "Largest message the service sends or receives; -1 is unlimited")
      ->capture_default_str();
  app.add_option("--benchmark_cache_max_bytes", cacheMaxBytes, "Benchmark cache limit in bytes")
      ->capture_default_str();
  app.add_option("--max_sessions", maxSessions, "Most live sessions; 0 is unlimited")
      ->capture_default_str();
  app.add_option("--token_file", tokenFile,
                 "File whose first line is the token every call must carry as gRPC metadata "
                 "\"authorization: Bearer TOKEN\". Default: $CGYM_SERVICE_TOKEN, else no token");
  app.add_option("--tls_cert", tlsCert, "PEM certificate chain: serve TLS (with --tls_key)");
  app.add_option("--tls_key", tlsKey, "PEM private key of --tls_cert");
  app.add_option("--tls_client_ca", tlsClientCa,
                 "PEM CA certificates: clients must present a certificate they signed");
  app.add_flag("--insecure", insecure,
               "Serve a host that is not loopback without TLS, or without a token or client "
               "certificates");

  std::vector<std::string> args = normalizeArgs(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 takes its arguments reversed.
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ERROR: " << e.what() << std::endl;
    return 1;
  }
  for (const std::string& extra : app.remaining()) {
    if (extra.size() > 1 && extra[0] == '-') {
      std::cerr << "ERROR: unknown command line flag '" << flagName(extra) << "'" << std::endl;
    } else {
      std::cerr << "ERROR: unknown command line argument '" << extra << "'" << std::endl;
    }
    return 1;
  }
  int portNumber = 0;
  try {
    size_t used = 0;
    portNumber = std::stoi(port, &used);
    if (used != port.size() || portNumber < 0 || portNumber > 65535) throw std::out_of_range(port);
  } catch (const std::exception&) {
    std::cerr << "ERROR: invalid value for --port: '" << port << "' is not a port number"
              << std::endl;
    return 1;
  }
  if (maxMessageBytes == 0 || maxMessageBytes < -1 || maxMessageBytes > INT_MAX) {
    std::cerr << "ERROR: --max_message_bytes must be -1 (unlimited) or between 1 and " << INT_MAX
              << std::endl;
    return 1;
  }
  (void)logBufLevel;

  GrpcServerOptions serverOptions;
  serverOptions.host = host;
  serverOptions.port = portNumber;
  serverOptions.maxReceiveMessageSize = static_cast<int>(maxMessageBytes);
  serverOptions.maxSendMessageSize = static_cast<int>(maxMessageBytes);
  serverOptions.insecure = insecure;
  std::string credentialsError;
  if (!readCredentials(tokenFile, envToken, tlsCert, tlsKey, tlsClientCa, &serverOptions,
                       &credentialsError)) {
    std::cerr << "ERROR: " << credentialsError << std::endl;
    return 1;
  }
  const std::string refusal = exposureError(serverOptions);
  if (!refusal.empty()) {
    std::cerr << "ERROR: " << refusal << std::endl;
    return 1;
  }

  // Block the stop signals in every thread (gRPC's threads inherit this mask) and take them
  // with sigwait below: no async-signal-unsafe work in a handler, and a second SIGTERM is
  // harmless.
  sigset_t stopSignals, previousMask;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, &previousMask);
  // Restores the caller's mask on the error paths. Once a stop signal has been taken, the
  // process is on its way out: the stop signals stay blocked, so that a supervisor sending
  // SIGTERM again during shutdown or exit cannot turn exit code 0 or 6 into death by signal.
  struct RestoreMask {
    sigset_t previous;
    bool stopping = false;
    ~RestoreMask() {
      if (!stopping) pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    }
  } restoreMask{previousMask};

  fs::path wd;
  try {
    wd = workingDir.empty() ? makeTempWorkingDirectory() : fs::path(workingDir);
    createPrivateDirectories(wd);
    const fs::path logs = logDir.empty() ? wd / "logs" : fs::path(logDir);
    createPrivateDirectories(logs);
    const std::string program = fs::path(argc > 0 && argv[0] ? argv[0] : "service").filename();
    configureLogging(logs, program, verbosity, alsoLogToStderr || logToStderr);
  } catch (const std::exception& e) {
    std::cerr << "ERROR: cannot set up working directory '" << wd.string() << "': " << e.what()
              << std::endl;
    return 1;
  }

  std::unique_ptr<ServiceCore> core;
  try {
    ServiceCoreOptions coreOptions;
    coreOptions.workingDirectory = wd;
    coreOptions.benchmarkCacheMaxSizeInBytes = cacheMaxBytes;
    coreOptions.maxSessions = maxSessions;
    core = std::make_unique<ServiceCore>(factory, coreOptions);
  } catch (const std::exception& e) {
    logger().error("Failed to create the service: {}", e.what());
    std::cerr << "ERROR: failed to create the service: " << e.what() << std::endl;
    return 1;
  }

  if (servesInsecurely(serverOptions)) {
    const std::string warning =
        "Serving " + host + " with --insecure: " +
        (serverOptions.tlsCertChain.empty() ? "in plaintext" : "without a token") +
        ", anyone who can reach it can use it";
    logger().warn("{}", warning);
    if (!alsoLogToStderr && !logToStderr) std::cerr << "WARNING: " << warning << std::endl;
  }
  std::unique_ptr<GrpcServer> server;
  Status started = GrpcServer::start(*core, serverOptions, &server);
  if (!started.ok()) {
    logger().error("{}", started.message());
    std::cerr << "ERROR: " << started.message() << std::endl;
    return 1;
  }

  const std::string pid = std::to_string(getpid());
  if (!writeFileAtomically(wd, "port.txt", std::to_string(server->port()) + "\n") ||
      !writeFileAtomically(wd, "pid.txt", pid + "\n")) {
    std::cerr << "ERROR: cannot write port.txt and pid.txt in '" << wd.string() << "'" << std::endl;
    return 1;
  }
  logger().info("Service \"{}\" listening on {}, PID = {}", wd.string(), server->port(), pid);

  // Wait for a stop signal (through a signalfd, the signals being blocked) or a requestStop()
  // made after this service started (the eventfd stays readable after a request, so a stale
  // one is drained).
  const int signalFd = signalfd(-1, &stopSignals, SFD_CLOEXEC);
  int signal = 0;
  for (;;) {
    pollfd fds[2] = {{signalFd, POLLIN, 0}, {stopEventFd, POLLIN, 0}};
    if (poll(fds, stopEventFd >= 0 ? 2 : 1, -1) < 0) continue;  // EINTR
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      if (read(signalFd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
        signal = static_cast<int>(info.ssi_signo);
        break;
      }
    }
    if (fds[1].revents & POLLIN) {
      if (stopRequests.load() != stopsBefore) break;
      uint64_t stale = 0;
      if (read(stopEventFd, &stale, sizeof(stale)) < 0) { /* already drained */
      }
    }
  }
  if (signalFd >= 0) close(signalFd);
  restoreMask.stopping = true;
  if (signal != 0) {
    logger().info("Received signal {}, shutting down", signal);
  } else {
    logger().info("Asked to stop, shutting down");
  }
  // Calls in flight get up to 60 s to finish. With none, clients still get a moment to
  // close their connections after the server's GOAWAY (CompilerGym's client, which closes
  // its channel only once the service has exited, does so within milliseconds): a deadline
  // that has passed makes gRPC cancel at once, which sends connected clients a second
  // GOAWAY, "Cancelling all calls", that they log. A client that keeps its connection open
  // past the grace period is cut off all the same.
  const auto now = std::chrono::system_clock::now();
  server->shutdown(
      now + (server->activeCalls() > 0 ? std::chrono::seconds(60) : std::chrono::seconds(2)));
  server->wait();

  const size_t remaining = core->sessionCount();
  int exitCode = 0;
  if (remaining > 0) {
    logger().error("ERROR: Killing a service with {} active session{}", remaining,
                   remaining == 1 ? "" : "s");
    exitCode = 6;
  }
  server.reset();
  core.reset();
  logger().flush();
  return exitCode;
}

void requestStop() noexcept {
  stopRequests.fetch_add(1);
  if (stopEventFd >= 0) {
    const uint64_t one = 1;
    if (write(stopEventFd, &one, sizeof(one)) < 0) { /* the counter is at its maximum: awake */
    }
  }
}

}  // namespace cgym::runtime
