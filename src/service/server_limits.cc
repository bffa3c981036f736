// SPDX-License-Identifier: MIT
#include "service/server_limits.h"

#include <grpcpp/grpcpp.h>

#include "service/grpc_server.h"

namespace cgym {

void applyServerLimits(const GrpcServerOptions& options, grpc::ServerBuilder* builder) {
  builder->SetMaxReceiveMessageSize(options.maxReceiveMessageSize);
  builder->SetMaxSendMessageSize(options.maxSendMessageSize);
  builder->AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, 512 * 1024);
}

}  // namespace cgym
