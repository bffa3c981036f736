// SPDX-License-Identifier: MIT
// Many environments at once: cgym_step_queue and cgym_vec_env.
#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>
#include <vector>

#include "capi/capi_internal.h"
#include "capi/client_types.h"
#include "capi/values_util.h"
#include "client/environments.h"
#include "client/step_queue.h"
#include "client/vec_env.h"

using namespace cgym;
using namespace cgym::capi;
using compiler_gym::Event;

struct cgym_step_queue {
  client::StepQueue queue;
  // The C handles of the envs in flight, to release them when their step is taken.
  std::unordered_map<const client::Env*, cgym_env_t*> envs;
};

cgym_env::~cgym_env() {
  if (queue) {
    queue->queue.abandon(env.get());
    queue->envs.erase(env.get());
  }
}

struct cgym_vec_env {
  std::vector<std::unique_ptr<cgym_env>> envs;
  std::unique_ptr<client::VecEnv> vec;
  size_t services = 0;
};

namespace {

Status requireVec(const cgym_vec_env_t* vec) {
  if (!vec || !vec->vec) return nullArgument("vec");
  return Status::OK();
}

// What env i's last step gave: the final result of an env that SAME_STEP reset, else the latest.
const client::StepOutcome* latestStep(const cgym_vec_env_t* vec, size_t i) {
  const client::StepOutcome* final = vec->vec->finalResult(i);
  return final ? final : vec->vec->result(i);
}

// One value per env, read from what its last step gave, into a caller's buffer.
template <typename T, typename Read>
Status perEnv(const cgym_vec_env_t* vec, T* values, size_t capacity, size_t* count,
              const char* what, Read read) {
  CGYM_RETURN_IF_ERROR(requireVec(vec));
  CGYM_CHECK_ARG(count);
  if (capacity > 0) CGYM_CHECK_ARG(values);
  const size_t n = vec->envs.size();
  CGYM_RETURN_IF_ERROR(fitBuffer(n, capacity, what, count));
  if (capacity == 0) return Status::OK();
  for (size_t i = 0; i < n; ++i) values[i] = read(latestStep(vec, i));
  return Status::OK();
}

// The values of a numeric observation (any scalar or tensor of numbers), or false.
bool numericValues(const Event& event, std::vector<double>* out) {
  switch (event.value_case()) {
    case Event::kBooleanValue:
      out->push_back(event.boolean_value());
      return true;
    case Event::kInt64Value:
      out->push_back(static_cast<double>(event.int64_value()));
      return true;
    case Event::kFloatValue:
      out->push_back(event.float_value());
      return true;
    case Event::kDoubleValue:
      out->push_back(event.double_value());
      return true;
    case Event::kBooleanTensor:
      out->assign(event.boolean_tensor().value().begin(), event.boolean_tensor().value().end());
      return true;
    case Event::kByteTensor:
      out->assign(event.byte_tensor().value().begin(), event.byte_tensor().value().end());
      return true;
    case Event::kInt64Tensor:
      for (int64_t v : event.int64_tensor().value()) out->push_back(static_cast<double>(v));
      return true;
    case Event::kFloatTensor:
      out->assign(event.float_tensor().value().begin(), event.float_tensor().value().end());
      return true;
    case Event::kDoubleTensor:
      out->assign(event.double_tensor().value().begin(), event.double_tensor().value().end());
      return true;
    default:
      return false;
  }
}

bool int64Values(const Event& event, std::vector<int64_t>* out) {
  if (event.has_int64_tensor()) {
    out->assign(event.int64_tensor().value().begin(), event.int64_tensor().value().end());
    return true;
  }
  if (event.value_case() == Event::kInt64Value) {
    out->push_back(event.int64_value());
    return true;
  }
  return false;
}

// Every env's first observation as rows of one matrix, padded with zeros to the longest.
template <typename T, typename Convert>
Status observationMatrix(const cgym_vec_env_t* vec, T* values, size_t capacity, size_t* count,
                         size_t* width, const char* type, Convert convert) {
  CGYM_RETURN_IF_ERROR(requireVec(vec));
  CGYM_CHECK_ARG(count);
  if (capacity > 0) CGYM_CHECK_ARG(values);
  const size_t n = vec->envs.size();
  std::vector<std::vector<T>> rows(n);
  size_t longest = 0;
  for (size_t i = 0; i < n; ++i) {
    const client::StepOutcome* outcome = vec->vec->result(i);
    if (!outcome) {
      return Status(StatusCode::kFailedPrecondition,
                    "env " + std::to_string(i) + " has no result: reset the vector env first");
    }
    if (outcome->result.observations.empty()) {
      return Status(StatusCode::kFailedPrecondition,
                    "env " + std::to_string(i) + "'s result has no observation");
    }
    const Event& event = outcome->result.observations[0];
    // A failed env's default observation may be empty: a row of zeros.
    if (event.value_case() != Event::VALUE_NOT_SET && !convert(event, &rows[i])) {
      return Status(StatusCode::kFailedPrecondition,
                    "env " + std::to_string(i) + "'s observation is not " + type + " values");
    }
    longest = std::max(longest, rows[i].size());
  }
  CGYM_RETURN_IF_ERROR(fitBuffer(n * longest, capacity, "observations", count));
  if (width) *width = longest;
  if (capacity == 0) return Status::OK();
  for (size_t i = 0; i < n; ++i) {
    T* row = values + i * longest;
    std::copy(rows[i].begin(), rows[i].end(), row);
    std::fill(row + rows[i].size(), row + longest, T{});
  }
  return Status::OK();
}

}  // namespace

// --- Step queues ------------------------------------------------------------------------------

cgym_status_t cgym_step_queue_new(cgym_step_queue_t** out) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    *out = new cgym_step_queue();
    return Status::OK();
  });
}

void cgym_step_queue_free(cgym_step_queue_t* queue) {
  if (!queue) return;
  try {
    // The queue's destructor completes the steps in flight; their envs are then free again.
    for (auto& entry : queue->envs) entry.second->queue = nullptr;
    delete queue;
  } catch (...) {
  }
}

cgym_status_t cgym_step_submit(cgym_step_queue_t* queue, cgym_env_t* env,
                               const cgym_event_t* const* actions, size_t num_actions,
                               const char* const* observation_spaces, size_t num_observation_spaces,
                               const char* const* reward_spaces, size_t num_reward_spaces,
                               const cgym_call_options_t* call_options, uint64_t tag) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(queue);
    if (!env || !env->env) return nullArgument("env");
    if (env->queue) return Status(StatusCode::kFailedPrecondition, "The env has a step in flight");
    if (num_actions > 0) CGYM_CHECK_ARG(actions);
    std::vector<Event> steps;
    steps.reserve(num_actions);
    for (size_t i = 0; i < num_actions; ++i) {
      if (!actions[i]) return nullArgument("actions[i]");
      steps.push_back(*unwrap(actions[i]));
    }
    client::StepOptions options;
    options.timeout = callTimeout(call_options);
    CGYM_RETURN_IF_ERROR(spaceNames(observation_spaces, num_observation_spaces,
                                    "observation_spaces[i]", &options.observation_spaces));
    CGYM_RETURN_IF_ERROR(
        spaceNames(reward_spaces, num_reward_spaces, "reward_spaces[i]", &options.reward_spaces));
    CGYM_RETURN_IF_ERROR(queue->queue.submit(env->env.get(), steps, options, tag));
    env->queue = queue;
    queue->envs[env->env.get()] = env;
    return Status::OK();
  });
}

size_t cgym_step_queue_size(const cgym_step_queue_t* queue) {
  return queue ? queue->queue.size() : 0;
}

cgym_status_t cgym_step_queue_next(cgym_step_queue_t* queue, double timeout_seconds, uint64_t* tag,
                                   cgym_step_result_t** result) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(queue);
    CGYM_CHECK_ARG(tag);
    CGYM_CHECK_ARG(result);
    client::StepQueue::Completed done;
    CGYM_RETURN_IF_ERROR(queue->queue.next(timeout_seconds, &done));
    if (done.env) {
      auto it = queue->envs.find(done.env);
      if (it != queue->envs.end()) {
        it->second->queue = nullptr;
        queue->envs.erase(it);
      }
    }
    *tag = done.tag;
    *result = wrap(new client::StepOutcome(std::move(done.outcome)));
    return Status::OK();
  });
}

// --- Vector envs ------------------------------------------------------------------------------

cgym_status_t cgym_vec_env_new(cgym_vec_env_t** out, const char* id, const char* endpoint,
                               size_t num_envs, size_t num_services,
                               const cgym_options_t* options) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    if (!id) CGYM_CHECK_ARG(endpoint);
    const std::string where = endpoint ? endpoint : "";
    client::EnvMaker maker;
    client::Connection::Kind kind;
    if (id) {
      kind = where.empty()       ? client::Connection::Kind::kManaged
             : where == "inproc" ? client::Connection::Kind::kInProcess
                                 : client::endpointKind(where);
      maker = [&](const std::string& endpoint, std::unique_ptr<client::Env>* env) {
        return client::make(id, endpoint, makeOptionsFrom(options), env);
      };
    } else {
      kind = client::endpointKind(where);
      maker = [&](const std::string& endpoint, std::unique_ptr<client::Env>* env) {
        return client::Env::make(endpoint, envOptionsFrom(options), env);
      };
    }
    std::vector<std::unique_ptr<client::Env>> envs;
    auto vec = std::make_unique<cgym_vec_env>();
    CGYM_RETURN_IF_ERROR(
        client::makeEnvs(where, kind, num_envs, num_services, maker, &envs, &vec->services));
    std::vector<client::Env*> raw;
    for (auto& env : envs) {
      auto handle = std::make_unique<cgym_env>();
      handle->env = std::move(env);
      handle->borrowed = true;
      raw.push_back(handle->env.get());
      vec->envs.push_back(std::move(handle));
    }
    vec->vec = std::make_unique<client::VecEnv>(std::move(raw));
    *out = vec.release();
    return Status::OK();
  });
}

void cgym_vec_env_free(cgym_vec_env_t* vec) {
  try {
    delete vec;  // each Env's destructor closes it, logging failures
  } catch (...) {
  }
}

cgym_status_t cgym_vec_env_close(cgym_vec_env_t* vec) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireVec(vec));
    Status first;
    for (size_t i = 0; i < vec->envs.size(); ++i) {
      const Status status = vec->envs[i]->env->close();
      if (!status.ok() && first.ok()) {
        first = Status(status.code(), "env " + std::to_string(i) + ": " + status.message());
      }
    }
    return first;
  });
}

size_t cgym_vec_env_num_envs(const cgym_vec_env_t* vec) { return vec ? vec->envs.size() : 0; }

size_t cgym_vec_env_num_services(const cgym_vec_env_t* vec) { return vec ? vec->services : 0; }

cgym_status_t cgym_vec_env_at(cgym_vec_env_t* vec, size_t index, cgym_env_t** env) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireVec(vec));
    CGYM_CHECK_ARG(env);
    CGYM_RETURN_IF_ERROR(checkIndex(index, vec->envs.size(), "env"));
    *env = vec->envs[index].get();
    return Status::OK();
  });
}

cgym_status_t cgym_vec_env_set_autoreset(cgym_vec_env_t* vec, cgym_autoreset_mode_t mode) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireVec(vec));
    return vec->vec->setAutoreset(mode);
  });
}

cgym_autoreset_mode_t cgym_vec_env_autoreset(const cgym_vec_env_t* vec) {
  return vec && vec->vec ? static_cast<cgym_autoreset_mode_t>(vec->vec->autoreset()) : 0;
}

cgym_status_t cgym_vec_env_reset(cgym_vec_env_t* vec, const uint8_t* mask,
                                 const cgym_call_options_t* call_options) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireVec(vec));
    return vec->vec->reset(mask, callTimeout(call_options));
  });
}

cgym_status_t cgym_vec_env_step(cgym_vec_env_t* vec, const int64_t* actions, size_t num_actions,
                                const cgym_call_options_t* call_options) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireVec(vec));
    if (num_actions > 0) CGYM_CHECK_ARG(actions);
    // Checked before the actions are read: there may be fewer of them than num_actions says.
    if (num_actions != vec->envs.size()) {
      return Status(StatusCode::kInvalidArgument, "Expected " + std::to_string(vec->envs.size()) +
                                                      " actions (one per env), got " +
                                                      std::to_string(num_actions));
    }
    const double timeout = callTimeout(call_options);
    CGYM_RETURN_IF_ERROR(checkSeconds("The step timeout", timeout));
    return vec->vec->step(std::vector<int64_t>(actions, actions + num_actions), timeout);
  });
}

cgym_status_t cgym_vec_env_result(const cgym_vec_env_t* vec, size_t index,
                                  const cgym_step_result_t** result) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireVec(vec));
    CGYM_CHECK_ARG(result);
    CGYM_RETURN_IF_ERROR(checkIndex(index, vec->envs.size(), "env"));
    *result = wrap(vec->vec->result(index));
    return Status::OK();
  });
}

cgym_status_t cgym_vec_env_final_result(const cgym_vec_env_t* vec, size_t index,
                                        const cgym_step_result_t** result) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireVec(vec));
    CGYM_CHECK_ARG(result);
    CGYM_RETURN_IF_ERROR(checkIndex(index, vec->envs.size(), "env"));
    *result = wrap(vec->vec->finalResult(index));
    return Status::OK();
  });
}

cgym_status_t cgym_vec_env_rewards(const cgym_vec_env_t* vec, double* rewards, size_t capacity,
                                   size_t* count) {
  return guard([&]() -> Status {
    return perEnv(vec, rewards, capacity, count, "rewards", [](const client::StepOutcome* o) {
      return o && !o->result.rewards.empty() ? o->result.rewards[0] : 0.0;
    });
  });
}

cgym_status_t cgym_vec_env_dones(const cgym_vec_env_t* vec, uint8_t* dones, size_t capacity,
                                 size_t* count) {
  return guard([&]() -> Status {
    return perEnv(vec, dones, capacity, count, "dones", [](const client::StepOutcome* o) {
      return static_cast<uint8_t>(o && o->result.done ? 1 : 0);
    });
  });
}

cgym_status_t cgym_vec_env_observations_int64s(const cgym_vec_env_t* vec, int64_t* values,
                                               size_t capacity, size_t* count, size_t* width) {
  return guard([&]() -> Status {
    return observationMatrix<int64_t>(vec, values, capacity, count, width, "int64", int64Values);
  });
}

cgym_status_t cgym_vec_env_observations_doubles(const cgym_vec_env_t* vec, double* values,
                                                size_t capacity, size_t* count, size_t* width) {
  return guard([&]() -> Status {
    return observationMatrix<double>(vec, values, capacity, count, width, "numeric", numericValues);
  });
}
