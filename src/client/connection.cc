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
#include "client/launch.h"
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

Status Connection::launchManaged() {
  LaunchedService launched;
  CGYM_RETURN_IF_ERROR(launchService(endpoint_, opts_, &launched));
  process_ = std::move(launched.process);
  workingDir_ = std::move(launched.workingDir);
  url_ = std::move(launched.url);
  return Status::OK();
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
