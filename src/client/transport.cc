// SPDX-License-Identifier: MIT
#include "client/transport.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "compiler_gym_service.grpc.pb.h"

namespace cgym::client {

using namespace compiler_gym;

const char* rpcName(Rpc rpc) {
  switch (rpc) {
    case Rpc::kGetVersion:
      return "GetVersion";
    case Rpc::kGetSpaces:
      return "GetSpaces";
    case Rpc::kStartSession:
      return "StartSession";
    case Rpc::kForkSession:
      return "ForkSession";
    case Rpc::kEndSession:
      return "EndSession";
    case Rpc::kStep:
      return "Step";
    case Rpc::kAddBenchmark:
      return "AddBenchmark";
    case Rpc::kSendSessionParameter:
      return "SendSessionParameter";
  }
  return "?";
}

namespace {

// Dispatches `rpc` to `target`'s method of that name with the concrete message types. One
// switch serves both transports, so the two cannot drift apart.
template <typename Target, typename Context>
auto dispatch(Target& target, Context context, Rpc rpc, const google::protobuf::Message& request,
              google::protobuf::Message* reply) {
#define CGYM_DISPATCH(Name)                                                 \
  case Rpc::k##Name:                                                        \
    return target.Name(context, static_cast<const Name##Request&>(request), \
                       static_cast<Name##Reply*>(reply));
  switch (rpc) {
    CGYM_DISPATCH(GetVersion)
    CGYM_DISPATCH(GetSpaces)
    CGYM_DISPATCH(StartSession)
    CGYM_DISPATCH(ForkSession)
    CGYM_DISPATCH(EndSession)
    CGYM_DISPATCH(Step)
    CGYM_DISPATCH(AddBenchmark)
    CGYM_DISPATCH(SendSessionParameter)
  }
#undef CGYM_DISPATCH
  return target.GetVersion(context, static_cast<const GetVersionRequest&>(request),
                           static_cast<GetVersionReply*>(reply));
}

// ServiceCore's methods take no context; this adapter gives them the stub's signature.
struct CoreAdapter {
  ServiceCore& core;
#define CGYM_ADAPT(Name)                                                          \
  Status Name(std::nullptr_t, const Name##Request& request, Name##Reply* reply) { \
    return core.Name(request, reply);                                             \
  }
  CGYM_ADAPT(GetVersion)
  CGYM_ADAPT(GetSpaces)
  CGYM_ADAPT(StartSession)
  CGYM_ADAPT(ForkSession)
  CGYM_ADAPT(EndSession)
  CGYM_ADAPT(Step)
  CGYM_ADAPT(AddBenchmark)
  CGYM_ADAPT(SendSessionParameter)
#undef CGYM_ADAPT
};

}  // namespace

class GrpcTransport::Stub {
 public:
  explicit Stub(const std::shared_ptr<grpc::Channel>& channel)
      : stub(CompilerGymService::NewStub(channel)) {}
  std::unique_ptr<CompilerGymService::Stub> stub;
};

GrpcTransport::GrpcTransport(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)), stub_(std::make_unique<Stub>(channel_)) {}

GrpcTransport::~GrpcTransport() {
  drainDetached();
  if (detachedQueue_) {
    detachedQueue_->Shutdown();
    detachedThread_.join();
  }
}

std::shared_ptr<grpc::Channel> GrpcTransport::makeChannel(const std::string& target) {
  // gRPC initializes with its first object and shuts down with its last (threads, resolver,
  // timers): an agent that closes its only env and makes another, as with every managed
  // service, would pay both each time. One reference held for the life of the process keeps
  // it up.
  static const bool initialized = (grpc_init(), true);
  (void)initialized;
  grpc::ChannelArguments args;
  // CompilerGym's client channel options (reference 4.1).
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, 512 * 1024);
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  args.SetInt(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Each connection gets its own TCP connection, so that one service's traffic never queues
  // behind another's (gRPC shares subchannels between identical channels by default).
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

bool GrpcTransport::waitForReady(grpc::Channel& channel, double seconds) {
  const auto deadline =
      std::chrono::system_clock::now() +
      std::chrono::microseconds(static_cast<int64_t>(std::max(0.0, seconds) * 1e6));
  return channel.WaitForConnected(deadline);
}

namespace {

std::chrono::system_clock::time_point deadlineAfter(double seconds) {
  return std::chrono::system_clock::now() +
         std::chrono::microseconds(static_cast<int64_t>(std::max(0.0, seconds) * 1e6));
}

Status fromGrpc(const grpc::Status& status) {
  if (status.ok()) return Status::OK();
  return Status(static_cast<StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

Status GrpcTransport::invoke(Rpc rpc, const google::protobuf::Message& request,
                             google::protobuf::Message* reply, double timeoutSeconds) {
  grpc::ClientContext context;
  context.set_deadline(deadlineAfter(timeoutSeconds));
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
  while (detachedQueue_->Next(&tag, &ok)) {
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
  call->context.set_deadline(deadlineAfter(timeoutSeconds));
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
  raw->reader->Finish(&raw->reply, &raw->status, raw);
}

bool GrpcTransport::detachedInFlight() {
  std::lock_guard<std::mutex> lock(detachedMutex_);
  return detached_ > 0;
}

void GrpcTransport::drainDetached() {
  std::unique_lock<std::mutex> lock(detachedMutex_);
  detachedDone_.wait(lock, [this] { return detached_ == 0; });
}

Status InProcessTransport::invoke(Rpc rpc, const google::protobuf::Message& request,
                                  google::protobuf::Message* reply, double timeoutSeconds) {
  (void)timeoutSeconds;  // a call in this process runs to completion
  CoreAdapter adapter{*core_};
  return dispatch(adapter, nullptr, rpc, request, reply);
}

void InProcessTransport::endSessionDetached(int64_t sessionId, double timeoutSeconds, Done done) {
  EndSessionRequest request;
  request.set_session_id(sessionId);
  EndSessionReply reply;
  const Status status = invoke(Rpc::kEndSession, request, &reply, timeoutSeconds);
  if (done) done(status);
}

namespace {

std::mutex registryMutex;
std::unordered_map<std::string, SessionFactory>& registry() {
  static auto* services = new std::unordered_map<std::string, SessionFactory>();
  return *services;
}

}  // namespace

void registerInProcessService(const std::string& name, SessionFactory factory) {
  std::lock_guard<std::mutex> lock(registryMutex);
  registry()[name] = std::move(factory);
}

bool unregisterInProcessService(const std::string& name) {
  std::lock_guard<std::mutex> lock(registryMutex);
  return registry().erase(name) != 0;
}

SessionFactory findInProcessService(const std::string& name) {
  std::lock_guard<std::mutex> lock(registryMutex);
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second;
}

}  // namespace cgym::client
