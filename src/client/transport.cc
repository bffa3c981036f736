// SPDX-License-Identifier: MIT
#include "client/transport.h"

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

GrpcTransport::~GrpcTransport() = default;

std::shared_ptr<grpc::Channel> GrpcTransport::makeChannel(const std::string& target) {
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

Status GrpcTransport::invoke(Rpc rpc, const google::protobuf::Message& request,
                             google::protobuf::Message* reply, double timeoutSeconds) {
  grpc::ClientContext context;
  context.set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::microseconds(static_cast<int64_t>(std::max(0.0, timeoutSeconds) * 1e6)));
  const grpc::Status status = dispatch(*stub_->stub, &context, rpc, request, reply);
  if (status.ok()) return Status::OK();
  return Status(static_cast<StatusCode>(status.error_code()), status.error_message());
}

Status InProcessTransport::invoke(Rpc rpc, const google::protobuf::Message& request,
                                  google::protobuf::Message* reply, double timeoutSeconds) {
  (void)timeoutSeconds;  // a call in this process runs to completion
  CoreAdapter adapter{*core_};
  return dispatch(adapter, nullptr, rpc, request, reply);
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
