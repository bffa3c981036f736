// SPDX-License-Identifier: MIT
#include "client/connection.h"

#include <grpcpp/grpcpp.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>

#include "client/inprocess_transport.h"
#include "client/launch.h"
#include "client/process.h"
#include "common/deadline.h"
#include "common/logging.h"

namespace cgym::client {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace compiler_gym;

namespace {

bool looksLikeHostPort(const std::string& endpoint) {
  const size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size()) return false;
  for (size_t i = colon + 1; i < endpoint.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(endpoint[i]))) return false;
  }
  return endpoint.find('/') == std::string::npos;
}

// Whether a call failed before it reached the service, so that trying again is safe:
// UNAVAILABLE, and a synchronous gRPC server's refusal when every thread of its quota is busy
// (RESOURCE_EXHAUSTED "Server Threadpool Exhausted", e.g. while it is under attack).
bool retryableTransportError(const Status& status) {
  return status.code() == StatusCode::kUnavailable ||
         (status.code() == StatusCode::kResourceExhausted &&
          status.message() == "Server Threadpool Exhausted");
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

Deadline Deadline::after(double seconds) {
  Deadline deadline;
  deadline.at_ = deadlineAfter<Clock>(seconds);
  return deadline;
}

double Deadline::remaining() const {
  if (never()) return std::numeric_limits<double>::infinity();
  const double left = std::chrono::duration<double>(at_ - Clock::now()).count();
  return left > 0 ? left : 0;
}

// Detached EndSessions in flight, and the sessions whose end got no answer in time
// ("abandoned", see the class comment). Callbacks of detached calls hold it, so it outlives
// the connection if need be. `generation` changes at every close: sessions abandoned on a
// service that has since been closed (and perhaps replaced) are not ended on the next one.
struct Connection::Detached {
  std::mutex mutex;
  std::condition_variable idle;
  int inFlight = 0;
  uint64_t generation = 0;
  std::vector<int64_t> abandoned;
  std::atomic<bool> anyAbandoned{false};  // read without the lock on the step path

  void abandon(int64_t sessionId, uint64_t from) {
    std::lock_guard<std::mutex> lock(mutex);
    if (from != generation) return;
    abandoned.push_back(sessionId);
    anyAbandoned.store(true);
  }
  bool busy() {
    std::lock_guard<std::mutex> lock(mutex);
    return inFlight > 0;
  }
  // Waits until no detached call is in flight, or `deadline`; false in the second case.
  bool waitIdle(const Deadline& deadline) {
    std::unique_lock<std::mutex> lock(mutex);
    auto none = [this] { return inFlight == 0; };
    if (deadline.never()) {
      idle.wait(lock, none);
      return true;
    }
    return idle.wait_until(lock, deadline.time(), none);
  }
};

Connection::Connection(std::string endpoint, Kind kind, ConnectionOpts opts)
    : endpoint_(std::move(endpoint)),
      kind_(kind),
      opts_(std::move(opts)),
      detached_(std::make_shared<Detached>()) {}

Connection::~Connection() {
  Status status = close();
  if (!status.ok()) logger().warn("{}", status.message());
}

Status Connection::connect(const std::string& endpoint, const ConnectionOpts& opts,
                           std::shared_ptr<Connection>* out, Deadline deadline) {
  if (endpoint.empty()) {
    return Status(StatusCode::kInvalidArgument, "No endpoint provided for service connection");
  }
  CGYM_RETURN_IF_ERROR(opts.validate());
  std::shared_ptr<Connection> connection(new Connection(endpoint, endpointKind(endpoint), opts));
  std::lock_guard<std::mutex> lock(connection->mutex_);
  CGYM_RETURN_IF_ERROR(connection->establish(deadline));
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
Status Connection::establish(Deadline deadline) {
  const auto start = Clock::now();
  const Deadline budget = deadline.earliest(Deadline::after(opts_.init_max_seconds));
  int attempts = 0;
  Status last;
  double wait = opts_.retry_wait_seconds;
  while (!budget.expired() && attempts < opts_.init_max_attempts) {
    if (attempts > 0) {
      // Waits between attempts, growing as between the retries of a call: a binary that
      // exits at once is not restarted in a tight loop. A wait that would end past the
      // budget ends the attempts instead (it would leave no time for another).
      if (!(wait < budget.remaining())) break;
      sleepSeconds(wait);
      wait *= opts_.retry_wait_backoff_exponent;
    }
    ++attempts;
    attemptDeadline_ = budget;
    last = attempt();
    if (last.ok()) {
      unresponsive_.store(false);
      return last;
    }
    const StatusCode code = last.code();
    // Not a directory the user does not own (PERMISSION_DENIED), nor a token the service
    // refuses (UNAUTHENTICATED): no retry can cure those.
    const bool retryable = code != StatusCode::kPermissionDenied &&
                           code != StatusCode::kUnauthenticated &&
                           (code == StatusCode::kDeadlineExceeded ||
                            code == StatusCode::kUnimplemented || isServiceError(code));
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
    LaunchedService launched;
    CGYM_RETURN_IF_ERROR(launchService(endpoint_, opts_, &launched));
    process_ = std::move(launched.process);
    workingDir_ = std::move(launched.workingDir);
    url_ = std::move(launched.url);
    // Plaintext on a Unix socket in a directory only this user can enter (or on loopback for
    // a binary that ignores CGYM_SERVICE_HOST); the token authenticates every call.
    auto channel = GrpcTransport::makeChannel(url_);
    if (!GrpcTransport::waitForReady(*channel, opts_.rpc_init_max_seconds)) {
      const std::string logs = logTail(workingDir_ / "logs");
      Status ignored = closeLocked();
      return Status(StatusCode::kDeadlineExceeded, "Failed to connect to RPC service after " +
                                                       oneDecimal(opts_.rpc_init_max_seconds) +
                                                       " seconds." + logs);
    }
    transport = std::make_shared<GrpcTransport>(channel, launched.token);
  } else {
    url_ = endpoint_;
    std::shared_ptr<grpc::Channel> channel;
    CGYM_RETURN_IF_ERROR(GrpcTransport::makeChannel(url_, opts_, &channel));
    if (!GrpcTransport::waitForReady(*channel, opts_.rpc_init_max_seconds)) {
      // Over TLS, a failed handshake (an untrusted certificate, a name that does not match
      // the host, a client certificate the service refuses) looks the same to the client.
      return Status(StatusCode::kDeadlineExceeded,
                    "Failed to connect to " + url_ + " after " +
                        oneDecimal(opts_.rpc_init_max_seconds) + " seconds" +
                        (opts_.usesTls() ? " (over TLS: is the service's certificate trusted, "
                                           "for this host name?)"
                                         : ""));
    }
    transport = std::make_shared<GrpcTransport>(channel, opts_.token);
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

Status Connection::close() { return close(Deadline()); }

Status Connection::close(Deadline deadline) {
  std::lock_guard<std::mutex> lock(mutex_);
  return closeLocked(deadline);
}

void Connection::endSessionDetached(int64_t sessionId, double timeoutSeconds) {
  std::shared_ptr<Transport> transport;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!transport_) return;
    transport = transport_;
    sessions_.erase(sessionId);
  }
  sendEndDetached(transport, sessionId, timeoutSeconds);
}

void Connection::sendEndDetached(const std::shared_ptr<Transport>& transport, int64_t sessionId,
                                 double timeoutSeconds) {
  const std::shared_ptr<Detached> state = detached_;
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    ++state->inFlight;
    generation = state->generation;
  }
  transport->endSessionDetached(
      sessionId, timeoutSeconds,
      [state, sessionId, timeoutSeconds, generation](const Status& status) {
        if (!status.ok()) {
          const StatusCode code = status.code();
          // No answer in time: the service may still hold the session, which is ended later
          // (see the class comment).
          const bool unanswered =
              code == StatusCode::kDeadlineExceeded || code == StatusCode::kCancelled;
          // A service that has gone away took the session with it (CompilerGym ignores
          // ServiceIsClosed here).
          const bool gone = code == StatusCode::kUnavailable;
          logger().log(unanswered || gone ? spdlog::level::debug : spdlog::level::warn,
                       "Failed to end session {}: {}", sessionId,
                       mapError(status, timeoutSeconds).message());
          if (unanswered) state->abandon(sessionId, generation);
        }
        std::lock_guard<std::mutex> lock(state->mutex);
        if (--state->inFlight == 0) state->idle.notify_all();
      });
}

void Connection::drainDetached() { detached_->waitIdle(Deadline()); }

bool Connection::drainDetached(Deadline deadline) { return detached_->waitIdle(deadline); }

std::vector<int64_t> Connection::takeAbandonedLocked() {
  std::vector<int64_t> ids;
  {
    std::lock_guard<std::mutex> lock(detached_->mutex);
    ids.swap(detached_->abandoned);
    detached_->anyAbandoned.store(false);
  }
  // A session started again since (a service whose ids repeat) is not ended.
  ids.erase(std::remove_if(ids.begin(), ids.end(),
                           [this](int64_t id) { return sessions_.count(id) != 0; }),
            ids.end());
  return ids;
}

void Connection::endAbandoned(const std::shared_ptr<Transport>& transport, double timeoutSeconds) {
  std::vector<int64_t> ids;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ids = takeAbandonedLocked();
  }
  for (int64_t id : ids) sendEndDetached(transport, id, timeoutSeconds);
}

void Connection::noteOutcome(const Status& status, const Deadline& deadline) {
  switch (status.code()) {
    case StatusCode::kDeadlineExceeded:
      // The service let the deadline pass (a DEADLINE_EXCEEDED returned early is its answer).
      if (deadline.expired()) {
        unresponsive_.store(true);
        return;
      }
      break;
    case StatusCode::kUnavailable:
    case StatusCode::kCancelled:
      return;  // no word from the service either way
    default:
      break;
  }
  // Steps, the hot path, read the flag and write nothing.
  if (unresponsive_.load(std::memory_order_relaxed)) unresponsive_.store(false);
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

Status Connection::closeLocked(Deadline deadline) {
  bool killed = false;
  // A service that let a deadline pass is killed at once (see the class comment), and so is
  // one that was never connected to (an attempt that failed): nothing waits for a service that
  // did not answer.
  if (process_ && (unresponsive_.load() || !transport_)) {
    // First, so that calls still on the wire fail at once.
    logger().info("Killing service {} (PID {}): it did not answer in time", endpoint_,
                  process_->pid());
    ChildProcess::killInBackground(std::move(process_));
    killed = true;
  }
  if (transport_ && !killed) {
    // Sessions abandoned on the service are ended if it answers within rpc_init_max_seconds
    // (and `deadline`): longer, it is hung, and nobody waits for it.
    const Deadline probe = deadline.earliest(Deadline::after(opts_.rpc_init_max_seconds));
    // Detached ends first: the service must not be stopped with sessions that are ended.
    detached_->waitIdle(unresponsive_.load() ? probe : deadline);
    std::vector<int64_t> abandoned = takeAbandonedLocked();
    if (!abandoned.empty() && !probe.expired()) {
      for (int64_t id : abandoned) sendEndDetached(transport_, id, probe.remaining());
      detached_->waitIdle(probe);
      abandoned = takeAbandonedLocked();
    }
    if (!abandoned.empty()) {
      logger().warn("{} session{} left on {}: the service did not answer in time to end {}",
                    abandoned.size(), abandoned.size() == 1 ? "" : "s",
                    url_.empty() ? endpoint_ : url_, abandoned.size() == 1 ? "it" : "them");
    }
  }
  releaseTransportLocked();
  sessions_.clear();
  {
    std::lock_guard<std::mutex> lock(detached_->mutex);
    ++detached_->generation;
    detached_->abandoned.clear();
    detached_->anyAbandoned.store(false);
  }
  unresponsive_.store(false);
  Status status;
  if (process_) {
    bool forced = false;
    const double grace = std::min(opts_.local_service_exit_max_seconds, deadline.remaining());
    const int exit = process_->terminate(grace, &forced);
    if (forced) {
      // A warning when the service had all of local_service_exit_max_seconds; less, it was the
      // caller's deadline.
      logger().log(
          grace < opts_.local_service_exit_max_seconds ? spdlog::level::info : spdlog::level::warn,
          "Abandoning orphan service {} (killed after {} s)", endpoint_, grace);
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

void Connection::releaseTransportLocked() {
  if (!transport_) return;
  if (detached_->busy()) {
    // Its destructor waits for the detached calls still on the wire (until their deadlines,
    // or at once if the service was killed): nobody needs to wait with it.
    try {
      std::thread([transport = std::move(transport_)]() mutable { transport.reset(); }).detach();
    } catch (const std::system_error&) {
      // No thread to be had: wait here.
    }
  }
  transport_.reset();
}

Status Connection::restart() {
  std::lock_guard<std::mutex> lock(mutex_);
  Status closed = closeLocked();
  if (!closed.ok()) logger().warn("{}", closed.message());
  return establish();
}

std::shared_ptr<Transport> Connection::transport(Deadline deadline) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!transport_) {
    // CompilerGym re-establishes a closed connection on the next call.
    Status status = establish(deadline);
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
  const Deadline deadline = options.deadline
                                ? options.deadline->earliest(Deadline::after(options.timeout))
                                : Deadline::after(options.timeout);
  // An EndSession that fails forgets its session; one with no answer leaves it abandoned.
  auto finish = [&](Status status) {
    if (rpc == Rpc::kEndSession && !status.ok()) {
      const int64_t id = static_cast<const EndSessionRequest&>(request).session_id();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        sessions_.erase(id);
      }
      const StatusCode code = status.code();
      if (code == StatusCode::kDeadlineExceeded || code == StatusCode::kCancelled) {
        std::lock_guard<std::mutex> lock(detached_->mutex);
        detached_->abandoned.push_back(id);
        detached_->anyAbandoned.store(true);
      }
    }
    return status;
  };
  if (options.timeout <= 0 || deadline.expired()) {
    // gRPC would send a call whose deadline has passed; CompilerGym's client fails it.
    return finish(
        mapError(Status(StatusCode::kDeadlineExceeded, "Deadline Exceeded"), options.timeout));
  }
  std::shared_ptr<Transport> transport = this->transport(deadline);
  if (!transport) {
    return finish(
        Status(StatusCode::kServiceIsClosed, "RPC communication failed because channel is closed"));
  }
  const int maxRetries = options.max_retries.value_or(opts_.rpc_max_retries);
  double wait = options.retry_wait_seconds.value_or(opts_.retry_wait_seconds);
  const double backoff =
      options.retry_wait_backoff_exponent.value_or(opts_.retry_wait_backoff_exponent);
  for (int retry = 0;; ++retry) {
    const bool endsInFlight =
        (rpc == Rpc::kStartSession || rpc == Rpc::kForkSession) && detached_->busy();
    Status status = transport->invoke(rpc, request, reply, deadline.remaining());
    if (status.code() == StatusCode::kResourceExhausted && endsInFlight &&
        detached_->waitIdle(deadline) && !deadline.expired()) {
      // A session limit may have been reached while sessions ended by this client were still
      // being ended: once they are, ask once more.
      reply->Clear();
      status = transport->invoke(rpc, request, reply, deadline.remaining());
    }
    noteOutcome(status, deadline);
    if (status.ok()) {
      track(rpc, request, *reply);
      // The service answers: the sessions it did not end in time can be ended now.
      if (detached_->anyAbandoned.load(std::memory_order_relaxed)) {
        endAbandoned(transport, std::max(options.timeout, opts_.rpc_init_max_seconds));
      }
      return status;
    }
    if (!retryableTransportError(status)) {
      return finish(mapError(status, options.timeout));
    }
    bool offline = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      offline = process_ && process_->poll();
    }
    if (offline) return finish(Status(StatusCode::kServiceIsClosed, "Service is offline"));
    if (retry >= maxRetries) {
      return finish(
          Status(StatusCode::kServiceTransport,
                 url() + " " + status.message() + " (" + std::to_string(maxRetries) + " retries)"));
    }
    if (!(wait < deadline.remaining())) {
      // No time for another try: the call's deadline covers its retries.
      return finish(Status(StatusCode::kServiceTransport,
                           url() + " " + status.message() + " (" + std::to_string(retry) +
                               " retries, then the deadline of " + oneDecimal(options.timeout) +
                               " seconds)"));
    }
    reply->Clear();
    sleepSeconds(wait);
    wait *= backoff;
  }
}

bool Connection::startStep(const StepRequest& request, Deadline deadline, AsyncCall* call,
                           AsyncQueue* queue) {
  if (deadline.expired()) return false;
  std::shared_ptr<Transport> transport = this->transport(deadline);
  if (!transport) return false;
  Transport* raw = transport.get();
  raw->startStep(request, deadline.remaining(), std::move(transport), call, queue);
  return true;
}

Status Connection::finishStep(const StepRequest& request, AsyncCall* call, double timeout,
                              Deadline deadline) {
  noteOutcome(call->status, deadline);
  if (call->status.ok()) {
    if (detached_->anyAbandoned.load(std::memory_order_relaxed)) {
      std::shared_ptr<Transport> transport;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        transport = transport_;
      }
      if (transport) endAbandoned(transport, std::max(timeout, opts_.rpc_init_max_seconds));
    }
    return Status::OK();
  }
  if (retryableTransportError(call->status)) {
    call->reply.Clear();
    CallOptions options;
    options.timeout = timeout;
    options.deadline = deadline;
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
