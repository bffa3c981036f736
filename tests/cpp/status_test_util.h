// SPDX-License-Identifier: MIT
// Assertions on cgym::Status for the C++ tests of the client (grpc_test_util.h has the same for
// grpc::Status).
#pragma once

#include <gtest/gtest.h>

#include "common/status.h"

#define ASSERT_OK(expr)                                                                \
  do {                                                                                 \
    const ::cgym::Status s_ = (expr);                                                  \
    ASSERT_TRUE(s_.ok()) << ::cgym::statusCodeName(s_.code()) << ": " << s_.message(); \
  } while (0)

#define EXPECT_STATUS(expr, expectedCode, expectedMessage)                  \
  do {                                                                      \
    const ::cgym::Status s_ = (expr);                                       \
    EXPECT_EQ(s_.code(), ::cgym::StatusCode::expectedCode) << s_.message(); \
    EXPECT_EQ(s_.message(), expectedMessage);                               \
  } while (0)
