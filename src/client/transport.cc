// SPDX-License-Identifier: MIT
#include "client/transport.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <mutex>

#include "client/rpc_dispatch.h"
#include "common/deadline.h"
#include "common/sanitizers.h"
#include "common/toolchain.h"
#include "compiler_gym_service.grpc.pb.h"

namespace cgym::client {

using namespace compiler_gym;

const char* rpcName(Rpc rpc) {
  switch (rpc) {
#define CGYM_RPC_NAME(Name) \
  case Rpc::k##Name:        \
    return #Name;
    CGYM_FOR_EACH_RPC(CGYM_RPC_NAME)
#undef CGYM_RPC_NAME
  }
  return "?";
}

class GrpcTransport::Stub {
 public:
  explicit Stub(const std::shared_ptr<grpc::Channel>& channel)
      : stub(CompilerGymService::NewStub(channel)) {}
  std::unique_ptr<CompilerGymService::Stub> stub;
};

GrpcTransport::GrpcTransport(std::shared_ptr<grpc::Channel> channel, const std::string& token)
    : channel_(std::move(channel)),
      authorization_(token.empty() ? "" : "Bearer " + token),
      stub_(std::make_unique<Stub>(channel_)) {}

void GrpcTransport::authorize(grpc::ClientContext* context) const {
  if (!authorization_.empty()) context->AddMetadata("authorization", authorization_);
}

GrpcTransport::~GrpcTransport() {
  drainDetached();
  if (detachedQueue_) {
    detachedQueue_->Shutdown();
    detachedThread_.join();
  }
}

namespace {

// CompilerGym's channel options (compiler_gym/service/connection.py), and gRPC initialized.
grpc::ChannelArguments channelArguments() {
  // gRPC initializes with its first object and shuts down with its last (threads, resolver,
  // timers): an agent that closes its only env and makes another, as with every managed
  // service, would pay both each time. One reference held for the life of the process keeps
  // it up.
  static const bool initialized = (grpc_init(), true);
  (void)initialized;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, 512 * 1024);
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  args.SetInt(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Each connection gets its own TCP connection, so that one service's traffic never queues
  // behind another's (gRPC shares subchannels between identical channels by default).
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return args;
}

// The contents of the PEM file `path` given as ConnectionOpts.`field`. Certificate files are
// small: more than 1 MiB (or a device that never ends) is refused rather than read.
Status readPem(const char* field, const std::string& path, std::string* out) {
  const std::string what = std::string("ConnectionOpts.") + field + " file '" + path + "'";
  std::string contents;
  const int error = readFileBounded(path, 1 << 20, &contents);
  if (error == EFBIG) {
    return Status(StatusCode::kInvalidArgument, "The " + what + " is larger than 1 MiB");
  }
  if (error != 0) {
    return Status(StatusCode::kInvalidArgument,
                  "Cannot read " + what + ": " + std::strerror(error));
  }
  if (contents.empty()) return Status(StatusCode::kInvalidArgument, "The " + what + " is empty");
  *out = std::move(contents);
  return Status::OK();
}

}  // namespace

std::shared_ptr<grpc::Channel> GrpcTransport::makeChannel(const std::string& target) {
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), channelArguments());
}

Status GrpcTransport::makeChannel(const std::string& target, const ConnectionOpts& opts,
                                  std::shared_ptr<grpc::Channel>* out) {
  if (!opts.usesTls()) {
    *out = makeChannel(target);
    return Status::OK();
  }
  grpc::SslCredentialsOptions ssl;  // empty roots: gRPC's default, the system's
  if (!opts.tls_root_certs.empty()) {
    CGYM_RETURN_IF_ERROR(readPem("tls_root_certs", opts.tls_root_certs, &ssl.pem_root_certs));
  }
  if (!opts.tls_client_cert.empty() || !opts.tls_client_key.empty()) {
    CGYM_RETURN_IF_ERROR(opts.validate());  // both or neither
    CGYM_RETURN_IF_ERROR(readPem("tls_client_cert", opts.tls_client_cert, &ssl.pem_cert_chain));
    CGYM_RETURN_IF_ERROR(readPem("tls_client_key", opts.tls_client_key, &ssl.pem_private_key));
  }
  grpc::ChannelArguments args = channelArguments();
  *out = grpc::CreateCustomChannel(target, grpc::SslCredentials(ssl), args);
  return Status::OK();
}

bool GrpcTransport::waitForReady(grpc::Channel& channel, double seconds) {
  return channel.WaitForConnected(deadlineAfter<std::chrono::system_clock>(seconds));
}

namespace {

Status fromGrpc(const grpc::Status& status) {
  if (status.ok()) return Status::OK();
  return Status(static_cast<StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

Status GrpcTransport::invoke(Rpc rpc, const google::protobuf::Message& request,
                             google::protobuf::Message* reply, double timeoutSeconds) {
  grpc::ClientContext context;
  context.set_deadline(deadlineAfter<std::chrono::system_clock>(timeoutSeconds));
  authorize(&context);
  return fromGrpc(dispatch(*stub_->stub, &context, rpc, request, reply));
}

// One EndSession in flight, owned by the completion thread once sent.
struct GrpcTransport::DetachedCall {
  grpc::ClientContext context;
  EndSessionReply reply;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<EndSessionReply>> reader;
  Done done;
};

// The classic async API with a completion queue and a thread of our own, not the callback
// API: gRPC 1.51's callback API may drop the channel's last reference on its own completion
// thread, which then joins itself and crashes (grpc/grpc#32584). Here the call is destroyed
// on our thread before the call is counted as done, and the channel only after the thread
// has been joined.
void GrpcTransport::completeDetached() {
  void* tag = nullptr;
  bool ok = false;
  for (;;) {
    bool more;
    {
      // gRPC hands the call over to this thread inside Next, by synchronisation TSan cannot
      // see (gRPC is not instrumented), and finishes it there with grpcpp's inline code:
      // TSan ignores those accesses and is told of the hand-over (acquire) below.
      tsan::IgnoreAccesses ignore;
      more = detachedQueue_->Next(&tag, &ok);
    }
    if (!more) break;
    tsan::acquire(tag);
    {
      std::unique_ptr<DetachedCall> call(static_cast<DetachedCall*>(tag));
      if (call->done) call->done(fromGrpc(call->status));
    }
    std::lock_guard<std::mutex> lock(detachedMutex_);
    if (--detached_ == 0) detachedDone_.notify_all();
  }
}

void GrpcTransport::endSessionDetached(int64_t sessionId, double timeoutSeconds, Done done) {
  auto call = std::make_unique<DetachedCall>();
  call->context.set_deadline(deadlineAfter<std::chrono::system_clock>(timeoutSeconds));
  authorize(&call->context);
  call->done = std::move(done);
  EndSessionRequest request;
  request.set_session_id(sessionId);
  {
    std::lock_guard<std::mutex> lock(detachedMutex_);
    if (!detachedQueue_) {
      detachedQueue_ = std::make_unique<grpc::CompletionQueue>();
      detachedThread_ = std::thread([this] { completeDetached(); });
    }
    ++detached_;
  }
  call->reader = stub_->stub->AsyncEndSession(&call->context, request, detachedQueue_.get());
  DetachedCall* raw = call.release();
  tsan::release(raw);  // the completion thread takes the call over (see completeDetached)
  raw->reader->Finish(&raw->reply, &raw->status, raw);
}

// --- Steps without waiting -------------------------------------------------------------------

struct AsyncCall::Grpc {
  grpc::ClientContext context;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<StepReply>> reader;
};

AsyncCall::AsyncCall() = default;
AsyncCall::~AsyncCall() = default;

AsyncQueue::AsyncQueue() : queue_(std::make_unique<grpc::CompletionQueue>()) {}

AsyncQueue::~AsyncQueue() {
  // A call on the wire writes into its AsyncCall when it completes: wait for each.
  while (onWire_ > 0) {
    AsyncCall* call = next(std::numeric_limits<double>::infinity());
    (void)call;  // owned by whoever started it; they learn nothing more of it
  }
  queue_->Shutdown();
  void* tag;
  bool ok;
  while (queue_->Next(&tag, &ok)) {
  }
}

AsyncCall* AsyncQueue::next(double timeoutSeconds) {
  if (!ready_.empty()) {
    AsyncCall* call = ready_.front();
    ready_.pop_front();
    return call;
  }
  if (onWire_ == 0) return nullptr;
  void* tag = nullptr;
  bool ok = false;
  grpc::CompletionQueue::NextStatus status;
  {
    // As in completeDetached(): gRPC finishes the call inside AsyncNext, unseen by TSan.
    tsan::IgnoreAccesses ignore;
    status = queue_->AsyncNext(&tag, &ok, deadlineAfter<std::chrono::system_clock>(timeoutSeconds));
  }
  if (status != grpc::CompletionQueue::GOT_EVENT) return nullptr;
  tsan::acquire(tag);
  --onWire_;
  auto* call = static_cast<AsyncCall*>(tag);
  call->status = fromGrpc(call->grpc_->status);
  call->grpc_.reset();
  call->transport_.reset();
  return call;
}

void Transport::startStep(const StepRequest& request, double timeoutSeconds,
                          std::shared_ptr<Transport> self, AsyncCall* call, AsyncQueue* queue) {
  (void)self;  // the call is over before this returns
  call->status = invoke(Rpc::kStep, request, &call->reply, timeoutSeconds);
  queue->post(call);
}

void GrpcTransport::startStep(const StepRequest& request, double timeoutSeconds,
                              std::shared_ptr<Transport> self, AsyncCall* call, AsyncQueue* queue) {
  call->transport_ = std::move(self);
  call->grpc_ = std::make_unique<AsyncCall::Grpc>();
  call->grpc_->context.set_deadline(deadlineAfter<std::chrono::system_clock>(timeoutSeconds));
  authorize(&call->grpc_->context);
  call->grpc_->reader = stub_->stub->AsyncStep(&call->grpc_->context, request, queue->queue_.get());
  ++queue->onWire_;
  tsan::release(call);  // taken over by the thread of AsyncQueue::next (see there)
  call->grpc_->reader->Finish(&call->reply, &call->grpc_->status, call);
}

bool GrpcTransport::detachedInFlight() {
  std::lock_guard<std::mutex> lock(detachedMutex_);
  return detached_ > 0;
}

void GrpcTransport::drainDetached() {
  std::unique_lock<std::mutex> lock(detachedMutex_);
  detachedDone_.wait(lock, [this] { return detached_ == 0; });
}

}  // namespace cgym::client
