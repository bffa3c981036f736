// SPDX-License-Identifier: MIT
// Shared by the C ABI's implementation files: the last-error state, the guard that keeps
// exceptions from crossing the ABI, and the casts between handles and C++ objects.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "cgym.h"
#include "common/status.h"
#include "compiler_gym_service.pb.h"

namespace cgym::capi {

// Clears the calling thread's last error (every entry point does this first).
void clearError();
// Records the thread's last error and returns its code. An empty message is replaced by the
// code's name, so that a failing call never leaves an empty message.
cgym_status_t setError(cgym_status_t code, const std::string& message);
inline cgym_status_t setError(const Status& status) {
  return setError(static_cast<cgym_status_t>(status.code()), status.message());
}
// The calling thread's last error, as set by a callback through cgym_set_error().
Status lastError();

// The Status of a callback (a session or reward slot written in C) that returned `code`: OK,
// or `code` with the message the callback set with cgym_set_error() for that code, or, if it
// set none, "<slot> failed with <CODE>". Clears the thread's last error, which belongs to the
// caller. The one place that turns a callback's result into a Status, so that a C reward and a
// C session slot that fail the same way give the same message.
Status callbackStatus(cgym_status_t code, const char* slot);

// Runs the body of an entry point: clears the last error, runs `body` (which returns a
// cgym::Status), records a failure, and turns any exception into an error, so that none
// crosses the ABI.
template <typename Body>
cgym_status_t guard(Body&& body) noexcept {
  clearError();
  try {
    const Status status = body();
    return status.ok() ? CGYM_OK : setError(status);
  } catch (const std::bad_alloc&) {
    return setError(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
  } catch (const std::exception& e) {
    return setError(CGYM_INTERNAL, std::string("Unhandled exception: ") + e.what());
  } catch (...) {
    return setError(CGYM_INTERNAL, "Unhandled exception of unknown type");
  }
}

// The LISTS rule of cgym.h: `_count` functions report a size, `_at` functions check the index.
template <typename Container>
Status countOf(const Container& items, size_t* count) {
  if (count == nullptr) return Status(StatusCode::kInvalidArgument, "count must not be NULL");
  *count = items.size();
  return Status::OK();
}
inline Status checkIndex(size_t index, size_t size, const char* what) {
  if (index < size) return Status::OK();
  return Status(StatusCode::kOutOfRange, std::string(what) + " index " + std::to_string(index) +
                                             " out of range (" + std::to_string(size) + " items)");
}

// A Status for a NULL argument that must not be NULL.
inline Status nullArgument(const char* name) {
  return Status(StatusCode::kInvalidArgument, std::string(name) + " must not be NULL");
}
#define CGYM_CHECK_ARG(arg) \
  if ((arg) == nullptr) return ::cgym::capi::nullArgument(#arg)

// Handles are the C++ objects themselves, seen through opaque pointer types.
inline compiler_gym::Event* unwrap(cgym_event_t* e) {
  return reinterpret_cast<compiler_gym::Event*>(e);
}
inline const compiler_gym::Event* unwrap(const cgym_event_t* e) {
  return reinterpret_cast<const compiler_gym::Event*>(e);
}
inline cgym_event_t* wrap(compiler_gym::Event* e) { return reinterpret_cast<cgym_event_t*>(e); }
inline const cgym_event_t* wrap(const compiler_gym::Event* e) {
  return reinterpret_cast<const cgym_event_t*>(e);
}
inline compiler_gym::Space* unwrap(cgym_space_t* s) {
  return reinterpret_cast<compiler_gym::Space*>(s);
}
inline const compiler_gym::Space* unwrap(const cgym_space_t* s) {
  return reinterpret_cast<const compiler_gym::Space*>(s);
}
inline const cgym_space_t* wrap(const compiler_gym::Space* s) {
  return reinterpret_cast<const cgym_space_t*>(s);
}
inline cgym_space_t* wrap(compiler_gym::Space* s) { return reinterpret_cast<cgym_space_t*>(s); }
inline compiler_gym::ActionSpace* unwrap(cgym_action_space_t* s) {
  return reinterpret_cast<compiler_gym::ActionSpace*>(s);
}
inline const compiler_gym::ActionSpace* unwrap(const cgym_action_space_t* s) {
  return reinterpret_cast<const compiler_gym::ActionSpace*>(s);
}
inline const cgym_action_space_t* wrap(const compiler_gym::ActionSpace* s) {
  return reinterpret_cast<const cgym_action_space_t*>(s);
}
inline cgym_action_space_t* wrap(compiler_gym::ActionSpace* s) {
  return reinterpret_cast<cgym_action_space_t*>(s);
}
inline compiler_gym::ObservationSpace* unwrap(cgym_observation_space_t* s) {
  return reinterpret_cast<compiler_gym::ObservationSpace*>(s);
}
inline const compiler_gym::ObservationSpace* unwrap(const cgym_observation_space_t* s) {
  return reinterpret_cast<const compiler_gym::ObservationSpace*>(s);
}
inline const cgym_observation_space_t* wrap(const compiler_gym::ObservationSpace* s) {
  return reinterpret_cast<const cgym_observation_space_t*>(s);
}
inline cgym_observation_space_t* wrap(compiler_gym::ObservationSpace* s) {
  return reinterpret_cast<cgym_observation_space_t*>(s);
}

// A copy of `text` in memory the caller releases with cgym_free().
char* ownedString(const std::string& text);

// cgym_service_register_plugin()'s work (plugin.cc).
Status registerPlugin(const char* name, const char* path);

}  // namespace cgym::capi
