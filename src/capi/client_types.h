// SPDX-License-Identifier: MIT
// The client's handles of the C ABI, shared by the files of src/capi that make or use them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cgym.h"
#include "client/connection.h"
#include "client/env.h"
#include "client/environments.h"
#include "client/step_queue.h"

struct cgym_options {
  cgym::client::ConnectionOpts connection;
  std::optional<compiler_gym::Benchmark> benchmark;
  // Unset: the default (none for cgym_connect(), the id's for cgym_make()); "" for none.
  std::optional<std::string> observationSpace, rewardSpace, actionSpace;
};

struct cgym_env {
  // Closes the env; with a step in flight, abandons it first (its queue reports it CANCELLED
  // and forgets this handle). Defined with cgym_step_queue (vector.cc).
  ~cgym_env();
  std::unique_ptr<cgym::client::Env> env;
  std::string serviceVersion, compilerVersion;
  bool versionsKnown = false;
  // Set while a step of this env is in a cgym_step_queue: the env is the queue's until then.
  cgym_step_queue_t* queue = nullptr;
  // Owned by a cgym_vec_env (cgym_vec_env_at()): cgym_env_free() leaves it alone.
  bool borrowed = false;
};

struct cgym_call_options {
  // CompilerGym's default deadline for the calls of reset() and step().
  double timeout = cgym::client::StepOptions().timeout;
};

// What cgym_connect() and cgym_make() make of `options` (NULL: the defaults).
cgym::client::EnvOptions envOptionsFrom(const cgym_options_t* options);
cgym::client::MakeOptions makeOptionsFrom(const cgym_options_t* options);

// cgym_step()'s list of space names: NULL (`list`) for the defaults, else `n` names (a NULL
// name is INVALID_ARGUMENT, naming `what`).
cgym::Status spaceNames(const char* const* list, size_t n, const char* what,
                        std::optional<std::vector<std::string>>* out);

// The deadline of `options` (NULL: the default).
inline double callTimeout(const cgym_call_options_t* options) {
  return options ? options->timeout : cgym_call_options().timeout;
}

// A cgym_step_result_t is a StepOutcome: results of steps, of queues and of vector envs alike.
inline cgym::client::StepOutcome* unwrap(cgym_step_result_t* r) {
  return reinterpret_cast<cgym::client::StepOutcome*>(r);
}
inline const cgym::client::StepOutcome* unwrap(const cgym_step_result_t* r) {
  return reinterpret_cast<const cgym::client::StepOutcome*>(r);
}
inline cgym_step_result_t* wrap(cgym::client::StepOutcome* r) {
  return reinterpret_cast<cgym_step_result_t*>(r);
}
inline const cgym_step_result_t* wrap(const cgym::client::StepOutcome* r) {
  return reinterpret_cast<const cgym_step_result_t*>(r);
}
