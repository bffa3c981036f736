/* SPDX-License-Identifier: MIT */
/*
 * A load test through the C API: many envs on one service at once, each on its own thread,
 * each doing a long pseudo-random (seeded, so repeatable) mix of steps, forks, ends (closing
 * an env, or its fork), resets (a new session) and session parameters, against the example
 * service as a managed service (the C++ and the C sessions) and in-process. Every reply is
 * checked against what the example session must give, no call may fail, and the service
 * must exit 0 when the last env closes (it exits 6 if a session is left).
 *
 * Environment (all optional):
 *   CGYM_LOAD_SESSIONS   envs at once (one thread each) [CGYM_LOAD_DEFAULT_SESSIONS]
 *   CGYM_LOAD_STEPS      operations per env [CGYM_LOAD_DEFAULT_STEPS]
 *   CGYM_LOAD_SEED       the seed of the operations [15]
 *   CGYM_EXAMPLE_SERVICE, CGYM_EXAMPLE_SERVICE_C   the service binaries [the build's own]
 * The defaults come from CMake (tests/c/CMakeLists.txt): 64 x 2,000, and 32 x 500 under the
 * sanitizers. Under ctest, the services are the build's own (sanitized with it).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cgym.h"
#include "example_session.h"
#include "test_util.h"

#ifndef CGYM_LOAD_DEFAULT_SESSIONS
#define CGYM_LOAD_DEFAULT_SESSIONS 64
#endif
#ifndef CGYM_LOAD_DEFAULT_STEPS
#define CGYM_LOAD_DEFAULT_STEPS 2000
#endif

/* What the example session gives (services/example/example_session.c). */
#define IR "Hello, world!"
#define NUM_ACTIONS 3
#define DEFAULT_CACHE_MAX "54525952" /* BenchmarkCache::kDefaultMaxSizeInBytes */
#define INPROC_NAME "cgym-load-example"

static const char* const kObservationNames[3] = {"ir", "features", "runtime"};
static const char* const kGetMax = "service.benchmark_cache.get_max_size_in_bytes";
static const char* const kGetSize = "service.benchmark_cache.get_size_in_bytes";

/* --- The reward: the number of actions of a step ------------------------------------------ */

/* Computed on the client from the "runtime" observation, always 0 in the example session:
 * num_actions * (runtime + 1) is the number of actions exactly when the observation came back
 * right. Stateless, so forks share it (no clone). */
static cgym_status_t actions_update(void* user_data, const cgym_event_t* const* actions,
                                    size_t num_actions, const cgym_event_t* const* observations,
                                    size_t num_observations, double* reward) {
  double runtime = -1;
  (void)user_data;
  (void)actions;
  if (num_observations != 1) return cgym_set_error(CGYM_INTERNAL, "expected one observation");
  if (cgym_event_kind(observations[0]) != CGYM_EVENT_DOUBLE ||
      cgym_event_get_double(observations[0], &runtime) != CGYM_OK || runtime != 0) {
    return cgym_set_error(CGYM_DATA_LOSS, "the runtime observation is not the double 0");
  }
  *reward = (double)num_actions * (runtime + 1);
  return CGYM_OK;
}

static const cgym_reward_vtable_t kActionsReward = {CGYM_REWARD_VTABLE_VERSION, NULL,
                                                    actions_update, NULL, NULL};

/* --- A worker: one env, one thread --------------------------------------------------------- */

typedef struct {
  int index;
  long operations;
  uint64_t rng;
  cgym_env_t* env;
  /* The episode reward the env must report: the actions of its steps with the default reward
   * since its episode began (forks inherit it). */
  double expected_reward;
  const char* cache_size; /* what get_size_in_bytes must reply */
  long steps, forks, ends, swaps, resets, params, observes;
  /* The first failure (a worker stops at it). */
  int failed;
  char error[1024];
} worker_t;

/* splitmix64: a small, well-mixed, seeded generator. */
static uint64_t next_random(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static unsigned pick(worker_t* w, unsigned n) { return (unsigned)(next_random(&w->rng) % n); }

static int record(worker_t* w, int line, const char* format, ...) {
  va_list args;
  int n;
  if (w->failed) return -1;
  w->failed = 1;
  n = snprintf(w->error, sizeof w->error, "env %d, line %d: ", w->index, line);
  va_start(args, format);
  vsnprintf(w->error + n, sizeof w->error - (size_t)n, format, args);
  va_end(args);
  return -1;
}

/* Fails the operation unless `cond`, with a message and the last error of libcgym. */
#define CHECK(w, cond)                                                                    \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      return record((w), __LINE__, "%s (last error %s: %s)", #cond,                       \
                    cgym_status_name(cgym_last_error_code()), cgym_last_error_message()); \
    }                                                                                     \
  } while (0)

#define CHECK_OK(w, call) CHECK(w, (call) == CGYM_OK)

/* An observation of space `space` (an index of kObservationNames), as the example gives it. */
static int check_observation(worker_t* w, const cgym_event_t* event, int space) {
  const char* data = NULL;
  size_t length = 0, ndim = 0, count = 0, i;
  const uint64_t* shape = NULL;
  const void* values = NULL;
  double value = -1;
  switch (space) {
    case 0:
      CHECK(w, cgym_event_kind(event) == CGYM_EVENT_STRING);
      CHECK_OK(w, cgym_event_get_string(event, &data, &length));
      CHECK(w, length == strlen(IR) && memcmp(data, IR, length) == 0);
      return 0;
    case 1:
      CHECK(w, cgym_event_kind(event) == CGYM_EVENT_INT64_TENSOR);
      CHECK_OK(w, cgym_event_tensor_shape(event, &shape, &ndim));
      CHECK(w, ndim == 1 && shape[0] == 3);
      CHECK_OK(w, cgym_event_tensor_values(event, &values, &count));
      CHECK(w, count == 3);
      for (i = 0; i < count; ++i) CHECK(w, ((const int64_t*)values)[i] == 0);
      return 0;
    default:
      CHECK(w, cgym_event_kind(event) == CGYM_EVENT_DOUBLE);
      CHECK_OK(w, cgym_event_get_double(event, &value));
      CHECK(w, value == 0);
      return 0;
  }
}

static int check_episode_reward(worker_t* w, cgym_env_t* env, double expected) {
  int has = 0;
  const double reward = cgym_env_episode_reward(env, &has);
  CHECK(w, has == 1);
  CHECK(w, reward == expected);
  return 0;
}

/* A step of 0 to 3 actions with a random set of observations, and the reward either as the
 * default reward space (which adds to the episode's reward) or named. */
static int op_step(worker_t* w, cgym_env_t* env, double* expected_reward) {
  static const char* const rewards[1] = {"actions"};
  cgym_event_t* actions[3] = {NULL, NULL, NULL};
  const char* spaces[3];
  int which[3];
  size_t num_actions = pick(w, 4), num_observations = 0, i;
  const unsigned mask = pick(w, 8);
  const int default_reward = (int)pick(w, 2);
  cgym_step_result_t* result = NULL;
  cgym_status_t status = CGYM_OK;
  int rc = 0;
  double reward = -1;
  for (i = 0; i < 3; ++i) {
    if (mask & (1u << i)) {
      spaces[num_observations] = kObservationNames[i];
      which[num_observations++] = (int)i;
    }
  }
  for (i = 0; i < num_actions && status == CGYM_OK; ++i) {
    status = cgym_event_new_int64(&actions[i], (int64_t)pick(w, NUM_ACTIONS));
  }
  if (status == CGYM_OK) {
    status =
        cgym_step(env, (const cgym_event_t* const*)actions, num_actions, spaces, num_observations,
                  default_reward ? NULL : rewards, default_reward ? 0 : 1, NULL, &result);
  }
  for (i = 0; i < 3; ++i) cgym_event_free(actions[i]);
  if (status != CGYM_OK)
    return record(w, __LINE__, "cgym_step: %s: %s", cgym_status_name(status),
                  cgym_last_error_message());
  if (cgym_step_result_done(result) || strcmp(cgym_step_result_error_type(result), "") != 0) {
    rc = record(w, __LINE__, "the step ended the episode: %s: %s",
                cgym_step_result_error_type(result), cgym_step_result_error_details(result));
  } else if (cgym_step_result_action_had_no_effect(result) != (num_actions == 0)) {
    rc = record(w, __LINE__, "action_had_no_effect is %d after %zu actions",
                cgym_step_result_action_had_no_effect(result), num_actions);
  } else {
    size_t count = 0;
    const cgym_event_t* observation = NULL;
    if (cgym_step_result_observation_count(result, &count) != CGYM_OK ||
        count != num_observations) {
      rc = record(w, __LINE__, "%zu observations, expected %zu", count, num_observations);
    }
    for (i = 0; rc == 0 && i < num_observations; ++i) {
      rc = cgym_step_result_observation_at(result, i, &observation) == CGYM_OK
               ? check_observation(w, observation, which[i])
               : record(w, __LINE__, "no observation %zu", i);
    }
    if (rc == 0 && (cgym_step_result_reward_count(result, &count) != CGYM_OK || count != 1 ||
                    cgym_step_result_reward_at(result, 0, &reward) != CGYM_OK ||
                    reward != (double)num_actions)) {
      rc = record(w, __LINE__, "reward %g after %zu actions", reward, num_actions);
    }
  }
  cgym_step_result_free(result);
  if (rc != 0) return rc;
  if (default_reward) *expected_reward += (double)num_actions;
  w->steps++;
  return check_episode_reward(w, env, *expected_reward);
}

/* The agent loop's call: one action with the default spaces (reward "actions"). */
static int op_step_index(worker_t* w) {
  int done = -1;
  double reward = -1;
  CHECK_OK(w, cgym_step_index(w->env, (int64_t)pick(w, NUM_ACTIONS), &done, &reward));
  CHECK(w, done == 0);
  CHECK(w, reward == 1);
  w->expected_reward += 1;
  w->steps++;
  return check_episode_reward(w, w->env, w->expected_reward);
}

/* Every observation and the reward, computed now (no actions: reward 0). */
static int op_observe(worker_t* w) {
  char* ir = NULL;
  size_t length = 0, count = 0;
  int64_t features[3] = {-1, -1, -1};
  double runtime = -1, reward = -1;
  int same;
  CHECK_OK(w, cgym_env_observe_string(w->env, "ir", &ir, &length));
  same = length == strlen(IR) && strcmp(ir, IR) == 0;
  cgym_free(ir);
  CHECK(w, same);
  CHECK_OK(w, cgym_env_observe_int64s(w->env, "features", features, 3, &count));
  CHECK(w, count == 3 && features[0] == 0 && features[1] == 0 && features[2] == 0);
  CHECK_OK(w, cgym_env_observe_double(w->env, "runtime", &runtime));
  CHECK(w, runtime == 0);
  CHECK_OK(w, cgym_env_reward(w->env, "actions", &reward));
  CHECK(w, reward == 0);
  w->observes++;
  return check_episode_reward(w, w->env, w->expected_reward);
}

/* The built-in parameters in one call; now and then an unknown one, which is INVALID_ARGUMENT
 * and leaves the episode going. */
static int op_params(worker_t* w) {
  static const char* const values[2] = {"", ""};
  const char* keys[2];
  char** replies = NULL;
  int same;
  keys[0] = kGetMax;
  keys[1] = kGetSize;
  CHECK_OK(w, cgym_send_params(w->env, keys, values, 2, 0, &replies));
  same = strcmp(replies[0], DEFAULT_CACHE_MAX) == 0 && strcmp(replies[1], w->cache_size) == 0;
  if (!same) {
    record(w, __LINE__, "parameters replied %s and %s, expected %s and %s", replies[0], replies[1],
           DEFAULT_CACHE_MAX, w->cache_size);
  }
  cgym_free_strings(replies, 2);
  if (!same) return -1;
  if (pick(w, 4) == 0) {
    CHECK(w, cgym_send_param(w->env, "load.unknown", "1", 0, NULL) == CGYM_INVALID_ARGUMENT);
    CHECK(w, strcmp(cgym_last_error_message(), "Unknown parameter: load.unknown") == 0);
    CHECK(w, cgym_env_in_episode(w->env));
  }
  w->params++;
  return 0;
}

/* Forks the env and steps the fork; then ends the fork (closing it), or ends the env and goes
 * on with the fork. */
static int op_fork(worker_t* w) {
  cgym_env_t* child = NULL;
  double child_reward = w->expected_reward;
  unsigned i, steps = 1 + pick(w, 2);
  int rc = 0;
  CHECK_OK(w, cgym_fork(w->env, &child));
  w->forks++;
  rc = check_episode_reward(w, child, child_reward);
  for (i = 0; rc == 0 && i < steps; ++i) rc = op_step(w, child, &child_reward);
  if (rc == 0 && pick(w, 2) == 0) {
    /* The parent is untouched by the fork's steps. */
    rc = check_episode_reward(w, w->env, w->expected_reward);
    if (cgym_env_close(child) != CGYM_OK) rc = record(w, __LINE__, "closing a fork failed");
    cgym_env_free(child);
    w->ends++;
    return rc;
  }
  if (rc != 0) {
    cgym_env_free(child);
    return rc;
  }
  if (cgym_env_close(w->env) != CGYM_OK) rc = record(w, __LINE__, "closing an env failed");
  cgym_env_free(w->env);
  w->env = child;
  w->expected_reward = child_reward;
  w->swaps++;
  return rc;
}

/* A new episode: the service ends the session and starts another. */
static int op_reset(worker_t* w) {
  cgym_event_t* observation = NULL;
  CHECK_OK(w, cgym_env_reset(w->env, NULL, &observation));
  CHECK(w, observation == NULL); /* no default observation space */
  w->expected_reward = 0;
  w->resets++;
  return check_episode_reward(w, w->env, 0);
}

static void* run_worker(void* arg) {
  worker_t* w = (worker_t*)arg;
  long i;
  for (i = 0; i < w->operations && !w->failed; ++i) {
    const unsigned choice = pick(w, 100);
    if (choice < 60) {
      op_step(w, w->env, &w->expected_reward);
    } else if (choice < 70) {
      op_step_index(w);
    } else if (choice < 75) {
      op_observe(w);
    } else if (choice < 82) {
      op_params(w);
    } else if (choice < 92) {
      op_fork(w);
    } else {
      op_reset(w);
    }
  }
  if (cgym_env_close(w->env) != CGYM_OK && !w->failed) {
    record(w, __LINE__, "closing the env failed: %s", cgym_last_error_message());
  }
  cgym_env_free(w->env);
  w->env = NULL;
  return NULL;
}

/* --- The test ------------------------------------------------------------------------------ */

static long env_count(const char* name, long fallback) {
  const char* text = getenv(name);
  char* end = NULL;
  long value;
  if (!text || !*text) return fallback;
  value = strtol(text, &end, 10);
  if (*end != '\0' || value < 1) fail_msg("%s must be a positive integer, not '%s'", name, text);
  return value;
}

static double seconds_since(const struct timespec* start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Runs the load against `endpoint`: a root env, one fork of it per worker, the workers on
 * their own threads, then every env closed, the root last. */
static void run_load(const char* endpoint) {
  static const char program[] = "Ir data";
  static const char* const reward_inputs[1] = {"runtime"};
  const long sessions = env_count("CGYM_LOAD_SESSIONS", CGYM_LOAD_DEFAULT_SESSIONS);
  const long operations = env_count("CGYM_LOAD_STEPS", CGYM_LOAD_DEFAULT_STEPS);
  const uint64_t seed = (uint64_t)env_count("CGYM_LOAD_SEED", 15);
  cgym_options_t* options = NULL;
  cgym_env_t* root = NULL;
  worker_t* workers = calloc((size_t)sessions, sizeof *workers);
  pthread_t* threads = calloc((size_t)sessions, sizeof *threads);
  char* cache_size = NULL;
  struct timespec start;
  long i, failures = 0, steps = 0, forks = 0, ends = 0, swaps = 0, resets = 0, params = 0,
          observes = 0;
  assert_non_null(workers);
  assert_non_null(threads);
  clock_gettime(CLOCK_MONOTONIC, &start);

  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/load", program,
                                       sizeof program - 1));
  assert_ok(cgym_connect(&root, endpoint, options));
  cgym_options_free(options);
  assert_ok(cgym_env_add_reward(root, "actions", reward_inputs, 1, 0, 0, 1, &kActionsReward, NULL));
  assert_ok(cgym_env_set_reward_space(root, "actions"));
  assert_ok(cgym_env_reset(root, NULL, NULL));
  /* The one benchmark is cached from here on: its size is what every worker must read. */
  assert_ok(cgym_send_param(root, kGetSize, "", 0, &cache_size));

  for (i = 0; i < sessions; ++i) {
    worker_t* w = &workers[i];
    w->index = (int)i;
    w->operations = operations;
    w->rng = seed * 1000003u + (uint64_t)i;
    w->cache_size = cache_size;
    assert_ok(cgym_fork(root, &w->env));
  }
  for (i = 0; i < sessions; ++i) {
    assert_int_equal(pthread_create(&threads[i], NULL, run_worker, &workers[i]), 0);
  }
  for (i = 0; i < sessions; ++i) {
    const worker_t* w = &workers[i];
    assert_int_equal(pthread_join(threads[i], NULL), 0);
    if (w->failed) {
      ++failures;
      print_error("%s\n", w->error);
    }
    steps += w->steps;
    forks += w->forks;
    ends += w->ends;
    swaps += w->swaps;
    resets += w->resets;
    params += w->params;
    observes += w->observes;
  }
  /* The last env: the managed service is stopped, and exits 0 only with no session left. */
  assert_ok(cgym_env_close(root));
  cgym_env_free(root);
  print_message(
      "%s: %ld envs x %ld operations: %ld steps, %ld forks (%ld ended, %ld replacing "
      "their parent), %ld resets, %ld parameter calls, %ld observes, %ld failed envs, "
      "%.1f s\n",
      endpoint, sessions, operations, steps, forks, ends, swaps, resets, params, observes, failures,
      seconds_since(&start));
  cgym_free(cache_size);
  free(workers);
  free(threads);
  assert_int_equal(failures, 0);
}

static void test_managed(void** state) { run_load((const char*)*state); }

static void test_in_process(void** state) {
  cgym_service_def_t* def = NULL;
  (void)state;
  assert_ok(example_service_def_new(&def));
  assert_ok(cgym_service_register(INPROC_NAME, def));
  cgym_service_def_free(def);
  run_load("inproc:" INPROC_NAME);
  assert_ok(cgym_service_unregister(INPROC_NAME));
}

static const char* service_from_env(const char* name, const char* fallback) {
  const char* value = getenv(name);
  return value && *value ? value : fallback;
}

int main(void) {
  const char* cc = service_from_env("CGYM_EXAMPLE_SERVICE", CGYM_EXAMPLE_SERVICE_CC);
#ifdef CGYM_EXAMPLE_SERVICE_C
  const char* c = service_from_env("CGYM_EXAMPLE_SERVICE_C", CGYM_EXAMPLE_SERVICE_C);
#else
  const char* c = service_from_env("CGYM_EXAMPLE_SERVICE_C", NULL);
#endif
  struct CMUnitTest tests[3];
  size_t n = 0;
  memset(tests, 0, sizeof tests);
  tests[n].name = "the C++ example service, managed";
  tests[n].test_func = test_managed;
  tests[n++].initial_state = (void*)cc;
  if (c) { /* the C example service is built with the C API */
    tests[n].name = "the C example service, managed";
    tests[n].test_func = test_managed;
    tests[n++].initial_state = (void*)c;
  }
  tests[n].name = "the C example session, in-process";
  tests[n++].test_func = test_in_process;
  return _cmocka_run_group_tests("load", tests, n, NULL, NULL);
}
