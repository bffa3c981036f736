// SPDX-License-Identifier: MIT
// The one file of src/client that includes src/service (scripts/check-layers.sh).
#include "client/inprocess_transport.h"

#include <exception>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "client/rpc_dispatch.h"
#include "service/service_core.h"

namespace cgym::client {

using namespace compiler_gym;

namespace {

// ServiceCore's methods take no context; this adapter gives them the stub's signature.
struct CoreAdapter {
  ServiceCore& core;
#define CGYM_ADAPT(Name)                                                          \
  Status Name(std::nullptr_t, const Name##Request& request, Name##Reply* reply) { \
    return core.Name(request, reply);                                             \
  }
  CGYM_FOR_EACH_RPC(CGYM_ADAPT)
#undef CGYM_ADAPT
};

// Straight calls into a ServiceCore in this process: no RPC, no serialization. Timeouts do
// not apply (a call runs to completion).
class InProcessTransport final : public Transport {
 public:
  explicit InProcessTransport(std::unique_ptr<ServiceCore> core) : core_(std::move(core)) {}

  Status invoke(Rpc rpc, const google::protobuf::Message& request, google::protobuf::Message* reply,
                double timeoutSeconds) override {
    (void)timeoutSeconds;  // a call in this process runs to completion
    CoreAdapter adapter{*core_};
    return dispatch(adapter, nullptr, rpc, request, reply);
  }

  // A call in this process costs about as much as sending one: this ends the session at once.
  void endSessionDetached(int64_t sessionId, double timeoutSeconds, Done done) override {
    EndSessionRequest request;
    request.set_session_id(sessionId);
    EndSessionReply reply;
    const Status status = invoke(Rpc::kEndSession, request, &reply, timeoutSeconds);
    if (done) done(status);
  }

 private:
  std::unique_ptr<ServiceCore> core_;
};

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

Status makeInProcessTransport(SessionFactory factory, const std::filesystem::path& workingDirectory,
                              std::shared_ptr<Transport>* out) {
  ServiceCoreOptions options;
  options.workingDirectory = workingDirectory;
  try {
    *out = std::make_shared<InProcessTransport>(
        std::make_unique<ServiceCore>(std::move(factory), options));
  } catch (const std::invalid_argument& e) {
    // A bad session definition (duplicate space names): no retry can cure it.
    return Status(StatusCode::kInvalidArgument,
                  std::string("Failed to create the service: ") + e.what());
  } catch (const std::exception& e) {
    return Status(StatusCode::kServiceInit,
                  std::string("Failed to create the service: ") + e.what());
  }
  return Status::OK();
}

}  // namespace cgym::client
