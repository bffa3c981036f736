// SPDX-License-Identifier: MIT
// Helpers shared by the tests that talk to a service through a raw gRPC stub.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>

#include "compiler_gym_service.grpc.pb.h"

namespace cgym::testing {

// One RPC through `stub`, with a deadline so that a broken service fails the test instead of
// hanging it.
template <typename Method, typename Request, typename Reply>
grpc::Status call(compiler_gym::CompilerGymService::Stub& stub, Method method,
                  const Request& request, Reply* reply) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return (stub.*method)(&context, request, reply);
}

inline compiler_gym::Event intEvent(int64_t v) {
  compiler_gym::Event event;
  event.set_int64_value(v);
  return event;
}

}  // namespace cgym::testing

// Expects a gRPC status with this code (a grpc::StatusCode name) and these exact details.
#define EXPECT_STATUS(status, expectedCode, expectedDetails)                          \
  do {                                                                                \
    const grpc::Status s_ = (status);                                                 \
    EXPECT_EQ(s_.error_code(), grpc::StatusCode::expectedCode) << s_.error_message(); \
    EXPECT_EQ(s_.error_message(), expectedDetails);                                   \
  } while (0)

#define ASSERT_OK(status)                                                  \
  do {                                                                     \
    const grpc::Status s_ = (status);                                      \
    ASSERT_TRUE(s_.ok()) << s_.error_code() << ": " << s_.error_message(); \
  } while (0)
