// SPDX-License-Identifier: MIT
// Internal to the transports.
#pragma once

#include <google/protobuf/message.h>

#include "client/transport.h"
#include "common/protocol.h"
#include "compiler_gym_service.pb.h"

namespace cgym::client {

// Calls `target.Name(context, request, reply)` for the RPC `rpc` with the concrete message
// types: one switch, generated from the list of RPCs, serves every transport, so they cannot
// drift apart. A plain switch: no allocation, no virtual call on the step path.
template <typename Target, typename Context>
auto dispatch(Target& target, Context context, Rpc rpc, const google::protobuf::Message& request,
              google::protobuf::Message* reply) {
  switch (rpc) {
#define CGYM_DISPATCH(Name)                                                               \
  case Rpc::k##Name:                                                                      \
    return target.Name(context, static_cast<const compiler_gym::Name##Request&>(request), \
                       static_cast<compiler_gym::Name##Reply*>(reply));
    CGYM_FOR_EACH_RPC(CGYM_DISPATCH)
#undef CGYM_DISPATCH
  }
  // Not reached with a valid Rpc; the first RPC keeps the return type deduced.
  return target.GetVersion(context, static_cast<const compiler_gym::GetVersionRequest&>(request),
                           static_cast<compiler_gym::GetVersionReply*>(reply));
}

}  // namespace cgym::client
