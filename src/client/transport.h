// SPDX-License-Identifier: MIT
#pragma once

#include <google/protobuf/message.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/connection_opts.h"
#include "common/protocol.h"
#include "common/status.h"
#include "compiler_gym_service.pb.h"

namespace grpc {
class Channel;
class ClientContext;
class CompletionQueue;
}  // namespace grpc

namespace cgym::client {

// The RPCs of the CompilerGym protocol: kGetVersion, kGetSpaces, ... (common/protocol.h).
enum class Rpc {
#define CGYM_RPC_ENUMERATOR(Name) k##Name,
  CGYM_FOR_EACH_RPC(CGYM_RPC_ENUMERATOR)
#undef CGYM_RPC_ENUMERATOR
};
const char* rpcName(Rpc rpc);

class Transport;

// One Step sent without waiting for its reply (Transport::startStep). The transport fills
// `reply` and `status`, then hands the call to the AsyncQueue it was started on. `owner` is the
// starter's, for finding its own state again.
class AsyncCall {
 public:
  AsyncCall();
  ~AsyncCall();
  AsyncCall(const AsyncCall&) = delete;
  AsyncCall& operator=(const AsyncCall&) = delete;

  compiler_gym::StepReply reply;
  Status status;
  void* owner = nullptr;

 private:
  friend class GrpcTransport;
  friend class AsyncQueue;
  struct Grpc;  // gRPC's state of the call, while it is on the wire
  std::unique_ptr<Grpc> grpc_;
  // Keeps the channel alive while the call is on the wire, whatever happens to its connection.
  std::shared_ptr<Transport> transport_;
};

// Where calls started with Transport::startStep complete. Used by one thread at a time; many
// calls, on many transports, complete on one queue, so that one thread keeps them all busy.
class AsyncQueue {
 public:
  AsyncQueue();
  // Waits for the calls still on the wire (they are not handed out).
  ~AsyncQueue();
  AsyncQueue(const AsyncQueue&) = delete;
  AsyncQueue& operator=(const AsyncQueue&) = delete;

  // The next completed call, waiting up to `timeoutSeconds` (see Transport::invoke); nullptr if
  // none completed in time.
  AsyncCall* next(double timeoutSeconds);
  // Hands over a call that completed on the calling thread.
  void post(AsyncCall* call) { ready_.push_back(call); }
  // Calls started and not yet handed out by next().
  size_t size() const { return ready_.size() + onWire_; }

 private:
  friend class GrpcTransport;
  std::unique_ptr<grpc::CompletionQueue> queue_;
  std::deque<AsyncCall*> ready_;
  size_t onWire_ = 0;
};

// How one call reaches a service. A transport is thread-safe: calls may be made from any
// thread at once. Statuses are the service's (gRPC codes); mapping them onto the client's
// errors is the Connection's job.
class Transport {
 public:
  virtual ~Transport() = default;
  // `request` and `reply` must be the message types of `rpc`. A timeout <= 0 expires at once;
  // +infinity (or one too large for the clock) is no deadline.
  virtual Status invoke(Rpc rpc, const google::protobuf::Message& request,
                        google::protobuf::Message* reply, double timeoutSeconds) = 0;

  // Sends an EndSession without waiting for its reply: `done` gets the outcome later, on
  // another thread (gRPC's), or before this returns. Ending a session the caller no longer
  // needs is then off the caller's critical path: a fork is freed, or a reset starts the next
  // session, in one round trip instead of two.
  using Done = std::function<void(const Status& status)>;
  virtual void endSessionDetached(int64_t sessionId, double timeoutSeconds, Done done) = 0;
  // Whether a detached call has been sent and has not completed yet.
  virtual bool detachedInFlight() { return false; }
  // Waits until every detached call has completed.
  virtual void drainDetached() {}

  // Starts a Step whose outcome `call` receives on `queue` (see AsyncQueue); `self` is this
  // transport, which the call keeps alive. This default makes the call here, on the calling
  // thread, and posts it done: right for a service in this process, whose calls cost less than
  // handing them to another thread would.
  virtual void startStep(const compiler_gym::StepRequest& request, double timeoutSeconds,
                         std::shared_ptr<Transport> self, AsyncCall* call, AsyncQueue* queue);
};

// gRPC over a channel. With a token, every call carries the metadata
// "authorization: Bearer <token>", which a service started with a token requires.
class GrpcTransport final : public Transport {
 public:
  explicit GrpcTransport(std::shared_ptr<grpc::Channel> channel, const std::string& token = "");
  ~GrpcTransport() override;
  Status invoke(Rpc rpc, const google::protobuf::Message& request, google::protobuf::Message* reply,
                double timeoutSeconds) override;
  void endSessionDetached(int64_t sessionId, double timeoutSeconds, Done done) override;
  bool detachedInFlight() override;
  void drainDetached() override;
  // Sends the Step at once; its reply arrives on the queue's completion queue.
  void startStep(const compiler_gym::StepRequest& request, double timeoutSeconds,
                 std::shared_ptr<Transport> self, AsyncCall* call, AsyncQueue* queue) override;

  // Makes a channel with CompilerGym's channel options (unlimited message sizes, no proxy),
  // without TLS: for a managed service, on its private Unix socket.
  static std::shared_ptr<grpc::Channel> makeChannel(const std::string& target);
  // The same for an unmanaged service: over TLS when `opts.usesTls()` (the server verified
  // against opts.tls_root_certs, or the system's roots; opts.tls_client_cert/_key presented
  // if given), else without. The PEM files are read now: INVALID_ARGUMENT naming a file that
  // cannot be read or is empty.
  static Status makeChannel(const std::string& target, const ConnectionOpts& opts,
                            std::shared_ptr<grpc::Channel>* out);
  // Waits up to `seconds` for the channel to connect.
  static bool waitForReady(grpc::Channel& channel, double seconds);

 private:
  class Stub;
  // Adds the authorization metadata, if any, to a call's context.
  void authorize(grpc::ClientContext* context) const;
  std::shared_ptr<grpc::Channel> channel_;
  std::string authorization_;  // "Bearer <token>", or empty
  std::unique_ptr<Stub> stub_;
  struct DetachedCall;
  void completeDetached();
  std::mutex detachedMutex_;
  std::condition_variable detachedDone_;
  int detached_ = 0;  // detached calls in flight; the destructor waits for them
  // Made with the first detached call: where their replies arrive, and the thread that
  // takes them.
  std::unique_ptr<grpc::CompletionQueue> detachedQueue_;
  std::thread detachedThread_;
};

}  // namespace cgym::client
