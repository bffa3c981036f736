// SPDX-License-Identifier: MIT
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <string>

#include "common/status.h"
#include "service/service_core.h"

namespace grpc {
class Channel;
}

namespace cgym::client {

// The eight RPCs of the CompilerGym protocol.
enum class Rpc {
  kGetVersion,
  kGetSpaces,
  kStartSession,
  kForkSession,
  kEndSession,
  kStep,
  kAddBenchmark,
  kSendSessionParameter,
};
const char* rpcName(Rpc rpc);

// How one call reaches a service. A transport is thread-safe: calls may be made from any
// thread at once. Statuses are the service's (gRPC codes); mapping them onto the client's
// errors is the Connection's job.
class Transport {
 public:
  virtual ~Transport() = default;
  // `request` and `reply` must be the message types of `rpc`. A timeout <= 0 expires at once.
  virtual Status invoke(Rpc rpc, const google::protobuf::Message& request,
                        google::protobuf::Message* reply, double timeoutSeconds) = 0;
};

// gRPC over a channel.
class GrpcTransport final : public Transport {
 public:
  explicit GrpcTransport(std::shared_ptr<grpc::Channel> channel);
  ~GrpcTransport() override;
  Status invoke(Rpc rpc, const google::protobuf::Message& request, google::protobuf::Message* reply,
                double timeoutSeconds) override;

  // Makes a channel with CompilerGym's channel options (unlimited message sizes, no proxy).
  static std::shared_ptr<grpc::Channel> makeChannel(const std::string& target);
  // Waits up to `seconds` for the channel to connect.
  static bool waitForReady(grpc::Channel& channel, double seconds);

 private:
  class Stub;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Stub> stub_;
};

// Straight calls into a ServiceCore in this process: no RPC, no serialization. Timeouts do
// not apply (a call runs to completion).
class InProcessTransport final : public Transport {
 public:
  explicit InProcessTransport(std::shared_ptr<ServiceCore> core) : core_(std::move(core)) {}
  Status invoke(Rpc rpc, const google::protobuf::Message& request, google::protobuf::Message* reply,
                double timeoutSeconds) override;
  ServiceCore& core() { return *core_; }

 private:
  std::shared_ptr<ServiceCore> core_;
};

// In-process services are session types registered by name in this process; an endpoint
// "inproc:NAME" connects to one. Registering a name again replaces it.
void registerInProcessService(const std::string& name, SessionFactory factory);
// False if no service has this name.
bool unregisterInProcessService(const std::string& name);
// The factory registered under `name`, or nullptr.
SessionFactory findInProcessService(const std::string& name);

}  // namespace cgym::client
