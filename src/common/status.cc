// SPDX-License-Identifier: MIT
#include "common/status.h"

namespace cgym {

const char* statusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kCancelled:
      return "CANCELLED";
    case StatusCode::kUnknown:
      return "UNKNOWN";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case StatusCode::kAborted:
      return "ABORTED";
    case StatusCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case StatusCode::kInternal:
      return "INTERNAL";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kDataLoss:
      return "DATA_LOSS";
    case StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case StatusCode::kSessionNotFound:
      return "SESSION_NOT_FOUND";
    case StatusCode::kServiceInit:
      return "SERVICE_INIT";
    case StatusCode::kEnvironmentNotSupported:
      return "ENVIRONMENT_NOT_SUPPORTED";
    case StatusCode::kServiceTransport:
      return "SERVICE_TRANSPORT";
    case StatusCode::kServiceIsClosed:
      return "SERVICE_IS_CLOSED";
    case StatusCode::kBenchmarkInit:
      return "BENCHMARK_INIT";
    case StatusCode::kCallbackError:
      return "CALLBACK_ERROR";
  }
  return "UNKNOWN_CODE";
}

const char* errorTypeName(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return "ValueError";
    case StatusCode::kDeadlineExceeded:
      return "TimeoutError";
    case StatusCode::kNotFound:
      return "FileNotFoundError";
    case StatusCode::kFailedPrecondition:
      return "TypeError";
    case StatusCode::kUnimplemented:
      return "NotImplementedError";
    case StatusCode::kResourceExhausted:
      return "ServiceOSError";
    case StatusCode::kSessionNotFound:
      return "SessionNotFound";
    case StatusCode::kServiceInit:
      return "ServiceInitError";
    case StatusCode::kEnvironmentNotSupported:
      return "EnvironmentNotSupported";
    case StatusCode::kServiceTransport:
      return "ServiceTransportError";
    case StatusCode::kServiceIsClosed:
      return "ServiceIsClosed";
    case StatusCode::kBenchmarkInit:
      return "BenchmarkInitError";
    case StatusCode::kCallbackError:
      return "CallbackError";
    default:
      return "ServiceError";
  }
}

bool isServiceError(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
    case StatusCode::kInvalidArgument:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kNotFound:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kUnimplemented:
    case StatusCode::kBenchmarkInit:
    case StatusCode::kCallbackError:
      return false;
    default:
      return true;
  }
}

}  // namespace cgym
