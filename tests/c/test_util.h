/* SPDX-License-Identifier: MIT */
/* Assertions and list readers shared by the C tests (include after cmocka.h and cgym.h). */
#ifndef CGYM_TESTS_C_TEST_UTIL_H_
#define CGYM_TESTS_C_TEST_UTIL_H_

#include <string.h>

/* Asserts that `call` failed with `code`, and that the last error says so with a message. */
#define assert_fails(call, code)                                             \
  do {                                                                       \
    cgym_status_t status_ = (call);                                          \
    if (status_ != (code)) {                                                 \
      fail_msg("%s: expected %s, got %s: %s", #call, cgym_status_name(code), \
               cgym_status_name(status_), cgym_last_error_message());        \
    }                                                                        \
    assert_int_equal(cgym_last_error_code(), (code));                        \
    assert_true(strlen(cgym_last_error_message()) > 0);                      \
  } while (0)

/* Asserts that `call` succeeded and left no last error. */
#define assert_ok(call)                                                                    \
  do {                                                                                     \
    cgym_status_t status_ = (call);                                                        \
    if (status_ != CGYM_OK) {                                                              \
      fail_msg("%s: %s: %s", #call, cgym_status_name(status_), cgym_last_error_message()); \
    }                                                                                      \
    assert_int_equal(cgym_last_error_code(), CGYM_OK);                                     \
    assert_string_equal(cgym_last_error_message(), "");                                    \
  } while (0)

/* The lists of an env and of a step result, read with the _count/_at functions. */
static inline size_t env_action_count(const cgym_env_t* env) {
  size_t n = 0;
  assert_ok(cgym_env_action_count(env, &n));
  return n;
}
static inline size_t env_action_space_count(const cgym_env_t* env) {
  size_t n = 0;
  assert_ok(cgym_env_action_space_count(env, &n));
  return n;
}
static inline const cgym_action_space_t* env_action_space_at(const cgym_env_t* env, size_t i) {
  const cgym_action_space_t* space = NULL;
  assert_ok(cgym_env_action_space_at(env, i, &space));
  return space;
}
static inline size_t env_observation_space_count(const cgym_env_t* env) {
  size_t n = 0;
  assert_ok(cgym_env_observation_space_count(env, &n));
  return n;
}
static inline const cgym_observation_space_t* env_observation_space_at(const cgym_env_t* env,
                                                                       size_t i) {
  const cgym_observation_space_t* space = NULL;
  assert_ok(cgym_env_observation_space_at(env, i, &space));
  return space;
}
static inline size_t env_reward_space_count(const cgym_env_t* env) {
  size_t n = 0;
  assert_ok(cgym_env_reward_space_count(env, &n));
  return n;
}
static inline const char* env_reward_space_at(const cgym_env_t* env, size_t i) {
  const char* name = NULL;
  assert_ok(cgym_env_reward_space_at(env, i, &name));
  return name;
}
static inline size_t result_observation_count(const cgym_step_result_t* result) {
  size_t n = 0;
  assert_ok(cgym_step_result_observation_count(result, &n));
  return n;
}
static inline const cgym_event_t* result_observation(const cgym_step_result_t* result, size_t i) {
  const cgym_event_t* observation = NULL;
  assert_ok(cgym_step_result_observation_at(result, i, &observation));
  return observation;
}
static inline size_t result_reward_count(const cgym_step_result_t* result) {
  size_t n = 0;
  assert_ok(cgym_step_result_reward_count(result, &n));
  return n;
}
static inline double result_reward(const cgym_step_result_t* result, size_t i) {
  double reward = 0;
  assert_ok(cgym_step_result_reward_at(result, i, &reward));
  return reward;
}

#endif /* CGYM_TESTS_C_TEST_UTIL_H_ */
