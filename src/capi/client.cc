// SPDX-License-Identifier: MIT
// The client half of the C ABI: options, envs, steps, forks, parameters, states, rewards.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "capi/capi_internal.h"
#include "capi/client_types.h"
#include "client/env.h"

using namespace cgym;
using namespace cgym::capi;
using cgym::client::Env;
using compiler_gym::Event;

namespace {

// A reward whose callbacks are C functions. The user data is shared between copies unless
// the vtable can clone it; it is destroyed with the last copy that holds it.
class CReward final : public client::Reward {
 public:
  struct UserData {
    UserData(const cgym_reward_vtable_t& vtable, void* data) : vtable(vtable), data(data) {}
    UserData(const UserData&) = delete;
    UserData& operator=(const UserData&) = delete;
    cgym_reward_vtable_t vtable;
    void* data;
    ~UserData() {
      if (vtable.destroy) vtable.destroy(data);
    }
  };

  CReward(Spec spec, std::shared_ptr<UserData> user)
      : Reward(std::move(spec)), user_(std::move(user)) {}

  Status reset(const compiler_gym::Benchmark& benchmark, client::ObservationView&) override {
    if (!user_->vtable.reset) return Status::OK();
    return callbackStatus(user_->vtable.reset(user_->data, benchmark.uri().c_str()),
                          "reward reset");
  }

  Status update(const std::vector<Event>& actions, const std::vector<Event>& observations,
                client::ObservationView&, double* reward) override {
    std::vector<const cgym_event_t*> a, o;
    for (const Event& e : actions) a.push_back(wrap(&e));
    for (const Event& e : observations) o.push_back(wrap(&e));
    return callbackStatus(
        user_->vtable.update(user_->data, a.data(), a.size(), o.data(), o.size(), reward),
        "reward update");
  }

  std::unique_ptr<Reward> clone() const override {
    if (!user_->vtable.clone) return std::make_unique<CReward>(spec(), user_);
    void* copy = user_->vtable.clone(user_->data);
    if (!copy) return nullptr;
    return std::make_unique<CReward>(spec(), std::make_shared<UserData>(user_->vtable, copy));
  }

 private:
  std::shared_ptr<UserData> user_;
};

Status requireEnv(const cgym_env_t* env) {
  if (env == nullptr || !env->env) return nullArgument("env");
  if (env->queue) return Status(StatusCode::kFailedPrecondition, "The env has a step in flight");
  return Status::OK();
}

}  // namespace

client::EnvOptions envOptionsFrom(const cgym_options_t* options) {
  client::EnvOptions envOptions;
  if (options) {
    envOptions.connection = options->connection;
    envOptions.benchmark = options->benchmark;
    envOptions.observation_space = options->observationSpace.value_or("");
    envOptions.reward_space = options->rewardSpace.value_or("");
    envOptions.action_space = options->actionSpace.value_or("");
  }
  return envOptions;
}

Status spaceNames(const char* const* list, size_t n, const char* what,
                  std::optional<std::vector<std::string>>* out) {
  if (!list) return Status::OK();
  out->emplace();
  for (size_t i = 0; i < n; ++i) {
    if (!list[i]) return nullArgument(what);
    (*out)->push_back(list[i]);
  }
  return Status::OK();
}

namespace {

Status nonNegative(double value, const char* name) {
  if (!(value >= 0)) {
    return Status(StatusCode::kInvalidArgument, std::string(name) + " must not be negative");
  }
  return Status::OK();
}

template <typename Fn>
cgym_status_t setOption(cgym_options_t* o, Fn&& fn) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(o);
    return fn(*o);
  });
}

std::string nameOrEmpty(const char* name) { return name ? name : ""; }

compiler_gym::Benchmark makeBenchmark(const char* uri, const void* program, size_t length) {
  compiler_gym::Benchmark benchmark;
  benchmark.set_uri(uri);
  if (program) benchmark.mutable_program()->set_contents(static_cast<const char*>(program), length);
  return benchmark;
}

Status stepDefault(cgym_env_t* env, const Event& action, int* done, double* reward) {
  client::StepResult result;
  CGYM_RETURN_IF_ERROR(env->env->step(action, &result));
  if (done) *done = result.done;
  if (reward) *reward = result.rewards.empty() ? 0 : result.rewards[0];
  return Status::OK();
}

Status observe(cgym_env_t* env, const char* space, Event* out) {
  CGYM_RETURN_IF_ERROR(requireEnv(env));
  CGYM_CHECK_ARG(space);
  return env->env->observe(space, out);
}

}  // namespace

extern "C" {

// --- Options ------------------------------------------------------------------------------

cgym_status_t cgym_options_new(cgym_options_t** out) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    *out = new cgym_options();
    return Status::OK();
  });
}

void cgym_options_free(cgym_options_t* options) { delete options; }

#define CGYM_INT_OPTION(field)                                           \
  cgym_status_t cgym_options_set_##field(cgym_options_t* o, int value) { \
    return setOption(o, [&](cgym_options_t& opts) -> Status {            \
      CGYM_RETURN_IF_ERROR(nonNegative(value, #field));                  \
      opts.connection.field = value;                                     \
      return Status::OK();                                               \
    });                                                                  \
  }
#define CGYM_DOUBLE_OPTION(field)                                           \
  cgym_status_t cgym_options_set_##field(cgym_options_t* o, double value) { \
    return setOption(o, [&](cgym_options_t& opts) -> Status {               \
      CGYM_RETURN_IF_ERROR(nonNegative(value, #field));                     \
      opts.connection.field = value;                                        \
      return Status::OK();                                                  \
    });                                                                     \
  }
CGYM_INT_OPTION(rpc_max_retries)
CGYM_DOUBLE_OPTION(retry_wait_seconds)
CGYM_DOUBLE_OPTION(retry_wait_backoff_exponent)
CGYM_DOUBLE_OPTION(init_max_seconds)
CGYM_INT_OPTION(init_max_attempts)
CGYM_DOUBLE_OPTION(local_service_port_init_max_seconds)
CGYM_DOUBLE_OPTION(local_service_exit_max_seconds)
CGYM_DOUBLE_OPTION(rpc_init_max_seconds)
#undef CGYM_INT_OPTION
#undef CGYM_DOUBLE_OPTION

cgym_status_t cgym_options_set_always_send_benchmark_on_reset(cgym_options_t* o, int value) {
  return setOption(o, [&](cgym_options_t& opts) {
    opts.connection.always_send_benchmark_on_reset = value != 0;
    return Status::OK();
  });
}

cgym_status_t cgym_options_add_script_arg(cgym_options_t* o, const char* arg) {
  return setOption(o, [&](cgym_options_t& opts) -> Status {
    CGYM_CHECK_ARG(arg);
    opts.connection.script_args.push_back(arg);
    return Status::OK();
  });
}

cgym_status_t cgym_options_set_script_env(cgym_options_t* o, const char* key, const char* value) {
  return setOption(o, [&](cgym_options_t& opts) -> Status {
    CGYM_CHECK_ARG(key);
    CGYM_CHECK_ARG(value);
    opts.connection.script_env[key] = value;
    return Status::OK();
  });
}

cgym_status_t cgym_options_set_token(cgym_options_t* o, const char* token) {
  return setOption(o, [&](cgym_options_t& opts) -> Status {
    client::ConnectionOpts connection = opts.connection;
    connection.token = token ? token : "";
    CGYM_RETURN_IF_ERROR(connection.validate());
    opts.connection = std::move(connection);
    return Status::OK();
  });
}

cgym_status_t cgym_options_set_tls(cgym_options_t* o, const char* root_certs_path,
                                   const char* client_cert_path, const char* client_key_path) {
  return setOption(o, [&](cgym_options_t& opts) -> Status {
    const std::string cert = client_cert_path ? client_cert_path : "";
    const std::string key = client_key_path ? client_key_path : "";
    if (cert.empty() != key.empty()) {
      return Status(StatusCode::kInvalidArgument,
                    "client_cert_path and client_key_path go together: give both or neither");
    }
    opts.connection.tls = true;
    opts.connection.tls_root_certs = root_certs_path ? root_certs_path : "";
    opts.connection.tls_client_cert = cert;
    opts.connection.tls_client_key = key;
    return Status::OK();
  });
}

cgym_status_t cgym_options_set_benchmark(cgym_options_t* o, const char* uri, const void* program,
                                         size_t length) {
  return setOption(o, [&](cgym_options_t& opts) -> Status {
    CGYM_CHECK_ARG(uri);
    opts.benchmark = makeBenchmark(uri, program, length);
    return Status::OK();
  });
}

cgym_status_t cgym_options_set_observation_space(cgym_options_t* o, const char* name) {
  return setOption(o, [&](cgym_options_t& opts) {
    opts.observationSpace = nameOrEmpty(name);
    return Status::OK();
  });
}

cgym_status_t cgym_options_set_reward_space(cgym_options_t* o, const char* name) {
  return setOption(o, [&](cgym_options_t& opts) {
    opts.rewardSpace = nameOrEmpty(name);
    return Status::OK();
  });
}

cgym_status_t cgym_options_set_action_space(cgym_options_t* o, const char* name) {
  return setOption(o, [&](cgym_options_t& opts) {
    opts.actionSpace = nameOrEmpty(name);
    return Status::OK();
  });
}

// --- Envs ---------------------------------------------------------------------------------

cgym_status_t cgym_connect(cgym_env_t** out, const char* endpoint, const cgym_options_t* options) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    CGYM_CHECK_ARG(endpoint);
    auto env = std::make_unique<cgym_env>();
    CGYM_RETURN_IF_ERROR(Env::make(endpoint, envOptionsFrom(options), &env->env));
    *out = env.release();
    return Status::OK();
  });
}

void cgym_env_free(cgym_env_t* env) {
  if (env && env->borrowed) return;  // the vector env's
  try {
    delete env;  // the Env's destructor closes it, logging failures
  } catch (...) {
  }
}

cgym_status_t cgym_env_close(cgym_env_t* env) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return env->env->close();
  });
}

cgym_status_t cgym_env_reset(cgym_env_t* env, const cgym_call_options_t* call_options,
                             cgym_event_t** observation) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    client::ResetOptions options;
    if (call_options) options.timeout = call_options->timeout;
    std::optional<Event> first;
    CGYM_RETURN_IF_ERROR(env->env->reset(options, &first));
    if (observation) *observation = first ? wrap(new Event(std::move(*first))) : nullptr;
    return Status::OK();
  });
}

cgym_status_t cgym_env_set_benchmark(cgym_env_t* env, const char* uri, const void* program,
                                     size_t length) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(uri);
    env->env->setBenchmark(makeBenchmark(uri, program, length));
    return Status::OK();
  });
}

const char* cgym_env_benchmark(const cgym_env_t* env) {
  if (!env || !env->env || !env->env->benchmark()) return "";
  return env->env->benchmark()->uri().c_str();
}

cgym_status_t cgym_env_set_observation_space(cgym_env_t* env, const char* name) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return env->env->setObservationSpace(nameOrEmpty(name));
  });
}

cgym_status_t cgym_env_set_reward_space(cgym_env_t* env, const char* name) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return env->env->setRewardSpace(nameOrEmpty(name));
  });
}

cgym_status_t cgym_env_set_action_space(cgym_env_t* env, const char* name) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return env->env->setActionSpace(nameOrEmpty(name));
  });
}

// --- Steps --------------------------------------------------------------------------------

cgym_status_t cgym_call_options_new(cgym_call_options_t** out) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    *out = new cgym_call_options();
    return Status::OK();
  });
}

void cgym_call_options_free(cgym_call_options_t* options) { delete options; }

cgym_status_t cgym_call_options_set_timeout(cgym_call_options_t* options, double seconds) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(options);
    CGYM_RETURN_IF_ERROR(nonNegative(seconds, "timeout"));
    options->timeout = seconds;
    return Status::OK();
  });
}

cgym_status_t cgym_step(cgym_env_t* env, const cgym_event_t* const* actions, size_t num_actions,
                        const char* const* observation_spaces, size_t num_observation_spaces,
                        const char* const* reward_spaces, size_t num_reward_spaces,
                        const cgym_call_options_t* call_options, cgym_step_result_t** result) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(result);
    if (num_actions > 0) CGYM_CHECK_ARG(actions);
    std::vector<Event> steps;
    steps.reserve(num_actions);
    for (size_t i = 0; i < num_actions; ++i) {
      if (!actions[i]) return nullArgument("actions[i]");
      steps.push_back(*unwrap(actions[i]));
    }
    client::StepOptions options;
    if (call_options) options.timeout = call_options->timeout;
    CGYM_RETURN_IF_ERROR(spaceNames(observation_spaces, num_observation_spaces,
                                    "observation_spaces[i]", &options.observation_spaces));
    CGYM_RETURN_IF_ERROR(
        spaceNames(reward_spaces, num_reward_spaces, "reward_spaces[i]", &options.reward_spaces));
    auto out = std::make_unique<client::StepOutcome>();
    CGYM_RETURN_IF_ERROR(env->env->step(steps, &out->result, options));
    *result = wrap(out.release());
    return Status::OK();
  });
}

void cgym_step_result_free(cgym_step_result_t* result) { delete unwrap(result); }

cgym_status_t cgym_step_result_observation_count(const cgym_step_result_t* r, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(r);
    return countOf(unwrap(r)->result.observations, count);
  });
}

cgym_status_t cgym_step_result_observation_at(const cgym_step_result_t* r, size_t index,
                                              const cgym_event_t** observation) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(r);
    CGYM_CHECK_ARG(observation);
    CGYM_RETURN_IF_ERROR(checkIndex(index, unwrap(r)->result.observations.size(), "observation"));
    *observation = wrap(&unwrap(r)->result.observations[index]);
    return Status::OK();
  });
}

cgym_status_t cgym_step_result_reward_count(const cgym_step_result_t* r, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(r);
    return countOf(unwrap(r)->result.rewards, count);
  });
}

cgym_status_t cgym_step_result_reward_at(const cgym_step_result_t* r, size_t index,
                                         double* reward) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(r);
    CGYM_CHECK_ARG(reward);
    CGYM_RETURN_IF_ERROR(checkIndex(index, unwrap(r)->result.rewards.size(), "reward"));
    *reward = unwrap(r)->result.rewards[index];
    return Status::OK();
  });
}

int cgym_step_result_done(const cgym_step_result_t* r) { return r ? unwrap(r)->result.done : 0; }

int cgym_step_result_action_had_no_effect(const cgym_step_result_t* r) {
  return r ? unwrap(r)->result.info.action_had_no_effect : 0;
}

int cgym_step_result_new_action_space(const cgym_step_result_t* r) {
  return r ? unwrap(r)->result.info.new_action_space : 0;
}

const char* cgym_step_result_error_type(const cgym_step_result_t* r) {
  return r ? unwrap(r)->result.info.error_type.c_str() : "";
}

const char* cgym_step_result_error_details(const cgym_step_result_t* r) {
  return r ? unwrap(r)->result.info.error_details.c_str() : "";
}

cgym_status_t cgym_step_result_status(const cgym_step_result_t* r) {
  return r ? static_cast<cgym_status_t>(unwrap(r)->status.code()) : CGYM_OK;
}

const char* cgym_step_result_status_message(const cgym_step_result_t* r) {
  return r ? unwrap(r)->status.message().c_str() : "";
}

cgym_status_t cgym_step_index(cgym_env_t* env, int64_t action, int* done, double* reward) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    Event event;
    event.set_int64_value(action);
    return stepDefault(env, event, done, reward);
  });
}

cgym_status_t cgym_step_name(cgym_env_t* env, const char* action, int* done, double* reward) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(action);
    const compiler_gym::Space& space = env->env->actionSpace().space();
    if (!space.has_named_discrete()) {
      return Status(StatusCode::kFailedPrecondition,
                    "Action space '" + env->env->actionSpace().name() + "' has no action names");
    }
    const auto& names = space.named_discrete().name();
    auto it = std::find(names.begin(), names.end(), std::string(action));
    if (it == names.end()) {
      return Status(StatusCode::kNotFound, std::string("Unknown action: ") + action);
    }
    Event event;
    event.set_int64_value(it - names.begin());
    return stepDefault(env, event, done, reward);
  });
}

// --- Observations and rewards -------------------------------------------------------------

cgym_status_t cgym_env_observe(cgym_env_t* env, const char* space, cgym_event_t** observation) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(observation);
    auto event = std::make_unique<Event>();
    CGYM_RETURN_IF_ERROR(observe(env, space, event.get()));
    *observation = wrap(event.release());
    return Status::OK();
  });
}

cgym_status_t cgym_env_observe_double(cgym_env_t* env, const char* space, double* value) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(value);
    Event event;
    CGYM_RETURN_IF_ERROR(observe(env, space, &event));
    std::optional<double> scalar = client::scalarValue(event);
    if (!scalar) {
      return Status(StatusCode::kFailedPrecondition,
                    std::string("Observation '") + space + "' is not a scalar number");
    }
    *value = *scalar;
    return Status::OK();
  });
}

cgym_status_t cgym_env_observe_int64s(cgym_env_t* env, const char* space, int64_t* values,
                                      size_t capacity, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(count);
    if (capacity > 0) CGYM_CHECK_ARG(values);
    Event event;
    CGYM_RETURN_IF_ERROR(observe(env, space, &event));
    std::vector<int64_t> data;
    if (event.has_int64_tensor()) {
      data.assign(event.int64_tensor().value().begin(), event.int64_tensor().value().end());
    } else if (event.value_case() == Event::kInt64Value) {
      data.push_back(event.int64_value());
    } else {
      return Status(StatusCode::kFailedPrecondition,
                    std::string("Observation '") + space + "' is not int64 values");
    }
    *count = data.size();
    if (capacity == 0) return Status::OK();  // a size query
    if (data.size() > capacity) {
      return Status(StatusCode::kOutOfRange,
                    "Observation '" + std::string(space) + "' has " + std::to_string(data.size()) +
                        " values, more than the capacity " + std::to_string(capacity));
    }
    std::copy(data.begin(), data.end(), values);
    return Status::OK();
  });
}

cgym_status_t cgym_env_observe_string(cgym_env_t* env, const char* space, char** value,
                                      size_t* length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(value);
    Event event;
    CGYM_RETURN_IF_ERROR(observe(env, space, &event));
    if (event.value_case() != Event::kStringValue) {
      return Status(StatusCode::kFailedPrecondition,
                    std::string("Observation '") + space + "' is not a string");
    }
    *value = ownedString(event.string_value());
    if (length) *length = event.string_value().size();
    return Status::OK();
  });
}

cgym_status_t cgym_env_reward(cgym_env_t* env, const char* space, double* value) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(value);
    return env->env->reward(space, value);
  });
}

// --- Fork, parameters ---------------------------------------------------------------------

cgym_status_t cgym_fork(cgym_env_t* env, cgym_env_t** out) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(out);
    auto fork = std::make_unique<cgym_env>();
    CGYM_RETURN_IF_ERROR(env->env->fork(&fork->env));
    *out = fork.release();
    return Status::OK();
  });
}

cgym_status_t cgym_send_param(cgym_env_t* env, const char* key, const char* value,
                              int resend_on_reset, char** reply) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(key);
    CGYM_CHECK_ARG(value);
    std::string answer;
    CGYM_RETURN_IF_ERROR(env->env->sendParam(key, value, &answer, resend_on_reset != 0));
    if (reply) *reply = ownedString(answer);
    return Status::OK();
  });
}

cgym_status_t cgym_send_params(cgym_env_t* env, const char* const* keys, const char* const* values,
                               size_t count, int resend_on_reset, char*** replies) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    if (count > 0) {
      CGYM_CHECK_ARG(keys);
      CGYM_CHECK_ARG(values);
    }
    std::vector<std::pair<std::string, std::string>> params;
    for (size_t i = 0; i < count; ++i) {
      if (!keys[i] || !values[i]) return nullArgument("keys[i] and values[i]");
      params.emplace_back(keys[i], values[i]);
    }
    std::vector<std::string> answers;
    CGYM_RETURN_IF_ERROR(env->env->sendParams(params, &answers, resend_on_reset != 0));
    if (replies) {
      char** out = static_cast<char**>(std::calloc(answers.size() + 1, sizeof(char*)));
      if (!out) throw std::bad_alloc();
      for (size_t i = 0; i < answers.size(); ++i) out[i] = ownedString(answers[i]);
      *replies = out;
    }
    return Status::OK();
  });
}

// --- States -------------------------------------------------------------------------------

cgym_status_t cgym_env_state_json(const cgym_env_t* env, char** json) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(json);
    client::CompilerEnvState state;
    CGYM_RETURN_IF_ERROR(env->env->state(&state));
    *json = ownedString(state.toJson());
    return Status::OK();
  });
}

cgym_status_t cgym_env_state_csv(const cgym_env_t* env, int header, char** csv) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(csv);
    client::CompilerEnvState state;
    CGYM_RETURN_IF_ERROR(env->env->state(&state));
    std::ostringstream out;
    client::CompilerEnvStateWriter writer(out, header != 0);
    writer.writeState(state);
    *csv = ownedString(out.str());
    return Status::OK();
  });
}

cgym_status_t cgym_env_apply_state(cgym_env_t* env, const char* state_json) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(state_json);
    client::CompilerEnvState state;
    CGYM_RETURN_IF_ERROR(client::CompilerEnvState::fromJson(state_json, &state));
    return env->env->apply(state);
  });
}

cgym_status_t cgym_env_validate(cgym_env_t* env, const char* state_json, int* okay,
                                char** result_json) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(okay);
    std::optional<client::CompilerEnvState> state;
    if (state_json) {
      state.emplace();
      CGYM_RETURN_IF_ERROR(client::CompilerEnvState::fromJson(state_json, &*state));
    }
    client::ValidationResult result;
    CGYM_RETURN_IF_ERROR(env->env->validate(state, &result));
    if (result_json) *result_json = ownedString(result.toJson());
    *okay = result.okay();
    return Status::OK();
  });
}

cgym_status_t cgym_states_csv_to_json(const char* csv, char** json) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(csv);
    CGYM_CHECK_ARG(json);
    std::istringstream in(csv);
    std::vector<client::CompilerEnvState> states;
    CGYM_RETURN_IF_ERROR(client::readStates(in, &states));
    std::string out = "[";
    for (size_t i = 0; i < states.size(); ++i) out += (i ? ", " : "") + states[i].toJson();
    *json = ownedString(out + "]");
    return Status::OK();
  });
}

cgym_status_t cgym_states_json_to_csv(const char* json, int header, char** csv) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(json);
    CGYM_CHECK_ARG(csv);
    std::vector<client::CompilerEnvState> states;
    CGYM_RETURN_IF_ERROR(client::statesFromJsonArray(json, &states));
    std::ostringstream out;
    client::CompilerEnvStateWriter writer(out, header != 0);
    for (const auto& state : states) writer.writeState(state);
    *csv = ownedString(out.str());
    return Status::OK();
  });
}

// --- Episode facts, versions, spaces --------------------------------------------------------

int cgym_env_in_episode(const cgym_env_t* env) { return env && env->env && env->env->inEpisode(); }

double cgym_env_episode_reward(const cgym_env_t* env, int* has_reward) {
  std::optional<double> reward = env && env->env ? env->env->episodeReward() : std::nullopt;
  if (has_reward) *has_reward = reward.has_value();
  return reward.value_or(0);
}

double cgym_env_episode_walltime(const cgym_env_t* env) {
  return env && env->env ? env->env->episodeWalltime() : 0;
}

cgym_status_t cgym_env_action_count(const cgym_env_t* env, size_t* count) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return countOf(env->env->actions(), count);
  });
}

cgym_status_t cgym_env_action_at(const cgym_env_t* env, size_t index, const cgym_event_t** action) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(action);
    CGYM_RETURN_IF_ERROR(checkIndex(index, env->env->actions().size(), "action"));
    *action = wrap(&env->env->actions()[index]);
    return Status::OK();
  });
}

cgym_status_t cgym_env_version(cgym_env_t* env, const char** service_version,
                               const char** compiler_version) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    if (!env->versionsKnown) {
      CGYM_RETURN_IF_ERROR(env->env->version(&env->serviceVersion));
      CGYM_RETURN_IF_ERROR(env->env->compilerVersion(&env->compilerVersion));
      env->versionsKnown = true;
    }
    if (service_version) *service_version = env->serviceVersion.c_str();
    if (compiler_version) *compiler_version = env->compilerVersion.c_str();
    return Status::OK();
  });
}

cgym_status_t cgym_env_action_space_count(const cgym_env_t* env, size_t* count) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return countOf(env->env->actionSpaces(), count);
  });
}

cgym_status_t cgym_env_action_space_at(const cgym_env_t* env, size_t index,
                                       const cgym_action_space_t** space) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(space);
    CGYM_RETURN_IF_ERROR(checkIndex(index, env->env->actionSpaces().size(), "action space"));
    *space = wrap(&env->env->actionSpaces()[index]);
    return Status::OK();
  });
}

const cgym_action_space_t* cgym_env_action_space(const cgym_env_t* env) {
  if (!env || !env->env || env->env->actionSpaces().empty()) return nullptr;
  return wrap(&env->env->actionSpace());
}

cgym_status_t cgym_env_observation_space_count(const cgym_env_t* env, size_t* count) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return countOf(env->env->observationSpaces(), count);
  });
}

cgym_status_t cgym_env_observation_space_at(const cgym_env_t* env, size_t index,
                                            const cgym_observation_space_t** space) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(space);
    CGYM_RETURN_IF_ERROR(
        checkIndex(index, env->env->observationSpaces().size(), "observation space"));
    *space = wrap(&env->env->observationSpaces()[index].message);
    return Status::OK();
  });
}

cgym_status_t cgym_env_reward_space_count(const cgym_env_t* env, size_t* count) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    return countOf(env->env->rewardSpaces(), count);
  });
}

cgym_status_t cgym_env_reward_space_at(const cgym_env_t* env, size_t index, const char** name) {
  return guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(name);
    CGYM_RETURN_IF_ERROR(checkIndex(index, env->env->rewardSpaces().size(), "reward space"));
    *name = env->env->rewardSpaces()[index]->name().c_str();
    return Status::OK();
  });
}

cgym_status_t cgym_env_add_reward(cgym_env_t* env, const char* name,
                                  const char* const* observation_spaces,
                                  size_t num_observation_spaces, double default_value,
                                  int default_negates_returns, int deterministic,
                                  const cgym_reward_vtable_t* vtable, void* user_data) {
  // The reward owns user_data whatever happens: release it here if the reward is not made.
  bool owned = false;
  const cgym_status_t status = guard([&]() -> Status {
    CGYM_RETURN_IF_ERROR(requireEnv(env));
    CGYM_CHECK_ARG(name);
    CGYM_CHECK_ARG(vtable);
    if (vtable->version == 0 || vtable->version > CGYM_REWARD_VTABLE_VERSION) {
      return Status(StatusCode::kInvalidArgument,
                    "Unsupported cgym_reward_vtable_t version " + std::to_string(vtable->version));
    }
    if (!vtable->update) return nullArgument("vtable->update");
    if (num_observation_spaces > 0) CGYM_CHECK_ARG(observation_spaces);
    client::Reward::Spec spec;
    spec.name = name;
    for (size_t i = 0; i < num_observation_spaces; ++i) {
      if (!observation_spaces[i]) return nullArgument("observation_spaces[i]");
      if (!env->env->findObservationSpace(observation_spaces[i])) {
        return Status(StatusCode::kNotFound,
                      std::string("Observation space not found: ") + observation_spaces[i]);
      }
      spec.observationSpaces.push_back(observation_spaces[i]);
    }
    spec.defaultValue = default_value;
    spec.defaultNegatesReturns = default_negates_returns != 0;
    spec.deterministic = deterministic != 0;
    // Only the first `version` slots exist in an older caller's struct.
    cgym_reward_vtable_t copy{};
    std::memcpy(&copy, vtable, sizeof(copy));
    auto user = std::make_shared<CReward::UserData>(copy, user_data);
    owned = true;
    env->env->addReward(std::make_unique<CReward>(std::move(spec), std::move(user)));
    return Status::OK();
  });
  if (!owned && vtable && vtable->version >= 1 && vtable->destroy) vtable->destroy(user_data);
  return status;
}

}  // extern "C"
