// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include "client/connection_opts.h"
#include "client/inprocess_transport.h"  // the registry of "inproc:NAME" endpoints
#include "client/transport.h"
#include "common/status.h"
#include "compiler_gym_service.pb.h"

namespace cgym::client {

class ChildProcess;

// Per-call settings: CompilerGym's `__call__(..., timeout, max_retries, retry_wait_seconds,
// retry_wait_backoff_exponent)`. Unset retry settings take the connection's options.
struct CallOptions {
  double timeout = 300;
  std::optional<int> max_retries;
  std::optional<double> retry_wait_seconds;
  std::optional<double> retry_wait_backoff_exponent;
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
class Connection {
 public:
  enum class Kind { kManaged, kUnmanaged, kInProcess };

  // Connects, retrying as ConnectionOpts says, and fetches the service's spaces. Errors:
  // INVALID_ARGUMENT for an empty endpoint or options that ConnectionOpts::validate()
  // rejects; NOT_FOUND "File not found: <path>" for a managed
  // binary that does not exist; SERVICE_INIT when a managed service exits during start-up
  // (with its exit status and the tail of its log) or when the attempt budget runs out;
  // DEADLINE_EXCEEDED when the time budget runs out. The messages are CompilerGym's.
  static Status connect(const std::string& endpoint, const ConnectionOpts& opts,
                        std::shared_ptr<Connection>* out);
  ~Connection();

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One RPC. A closed connection is re-established first (a managed service is relaunched),
  // as in CompilerGym. UNAVAILABLE is retried with backoff; other errors map onto the codes
  // of CompilerGym's client (compiler_gym/service/connection.py). A timeout <= 0 fails at
  // once with DEADLINE_EXCEEDED, as in CompilerGym; +infinity is no deadline; NaN is
  // INVALID_ARGUMENT.
  Status call(Rpc rpc, const google::protobuf::Message& request, google::protobuf::Message* reply,
              const CallOptions& options = {});

  // Starts a Step without waiting for it (see Transport::startStep): its outcome arrives in
  // `call` on `queue`; pass it to finishStep(). False, with nothing started, when the call
  // cannot go out at once (a closed connection, a timeout that is NaN or not positive): make
  // it with call() instead, which deals with those cases.
  bool startStep(const compiler_gym::StepRequest& request, double timeout, AsyncCall* call,
                 AsyncQueue* queue);
  // The outcome of a Step started by startStep(), as call() would give it: a transport that
  // was unavailable is retried here, synchronously, as call() retries it (the step did not
  // reach the service), and errors are mapped as call() maps them.
  Status finishStep(const compiler_gym::StepRequest& request, AsyncCall* call, double timeout);

  // Ends a session without waiting for the reply (see Transport::endSessionDetached), for an
  // env whose end nobody waits on: failures are logged, as CompilerGym's client logs a failed
  // EndSession. Nothing is sent while the connection is closed (the session went with the
  // service). close() waits for these calls, and so does a StartSession or ForkSession that
  // the service refuses with RESOURCE_EXHAUSTED while any is in flight (it is then retried
  // once), so a session limit never sees sessions that are already ended.
  void endSessionDetached(int64_t sessionId, double timeoutSeconds);
  // Waits for the detached calls sent so far.
  void drainDetached();
  // Whether a session other than `sessionId`, started through this connection (StartSession
  // or ForkSession) and not ended, is open on the service. If so, its EndSession reply would
  // say remaining_sessions > 0 and the service stays up: the end need not be waited for.
  bool hasOtherSessions(int64_t sessionId) const;

  // The spaces fetched when the connection was (re-)established.
  const compiler_gym::GetSpacesReply& spaces() const { return spaces_; }

  bool closed() const;
  // Open, and for a managed service, its process still running.
  bool usable() const;
  // Closes the connection; a managed service gets SIGTERM, then SIGKILL after
  // local_service_exit_max_seconds, and its working directory is removed. A managed service
  // that exits with a non-zero code is reported once, as INTERNAL "Service exited with
  // returncode <rc>". Idempotent.
  Status close();
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
  Status establish();
  Status attempt();
  Status launchManaged();
  Status closeLocked();
  static Status mapError(const Status& status, double timeout);
  void track(Rpc rpc, const google::protobuf::Message& request,
             const google::protobuf::Message& reply);
  std::shared_ptr<Transport> transport();

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
};

// Which kind of connection an endpoint names (see Connection).
Connection::Kind endpointKind(const std::string& endpoint);

}  // namespace cgym::client
