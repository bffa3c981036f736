// SPDX-License-Identifier: MIT
// The client's handles of the C ABI, shared by the files of src/capi that make or use them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cgym.h"
#include "client/connection.h"
#include "client/env.h"

struct cgym_options {
  cgym::client::ConnectionOpts connection;
  std::optional<compiler_gym::Benchmark> benchmark;
  // Unset: the default (none for cgym_connect(), the id's for cgym_make()); "" for none.
  std::optional<std::string> observationSpace, rewardSpace, actionSpace;
};

struct cgym_env {
  std::unique_ptr<cgym::client::Env> env;
  std::string serviceVersion, compilerVersion;
  bool versionsKnown = false;
};
