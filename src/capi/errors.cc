// SPDX-License-Identifier: MIT
// Status codes, the last error, and releasing owned buffers.
#include <cstdlib>
#include <cstring>

#include "capi/capi_internal.h"

namespace cgym::capi {

namespace {

struct LastError {
  cgym_status_t code = CGYM_OK;
  std::string message;
};

LastError& lastErrorState() {
  thread_local LastError state;
  return state;
}

}  // namespace

void clearError() {
  LastError& state = lastErrorState();
  state.code = CGYM_OK;
  state.message.clear();
}

cgym_status_t setError(cgym_status_t code, const std::string& message) {
  LastError& state = lastErrorState();
  state.code = code;
  state.message = message.empty() ? cgym_status_name(code) : message;
  return code;
}

Status lastError() {
  const LastError& state = lastErrorState();
  return Status(static_cast<StatusCode>(state.code), state.message);
}

Status callbackStatus(cgym_status_t code, const char* slot) {
  if (code == CGYM_OK) {
    clearError();
    return Status::OK();
  }
  const Status recorded = lastError();
  clearError();
  // A message equal to the code's name is what cgym_set_error(code, NULL) records: none.
  const char* name = cgym_status_name(code);
  if (static_cast<cgym_status_t>(recorded.code()) == code && !recorded.message().empty() &&
      recorded.message() != name) {
    return Status(static_cast<StatusCode>(code), recorded.message());
  }
  if (std::strcmp(name, "UNKNOWN_CODE") == 0) {
    return Status(static_cast<StatusCode>(code),
                  std::string(slot) + " failed with code " + std::to_string(code));
  }
  return Status(static_cast<StatusCode>(code), std::string(slot) + " failed with " + name);
}

char* ownedString(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

}  // namespace cgym::capi

using namespace cgym::capi;

extern "C" {

const char* cgym_status_name(cgym_status_t code) {
  return cgym::statusCodeName(static_cast<cgym::StatusCode>(code));
}

cgym_status_t cgym_status_parent(cgym_status_t code) {
  switch (code) {
    case CGYM_ENVIRONMENT_NOT_SUPPORTED:
      return CGYM_SERVICE_INIT;
    case CGYM_BENCHMARK_INIT:
      return CGYM_INVALID_ARGUMENT;
    case CGYM_CANCELLED:
    case CGYM_UNKNOWN:
    case CGYM_ALREADY_EXISTS:
    case CGYM_PERMISSION_DENIED:
    case CGYM_RESOURCE_EXHAUSTED:
    case CGYM_ABORTED:
    case CGYM_OUT_OF_RANGE:
    case CGYM_UNAVAILABLE:
    case CGYM_DATA_LOSS:
    case CGYM_UNAUTHENTICATED:
    case CGYM_SESSION_NOT_FOUND:
    case CGYM_SERVICE_INIT:
    case CGYM_SERVICE_TRANSPORT:
    case CGYM_SERVICE_IS_CLOSED:
      return CGYM_INTERNAL;
    default:
      return CGYM_OK;
  }
}

int cgym_status_is_service_error(cgym_status_t code) {
  for (cgym_status_t c = code; c != CGYM_OK; c = cgym_status_parent(c)) {
    if (c == CGYM_INTERNAL) return 1;
  }
  return 0;
}

const char* cgym_last_error_message(void) { return lastErrorState().message.c_str(); }

cgym_status_t cgym_last_error_code(void) { return lastErrorState().code; }

cgym_status_t cgym_set_error(cgym_status_t code, const char* message) {
  return setError(code, message ? message : "");
}

void cgym_free(void* pointer) { std::free(pointer); }

void cgym_free_strings(char** strings, size_t count) {
  if (!strings) return;
  for (size_t i = 0; i < count; ++i) std::free(strings[i]);
  std::free(strings);
}

}  // extern "C"
