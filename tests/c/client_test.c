/* SPDX-License-Identifier: MIT */
/* The client half of cgym.h from C: every function, its success and its error paths, against
 * the example services (C++ and, when built, C) as managed services. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

static const char* service_path(void** state) { return (const char*)*state; }

static cgym_env_t* connect_env(const char* service, const char* observation, const char* reward) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  static const char program[] = "Ir data";
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/foo", program,
                                       sizeof program - 1));
  assert_ok(cgym_options_set_observation_space(options, observation));
  assert_ok(cgym_options_set_reward_space(options, reward));
  assert_ok(cgym_connect(&env, service, options));
  cgym_options_free(options);
  return env;
}

static void test_options(void** state) {
  cgym_options_t* o = NULL;
  (void)state;
  assert_fails(cgym_options_new(NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_options_new(&o));
  assert_ok(cgym_options_set_rpc_max_retries(o, 2));
  assert_ok(cgym_options_set_retry_wait_seconds(o, 0.01));
  assert_ok(cgym_options_set_retry_wait_backoff_exponent(o, 2));
  assert_ok(cgym_options_set_init_max_seconds(o, 10));
  assert_ok(cgym_options_set_init_max_attempts(o, 2));
  assert_ok(cgym_options_set_local_service_port_init_max_seconds(o, 10));
  assert_ok(cgym_options_set_local_service_exit_max_seconds(o, 10));
  assert_ok(cgym_options_set_rpc_init_max_seconds(o, 3));
  assert_ok(cgym_options_set_always_send_benchmark_on_reset(o, 1));
  assert_ok(cgym_options_add_script_arg(o, "-v=0"));
  assert_ok(cgym_options_set_script_env(o, "CGYM_TEST", "1"));
  assert_ok(cgym_options_set_benchmark(o, "benchmark://x/y", NULL, 0));
  assert_ok(cgym_options_set_action_space(o, "default"));
  assert_ok(cgym_options_set_observation_space(o, NULL));
  assert_ok(cgym_options_set_reward_space(o, ""));
  assert_fails(cgym_options_set_rpc_max_retries(o, -1), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_init_max_seconds(o, -1), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_retry_wait_seconds(NULL, 1), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_add_script_arg(o, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_script_env(o, "K", NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_benchmark(o, NULL, NULL, 0), CGYM_INVALID_ARGUMENT);
  cgym_options_free(o);
  cgym_options_free(NULL);
}

static void test_connect_errors(void** state) {
  cgym_env_t* env = NULL;
  cgym_options_t* o = NULL;
  (void)state;
  assert_fails(cgym_connect(NULL, "x", NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_connect(&env, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_connect(&env, "", NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_connect(&env, "/nonexistent/service", NULL), CGYM_NOT_FOUND);
  assert_string_equal(cgym_last_error_message(), "File not found: /nonexistent/service");
  assert_fails(cgym_connect(&env, "inproc:not-registered", NULL), CGYM_NOT_FOUND);
  assert_ok(cgym_options_new(&o));
  assert_ok(cgym_options_set_init_max_attempts(o, 1));
  assert_ok(cgym_options_set_rpc_init_max_seconds(o, 0.2));
  /* Nothing listens on port 1. */
  assert_int_not_equal(cgym_connect(&env, "127.0.0.1:1", o), CGYM_OK);
  assert_true(strstr(cgym_last_error_message(), "Failed to create connection to 127.0.0.1:1") !=
              NULL);
  cgym_options_free(o);
  assert_null(env);
}

static void test_calls_on_null_env(void** state) {
  cgym_step_result_t* result = NULL;
  const cgym_event_t* observation = NULL;
  size_t count = 0;
  double value = 0;
  (void)state;
  assert_fails(cgym_env_reset(NULL, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_close(NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step(NULL, NULL, 0, NULL, 0, NULL, 0, NULL, &result), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step_index(NULL, 0, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_observe_double(NULL, "runtime", &value), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_fork(NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_send_param(NULL, "k", "v", 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_int_equal(cgym_env_in_episode(NULL), 0);
  assert_fails(cgym_env_action_count(NULL, &count), CGYM_INVALID_ARGUMENT);
  assert_true(cgym_env_episode_reward(NULL, NULL) == 0);
  assert_true(cgym_env_episode_walltime(NULL) == 0);
  assert_string_equal(cgym_env_benchmark(NULL), "");
  assert_null(cgym_env_action_space(NULL));
  assert_fails(cgym_env_observation_space_count(NULL, &count), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step_result_observation_count(NULL, &count), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step_result_observation_at(NULL, 0, &observation), CGYM_INVALID_ARGUMENT);
  assert_int_equal(cgym_step_result_done(NULL), 0);
  assert_string_equal(cgym_step_result_error_type(NULL), "");
  cgym_env_free(NULL);
  cgym_step_result_free(NULL);
}

static void test_before_reset(void** state) {
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  cgym_step_result_t* result = NULL;
  cgym_event_t* obs = NULL;
  assert_int_equal(cgym_env_in_episode(env), 0);
  assert_fails(cgym_step_index(env, 0, NULL, NULL), CGYM_SESSION_NOT_FOUND);
  assert_string_equal(cgym_last_error_message(), "Must call reset() before step()");
  assert_fails(cgym_step(env, NULL, 0, NULL, 0, NULL, 0, NULL, &result), CGYM_SESSION_NOT_FOUND);
  assert_fails(cgym_env_observe(env, "ir", &obs), CGYM_SESSION_NOT_FOUND);
  assert_fails(cgym_send_param(env, "k", "v", 0, NULL), CGYM_SESSION_NOT_FOUND);
  assert_string_equal(cgym_last_error_message(), "Must call reset() before send_params()");
  assert_null(result);
  assert_null(obs);
  cgym_env_free(env);
}

static void test_episode(void** state) {
  cgym_env_t* env = connect_env(service_path(state), "ir", NULL);
  cgym_event_t* obs = NULL;
  const char* data = NULL;
  size_t length = 0;
  int done = -1;
  const char *service = NULL, *compiler = NULL;
  const cgym_action_space_t* action_space = NULL;
  const cgym_observation_space_t* observation_space = NULL;
  const cgym_event_t* action = NULL;
  int64_t value = -1;
  double reward = 0;

  assert_ok(cgym_env_version(env, &service, &compiler));
  assert_string_equal(service, "0.2.5");
  assert_string_equal(compiler, "1.0.0");
  assert_string_equal(cgym_action_space_name(cgym_env_action_space(env)), "default");
  assert_int_equal(env_action_space_count(env), 1);
  assert_non_null(env_action_space_at(env, 0));
  assert_fails(cgym_env_action_space_at(env, 1, &action_space), CGYM_OUT_OF_RANGE);
  assert_fails(cgym_env_action_space_at(env, 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_int_equal(env_observation_space_count(env), 3);
  assert_string_equal(cgym_observation_space_name(env_observation_space_at(env, 1)), "features");
  assert_fails(cgym_env_observation_space_at(env, 3, &observation_space), CGYM_OUT_OF_RANGE);
  assert_null(observation_space);
  assert_fails(cgym_env_observation_space_count(env, NULL), CGYM_INVALID_ARGUMENT);

  assert_ok(cgym_env_reset(env, NULL, &obs));
  assert_int_equal(cgym_event_kind(obs), CGYM_EVENT_STRING);
  assert_ok(cgym_event_get_string(obs, &data, &length));
  assert_int_equal(length, 13);
  assert_memory_equal(data, "Hello, world!", 13);
  cgym_event_free(obs);
  assert_int_equal(cgym_env_in_episode(env), 1);
  assert_string_equal(cgym_env_benchmark(env), "benchmark://example-compiler-v0/foo");

  assert_ok(cgym_step_index(env, 1, &done, NULL));
  assert_int_equal(done, 0);
  assert_ok(cgym_step_name(env, "c", &done, NULL));
  assert_fails(cgym_step_name(env, "z", &done, NULL), CGYM_NOT_FOUND);
  assert_fails(cgym_step_name(env, NULL, &done, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step_index(env, 100, &done, NULL), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "Out-of-range");
  assert_int_equal(cgym_env_in_episode(env), 1);
  /* The episode's actions: the two applied and the rejected one, in order. */
  assert_int_equal(env_action_count(env), 3);
  /* No reward spaces at all: an unknown reward is NOT_FOUND, as with reward spaces. */
  assert_int_equal(env_reward_space_count(env), 0);
  assert_fails(cgym_env_reward(env, "nope", &reward), CGYM_NOT_FOUND);
  assert_ok(cgym_env_action_at(env, 0, &action));
  assert_ok(cgym_event_get_int64(action, &value));
  assert_int_equal(value, 1);
  assert_ok(cgym_env_action_at(env, 1, &action));
  assert_ok(cgym_event_get_int64(action, &value));
  assert_int_equal(value, 2);
  assert_fails(cgym_env_action_at(env, 3, &action), CGYM_OUT_OF_RANGE);
  assert_ok(cgym_env_close(env));
  assert_ok(cgym_env_close(env));
  assert_int_equal(cgym_env_in_episode(env), 0);
  /* After close: no episode until the next reset, which reconnects. */
  assert_fails(cgym_step_index(env, 0, &done, NULL), CGYM_SESSION_NOT_FOUND);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_index(env, 0, &done, NULL));
  cgym_env_free(env);
}

static void test_step_with_spaces(void** state) {
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  cgym_event_t *a = NULL, *b = NULL;
  const cgym_event_t* actions[2];
  const char* observations[] = {"features", "runtime", "ir"};
  const char* unknown[] = {"nope"};
  cgym_step_result_t* result = NULL;
  const uint64_t* shape = NULL;
  const cgym_event_t* observation = NULL;
  size_t ndim = 0;
  double value = -1;

  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_event_new_int64(&a, 0));
  assert_ok(cgym_event_new_int64(&b, 2));
  actions[0] = a;
  actions[1] = b;
  assert_ok(cgym_step(env, actions, 2, observations, 3, NULL, 0, NULL, &result));
  assert_int_equal(result_observation_count(result), 3);
  assert_int_equal(cgym_event_kind(result_observation(result, 0)), CGYM_EVENT_INT64_TENSOR);
  assert_ok(cgym_event_tensor_shape(result_observation(result, 0), &shape, &ndim));
  assert_int_equal(ndim, 1);
  assert_int_equal(shape[0], 3);
  assert_ok(cgym_event_get_double(result_observation(result, 1), &value));
  assert_true(value == 0.0);
  assert_fails(cgym_step_result_observation_at(result, 3, &observation), CGYM_OUT_OF_RANGE);
  assert_null(observation);
  assert_int_equal(result_reward_count(result), 0);
  assert_fails(cgym_step_result_reward_at(result, 0, &value), CGYM_OUT_OF_RANGE);
  assert_fails(cgym_step_result_reward_count(result, NULL), CGYM_INVALID_ARGUMENT);
  assert_int_equal(cgym_step_result_done(result), 0);
  assert_int_equal(cgym_step_result_action_had_no_effect(result), 0);
  assert_int_equal(cgym_step_result_new_action_space(result), 0);
  assert_string_equal(cgym_step_result_error_type(result), "");
  assert_string_equal(cgym_step_result_error_details(result), "");
  cgym_step_result_free(result);
  result = NULL;
  /* No observations at all; unknown spaces; NULL actions with a count. */
  assert_ok(cgym_step(env, actions, 1, observations, 0, NULL, 0, NULL, &result));
  assert_int_equal(result_observation_count(result), 0);
  cgym_step_result_free(result);
  result = NULL;
  assert_fails(cgym_step(env, actions, 1, unknown, 1, NULL, 0, NULL, &result), CGYM_NOT_FOUND);
  assert_fails(cgym_step(env, actions, 1, NULL, 0, unknown, 1, NULL, &result), CGYM_NOT_FOUND);
  assert_fails(cgym_step(env, NULL, 1, NULL, 0, NULL, 0, NULL, &result), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step(env, actions, 1, NULL, 0, NULL, 0, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_null(result);
  cgym_event_free(a);
  cgym_event_free(b);
  cgym_env_free(env);
}

static void test_observations(void** state) {
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  int64_t values[3] = {9, 9, 9};
  size_t count = 0;
  char* text = NULL;
  size_t length = 0;
  double value = -1;
  cgym_event_t* event = NULL;

  assert_ok(cgym_env_reset(env, NULL, NULL));
  /* NULL with capacity 0 asks for the size; a buffer too small is OUT_OF_RANGE, with the count
   * set; a NULL buffer with a capacity is a bad argument. */
  assert_ok(cgym_env_observe_int64s(env, "features", NULL, 0, &count));
  assert_int_equal(count, 3);
  count = 0;
  assert_ok(cgym_env_observe_int64s(env, "features", values, 0, &count));
  assert_int_equal(count, 3);
  assert_int_equal(values[0], 9); /* capacity 0: nothing copied */
  count = 0;
  assert_fails(cgym_env_observe_int64s(env, "features", values, 1, &count), CGYM_OUT_OF_RANGE);
  assert_int_equal(count, 3);
  assert_fails(cgym_env_observe_int64s(env, "features", NULL, 3, &count), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_env_observe_int64s(env, "features", values, 3, &count));
  assert_int_equal(count, 3);
  assert_int_equal(values[0], 0);
  assert_int_equal(values[2], 0);
  assert_fails(cgym_env_observe_int64s(env, "features", values, 2, &count), CGYM_OUT_OF_RANGE);
  assert_fails(cgym_env_observe_int64s(env, "ir", values, 3, &count), CGYM_FAILED_PRECONDITION);
  assert_ok(cgym_env_observe_string(env, "ir", &text, &length));
  assert_string_equal(text, "Hello, world!");
  assert_int_equal(length, 13);
  cgym_free(text);
  assert_fails(cgym_env_observe_string(env, "runtime", &text, NULL), CGYM_FAILED_PRECONDITION);
  assert_ok(cgym_env_observe_double(env, "runtime", &value));
  assert_true(value == 0.0);
  assert_fails(cgym_env_observe_double(env, "ir", &value), CGYM_FAILED_PRECONDITION);
  assert_fails(cgym_env_observe_double(env, "nope", &value), CGYM_NOT_FOUND);
  assert_fails(cgym_env_observe(env, NULL, &event), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_observe(env, "ir", NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_env_observe(env, "ir", &event));
  assert_int_equal(cgym_event_kind(event), CGYM_EVENT_STRING);
  cgym_event_free(event);
  assert_fails(cgym_env_set_observation_space(env, "nope"), CGYM_NOT_FOUND);
  assert_fails(cgym_env_set_reward_space(env, "nope"), CGYM_NOT_FOUND);
  assert_fails(cgym_env_set_action_space(env, "nope"), CGYM_NOT_FOUND);
  assert_ok(cgym_env_set_action_space(env, "default"));
  cgym_env_free(env);
}

/* A reward written in C: the number of actions times the runtime observation plus one. */
typedef struct {
  int resets;
  int updates;
  int destroyed;
  int fail;
  cgym_status_t fail_silently; /* returned without a message when not CGYM_OK */
} counter_t;

static cgym_status_t counter_reset(void* user_data, const char* benchmark) {
  counter_t* c = (counter_t*)user_data;
  assert_string_equal(benchmark, "benchmark://example-compiler-v0/foo");
  c->resets++;
  return CGYM_OK;
}

static cgym_status_t counter_update(void* user_data, const cgym_event_t* const* actions,
                                    size_t num_actions, const cgym_event_t* const* observations,
                                    size_t num_observations, double* reward) {
  counter_t* c = (counter_t*)user_data;
  double runtime = -1;
  (void)actions;
  if (c->fail) return cgym_set_error(CGYM_ABORTED, "reward refused");
  if (c->fail_silently != CGYM_OK) return cgym_set_error(c->fail_silently, NULL);
  assert_int_equal(num_observations, 1);
  if (cgym_event_get_double(observations[0], &runtime) != CGYM_OK) return CGYM_CALLBACK_ERROR;
  c->updates++;
  *reward = (double)num_actions * (runtime + 1);
  return CGYM_OK;
}

static void counter_destroy(void* user_data) { ((counter_t*)user_data)->destroyed++; }

static void test_c_reward(void** state) {
  static const cgym_reward_vtable_t vtable = {CGYM_REWARD_VTABLE_VERSION, counter_reset,
                                              counter_update, NULL, counter_destroy};
  cgym_reward_vtable_t bad = vtable;
  counter_t counter = {0, 0, 0, 0, CGYM_OK};
  counter_t rejected = {0, 0, 0, 0, CGYM_OK};
  const char* inputs[] = {"runtime"};
  const char* unknown[] = {"nope"};
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  double reward = -1;
  int done = 0, has = -1;
  const char* name = NULL;
  size_t count = 0;

  assert_ok(cgym_env_add_reward(env, "count", inputs, 1, 0, 0, 1, &vtable, &counter));
  /* A failed call still takes the user data: destroy releases it before the call returns
   * (not for a vtable of version 0, whose layout is unknown). */
  bad.version = 0;
  assert_fails(cgym_env_add_reward(env, "bad", inputs, 1, 0, 0, 1, &bad, &rejected),
               CGYM_INVALID_ARGUMENT);
  assert_int_equal(rejected.destroyed, 0);
  bad = vtable;
  bad.update = NULL;
  assert_fails(cgym_env_add_reward(env, "bad", inputs, 1, 0, 0, 1, &bad, &rejected),
               CGYM_INVALID_ARGUMENT);
  assert_int_equal(rejected.destroyed, 1);
  assert_fails(cgym_env_add_reward(env, "bad", unknown, 1, 0, 0, 1, &vtable, &rejected),
               CGYM_NOT_FOUND);
  assert_fails(cgym_env_add_reward(env, NULL, inputs, 1, 0, 0, 1, &vtable, &rejected),
               CGYM_INVALID_ARGUMENT);
  assert_int_equal(rejected.destroyed, 3);
  assert_fails(cgym_env_add_reward(NULL, "bad", inputs, 1, 0, 0, 1, &vtable, &rejected),
               CGYM_INVALID_ARGUMENT);
  assert_int_equal(rejected.destroyed, 4);
  /* The example service has no default reward (no observation with a default value): the
   * one added. */
  assert_int_equal(env_reward_space_count(env), 1);
  assert_string_equal(env_reward_space_at(env, 0), "count");
  assert_fails(cgym_env_reward_space_at(env, 1, &name), CGYM_OUT_OF_RANGE);
  assert_fails(cgym_env_reward_space_at(NULL, 0, &name), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_reward_space_count(NULL, &count), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_env_set_reward_space(env, "count"));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_int_equal(counter.resets, 1);
  assert_ok(cgym_step_index(env, 0, &done, &reward));
  assert_true(reward == 1.0);
  assert_true(cgym_env_episode_reward(env, &has) == 1.0);
  assert_int_equal(has, 1);
  assert_ok(cgym_env_reward(env, "count", &reward));
  assert_true(reward == 0.0); /* no actions */
  assert_fails(cgym_env_reward(env, "nope", &reward), CGYM_NOT_FOUND);
  counter.fail = 1;
  assert_fails(cgym_step_index(env, 0, &done, &reward), CGYM_ABORTED);
  assert_string_equal(cgym_last_error_message(), "reward refused");
  counter.fail = 0;
  /* Without a message, the same one as a session slot's: "<slot> failed with <CODE>". */
  assert_ok(cgym_env_reset(env, NULL, NULL));
  counter.fail_silently = CGYM_ABORTED;
  assert_fails(cgym_step_index(env, 0, &done, &reward), CGYM_ABORTED);
  assert_string_equal(cgym_last_error_message(), "reward update failed with ABORTED");
  counter.fail_silently = 999;
  assert_fails(cgym_step_index(env, 0, &done, &reward), 999);
  assert_string_equal(cgym_last_error_message(), "reward update failed with code 999");
  counter.fail_silently = CGYM_OK;
  cgym_env_free(env);
  assert_int_equal(counter.destroyed, 1);
}

static void test_fork(void** state) {
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  cgym_env_t* fork = NULL;
  int done = 0;
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_index(env, 0, &done, NULL));
  assert_ok(cgym_step_index(env, 1, &done, NULL));
  assert_fails(cgym_fork(env, NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_fork(env, &fork));
  assert_int_equal(env_action_count(fork), 2);
  assert_string_equal(cgym_env_benchmark(fork), cgym_env_benchmark(env));
  assert_ok(cgym_step_index(fork, 2, &done, NULL));
  assert_int_equal(env_action_count(fork), 3);
  assert_int_equal(env_action_count(env), 2);
  assert_ok(cgym_env_close(env));
  assert_ok(cgym_step_index(fork, 2, &done, NULL)); /* the service lives on for the fork */
  cgym_env_free(fork);
  cgym_env_free(env);
}

static void test_params(void** state) {
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  char* reply = NULL;
  char** replies = NULL;
  const char* keys[] = {"service.benchmark_cache.set_max_size_in_bytes",
                        "service.benchmark_cache.get_max_size_in_bytes"};
  const char* values[] = {"256", ""};
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_send_param(env, "service.benchmark_cache.get_max_size_in_bytes", "", 0, &reply));
  assert_string_equal(reply, "54525952");
  cgym_free(reply);
  assert_ok(cgym_send_params(env, keys, values, 2, 0, &replies));
  assert_string_equal(replies[0], "256");
  assert_string_equal(replies[1], "256");
  cgym_free_strings(replies, 2);
  assert_ok(cgym_send_param(env, keys[1], "", 0, NULL));
  assert_fails(cgym_send_param(env, "unknown.key", "", 0, &reply), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "Unknown parameter: unknown.key");
  assert_fails(cgym_send_param(env, NULL, "", 0, &reply), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_send_params(env, NULL, NULL, 1, 0, &replies), CGYM_INVALID_ARGUMENT);
  /* A parameter to resend that the service rejects is not kept: the next reset works. */
  assert_fails(cgym_send_param(env, "unknown.resent", "1", 1, NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  /* A kept one is resent after every reset, and sending its key without resend withdraws it. */
  assert_ok(cgym_send_param(env, keys[0], "1000", 1, NULL));
  assert_ok(cgym_send_param(env, keys[0], "2000", 0, NULL));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_send_param(env, keys[1], "", 0, &reply));
  assert_string_equal(reply, "2000"); /* not set back to 1000 by the reset */
  cgym_free(reply);
  assert_ok(cgym_send_param(env, keys[0], "3000", 1, NULL));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_send_param(env, keys[0], "4000", 0, NULL)); /* withdraws it */
  assert_ok(cgym_send_param(env, keys[1], "", 0, &reply));
  assert_string_equal(reply, "4000");
  cgym_free(reply);
  /* Invalid UTF-8 is refused before anything is sent. */
  assert_fails(cgym_send_param(env, "bad\xff", "1", 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_send_param(env, keys[0], "\xc3", 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_env_set_benchmark(env, "benchmark://bad\xff", NULL, 0));
  assert_fails(cgym_env_reset(env, NULL, NULL), CGYM_INVALID_ARGUMENT);
  cgym_env_free(env);
}

static void test_state(void** state) {
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  cgym_env_t* other = connect_env(service_path(state), NULL, NULL);
  char *json = NULL, *csv = NULL, *result = NULL, *back = NULL;
  int done = 0, okay = 0;
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_name(env, "a", &done, NULL));
  assert_ok(cgym_step_name(env, "c", &done, NULL));
  assert_ok(cgym_env_state_json(env, &json));
  assert_true(strstr(json, "\"commandline\": \"a c\"") != NULL);
  assert_ok(cgym_env_state_csv(env, 1, &csv));
  assert_true(
      strncmp(csv, "benchmark,reward,walltime,commandline\nbenchmark://example-compiler-v0/foo,,",
              74) == 0);
  assert_ok(cgym_env_apply_state(other, json));
  assert_int_equal(env_action_count(other), 2);
  assert_ok(cgym_env_validate(env, json, &okay, &result));
  assert_int_equal(okay, 1);
  assert_true(strstr(result, "\"actions_replay_failed\": false") != NULL);
  cgym_free(result);
  assert_ok(cgym_env_validate(env, NULL, &okay, NULL));
  assert_int_equal(okay, 1);
  assert_ok(cgym_states_csv_to_json(csv, &back));
  assert_true(strstr(back, "\"commandline\": \"a c\"") != NULL);
  cgym_free(csv);
  assert_ok(cgym_states_json_to_csv(back, 0, &csv));
  assert_true(strncmp(csv, "benchmark://example-compiler-v0/foo,,", 37) == 0);
  assert_fails(cgym_env_apply_state(other, "{not json"), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_apply_state(other,
                                    "{\"benchmark\": \"benchmark://example-compiler-v0/foo\", "
                                    "\"commandline\": \"a z\", \"walltime\": 0}"),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_states_csv_to_json("abcdef\n", &back), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_states_json_to_csv("{}", 1, &csv), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_state_json(env, NULL), CGYM_INVALID_ARGUMENT);
  cgym_free(json);
  cgym_free(csv);
  cgym_free(back);
  /* An action the service rejected stays in the episode, and no commandline names it. */
  json = csv = NULL;
  assert_fails(cgym_step_index(other, 7, &done, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_state_json(other, &json), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "Action out of range: 7");
  assert_fails(cgym_env_state_csv(other, 1, &csv), CGYM_INVALID_ARGUMENT);
  assert_null(json);
  assert_null(csv);
  cgym_env_free(other);
  cgym_env_free(env);
}

/* The state converters, without a service: non-finite numbers, '\r' in quoted fields and a
 * leading U+FEFF survive both round trips; errors say why. */
static void test_states_conversion(void** state) {
  char *json = NULL, *csv = NULL, *back = NULL;
  char long_bad[400];
  (void)state;
  /* NaN and Infinity, as Python's json writes and reads them. */
  assert_ok(cgym_states_csv_to_json("benchmark://x-v0/m,nan,inf,x\n", &json));
  assert_string_equal(json,
                      "[{\"benchmark\": \"benchmark://x-v0/m\", \"commandline\": \"x\", "
                      "\"walltime\": Infinity, \"reward\": NaN}]");
  assert_ok(cgym_states_json_to_csv(json, 1, &csv));
  assert_string_equal(csv, "benchmark,reward,walltime,commandline\nbenchmark://x-v0/m,nan,inf,x\n");
  cgym_free(json);
  cgym_free(csv);
  assert_ok(cgym_states_json_to_csv(
      "[{\"benchmark\": \"NaN Infinity\", \"commandline\": \"\", \"walltime\": Infinity,"
      " \"reward\": -Infinity}, {\"benchmark\": \"b\", \"commandline\": \"\", \"walltime\": 0,"
      " \"reward\": 2}]",
      0, &csv));
  assert_string_equal(csv, "NaN Infinity,-inf,inf,\nb,2.0,0.0,\n");
  cgym_free(csv);
  csv = NULL;
  assert_fails(cgym_states_json_to_csv("[NaN", 0, &csv), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "Expected a JSON array of states: "));
  assert_non_null(strstr(cgym_last_error_message(), "parse error"));
  assert_fails(cgym_states_json_to_csv("{}", 0, &csv), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "Expected a JSON array of states, not object"));
  /* Only Python's spellings, as whole tokens. */
  assert_fails(cgym_states_json_to_csv("[-NaN]", 0, &csv), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_states_json_to_csv("[NaN.5]", 0, &csv), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_states_json_to_csv("[nan]", 0, &csv), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_states_json_to_csv("[+Infinity]", 0, &csv), CGYM_INVALID_ARGUMENT);
  /* The reason is cut to 200 bytes. */
  memset(long_bad, 'x', sizeof long_bad - 1);
  long_bad[0] = '[';
  long_bad[1] = '"';
  long_bad[sizeof long_bad - 1] = '\0';
  assert_fails(cgym_states_json_to_csv(long_bad, 0, &csv), CGYM_INVALID_ARGUMENT);
  assert_true(strlen(cgym_last_error_message()) <
              strlen("Expected a JSON array of states: ") + 200 + 4);
  assert_null(csv);

  /* A '\r' inside a quoted field is kept; outside quotes "\r\n" and "\r" end lines. */
  assert_ok(cgym_states_json_to_csv(
      "[{\"benchmark\": \"benchmark://x-v0/q\", \"commandline\": \"a,b\\rc\", \"walltime\": 0}]", 0,
      &csv));
  assert_string_equal(csv, "benchmark://x-v0/q,,0.0,\"a,b\rc\"\n");
  assert_ok(cgym_states_csv_to_json(csv, &back));
  assert_non_null(strstr(back, "\"commandline\": \"a,b\\rc\""));
  cgym_free(csv);
  cgym_free(back);
  assert_ok(cgym_states_csv_to_json("b,,1,\"x\r\ny\"\r\nc,,2,z\rd,,3,w\r", &back));
  assert_string_equal(back,
                      "[{\"benchmark\": \"b\", \"commandline\": \"x\\r\\ny\", \"walltime\": 1.0, "
                      "\"reward\": null}, {\"benchmark\": \"c\", \"commandline\": \"z\", "
                      "\"walltime\": 2.0, \"reward\": null}, {\"benchmark\": \"d\", "
                      "\"commandline\": \"w\", \"walltime\": 3.0, \"reward\": null}]");
  cgym_free(back);

  /* A benchmark that starts with U+FEFF is quoted, so it is not read as a byte order mark. */
  assert_ok(cgym_states_json_to_csv(
      "[{\"benchmark\": \"\\ufeffv0:x\", \"commandline\": \"\", \"walltime\": 1.0}]", 0, &csv));
  assert_string_equal(csv, "\"\xEF\xBB\xBFv0:x\",,1.0,\n");
  assert_ok(cgym_states_csv_to_json(csv, &back));
  assert_non_null(strstr(back, "\"benchmark\": \"\\ufeffv0:x\""));
  cgym_free(csv);
  cgym_free(back);
  /* A byte order mark that starts the text is still dropped. */
  assert_ok(
      cgym_states_csv_to_json("\xEF\xBB\xBF"
                              "b,,1,x\n",
                              &back));
  assert_non_null(strstr(back, "[{\"benchmark\": \"b\""));
  cgym_free(back);
}

static void test_timeouts(void** state) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  cgym_event_t* action = NULL;
  cgym_step_result_t* result = NULL;
  cgym_event_t* observation = NULL;
  cgym_call_options_t *minute = NULL, *expired = NULL, *forever = NULL;
  int done = 1;
  assert_fails(cgym_call_options_new(NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_call_options_new(&minute));
  assert_ok(cgym_call_options_set_timeout(minute, 60));
  assert_ok(cgym_call_options_new(&expired));
  assert_ok(cgym_call_options_set_timeout(expired, 0));
  assert_ok(cgym_call_options_new(&forever));
  assert_ok(cgym_call_options_set_timeout(forever, INFINITY));
  assert_fails(cgym_call_options_set_timeout(minute, NAN), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_call_options_set_timeout(minute, -1), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_call_options_set_timeout(NULL, 1), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/foo", "x", 1));
  assert_ok(cgym_options_set_observation_space(options, "ir"));
  assert_ok(cgym_options_set_init_max_attempts(options, 1));
  assert_ok(cgym_connect(&env, service_path(state), options));
  cgym_options_free(options);

  assert_ok(cgym_env_reset(env, minute, &observation));
  assert_int_equal(cgym_event_kind(observation), CGYM_EVENT_STRING);
  cgym_event_free(observation);
  assert_ok(cgym_event_new_int64(&action, 1));
  assert_ok(
      cgym_step(env, (const cgym_event_t* const*)&action, 1, NULL, 0, NULL, 0, minute, &result));
  assert_int_equal(cgym_step_result_done(result), 0);
  cgym_step_result_free(result);
  result = NULL;
  /* No deadline at all. */
  assert_ok(
      cgym_step(env, (const cgym_event_t* const*)&action, 1, NULL, 0, NULL, 0, forever, &result));
  assert_int_equal(cgym_step_result_done(result), 0);
  assert_string_equal(cgym_step_result_error_type(result), "");
  cgym_step_result_free(result);
  result = NULL;
  /* A deadline that has passed fails the step: the episode ends with the error in the info. */
  assert_ok(
      cgym_step(env, (const cgym_event_t* const*)&action, 1, NULL, 0, NULL, 0, expired, &result));
  assert_int_equal(cgym_step_result_done(result), 1);
  assert_string_equal(cgym_step_result_error_type(result), "TimeoutError");
  assert_string_equal(cgym_step_result_error_details(result), "Deadline Exceeded (0.0 seconds)");
  assert_int_equal(cgym_env_in_episode(env), 0);
  cgym_step_result_free(result);
  /* ...and fails a reset, as a broken service does (one attempt allowed here). */
  assert_fails(cgym_env_reset(env, expired, NULL), CGYM_SERVICE_INIT);
  assert_true(strstr(cgym_last_error_message(), "Deadline Exceeded (0.0 seconds)") != NULL);
  /* The env recovers with a reset that has time, or no deadline. */
  assert_ok(cgym_env_reset(env, minute, NULL));
  assert_ok(cgym_step_index(env, 1, &done, NULL));
  assert_int_equal(done, 0);
  assert_ok(cgym_env_reset(env, forever, NULL));
  assert_fails(cgym_env_reset(NULL, minute, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step(env, NULL, 0, NULL, 0, NULL, 0, minute, NULL), CGYM_INVALID_ARGUMENT);
  cgym_call_options_free(minute);
  cgym_call_options_free(expired);
  cgym_call_options_free(forever);
  cgym_call_options_free(NULL);
  cgym_event_free(action);
  cgym_env_free(env);
}

static void test_episode_facts(void** state) {
  cgym_env_t* env = connect_env(service_path(state), NULL, NULL);
  int has = -1;
  assert_ok(cgym_env_set_benchmark(env, "benchmark://example-compiler-v0/bar", "x", 1));
  assert_fails(cgym_env_set_benchmark(env, NULL, NULL, 0), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_env_benchmark(env), "");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_string_equal(cgym_env_benchmark(env), "benchmark://example-compiler-v0/bar");
  assert_true(cgym_env_episode_reward(env, &has) == 0);
  assert_int_equal(has, 0);
  assert_true(cgym_env_episode_walltime(env) >= 0);
  cgym_env_free(env);
}

int main(void) {
  const char* services[2] = {CGYM_EXAMPLE_SERVICE_CC, NULL};
  int failures = 0;
  size_t i;
#ifdef CGYM_EXAMPLE_SERVICE_C
  services[1] = CGYM_EXAMPLE_SERVICE_C;
#endif
  failures += cmocka_run_group_tests_name(
      "client without a service",
      ((const struct CMUnitTest[]){
          cmocka_unit_test(test_options), cmocka_unit_test(test_connect_errors),
          cmocka_unit_test(test_calls_on_null_env), cmocka_unit_test(test_states_conversion)}),
      NULL, NULL);
  for (i = 0; i < 2; ++i) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_before_reset, (void*)services[i]),
        cmocka_unit_test_prestate(test_episode, (void*)services[i]),
        cmocka_unit_test_prestate(test_step_with_spaces, (void*)services[i]),
        cmocka_unit_test_prestate(test_observations, (void*)services[i]),
        cmocka_unit_test_prestate(test_c_reward, (void*)services[i]),
        cmocka_unit_test_prestate(test_fork, (void*)services[i]),
        cmocka_unit_test_prestate(test_params, (void*)services[i]),
        cmocka_unit_test_prestate(test_state, (void*)services[i]),
        cmocka_unit_test_prestate(test_episode_facts, (void*)services[i]),
        cmocka_unit_test_prestate(test_timeouts, (void*)services[i]),
    };
    if (!services[i]) continue;
    failures += _cmocka_run_group_tests(
        i == 0 ? "client against the C++ example service" : "client against the C example service",
        tests, sizeof tests / sizeof tests[0], NULL, NULL);
  }
  return failures;
}
