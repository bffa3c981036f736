// SPDX-License-Identifier: MIT
// Session plugins: a service definition that comes from a shared library of its own, loaded
// with dlopen and registered in-process (cgym_service_register_plugin).
#include <dlfcn.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "capi/capi_internal.h"
#include "common/text.h"

using namespace cgym::capi;
using cgym::Status;
using cgym::StatusCode;

namespace {

struct DefDeleter {
  void operator()(cgym_service_def_t* def) const { cgym_service_def_free(def); }
};

// dlerror()'s message for the last failure of this thread, or a fallback.
std::string loaderError() {
  const char* message = dlerror();
  return message ? std::string(message) : std::string("unknown error of the dynamic loader");
}

}  // namespace

namespace cgym::capi {

Status registerPlugin(const char* name, const char* path) {
  CGYM_CHECK_ARG(name);
  CGYM_CHECK_ARG(path);
  if (*name == '\0') {
    return Status(StatusCode::kInvalidArgument, "The service name must not be empty");
  }
  if (*path == '\0') {
    return Status(StatusCode::kInvalidArgument, "The plugin path must not be empty");
  }
  const std::string shownPath = cgym::truncateForMessage(path);
  // A name without a slash would make dlopen search the library path: the plugin is a file.
  const std::string file = std::strchr(path, '/') ? std::string(path) : "./" + std::string(path);
  struct stat info;
  if (::stat(file.c_str(), &info) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
    return Status(StatusCode::kNotFound, "No session plugin at '" + shownPath + "'");
  }

  // Never closed: sessions, service data and the vtable's code may outlive the registration
  // (an env connected before an unregister keeps its service). dlopen counts references, so
  // loading a path again returns the library already loaded.
  dlerror();
  void* library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    return Status(StatusCode::kServiceInit,
                  "Cannot load the session plugin '" + shownPath + "': " + loaderError());
  }
  dlerror();
  void* symbol = dlsym(library, CGYM_PLUGIN_ENTRY_NAME);
  if (symbol == nullptr) {
    return Status(StatusCode::kServiceInit,
                  "'" + shownPath + "' is not a libcgym session plugin: it does not export " +
                      CGYM_PLUGIN_ENTRY_NAME);
  }
  const auto entry = reinterpret_cast<cgym_plugin_entry_t>(symbol);

  cgym_service_def_t* raw = nullptr;
  clearError();
  const cgym_status_t code = entry(CGYM_ABI_VERSION, &raw);
  // The plugin's own code and message (cgym_set_error), or "<entry> failed with <CODE>".
  CGYM_RETURN_IF_ERROR(callbackStatus(code, CGYM_PLUGIN_ENTRY_NAME));
  std::unique_ptr<cgym_service_def_t, DefDeleter> def(raw);
  if (!def) {
    return Status(StatusCode::kServiceInit, "The session plugin '" + shownPath +
                                                "': " + CGYM_PLUGIN_ENTRY_NAME +
                                                " returned OK without a service definition");
  }
  if (cgym_service_register(name, def.get()) != CGYM_OK) return lastError();
  return Status::OK();
}

}  // namespace cgym::capi

extern "C" {

cgym_status_t cgym_service_register_plugin(const char* name, const char* path) {
  return guard([&]() -> Status { return registerPlugin(name, path); });
}

}  // extern "C"
