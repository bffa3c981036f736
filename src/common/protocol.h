// SPDX-License-Identifier: MIT
// The CompilerGym protocol as the service runtime and the client both see it. This layer
// includes nothing of ours but src/common.
#pragma once

namespace cgym {

// The CompilerGym protocol version this runtime implements. Reported as
// GetVersionReply.service_version by default, because CompilerGym's clients compare it
// with their own version.
inline constexpr const char* kCompilerGymProtocolVersion = "0.2.5";

// The RPCs of CompilerGym's CompilerGymService (proto/compiler_gym_service.proto), listed
// once: X(Name) is expanded for each, where compiler_gym::Name##Request and Name##Reply are
// its messages and ServiceCore::Name serves it. The gRPC adapter, the transports' dispatch
// and the client's Rpc enum are all generated from this list, so adding an RPC means adding
// it here (and to the proto and ServiceCore).
#define CGYM_FOR_EACH_RPC(X) \
  X(GetVersion)              \
  X(GetSpaces)               \
  X(StartSession)            \
  X(ForkSession)             \
  X(EndSession)              \
  X(Step)                    \
  X(AddBenchmark)            \
  X(SendSessionParameter)

}  // namespace cgym
