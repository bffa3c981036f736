// SPDX-License-Identifier: MIT
// Services written in C: a service definition (a session vtable, spaces, service data) and the
// adapter that turns it into a cgym::CompilationSession, so that a C session runs on the same
// runtime as a C++ one, as a service process (cgym_service_run) or in-process
// (cgym_service_register).
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "capi/capi_internal.h"
#include "client/inprocess_transport.h"
#include "common/text.h"
#include "service/compilation_session.h"
#include "service/service_main.h"

// The session vtable's layout is part of the ABI: it only ever grows at its end.
static_assert(offsetof(cgym_session_vtable_t, version) == 0, "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, init) == sizeof(void*), "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, fork) == 2 * sizeof(void*), "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, apply_action) == 3 * sizeof(void*), "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, get_observation) == 4 * sizeof(void*),
              "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, end_of_step) == 5 * sizeof(void*), "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, handle_session_parameter) == 6 * sizeof(void*),
              "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, destroy) == 7 * sizeof(void*), "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, compiler_version) == 8 * sizeof(void*),
              "vtable layout");
static_assert(offsetof(cgym_session_vtable_t, service_data_free) == 9 * sizeof(void*),
              "vtable layout");
static_assert(sizeof(cgym_session_vtable_t) == 10 * sizeof(void*), "vtable layout");
static_assert(CGYM_SESSION_VTABLE_VERSION == 2,
              "a new vtable version needs its size in vtableSizeForVersion()");

namespace cgym::capi {
// The service data, released by the vtable's service_data_free (if any) when the last
// definition, frozen copy or session that shares it is gone.
struct ServiceData {
  ServiceData(void* data, void (*release)(void*)) : data(data), release(release) {}
  ServiceData(const ServiceData&) = delete;
  ServiceData& operator=(const ServiceData&) = delete;
  ~ServiceData() {
    if (release) release(data);
  }
  void* const data;
  void (*const release)(void*);
};
}  // namespace cgym::capi

// The definition as the C caller builds it. Mutable until it is given to cgym_service_run()
// or cgym_service_register(), which freeze a copy.
struct cgym_service_def {
  cgym_session_vtable_t vtable;
  std::shared_ptr<cgym::capi::ServiceData> serviceData;
  std::vector<compiler_gym::ActionSpace> actionSpaces;
  std::vector<compiler_gym::ObservationSpace> observationSpaces;
};

namespace cgym::capi {
namespace {

namespace fs = std::filesystem;
using compiler_gym::ActionSpace;
using compiler_gym::Benchmark;
using compiler_gym::Event;
using compiler_gym::File;
using compiler_gym::ObservationSpace;

// The number of bytes of the vtable struct a caller of `version` gives us.
size_t vtableSizeForVersion(uint32_t version) {
  switch (version) {
    case 1:
      return offsetof(cgym_session_vtable_t, service_data_free);
    case 2:
      return sizeof(cgym_session_vtable_t);
    default:
      return 0;
  }
}

// An immutable copy of a definition, shared by the service's sessions.
struct FrozenDefinition {
  explicit FrozenDefinition(const cgym_service_def& def)
      : vtable(def.vtable),
        serviceDataOwner(def.serviceData),
        actionSpaces(def.actionSpaces),
        observationSpaces(def.observationSpaces) {
    // ServiceCore hands sessions its copies of the observation spaces; the slot is given the
    // space's index in the definition, found by name (the first space of a name wins).
    for (size_t i = 0; i < observationSpaces.size(); ++i) {
      observationIndex.emplace(observationSpaces[i].name(), static_cast<int32_t>(i));
    }
  }

  const cgym_session_vtable_t vtable;
  const std::shared_ptr<ServiceData> serviceDataOwner;
  void* const serviceData = serviceDataOwner->data;
  const std::vector<ActionSpace> actionSpaces;
  const std::vector<ObservationSpace> observationSpaces;
  std::unordered_map<std::string, int32_t> observationIndex;
};

// The Status of a slot's result, as the client will see it: callbackStatus() gives the code and
// message (as for a C reward); the C ABI's own codes (100 and up) and unknown codes are not gRPC
// codes, so they reach the client as INTERNAL, with the message kept.
Status slotStatus(const char* slot, cgym_status_t code) {
  Status status = callbackStatus(code, slot);
  if (status.ok() || (code >= CGYM_CANCELLED && code <= CGYM_UNAUTHENTICATED)) return status;
  return Status(StatusCode::kInternal, status.message());
}

// A C session seen as a CompilationSession: each method calls its vtable slot.
class CSession final : public CompilationSession {
 public:
  CSession(std::shared_ptr<const FrozenDefinition> def, fs::path workingDirectory)
      : CompilationSession(std::move(workingDirectory)), def_(std::move(def)) {}

  ~CSession() override {
    // Every session a successful init or fork made is destroyed exactly once. A session that
    // was never started (ServiceCore's probe, or a failed init) has nothing to destroy.
    if (live_) def_->vtable.destroy(session_);
  }

  std::string getCompilerVersion() const override {
    if (!def_->vtable.compiler_version) return "";
    const char* version = def_->vtable.compiler_version(def_->serviceData);
    clearError();
    return version ? std::string(version) : std::string();
  }

  std::vector<ActionSpace> getActionSpaces() const override { return def_->actionSpaces; }

  std::vector<ObservationSpace> getObservationSpaces() const override {
    return def_->observationSpaces;
  }

  Status init(const ActionSpace& actionSpace, const Benchmark& benchmark) override {
    const void* program = nullptr;
    size_t programLength = 0;
    if (benchmark.has_program() && benchmark.program().data_case() == File::kContents) {
      program = benchmark.program().contents().data();
      programLength = benchmark.program().contents().size();
    }
    void* session = nullptr;
    clearError();
    const cgym_status_t code =
        def_->vtable.init(def_->serviceData, wrap(&actionSpace), benchmark.uri().c_str(), program,
                          programLength, &session);
    CGYM_RETURN_IF_ERROR(slotStatus("init", code));
    session_ = session;
    live_ = true;
    return Status::OK();
  }

  // ServiceCore makes this session with the factory, then calls init(other) with the session
  // to copy: the new C session comes from the other's fork slot.
  Status init(CompilationSession* other) override {
    if (!def_->vtable.fork) {
      // CompilerGym's message, so clients that match on it keep working.
      return Status(StatusCode::kUnimplemented, "CompilationSession::init() not implemented");
    }
    auto* parent = dynamic_cast<CSession*>(other);
    if (!parent || !parent->live_) {
      return Status(StatusCode::kInternal, "fork: the session to copy is not a started C session");
    }
    void* session = nullptr;
    clearError();
    const cgym_status_t code = def_->vtable.fork(parent->session_, &session);
    CGYM_RETURN_IF_ERROR(slotStatus("fork", code));
    session_ = session;
    live_ = true;
    return Status::OK();
  }

  Status applyAction(const Event& action, bool& endOfEpisode,
                     std::optional<ActionSpace>& newActionSpace, bool& actionHadNoEffect) override {
    int end = 0;
    int noEffect = 0;
    int32_t newSpace = -1;
    clearError();
    const cgym_status_t code =
        def_->vtable.apply_action(session_, wrap(&action), &end, &noEffect, &newSpace);
    CGYM_RETURN_IF_ERROR(slotStatus("apply_action", code));
    CGYM_RETURN_IF_ERROR(actionSpaceAt("apply_action", newSpace, newActionSpace));
    if (end) endOfEpisode = true;
    if (noEffect) actionHadNoEffect = true;
    return Status::OK();
  }

  Status computeObservation(const ObservationSpace& observationSpace, Event& observation) override {
    auto it = def_->observationIndex.find(observationSpace.name());
    if (it == def_->observationIndex.end()) {
      return Status(StatusCode::kInternal,
                    "Unknown observation space: " + quoteInput(observationSpace.name()));
    }
    const int32_t index = it->second;
    clearError();
    const cgym_status_t code = def_->vtable.get_observation(
        session_, index, wrap(&def_->observationSpaces[index]), wrap(&observation));
    return slotStatus("get_observation", code);
  }

  Status endOfStep(bool actionHadNoEffect, bool& endOfEpisode,
                   std::optional<ActionSpace>& newActionSpace) override {
    if (!def_->vtable.end_of_step) return Status::OK();
    int end = endOfEpisode ? 1 : 0;
    int32_t newSpace = -1;
    clearError();
    const cgym_status_t code =
        def_->vtable.end_of_step(session_, actionHadNoEffect ? 1 : 0, &end, &newSpace);
    CGYM_RETURN_IF_ERROR(slotStatus("end_of_step", code));
    CGYM_RETURN_IF_ERROR(actionSpaceAt("end_of_step", newSpace, newActionSpace));
    endOfEpisode = end != 0;
    return Status::OK();
  }

  Status handleSessionParameter(const std::string& key, const std::string& value,
                                std::optional<std::string>& reply) override {
    if (!def_->vtable.handle_session_parameter) return Status::OK();
    const char* answer = nullptr;
    clearError();
    const cgym_status_t code =
        def_->vtable.handle_session_parameter(session_, key.c_str(), value.c_str(), &answer);
    CGYM_RETURN_IF_ERROR(slotStatus("handle_session_parameter", code));
    if (answer) reply = std::string(answer);
    return Status::OK();
  }

 private:
  // A slot's new_action_space: -1 keeps the action space, an index changes it.
  Status actionSpaceAt(const char* slot, int32_t index, std::optional<ActionSpace>& out) const {
    if (index == -1) return Status::OK();
    if (index < 0 || static_cast<size_t>(index) >= def_->actionSpaces.size()) {
      return Status(StatusCode::kInvalidArgument,
                    std::string(slot) + " set new_action_space to " + std::to_string(index) +
                        ", but the service has " + std::to_string(def_->actionSpaces.size()) +
                        " action space" + (def_->actionSpaces.size() == 1 ? "" : "s"));
    }
    out = def_->actionSpaces[index];
    return Status::OK();
  }

  const std::shared_ptr<const FrozenDefinition> def_;
  void* session_ = nullptr;
  // True once init or fork made a session, which the destructor destroys.
  bool live_ = false;
};

// Checks that a definition can make a service, and freezes a copy of it.
Status freeze(const cgym_service_def* def, std::shared_ptr<const FrozenDefinition>* out) {
  if (def->actionSpaces.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "The service definition has no action space: add one with "
                  "cgym_service_def_add_action_space()");
  }
  if (def->observationSpaces.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "The service definition has no observation space: add one with "
                  "cgym_service_def_add_observation_space()");
  }
  // Names identify spaces on the wire: a second space of a name could never be reached.
  const auto unique = [](const auto& spaces, const char* kind) -> Status {
    std::set<std::string> seen;
    for (const auto& space : spaces) {
      if (!seen.insert(space.name()).second) {
        return Status(StatusCode::kInvalidArgument, std::string("The service definition has two ") +
                                                        kind + " spaces named '" +
                                                        quoteInput(space.name()) + "'");
      }
    }
    return Status::OK();
  };
  CGYM_RETURN_IF_ERROR(unique(def->actionSpaces, "action"));
  CGYM_RETURN_IF_ERROR(unique(def->observationSpaces, "observation"));
  *out = std::make_shared<const FrozenDefinition>(*def);
  return Status::OK();
}

SessionFactory factoryOf(std::shared_ptr<const FrozenDefinition> def) {
  return [def = std::move(def)](const fs::path& workingDirectory) {
    return std::make_unique<CSession>(def, workingDirectory);
  };
}

}  // namespace
}  // namespace cgym::capi

using namespace cgym::capi;
using cgym::Status;
using cgym::StatusCode;

extern "C" {

cgym_status_t cgym_service_def_new(cgym_service_def_t** out, const cgym_session_vtable_t* vtable,
                                   void* service_data) {
  bool owned = false;
  const cgym_status_t status = guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    CGYM_CHECK_ARG(vtable);
    if (vtable->version == 0) {
      return Status(StatusCode::kInvalidArgument, "The session vtable's version must not be 0");
    }
    const size_t size = vtableSizeForVersion(vtable->version);
    if (size == 0) {
      return Status(StatusCode::kInvalidArgument,
                    "The session vtable's version " + std::to_string(vtable->version) +
                        " is newer than this library's (" +
                        std::to_string(CGYM_SESSION_VTABLE_VERSION) + ")");
    }
    auto def = std::make_unique<cgym_service_def>();
    std::memset(&def->vtable, 0, sizeof(def->vtable));
    std::memcpy(&def->vtable, vtable, size);
    const std::pair<const char*, bool> required[] = {
        {"init", def->vtable.init != nullptr},
        {"apply_action", def->vtable.apply_action != nullptr},
        {"get_observation", def->vtable.get_observation != nullptr},
        {"destroy", def->vtable.destroy != nullptr},
    };
    for (const auto& [slot, present] : required) {
      if (!present) {
        return Status(StatusCode::kInvalidArgument,
                      std::string("The session vtable's required slot ") + slot + " is NULL");
      }
    }
    def->serviceData = std::make_shared<ServiceData>(service_data, def->vtable.service_data_free);
    owned = true;
    *out = def.release();
    return Status::OK();
  });
  // The def owns service_data from the call on: a failed call releases it at once.
  if (!owned && vtable && vtableSizeForVersion(vtable->version) > 0 && vtable->version >= 2 &&
      vtable->service_data_free) {
    vtable->service_data_free(service_data);
  }
  return status;
}

void cgym_service_def_free(cgym_service_def_t* def) { delete def; }

cgym_status_t cgym_service_def_add_action_space(cgym_service_def_t* def,
                                                const cgym_action_space_t* space) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(def);
    CGYM_CHECK_ARG(space);
    def->actionSpaces.push_back(*unwrap(space));
    return Status::OK();
  });
}

cgym_status_t cgym_service_def_add_observation_space(cgym_service_def_t* def,
                                                     const cgym_observation_space_t* space) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(def);
    CGYM_CHECK_ARG(space);
    def->observationSpaces.push_back(*unwrap(space));
    return Status::OK();
  });
}

int cgym_service_run(const cgym_service_def_t* def, int argc, const char* const* argv) {
  int exitCode = 1;
  const cgym_status_t status = guard([&]() -> Status {
    CGYM_CHECK_ARG(def);
    std::shared_ptr<const FrozenDefinition> frozen;
    CGYM_RETURN_IF_ERROR(freeze(def, &frozen));
    static const char* const kDefaultArgv[] = {"cgym-service", nullptr};
    if (argc < 1 || argv == nullptr) {
      argc = 1;
      argv = kDefaultArgv;
    }
    exitCode = cgym::runtime::runService(factoryOf(std::move(frozen)), argc, argv,
                                         "A CompilerGym service (libcgym, C session).");
    return Status::OK();
  });
  if (status != CGYM_OK) {
    // As the runtime reports its own start-up errors: on stderr, with the exit code 1.
    try {
      std::cerr << "ERROR: cgym_service_run: " << cgym_last_error_message() << std::endl;
    } catch (...) {
    }
    return 1;
  }
  return exitCode;
}

cgym_status_t cgym_service_register(const char* name, const cgym_service_def_t* def) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(name);
    CGYM_CHECK_ARG(def);
    if (*name == '\0') {
      return Status(StatusCode::kInvalidArgument, "The service name must not be empty");
    }
    std::shared_ptr<const FrozenDefinition> frozen;
    CGYM_RETURN_IF_ERROR(freeze(def, &frozen));
    cgym::client::registerInProcessService(name, factoryOf(std::move(frozen)));
    return Status::OK();
  });
}

void cgym_service_stop(void) { cgym::runtime::requestStop(); }

cgym_status_t cgym_service_unregister(const char* name) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(name);
    if (!cgym::client::unregisterInProcessService(name)) {
      return Status(StatusCode::kNotFound, std::string("No in-process service is registered as '") +
                                               cgym::quoteInput(name) + "'");
    }
    return Status::OK();
  });
}

}  // extern "C"
