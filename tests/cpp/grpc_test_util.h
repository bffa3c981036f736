// SPDX-License-Identifier: MIT
// Helpers shared by the tests that talk to a service through a raw gRPC stub.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

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

// The version and spaces of the example service (CompilerGym's example), which the C++ and the C
// example services must both report.
inline void expectExampleVersionAndSpaces(compiler_gym::CompilerGymService::Stub& stub) {
  using namespace compiler_gym;
  GetVersionReply version;
  const grpc::Status versionStatus =
      call(stub, &CompilerGymService::Stub::GetVersion, GetVersionRequest(), &version);
  ASSERT_TRUE(versionStatus.ok()) << versionStatus.error_message();
  EXPECT_EQ(version.compiler_version(), "1.0.0");
  EXPECT_EQ(version.service_version(), "0.2.5");
  GetSpacesReply spaces;
  const grpc::Status spacesStatus =
      call(stub, &CompilerGymService::Stub::GetSpaces, GetSpacesRequest(), &spaces);
  ASSERT_TRUE(spacesStatus.ok()) << spacesStatus.error_message();
  ASSERT_EQ(spaces.action_space_list_size(), 1);
  EXPECT_EQ(spaces.action_space_list(0).name(), "default");
  const auto& names = spaces.action_space_list(0).space().named_discrete().name();
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.end()),
            (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(spaces.observation_space_list_size(), 3);
  const ObservationSpace& ir = spaces.observation_space_list(0);
  EXPECT_EQ(ir.name(), "ir");
  EXPECT_TRUE(ir.space().string_value().length_range().has_min());
  EXPECT_FALSE(ir.space().string_value().length_range().has_max());
  EXPECT_TRUE(ir.deterministic());
  EXPECT_FALSE(ir.platform_dependent());
  EXPECT_FALSE(ir.has_default_observation());
  const ObservationSpace& features = spaces.observation_space_list(1);
  EXPECT_EQ(features.name(), "features");
  EXPECT_EQ(features.space().int64_box().low().shape(0), 3u);
  EXPECT_EQ(features.space().int64_box().low().value(2), -100);
  EXPECT_EQ(features.space().int64_box().high().value(0), 100);
  EXPECT_FALSE(features.deterministic());
  EXPECT_FALSE(features.platform_dependent());
  const ObservationSpace& runtime = spaces.observation_space_list(2);
  EXPECT_EQ(runtime.name(), "runtime");
  EXPECT_TRUE(runtime.space().double_value().has_min());
  EXPECT_FALSE(runtime.space().double_value().has_max());
  EXPECT_FALSE(runtime.deterministic());
  EXPECT_TRUE(runtime.platform_dependent());
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
