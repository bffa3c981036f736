/* SPDX-License-Identifier: MIT */
/*
 * Services written in C: the service definition's errors, cgym_service_run's refusals,
 * in-process registration, and a session written here driven through the C client
 * ("inproc:NAME"): each slot's results and failures as the client sees them, and every
 * session that init or fork made destroyed exactly once. Then the C example service binary
 * as a managed service.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, nanosleep */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

/* --- A session with a counter ------------------------------------------------------------ */

/* What the sessions did, shared through service_data (the client runs in-process sessions on
 * its own thread, so no locking is needed here). */
typedef struct {
  int inits;
  int forks;
  int destroys;
  int end_of_steps;
  int compiler_versions;
  char uri[256];
  char program[64];
  long program_length; /* -1: no program */
  char action_space[64];
} counters_t;

static counters_t counters;

typedef struct {
  counters_t* counters;
  int64_t counter;
  char reply[32];
} session_t;

enum { OBS_COUNTER = 0, OBS_FAIL = 1, OBS_NAME = 2 };

/* Actions: 0..4 add to the counter (0 has no effect); 5 records an error but succeeds; 6 adds
 * 100, after which end_of_step ends the episode; 7 ends the episode; 8 switches to action
 * space 1; 9 to the bad action space 5; 10 records one code and returns another; 1000 + code
 * fails with `code` and the message "code <code>"; 2000 + code fails without a message. */
static cgym_status_t test_init(void* service_data, const cgym_action_space_t* action_space,
                               const char* benchmark_uri, const void* program,
                               size_t program_length, void** session) {
  counters_t* c = service_data;
  session_t* s;
  if (strstr(benchmark_uri, "fail-init-internal")) {
    return cgym_set_error(CGYM_INTERNAL, "init failed badly");
  }
  if (strstr(benchmark_uri, "fail-init")) {
    return cgym_set_error(CGYM_INVALID_ARGUMENT, "init failed");
  }
  snprintf(c->uri, sizeof c->uri, "%s", benchmark_uri);
  snprintf(c->action_space, sizeof c->action_space, "%s", cgym_action_space_name(action_space));
  c->program_length = program ? (long)program_length : -1;
  c->program[0] = '\0';
  if (program && program_length < sizeof c->program) {
    memcpy(c->program, program, program_length);
    c->program[program_length] = '\0';
  }
  s = calloc(1, sizeof *s);
  if (!s) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  s->counters = c;
  c->inits++;
  *session = s;
  return CGYM_OK;
}

static cgym_status_t test_fork(void* session, void** new_session) {
  const session_t* s = session;
  session_t* copy = malloc(sizeof *copy);
  if (!copy) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  *copy = *s;
  s->counters->forks++;
  *new_session = copy;
  return CGYM_OK;
}

static cgym_status_t test_apply_action(void* session, const cgym_event_t* action,
                                       int* end_of_episode, int* action_had_no_effect,
                                       int32_t* new_action_space) {
  session_t* s = session;
  int64_t value = 0;
  char message[64];
  cgym_status_t status = cgym_event_get_int64(action, &value);
  if (status != CGYM_OK) return status;
  /* The flags start at 0 and -1. */
  if (*end_of_episode != 0 || *action_had_no_effect != 0 || *new_action_space != -1) {
    return cgym_set_error(CGYM_INTERNAL, "bad flags on entry");
  }
  if (value >= 2000) return (cgym_status_t)(value - 2000);
  if (value >= 1000) {
    snprintf(message, sizeof message, "code %d", (int)(value - 1000));
    return cgym_set_error((cgym_status_t)(value - 1000), message);
  }
  switch (value) {
    case 0:
      *action_had_no_effect = 1;
      return CGYM_OK;
    case 1:
    case 2:
    case 3:
    case 4:
      s->counter += value;
      return CGYM_OK;
    case 5:
      cgym_set_error(CGYM_INTERNAL, "stale error");
      return CGYM_OK;
    case 6:
      s->counter += 100;
      return CGYM_OK;
    case 7:
      *end_of_episode = 1;
      return CGYM_OK;
    case 8:
      *new_action_space = 1;
      return CGYM_OK;
    case 9:
      *new_action_space = 5;
      return CGYM_OK;
    case 10:
      cgym_set_error(CGYM_NOT_FOUND, "a message for another code");
      return CGYM_INVALID_ARGUMENT;
    default:
      return cgym_set_error(CGYM_INVALID_ARGUMENT, "bad action");
  }
}

static cgym_status_t test_get_observation(void* session, int32_t index,
                                          const cgym_observation_space_t* space,
                                          cgym_event_t* observation) {
  const session_t* s = session;
  const char* name = cgym_observation_space_name(space);
  if (cgym_event_kind(observation) != CGYM_EVENT_NONE) {
    return cgym_set_error(CGYM_INTERNAL, "the observation is not empty on entry");
  }
  switch (index) {
    case OBS_COUNTER:
      return cgym_event_set_int64(observation, s->counter);
    case OBS_FAIL:
      return cgym_set_error(CGYM_FAILED_PRECONDITION, "observation failed");
    case OBS_NAME:
      return cgym_event_set_string(observation, name, strlen(name));
    default:
      return cgym_set_error(CGYM_INTERNAL, "unknown observation space");
  }
}

static cgym_status_t test_end_of_step(void* session, int action_had_no_effect, int* end_of_episode,
                                      int32_t* new_action_space) {
  session_t* s = session;
  (void)action_had_no_effect;
  (void)new_action_space;
  s->counters->end_of_steps++;
  if (s->counter >= 100) *end_of_episode = 1;
  return CGYM_OK;
}

static cgym_status_t test_handle_session_parameter(void* session, const char* key,
                                                   const char* value, const char** reply) {
  session_t* s = session;
  if (strcmp(key, "counter") == 0) {
    snprintf(s->reply, sizeof s->reply, "%lld", (long long)s->counter);
    *reply = s->reply;
  } else if (strcmp(key, "set") == 0) {
    s->counter = atoll(value);
    *reply = "ok";
  } else if (strcmp(key, "fail") == 0) {
    return cgym_set_error(CGYM_INVALID_ARGUMENT, "bad parameter");
  }
  return CGYM_OK;
}

static void test_destroy(void* session) {
  session_t* s = session;
  s->counters->destroys++;
  free(s);
}

static const char* test_compiler_version(void* service_data) {
  counters_t* c = service_data;
  c->compiler_versions++;
  return "test-compiler 2.0";
}

static cgym_session_vtable_t full_vtable(void) {
  cgym_session_vtable_t vtable;
  memset(&vtable, 0, sizeof vtable);
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = test_init;
  vtable.fork = test_fork;
  vtable.apply_action = test_apply_action;
  vtable.get_observation = test_get_observation;
  vtable.end_of_step = test_end_of_step;
  vtable.handle_session_parameter = test_handle_session_parameter;
  vtable.destroy = test_destroy;
  vtable.compiler_version = test_compiler_version;
  return vtable;
}

/* --- Helpers ----------------------------------------------------------------------------- */

static void add_action_space(cgym_service_def_t* def, const char* name, int64_t n) {
  cgym_space_t* space = NULL;
  cgym_action_space_t* action_space = NULL;
  assert_ok(cgym_space_new_discrete(&space, n));
  assert_ok(cgym_action_space_new(&action_space, name, space));
  assert_ok(cgym_service_def_add_action_space(def, action_space));
  cgym_action_space_free(action_space);
  cgym_space_free(space);
}

static void add_observation_space(cgym_service_def_t* def, const char* name, int string) {
  cgym_space_t* space = NULL;
  cgym_observation_space_t* observation_space = NULL;
  if (string) {
    assert_ok(cgym_space_new_string(&space, 0, -1));
  } else {
    assert_ok(cgym_space_new_range(&space, CGYM_SPACE_INT64_RANGE, 0, 1, 0, 0));
  }
  assert_ok(cgym_observation_space_new(&observation_space, name, space, 1, 0, NULL));
  assert_ok(cgym_service_def_add_observation_space(def, observation_space));
  cgym_observation_space_free(observation_space);
  cgym_space_free(space);
}

/* The test service: action spaces "default" (10) and "other" (3); observation spaces
 * "counter", "fail" and "name". */
static cgym_service_def_t* make_def(const cgym_session_vtable_t* vtable) {
  cgym_service_def_t* def = NULL;
  assert_ok(cgym_service_def_new(&def, vtable, &counters));
  add_action_space(def, "default", 10);
  add_action_space(def, "other", 3);
  add_observation_space(def, "counter", 0);
  add_observation_space(def, "fail", 0);
  add_observation_space(def, "name", 1);
  return def;
}

static void register_service(const char* name, const cgym_session_vtable_t* vtable) {
  cgym_service_def_t* def = make_def(vtable);
  assert_ok(cgym_service_register(name, def));
  cgym_service_def_free(def);
}

static cgym_env_t* connect_env(const char* endpoint, const char* benchmark) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, benchmark, "prog", 4));
  assert_ok(cgym_options_set_rpc_max_retries(options, 0));
  assert_ok(cgym_options_set_retry_wait_seconds(options, 0));
  assert_ok(cgym_options_set_init_max_attempts(options, 2));
  assert_ok(cgym_options_set_init_max_seconds(options, 30));
  assert_ok(cgym_connect(&env, endpoint, options));
  cgym_options_free(options);
  return env;
}

static int64_t observe_int64(cgym_env_t* env, const char* space) {
  int64_t value = -1;
  size_t count = 0;
  assert_ok(cgym_env_observe_int64s(env, space, &value, 1, &count));
  assert_int_equal(count, 1);
  return value;
}

/* One action, no observations nor rewards. */
static cgym_status_t step_one(cgym_env_t* env, int64_t action, cgym_step_result_t** result) {
  cgym_event_t* event = NULL;
  const cgym_event_t* actions[1];
  cgym_status_t status;
  assert_ok(cgym_event_new_int64(&event, action));
  actions[0] = event;
  status = cgym_step(env, actions, 1, NULL, 0, NULL, 0, NULL, result);
  cgym_event_free(event);
  return status;
}

static int reset_counters(void** state) {
  (void)state;
  memset(&counters, 0, sizeof counters);
  return 0;
}

/* After each test: every session that init or fork made was destroyed exactly once. */
static int check_counters(void** state) {
  (void)state;
  if (counters.inits + counters.forks != counters.destroys) {
    fprintf(stderr, "inits %d + forks %d != destroys %d\n", counters.inits, counters.forks,
            counters.destroys);
    return -1;
  }
  cgym_service_unregister("test");
  cgym_service_unregister("nofork");
  return 0;
}

/* --- The definition ---------------------------------------------------------------------- */

static void test_def_new_errors(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* const sentinel = (cgym_service_def_t*)&vtable;
  cgym_service_def_t* def = sentinel;
  (void)state;

  assert_fails(cgym_service_def_new(NULL, &vtable, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_def_new(&def, NULL, NULL), CGYM_INVALID_ARGUMENT);
  vtable.version = 0;
  assert_fails(cgym_service_def_new(&def, &vtable, NULL), CGYM_INVALID_ARGUMENT);
  vtable.version = CGYM_SESSION_VTABLE_VERSION + 1;
  assert_fails(cgym_service_def_new(&def, &vtable, NULL), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "newer"));

  vtable = full_vtable();
  vtable.init = NULL;
  assert_fails(cgym_service_def_new(&def, &vtable, NULL), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "init"));
  vtable = full_vtable();
  vtable.apply_action = NULL;
  assert_fails(cgym_service_def_new(&def, &vtable, NULL), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "apply_action"));
  vtable = full_vtable();
  vtable.get_observation = NULL;
  assert_fails(cgym_service_def_new(&def, &vtable, NULL), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "get_observation"));
  vtable = full_vtable();
  vtable.destroy = NULL;
  assert_fails(cgym_service_def_new(&def, &vtable, NULL), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "destroy"));
  /* A failing call leaves its output untouched. */
  assert_ptr_equal(def, sentinel);

  /* The optional slots may be NULL. */
  vtable = full_vtable();
  vtable.fork = NULL;
  vtable.end_of_step = NULL;
  vtable.handle_session_parameter = NULL;
  vtable.compiler_version = NULL;
  def = NULL;
  assert_ok(cgym_service_def_new(&def, &vtable, NULL));
  assert_non_null(def);
  assert_int_equal(cgym_last_error_code(), CGYM_OK);
  assert_string_equal(cgym_last_error_message(), "");
  cgym_service_def_free(def);
  cgym_service_def_free(NULL);
}

static void test_def_add_space_errors(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* def = NULL;
  cgym_space_t* space = NULL;
  cgym_action_space_t* action_space = NULL;
  cgym_observation_space_t* observation_space = NULL;
  (void)state;

  assert_ok(cgym_service_def_new(&def, &vtable, NULL));
  assert_ok(cgym_space_new_discrete(&space, 2));
  assert_ok(cgym_action_space_new(&action_space, "a", space));
  assert_ok(cgym_observation_space_new(&observation_space, "o", space, 0, 0, NULL));
  assert_fails(cgym_service_def_add_action_space(NULL, action_space), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_def_add_action_space(def, NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_def_add_observation_space(NULL, observation_space),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_def_add_observation_space(def, NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_service_def_add_action_space(def, action_space));
  assert_ok(cgym_service_def_add_observation_space(def, observation_space));
  cgym_observation_space_free(observation_space);
  cgym_action_space_free(action_space);
  cgym_space_free(space);
  cgym_service_def_free(def);
}

/* --- cgym_service_run's refusals (nothing is started) ------------------------------------ */

static void test_run_refuses_a_definition_without_spaces(void** state) {
  const char* const argv[] = {"test-service", NULL};
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* def = NULL;
  (void)state;

  assert_int_equal(cgym_service_run(NULL, 1, argv), 1);
  assert_ok(cgym_service_def_new(&def, &vtable, &counters));
  assert_int_equal(cgym_service_run(def, 1, argv), 1);
  assert_int_equal(cgym_last_error_code(), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "no action space"));
  add_action_space(def, "default", 2);
  assert_int_equal(cgym_service_run(def, 1, argv), 1);
  assert_non_null(strstr(cgym_last_error_message(), "no observation space"));
  /* Nor may such a definition be registered. */
  assert_fails(cgym_service_register("test", def), CGYM_INVALID_ARGUMENT);
  cgym_service_def_free(def);
}

static void test_run_refuses_bad_flags(void** state) {
  const char* const flag[] = {"test-service", "--foobar", NULL};
  const char* const positional[] = {"test-service", "foobar", NULL};
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* def = make_def(&vtable);
  (void)state;
  /* The runtime prints "ERROR: unknown command line flag 'foobar'" and returns 1 at once. */
  assert_int_equal(cgym_service_run(def, 2, flag), 1);
  assert_int_equal(cgym_service_run(def, 2, positional), 1);
  cgym_service_def_free(def);
  assert_int_equal(counters.inits, 0);
}

/* --- Who owns service_data -------------------------------------------------------------- */

static int service_data_frees;
static void count_service_data_free(void* service_data) {
  assert_ptr_equal(service_data, &counters);
  service_data_frees++;
}

/* With service_data_free (vtable version 2), the definition owns service_data: released once,
 * when the def, its registered copies and the envs using them are all gone. */
static void test_service_data_free(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* def = NULL;
  cgym_env_t* env = NULL;
  (void)state;
  vtable.service_data_free = count_service_data_free;

  service_data_frees = 0;
  def = make_def(&vtable);
  cgym_service_def_free(def);
  assert_int_equal(service_data_frees, 1);

  /* Registered, the copy keeps it; an env on it keeps it after unregistering. */
  def = make_def(&vtable);
  assert_ok(cgym_service_register("test", def));
  cgym_service_def_free(def);
  assert_int_equal(service_data_frees, 1);
  env = connect_env("inproc:test", "benchmark://test/a");
  assert_ok(cgym_service_unregister("test"));
  assert_int_equal(service_data_frees, 1);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_index(env, 1, NULL, NULL));
  cgym_env_free(env);
  assert_int_equal(service_data_frees, 2);

  /* A failed cgym_service_def_new releases it at once. */
  vtable.init = NULL;
  assert_fails(cgym_service_def_new(&def, &vtable, &counters), CGYM_INVALID_ARGUMENT);
  assert_int_equal(service_data_frees, 3);

  /* A version 1 vtable has no such slot: whatever follows it is never called. */
  vtable = full_vtable();
  vtable.version = 1;
  vtable.service_data_free = count_service_data_free;
  def = make_def(&vtable);
  cgym_service_def_free(def);
  assert_int_equal(service_data_frees, 3);
}

/* --- cgym_service_stop ------------------------------------------------------------------- */

typedef struct {
  cgym_service_def_t* def;
  const char* working_dir;
  int exit_code;
} run_args_t;

static void* run_service_thread(void* arg) {
  run_args_t* run = arg;
  char flag[300];
  const char* argv[2];
  snprintf(flag, sizeof flag, "--working_dir=%s", run->working_dir);
  argv[0] = "test-service";
  argv[1] = flag;
  run->exit_code = cgym_service_run(run->def, 2, argv);
  return NULL;
}

/* A service run from a thread of the host stops when asked, without a signal, with exit code 0;
 * a stop asked before a run starts does not stop it. */
static void test_service_stop(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  char dir[] = "/tmp/cgym-stop-test-XXXXXX";
  char port_file[300];
  run_args_t run;
  pthread_t thread;
  int round;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(port_file, sizeof port_file, "%s/port.txt", dir);
  run.def = make_def(&vtable);
  run.working_dir = dir;
  cgym_service_stop(); /* before any run: no effect on the runs below */
  for (round = 0; round < 2; ++round) {
    int waited;
    run.exit_code = -1;
    remove(port_file);
    assert_int_equal(pthread_create(&thread, NULL, run_service_thread, &run), 0);
    for (waited = 0; waited < 3000 && access(port_file, F_OK) != 0; ++waited) {
      const struct timespec ten_ms = {0, 10000000};
      nanosleep(&ten_ms, NULL);
    }
    assert_int_equal(access(port_file, F_OK), 0);
    assert_int_equal(run.exit_code, -1); /* still running */
    cgym_service_stop();
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(run.exit_code, 0);
  }
  cgym_service_def_free(run.def);
}

/* Two spaces of one name: refused when the definition is registered or run. */
static void test_duplicate_space_names(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* def = make_def(&vtable);
  const char* argv[] = {"test-service"};
  (void)state;
  add_observation_space(def, "counter", 0);
  assert_fails(cgym_service_register("test", def), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "two observation spaces named 'counter'"));
  assert_int_equal(cgym_service_run(def, 1, argv), 1);
  cgym_service_def_free(def);
  def = make_def(&vtable);
  add_action_space(def, "other", 2);
  assert_fails(cgym_service_register("test", def), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "two action spaces named 'other'"));
  cgym_service_def_free(def);
}

/* --- Registration -------------------------------------------------------------------------- */

static void test_register_and_unregister(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* def = make_def(&vtable);
  cgym_env_t* env = (cgym_env_t*)&vtable;
  (void)state;

  assert_fails(cgym_service_register(NULL, def), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_register("test", NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_register("", def), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_unregister(NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_unregister("no-such-service"), CGYM_NOT_FOUND);
  assert_non_null(strstr(cgym_last_error_message(), "no-such-service"));

  assert_ok(cgym_service_register("test", def));
  assert_ok(cgym_service_register("test", def)); /* again: replaces it */
  assert_ok(cgym_service_unregister("test"));
  assert_fails(cgym_service_unregister("test"), CGYM_NOT_FOUND);
  assert_fails(cgym_connect(&env, "inproc:test", NULL), CGYM_NOT_FOUND);
  assert_ptr_equal(env, (cgym_env_t*)&vtable);
  cgym_service_def_free(def);
}

/* The definition is copied when registered: changing it later changes nothing. */
static void test_registered_definition_is_a_copy(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_service_def_t* def = make_def(&vtable);
  cgym_env_t* env;
  (void)state;

  assert_ok(cgym_service_register("test", def));
  add_observation_space(def, "extra", 0);
  add_action_space(def, "extra", 2);
  env = connect_env("inproc:test", "benchmark://test/a");
  assert_int_equal(env_observation_space_count(env), 3);
  assert_int_equal(env_action_space_count(env), 2);
  cgym_env_free(env);

  /* Registering again replaces it, for new connections. */
  assert_ok(cgym_service_register("test", def));
  env = connect_env("inproc:test", "benchmark://test/a");
  assert_int_equal(env_observation_space_count(env), 4);
  assert_int_equal(env_action_space_count(env), 3);
  cgym_env_free(env);
  cgym_service_def_free(def);
}

/* --- An episode through the client, in-process ------------------------------------------- */

static void test_inproc_episode(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_env_t* env;
  cgym_step_result_t* result = NULL;
  cgym_event_t* observation = NULL;
  const char *service_version = NULL, *compiler_version = NULL;
  char* text = NULL;
  const char* names[] = {"counter", "name"};
  (void)state;

  register_service("test", &vtable);
  env = connect_env("inproc:test", "benchmark://test/a");
  assert_ok(cgym_env_version(env, &service_version, &compiler_version));
  assert_string_equal(service_version, cgym_protocol_version_string());
  assert_string_equal(compiler_version, "test-compiler 2.0");
  assert_int_equal(env_action_space_count(env), 2);
  assert_string_equal(cgym_action_space_name(env_action_space_at(env, 1)), "other");
  assert_int_equal(env_observation_space_count(env), 3);
  assert_string_equal(cgym_observation_space_name(env_observation_space_at(env, 2)), "name");

  /* init gets the benchmark (its program came with AddBenchmark) and the action space. */
  assert_ok(cgym_env_set_observation_space(env, "counter"));
  assert_ok(cgym_env_reset(env, NULL, &observation));
  assert_int_equal(counters.inits, 1);
  assert_string_equal(counters.uri, "benchmark://test/a");
  assert_int_equal(counters.program_length, 4);
  assert_string_equal(counters.program, "prog");
  assert_string_equal(counters.action_space, "default");
  assert_int_equal(cgym_event_kind(observation), CGYM_EVENT_INT64);
  cgym_event_free(observation);

  /* apply_action, then the observations in the order asked for, then end_of_step. */
  {
    cgym_event_t *a = NULL, *b = NULL;
    const cgym_event_t* actions[2];
    const char* data = NULL;
    size_t length = 0;
    int64_t value = -1;
    assert_ok(cgym_event_new_int64(&a, 3));
    assert_ok(cgym_event_new_int64(&b, 4));
    actions[0] = a;
    actions[1] = b;
    assert_ok(cgym_step(env, actions, 2, names, 2, NULL, 0, NULL, &result));
    cgym_event_free(a);
    cgym_event_free(b);
    assert_int_equal(result_observation_count(result), 2);
    assert_ok(cgym_event_get_int64(result_observation(result, 0), &value));
    assert_int_equal(value, 7);
    assert_ok(cgym_event_get_string(result_observation(result, 1), &data, &length));
    assert_int_equal(length, 4);
    assert_memory_equal(data, "name", 4);
    assert_false(cgym_step_result_done(result));
    assert_false(cgym_step_result_action_had_no_effect(result));
    assert_false(cgym_step_result_new_action_space(result));
    cgym_step_result_free(result);
  }
  assert_int_equal(counters.end_of_steps, 1);
  assert_int_equal(observe_int64(env, "counter"), 7);
  assert_ok(cgym_env_observe_string(env, "name", &text, NULL));
  assert_string_equal(text, "name");
  cgym_free(text);

  /* action_had_no_effect. */
  assert_ok(step_one(env, 0, &result));
  assert_true(cgym_step_result_action_had_no_effect(result));
  cgym_step_result_free(result);

  /* An error a slot records but does not return is not seen. */
  assert_ok(step_one(env, 5, &result));
  assert_int_equal(cgym_last_error_code(), CGYM_OK);
  assert_string_equal(cgym_last_error_message(), "");
  assert_false(cgym_step_result_done(result));
  cgym_step_result_free(result);

  /* A new action space from apply_action; a bad one is INVALID_ARGUMENT. */
  assert_ok(step_one(env, 8, &result));
  assert_true(cgym_step_result_new_action_space(result));
  cgym_step_result_free(result);
  assert_fails(step_one(env, 9, &result), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(),
                      "apply_action set new_action_space to 5, but the service has 2 action "
                      "spaces");

  /* Session parameters: the session's first, then the built-ins. */
  assert_ok(cgym_send_param(env, "counter", "", 0, &text));
  assert_string_equal(text, "7");
  cgym_free(text);
  assert_ok(cgym_send_param(env, "set", "42", 0, &text));
  assert_string_equal(text, "ok");
  cgym_free(text);
  assert_int_equal(observe_int64(env, "counter"), 42);
  assert_ok(cgym_send_param(env, "service.benchmark_cache.get_max_size_in_bytes", "", 0, &text));
  assert_true(strlen(text) > 0);
  cgym_free(text);
  assert_fails(cgym_send_param(env, "fail", "", 0, &text), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "bad parameter");
  assert_fails(cgym_send_param(env, "unknown", "", 0, &text), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "Unknown parameter: unknown");

  /* apply_action may end the episode, and end_of_step too. */
  assert_ok(step_one(env, 7, &result));
  assert_true(cgym_step_result_done(result));
  assert_string_equal(cgym_step_result_error_type(result), "");
  cgym_step_result_free(result);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(step_one(env, 6, &result));
  assert_true(cgym_step_result_done(result));
  cgym_step_result_free(result);

  cgym_env_free(env);
  assert_int_equal(counters.inits, 2);
  /* The compiler version is read once per service. */
  assert_int_equal(counters.compiler_versions, 1);
}

/* Each status code a slot returns, as the client reports it. */
static void test_inproc_status_codes(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_env_t* env;
  cgym_step_result_t* result = NULL;
  char message[64];
  cgym_status_t code;
  const cgym_status_t family[] = {CGYM_SESSION_NOT_FOUND, CGYM_SERVICE_INIT, CGYM_BENCHMARK_INIT,
                                  CGYM_CALLBACK_ERROR};
  size_t i;
  (void)state;

  register_service("test", &vtable);
  env = connect_env("inproc:test", "benchmark://test/a");
  for (code = CGYM_CANCELLED; code <= CGYM_UNAUTHENTICATED; ++code) {
    cgym_status_t status;
    assert_ok(cgym_env_reset(env, NULL, NULL));
    snprintf(message, sizeof message, "code %d", (int)code);
    status = step_one(env, 1000 + code, &result);
    if (code == CGYM_INVALID_ARGUMENT || code == CGYM_NOT_FOUND ||
        code == CGYM_FAILED_PRECONDITION || code == CGYM_UNIMPLEMENTED) {
      /* The client passes these on as the step's error; the episode goes on. */
      assert_int_equal(status, code);
      assert_int_equal(cgym_last_error_code(), code);
      assert_string_equal(cgym_last_error_message(), message);
      assert_true(cgym_env_in_episode(env));
    } else {
      /* The others are failures of the service: the step ends the episode and says why. */
      char wire[64];
      const char* expected_type = code == CGYM_DEADLINE_EXCEEDED    ? "TimeoutError"
                                  : code == CGYM_RESOURCE_EXHAUSTED ? "ServiceOSError"
                                  : code == CGYM_UNAVAILABLE        ? "ServiceTransportError"
                                                                    : "ServiceError";
      assert_int_equal(status, CGYM_OK);
      assert_true(cgym_step_result_done(result));
      assert_string_equal(cgym_step_result_error_type(result), expected_type);
      assert_non_null(strstr(cgym_step_result_error_details(result), message));
      snprintf(wire, sizeof wire, "StatusCode.%s", cgym_status_name(code));
      if (code == CGYM_RESOURCE_EXHAUSTED || code == CGYM_DATA_LOSS) {
        /* CompilerGym's client keeps these messages as they are. */
        assert_string_equal(cgym_step_result_error_details(result), message);
      } else if (code != CGYM_UNKNOWN && code != CGYM_DEADLINE_EXCEEDED &&
                 code != CGYM_UNAVAILABLE) {
        /* "RPC call returned status code StatusCode.<CODE> and error `<message>`" */
        if (!strstr(cgym_step_result_error_details(result), wire)) {
          fail_msg("code %d: %s", (int)code, cgym_step_result_error_details(result));
        }
      }
      assert_false(cgym_env_in_episode(env));
      cgym_step_result_free(result);
    }
  }

  /* The C ABI's own codes are not gRPC codes: they reach the client as INTERNAL. */
  for (i = 0; i < sizeof family / sizeof family[0]; ++i) {
    assert_ok(cgym_env_reset(env, NULL, NULL));
    snprintf(message, sizeof message, "code %d", (int)family[i]);
    assert_ok(step_one(env, 1000 + family[i], &result));
    assert_true(cgym_step_result_done(result));
    assert_string_equal(cgym_step_result_error_type(result), "ServiceError");
    assert_non_null(strstr(cgym_step_result_error_details(result), message));
    assert_non_null(strstr(cgym_step_result_error_details(result), "StatusCode.INTERNAL"));
    cgym_step_result_free(result);
  }

  /* Without a message from cgym_set_error (or with one for another code), the message names
   * the slot and the code. */
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_fails(step_one(env, 2000 + CGYM_INVALID_ARGUMENT, &result), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "apply_action failed with INVALID_ARGUMENT");
  assert_fails(step_one(env, 10, &result), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "apply_action failed with INVALID_ARGUMENT");
  assert_ok(step_one(env, 2000 + 42, &result));
  assert_true(cgym_step_result_done(result));
  assert_non_null(
      strstr(cgym_step_result_error_details(result), "apply_action failed with code 42"));
  assert_non_null(strstr(cgym_step_result_error_details(result), "StatusCode.INTERNAL"));
  cgym_step_result_free(result);

  cgym_env_free(env);
}

static void test_inproc_init_and_observation_failures(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_env_t* env;
  cgym_event_t* observation = NULL;
  (void)state;

  register_service("test", &vtable);
  /* A failing init is StartSession's error; no session is left to destroy. */
  env = connect_env("inproc:test", "benchmark://test/fail-init");
  assert_fails(cgym_env_reset(env, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "init failed");
  assert_false(cgym_env_in_episode(env));
  cgym_env_free(env);
  /* An INTERNAL one is a broken service: the client retries with a new one, then gives up. */
  env = connect_env("inproc:test", "benchmark://test/fail-init-internal");
  assert_fails(cgym_env_reset(env, NULL, NULL), CGYM_SERVICE_INIT);
  assert_non_null(strstr(cgym_last_error_message(), "init failed badly"));
  cgym_env_free(env);
  assert_int_equal(counters.inits, 0);

  /* A failing get_observation: at the start of the episode, and during it. */
  env = connect_env("inproc:test", "benchmark://test/a");
  assert_ok(cgym_env_set_observation_space(env, "fail"));
  assert_fails(cgym_env_reset(env, NULL, &observation), CGYM_FAILED_PRECONDITION);
  assert_string_equal(cgym_last_error_message(), "observation failed");
  assert_ok(cgym_env_set_observation_space(env, NULL));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_fails(cgym_env_observe(env, "fail", &observation), CGYM_FAILED_PRECONDITION);
  assert_string_equal(cgym_last_error_message(), "observation failed");
  assert_true(cgym_env_in_episode(env));
  assert_int_equal(observe_int64(env, "counter"), 0);
  cgym_env_free(env);
  /* The session of the failed StartSession was destroyed too (check_counters). */
  assert_int_equal(counters.inits, 2);
}

static void test_inproc_fork(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_env_t *env, *fork = NULL, *fork2 = NULL;
  cgym_step_result_t* result = NULL;
  (void)state;

  register_service("test", &vtable);
  env = connect_env("inproc:test", "benchmark://test/a");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_index(env, 3, NULL, NULL));
  assert_ok(cgym_fork(env, &fork));
  assert_int_equal(counters.forks, 1);
  assert_int_equal(counters.inits, 1);
  assert_int_equal(observe_int64(fork, "counter"), 3);
  /* The fork is independent. */
  assert_ok(cgym_step_index(fork, 4, NULL, NULL));
  assert_int_equal(observe_int64(fork, "counter"), 7);
  assert_int_equal(observe_int64(env, "counter"), 3);
  assert_ok(cgym_fork(fork, &fork2));
  assert_int_equal(observe_int64(fork2, "counter"), 7);
  cgym_env_free(fork);
  assert_int_equal(counters.destroys, 1);
  assert_ok(step_one(fork2, 2, &result));
  cgym_step_result_free(result);
  assert_int_equal(observe_int64(fork2, "counter"), 9);
  cgym_env_free(env);
  cgym_env_free(fork2);
  assert_int_equal(counters.destroys, 3);
}

/* Without a fork slot, ForkSession is UNIMPLEMENTED and the client replays the actions in a new
 * service. */
static void test_inproc_fork_unimplemented(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_env_t *env, *fork = NULL;
  (void)state;

  vtable.fork = NULL;
  register_service("nofork", &vtable);
  env = connect_env("inproc:nofork", "benchmark://test/a");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_index(env, 3, NULL, NULL));
  assert_ok(cgym_step_index(env, 2, NULL, NULL));
  assert_ok(cgym_fork(env, &fork));
  assert_int_equal(counters.forks, 0);
  assert_int_equal(counters.inits, 2);
  assert_int_equal(observe_int64(fork, "counter"), 5);
  cgym_env_free(fork);
  cgym_env_free(env);
}

/* A session without its optional slots. */
static void test_inproc_minimal_session(void** state) {
  cgym_session_vtable_t vtable = full_vtable();
  cgym_env_t* env;
  const char* compiler_version = NULL;
  char* text = NULL;
  (void)state;

  vtable.end_of_step = NULL;
  vtable.handle_session_parameter = NULL;
  vtable.compiler_version = NULL;
  register_service("test", &vtable);
  env = connect_env("inproc:test", "benchmark://test/a");
  assert_ok(cgym_env_version(env, NULL, &compiler_version));
  assert_string_equal(compiler_version, "");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_index(env, 6, NULL, NULL)); /* no end_of_step: the episode goes on */
  assert_true(cgym_env_in_episode(env));
  assert_fails(cgym_send_param(env, "counter", "", 0, &text), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "Unknown parameter: counter");
  assert_ok(cgym_send_param(env, "service.benchmark_cache.get_size_in_bytes", "", 0, &text));
  cgym_free(text);
  cgym_env_free(env);
  assert_int_equal(counters.end_of_steps, 0);
}

/* --- The C example service, as a managed service ----------------------------------------- */

#ifdef CGYM_EXAMPLE_SERVICE_C
static void test_example_service_c(void** state) {
  cgym_env_t *env, *fork = NULL;
  cgym_options_t* options = NULL;
  cgym_event_t* observation = NULL;
  const char *compiler_version = NULL, *data = NULL;
  size_t length = 0, count = 0;
  int64_t features[3] = {1, 1, 1};
  double runtime = -1;
  int done = 1;
  (void)state;

  assert_ok(cgym_options_new(&options));
  assert_ok(
      cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/foo", "Ir data", 7));
  assert_ok(cgym_options_set_observation_space(options, "ir"));
  assert_ok(cgym_connect(&env, CGYM_EXAMPLE_SERVICE_C, options));
  cgym_options_free(options);
  assert_ok(cgym_env_version(env, NULL, &compiler_version));
  assert_string_equal(compiler_version, "1.0.0");
  assert_int_equal(env_observation_space_count(env), 3);
  assert_ok(cgym_env_reset(env, NULL, &observation));
  assert_ok(cgym_event_get_string(observation, &data, &length));
  assert_int_equal(length, strlen("Hello, world!"));
  assert_memory_equal(data, "Hello, world!", length);
  cgym_event_free(observation);
  assert_ok(cgym_step_index(env, 2, &done, NULL));
  assert_false(done);
  assert_ok(cgym_step_name(env, "a", &done, NULL));
  assert_fails(cgym_step_index(env, 3, &done, NULL), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "Out-of-range");
  assert_ok(cgym_env_observe_int64s(env, "features", features, 3, &count));
  assert_int_equal(count, 3);
  assert_int_equal(features[0], 0);
  assert_int_equal(features[2], 0);
  assert_ok(cgym_env_observe_double(env, "runtime", &runtime));
  assert_true(runtime == 0.0);
  assert_ok(cgym_fork(env, &fork));
  assert_int_equal(env_action_count(fork), 3);
  assert_ok(cgym_step_index(fork, 1, &done, NULL));
  /* Closing the last env stops the service, which must exit with 0. */
  assert_ok(cgym_env_close(fork));
  assert_ok(cgym_env_close(env));
  cgym_env_free(fork);
  cgym_env_free(env);
}
#endif

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_def_new_errors, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_def_add_space_errors, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_run_refuses_a_definition_without_spaces, reset_counters,
                                      check_counters),
      cmocka_unit_test_setup_teardown(test_run_refuses_bad_flags, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_service_data_free, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_duplicate_space_names, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_service_stop, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_register_and_unregister, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_registered_definition_is_a_copy, reset_counters,
                                      check_counters),
      cmocka_unit_test_setup_teardown(test_inproc_episode, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_inproc_status_codes, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_inproc_init_and_observation_failures, reset_counters,
                                      check_counters),
      cmocka_unit_test_setup_teardown(test_inproc_fork, reset_counters, check_counters),
      cmocka_unit_test_setup_teardown(test_inproc_fork_unimplemented, reset_counters,
                                      check_counters),
      cmocka_unit_test_setup_teardown(test_inproc_minimal_session, reset_counters, check_counters),
#ifdef CGYM_EXAMPLE_SERVICE_C
      cmocka_unit_test(test_example_service_c),
#endif
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
