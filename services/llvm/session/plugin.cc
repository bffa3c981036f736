// SPDX-License-Identifier: MIT
// libcgym-llvm.so: the LLVM environment as a session plugin of libcgym, so that C, C++, Python,
// Rust and Java run it in their own process (cgym_service_register_plugin, then
// cgym_connect("inproc:NAME")). It implements cgym.h's session vtable around the same Session
// as the service binary, and holds no copy of the protocol's generated code: libcgym.so
// already registers compiler_gym_service.proto in protobuf's global pool, and a second
// registration aborts the process. The spaces it declares are the service binary's, serialized
// at build time (llvm_spaces_gen.cc), so both declare byte-identical spaces.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "cgym.h"
#include "features/features.h"
#include "llvm_spaces.inc"  // kActionSpaces, kObservationSpaces: serialized spaces
#include "session.h"

namespace cgym::llvm_env {
namespace {

// The process-wide state of a registered plugin service: a working directory for the files
// sessions write (BitcodeFile, builds, generated benchmarks), removed when libcgym releases
// the service data.
struct ServiceData {
  std::filesystem::path workingDirectory;
  ~ServiceData() {
    std::error_code ec;
    std::filesystem::remove_all(workingDirectory, ec);
  }
};

struct PluginSession {
  explicit PluginSession(const std::filesystem::path& dir) : session(dir) {}
  Session session;
  std::string reply;  // the last session parameter reply, alive until the next call
};

cgym_status_t fail(const Status& status) {
  return cgym_set_error(static_cast<cgym_status_t>(status.code()), status.message().c_str());
}

// No exception may cross the C ABI: every slot runs its body through this.
template <typename F>
cgym_status_t guarded(const char* slot, F&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return cgym_set_error(CGYM_INTERNAL, (std::string(slot) + ": " + e.what()).c_str());
  } catch (...) {
    return cgym_set_error(CGYM_INTERNAL, (std::string(slot) + ": unknown exception").c_str());
  }
}

cgym_status_t init(void* serviceData, const cgym_action_space_t* actionSpace,
                   const char* benchmarkUri, const void* program, size_t programLength,
                   void** out) {
  return guarded("init", [&] {
    auto* data = static_cast<ServiceData*>(serviceData);
    BenchmarkSpec spec;
    spec.uri = benchmarkUri;
    if (program) spec.program.emplace(static_cast<const char*>(program), programLength);
    auto session = std::make_unique<PluginSession>(data->workingDirectory);
    if (Status status = session->session.init(cgym_action_space_name(actionSpace), spec);
        !status.ok()) {
      return fail(status);
    }
    *out = session.release();
    return CGYM_OK;
  });
}

cgym_status_t fork(void* parent, void** out) {
  return guarded("fork", [&] {
    auto* from = static_cast<PluginSession*>(parent);
    auto session = std::make_unique<PluginSession>(from->session.workingDirectory());
    if (Status status = session->session.initFork(from->session); !status.ok()) {
      return fail(status);
    }
    *out = session.release();
    return CGYM_OK;
  });
}

cgym_status_t applyAction(void* session, const cgym_event_t* action, int*, int* actionHadNoEffect,
                          int32_t*) {
  return guarded("apply_action", [&] {
    int64_t index = 0;
    if (cgym_event_kind(action) != CGYM_EVENT_INT64 ||
        cgym_event_get_int64(action, &index) != CGYM_OK) {
      return cgym_set_error(CGYM_INVALID_ARGUMENT, "Action out of range: not an int64");
    }
    bool noEffect = false;
    if (Status status = static_cast<PluginSession*>(session)->session.applyAction(index, &noEffect);
        !status.ok()) {
      return fail(status);
    }
    *actionHadNoEffect = noEffect ? 1 : 0;
    return CGYM_OK;
  });
}

// An observation as an event, with the same kinds and shapes as the service binary's.
cgym_status_t toEvent(Observation& value, cgym_event_t* event) {
  using Kind = Observation::Kind;
  switch (value.kind) {
    case Kind::kString:
      return cgym_event_set_string(event, value.text.data(), value.text.size());
    case Kind::kBytes: {
      const uint64_t shape[] = {value.text.size()};
      return cgym_event_set_tensor(event, CGYM_EVENT_BYTE_TENSOR, shape, 1, value.text.data(),
                                   value.text.size());
    }
    case Kind::kInt64:
      return cgym_event_set_int64(event, value.int64);
    case Kind::kBool:
      return cgym_event_set_bool(event, value.boolean ? 1 : 0);
    case Kind::kInt64Vector: {
      const uint64_t shape[] = {value.int64s.size()};
      return cgym_event_set_tensor(event, CGYM_EVENT_INT64_TENSOR, shape, 1, value.int64s.data(),
                                   value.int64s.size());
    }
    case Kind::kDoubleVector: {
      const uint64_t shape[] = {value.doubles.size()};
      return cgym_event_set_tensor(event, CGYM_EVENT_DOUBLE_TENSOR, shape, 1, value.doubles.data(),
                                   value.doubles.size());
    }
    case Kind::kLexedIr:
      break;
  }
  // LexedIr: a dict of one int64 tensor and three string tensors.
  const LexedIr& lexed = *value.lexedIr;
  cgym_status_t status = cgym_event_set_dict(event);
  cgym_event_t* item = nullptr;
  if (status == CGYM_OK) status = cgym_event_new(&item);
  const uint64_t shape[] = {lexed.id.size()};
  auto add = [&](const char* key) {
    if (status == CGYM_OK) status = cgym_event_dict_set(event, key, std::strlen(key), item);
  };
  if (status == CGYM_OK) {
    status = cgym_event_set_tensor(item, CGYM_EVENT_INT64_TENSOR, shape, 1, lexed.id.data(),
                                   lexed.id.size());
  }
  add("token_id");
  for (auto [key, strings] :
       {std::pair{"token_kind", &lexed.kind}, std::pair{"token_category", &lexed.category},
        std::pair{"token_value", &lexed.value}}) {
    std::vector<const char*> data;
    std::vector<size_t> lengths;
    for (const std::string& s : *strings) {
      data.push_back(s.data());
      lengths.push_back(s.size());
    }
    if (status == CGYM_OK) {
      status =
          cgym_event_set_string_tensor(item, shape, 1, data.data(), lengths.data(), data.size());
    }
    add(key);
  }
  cgym_event_free(item);
  return status;
}

cgym_status_t getObservation(void* session, int32_t, const cgym_observation_space_t* space,
                             cgym_event_t* observation) {
  return guarded("get_observation", [&] {
    Observation value;
    if (Status status = static_cast<PluginSession*>(session)->session.observe(
            cgym_observation_space_name(space), &value);
        !status.ok()) {
      return fail(status);
    }
    return toEvent(value, observation);
  });
}

cgym_status_t handleSessionParameter(void* session, const char* key, const char* value,
                                     const char** reply) {
  return guarded("handle_session_parameter", [&] {
    auto* s = static_cast<PluginSession*>(session);
    std::optional<std::string> answer;
    if (Status status = s->session.handleParameter(key, value, &answer); !status.ok()) {
      return fail(status);
    }
    if (answer) {
      s->reply = std::move(*answer);
      *reply = s->reply.c_str();
    }
    return CGYM_OK;
  });
}

void destroy(void* session) { delete static_cast<PluginSession*>(session); }

const char* version(void*) {
  static const std::string text = compilerVersion();
  return text.c_str();
}

void freeServiceData(void* data) { delete static_cast<ServiceData*>(data); }

cgym_status_t makeDefinition(cgym_service_def_t** out) {
  // The sessions' files go in a directory of their own below $TMPDIR.
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "cgym-llvm-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    return cgym_set_error(CGYM_INTERNAL,
                          ("Failed to create a working directory under " + base.string()).c_str());
  }
  auto* data = new ServiceData{pattern};

  cgym_session_vtable_t vtable = {};
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = init;
  vtable.fork = fork;
  vtable.apply_action = applyAction;
  vtable.get_observation = getObservation;
  vtable.handle_session_parameter = handleSessionParameter;
  vtable.destroy = destroy;
  vtable.compiler_version = version;
  vtable.service_data_free = freeServiceData;
  cgym_service_def_t* def = nullptr;
  // From here on the definition owns `data` (released at once if this call fails).
  if (cgym_status_t status = cgym_service_def_new(&def, &vtable, data); status != CGYM_OK) {
    return status;
  }
  cgym_status_t status = CGYM_OK;
  for (const SerializedSpace& bytes : kActionSpaces) {
    cgym_action_space_t* space = nullptr;
    if (status == CGYM_OK) status = cgym_action_space_parse(&space, bytes.data, bytes.size);
    if (status == CGYM_OK) status = cgym_service_def_add_action_space(def, space);
    cgym_action_space_free(space);
  }
  for (const SerializedSpace& bytes : kObservationSpaces) {
    cgym_observation_space_t* space = nullptr;
    if (status == CGYM_OK) status = cgym_observation_space_parse(&space, bytes.data, bytes.size);
    if (status == CGYM_OK) status = cgym_service_def_add_observation_space(def, space);
    cgym_observation_space_free(space);
  }
  if (status != CGYM_OK) {
    cgym_service_def_free(def);
    return status;
  }
  *out = def;
  return CGYM_OK;
}

}  // namespace
}  // namespace cgym::llvm_env

// The plugin's entry point (CGYM_PLUGIN_ENTRY_NAME, cgym.h): a new definition of the LLVM service.
extern "C" __attribute__((visibility("default"))) cgym_status_t cgym_plugin_service_def(
    uint32_t abiVersion, cgym_service_def_t** out) {
  if (abiVersion != CGYM_ABI_VERSION) {
    return cgym_set_error(CGYM_FAILED_PRECONDITION,
                          ("libcgym-llvm was built for libcgym ABI " +
                           std::to_string(CGYM_ABI_VERSION) + ", not " + std::to_string(abiVersion))
                              .c_str());
  }
  if (!out) return cgym_set_error(CGYM_INVALID_ARGUMENT, "out is NULL");
  return cgym::llvm_env::guarded("cgym_plugin_service_def",
                                 [&] { return cgym::llvm_env::makeDefinition(out); });
}
static_assert(std::is_same_v<decltype(&cgym_plugin_service_def), cgym_plugin_entry_t>,
              "the entry point's type is cgym.h's cgym_plugin_entry_t");
