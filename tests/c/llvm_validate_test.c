/* SPDX-License-Identifier: MIT */
/* cgym_env_validate() on the LLVM environment: replay, reward, and the behaviour of runnable
 * programs. The semantics check's failures are produced with stand-ins for clang (CGYM_CLANG)
 * that build the unoptimised program properly and the replayed one wrongly, since no LLVM pass
 * of ours is known to miscompile. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

static char temp_dir[256];

static int setup(void** state) {
  (void)state;
  setenv("CGYM_LLVM_PLUGIN", CGYM_LLVM_PLUGIN, 1);
  snprintf(temp_dir, sizeof temp_dir, "%s/cgym-validate-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  return mkdtemp(temp_dir) ? 0 : -1;
}

static int teardown(void** state) {
  (void)state;
  char command[512];
  snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
  return system(command) == 0 ? 0 : -1;
}

/* An env on a bundled, runnable program after a few actions. */
static cgym_env_t* episode(const char* benchmark) {
  cgym_options_t* options = NULL;
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, benchmark, NULL, 0));
  cgym_env_t* env = NULL;
  assert_ok(cgym_make(&env, "llvm-ic-v0", "inproc", options));
  cgym_options_free(options);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  const char* actions[] = {"-mem2reg", "-instcombine", "-simplifycfg", "-gvn", "-licm"};
  for (size_t i = 0; i < sizeof actions / sizeof actions[0]; ++i) {
    assert_ok(cgym_step_name(env, actions[i], NULL, NULL));
  }
  return env;
}

/* Validates the env's state; returns the result JSON (owned) and sets *okay. */
static char* validate(cgym_env_t* env, int* okay) {
  char* json = NULL;
  assert_ok(cgym_env_validate(env, NULL, okay, &json));
  assert_non_null(json);
  return json;
}

/* A stand-in for clang: real clang for its first `real_builds` runs, then it "builds" a
 * program that is the shell script `body`. */
static void fake_clang(const char* body, int real_builds) {
  char path[512], count[512];
  snprintf(path, sizeof path, "%s/clang", temp_dir);
  snprintf(count, sizeof count, "%s/count", temp_dir);
  unlink(count);
  FILE* file = fopen(path, "w");
  assert_non_null(file);
  fprintf(file,
          "#!/bin/sh\n"
          "n=$(cat '%s' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '%s'\n"
          "if [ $n -le %d ]; then exec '%s' \"$@\"; fi\n"
          "out=; prev=; for a in \"$@\"; do [ \"$prev\" = -o ] && out=$a; prev=$a; done\n"
          "printf '#!/bin/sh\\n%%s\\n' '%s' > \"$out\" && chmod +x \"$out\"\n",
          count, count, real_builds, CGYM_TEST_CLANG, body);
  assert_int_equal(fclose(file), 0);
  assert_int_equal(chmod(path, 0755), 0);
  setenv("CGYM_CLANG", path, 1);
}

static void a_replayed_program_that_behaves_the_same_validates(void** state) {
  (void)state;
  unsetenv("CGYM_CLANG");
  cgym_env_t* env = episode("benchmark://cgym-v0/fibonacci");
  int okay = 0;
  char* json = validate(env, &okay);
  assert_int_equal(okay, 1);
  assert_non_null(strstr(json, "\"benchmark_semantics_validated\": true"));
  assert_non_null(strstr(json, "\"reward_validated\": true"));
  assert_non_null(strstr(json, "\"errors\": []"));
  cgym_free(json);
  cgym_env_free(env);
}

static void different_output_is_wrong_output(void** state) {
  (void)state;
  fake_clang("echo something else", 1);
  cgym_env_t* env = episode("benchmark://cgym-v0/fibonacci");
  int okay = 1;
  char* json = validate(env, &okay);
  unsetenv("CGYM_CLANG");
  assert_int_equal(okay, 0);
  assert_non_null(strstr(json, "\"type\": \"Wrong output\""));
  assert_non_null(strstr(json, "\"benchmark_semantics_validation_failed\": true"));
  cgym_free(json);
  cgym_env_free(env);
}

static void a_failing_program_is_a_runtime_error(void** state) {
  (void)state;
  fake_clang("exit 3", 1);
  cgym_env_t* env = episode("benchmark://cgym-v0/primes");
  int okay = 1;
  char* json = validate(env, &okay);
  unsetenv("CGYM_CLANG");
  assert_int_equal(okay, 0);
  assert_non_null(strstr(json, "\"type\": \"Runtime error\""));
  assert_non_null(strstr(json, "exited with status 3"));
  cgym_free(json);
  cgym_env_free(env);
}

static void a_program_that_does_not_build_is_a_compilation_failure(void** state) {
  (void)state;
  setenv("CGYM_CLANG", "/bin/false", 1);
  cgym_env_t* env = episode("benchmark://cgym-v0/fibonacci");
  int okay = 1;
  char* json = validate(env, &okay);
  unsetenv("CGYM_CLANG");
  assert_int_equal(okay, 0);
  /* The unoptimised program is built first: its failure is the gold standard's. */
  assert_non_null(strstr(json, "\"type\": \"Gold standard: Compilation failed\""));
  cgym_free(json);
  cgym_env_free(env);
}

static void a_benchmark_that_cannot_run_is_not_checked(void** state) {
  (void)state;
  setenv("CGYM_CLANG", "/bin/false", 1); /* would fail any build */
  cgym_env_t* env = episode("generator://llvm-stress-v0/3");
  int okay = 0;
  char* json = validate(env, &okay);
  unsetenv("CGYM_CLANG");
  assert_int_equal(okay, 1);
  assert_non_null(strstr(json, "\"benchmark_semantics_validated\": false"));
  cgym_free(json);
  cgym_env_free(env);
}

static void a_wrong_reward_and_an_unknown_flag_fail_validation(void** state) {
  (void)state;
  cgym_env_t* env = episode("benchmark://cgym-v0/fibonacci");
  int okay = 1;
  char* json = NULL;
  assert_ok(cgym_env_validate(env,
                              "{\"benchmark\": \"benchmark://cgym-v0/fibonacci\", "
                              "\"commandline\": \"-mem2reg -gvn\", \"walltime\": 1, "
                              "\"reward\": 123.5}",
                              &okay, &json));
  assert_int_equal(okay, 0);
  assert_non_null(strstr(json, "\"type\": \"Reward validation failed\""));
  assert_non_null(strstr(json, "\"expected_reward\": 123.5"));
  cgym_free(json);
  assert_ok(cgym_env_validate(env,
                              "{\"benchmark\": \"benchmark://cgym-v0/fibonacci\", "
                              "\"commandline\": \"-mem2reg -no-such-pass\", \"walltime\": 1, "
                              "\"reward\": 0.5}",
                              &okay, &json));
  assert_int_equal(okay, 0);
  assert_non_null(strstr(json, "\"type\": \"Actions replay failed\""));
  cgym_free(json);
  cgym_env_free(env);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_replayed_program_that_behaves_the_same_validates),
      cmocka_unit_test(different_output_is_wrong_output),
      cmocka_unit_test(a_failing_program_is_a_runtime_error),
      cmocka_unit_test(a_program_that_does_not_build_is_a_compilation_failure),
      cmocka_unit_test(a_benchmark_that_cannot_run_is_not_checked),
      cmocka_unit_test(a_wrong_reward_and_an_unknown_flag_fail_validation),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
