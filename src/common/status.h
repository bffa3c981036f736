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
};

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
