/* SPDX-License-Identifier: MIT */
/*
 * The LLVM environment in-process from C: libcgym-llvm.so registered with
 * cgym_service_register_plugin and driven through cgym.h alone (reset on a bundled program,
 * steps, observations, a fork, a session parameter), and its errors: a bad action, a benchmark
 * that does not parse, an entry point called for another ABI.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

#define MEM2REG 103
#define INSTCOMBINE 53

static cgym_env_t* connect_llvm(const char* benchmark, const void* program, size_t length) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, benchmark, program, length));
  assert_ok(cgym_connect(&env, "inproc:llvm", options));
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

static int setup(void** state) {
  (void)state;
  return cgym_service_register_plugin("llvm", CGYM_LLVM_PLUGIN) == CGYM_OK ? 0 : -1;
}

static void episode_in_process(void** state) {
  (void)state;
  cgym_env_t* env = connect_llvm("benchmark://cgym-v0/fibonacci", NULL, 0);
  int done = 1;
  assert_ok(cgym_env_reset(env, NULL, NULL));

  /* The CommandlineSpace arrives as named actions: CompilerGym's flags, in its order. */
  const cgym_action_space_t* space = cgym_env_action_space(env);
  assert_string_equal(cgym_action_space_name(space), "PassesAll");
  const cgym_space_t* actions = cgym_action_space_space(space);
  assert_int_equal(cgym_space_kind(actions), CGYM_SPACE_NAMED_DISCRETE);
  assert_string_equal(cgym_space_type_id(actions), "commandline");
  size_t names = 0;
  const char* name = NULL;
  assert_ok(cgym_space_name_count(actions, &names));
  assert_int_equal(names, 124);
  assert_ok(cgym_space_name_at(actions, MEM2REG, &name));
  assert_string_equal(name, "-mem2reg");

  const int64_t before = observe_int64(env, "IrInstructionCount");
  assert_true(before > 0);
  assert_ok(cgym_step_name(env, "-mem2reg", &done, NULL));
  assert_int_equal(done, 0);
  const int64_t after = observe_int64(env, "IrInstructionCount");
  assert_true(after < before);

  int64_t counts[70];
  size_t count = 0;
  assert_ok(cgym_env_observe_int64s(env, "InstCount", counts, 70, &count));
  assert_int_equal(count, 70);
  assert_int_equal(counts[0], after);

  char* sha1 = NULL;
  size_t length = 0;
  assert_ok(cgym_env_observe_string(env, "IrSha1", &sha1, &length));
  assert_int_equal(length, 40);
  cgym_free(sha1);

  /* A fork is independent of its parent. */
  char* ir = NULL;
  assert_ok(cgym_env_observe_string(env, "Ir", &ir, NULL));
  assert_non_null(strstr(ir, "define"));
  cgym_env_t* fork = NULL;
  assert_ok(cgym_fork(env, &fork));
  assert_ok(cgym_step_index(fork, INSTCOMBINE, &done, NULL));
  char* parent_ir = NULL;
  assert_ok(cgym_env_observe_string(env, "Ir", &parent_ir, NULL));
  assert_string_equal(parent_ir, ir);
  cgym_free(parent_ir);
  cgym_free(ir);
  cgym_env_free(fork);

  /* The session's own errors reach the caller. */
  assert_fails(cgym_step_index(env, 124, &done, NULL), CGYM_INVALID_ARGUMENT);
  cgym_env_free(env);
}

static void benchmark_that_does_not_parse(void** state) {
  (void)state;
  static const char program[] = "not LLVM";
  cgym_env_t* env = connect_llvm("benchmark://test/bad", program, sizeof(program) - 1);
  /* INVALID_ARGUMENT, as over gRPC (CompilerGym's client raises ValueError, the parent of
   * BenchmarkInitError), with LLVM's diagnostic. */
  assert_fails(cgym_env_reset(env, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "expected top-level entity"));
  assert_non_null(strstr(cgym_last_error_message(), "Failed to parse LLVM bitcode"));
  cgym_env_free(env);
}

static void entry_point_refuses_another_abi(void** state) {
  (void)state;
  void* library = dlopen(CGYM_LLVM_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  assert_non_null(library);
  void* symbol = dlsym(library, CGYM_PLUGIN_ENTRY_NAME);
  assert_non_null(symbol);
  cgym_plugin_entry_t entry = NULL;
  memcpy(&entry, &symbol, sizeof(entry)); /* ISO C has no object-to-function pointer cast */
  cgym_service_def_t* def = NULL;
  assert_fails(entry(CGYM_ABI_VERSION + 1, &def), CGYM_FAILED_PRECONDITION);
  assert_null(def);
  assert_ok(entry(CGYM_ABI_VERSION, &def));
  cgym_service_def_free(def);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(episode_in_process),
      cmocka_unit_test(benchmark_that_does_not_parse),
      cmocka_unit_test(entry_point_refuses_another_abi),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
