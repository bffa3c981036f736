// SPDX-License-Identifier: MIT
#include "client/connection.h"

#include <grpcpp/grpcpp.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

#include "client/inprocess_transport.h"
#include "client/process.h"
#include "common/logging.h"

namespace cgym::client {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace compiler_gym;

namespace {

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void sleepSeconds(double seconds) {
  if (!(seconds > 0)) return;  // and NaN
  // Capped (at about 31 years), because converting an infinite duration overflows.
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(seconds, 1e9)));
}

// Python's "%.1f" of a float, used in CompilerGym's messages.
std::string oneDecimal(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", seconds);
  return buffer;
}

bool looksLikeHostPort(const std::string& endpoint) {
  const size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size()) return false;
  for (size_t i = colon + 1; i < endpoint.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(endpoint[i]))) return false;
  }
  return endpoint.find('/') == std::string::npos;
}

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

}  // namespace

Connection::Kind endpointKind(const std::string& endpoint) {
  if (endpoint.rfind("inproc:", 0) == 0) return Connection::Kind::kInProcess;
  if (endpoint.rfind("unix:", 0) == 0) return Connection::Kind::kUnmanaged;
  std::error_code ec;
  if (looksLikeHostPort(endpoint) && !fs::exists(endpoint, ec)) {
    return Connection::Kind::kUnmanaged;
  }
  return Connection::Kind::kManaged;
}

Connection::Connection(std::string endpoint, Kind kind, ConnectionOpts opts)
    : endpoint_(std::move(endpoint)), kind_(kind), opts_(std::move(opts)) {}

Connection::~Connection() {
  Status status = close();
  if (!status.ok()) logger().warn("{}", status.message());
}

Status Connection::connect(const std::string& endpoint, const ConnectionOpts& opts,
                           std::shared_ptr<Connection>* out) {
  if (endpoint.empty()) {
    return Status(StatusCode::kInvalidArgument, "No endpoint provided for service connection");
  }
  CGYM_RETURN_IF_ERROR(opts.validate());
  std::shared_ptr<Connection> connection(new Connection(endpoint, endpointKind(endpoint), opts));
  std::lock_guard<std::mutex> lock(connection->mutex_);
  CGYM_RETURN_IF_ERROR(connection->establish());
  *out = std::move(connection);
  return Status::OK();
}

std::string Connection::url() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return url_.empty() ? endpoint_ : url_;
}

std::optional<int> Connection::pid() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!process_ || !process_->running()) return std::nullopt;
  return process_->pid();
}

fs::path Connection::workingDirectory() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return workingDir_;
}

std::string Connection::toString() const {
  if (kind_ == Kind::kManaged) {
    if (auto p = pid())
      return "Connection to service at " + url() + " running on PID " + std::to_string(*p);
    return "Connection to dead service at " + url();
  }
  if (kind_ == Kind::kInProcess) return "Connection to in-process service " + url();
  return "Connection to unmanaged service " + url();
}

bool Connection::closed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return transport_ == nullptr;
}

bool Connection::usable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return transport_ != nullptr && (!process_ || process_->running());
}

// CompilerGym's _create_connection: attempts until the time or the attempt budget runs out,
// retrying only the errors a retry may cure.
Status Connection::establish() {
  const auto start = Clock::now();
  int attempts = 0;
  Status last;
  while (secondsSince(start) < opts_.init_max_seconds && attempts < opts_.init_max_attempts) {
    ++attempts;
    last = attempt();
    if (last.ok()) return last;
    const StatusCode code = last.code();
    const bool retryable = code == StatusCode::kDeadlineExceeded ||
                           code == StatusCode::kUnimplemented || isServiceError(code);
    if (!retryable) return last;
    logger().debug("Connection attempt {} to {} failed: {}", attempts, endpoint_, last.message());
  }
  const std::string name =
      kind_ == Kind::kManaged ? fs::path(endpoint_).filename().string() : endpoint_;
  std::ostringstream message;
  message << "Failed to create connection to " << name << " after "
          << oneDecimal(secondsSince(start)) << " seconds (" << attempts << " attempt"
          << (attempts == 1 ? "" : "s") << " made).";
  if (!last.ok()) {
    message << "\nLast error (" << errorTypeName(last.code()) << "): " << last.message();
  }
  return Status(attempts >= opts_.init_max_attempts ? StatusCode::kServiceInit
                                                    : StatusCode::kDeadlineExceeded,
                message.str());
}

Status Connection::attempt() {
  std::shared_ptr<Transport> transport;
  if (kind_ == Kind::kInProcess) {
    const std::string name = endpoint_.substr(std::string("inproc:").size());
    SessionFactory factory = findInProcessService(name);
    if (!factory) {
      return Status(StatusCode::kNotFound, "No in-process service registered as '" + name + "'");
    }
    // Sessions share a private working directory, as a service process's do.
    std::string pattern = (fs::temp_directory_path() / "cgym-inproc-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      return Status(StatusCode::kResourceExhausted, "Cannot create a working directory");
    }
    workingDir_ = pattern;
    CGYM_RETURN_IF_ERROR(makeInProcessTransport(std::move(factory), workingDir_, &transport));
    url_ = endpoint_;
  } else if (kind_ == Kind::kManaged) {
    CGYM_RETURN_IF_ERROR(launchManaged());
    auto channel = GrpcTransport::makeChannel(url_);
    if (!GrpcTransport::waitForReady(*channel, opts_.rpc_init_max_seconds)) {
      const std::string logs = logTail(workingDir_ / "logs");
      Status ignored = closeLocked();
      return Status(StatusCode::kDeadlineExceeded, "Failed to connect to RPC service after " +
                                                       oneDecimal(opts_.rpc_init_max_seconds) +
                                                       " seconds." + logs);
    }
    transport = std::make_shared<GrpcTransport>(channel);
  } else {
    url_ = endpoint_;
    auto channel = GrpcTransport::makeChannel(url_);
    if (!GrpcTransport::waitForReady(*channel, opts_.rpc_init_max_seconds)) {
      return Status(StatusCode::kDeadlineExceeded, "Failed to connect to " + url_ + " after " +
                                                       oneDecimal(opts_.rpc_init_max_seconds) +
                                                       " seconds");
    }
    transport = std::make_shared<GrpcTransport>(channel);
  }
  // Connections start by fetching the spaces, as CompilerGym's do.
  GetSpacesReply spaces;
  Status status = transport->invoke(Rpc::kGetSpaces, GetSpacesRequest(), &spaces, 60);
  if (!status.ok()) {
    Status ignored = closeLocked();
    return mapError(status, 60);
  }
  spaces_ = std::move(spaces);
  transport_ = std::move(transport);
  return Status::OK();
}

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

}  // namespace

Status Connection::launchManaged() {
  const fs::path binary = fs::absolute(endpoint_);
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
  workingDir_ = pattern;
  fs::create_directories(workingDir_ / "logs", ec);
  fs::create_directories(workingDir_ / "disk", ec);

  DirectoryWatch watch(workingDir_);
  SpawnOptions spawn;
  spawn.path = binary.string();
  spawn.args.push_back("--working_dir=" + workingDir_.string());
  for (const std::string& arg : opts_.script_args) spawn.args.push_back(arg);
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
  for (const auto& [key, value] : opts_.script_env) spawn.env[key] = value;
  spawn.cwd = binary.parent_path().string();
  CGYM_RETURN_IF_ERROR(ChildProcess::spawn(spawn, &process_));

  // Wait for port.txt. CompilerGym polls every 0.1 s growing by 1.2; a fast service is up in
  // milliseconds, so start at 1 ms, and wake at once when a file appears in the working
  // directory (inotify; the service renames port.txt into place). The watch is set before
  // the service is spawned, so the rename cannot be missed.
  const auto start = Clock::now();
  double wait = 0.001;
  const fs::path portFile = workingDir_ / "port.txt";
  while (true) {
    std::ifstream in(portFile);
    int port = 0;
    if (in && (in >> port) && port > 0) {
      url_ = "localhost:" + std::to_string(port);
      return Status::OK();
    }
    if (std::optional<int> exit = process_->poll()) {
      const std::string logs = logTail(workingDir_ / "logs");
      Status ignored = closeLocked();
      return Status(StatusCode::kServiceInit,
                    "Service terminated with " + describeExit(*exit) + logs);
    }
    if (secondsSince(start) >= opts_.local_service_port_init_max_seconds) {
      Status ignored = closeLocked();
      return Status(StatusCode::kDeadlineExceeded,
                    "Service failed to produce port file after " +
                        oneDecimal(opts_.local_service_port_init_max_seconds) + " seconds");
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

Status Connection::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  return closeLocked();
}

void Connection::endSessionDetached(int64_t sessionId, double timeoutSeconds) {
  std::shared_ptr<Transport> transport;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!transport_) return;
    transport = transport_;
    sessions_.erase(sessionId);
  }
  transport->endSessionDetached(sessionId, timeoutSeconds,
                                [sessionId, timeoutSeconds](const Status& status) {
                                  if (status.ok()) return;
                                  // A service that has gone away took the session with it
                                  // (CompilerGym ignores ServiceIsClosed here).
                                  const bool gone = status.code() == StatusCode::kUnavailable;
                                  logger().log(gone ? spdlog::level::debug : spdlog::level::warn,
                                               "Failed to end session {}: {}", sessionId,
                                               mapError(status, timeoutSeconds).message());
                                });
}

void Connection::drainDetached() {
  std::shared_ptr<Transport> transport;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    transport = transport_;
  }
  if (transport) transport->drainDetached();
}

bool Connection::hasOtherSessions(int64_t sessionId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size() > (sessions_.count(sessionId) ? 1u : 0u);
}

// Keeps sessions_ up to date with the calls that start and end sessions.
void Connection::track(Rpc rpc, const google::protobuf::Message& request,
                       const google::protobuf::Message& reply) {
  // Steps, the hot path, take no lock here.
  int64_t id = 0;
  switch (rpc) {
    case Rpc::kStartSession:
      id = static_cast<const StartSessionReply&>(reply).session_id();
      break;
    case Rpc::kForkSession:
      id = static_cast<const ForkSessionReply&>(reply).session_id();
      break;
    case Rpc::kEndSession:
      id = static_cast<const EndSessionRequest&>(request).session_id();
      break;
    default:
      return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (rpc == Rpc::kEndSession) {
    sessions_.erase(id);
  } else {
    sessions_.insert(id);
  }
}

Status Connection::closeLocked() {
  // Detached ends first: the service must not be stopped with sessions that are ended.
  if (transport_) transport_->drainDetached();
  transport_.reset();
  sessions_.clear();
  Status status;
  if (process_) {
    bool killed = false;
    const int exit = process_->terminate(opts_.local_service_exit_max_seconds, &killed);
    if (killed) {
      logger().warn("Abandoning orphan service {} (killed after {} s)", endpoint_,
                    opts_.local_service_exit_max_seconds);
    } else if (exit != 0) {
      status =
          Status(StatusCode::kInternal, "Service exited with returncode " + std::to_string(exit));
    }
    process_.reset();
  }
  if (!workingDir_.empty()) {
    std::error_code ec;
    fs::remove_all(workingDir_, ec);
    workingDir_.clear();
  }
  return status;
}

Status Connection::restart() {
  std::lock_guard<std::mutex> lock(mutex_);
  Status closed = closeLocked();
  if (!closed.ok()) logger().warn("{}", closed.message());
  return establish();
}

std::shared_ptr<Transport> Connection::transport() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!transport_) {
    // CompilerGym re-establishes a closed connection on the next call.
    Status status = establish();
    if (!status.ok()) {
      logger().warn("Reconnecting to {} failed: {}", endpoint_, status.message());
      return nullptr;
    }
  }
  return transport_;
}

Status Connection::call(Rpc rpc, const google::protobuf::Message& request,
                        google::protobuf::Message* reply, const CallOptions& options) {
  if (std::isnan(options.timeout)) {
    return Status(StatusCode::kInvalidArgument, "The timeout must be a number, got nan");
  }
  if (options.timeout <= 0) {
    // gRPC would send a call whose deadline has passed; CompilerGym's client fails it.
    return mapError(Status(StatusCode::kDeadlineExceeded, "Deadline Exceeded"), options.timeout);
  }
  std::shared_ptr<Transport> transport = this->transport();
  if (!transport) {
    return Status(StatusCode::kServiceIsClosed,
                  "RPC communication failed because channel is closed");
  }
  const int maxRetries = options.max_retries.value_or(opts_.rpc_max_retries);
  double wait = options.retry_wait_seconds.value_or(opts_.retry_wait_seconds);
  const double backoff =
      options.retry_wait_backoff_exponent.value_or(opts_.retry_wait_backoff_exponent);
  for (int retry = 0;; ++retry) {
    const bool endsInFlight =
        (rpc == Rpc::kStartSession || rpc == Rpc::kForkSession) && transport->detachedInFlight();
    Status status = transport->invoke(rpc, request, reply, options.timeout);
    if (status.code() == StatusCode::kResourceExhausted && endsInFlight) {
      // A session limit may have been reached while sessions ended by this client were still
      // being ended: once they are, ask once more.
      transport->drainDetached();
      reply->Clear();
      status = transport->invoke(rpc, request, reply, options.timeout);
    }
    if (status.ok()) {
      track(rpc, request, *reply);
      return status;
    }
    if (status.code() != StatusCode::kUnavailable) {
      return mapError(status, options.timeout);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (process_ && process_->poll()) {
        return Status(StatusCode::kServiceIsClosed, "Service is offline");
      }
    }
    if (retry >= maxRetries) {
      return Status(StatusCode::kServiceTransport, url() + " " + status.message() + " (" +
                                                       std::to_string(maxRetries) + " retries)");
    }
    reply->Clear();
    sleepSeconds(wait);
    wait *= backoff;
  }
}

bool Connection::startStep(const StepRequest& request, double timeout, AsyncCall* call,
                           AsyncQueue* queue) {
  if (!(timeout > 0)) return false;
  std::shared_ptr<Transport> transport = this->transport();
  if (!transport) return false;
  Transport* raw = transport.get();
  raw->startStep(request, timeout, std::move(transport), call, queue);
  return true;
}

Status Connection::finishStep(const StepRequest& request, AsyncCall* call, double timeout) {
  if (call->status.ok()) return Status::OK();
  if (call->status.code() == StatusCode::kUnavailable) {
    call->reply.Clear();
    CallOptions options;
    options.timeout = timeout;
    return this->call(Rpc::kStep, request, &call->reply, options);
  }
  return mapError(call->status, timeout);
}

// CompilerGym's translation of service statuses (compiler_gym/service/connection.py).
Status Connection::mapError(const Status& status, double timeout) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnimplemented:
    case StatusCode::kNotFound:
    case StatusCode::kResourceExhausted:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kDataLoss:
      return status;
    case StatusCode::kDeadlineExceeded:
      return Status(status.code(), status.message() + " (" + oneDecimal(timeout) + " seconds)");
    case StatusCode::kUnknown:
      return Status(status.code(),
                    "Service returned an unknown error. This may be caused by an unhandled "
                    "exception in the service. Details: `" +
                        status.message() + "`");
    default:
      return Status(status.code(), std::string("RPC call returned status code StatusCode.") +
                                       statusCodeName(status.code()) + " and error `" +
                                       status.message() + "`");
  }
}

}  // namespace cgym::client
