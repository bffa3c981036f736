// SPDX-License-Identifier: MIT
//
// The bounds a gRPC server puts on what one peer can make it hold: streams, threads, memory,
// metadata, idle and slow connections.
#pragma once

namespace grpc {
class ServerBuilder;
}

namespace cgym {

struct GrpcServerOptions;

// Sets the server's resource bounds on `builder`, and starts (once per process) a thread that
// gives memory freed after a burst back to the system.
void applyServerLimits(const GrpcServerOptions& options, grpc::ServerBuilder* builder);

}  // namespace cgym
