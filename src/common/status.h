// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>

namespace cgym {

// Status codes. 0..16 are gRPC's canonical codes with the same values, so a status crosses
// the wire unchanged; the C ABI adds its own codes from 100 (see include/cgym.h).
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
  // The ServiceError family of CompilerGym's client (compiler_gym.service). Their parents in that
  // hierarchy are given by statusCodeParent().
  kSessionNotFound = 100,
  kServiceInit = 101,
  kEnvironmentNotSupported = 102,
  kServiceTransport = 103,
  kServiceIsClosed = 104,
  kBenchmarkInit = 105,
  kCallbackError = 106,
};

// The name of the CompilerGym (Python) exception class a client raises for this code, e.g.
// "ValueError" for INVALID_ARGUMENT, "SessionNotFound", "ServiceError" for INTERNAL.
const char* errorTypeName(StatusCode code);

// True for the codes of CompilerGym's ServiceError family: INTERNAL and every code with no
// builtin Python exception (UNKNOWN, UNAVAILABLE, DATA_LOSS, ...), RESOURCE_EXHAUSTED
// (ServiceOSError) and the 1xx codes but BENCHMARK_INIT and CALLBACK_ERROR.
bool isServiceError(StatusCode code);

// The code's name, e.g. "INVALID_ARGUMENT", "SESSION_NOT_FOUND"; "UNKNOWN_CODE" if unknown.
const char* statusCodeName(StatusCode code);

// The result of a fallible operation: a code and, when not OK, a message. The service layer
// does not depend on gRPC, so it has its own status type; the gRPC adapter converts it.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Returns from the enclosing function if `expr` yields a non-OK Status.
#define CGYM_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::cgym::Status cgym_status_ = (expr);        \
    if (!cgym_status_.ok()) return cgym_status_; \
  } while (0)

}  // namespace cgym
