/* SPDX-License-Identifier: MIT */
/*
 * Many environments at once through the C API: the step queue (cgym_step_submit,
 * cgym_step_queue_next) and vector environments (cgym_vec_env_*), against the example service
 * placed each way an env can be (managed services, in-process, a list of unmanaged services),
 * against a session written here that ends its episodes (in-process), and, when the LLVM
 * environment is there, a vector env made by id.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nanosleep, posix_spawn, readlink, realpath, kill */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

extern char** environ;

#define NUM_ENVS 4

static void sleep_ms(long ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&t, NULL);
}

/* --- Where the envs run ------------------------------------------------------------------ */

/* Env i of a test runs on endpoints[i % count]; a vector env gets the list joined with commas
 * (or the one endpoint, with num_services managed services). */
typedef struct {
  const char* name;
  char endpoints[2][64];
  const char* binary; /* a managed service's binary, or NULL */
  size_t count;
  size_t num_services;
  int grpc;
} where_t;

static const char* env_endpoint(const where_t* w, size_t i) {
  return w->binary ? w->binary : w->endpoints[i % w->count];
}

static void vec_endpoint(const where_t* w, char* out, size_t size) {
  if (w->binary) {
    snprintf(out, size, "%s", w->binary);
  } else if (w->count == 1) {
    snprintf(out, size, "%s", w->endpoints[0]);
  } else {
    snprintf(out, size, "%s,%s", w->endpoints[0], w->endpoints[1]);
  }
}

/* --- Unmanaged services: the example service binary run as CompilerGym runs one ----------- */

typedef struct {
  pid_t pid;
  char dir[64];
  int port;
} service_process_t;

static int start_service(service_process_t* s, const char* binary) {
  char flag[128], port_file[128];
  char* argv[3];
  int waited;
  snprintf(s->dir, sizeof s->dir, "/tmp/cgym-vector-test-XXXXXX");
  if (!mkdtemp(s->dir)) return -1;
  snprintf(flag, sizeof flag, "--working_dir=%s", s->dir);
  snprintf(port_file, sizeof port_file, "%s/port.txt", s->dir);
  argv[0] = (char*)binary;
  argv[1] = flag;
  argv[2] = NULL;
  if (posix_spawn(&s->pid, binary, NULL, NULL, argv, environ) != 0) return -1;
  for (waited = 0; waited < 3000; ++waited) {
    FILE* f = fopen(port_file, "r");
    int port = 0;
    if (f) {
      int read = fscanf(f, "%d", &port);
      fclose(f);
      if (read == 1 && port > 0) {
        s->port = port;
        return 0;
      }
    }
    sleep_ms(10);
  }
  return -1;
}

/* SIGKILL: a service with clients still connected takes seconds to stop gracefully. */
static void stop_service(service_process_t* s) {
  char path[160];
  if (s->pid <= 0) return;
  kill(s->pid, SIGKILL);
  waitpid(s->pid, NULL, 0);
  s->pid = 0;
  snprintf(path, sizeof path, "%s/port.txt", s->dir);
  remove(path);
  snprintf(path, sizeof path, "%s/pid.txt", s->dir);
  remove(path);
  rmdir(s->dir);
}

/* --- A session that ends its episodes (in-process as "inproc:ender") ---------------------- */

/* Actions: 0 and 1 count; 2 counts and ends the episode; others are INVALID_ARGUMENT
 * "Out-of-range". A benchmark URI with "fail" in it fails init. Observations: "count" the actions
 * of the episode (INT64), "wide" count + 1 int64 values 7, "value" count / 2 (DOUBLE). */
typedef struct {
  int64_t count;
} ender_t;

static cgym_status_t ender_init(void* service_data, const cgym_action_space_t* action_space,
                                const char* benchmark_uri, const void* program,
                                size_t program_length, void** session) {
  ender_t* s;
  (void)service_data;
  (void)action_space;
  (void)program;
  (void)program_length;
  if (strstr(benchmark_uri, "fail")) return cgym_set_error(CGYM_INVALID_ARGUMENT, "init failed");
  s = calloc(1, sizeof *s);
  if (!s) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  *session = s;
  return CGYM_OK;
}

static cgym_status_t ender_fork(void* session, void** new_session) {
  ender_t* copy = malloc(sizeof *copy);
  if (!copy) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  *copy = *(const ender_t*)session;
  *new_session = copy;
  return CGYM_OK;
}

static cgym_status_t ender_apply_action(void* session, const cgym_event_t* action,
                                        int* end_of_episode, int* action_had_no_effect,
                                        int32_t* new_action_space) {
  ender_t* s = session;
  int64_t value = -1;
  cgym_status_t status = cgym_event_get_int64(action, &value);
  (void)action_had_no_effect;
  (void)new_action_space;
  if (status != CGYM_OK) return status;
  if (value < 0 || value > 2) return cgym_set_error(CGYM_INVALID_ARGUMENT, "Out-of-range");
  s->count++;
  if (value == 2) *end_of_episode = 1;
  return CGYM_OK;
}

static cgym_status_t ender_get_observation(void* session, int32_t index,
                                           const cgym_observation_space_t* space,
                                           cgym_event_t* observation) {
  const ender_t* s = session;
  int64_t wide[16];
  uint64_t shape[1];
  int64_t i;
  (void)space;
  switch (index) {
    case 0:
      return cgym_event_set_int64(observation, s->count);
    case 1:
      shape[0] = (uint64_t)(s->count < 15 ? s->count + 1 : 16);
      for (i = 0; i < 16; ++i) wide[i] = 7;
      return cgym_event_set_tensor(observation, CGYM_EVENT_INT64_TENSOR, shape, 1, wide,
                                   (size_t)shape[0]);
    default:
      return cgym_event_set_double(observation, (double)s->count / 2);
  }
}

static void ender_destroy(void* session) { free(session); }

static void add_observation_space(cgym_service_def_t* def, const char* name, cgym_space_t* space) {
  cgym_observation_space_t* observation_space = NULL;
  assert_ok(cgym_observation_space_new(&observation_space, name, space, 1, 0, NULL));
  assert_ok(cgym_service_def_add_observation_space(def, observation_space));
  cgym_observation_space_free(observation_space);
  cgym_space_free(space);
}

static void register_ender(void) {
  static const char* const names[3] = {"a", "b", "end"};
  cgym_session_vtable_t vtable;
  cgym_service_def_t* def = NULL;
  cgym_space_t* space = NULL;
  cgym_action_space_t* action_space = NULL;
  memset(&vtable, 0, sizeof vtable);
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = ender_init;
  vtable.fork = ender_fork;
  vtable.apply_action = ender_apply_action;
  vtable.get_observation = ender_get_observation;
  vtable.destroy = ender_destroy;
  assert_ok(cgym_service_def_new(&def, &vtable, NULL));
  assert_ok(cgym_space_new_named_discrete(&space, names, 3));
  assert_ok(cgym_action_space_new(&action_space, "default", space));
  assert_ok(cgym_service_def_add_action_space(def, action_space));
  cgym_action_space_free(action_space);
  cgym_space_free(space);
  assert_ok(cgym_space_new_range(&space, CGYM_SPACE_INT64_RANGE, 0, 1, 0, 0));
  add_observation_space(def, "count", space);
  assert_ok(cgym_space_new_sequence(&space, CGYM_SPACE_INT64_SEQUENCE, 1, -1, 0, 0, 0, 0));
  add_observation_space(def, "wide", space);
  assert_ok(cgym_space_new_range(&space, CGYM_SPACE_DOUBLE_RANGE, 0, 1, 0, 0));
  add_observation_space(def, "value", space);
  assert_ok(cgym_service_register("ender", def));
  cgym_service_def_free(def);
}

/* The reward "r": the "count" observation after each step. */
static cgym_status_t count_reward(void* user_data, const cgym_event_t* const* actions,
                                  size_t num_actions, const cgym_event_t* const* observations,
                                  size_t num_observations, double* reward) {
  int64_t count = 0;
  cgym_status_t status;
  (void)user_data;
  (void)actions;
  (void)num_actions;
  if (num_observations != 1) return cgym_set_error(CGYM_INTERNAL, "one observation expected");
  status = cgym_event_get_int64(observations[0], &count);
  if (status != CGYM_OK) return status;
  *reward = (double)count;
  return CGYM_OK;
}

static void add_count_reward(cgym_env_t* env) {
  static const char* const spaces[1] = {"count"};
  cgym_reward_vtable_t vtable;
  memset(&vtable, 0, sizeof vtable);
  vtable.version = CGYM_REWARD_VTABLE_VERSION;
  vtable.update = count_reward;
  assert_ok(cgym_env_add_reward(env, "r", spaces, 1, 0.0, 0, 1, &vtable, NULL));
  assert_ok(cgym_env_set_reward_space(env, "r"));
}

/* --- Helpers ----------------------------------------------------------------------------- */

static cgym_options_t* example_options(const char* observation) {
  cgym_options_t* options = NULL;
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/foo", NULL, 0));
  assert_ok(cgym_options_set_observation_space(options, observation));
  return options;
}

static cgym_env_t* connect_example(const char* endpoint, const char* observation) {
  cgym_options_t* options = example_options(observation);
  cgym_env_t* env = NULL;
  assert_ok(cgym_connect(&env, endpoint, options));
  cgym_options_free(options);
  return env;
}

static cgym_vec_env_t* new_vec(const where_t* w, size_t num_envs, const char* observation) {
  char endpoint[160];
  cgym_options_t* options = example_options(observation);
  cgym_vec_env_t* vec = NULL;
  vec_endpoint(w, endpoint, sizeof endpoint);
  assert_ok(cgym_vec_env_new(&vec, NULL, endpoint, num_envs, w->num_services, options));
  cgym_options_free(options);
  assert_non_null(vec);
  return vec;
}

static cgym_env_t* vec_at(cgym_vec_env_t* vec, size_t i);

static cgym_vec_env_t* new_ender_vec(size_t num_envs) {
  cgym_options_t* options = NULL;
  cgym_vec_env_t* vec = NULL;
  size_t i;
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://ender/a", NULL, 0));
  assert_ok(cgym_options_set_observation_space(options, "count"));
  assert_ok(cgym_vec_env_new(&vec, NULL, "inproc:ender", num_envs, 0, options));
  cgym_options_free(options);
  for (i = 0; i < num_envs; ++i) add_count_reward(vec_at(vec, i));
  return vec;
}

static cgym_env_t* vec_at(cgym_vec_env_t* vec, size_t i) {
  cgym_env_t* env = NULL;
  assert_ok(cgym_vec_env_at(vec, i, &env));
  assert_non_null(env);
  return env;
}

static const cgym_step_result_t* vec_result(const cgym_vec_env_t* vec, size_t i) {
  const cgym_step_result_t* result = NULL;
  assert_ok(cgym_vec_env_result(vec, i, &result));
  assert_non_null(result);
  return result;
}

static const cgym_step_result_t* vec_final(const cgym_vec_env_t* vec, size_t i) {
  const cgym_step_result_t* result = (const cgym_step_result_t*)&result; /* not NULL */
  assert_ok(cgym_vec_env_final_result(vec, i, &result));
  return result;
}

static int64_t int64_observation(const cgym_step_result_t* result) {
  int64_t value = -1;
  assert_int_equal(result_observation_count(result), 1);
  assert_ok(cgym_event_get_int64(result_observation(result, 0), &value));
  return value;
}

/* Asserts that two results are alike: flags, status, rewards and observations (serialized). */
static void assert_same_result(const cgym_step_result_t* a, const cgym_step_result_t* b) {
  size_t i, n = result_observation_count(a);
  assert_int_equal(cgym_step_result_done(a), cgym_step_result_done(b));
  assert_int_equal(cgym_step_result_action_had_no_effect(a),
                   cgym_step_result_action_had_no_effect(b));
  assert_int_equal(cgym_step_result_new_action_space(a), cgym_step_result_new_action_space(b));
  assert_string_equal(cgym_step_result_error_type(a), cgym_step_result_error_type(b));
  assert_string_equal(cgym_step_result_error_details(a), cgym_step_result_error_details(b));
  assert_int_equal(cgym_step_result_status(a), cgym_step_result_status(b));
  assert_int_equal(result_reward_count(a), result_reward_count(b));
  for (i = 0; i < result_reward_count(a); ++i) {
    assert_true(result_reward(a, i) == result_reward(b, i));
  }
  assert_int_equal(n, result_observation_count(b));
  for (i = 0; i < n; ++i) {
    void *da = NULL, *db = NULL;
    size_t la = 0, lb = 0;
    assert_ok(cgym_event_serialize(result_observation(a, i), &da, &la));
    assert_ok(cgym_event_serialize(result_observation(b, i), &db, &lb));
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    cgym_free(da);
    cgym_free(db);
  }
}

static cgym_status_t submit_index(cgym_step_queue_t* queue, cgym_env_t* env, int64_t action,
                                  const char* const* spaces, size_t num_spaces, uint64_t tag) {
  cgym_event_t* event = NULL;
  const cgym_event_t* actions[1];
  cgym_status_t status;
  assert_ok(cgym_event_new_int64(&event, action));
  actions[0] = event;
  status = cgym_step_submit(queue, env, actions, 1, spaces, num_spaces, NULL, 0, NULL, tag);
  cgym_event_free(event);
  return status;
}

static cgym_step_result_t* step_index(cgym_env_t* env, int64_t action, const char* const* spaces,
                                      size_t num_spaces) {
  cgym_event_t* event = NULL;
  const cgym_event_t* actions[1];
  cgym_step_result_t* result = NULL;
  assert_ok(cgym_event_new_int64(&event, action));
  actions[0] = event;
  assert_ok(cgym_step(env, actions, 1, spaces, num_spaces, NULL, 0, NULL, &result));
  cgym_event_free(event);
  return result;
}

/* Takes one result, waiting up to a minute. */
static cgym_step_result_t* take(cgym_step_queue_t* queue, uint64_t* tag) {
  cgym_step_result_t* result = NULL;
  assert_ok(cgym_step_queue_next(queue, 60, tag, &result));
  assert_non_null(result);
  return result;
}

/* --- The step queue ---------------------------------------------------------------------- */

static void test_queue_errors_without_service(void** state) {
  cgym_step_queue_t* queue = NULL;
  cgym_step_result_t* result = NULL;
  uint64_t tag = 0;
  (void)state;
  assert_fails(cgym_step_queue_new(NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_step_queue_new(&queue));
  assert_int_equal(cgym_step_queue_size(queue), 0);
  assert_int_equal(cgym_step_queue_size(NULL), 0);
  assert_fails(cgym_step_queue_next(queue, 0, &tag, &result), CGYM_OUT_OF_RANGE);
  assert_string_equal(cgym_last_error_message(), "No step in the queue");
  assert_fails(cgym_step_queue_next(queue, INFINITY, &tag, &result), CGYM_OUT_OF_RANGE);
  assert_null(result);
  assert_fails(cgym_step_submit(queue, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 1),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step_queue_next(NULL, 0, &tag, &result), CGYM_INVALID_ARGUMENT);
  assert_int_equal(cgym_step_result_status(NULL), CGYM_OK);
  assert_string_equal(cgym_step_result_status_message(NULL), "");
  cgym_step_queue_free(queue);
  cgym_step_queue_free(NULL);
}

/* Every tag comes back once, with what cgym_step() gives for the same actions. */
static void test_queue_results(void** state) {
  const where_t* w = *state;
  static const char* const spaces[2] = {"ir", "features"};
  cgym_env_t *envs[NUM_ENVS], *alone[NUM_ENVS];
  cgym_step_queue_t* queue = NULL;
  int round;
  size_t i;
  for (i = 0; i < NUM_ENVS; ++i) {
    envs[i] = connect_example(env_endpoint(w, i), NULL);
    alone[i] = connect_example(env_endpoint(w, i), NULL);
    assert_ok(cgym_env_reset(envs[i], NULL, NULL));
    assert_ok(cgym_env_reset(alone[i], NULL, NULL));
  }
  assert_ok(cgym_step_queue_new(&queue));
  for (round = 0; round < 3; ++round) {
    int seen[NUM_ENVS] = {0};
    for (i = 0; i < NUM_ENVS; ++i) {
      assert_ok(submit_index(queue, envs[i], (int64_t)((i + round) % 3), spaces, 2, 100 + i));
    }
    assert_int_equal(cgym_step_queue_size(queue), NUM_ENVS);
    for (i = 0; i < NUM_ENVS; ++i) {
      uint64_t tag = 0;
      cgym_step_result_t* result = take(queue, &tag);
      cgym_step_result_t* expected;
      size_t e;
      assert_true(tag >= 100 && tag < 100 + NUM_ENVS);
      e = (size_t)(tag - 100);
      assert_int_equal(seen[e], 0);
      seen[e] = 1;
      assert_int_equal(cgym_step_result_status(result), CGYM_OK);
      assert_string_equal(cgym_step_result_status_message(result), "");
      assert_int_equal(result_observation_count(result), 2);
      expected = step_index(alone[e], (int64_t)((e + round) % 3), spaces, 2);
      assert_same_result(result, expected);
      cgym_step_result_free(expected);
      cgym_step_result_free(result);
    }
    assert_int_equal(cgym_step_queue_size(queue), 0);
  }
  /* The envs are free again, and hold the actions the queue applied. */
  for (i = 0; i < NUM_ENVS; ++i) {
    assert_int_equal(env_action_count(envs[i]), 3);
    assert_ok(cgym_step_index(envs[i], 0, NULL, NULL));
  }
  {
    cgym_step_result_t* result = NULL;
    uint64_t tag = 0;
    assert_fails(cgym_step_queue_next(queue, 0, &tag, &result), CGYM_OUT_OF_RANGE);
  }
  cgym_step_queue_free(queue);
  for (i = 0; i < NUM_ENVS; ++i) {
    cgym_env_free(envs[i]);
    cgym_env_free(alone[i]);
  }
}

/* An env with a step in flight belongs to the queue; submit's own errors queue nothing. */
static void test_queue_in_flight(void** state) {
  const where_t* w = *state;
  static const char* const unknown[1] = {"nope"};
  cgym_env_t* env = connect_example(env_endpoint(w, 0), "features");
  cgym_env_t* other = connect_example(env_endpoint(w, 1), "features");
  cgym_step_queue_t* queue = NULL;
  cgym_step_result_t* result = NULL;
  uint64_t tag = 0;
  int tries, taken = 0;
  assert_ok(cgym_step_queue_new(&queue));
  /* Before reset: SESSION_NOT_FOUND from submit, nothing queued. */
  assert_fails(submit_index(queue, env, 0, NULL, 0, 1), CGYM_SESSION_NOT_FOUND);
  assert_int_equal(cgym_step_queue_size(queue), 0);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_env_reset(other, NULL, NULL));
  assert_fails(submit_index(queue, env, 0, unknown, 1, 1), CGYM_NOT_FOUND);
  assert_fails(submit_index(NULL, env, 0, NULL, 0, 1), CGYM_INVALID_ARGUMENT);
  assert_int_equal(cgym_step_queue_size(queue), 0);

  assert_ok(submit_index(queue, env, 1, NULL, 0, 7));
  assert_ok(submit_index(queue, other, 2, NULL, 0, 8));
  assert_int_equal(cgym_step_queue_size(queue), 2);
  assert_fails(cgym_step_index(env, 0, NULL, NULL), CGYM_FAILED_PRECONDITION);
  assert_string_equal(cgym_last_error_message(), "The env has a step in flight");
  assert_fails(cgym_step(env, NULL, 0, NULL, 0, NULL, 0, NULL, &result), CGYM_FAILED_PRECONDITION);
  assert_fails(cgym_env_reset(env, NULL, NULL), CGYM_FAILED_PRECONDITION);
  assert_fails(submit_index(queue, env, 0, NULL, 0, 9), CGYM_FAILED_PRECONDITION);
  assert_string_equal(cgym_last_error_message(), "The env has a step in flight");
  assert_int_equal(cgym_step_queue_size(queue), 2);
  assert_fails(cgym_step_queue_next(queue, NAN, &tag, &result), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_step_queue_next(queue, -1, &tag, &result), CGYM_INVALID_ARGUMENT);
  assert_null(result);
  assert_int_equal(cgym_step_queue_size(queue), 2);

  /* No wait: a result, or DEADLINE_EXCEEDED while the steps are on the wire; in-process, the
   * steps ran in submit, so their results are there at once. */
  for (tries = 0; tries < 500 && taken < 2; ++tries) {
    cgym_status_t status = cgym_step_queue_next(queue, 0, &tag, &result);
    if (status == CGYM_OK) {
      assert_true(tag == 7 || tag == 8);
      assert_int_equal(cgym_step_result_status(result), CGYM_OK);
      assert_int_equal(result_observation_count(result), 1);
      cgym_step_result_free(result);
      result = NULL;
      ++taken;
    } else {
      if (status != CGYM_DEADLINE_EXCEEDED) {
        fail_msg("next(0): %s: %s", cgym_status_name(status), cgym_last_error_message());
      }
      assert_true(w->grpc);
      assert_null(result);
      sleep_ms(2);
    }
  }
  while (taken < 2) {
    cgym_step_result_free(take(queue, &tag));
    ++taken;
  }
  assert_int_equal(cgym_step_queue_size(queue), 0);
  /* Free again. */
  assert_ok(cgym_step_index(env, 0, NULL, NULL));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  cgym_step_queue_free(queue);
  cgym_env_free(env);
  cgym_env_free(other);
}

/* An action the service rejects comes back as a result with that error; the episode goes on. */
static void test_queue_step_error(void** state) {
  const where_t* w = *state;
  cgym_env_t* env = connect_example(env_endpoint(w, 0), "features");
  cgym_step_queue_t* queue = NULL;
  cgym_step_result_t* result;
  uint64_t tag = 0;
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_queue_new(&queue));
  assert_ok(submit_index(queue, env, 7, NULL, 0, 42));
  result = take(queue, &tag);
  assert_int_equal(tag, 42);
  assert_int_equal(cgym_step_result_status(result), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_step_result_status_message(result), "Out-of-range");
  assert_int_equal(result_observation_count(result), 0);
  assert_int_equal(result_reward_count(result), 0);
  cgym_step_result_free(result);
  assert_int_equal(cgym_env_in_episode(env), 1);
  assert_ok(cgym_step_index(env, 1, NULL, NULL));
  cgym_step_queue_free(queue);
  cgym_env_free(env);
}

/* Freeing an env with a step in flight: its result comes out CANCELLED; the others are not
 * touched. */
static void test_queue_free_env_in_flight(void** state) {
  const where_t* w = *state;
  cgym_env_t* gone = connect_example(env_endpoint(w, 0), NULL);
  cgym_env_t* kept = connect_example(env_endpoint(w, 1), NULL);
  cgym_step_queue_t* queue = NULL;
  int i, cancelled = 0, ok = 0;
  assert_ok(cgym_env_reset(gone, NULL, NULL));
  assert_ok(cgym_env_reset(kept, NULL, NULL));
  assert_ok(cgym_step_queue_new(&queue));
  assert_ok(submit_index(queue, gone, 0, NULL, 0, 1));
  assert_ok(submit_index(queue, kept, 0, NULL, 0, 2));
  cgym_env_free(gone);
  assert_int_equal(cgym_step_queue_size(queue), 2);
  for (i = 0; i < 2; ++i) {
    uint64_t tag = 0;
    cgym_step_result_t* result = take(queue, &tag);
    if (tag == 1) {
      assert_int_equal(cgym_step_result_status(result), CGYM_CANCELLED);
      assert_true(strlen(cgym_step_result_status_message(result)) > 0);
      ++cancelled;
    } else {
      assert_int_equal(tag, 2);
      assert_int_equal(cgym_step_result_status(result), CGYM_OK);
      ++ok;
    }
    cgym_step_result_free(result);
  }
  assert_int_equal(cancelled, 1);
  assert_int_equal(ok, 1);
  cgym_step_queue_free(queue);
  assert_ok(cgym_step_index(kept, 0, NULL, NULL));
  cgym_env_free(kept);
}

/* Freeing the queue with steps in flight waits for them and frees their envs. */
static void test_queue_free_in_flight(void** state) {
  const where_t* w = *state;
  cgym_env_t* envs[NUM_ENVS];
  cgym_step_queue_t* queue = NULL;
  size_t i;
  assert_ok(cgym_step_queue_new(&queue));
  for (i = 0; i < NUM_ENVS; ++i) {
    envs[i] = connect_example(env_endpoint(w, i), NULL);
    assert_ok(cgym_env_reset(envs[i], NULL, NULL));
    assert_ok(submit_index(queue, envs[i], 1, NULL, 0, i));
  }
  cgym_step_queue_free(queue);
  for (i = 0; i < NUM_ENVS; ++i) {
    assert_ok(cgym_step_index(envs[i], 0, NULL, NULL));
    cgym_env_free(envs[i]);
  }
}

/* --- Vector environments ----------------------------------------------------------------- */

static void test_vec_errors_without_service(void** state) {
  cgym_vec_env_t* vec = NULL;
  (void)state;
  assert_fails(cgym_vec_env_new(NULL, NULL, "inproc:ender", 1, 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_new(&vec, NULL, "inproc:ender", 0, 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_new(&vec, NULL, "127.0.0.1:1,,127.0.0.1:2", 2, 0, NULL),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_new(&vec, NULL, "127.0.0.1:1,", 2, 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_new(&vec, NULL, "/nonexistent/service", 2, 1, NULL), CGYM_NOT_FOUND);
  assert_fails(cgym_vec_env_new(&vec, NULL, "inproc:not-registered", 2, 0, NULL), CGYM_NOT_FOUND);
  assert_fails(cgym_vec_env_new(&vec, "no-such-env-v0", NULL, 2, 1, NULL), CGYM_NOT_FOUND);
  assert_null(vec);
  assert_int_equal(cgym_vec_env_num_envs(NULL), 0);
  assert_int_equal(cgym_vec_env_num_services(NULL), 0);
  assert_int_equal(cgym_vec_env_autoreset(NULL), 0);
  assert_fails(cgym_vec_env_close(NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_step(NULL, NULL, 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_reset(NULL, NULL, NULL), CGYM_INVALID_ARGUMENT);
  cgym_vec_env_free(NULL);
}

/* Where the envs are, and the calls that fail before anything is sent. */
static void test_vec_basics(void** state) {
  const where_t* w = *state;
  cgym_vec_env_t* vec = new_vec(w, 5, "features");
  cgym_env_t* env = NULL;
  const cgym_step_result_t* result = (const cgym_step_result_t*)&env;
  int64_t actions[5] = {0, 0, 0, 0, 0};
  size_t count = 0;
  assert_int_equal(cgym_vec_env_num_envs(vec), 5);
  assert_int_equal(cgym_vec_env_num_services(vec), w->binary ? w->num_services : w->count);
  assert_fails(cgym_vec_env_at(vec, 5, &env), CGYM_OUT_OF_RANGE);
  assert_null(env);
  assert_fails(cgym_vec_env_at(vec, 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_action_space_name(cgym_env_action_space(vec_at(vec, 4))), "default");
  /* No result before the first reset or step. */
  assert_ok(cgym_vec_env_result(vec, 0, &result));
  assert_null(result);
  assert_fails(cgym_vec_env_result(vec, 5, &result), CGYM_OUT_OF_RANGE);
  assert_fails(cgym_vec_env_final_result(vec, 5, &result), CGYM_OUT_OF_RANGE);
  assert_fails(cgym_vec_env_observations_int64s(vec, NULL, 0, &count, NULL),
               CGYM_FAILED_PRECONDITION);
  /* Autoreset modes. */
  assert_int_equal(cgym_vec_env_autoreset(vec), CGYM_AUTORESET_NEXT_STEP);
  assert_fails(cgym_vec_env_set_autoreset(vec, 3), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_set_autoreset(vec, -1), CGYM_INVALID_ARGUMENT);
  assert_int_equal(cgym_vec_env_autoreset(vec), CGYM_AUTORESET_NEXT_STEP);
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_DISABLED));
  assert_int_equal(cgym_vec_env_autoreset(vec), CGYM_AUTORESET_DISABLED);
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_SAME_STEP));
  assert_int_equal(cgym_vec_env_autoreset(vec), CGYM_AUTORESET_SAME_STEP);
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_NEXT_STEP));
  /* Wrong number of actions: nothing is sent. */
  assert_fails(cgym_vec_env_step(vec, actions, 4, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_vec_env_step(vec, actions, 6, NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_vec_env_result(vec, 0, &result));
  assert_null(result);
  assert_ok(cgym_vec_env_close(vec));
  cgym_vec_env_free(vec);
}

/* How many managed services: as asked, never more than envs, one per core for 0. */
static void test_vec_num_services(void** state) {
  const where_t* w = *state;
  cgym_options_t* options = example_options(NULL);
  cgym_vec_env_t* vec = NULL;
  size_t n;
  assert_ok(cgym_vec_env_new(&vec, NULL, w->binary, 2, 8, options));
  assert_int_equal(cgym_vec_env_num_services(vec), 2);
  cgym_vec_env_free(vec);
  assert_ok(cgym_vec_env_new(&vec, NULL, w->binary, 3, 1, options));
  assert_int_equal(cgym_vec_env_num_services(vec), 1);
  cgym_vec_env_free(vec);
  assert_ok(cgym_vec_env_new(&vec, NULL, w->binary, 3, 0, options));
  n = cgym_vec_env_num_services(vec);
  assert_true(n >= 1 && n <= 3);
  if (sysconf(_SC_NPROCESSORS_ONLN) >= 3) assert_int_equal(n, 3);
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  cgym_vec_env_free(vec);
  cgym_options_free(options);
}

/* A vector step gives what one-by-one steps of separate envs give. */
static void test_vec_step_matches_envs(void** state) {
  const where_t* w = *state;
  cgym_vec_env_t* vec = new_vec(w, NUM_ENVS, "features");
  cgym_env_t* alone[NUM_ENVS];
  int round;
  size_t i;
  for (i = 0; i < NUM_ENVS; ++i) {
    alone[i] = connect_example(env_endpoint(w, i), "features");
    assert_ok(cgym_env_reset(alone[i], NULL, NULL));
  }
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  for (i = 0; i < NUM_ENVS; ++i) {
    const cgym_step_result_t* result = vec_result(vec, i);
    assert_int_equal(cgym_step_result_done(result), 0);
    assert_int_equal(cgym_step_result_status(result), CGYM_OK);
    assert_int_equal(result_observation_count(result), 1);
    assert_int_equal(cgym_event_kind(result_observation(result, 0)), CGYM_EVENT_INT64_TENSOR);
  }
  for (round = 0; round < 5; ++round) {
    int64_t actions[NUM_ENVS];
    double rewards[NUM_ENVS];
    uint8_t dones[NUM_ENVS];
    int64_t observations[NUM_ENVS * 3];
    double doubles[NUM_ENVS * 3];
    size_t count = 0, width = 0;
    for (i = 0; i < NUM_ENVS; ++i) actions[i] = (int64_t)((i + (size_t)round) % 3);
    assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
    for (i = 0; i < NUM_ENVS; ++i) {
      cgym_step_result_t* expected = step_index(alone[i], actions[i], NULL, 0);
      assert_same_result(vec_result(vec, i), expected);
      assert_int_equal(cgym_step_result_status(vec_result(vec, i)), CGYM_OK);
      cgym_step_result_free(expected);
    }
    assert_ok(cgym_vec_env_rewards(vec, rewards, NUM_ENVS, &count));
    assert_int_equal(count, NUM_ENVS);
    assert_ok(cgym_vec_env_dones(vec, dones, NUM_ENVS, &count));
    assert_int_equal(count, NUM_ENVS);
    assert_ok(cgym_vec_env_observations_int64s(vec, observations, NUM_ENVS * 3, &count, &width));
    assert_int_equal(count, NUM_ENVS * 3);
    assert_int_equal(width, 3);
    assert_ok(cgym_vec_env_observations_doubles(vec, doubles, NUM_ENVS * 3, &count, NULL));
    assert_int_equal(count, NUM_ENVS * 3);
    for (i = 0; i < NUM_ENVS; ++i) {
      /* No reward space: 0. */
      assert_true(rewards[i] == 0.0);
      assert_int_equal(dones[i], 0);
    }
    for (i = 0; i < NUM_ENVS * 3; ++i) {
      assert_int_equal(observations[i], 0);
      assert_true(doubles[i] == 0.0);
    }
  }
  for (i = 0; i < NUM_ENVS; ++i) {
    assert_int_equal(env_action_count(vec_at(vec, i)), 5);
    cgym_env_free(alone[i]);
  }
  cgym_vec_env_free(vec);
}

/* Buffers: capacity 0 asks for the size, a smaller one is OUT_OF_RANGE; observations of the
 * wrong type are FAILED_PRECONDITION. */
static void test_vec_buffers(void** state) {
  const where_t* w = *state;
  cgym_vec_env_t* vec = new_vec(w, 3, "features");
  int64_t values[9];
  double rewards[3];
  uint8_t dones[3];
  size_t count = 0, width = 0;
  assert_fails(cgym_vec_env_rewards(vec, rewards, 0, NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  assert_ok(cgym_vec_env_rewards(vec, NULL, 0, &count));
  assert_int_equal(count, 3);
  count = 0;
  assert_fails(cgym_vec_env_rewards(vec, rewards, 2, &count), CGYM_OUT_OF_RANGE);
  assert_int_equal(count, 3);
  count = 0;
  assert_ok(cgym_vec_env_dones(vec, NULL, 0, &count));
  assert_int_equal(count, 3);
  count = 0;
  assert_fails(cgym_vec_env_dones(vec, dones, 1, &count), CGYM_OUT_OF_RANGE);
  assert_int_equal(count, 3);
  assert_ok(cgym_vec_env_dones(vec, dones, 3, &count));
  assert_int_equal(dones[0] + dones[1] + dones[2], 0);
  count = 0;
  assert_ok(cgym_vec_env_observations_int64s(vec, NULL, 0, &count, &width));
  assert_int_equal(count, 9);
  assert_int_equal(width, 3);
  count = 0;
  assert_fails(cgym_vec_env_observations_int64s(vec, values, 8, &count, NULL), CGYM_OUT_OF_RANGE);
  assert_int_equal(count, 9);
  count = 0;
  assert_ok(cgym_vec_env_observations_doubles(vec, NULL, 0, &count, NULL));
  assert_int_equal(count, 9);
  /* A string observation is neither; "runtime" (a double) is no int64. */
  {
    size_t i;
    for (i = 0; i < 3; ++i) assert_ok(cgym_env_set_observation_space(vec_at(vec, i), "ir"));
    assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
    assert_fails(cgym_vec_env_observations_int64s(vec, values, 9, &count, NULL),
                 CGYM_FAILED_PRECONDITION);
    assert_fails(cgym_vec_env_observations_doubles(vec, NULL, 0, &count, NULL),
                 CGYM_FAILED_PRECONDITION);
    for (i = 0; i < 3; ++i) assert_ok(cgym_env_set_observation_space(vec_at(vec, i), "runtime"));
    assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
    assert_fails(cgym_vec_env_observations_int64s(vec, values, 9, &count, NULL),
                 CGYM_FAILED_PRECONDITION);
    assert_ok(cgym_vec_env_observations_doubles(vec, NULL, 0, &count, &width));
    assert_int_equal(count, 3);
    assert_int_equal(width, 1);
    /* No default observation space: no observation to read. */
    for (i = 0; i < 3; ++i) assert_ok(cgym_env_set_observation_space(vec_at(vec, i), NULL));
    assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
    assert_fails(cgym_vec_env_observations_doubles(vec, NULL, 0, &count, NULL),
                 CGYM_FAILED_PRECONDITION);
    assert_ok(cgym_vec_env_rewards(vec, rewards, 3, &count));
  }
  cgym_vec_env_free(vec);
}

/* Reset with a mask: only those envs; the others keep their results. */
static void test_vec_reset_mask(void** state) {
  const where_t* w = *state;
  cgym_vec_env_t* vec = new_vec(w, NUM_ENVS, "features");
  const uint8_t mask[NUM_ENVS] = {1, 0, 2, 0};
  int64_t actions[NUM_ENVS] = {0, 1, 2, 0};
  const cgym_step_result_t* before[NUM_ENVS];
  size_t i;
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  for (i = 0; i < NUM_ENVS; ++i) before[i] = vec_result(vec, i);
  (void)before;
  assert_ok(cgym_vec_env_reset(vec, mask, NULL));
  for (i = 0; i < NUM_ENVS; ++i) {
    const cgym_step_result_t* result = vec_result(vec, i);
    assert_int_equal(env_action_count(vec_at(vec, i)), mask[i] ? 0 : 2);
    assert_int_equal(cgym_step_result_done(result), 0);
    assert_int_equal(cgym_step_result_status(result), CGYM_OK);
    assert_int_equal(result_observation_count(result), 1);
  }
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  for (i = 0; i < NUM_ENVS; ++i) {
    assert_int_equal(env_action_count(vec_at(vec, i)), mask[i] ? 1 : 3);
  }
  cgym_vec_env_free(vec);
}

/* The episode of an env whose action its service rejects is over; what follows is the
 * autoreset mode's. */
static void test_vec_autoreset_on_errors(void** state) {
  const where_t* w = *state;
  cgym_vec_env_t* vec = new_vec(w, NUM_ENVS, "features");
  int64_t bad[NUM_ENVS] = {0, 5, 0, 0};
  int64_t good[NUM_ENVS] = {1, 1, 1, 1};
  uint8_t dones[NUM_ENVS];
  size_t count = 0, i;
  const cgym_step_result_t* result;

  /* NEXT_STEP: done now, reset at the next step (its action ignored). */
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  assert_ok(cgym_vec_env_step(vec, bad, NUM_ENVS, NULL));
  result = vec_result(vec, 1);
  assert_int_equal(cgym_step_result_done(result), 1);
  assert_int_equal(cgym_step_result_status(result), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_step_result_status_message(result), "Out-of-range");
  assert_true(strlen(cgym_step_result_error_type(result)) > 0);
  assert_ok(cgym_vec_env_dones(vec, dones, NUM_ENVS, &count));
  for (i = 0; i < NUM_ENVS; ++i) assert_int_equal(dones[i], i == 1);
  assert_null(vec_final(vec, 1));
  assert_ok(cgym_vec_env_step(vec, good, NUM_ENVS, NULL));
  result = vec_result(vec, 1);
  assert_int_equal(cgym_step_result_done(result), 0);
  assert_int_equal(cgym_step_result_status(result), CGYM_OK);
  assert_int_equal(env_action_count(vec_at(vec, 1)), 0);
  assert_int_equal(env_action_count(vec_at(vec, 0)), 2);
  assert_ok(cgym_vec_env_dones(vec, dones, NUM_ENVS, &count));
  for (i = 0; i < NUM_ENVS; ++i) assert_int_equal(dones[i], 0);
  assert_ok(cgym_vec_env_step(vec, good, NUM_ENVS, NULL));
  assert_int_equal(env_action_count(vec_at(vec, 1)), 1);

  /* SAME_STEP: reset in the same step; the step's own result is the final result. */
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_SAME_STEP));
  assert_ok(cgym_vec_env_step(vec, bad, NUM_ENVS, NULL));
  result = vec_final(vec, 1);
  assert_non_null(result);
  assert_int_equal(cgym_step_result_done(result), 1);
  assert_int_equal(cgym_step_result_status(result), CGYM_INVALID_ARGUMENT);
  result = vec_result(vec, 1);
  assert_int_equal(cgym_step_result_status(result), CGYM_OK);
  assert_int_equal(result_observation_count(result), 1);
  assert_int_equal(env_action_count(vec_at(vec, 1)), 0);
  assert_null(vec_final(vec, 0));
  assert_null(vec_final(vec, 2));
  assert_ok(cgym_vec_env_step(vec, good, NUM_ENVS, NULL));
  assert_null(vec_final(vec, 1));
  assert_int_equal(env_action_count(vec_at(vec, 1)), 1);

  /* DISABLED: nothing is reset by a step; a masked reset starts the episode again. */
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_DISABLED));
  assert_ok(cgym_vec_env_step(vec, bad, NUM_ENVS, NULL));
  result = vec_result(vec, 1);
  assert_int_equal(cgym_step_result_done(result), 1);
  assert_int_equal(cgym_step_result_status(result), CGYM_INVALID_ARGUMENT);
  assert_null(vec_final(vec, 1));
  assert_true(env_action_count(vec_at(vec, 1)) > 0);
  {
    const uint8_t mask[NUM_ENVS] = {0, 1, 0, 0};
    assert_ok(cgym_vec_env_reset(vec, mask, NULL));
  }
  assert_int_equal(cgym_step_result_done(vec_result(vec, 1)), 0);
  assert_int_equal(env_action_count(vec_at(vec, 1)), 0);
  assert_ok(cgym_vec_env_step(vec, good, NUM_ENVS, NULL));
  assert_int_equal(env_action_count(vec_at(vec, 1)), 1);
  assert_ok(cgym_vec_env_dones(vec, dones, NUM_ENVS, &count));
  for (i = 0; i < NUM_ENVS; ++i) assert_int_equal(dones[i], 0);
  cgym_vec_env_free(vec);
}

/* A step before any reset: each env's result holds SESSION_NOT_FOUND and says done; the next
 * step resets them. */
static void test_vec_step_before_reset(void** state) {
  const where_t* w = *state;
  cgym_vec_env_t* vec = new_vec(w, 2, "features");
  int64_t actions[2] = {0, 0};
  size_t i;
  assert_ok(cgym_vec_env_step(vec, actions, 2, NULL));
  for (i = 0; i < 2; ++i) {
    const cgym_step_result_t* result = vec_result(vec, i);
    assert_int_equal(cgym_step_result_done(result), 1);
    assert_int_equal(cgym_step_result_status(result), CGYM_SESSION_NOT_FOUND);
  }
  assert_ok(cgym_vec_env_step(vec, actions, 2, NULL));
  for (i = 0; i < 2; ++i) {
    assert_int_equal(cgym_step_result_done(vec_result(vec, i)), 0);
    assert_int_equal(cgym_step_result_status(vec_result(vec, i)), CGYM_OK);
    assert_int_equal(cgym_env_in_episode(vec_at(vec, i)), 1);
  }
  cgym_vec_env_free(vec);
}

/* --- Episodes that end: the "ender" session, in-process ---------------------------------- */

static void read_rewards(const cgym_vec_env_t* vec, double* rewards, size_t n) {
  size_t count = 0;
  assert_ok(cgym_vec_env_rewards(vec, rewards, n, &count));
  assert_int_equal(count, n);
}

static void test_ender_next_step(void** state) {
  cgym_vec_env_t* vec = new_ender_vec(3);
  int64_t end1[3] = {0, 2, 1}, zero[3] = {0, 0, 0};
  double rewards[3];
  uint8_t dones[3];
  int64_t obs[12];
  size_t count = 0, width = 0;
  (void)state;
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  read_rewards(vec, rewards, 3);
  assert_true(rewards[0] == 0 && rewards[1] == 0 && rewards[2] == 0);
  assert_int_equal(int64_observation(vec_result(vec, 0)), 0);
  assert_ok(cgym_vec_env_step(vec, end1, 3, NULL));
  read_rewards(vec, rewards, 3);
  assert_true(rewards[0] == 1 && rewards[1] == 1 && rewards[2] == 1);
  assert_ok(cgym_vec_env_dones(vec, dones, 3, &count));
  assert_true(dones[0] == 0 && dones[1] == 1 && dones[2] == 0);
  assert_int_equal(cgym_step_result_status(vec_result(vec, 1)), CGYM_OK);
  assert_string_equal(cgym_step_result_error_type(vec_result(vec, 1)), "");
  assert_ok(cgym_vec_env_observations_int64s(vec, obs, 3, &count, &width));
  assert_int_equal(width, 1);
  assert_true(obs[0] == 1 && obs[1] == 1 && obs[2] == 1);
  /* The next step resets env 1 instead of stepping it. */
  assert_ok(cgym_vec_env_step(vec, end1, 3, NULL));
  read_rewards(vec, rewards, 3);
  assert_true(rewards[0] == 2 && rewards[1] == 0 && rewards[2] == 2);
  assert_ok(cgym_vec_env_dones(vec, dones, 3, &count));
  assert_true(dones[0] == 0 && dones[1] == 0 && dones[2] == 0);
  assert_ok(cgym_vec_env_observations_int64s(vec, obs, 3, &count, NULL));
  assert_true(obs[0] == 2 && obs[1] == 0 && obs[2] == 2);
  /* Rows of different lengths are padded with zeros. */
  {
    size_t i;
    double doubles[12];
    for (i = 0; i < 3; ++i) assert_ok(cgym_env_set_observation_space(vec_at(vec, i), "wide"));
    assert_ok(cgym_vec_env_step(vec, zero, 3, NULL)); /* counts 3, 1, 3 */
    assert_ok(cgym_vec_env_observations_int64s(vec, obs, 12, &count, &width));
    assert_int_equal(width, 4);
    assert_int_equal(count, 12);
    for (i = 0; i < 12; ++i) {
      int64_t expected = (i / 4 == 1 && i % 4 >= 2) ? 0 : 7;
      assert_int_equal(obs[i], expected);
    }
    assert_ok(cgym_vec_env_observations_doubles(vec, doubles, 12, &count, &width));
    assert_int_equal(width, 4);
    assert_true(doubles[4] == 7.0 && doubles[6] == 0.0);
    for (i = 0; i < 3; ++i) assert_ok(cgym_env_set_observation_space(vec_at(vec, i), "value"));
    assert_ok(cgym_vec_env_step(vec, zero, 3, NULL)); /* counts 4, 2, 4 */
    assert_ok(cgym_vec_env_observations_doubles(vec, doubles, 3, &count, &width));
    assert_int_equal(width, 1);
    assert_true(doubles[0] == 2.0 && doubles[1] == 1.0 && doubles[2] == 2.0);
    assert_fails(cgym_vec_env_observations_int64s(vec, obs, 3, &count, NULL),
                 CGYM_FAILED_PRECONDITION);
  }
  cgym_vec_env_free(vec);
}

static void test_ender_same_step(void** state) {
  cgym_vec_env_t* vec = new_ender_vec(3);
  int64_t end0[3] = {2, 1, 0}, zero[3] = {0, 0, 0};
  double rewards[3];
  uint8_t dones[3];
  size_t count = 0;
  const cgym_step_result_t* final;
  (void)state;
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_SAME_STEP));
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  assert_ok(cgym_vec_env_step(vec, zero, 3, NULL));
  assert_ok(cgym_vec_env_step(vec, end0, 3, NULL));
  /* Env 0 ended at its second action and was reset in the same step. */
  final = vec_final(vec, 0);
  assert_non_null(final);
  assert_int_equal(cgym_step_result_done(final), 1);
  assert_int_equal(cgym_step_result_status(final), CGYM_OK);
  assert_int_equal(int64_observation(final), 2);
  assert_true(result_reward(final, 0) == 2.0);
  assert_int_equal(int64_observation(vec_result(vec, 0)), 0);
  assert_int_equal(cgym_step_result_done(vec_result(vec, 0)), 0);
  assert_null(vec_final(vec, 1));
  assert_null(vec_final(vec, 2));
  /* The batch reports what the step gave, as gymnasium does: env 0's final reward and done
   * (its observation is the reset's). */
  read_rewards(vec, rewards, 3);
  assert_true(rewards[0] == 2 && rewards[1] == 2 && rewards[2] == 2);
  assert_ok(cgym_vec_env_dones(vec, dones, 3, &count));
  assert_int_equal(dones[0], 1);
  assert_int_equal(dones[1], 0);
  assert_int_equal(env_action_count(vec_at(vec, 0)), 0);
  /* The next step steps it as any other. */
  assert_ok(cgym_vec_env_step(vec, zero, 3, NULL));
  assert_null(vec_final(vec, 0));
  assert_int_equal(int64_observation(vec_result(vec, 0)), 1);
  assert_int_equal(int64_observation(vec_result(vec, 1)), 3);
  cgym_vec_env_free(vec);
}

static void test_ender_disabled(void** state) {
  cgym_vec_env_t* vec = new_ender_vec(3);
  int64_t end0[3] = {2, 0, 0};
  const uint8_t mask[3] = {1, 0, 0};
  uint8_t dones[3];
  size_t count = 0;
  (void)state;
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_DISABLED));
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  assert_ok(cgym_vec_env_step(vec, end0, 3, NULL));
  assert_ok(cgym_vec_env_dones(vec, dones, 3, &count));
  assert_true(dones[0] == 1 && dones[1] == 0 && dones[2] == 0);
  assert_null(vec_final(vec, 0));
  assert_int_equal(int64_observation(vec_result(vec, 0)), 1);
  assert_ok(cgym_vec_env_reset(vec, mask, NULL));
  assert_int_equal(int64_observation(vec_result(vec, 0)), 0);
  assert_int_equal(int64_observation(vec_result(vec, 1)), 1); /* kept */
  assert_ok(cgym_vec_env_dones(vec, dones, 3, &count));
  assert_true(dones[0] == 0 && dones[1] == 0 && dones[2] == 0);
  assert_ok(cgym_vec_env_step(vec, end0, 3, NULL));
  assert_int_equal(int64_observation(vec_result(vec, 0)), 1);
  assert_int_equal(int64_observation(vec_result(vec, 1)), 2);
  cgym_vec_env_free(vec);
}

/* Resetting: every env asked for is reset even if one fails; the first failure is returned,
 * prefixed with its env, and that env's result holds it. */
static void test_ender_reset_failure(void** state) {
  cgym_vec_env_t* vec = new_ender_vec(3);
  const uint8_t mask[3] = {0, 1, 1};
  size_t i;
  (void)state;
  assert_ok(cgym_env_set_benchmark(vec_at(vec, 1), "benchmark://ender/fail", NULL, 0));
  assert_fails(cgym_vec_env_reset(vec, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "env 1: init failed");
  assert_int_equal(cgym_step_result_status(vec_result(vec, 1)), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_step_result_status_message(vec_result(vec, 1)), "init failed");
  for (i = 0; i < 3; i += 2) {
    assert_int_equal(cgym_step_result_status(vec_result(vec, i)), CGYM_OK);
    assert_int_equal(cgym_env_in_episode(vec_at(vec, i)), 1);
  }
  assert_ok(cgym_env_set_benchmark(vec_at(vec, 1), "benchmark://ender/b", NULL, 0));
  assert_ok(cgym_vec_env_reset(vec, mask, NULL));
  assert_int_equal(cgym_step_result_status(vec_result(vec, 1)), CGYM_OK);
  assert_int_equal(int64_observation(vec_result(vec, 1)), 0);
  cgym_vec_env_free(vec);
}

/* --- Services that die ------------------------------------------------------------------- */

/* A service killed under a vector env of unmanaged services ends the episodes of its envs
 * only: env i is on service i % 2. */
static void test_vec_unmanaged_service_killed(void** state) {
  service_process_t services[2];
  char endpoint[128];
  cgym_options_t* options = example_options("features");
  cgym_vec_env_t* vec = NULL;
  int64_t actions[NUM_ENVS] = {0, 0, 0, 0};
  size_t i;
  (void)state;
  memset(services, 0, sizeof services);
  assert_int_equal(start_service(&services[0], CGYM_EXAMPLE_SERVICE_CC), 0);
  assert_int_equal(start_service(&services[1], CGYM_EXAMPLE_SERVICE_CC), 0);
  snprintf(endpoint, sizeof endpoint, "127.0.0.1:%d,127.0.0.1:%d", services[0].port,
           services[1].port);
  assert_ok(cgym_options_set_init_max_attempts(options, 1));
  assert_ok(cgym_options_set_rpc_max_retries(options, 0));
  assert_ok(cgym_options_set_rpc_init_max_seconds(options, 0.5));
  assert_ok(cgym_vec_env_new(&vec, NULL, endpoint, NUM_ENVS, 0, options));
  cgym_options_free(options);
  assert_int_equal(cgym_vec_env_num_services(vec), 2);
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  stop_service(&services[1]);
  /* No autoreset: a dead unmanaged service cannot be replaced. */
  assert_ok(cgym_vec_env_set_autoreset(vec, CGYM_AUTORESET_DISABLED));
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  for (i = 0; i < NUM_ENVS; ++i) {
    const cgym_step_result_t* result = vec_result(vec, i);
    assert_int_equal(cgym_step_result_done(result), (int)(i % 2));
    /* A failed service is no error of cgym_step(): CGYM_OK, with error_type. */
    assert_int_equal(cgym_step_result_status(result), CGYM_OK);
    assert_int_equal(strlen(cgym_step_result_error_type(result)) > 0, (int)(i % 2));
  }
  assert_ok(cgym_vec_env_step(vec, (int64_t[]){1, 1, 1, 1}, NUM_ENVS, NULL));
  assert_int_equal(cgym_step_result_done(vec_result(vec, 0)), 0);
  assert_int_equal(cgym_step_result_done(vec_result(vec, 2)), 0);
  cgym_vec_env_free(vec);
  stop_service(&services[0]);
}

/* The pids of this process's children running `binary`. */
static size_t child_services(const char* binary, pid_t* pids, size_t capacity) {
  char real[4096];
  DIR* proc = opendir("/proc");
  struct dirent* entry;
  size_t n = 0;
  if (!realpath(binary, real) || !proc) {
    if (proc) closedir(proc);
    return 0;
  }
  while ((entry = readdir(proc)) != NULL) {
    char path[300], exe[4096], stat[1024];
    const char* after;
    long ppid = 0;
    char state = 0;
    ssize_t length;
    FILE* f;
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
    f = fopen(path, "r");
    if (!f) continue;
    length = (ssize_t)fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    if (length <= 0) continue;
    stat[length] = '\0';
    after = strrchr(stat, ')');
    if (!after || sscanf(after + 1, " %c %ld", &state, &ppid) != 2) continue;
    if (ppid != (long)getpid() || state == 'Z') continue;
    snprintf(path, sizeof path, "/proc/%s/exe", entry->d_name);
    length = readlink(path, exe, sizeof exe - 1);
    if (length <= 0) continue;
    exe[length] = '\0';
    if (strcmp(exe, real) == 0 && n < capacity) pids[n++] = (pid_t)atol(entry->d_name);
  }
  closedir(proc);
  return n;
}

/* The same with managed services, which the API does not name: found as this process's
 * children; the next step (NEXT_STEP) replaces the dead one. */
static void test_vec_managed_service_killed(void** state) {
  const where_t* w = *state;
  cgym_vec_env_t* vec = new_vec(w, NUM_ENVS, "features");
  int64_t actions[NUM_ENVS] = {0, 0, 0, 0};
  pid_t pids[8];
  size_t i, n, dead = NUM_ENVS;
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  n = child_services(w->binary, pids, 8);
  if (n != 2) {
    cgym_vec_env_free(vec);
    print_message("managed services are not children of this process (%zu found)\n", n);
    skip();
  }
  kill(pids[1], SIGKILL);
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  for (i = 0; i < NUM_ENVS; ++i) {
    if (cgym_step_result_done(vec_result(vec, i))) {
      assert_true(strlen(cgym_step_result_error_type(vec_result(vec, i))) > 0);
      if (dead == NUM_ENVS) dead = i % 2;
      assert_int_equal(i % 2, dead); /* only the envs of one service */
    }
  }
  assert_true(dead < 2);
  assert_int_equal(cgym_step_result_done(vec_result(vec, dead)), 1);
  assert_int_equal(cgym_step_result_done(vec_result(vec, dead + 2)), 1);
  /* Reset at the next step, on a new service. */
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  for (i = 0; i < NUM_ENVS; ++i) {
    assert_int_equal(cgym_step_result_done(vec_result(vec, i)), 0);
    assert_int_equal(cgym_step_result_status(vec_result(vec, i)), CGYM_OK);
  }
  assert_int_equal(env_action_count(vec_at(vec, dead)), 0);
  assert_int_equal(env_action_count(vec_at(vec, 1 - dead)), 2);
  assert_ok(cgym_vec_env_step(vec, actions, NUM_ENVS, NULL));
  cgym_vec_env_free(vec);
  waitpid(pids[1], NULL, WNOHANG);
}

/* --- By id: the LLVM environment --------------------------------------------------------- */

static void test_vec_llvm_by_id(void** state) {
  cgym_vec_env_t* vec = NULL;
  int64_t actions[2] = {0, 1};
  int64_t features[112];
  double rewards[2];
  uint8_t dones[2];
  size_t count = 0, width = 0;
  (void)state;
#ifdef CGYM_TEST_LLVM_SERVICE
  setenv("CGYM_LLVM_SERVICE", CGYM_TEST_LLVM_SERVICE, 0);
#endif
  if (!getenv("CGYM_LLVM_SERVICE")) {
    print_message("no LLVM service (set CGYM_LLVM_SERVICE)\n");
    skip();
  }
  assert_ok(cgym_vec_env_new(&vec, "llvm-autophase-ic-v0", NULL, 2, 2, NULL));
  assert_int_equal(cgym_vec_env_num_envs(vec), 2);
  assert_int_equal(cgym_vec_env_num_services(vec), 2);
  assert_ok(cgym_vec_env_reset(vec, NULL, NULL));
  assert_ok(cgym_vec_env_observations_int64s(vec, NULL, 0, &count, &width));
  assert_int_equal(width, 56);
  assert_int_equal(count, 112);
  assert_ok(cgym_vec_env_step(vec, actions, 2, NULL));
  assert_ok(cgym_vec_env_observations_int64s(vec, features, 112, &count, &width));
  assert_int_equal(width, 56);
  assert_int_equal(cgym_step_result_status(vec_result(vec, 0)), CGYM_OK);
  assert_int_equal(cgym_step_result_done(vec_result(vec, 0)), 0);
  assert_ok(cgym_vec_env_rewards(vec, rewards, 2, &count));
  assert_int_equal(count, 2);
  assert_ok(cgym_vec_env_dones(vec, dones, 2, &count));
  assert_int_equal(dones[0] + dones[1], 0);
  assert_ok(cgym_vec_env_close(vec));
  cgym_vec_env_free(vec);
}

/* --- Main -------------------------------------------------------------------------------- */

static int run_where(where_t* w) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_prestate(test_queue_results, w),
      cmocka_unit_test_prestate(test_queue_in_flight, w),
      cmocka_unit_test_prestate(test_queue_step_error, w),
      cmocka_unit_test_prestate(test_queue_free_env_in_flight, w),
      cmocka_unit_test_prestate(test_queue_free_in_flight, w),
      cmocka_unit_test_prestate(test_vec_basics, w),
      cmocka_unit_test_prestate(test_vec_step_matches_envs, w),
      cmocka_unit_test_prestate(test_vec_buffers, w),
      cmocka_unit_test_prestate(test_vec_reset_mask, w),
      cmocka_unit_test_prestate(test_vec_autoreset_on_errors, w),
      cmocka_unit_test_prestate(test_vec_step_before_reset, w),
  };
  return _cmocka_run_group_tests(w->name, tests, sizeof tests / sizeof tests[0], NULL, NULL);
}

int main(void) {
  int failures = 0;
  where_t managed, managed_c, inproc, unmanaged;
  service_process_t services[2];
  memset(&managed, 0, sizeof managed);
  memset(&managed_c, 0, sizeof managed_c);
  memset(&inproc, 0, sizeof inproc);
  memset(&unmanaged, 0, sizeof unmanaged);
  memset(services, 0, sizeof services);

  register_ender();
  failures += cmocka_run_group_tests_name(
      "without a service",
      ((const struct CMUnitTest[]){cmocka_unit_test(test_queue_errors_without_service),
                                   cmocka_unit_test(test_vec_errors_without_service)}),
      NULL, NULL);

  managed.name = "managed C++ example services";
  managed.binary = CGYM_EXAMPLE_SERVICE_CC;
  managed.count = 1;
  managed.num_services = 2;
  managed.grpc = 1;
  failures += run_where(&managed);
  failures += cmocka_run_group_tests_name(
      "managed services",
      ((const struct CMUnitTest[]){
          cmocka_unit_test_prestate(test_vec_num_services, &managed),
          cmocka_unit_test_prestate(test_vec_managed_service_killed, &managed),
      }),
      NULL, NULL);
#ifdef CGYM_EXAMPLE_SERVICE_C
  managed_c = managed;
  managed_c.name = "managed C example services";
  managed_c.binary = CGYM_EXAMPLE_SERVICE_C;
  failures += run_where(&managed_c);
#endif

#ifdef CGYM_EXAMPLE_PLUGIN
  if (cgym_service_register_plugin("example", CGYM_EXAMPLE_PLUGIN) != CGYM_OK) {
    fprintf(stderr, "cannot load %s: %s\n", CGYM_EXAMPLE_PLUGIN, cgym_last_error_message());
    return 1;
  }
  inproc.name = "the example plugin in-process";
  snprintf(inproc.endpoints[0], sizeof inproc.endpoints[0], "inproc:example");
  inproc.count = 1;
  failures += run_where(&inproc);
#endif

  if (start_service(&services[0], CGYM_EXAMPLE_SERVICE_CC) != 0 ||
      start_service(&services[1], CGYM_EXAMPLE_SERVICE_CC) != 0) {
    fprintf(stderr, "cannot start the example service\n");
    stop_service(&services[0]);
    stop_service(&services[1]);
    return 1;
  }
  unmanaged.name = "two unmanaged example services";
  snprintf(unmanaged.endpoints[0], sizeof unmanaged.endpoints[0], "127.0.0.1:%d", services[0].port);
  snprintf(unmanaged.endpoints[1], sizeof unmanaged.endpoints[1], "127.0.0.1:%d", services[1].port);
  unmanaged.count = 2;
  unmanaged.grpc = 1;
  failures += run_where(&unmanaged);
  stop_service(&services[0]);
  stop_service(&services[1]);

  failures += cmocka_run_group_tests_name("episodes that end (in-process)",
                                          ((const struct CMUnitTest[]){
                                              cmocka_unit_test(test_ender_next_step),
                                              cmocka_unit_test(test_ender_same_step),
                                              cmocka_unit_test(test_ender_disabled),
                                              cmocka_unit_test(test_ender_reset_failure),
                                              cmocka_unit_test(test_vec_unmanaged_service_killed),
                                              cmocka_unit_test(test_vec_llvm_by_id),
                                          }),
                                          NULL, NULL);
  cgym_service_unregister("ender");
  return failures;
}
