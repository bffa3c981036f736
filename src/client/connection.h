// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "client/connection_opts.h"
#include "client/inprocess_transport.h"  // the registry of "inproc:NAME" endpoints
#include "client/transport.h"
#include "common/status.h"
#include "compiler_gym_service.pb.h"

namespace cgym::client {

class ChildProcess;

// The time by which a public call (a reset, a step, a fork, a close...) must have returned.
// One deadline covers everything the call does: its RPCs and their retries, reconnecting, the
// waits between attempts, and ending its session after a failure, so that retries cannot add
// up to several timeouts.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  // Never.
  Deadline() = default;
  // `seconds` from now: +infinity (or more than the clock holds) is never; NaN and values
  // <= 0 are now.
  static Deadline after(double seconds);
  // Seconds left: 0 once passed, +infinity for never.
  double remaining() const;
  bool expired() const { return !(remaining() > 0); }
  bool never() const { return at_ == Clock::time_point::max(); }
  Clock::time_point time() const { return at_; }
  // The earlier of the two.
  Deadline earliest(const Deadline& other) const { return other.at_ < at_ ? other : *this; }

 private:
  Clock::time_point at_ = Clock::time_point::max();
};

// Per-call settings: CompilerGym's `__call__(..., timeout, max_retries, retry_wait_seconds,
// retry_wait_backoff_exponent)`. Unset retry settings take the connection's options.
struct CallOptions {
  double timeout = 300;
  std::optional<int> max_retries;
  std::optional<double> retry_wait_seconds;
  std::optional<double> retry_wait_backoff_exponent;
  // The deadline of the public call this RPC is part of (unset: `timeout` from now). The RPC,
  // its retries and reconnecting all end by it; `timeout` names it in messages.
  std::optional<Deadline> deadline;
};

// A connection to a CompilerGym service: CompilerGym's CompilerGymServiceConnection. The
// endpoint says which kind:
//   "inproc:NAME"         in-process: a session type registered with
//                         registerInProcessService(NAME, ...), called directly (no RPC);
//   "unix:PATH", "HOST:PORT"  unmanaged: a service someone else runs;
//   anything else         managed: the path of a service binary, which the connection
//                         launches in a private working directory and owns. The service dies
//                         with the client process, even if the client is SIGKILLed.
// A connection is shared by an env and its forks, and is thread-safe.
//
// Timeouts hold whatever the service does (it may stop answering: SIGSTOP, a session stuck
// inside a call, a host that went away). Every call ends by its deadline, retries and
// reconnecting included. A service that lets a call's deadline pass is "unresponsive" until a
// call gets an answer again; then:
//   * A managed service is killed at once (SIGKILL) when it is closed, instead of SIGTERM and
//     up to local_service_exit_max_seconds of waiting: nothing graceful can happen to it (a
//     stopped process does not run its SIGTERM handler until it is resumed, and the graceful
//     shutdown of a service waits for the session stuck inside a call), its sessions are lost
//     either way, and a hung service would keep its memory and CPU meanwhile. It is reaped in
//     the background if it does not die at once (ChildProcess::killInBackground), so the
//     caller never waits for it.
//   * A session whose end got no answer in time (an EndSession, sent or detached, that hit its
//     deadline: a stopped service reads such a request only when it runs again, and then finds
//     it cancelled) is "abandoned": it is remembered, and ended again, without waiting, after
//     the next call that gets an answer; close() gives the service up to
//     rpc_init_max_seconds to end those still left, so that a service that came back is not
//     left with sessions nobody will end (it would exit 6 on SIGTERM).
// In-process calls run on the caller's thread and cannot be interrupted: deadlines do not
// apply to them.
class Connection {
 public:
  enum class Kind { kManaged, kUnmanaged, kInProcess };

  // Connects, retrying as ConnectionOpts says, and fetches the service's spaces. Errors:
  // INVALID_ARGUMENT for an empty endpoint or options that ConnectionOpts::validate()
  // rejects; NOT_FOUND "File not found: <path>" for a managed
  // binary that does not exist; SERVICE_INIT when a managed service exits during start-up
  // (with its exit status and the tail of its log) or when the attempt budget runs out;
  // DEADLINE_EXCEEDED when the time budget (init_max_seconds, and `deadline`) runs out. The
  // messages are CompilerGym's. Failed attempts are retried after retry_wait_seconds, growing
  // by retry_wait_backoff_exponent (a binary that exits at once is not restarted in a tight
  // loop), within the time budget: a wait that would end past it ends the attempts instead.
  static Status connect(const std::string& endpoint, const ConnectionOpts& opts,
                        std::shared_ptr<Connection>* out, Deadline deadline = Deadline());
  ~Connection();

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One RPC. A closed connection is re-established first (a managed service is relaunched),
  // as in CompilerGym. UNAVAILABLE is retried with backoff; other errors map onto the codes
  // of CompilerGym's client (compiler_gym/service/connection.py). A timeout <= 0 fails at
  // once with DEADLINE_EXCEEDED, as in CompilerGym; +infinity is no deadline; NaN is
  // INVALID_ARGUMENT. Reconnecting, the RPC and its retries all end by the call's deadline
  // (CallOptions): UNAVAILABLE is not retried past it. An EndSession that gets no answer in
  // time leaves its session abandoned (see the class comment).
  Status call(Rpc rpc, const google::protobuf::Message& request, google::protobuf::Message* reply,
              const CallOptions& options = {});

  // Starts a Step without waiting for it (see Transport::startStep): its outcome arrives in
  // `call` on `queue`; pass it to finishStep(). False, with nothing started, when the call
  // cannot go out at once (a closed connection, a deadline that has passed): make it with
  // call() instead, which deals with those cases.
  bool startStep(const compiler_gym::StepRequest& request, Deadline deadline, AsyncCall* call,
                 AsyncQueue* queue);
  // The outcome of a Step started by startStep(), as call() would give it: a transport that
  // was unavailable is retried here, synchronously, as call() retries it (the step did not
  // reach the service), within the step's deadline, and errors are mapped as call() maps them
  // (`timeout` names the deadline in messages).
  Status finishStep(const compiler_gym::StepRequest& request, AsyncCall* call, double timeout,
                    Deadline deadline);

  // Ends a session without waiting for the reply (see Transport::endSessionDetached), for an
  // env whose end nobody waits on: failures are logged, as CompilerGym's client logs a failed
  // EndSession; one that gets no answer in time leaves the session abandoned (see the class
  // comment). Nothing is sent while the connection is closed (the session went with the
  // service). close() waits for these calls, and so does a StartSession or ForkSession that
  // the service refuses with RESOURCE_EXHAUSTED while any is in flight (it is then retried
  // once, if its deadline allows), so a session limit never sees sessions that are already
  // ended.
  void endSessionDetached(int64_t sessionId, double timeoutSeconds);
  // Waits for the detached calls sent so far; with a deadline, at most until then (false if
  // some are still in flight).
  void drainDetached();
  bool drainDetached(Deadline deadline);
  // Whether a session other than `sessionId`, started through this connection (StartSession
  // or ForkSession) and not ended, is open on the service. If so, its EndSession reply would
  // say remaining_sessions > 0 and the service stays up: the end need not be waited for.
  bool hasOtherSessions(int64_t sessionId) const;

  // The spaces fetched when the connection was (re-)established.
  const compiler_gym::GetSpacesReply& spaces() const { return spaces_; }

  bool closed() const;
  // Open, and for a managed service, its process still running.
  bool usable() const;
  // Whether the last call that got an answer or hit its deadline hit its deadline: the
  // service may be hung (see the class comment).
  bool unresponsive() const { return unresponsive_.load(std::memory_order_relaxed); }
  // Closes the connection. Detached calls are waited for, abandoned sessions ended if the
  // service answers within rpc_init_max_seconds, then a managed service gets SIGTERM, then
  // SIGKILL after local_service_exit_max_seconds, and its working directory is removed; an
  // unresponsive managed service is killed at once instead, without waiting for anything. A
  // managed service that exits with a non-zero code is reported once, as INTERNAL "Service
  // exited with returncode <rc>". Idempotent. With a deadline, nothing is waited for past it
  // (a managed service still running then is killed).
  Status close();
  Status close(Deadline deadline);
  // Closes and connects again (a managed service is relaunched).
  Status restart();

  Kind kind() const { return kind_; }
  const std::string& endpoint() const { return endpoint_; }
  const ConnectionOpts& opts() const { return opts_; }
  // The address calls go to: "localhost:PORT", "HOST:PORT", "unix:PATH" or "inproc:NAME".
  std::string url() const;
  // The PID of a managed service, if running.
  std::optional<int> pid() const;
  // CompilerGym's repr: "Connection to service at <url> running on PID <pid>", "Connection
  // to dead service at <url>", "Connection to unmanaged service <url>".
  std::string toString() const;
  // The managed service's working directory (empty otherwise).
  std::filesystem::path workingDirectory() const;

 private:
  Connection(std::string endpoint, Kind kind, ConnectionOpts opts);
  Status establish(Deadline deadline = Deadline());
  Status attempt();
  Status closeLocked(Deadline deadline = Deadline());
  static Status mapError(const Status& status, double timeout);
  void track(Rpc rpc, const google::protobuf::Message& request,
             const google::protobuf::Message& reply);
  // The transport, re-established first (by `deadline`) if the connection is closed.
  std::shared_ptr<Transport> transport(Deadline deadline);
  // Records what a call's outcome says of the service (see unresponsive()).
  void noteOutcome(const Status& status, const Deadline& deadline);
  // Ends the sessions abandoned so far (those not started again meanwhile) without waiting.
  void endAbandoned(const std::shared_ptr<Transport>& transport, double timeoutSeconds);
  // With mutex_ held: the abandoned sessions, forgotten here.
  std::vector<int64_t> takeAbandonedLocked();
  // Sends a detached EndSession, counted in detached_.
  void sendEndDetached(const std::shared_ptr<Transport>& transport, int64_t sessionId,
                       double timeoutSeconds);
  // With mutex_ held: lets go of the transport; if detached calls are still on the wire, on a
  // thread of its own (its destructor waits for them, until their deadlines).
  void releaseTransportLocked();

  const std::string endpoint_;
  const Kind kind_;
  const ConnectionOpts opts_;

  mutable std::mutex mutex_;
  std::shared_ptr<Transport> transport_;  // null while closed
  std::unique_ptr<ChildProcess> process_;
  std::filesystem::path workingDir_;
  std::string url_;
  compiler_gym::GetSpacesReply spaces_;
  std::unordered_set<int64_t> sessions_;  // started here, not ended; forgotten on close
  std::atomic<bool> unresponsive_{false};
  // The budget of the attempt in progress (establish()'s: init_max_seconds and the deadline
  // of the call that connects), for attempt() to bound its waits by.
  Deadline attemptDeadline_;
  // Detached ends in flight and abandoned sessions, shared with the callbacks of detached
  // calls (which may complete after the connection has moved on to another transport).
  struct Detached;
  std::shared_ptr<Detached> detached_;
};

// Which kind of connection an endpoint names (see Connection).
Connection::Kind endpointKind(const std::string& endpoint);

}  // namespace cgym::client
