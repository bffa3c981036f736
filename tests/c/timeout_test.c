/* SPDX-License-Identifier: MIT */
/*
 * Timeouts that hold: a call with timeout T returns within T plus a margin, whatever the
 * service does (stopped with SIGSTOP, or stuck inside a session's call), managed or not; a
 * session abandoned by a timed-out call is ended once the service answers again; and a managed
 * service that exits at once is retried with waits in between.
 *
 * The service is this program: run with CGYM_TEST_SERVE set in its environment, main() serves
 * a session written here with cgym_service_run(). Its action 1 sleeps until the file named by
 * CGYM_TEST_GATE exists (at most 60 s), so a step can be made to hang; the service writes its
 * pid to CGYM_TEST_PID_FILE, so the test can stop it, and its exit code to CGYM_TEST_EXIT_FILE
 * (6 if sessions were left when it was stopped). With CGYM_TEST_SERVE=exit it exits at once
 * with status 3, as a service that cannot start.
 *
 * The bounds asserted are correctness bounds on the timeouts, with a generous margin for
 * loaded machines and sanitizer builds (kMargin), not performance claims.
 */
#define _GNU_SOURCE /* posix_spawn, kill, prctl, mkdtemp, nanosleep, clock_gettime */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

extern char** environ;

/* Seconds a call may take beyond its timeout here: local work, process start-up and loaded CI
 * (sanitizers). The bugs this guards against took 2 x timeout + 30 s, or 75 s. */
static const double kMargin = 5.0;

/* --- The service (this program with CGYM_TEST_SERVE set) --------------------------------- */

typedef struct {
  int64_t counter;
} session_t;

static cgym_status_t serve_init(void* service_data, const cgym_action_space_t* action_space,
                                const char* benchmark_uri, const void* program,
                                size_t program_length, void** session) {
  (void)service_data, (void)action_space, (void)benchmark_uri, (void)program;
  (void)program_length;
  *session = calloc(1, sizeof(session_t));
  return *session ? CGYM_OK : cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
}

static cgym_status_t serve_fork(void* session, void** new_session) {
  session_t* copy = malloc(sizeof *copy);
  if (!copy) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  *copy = *(const session_t*)session;
  *new_session = copy;
  return CGYM_OK;
}

static void sleep_seconds(double seconds) {
  struct timespec t;
  t.tv_sec = (time_t)seconds;
  t.tv_nsec = (long)((seconds - (double)t.tv_sec) * 1e9);
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/* Action 0 does nothing, 1 hangs (until the gate file exists, at most 60 s), 2 counts. */
static cgym_status_t serve_apply_action(void* session, const cgym_event_t* action,
                                        int* end_of_episode, int* action_had_no_effect,
                                        int32_t* new_action_space) {
  session_t* s = session;
  int64_t value = 0;
  int i;
  (void)end_of_episode, (void)new_action_space;
  if (cgym_event_get_int64(action, &value) != CGYM_OK) return CGYM_INVALID_ARGUMENT;
  if (value == 0) {
    *action_had_no_effect = 1;
  } else if (value == 1) {
    const char* gate = getenv("CGYM_TEST_GATE");
    for (i = 0; i < 6000 && !(gate && access(gate, F_OK) == 0); ++i) sleep_seconds(0.01);
  } else {
    s->counter++;
  }
  return CGYM_OK;
}

static cgym_status_t serve_get_observation(void* session, int32_t index,
                                           const cgym_observation_space_t* space,
                                           cgym_event_t* observation) {
  (void)index, (void)space;
  return cgym_event_set_int64(observation, ((const session_t*)session)->counter);
}

static void serve_destroy(void* session) { free(session); }

static int serve(int argc, char** argv) {
  const char* mode = getenv("CGYM_TEST_SERVE");
  const char* pid_file = getenv("CGYM_TEST_PID_FILE");
  const char* exit_file = getenv("CGYM_TEST_EXIT_FILE");
  cgym_session_vtable_t vtable;
  cgym_service_def_t* def = NULL;
  cgym_space_t* space = NULL;
  cgym_action_space_t* actions = NULL;
  cgym_observation_space_t* observations = NULL;
  int code = 1;
  /* An unmanaged service started by the test dies with it, even if the test fails. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (strcmp(mode, "exit") == 0) {
    fprintf(stderr, "this service refuses to start\n");
    return 3;
  }
  if (pid_file) {
    FILE* f = fopen(pid_file, "w");
    if (f) {
      fprintf(f, "%d\n", (int)getpid());
      fclose(f);
    }
  }
  memset(&vtable, 0, sizeof vtable);
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = serve_init;
  vtable.fork = serve_fork;
  vtable.apply_action = serve_apply_action;
  vtable.get_observation = serve_get_observation;
  vtable.destroy = serve_destroy;
  if (cgym_service_def_new(&def, &vtable, NULL) == CGYM_OK &&
      cgym_space_new_discrete(&space, 3) == CGYM_OK &&
      cgym_action_space_new(&actions, "default", space) == CGYM_OK &&
      cgym_service_def_add_action_space(def, actions) == CGYM_OK) {
    cgym_space_free(space);
    space = NULL;
    if (cgym_space_new_range(&space, CGYM_SPACE_INT64_RANGE, 0, 1, 0, 0) == CGYM_OK &&
        cgym_observation_space_new(&observations, "counter", space, 1, 0, NULL) == CGYM_OK &&
        cgym_service_def_add_observation_space(def, observations) == CGYM_OK) {
      code = cgym_service_run(def, argc, (const char* const*)argv);
    }
  }
  if (code == 1) fprintf(stderr, "serve: %s\n", cgym_last_error_message());
  /* How the service ended, for a test of a managed service (6: sessions were left). */
  if (exit_file) {
    FILE* f = fopen(exit_file, "w");
    if (f) {
      fprintf(f, "exit %d\n", code);
      fclose(f);
    }
  }
  cgym_observation_space_free(observations);
  cgym_action_space_free(actions);
  cgym_space_free(space);
  cgym_service_def_free(def);
  return code;
}

/* --- Helpers of the tests ------------------------------------------------------------------ */

static char self_path[4096];
static char temp_dir[256];

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char* temp_file(const char* name) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", temp_dir, name);
  return path;
}

/* Reads an integer from `path`, waiting up to 30 s for it to appear. */
static long read_number(const char* path) {
  int i;
  for (i = 0; i < 3000; ++i) {
    FILE* f = fopen(path, "r");
    long value = 0;
    if (f) {
      const int read = fscanf(f, "%ld", &value);
      fclose(f);
      if (read == 1 && value > 0) return value;
    }
    sleep_seconds(0.01);
  }
  fail_msg("%s did not appear", path);
  return -1;
}

/* The exit code the managed service wrote when it stopped, waiting up to 30 s for it. */
static int exit_code(void) {
  int i;
  for (i = 0; i < 3000; ++i) {
    FILE* f = fopen(temp_file("exit.txt"), "r");
    int code = -1;
    if (f) {
      const int read = fscanf(f, "exit %d", &code);
      fclose(f);
      if (read == 1) return code;
    }
    sleep_seconds(0.01);
  }
  fail_msg("the service wrote no exit code");
  return -1;
}

/* Whether every thread of `pid` is stopped (state T in /proc/PID/task/TID/stat). */
static int all_threads_stopped(pid_t pid) {
  char path[512];
  DIR* tasks;
  struct dirent* entry;
  int stopped = 1;
  snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
  tasks = opendir(path);
  if (!tasks) return 0;
  while (stopped && (entry = readdir(tasks)) != NULL) {
    char stat_path[800], line[512];
    const char* state;
    FILE* f;
    if (entry->d_name[0] == '.') continue;
    snprintf(stat_path, sizeof stat_path, "%s/%s/stat", path, entry->d_name);
    f = fopen(stat_path, "r");
    if (!f) continue; /* the thread exited */
    if (!fgets(line, sizeof line, f)) line[0] = '\0';
    fclose(f);
    /* "TID (COMM) STATE ...": COMM may hold spaces and parentheses; the last ')' ends it. */
    state = strrchr(line, ')');
    stopped = state && state[1] == ' ' && state[2] == 'T';
  }
  closedir(tasks);
  return stopped;
}

/* Stops `pid` with SIGSTOP and waits until every thread of it has stopped: the signal is
 * delivered asynchronously, and a thread not yet stopped could still answer a call. */
static void stop(pid_t pid) {
  int i;
  assert_int_equal(kill(pid, SIGSTOP), 0);
  for (i = 0; i < 1000; ++i) {
    if (all_threads_stopped(pid)) return;
    sleep_seconds(0.01);
  }
  fail_msg("%d did not stop", (int)pid);
}

/* Whether `pid` is gone, waiting up to 10 s (a managed service is reaped by the library). */
static int gone_soon(pid_t pid) {
  int i;
  for (i = 0; i < 1000; ++i) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return 1;
    sleep_seconds(0.01);
  }
  return 0;
}

static cgym_options_t* service_options(const char* mode) {
  cgym_options_t* options = NULL;
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://test-v0/a", NULL, 0));
  assert_ok(cgym_options_set_observation_space(options, "counter"));
  assert_ok(cgym_options_set_script_env(options, "CGYM_TEST_SERVE", mode));
  assert_ok(cgym_options_set_script_env(options, "CGYM_TEST_PID_FILE", temp_file("pid.txt")));
  assert_ok(cgym_options_set_script_env(options, "CGYM_TEST_GATE", temp_file("gate")));
  assert_ok(cgym_options_set_script_env(options, "CGYM_TEST_EXIT_FILE", temp_file("exit.txt")));
  return options;
}

/* A managed service (this program), reset, with its pid in *pid. */
static cgym_env_t* managed_env(pid_t* pid) {
  cgym_options_t* options = service_options("serve");
  cgym_env_t* env = NULL;
  unlink(temp_file("pid.txt"));
  unlink(temp_file("exit.txt"));
  assert_ok(cgym_connect(&env, self_path, options));
  cgym_options_free(options);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  *pid = (pid_t)read_number(temp_file("pid.txt"));
  return env;
}

/* An unmanaged service: this program started here, listening on loopback. */
static pid_t unmanaged_pid = 0;

/* With `many_retries`, calls that find the service unavailable are retried 1000 times, 50 ms
 * apart. */
static cgym_env_t* unmanaged_env_retrying(int many_retries) {
  char working_dir[600], port_file[700], endpoint[64], gate[700];
  char* argv[3];
  char** envp;
  size_t n = 0, i;
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  pid_t pid;
  snprintf(working_dir, sizeof working_dir, "--working_dir=%s/unmanaged", temp_dir);
  snprintf(port_file, sizeof port_file, "%s/unmanaged/port.txt", temp_dir);
  unlink(port_file);
  argv[0] = self_path;
  argv[1] = working_dir;
  argv[2] = NULL;
  while (environ[n]) ++n;
  envp = calloc(n + 3, sizeof *envp);
  assert_non_null(envp);
  for (i = 0; i < n; ++i) envp[i] = environ[i];
  envp[n] = "CGYM_TEST_SERVE=serve";
  snprintf(gate, sizeof gate, "CGYM_TEST_GATE=%s", temp_file("gate"));
  envp[n + 1] = gate;
  assert_int_equal(posix_spawn(&pid, self_path, NULL, NULL, argv, envp), 0);
  free(envp);
  unmanaged_pid = pid;
  snprintf(endpoint, sizeof endpoint, "localhost:%ld", read_number(port_file));
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://test-v0/a", NULL, 0));
  assert_ok(cgym_options_set_observation_space(options, "counter"));
  if (many_retries) {
    assert_ok(cgym_options_set_rpc_max_retries(options, 1000));
    assert_ok(cgym_options_set_retry_wait_seconds(options, 0.05));
    assert_ok(cgym_options_set_retry_wait_backoff_exponent(options, 1));
  }
  assert_ok(cgym_connect(&env, endpoint, options));
  cgym_options_free(options);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  return env;
}

static cgym_env_t* unmanaged_env(void) { return unmanaged_env_retrying(0); }

/* SIGTERM to the unmanaged service; its exit status (0: it had no session left; 6: it had). */
static int stop_unmanaged(void) {
  int status = 0, i;
  pid_t pid = unmanaged_pid;
  unmanaged_pid = 0;
  kill(pid, SIGCONT);
  kill(pid, SIGTERM);
  for (i = 0; i < 3000; ++i) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    sleep_seconds(0.01);
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  fail_msg("the unmanaged service did not exit after SIGTERM");
  return -1;
}

static int teardown(void** state) {
  (void)state;
  if (unmanaged_pid > 0) {
    kill(unmanaged_pid, SIGKILL);
    waitpid(unmanaged_pid, NULL, 0);
    unmanaged_pid = 0;
  }
  unlink(temp_file("gate"));
  return 0;
}

static cgym_call_options_t* timeout_of(double seconds) {
  cgym_call_options_t* options = NULL;
  assert_ok(cgym_call_options_new(&options));
  assert_ok(cgym_call_options_set_timeout(options, seconds));
  return options;
}

/* Steps `action` with timeout `seconds`; returns the seconds it took and checks the step
 * ended the episode with a TimeoutError. */
static double timed_out_step(cgym_env_t* env, int64_t action, double seconds) {
  cgym_call_options_t* timeout = timeout_of(seconds);
  cgym_event_t* event = NULL;
  cgym_step_result_t* result = NULL;
  double start, elapsed;
  assert_ok(cgym_event_new_int64(&event, action));
  start = now_seconds();
  assert_ok(
      cgym_step(env, (const cgym_event_t* const*)&event, 1, NULL, 0, NULL, 0, timeout, &result));
  elapsed = now_seconds() - start;
  assert_int_equal(cgym_step_result_done(result), 1);
  assert_string_equal(cgym_step_result_error_type(result), "TimeoutError");
  assert_int_equal(cgym_env_in_episode(env), 0);
  cgym_step_result_free(result);
  cgym_event_free(event);
  cgym_call_options_free(timeout);
  return elapsed;
}

static void assert_within(double elapsed, double timeout) {
  if (!(elapsed < timeout + kMargin)) {
    fail_msg("took %.1f s with a timeout of %.1f s", elapsed, timeout);
  }
}

static void step_counts(cgym_env_t* env) {
  int done = 1;
  assert_ok(cgym_step_index(env, 2, &done, NULL));
  assert_int_equal(done, 0);
}

/* --- Managed services ------------------------------------------------------------------- */

static void test_step_on_a_stopped_managed_service_returns_in_time(void** state) {
  pid_t pid = 0;
  cgym_env_t* env = managed_env(&pid);
  double elapsed;
  (void)state;
  stop(pid);
  elapsed = timed_out_step(env, 2, 2);
  print_message("step(timeout=2) on a stopped managed service: %.2f s\n", elapsed);
  assert_within(elapsed, 2);
  /* The service was killed and reaped without the caller waiting for it. */
  assert_true(gone_soon(pid));
  /* The next reset starts a new service. */
  assert_ok(cgym_env_reset(env, NULL, NULL));
  step_counts(env);
  cgym_env_free(env);
}

static void test_step_stuck_in_a_managed_session_returns_in_time(void** state) {
  pid_t pid = 0;
  cgym_env_t* env = managed_env(&pid);
  double elapsed;
  (void)state;
  elapsed = timed_out_step(env, 1, 2); /* action 1 hangs in the session */
  print_message("step(timeout=2) stuck in a managed session: %.2f s\n", elapsed);
  assert_within(elapsed, 2);
  assert_true(gone_soon(pid));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  step_counts(env);
  cgym_env_free(env);
}

static void test_queued_step_on_a_stopped_managed_service_returns_in_time(void** state) {
  pid_t pid = 0;
  cgym_env_t* env = managed_env(&pid);
  cgym_step_queue_t* queue = NULL;
  cgym_call_options_t* timeout = timeout_of(2);
  cgym_event_t* event = NULL;
  cgym_step_result_t* result = NULL;
  uint64_t tag = 0;
  double start, elapsed;
  (void)state;
  assert_ok(cgym_step_queue_new(&queue));
  assert_ok(cgym_event_new_int64(&event, 2));
  stop(pid);
  start = now_seconds();
  assert_ok(cgym_step_submit(queue, env, (const cgym_event_t* const*)&event, 1, NULL, 0, NULL, 0,
                             timeout, 7));
  assert_ok(cgym_step_queue_next(queue, INFINITY, &tag, &result));
  elapsed = now_seconds() - start;
  print_message("queued step(timeout=2) on a stopped managed service: %.2f s\n", elapsed);
  assert_within(elapsed, 2);
  assert_int_equal(tag, 7);
  assert_int_equal(cgym_step_result_done(result), 1);
  assert_string_equal(cgym_step_result_error_type(result), "TimeoutError");
  assert_true(gone_soon(pid));
  cgym_step_result_free(result);
  cgym_step_queue_free(queue);
  cgym_event_free(event);
  cgym_call_options_free(timeout);
  cgym_env_free(env);
}

/* A fork keeps the service: the session of the step that timed out is ended once the service
 * answers again, so that closing the last env stops a service with no session left. */
static void test_session_abandoned_on_a_managed_service_is_ended(void** state) {
  pid_t pid = 0;
  cgym_env_t* env = managed_env(&pid);
  cgym_env_t* fork = NULL;
  double elapsed;
  (void)state;
  assert_ok(cgym_fork(env, &fork));
  stop(pid);
  elapsed = timed_out_step(env, 2, 1);
  assert_within(elapsed, 1);
  sleep_seconds(2); /* longer than any deadline of the session's end */
  assert_int_equal(kill(pid, SIGCONT), 0);
  step_counts(fork);
  cgym_env_free(env);
  assert_ok(cgym_env_close(fork));
  cgym_env_free(fork);
  /* The service stopped with no session left: 0, not 6. */
  assert_int_equal(exit_code(), 0);
}

/* --- Unmanaged services ----------------------------------------------------------------- */

static void test_reset_on_a_stopped_unmanaged_service_returns_in_time(void** state) {
  cgym_env_t* env = unmanaged_env();
  cgym_call_options_t* timeout = timeout_of(1);
  double start, elapsed;
  cgym_status_t status;
  (void)state;
  stop(unmanaged_pid);
  start = now_seconds();
  status = cgym_env_reset(env, timeout, NULL);
  elapsed = now_seconds() - start;
  print_message("reset(timeout=1) on a stopped unmanaged service: %.2f s: %s: %s\n", elapsed,
                cgym_status_name(status), cgym_last_error_message());
  assert_int_not_equal(status, CGYM_OK);
  assert_within(elapsed, 1);
  /* The service comes back: so does the env, and the session of the episode the reset ended
   * (its end got no answer in time) is ended too. */
  sleep_seconds(1); /* longer than any deadline of the session's end */
  assert_int_equal(kill(unmanaged_pid, SIGCONT), 0);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  step_counts(env);
  assert_ok(cgym_env_close(env));
  cgym_env_free(env);
  cgym_call_options_free(timeout);
  assert_int_equal(stop_unmanaged(), 0);
}

static void test_step_on_a_stopped_unmanaged_service_returns_in_time(void** state) {
  cgym_env_t* env = unmanaged_env();
  double elapsed;
  (void)state;
  stop(unmanaged_pid);
  elapsed = timed_out_step(env, 2, 1);
  print_message("step(timeout=1) on a stopped unmanaged service: %.2f s\n", elapsed);
  assert_within(elapsed, 1);
  sleep_seconds(2); /* longer than any deadline of the session's end */
  assert_int_equal(kill(unmanaged_pid, SIGCONT), 0);
  /* The abandoned session is ended by the next call that gets through... */
  assert_ok(cgym_env_reset(env, NULL, NULL));
  step_counts(env);
  assert_ok(cgym_env_close(env));
  cgym_env_free(env);
  /* ...so the service has no session left: exit 0, not 6. */
  assert_int_equal(stop_unmanaged(), 0);
}

static void test_session_abandoned_on_an_unmanaged_service_is_ended_at_close(void** state) {
  cgym_env_t* env = unmanaged_env();
  double elapsed;
  (void)state;
  stop(unmanaged_pid);
  elapsed = timed_out_step(env, 2, 1);
  assert_within(elapsed, 1);
  sleep_seconds(2);
  assert_int_equal(kill(unmanaged_pid, SIGCONT), 0);
  assert_ok(cgym_env_close(env));
  cgym_env_free(env);
  assert_int_equal(stop_unmanaged(), 0);
}

static void test_step_stuck_in_an_unmanaged_session_returns_in_time(void** state) {
  cgym_env_t* env = unmanaged_env();
  double elapsed;
  int fd;
  (void)state;
  /* 6 s: a second wait of the timeout, for the session's end, would exceed the margin. */
  elapsed = timed_out_step(env, 1, 6);
  print_message("step(timeout=6) stuck in an unmanaged session: %.2f s\n", elapsed);
  assert_within(elapsed, 6);
  /* The session's call finishes: the env goes on, and no session is left behind. */
  fd = open(temp_file("gate"), O_CREAT | O_WRONLY, 0600);
  assert_true(fd >= 0);
  close(fd);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  step_counts(env);
  assert_ok(cgym_env_close(env));
  cgym_env_free(env);
  assert_int_equal(stop_unmanaged(), 0);
}

/* The retries of a call that finds the service gone end with the call's timeout (1000 retries
 * 50 ms apart took 50 s). */
static void test_retries_of_a_vanished_service_stay_within_the_timeout(void** state) {
  cgym_env_t* env = unmanaged_env_retrying(1);
  cgym_call_options_t* timeout = timeout_of(1);
  cgym_event_t* event = NULL;
  cgym_step_result_t* result = NULL;
  double start, elapsed;
  int status = 0;
  (void)state;
  assert_ok(cgym_event_new_int64(&event, 2));
  assert_int_equal(kill(unmanaged_pid, SIGKILL), 0);
  assert_int_equal(waitpid(unmanaged_pid, &status, 0), unmanaged_pid);
  unmanaged_pid = 0;
  start = now_seconds();
  assert_ok(
      cgym_step(env, (const cgym_event_t* const*)&event, 1, NULL, 0, NULL, 0, timeout, &result));
  elapsed = now_seconds() - start;
  print_message("step(timeout=1) retrying a vanished unmanaged service: %.2f s: %s\n", elapsed,
                cgym_step_result_error_details(result));
  assert_within(elapsed, 1);
  assert_int_equal(cgym_step_result_done(result), 1);
  assert_string_equal(cgym_step_result_error_type(result), "ServiceTransportError");
  cgym_step_result_free(result);
  cgym_event_free(event);
  cgym_call_options_free(timeout);
  cgym_env_free(env);
}

/* --- A managed binary that exits at once -------------------------------------------------- */

static void test_a_service_that_exits_at_once_is_retried_with_waits(void** state) {
  cgym_options_t* options = service_options("exit");
  cgym_env_t* env = NULL;
  double start, elapsed;
  (void)state;
  assert_ok(cgym_options_set_init_max_attempts(options, 4));
  assert_ok(cgym_options_set_retry_wait_seconds(options, 0.25));
  assert_ok(cgym_options_set_retry_wait_backoff_exponent(options, 2));
  start = now_seconds();
  assert_fails(cgym_connect(&env, self_path, options), CGYM_SERVICE_INIT);
  elapsed = now_seconds() - start;
  print_message("4 attempts at a service that exits at once: %.2f s: %s\n", elapsed,
                cgym_last_error_message());
  assert_null(env);
  assert_non_null(strstr(cgym_last_error_message(), "(4 attempts made)"));
  assert_non_null(strstr(cgym_last_error_message(), "returncode: 3"));
  /* Waits of 0.25, 0.5 and 1 s between the attempts (sleeps never end early). */
  assert_true(elapsed >= 1.75);
  cgym_options_free(options);
}

static void test_waits_between_attempts_stay_within_init_max_seconds(void** state) {
  cgym_options_t* options = service_options("exit");
  cgym_env_t* env = NULL;
  double start, elapsed;
  (void)state;
  assert_ok(cgym_options_set_init_max_attempts(options, 100));
  assert_ok(cgym_options_set_init_max_seconds(options, 1));
  assert_ok(cgym_options_set_retry_wait_seconds(options, 0.3));
  assert_ok(cgym_options_set_retry_wait_backoff_exponent(options, 2));
  start = now_seconds();
  assert_fails(cgym_connect(&env, self_path, options), CGYM_DEADLINE_EXCEEDED);
  elapsed = now_seconds() - start;
  assert_non_null(strstr(cgym_last_error_message(), "Failed to create connection to "));
  assert_within(elapsed, 1);
  cgym_options_free(options);
}

static int remove_entry(const char* path, const struct stat* st, int type, struct FTW* ftw) {
  (void)st, (void)type, (void)ftw;
  remove(path);
  return 0;
}

int main(int argc, char** argv) {
  ssize_t length;
  int failures;
  if (getenv("CGYM_TEST_SERVE")) return serve(argc, argv);
  length = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
  if (length <= 0) return 1;
  self_path[length] = '\0';
  snprintf(temp_dir, sizeof temp_dir, "%s/cgym-timeout-test-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(temp_dir)) return 1;
  {
    char dir[600];
    snprintf(dir, sizeof dir, "%s/unmanaged", temp_dir);
    mkdir(dir, 0700);
  }
  {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_step_on_a_stopped_managed_service_returns_in_time, teardown),
        cmocka_unit_test_teardown(test_step_stuck_in_a_managed_session_returns_in_time, teardown),
        cmocka_unit_test_teardown(test_queued_step_on_a_stopped_managed_service_returns_in_time,
                                  teardown),
        cmocka_unit_test_teardown(test_session_abandoned_on_a_managed_service_is_ended, teardown),
        cmocka_unit_test_teardown(test_reset_on_a_stopped_unmanaged_service_returns_in_time,
                                  teardown),
        cmocka_unit_test_teardown(test_step_on_a_stopped_unmanaged_service_returns_in_time,
                                  teardown),
        cmocka_unit_test_teardown(test_session_abandoned_on_an_unmanaged_service_is_ended_at_close,
                                  teardown),
        cmocka_unit_test_teardown(test_step_stuck_in_an_unmanaged_session_returns_in_time,
                                  teardown),
        cmocka_unit_test_teardown(test_retries_of_a_vanished_service_stay_within_the_timeout,
                                  teardown),
        cmocka_unit_test_teardown(test_a_service_that_exits_at_once_is_retried_with_waits,
                                  teardown),
        cmocka_unit_test_teardown(test_waits_between_attempts_stay_within_init_max_seconds,
                                  teardown),
    };
    failures = cmocka_run_group_tests_name("timeouts", tests, NULL, NULL);
  }
  nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return failures == 0 ? 0 : 1;
}
