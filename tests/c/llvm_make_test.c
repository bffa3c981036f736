/* SPDX-License-Identifier: MIT */
/*
 * Environments by name through cgym.h alone: cgym_env_ids and cgym_make of every id (a managed
 * service and in-process), their default spaces and options, where the compiler is found, the
 * twelve cost rewards recomputed by hand from observations, cost rewards of one's own,
 * datasets, benchmarks from the user's files and sources, and validation of states.
 *
 * main() points CGYM_LLVM_SERVICE and CGYM_LLVM_PLUGIN at the binaries built with this test, so
 * that it runs against them whatever the caller's environment; tests that change them restore
 * them in their teardown.
 */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp, setenv */

#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

#define NUM_IDS 5
static const char* const kIds[NUM_IDS] = {"llvm-v0", "llvm-ic-v0", "llvm-codesize-v0",
                                          "llvm-autophase-ic-v0", "llvm-autophase-codesize-v0"};

/* The twelve rewards, in groups of four: plain (delta), Norm, O3, Oz. */
static const char* const kRewards[12] = {
    "IrInstructionCount",  "IrInstructionCountNorm", "IrInstructionCountO3", "IrInstructionCountOz",
    "ObjectTextSizeBytes", "ObjectTextSizeNorm",     "ObjectTextSizeO3",     "ObjectTextSizeOz",
    "TextSizeBytes",       "TextSizeNorm",           "TextSizeO3",           "TextSizeOz"};
/* Per group: the cost observation and the prefix of its O0/O3/Oz observations. */
static const char* const kCosts[3] = {"IrInstructionCount", "ObjectTextSizeBytes", "TextSizeBytes"};
static const char* const kLevels[3] = {"IrInstructionCount", "ObjectTextSize", "TextSize"};

/* ------------------------------------------------------------------------------------- */
/* Helpers                                                                                 */

static cgym_env_t* make_env(const char* id, const char* endpoint, const char* benchmark) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  if (benchmark != NULL) {
    assert_ok(cgym_options_new(&options));
    assert_ok(cgym_options_set_benchmark(options, benchmark, NULL, 0));
  }
  assert_ok(cgym_make(&env, id, endpoint, options));
  assert_non_null(env);
  cgym_options_free(options);
  return env;
}

static double observe(cgym_env_t* env, const char* space) {
  double value = -1;
  assert_ok(cgym_env_observe_double(env, space, &value));
  return value;
}

static double observe_level(cgym_env_t* env, int group, const char* level) {
  char name[64];
  snprintf(name, sizeof(name), "%s%s", kLevels[group], level);
  return observe(env, name);
}

/* The index of a flag in the env's (named) action space. */
static int64_t action_index(const cgym_env_t* env, const char* flag) {
  const cgym_space_t* space = cgym_action_space_space(cgym_env_action_space(env));
  size_t count = 0;
  assert_ok(cgym_space_name_count(space, &count));
  for (size_t i = 0; i < count; ++i) {
    const char* name = NULL;
    assert_ok(cgym_space_name_at(space, i, &name));
    if (strcmp(name, flag) == 0) return (int64_t)i;
  }
  fail_msg("no action %s", flag);
  return -1;
}

/* One step of `flag` asking for the given observation and reward spaces. */
static cgym_step_result_t* step_flag(cgym_env_t* env, const char* flag,
                                     const char* const* observations, size_t num_observations,
                                     const char* const* rewards, size_t num_rewards) {
  cgym_event_t* action = NULL;
  cgym_step_result_t* result = NULL;
  assert_ok(cgym_event_new_int64(&action, action_index(env, flag)));
  const cgym_event_t* actions[1] = {action};
  assert_ok(cgym_step(env, actions, 1, observations, num_observations, rewards, num_rewards, NULL,
                      &result));
  cgym_event_free(action);
  assert_int_equal(cgym_step_result_done(result), 0);
  return result;
}

/* Rewards must match their formula bit for bit: same inputs, same operations, same order. */
static void assert_same_double(double actual, double expected, const char* what) {
  uint64_t a = 0, e = 0;
  memcpy(&a, &actual, sizeof(a));
  memcpy(&e, &expected, sizeof(e));
  if (a != e)
    fail_msg("%s: got %a (%.17g), expected %a (%.17g)", what, actual, actual, expected, expected);
}

/* The cost rewards' formulas (cgym_cost_reward_kind_t). */
static double delta_reward(double previous, double now) { return previous - now; }
static double norm_reward(double previous, double now, double initial) {
  return (previous - now) / initial;
}
static double baseline_reward(double previous, double now, double initial, double baseline) {
  const double divisor = initial - baseline;
  return (previous - now) / (divisor > 1.0 ? divisor : 1.0);
}

/* The value of a boolean key of a JSON object (-1 if absent): enough for ValidationResult. */
static int json_bool(const char* json, const char* key) {
  char quoted[128];
  snprintf(quoted, sizeof(quoted), "\"%s\"", key);
  const char* at = strstr(json, quoted);
  if (at == NULL) return -1;
  at += strlen(quoted);
  while (*at == ' ' || *at == ':') ++at;
  if (strncmp(at, "true", 4) == 0) return 1;
  if (strncmp(at, "false", 5) == 0) return 0;
  return -1;
}

static int has_prefix(const char* text, const char* prefix) {
  return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* Environment variables changed by a test, put back by its teardown. */
static char* saved_service = NULL;
static char* saved_plugin = NULL;

static char* copy_env(const char* name) {
  const char* value = getenv(name);
  return value == NULL ? NULL : strdup(value);
}

static void put_env(const char* name, const char* value) {
  if (value == NULL) {
    unsetenv(name);
  } else {
    setenv(name, value, 1);
  }
}

static int save_paths(void** state) {
  (void)state;
  saved_service = copy_env("CGYM_LLVM_SERVICE");
  saved_plugin = copy_env("CGYM_LLVM_PLUGIN");
  return 0;
}

static int restore_paths(void** state) {
  (void)state;
  put_env("CGYM_LLVM_SERVICE", saved_service);
  put_env("CGYM_LLVM_PLUGIN", saved_plugin);
  free(saved_service);
  free(saved_plugin);
  saved_service = saved_plugin = NULL;
  return 0;
}

/* A temporary directory of files, removed by remove_dir(). */
#define MAX_FILES 8
typedef struct {
  char dir[256];
  char files[MAX_FILES][300];
  size_t count;
} temp_dir_t;

static void make_dir(temp_dir_t* t) {
  const char* base = getenv("TMPDIR");
  snprintf(t->dir, sizeof(t->dir), "%s/cgym-llvm-make-test-XXXXXX",
           base != NULL && *base != '\0' ? base : "/tmp");
  assert_non_null(mkdtemp(t->dir));
  t->count = 0;
}

static const char* write_file(temp_dir_t* t, const char* name, const char* text) {
  assert_true(t->count < MAX_FILES);
  char* path = t->files[t->count++];
  char joined[sizeof(t->files[0])]; /* not straight into t: snprintf's arguments may not overlap */
  snprintf(joined, sizeof(joined), "%s/%s", t->dir, name);
  memcpy(path, joined, sizeof(joined));
  FILE* file = fopen(path, "w");
  assert_non_null(file);
  assert_int_equal(fputs(text, file) >= 0, 1);
  assert_int_equal(fclose(file), 0);
  return path;
}

static void remove_dir(temp_dir_t* t) {
  for (size_t i = 0; i < t->count; ++i) unlink(t->files[i]);
  rmdir(t->dir);
}

/* A user benchmark in an env: set, reset, and its instruction count. */
static double reset_on(cgym_env_t* env, const char* uri, const void* bitcode, size_t length) {
  assert_ok(cgym_env_set_benchmark(env, uri, bitcode, length));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_string_equal(cgym_env_benchmark(env), uri);
  return observe(env, "IrInstructionCount");
}

/* LLVM bitcode starts with 'B' 'C' 0xC0 0xDE. */
static void assert_bitcode(const void* bitcode, size_t length) {
  static const unsigned char magic[4] = {0x42, 0x43, 0xC0, 0xDE};
  assert_true(length > sizeof(magic));
  assert_memory_equal(bitcode, magic, sizeof(magic));
}

/* One env in this process, shared by the tests that need no particular id or endpoint. */
static cgym_env_t* shared_env = NULL;

static int make_shared_env(void** state) {
  (void)state;
  return cgym_make(&shared_env, "llvm-v0", "inproc", NULL) == CGYM_OK ? 0 : -1;
}

static int free_shared_env(void** state) {
  (void)state;
  cgym_env_free(shared_env);
  shared_env = NULL;
  return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Ids, cgym_make and where the compiler is found                                          */

static void test_env_ids(void** state) {
  (void)state;
  char** ids = NULL;
  size_t count = 0;
  assert_ok(cgym_env_ids(&ids, &count));
  assert_int_equal(count, NUM_IDS);
  for (size_t i = 0; i < NUM_IDS; ++i) assert_string_equal(ids[i], kIds[i]);
  cgym_free_strings(ids, count);
}

static void test_unknown_id(void** state) {
  (void)state;
  cgym_env_t* env = NULL;
  assert_fails(cgym_make(&env, "llvm-v1", NULL, NULL), CGYM_NOT_FOUND);
  assert_null(env);
  for (size_t i = 0; i < NUM_IDS; ++i) {
    assert_non_null(strstr(cgym_last_error_message(), kIds[i]));
  }
  assert_fails(cgym_make(&env, "llvm-v1", "inproc", NULL), CGYM_NOT_FOUND);
  assert_null(env);
  char* path = NULL;
  assert_fails(cgym_env_service_path("llvm-v1", 0, &path), CGYM_NOT_FOUND);
  assert_null(path);
}

/* A service or plugin that is not there: ENVIRONMENT_NOT_SUPPORTED naming the variable. Runs
 * before any in-process env, so that no plugin is registered yet. */
static void test_missing_service(void** state) {
  (void)state;
  cgym_env_t* env = NULL;
  char* path = NULL;
  setenv("CGYM_LLVM_SERVICE", "/nonexistent/cgym-llvm-make-test/cgym-llvm-service", 1);
  assert_fails(cgym_make(&env, "llvm-ic-v0", NULL, NULL), CGYM_ENVIRONMENT_NOT_SUPPORTED);
  assert_non_null(strstr(cgym_last_error_message(), "CGYM_LLVM_SERVICE"));
  assert_null(env);
  assert_fails(cgym_env_service_path("llvm-ic-v0", 0, &path), CGYM_ENVIRONMENT_NOT_SUPPORTED);
  assert_null(path);

  setenv("CGYM_LLVM_PLUGIN", "/nonexistent/cgym-llvm-make-test/libcgym-llvm.so", 1);
  assert_fails(cgym_make(&env, "llvm-v0", "inproc", NULL), CGYM_ENVIRONMENT_NOT_SUPPORTED);
  assert_non_null(strstr(cgym_last_error_message(), "CGYM_LLVM_PLUGIN"));
  assert_null(env);
  assert_fails(cgym_env_service_path("llvm-v0", 1, &path), CGYM_ENVIRONMENT_NOT_SUPPORTED);
  assert_null(path);
}

/* The variables win; without them, the build tree's binaries next to libcgym are found. */
static void assert_same_file(const char* actual, const char* expected) {
  char a[PATH_MAX], e[PATH_MAX];
  assert_non_null(realpath(actual, a));
  assert_non_null(realpath(expected, e));
  assert_string_equal(a, e);
}

static void test_service_path(void** state) {
  (void)state;
  char* path = NULL;
  assert_ok(cgym_env_service_path("llvm-v0", 0, &path));
  assert_string_equal(path, getenv("CGYM_LLVM_SERVICE"));
  cgym_free(path);
  assert_ok(cgym_env_service_path("llvm-autophase-codesize-v0", 1, &path));
  assert_string_equal(path, getenv("CGYM_LLVM_PLUGIN"));
  cgym_free(path);

  unsetenv("CGYM_LLVM_SERVICE");
  unsetenv("CGYM_LLVM_PLUGIN");
  assert_ok(cgym_env_service_path("llvm-ic-v0", 0, &path));
  assert_same_file(path, CGYM_LLVM_SERVICE);
  cgym_free(path);
  assert_ok(cgym_env_service_path("llvm-ic-v0", 1, &path));
  assert_same_file(path, CGYM_LLVM_PLUGIN);
  cgym_free(path);
  /* ...and cgym_make launches the service found there. */
  cgym_env_t* env = make_env("llvm-v0", NULL, "benchmark://cgym-v0/sum_squares");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_true(observe(env, "IrInstructionCount") > 0);
  cgym_env_free(env);
}

/* Every id, managed and in-process: the default benchmark and spaces, and a step by name
 * whose reward is the default reward space's. */
static void check_id(const char* id, const char* endpoint) {
  const int autophase = strstr(id, "autophase") != NULL;
  /* The group of the default reward (-1: none). */
  const int group = strstr(id, "-ic-") != NULL ? 0 : strstr(id, "codesize") != NULL ? 1 : -1;
  cgym_env_t* env = make_env(id, endpoint, NULL);
  cgym_event_t* observation = NULL;
  assert_ok(cgym_env_reset(env, NULL, &observation));
  assert_string_equal(cgym_env_benchmark(env), "benchmark://cgym-v0/sorting");
  if (autophase) {
    size_t count = 0;
    assert_int_equal(cgym_event_kind(observation), CGYM_EVENT_INT64_TENSOR);
    assert_ok(cgym_event_tensor_count(observation, &count));
    assert_int_equal(count, 56);
  } else {
    assert_null(observation);
  }
  cgym_event_free(observation);

  /* The twelve rewards are there, whatever the default. */
  size_t rewards = env_reward_space_count(env);
  for (size_t r = 0; r < 12; ++r) {
    int found = 0;
    for (size_t i = 0; i < rewards; ++i)
      found |= strcmp(env_reward_space_at(env, i), kRewards[r]) == 0;
    if (!found) fail_msg("%s: no reward space %s", id, kRewards[r]);
  }

  int has_reward = -1;
  cgym_env_episode_reward(env, &has_reward);
  assert_int_equal(has_reward, group >= 0);
  double initial = 0, baseline = 0;
  if (group >= 0) {
    initial = observe_level(env, group, "O0");
    baseline = observe_level(env, group, "Oz");
  }
  int done = 1;
  double reward = -1;
  assert_ok(cgym_step_name(env, "-mem2reg", &done, &reward));
  assert_int_equal(done, 0);
  if (group >= 0) {
    const double now = observe(env, kCosts[group]);
    assert_same_double(reward, baseline_reward(initial, now, initial, baseline), id);
  } else {
    assert_same_double(reward, 0.0, id);
  }
  size_t actions = 0;
  assert_ok(cgym_env_action_count(env, &actions));
  assert_int_equal(actions, 1);
  assert_ok(cgym_env_close(env));
  cgym_env_free(env);
}

static void test_make_every_id_managed(void** state) {
  (void)state;
  for (size_t i = 0; i < NUM_IDS; ++i) check_id(kIds[i], NULL);
  /* "" is a managed service too. */
  cgym_env_t* env = make_env("llvm-v0", "", "benchmark://cgym-v0/sum_squares");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  cgym_env_free(env);
}

static void test_make_every_id_in_process(void** state) {
  (void)state;
  for (size_t i = 0; i < NUM_IDS; ++i) check_id(kIds[i], "inproc");
}

/* Options replace the id's spaces ("" for none) and its benchmark. */
static void test_options(void** state) {
  (void)state;
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  cgym_event_t* observation = NULL;
  int has_reward = -1;

  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_observation_space(options, ""));
  assert_ok(cgym_options_set_reward_space(options, ""));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://cgym-v0/sum_squares", NULL, 0));
  assert_ok(cgym_make(&env, "llvm-autophase-ic-v0", "inproc", options));
  cgym_options_free(options);
  assert_ok(cgym_env_reset(env, NULL, &observation));
  assert_null(observation);
  assert_string_equal(cgym_env_benchmark(env), "benchmark://cgym-v0/sum_squares");
  cgym_env_episode_reward(env, &has_reward);
  assert_int_equal(has_reward, 0);
  cgym_env_free(env);

  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_observation_space(options, "IrInstructionCount"));
  assert_ok(cgym_options_set_reward_space(options, "IrInstructionCountNorm"));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://cgym-v0/fibonacci", NULL, 0));
  assert_ok(cgym_make(&env, "llvm-codesize-v0", "inproc", options));
  cgym_options_free(options);
  assert_ok(cgym_env_reset(env, NULL, &observation));
  assert_string_equal(cgym_env_benchmark(env), "benchmark://cgym-v0/fibonacci");
  int64_t count = 0;
  assert_ok(cgym_event_get_int64(observation, &count));
  cgym_event_free(observation);
  const double initial = observe(env, "IrInstructionCountO0");
  assert_same_double((double)count, initial, "IrInstructionCount at reset");
  double reward = 0;
  int done = 1;
  assert_ok(cgym_step_name(env, "-mem2reg", &done, &reward));
  assert_same_double(reward, norm_reward(initial, observe(env, "IrInstructionCount"), initial),
                     "IrInstructionCountNorm");
  cgym_env_free(env);
}

/* ------------------------------------------------------------------------------------- */
/* Rewards                                                                                 */

/* Each of the twelve rewards over a short episode, against its formula applied to the
 * observations. */
static void test_rewards_by_hand(void** state) {
  (void)state;
  static const char* const flags[] = {"-mem2reg", "-instcombine", "-dce", "-simplifycfg", "-gvn"};
  cgym_env_t* env = make_env("llvm-v0", "inproc", "benchmark://cgym-v0/fibonacci");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  double initial[3], o3[3], oz[3], previous[3];
  for (int g = 0; g < 3; ++g) {
    initial[g] = observe_level(env, g, "O0");
    o3[g] = observe_level(env, g, "O3");
    oz[g] = observe_level(env, g, "Oz");
    /* Before the first step, the previous cost is the unmodified benchmark's. */
    previous[g] = initial[g];
    assert_true(initial[g] > 0);
  }
  for (size_t s = 0; s < sizeof(flags) / sizeof(flags[0]); ++s) {
    cgym_step_result_t* result = step_flag(env, flags[s], kCosts, 3, kRewards, 12);
    assert_int_equal(result_observation_count(result), 3);
    assert_int_equal(result_reward_count(result), 12);
    for (int g = 0; g < 3; ++g) {
      double now = 0;
      assert_ok(cgym_event_get_double(result_observation(result, (size_t)g), &now));
      const double expected[4] = {delta_reward(previous[g], now),
                                  norm_reward(previous[g], now, initial[g]),
                                  baseline_reward(previous[g], now, initial[g], o3[g]),
                                  baseline_reward(previous[g], now, initial[g], oz[g])};
      for (int k = 0; k < 4; ++k) {
        char what[128];
        snprintf(what, sizeof(what), "step %zu (%s): %s", s + 1, flags[s], kRewards[g * 4 + k]);
        assert_same_double(result_reward(result, (size_t)(g * 4 + k)), expected[k], what);
      }
      previous[g] = now;
    }
    cgym_step_result_free(result);
  }
  cgym_env_free(env);
}

static void test_add_cost_reward_errors(void** state) {
  (void)state;
  cgym_env_t* env = shared_env;
  assert_fails(cgym_env_add_cost_reward(env, "R", "NoSuchSpace", "IrInstructionCountO0", NULL,
                                        CGYM_COST_REWARD_DELTA, 1, 0),
               CGYM_NOT_FOUND);
  assert_fails(cgym_env_add_cost_reward(env, "R", "IrInstructionCount", "NoSuchSpace", NULL,
                                        CGYM_COST_REWARD_DELTA, 1, 0),
               CGYM_NOT_FOUND);
  assert_fails(cgym_env_add_cost_reward(env, "R", "IrInstructionCount", "IrInstructionCountO0",
                                        "NoSuchSpace", CGYM_COST_REWARD_BASELINE, 1, 0),
               CGYM_NOT_FOUND);
  assert_fails(cgym_env_add_cost_reward(env, "R", "IrInstructionCount", "IrInstructionCountO0",
                                        NULL, 3, 1, 0),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_add_cost_reward(env, "R", "IrInstructionCount", "IrInstructionCountO0",
                                        NULL, -1, 1, 0),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_env_add_cost_reward(env, "R", "IrInstructionCount", "IrInstructionCountO0",
                                        NULL, CGYM_COST_REWARD_BASELINE, 1, 0),
               CGYM_INVALID_ARGUMENT);
  /* None of them was added. */
  for (size_t i = 0; i < env_reward_space_count(env); ++i) {
    assert_string_not_equal(env_reward_space_at(env, i), "R");
  }
  assert_fails(cgym_env_set_reward_space(env, "R"), CGYM_NOT_FOUND);
}

/* A reward of one's own: the instruction count against -O3, as the env's default reward. */
static void test_custom_cost_reward(void** state) {
  (void)state;
  cgym_env_t* env = shared_env;
  assert_ok(cgym_env_add_cost_reward(env, "IrAgainstO3", "IrInstructionCount",
                                     "IrInstructionCountO0", "IrInstructionCountO3",
                                     CGYM_COST_REWARD_BASELINE, 1, 0));
  assert_ok(cgym_env_add_cost_reward(env, "ObjectDelta", "ObjectTextSizeBytes", "ObjectTextSizeO0",
                                     NULL, CGYM_COST_REWARD_DELTA, 1, 1));
  int found = 0;
  for (size_t i = 0; i < env_reward_space_count(env); ++i) {
    found += strcmp(env_reward_space_at(env, i), "IrAgainstO3") == 0;
  }
  assert_int_equal(found, 1);
  assert_ok(cgym_env_set_reward_space(env, "IrAgainstO3"));
  assert_ok(cgym_env_set_benchmark(env, "benchmark://cgym-v0/sum_squares", NULL, 0));
  assert_ok(cgym_env_reset(env, NULL, NULL));
  const double initial = observe(env, "IrInstructionCountO0");
  const double o3 = observe(env, "IrInstructionCountO3");
  const double object_initial = observe(env, "ObjectTextSizeO0");
  double reward = 0;
  int done = 1;
  assert_ok(cgym_step_name(env, "-mem2reg", &done, &reward));
  const double after_mem2reg = observe(env, "IrInstructionCount");
  assert_same_double(reward, baseline_reward(initial, after_mem2reg, initial, o3), "IrAgainstO3");
  int has_reward = 0;
  assert_same_double(cgym_env_episode_reward(env, &has_reward), reward, "episode reward");
  assert_int_equal(has_reward, 1);

  /* IrInstructionCountO3 is IrAgainstO3, but it was not asked for at the first step, so it
   * goes on from the unmodified benchmark's cost; so does ObjectDelta. */
  const char* const rewards[3] = {"IrAgainstO3", "IrInstructionCountO3", "ObjectDelta"};
  const char* const costs[1] = {"ObjectTextSizeBytes"};
  cgym_step_result_t* result = step_flag(env, "-simplifycfg", costs, 1, rewards, 3);
  const double now = observe(env, "IrInstructionCount");
  assert_same_double(result_reward(result, 0), baseline_reward(after_mem2reg, now, initial, o3),
                     "IrAgainstO3");
  assert_same_double(result_reward(result, 1), baseline_reward(initial, now, initial, o3),
                     "IrInstructionCountO3");
  double object_now = 0;
  assert_ok(cgym_event_get_double(result_observation(result, 0), &object_now));
  assert_same_double(result_reward(result, 2), delta_reward(object_initial, object_now),
                     "ObjectDelta");
  cgym_step_result_free(result);

  /* Replacing a reward keeps one of that name. */
  assert_ok(cgym_env_add_cost_reward(env, "IrAgainstO3", "IrInstructionCount",
                                     "IrInstructionCountO0", NULL, CGYM_COST_REWARD_NORMALIZED, 1,
                                     0));
  found = 0;
  for (size_t i = 0; i < env_reward_space_count(env); ++i) {
    found += strcmp(env_reward_space_at(env, i), "IrAgainstO3") == 0;
  }
  assert_int_equal(found, 1);
  assert_ok(cgym_env_set_reward_space(env, ""));
}

/* ------------------------------------------------------------------------------------- */
/* Datasets                                                                                */

static void test_datasets(void** state) {
  (void)state;
  static const char* const expected[3] = {"benchmark://cgym-v0", "generator://csmith-v0",
                                          "generator://llvm-stress-v0"};
  for (size_t id = 0; id < NUM_IDS; ++id) {
    char** names = NULL;
    size_t count = 0;
    assert_ok(cgym_datasets(kIds[id], &names, &count));
    assert_int_equal(count, 3);
    for (size_t i = 0; i < 3; ++i) assert_string_equal(names[i], expected[i]);
    cgym_free_strings(names, count);
  }
  char** names = NULL;
  size_t count = 0;
  assert_fails(cgym_datasets("llvm-v1", &names, &count), CGYM_NOT_FOUND);
  assert_null(names);

  char* description = NULL;
  uint64_t size = 1;
  assert_ok(cgym_dataset_info("benchmark://cgym-v0", &description, &size));
  assert_int_equal(size, 22);
  assert_non_null(description);
  assert_true(strlen(description) > 0);
  cgym_free(description);
  for (size_t i = 1; i < 3; ++i) {
    description = NULL;
    size = 1;
    assert_ok(cgym_dataset_info(expected[i], &description, &size));
    assert_int_equal(size, 0);
    cgym_free(description);
  }
  assert_fails(cgym_dataset_info("benchmark://no-such-v0", &description, &size), CGYM_NOT_FOUND);
  assert_fails(cgym_dataset_info("file:///nonexistent/cgym-llvm-make-test", &description, &size),
               CGYM_NOT_FOUND);
}

static void test_dataset_benchmarks(void** state) {
  (void)state;
  char* uri = NULL;
  assert_ok(cgym_dataset_benchmark_at("benchmark://cgym-v0", 0, &uri));
  assert_string_equal(uri, "benchmark://cgym-v0/sum_squares");
  cgym_free(uri);
  assert_ok(cgym_dataset_benchmark_at("benchmark://cgym-v0", 21, &uri));
  assert_true(has_prefix(uri, "benchmark://cgym-v0/"));
  cgym_free(uri);
  uri = NULL;
  assert_fails(cgym_dataset_benchmark_at("benchmark://cgym-v0", 22, &uri), CGYM_OUT_OF_RANGE);
  assert_null(uri);

  assert_ok(cgym_dataset_benchmark_at("generator://csmith-v0", 7, &uri));
  assert_string_equal(uri, "generator://csmith-v0/7");
  cgym_free(uri);
  assert_ok(cgym_dataset_benchmark_at("generator://llvm-stress-v0", UINT32_MAX, &uri));
  assert_string_equal(uri, "generator://llvm-stress-v0/4294967295");
  cgym_free(uri);
  uri = NULL;
  assert_fails(cgym_dataset_benchmark_at("generator://csmith-v0", (uint64_t)UINT32_MAX + 1, &uri),
               CGYM_OUT_OF_RANGE);
  assert_fails(cgym_dataset_benchmark_at("generator://csmith-v0", UINT64_MAX, &uri),
               CGYM_OUT_OF_RANGE);
  assert_fails(cgym_dataset_benchmark_at("benchmark://no-such-v0", 0, &uri), CGYM_NOT_FOUND);
  assert_null(uri);

  /* A random benchmark: the same for the same seed, one of the dataset's, and not always the
   * same one. */
  char* all[22];
  for (uint64_t i = 0; i < 22; ++i) {
    assert_ok(cgym_dataset_benchmark_at("benchmark://cgym-v0", i, &all[i]));
  }
  int distinct = 0;
  char* first = NULL;
  for (uint64_t seed = 0; seed < 16; ++seed) {
    char *a = NULL, *b = NULL;
    assert_ok(cgym_dataset_random_benchmark("benchmark://cgym-v0", seed, &a));
    assert_ok(cgym_dataset_random_benchmark("benchmark://cgym-v0", seed, &b));
    assert_string_equal(a, b);
    int in_dataset = 0;
    for (size_t i = 0; i < 22; ++i) in_dataset |= strcmp(a, all[i]) == 0;
    if (!in_dataset) fail_msg("seed %" PRIu64 ": %s is not in the dataset", seed, a);
    if (first == NULL) {
      first = a;
    } else {
      distinct |= strcmp(first, a) != 0;
      cgym_free(a);
    }
    cgym_free(b);
  }
  assert_true(distinct);
  cgym_free(first);
  for (size_t i = 0; i < 22; ++i) cgym_free(all[i]);

  char *a = NULL, *b = NULL;
  assert_ok(cgym_dataset_random_benchmark("generator://csmith-v0", 42, &a));
  assert_ok(cgym_dataset_random_benchmark("generator://csmith-v0", 42, &b));
  assert_string_equal(a, b);
  assert_true(has_prefix(a, "generator://csmith-v0/"));
  cgym_free(a);
  cgym_free(b);
  a = NULL;
  assert_fails(cgym_dataset_random_benchmark("benchmark://no-such-v0", 1, &a), CGYM_NOT_FOUND);
  assert_null(a);
}

/* A directory of sources is a dataset of its source files, by name. */
static void test_directory_dataset(void** state) {
  (void)state;
  temp_dir_t t;
  make_dir(&t);
  write_file(&t, "b.c", "int main(void) { return 0; }\n");
  write_file(&t, "a.c", "int main(void) { return 1; }\n");
  write_file(&t, "notes.txt", "not a program\n");
  char dataset[300];
  snprintf(dataset, sizeof(dataset), "file://%s", t.dir);

  char* description = NULL;
  uint64_t size = 0;
  assert_ok(cgym_dataset_info(dataset, &description, &size));
  cgym_free(description);
  assert_int_equal(size, 2);
  char* uri = NULL;
  assert_ok(cgym_dataset_benchmark_at(dataset, 0, &uri));
  assert_true(has_prefix(uri, dataset));
  assert_non_null(strstr(uri, "/a.c"));
  cgym_free(uri);
  assert_ok(cgym_dataset_benchmark_at(dataset, 1, &uri));
  assert_true(has_prefix(uri, dataset));
  assert_non_null(strstr(uri, "/b.c"));
  cgym_free(uri);
  uri = NULL;
  assert_fails(cgym_dataset_benchmark_at(dataset, 2, &uri), CGYM_OUT_OF_RANGE);
  assert_null(uri);
  assert_ok(cgym_dataset_random_benchmark(dataset, 3, &uri));
  assert_true(has_prefix(uri, dataset));
  cgym_free(uri);
  remove_dir(&t);
}

/* ------------------------------------------------------------------------------------- */
/* Benchmarks from the user's files                                                        */

static void test_make_benchmark_from_files(void** state) {
  (void)state;
  cgym_env_t* env = shared_env;
  temp_dir_t t;
  make_dir(&t);
  const char* single = write_file(&t, "single.c",
                                  "int square(int x) { return x * x; }\n"
                                  "int main(void) { return square(3) - 9; }\n");
  const char* caller = write_file(&t, "caller.c",
                                  "int callee_function(int);\n"
                                  "int main(void) { return callee_function(2); }\n");
  const char* callee =
      write_file(&t, "callee.cc", "extern \"C\" int callee_function(int x) { return x - 2; }\n");
  const char* ir = write_file(&t, "module.ll",
                              "define i32 @from_ir(i32 %x) {\n"
                              "  %y = add i32 %x, 1\n"
                              "  ret i32 %y\n"
                              "}\n");
  const char* text = write_file(&t, "program.txt", "int main(void) { return 0; }\n");
  const char* bad = write_file(&t, "bad.c", "int main(void) { return 0 }\n");
  char missing[320];
  snprintf(missing, sizeof(missing), "%s/missing.c", t.dir);

  char* uri = NULL;
  void* bitcode = NULL;
  size_t length = 0;
  /* One C file. */
  assert_ok(cgym_make_benchmark(&single, 1, NULL, 0, &uri, &bitcode, &length));
  assert_true(has_prefix(uri, "benchmark://user-v0/"));
  assert_bitcode(bitcode, length);
  assert_true(reset_on(env, uri, bitcode, length) > 0);
  cgym_free(uri);
  cgym_free(bitcode);

  /* Two files, C and C++, linked into one module. */
  const char* const both[2] = {caller, callee};
  assert_ok(cgym_make_benchmark(both, 2, NULL, 0, &uri, &bitcode, &length));
  assert_bitcode(bitcode, length);
  assert_true(reset_on(env, uri, bitcode, length) > 0);
  char* module = NULL;
  assert_ok(cgym_env_observe_string(env, "Ir", &module, NULL));
  assert_non_null(strstr(module, "define dso_local i32 @main"));
  assert_non_null(strstr(module, "@callee_function("));
  assert_null(strstr(module, "declare i32 @callee_function"));
  cgym_free(module);
  cgym_free(uri);
  cgym_free(bitcode);

  /* An .ll file, assembled. */
  assert_ok(cgym_make_benchmark(&ir, 1, NULL, 0, &uri, &bitcode, &length));
  assert_bitcode(bitcode, length);
  assert_same_double(reset_on(env, uri, bitcode, length), 2.0, "instructions of module.ll");
  cgym_free(uri);
  cgym_free(bitcode);

  /* Errors leave the outputs alone. */
  uri = NULL;
  bitcode = NULL;
  const char* missing_path = missing;
  assert_fails(cgym_make_benchmark(&missing_path, 1, NULL, 0, &uri, &bitcode, &length),
               CGYM_NOT_FOUND);
  assert_fails(cgym_make_benchmark(&text, 1, NULL, 0, &uri, &bitcode, &length),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_make_benchmark(NULL, 0, NULL, 0, &uri, &bitcode, &length),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_make_benchmark(&bad, 1, NULL, 0, &uri, &bitcode, &length), CGYM_BENCHMARK_INIT);
  /* clang's diagnostic. */
  assert_non_null(strstr(cgym_last_error_message(), "bad.c"));
  assert_non_null(strstr(cgym_last_error_message(), "expected ';'"));
  assert_null(uri);
  assert_null(bitcode);
  remove_dir(&t);
}

static void test_make_benchmark_from_source(void** state) {
  (void)state;
  cgym_env_t* env = shared_env;
  char* uri = NULL;
  void* bitcode = NULL;
  size_t length = 0;

  /* C, with options for the compiler. */
  const char* const defines[1] = {"-DANSWER=42"};
  assert_ok(cgym_make_benchmark_from_source("int main(void) { return ANSWER - 42; }\n", "c",
                                            defines, 1, &uri, &bitcode, &length));
  assert_true(has_prefix(uri, "benchmark://user-v0/"));
  assert_bitcode(bitcode, length);
  assert_true(reset_on(env, uri, bitcode, length) > 0);
  cgym_free(uri);
  cgym_free(bitcode);

  /* C++. */
  assert_ok(cgym_make_benchmark_from_source(
      "template <typename T> struct Box { T value; T get() const { return value; } };\n"
      "int main() { Box<int> box{3}; return box.get() - 3; }\n",
      "c++", NULL, 0, &uri, &bitcode, &length));
  assert_bitcode(bitcode, length);
  assert_true(reset_on(env, uri, bitcode, length) > 0);
  char* module = NULL;
  assert_ok(cgym_env_observe_string(env, "Ir", &module, NULL));
  assert_non_null(strstr(module, "Box"));
  cgym_free(module);
  cgym_free(uri);
  cgym_free(bitcode);

  uri = NULL;
  bitcode = NULL;
  assert_fails(cgym_make_benchmark_from_source("int main(void) { return 0; }\n", "fortran", NULL, 0,
                                               &uri, &bitcode, &length),
               CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_make_benchmark_from_source("int main(void) { return ANSWER; }\n", "c", NULL, 0,
                                               &uri, &bitcode, &length),
               CGYM_BENCHMARK_INIT);
  assert_non_null(strstr(cgym_last_error_message(), "ANSWER"));
  assert_null(uri);
  assert_null(bitcode);
}

/* ------------------------------------------------------------------------------------- */
/* Validation                                                                              */

static void test_validate(void** state) {
  (void)state;
  cgym_env_t* env = make_env("llvm-ic-v0", "inproc", "benchmark://cgym-v0/fibonacci");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  int done = 1;
  assert_ok(cgym_step_name(env, "-mem2reg", &done, NULL));
  assert_ok(cgym_step_name(env, "-instcombine", &done, NULL));
  assert_ok(cgym_step_name(env, "-simplifycfg", &done, NULL));

  /* The current state replays to the same reward, and the program still behaves. */
  int okay = 0;
  char* result = NULL;
  assert_ok(cgym_env_validate(env, NULL, &okay, &result));
  if (!okay) fail_msg("validation failed: %s", result);
  assert_int_equal(json_bool(result, "reward_validated"), 1);
  assert_int_equal(json_bool(result, "benchmark_semantics_validated"), 1);
  assert_int_equal(json_bool(result, "benchmark_semantics_validation_failed"), 0);
  assert_int_equal(json_bool(result, "actions_replay_failed"), 0);
  cgym_free(result);

  /* The same state as JSON. */
  char* state_json = NULL;
  assert_ok(cgym_env_state_json(env, &state_json));
  okay = 0;
  assert_ok(cgym_env_validate(env, state_json, &okay, NULL));
  assert_int_equal(okay, 1);
  cgym_free(state_json);

  /* A wrong reward. */
  okay = 1;
  result = NULL;
  assert_ok(cgym_env_validate(env,
                              "{\"benchmark\": \"benchmark://cgym-v0/fibonacci\", "
                              "\"commandline\": \"-mem2reg -instcombine\", \"walltime\": 1.0, "
                              "\"reward\": 123.5}",
                              &okay, &result));
  assert_int_equal(okay, 0);
  assert_non_null(strstr(result, "Reward validation failed"));
  assert_int_equal(json_bool(result, "reward_validation_failed"), 1);
  cgym_free(result);

  /* A flag the action space does not have. */
  okay = 1;
  result = NULL;
  assert_ok(cgym_env_validate(env,
                              "{\"benchmark\": \"benchmark://cgym-v0/fibonacci\", "
                              "\"commandline\": \"-mem2reg -no-such-flag\", \"walltime\": 1.0, "
                              "\"reward\": 0.5}",
                              &okay, &result));
  assert_int_equal(okay, 0);
  assert_non_null(strstr(result, "Actions replay failed"));
  assert_int_equal(json_bool(result, "actions_replay_failed"), 1);
  cgym_free(result);

  /* Validation replays in a fork: the env's own episode goes on. */
  size_t actions = 0;
  assert_ok(cgym_env_action_count(env, &actions));
  assert_int_equal(actions, 3);
  assert_ok(cgym_step_name(env, "-gvn", &done, NULL));
  cgym_env_free(env);
}

int main(void) {
  /* The binaries built with this test, whatever the caller's environment says. */
  setenv("CGYM_LLVM_SERVICE", CGYM_LLVM_SERVICE, 1);
  setenv("CGYM_LLVM_PLUGIN", CGYM_LLVM_PLUGIN, 1);
  const struct CMUnitTest tests[] = {
      /* First: no plugin may be registered yet. */
      cmocka_unit_test_setup_teardown(test_missing_service, save_paths, restore_paths),
      cmocka_unit_test(test_env_ids),
      cmocka_unit_test(test_unknown_id),
      cmocka_unit_test_setup_teardown(test_service_path, save_paths, restore_paths),
      cmocka_unit_test(test_make_every_id_managed),
      cmocka_unit_test(test_make_every_id_in_process),
      cmocka_unit_test(test_options),
      cmocka_unit_test(test_rewards_by_hand),
      cmocka_unit_test_setup_teardown(test_add_cost_reward_errors, make_shared_env,
                                      free_shared_env),
      cmocka_unit_test_setup_teardown(test_custom_cost_reward, make_shared_env, free_shared_env),
      cmocka_unit_test(test_datasets),
      cmocka_unit_test(test_dataset_benchmarks),
      cmocka_unit_test(test_directory_dataset),
      cmocka_unit_test_setup_teardown(test_make_benchmark_from_files, make_shared_env,
                                      free_shared_env),
      cmocka_unit_test_setup_teardown(test_make_benchmark_from_source, make_shared_env,
                                      free_shared_env),
      cmocka_unit_test(test_validate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
