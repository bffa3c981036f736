/* SPDX-License-Identifier: MIT */
/* A C program that is not linked against libcgym: it opens libcgym.so.<abi> with dlopen,
 * resolves what it needs with dlsym, and runs an episode, as an agent in any language that
 * can dlopen a library would. Only the header's types and constants are used at build time. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cgym.h"

static void* library;

/* Resolves `name` from the library into a function pointer of the declared type. */
#define RESOLVE(name)                            \
  __typeof__(&name) p_##name;                    \
  do {                                           \
    void* symbol_ = dlsym(library, #name);       \
    assert_non_null(symbol_);                    \
    memcpy(&p_##name, &symbol_, sizeof symbol_); \
  } while (0)

static int open_library(void** state) {
  (void)state;
  library = dlopen(CGYM_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!library) fprintf(stderr, "dlopen: %s\n", dlerror());
  return library ? 0 : -1;
}

static int close_library(void** state) {
  (void)state;
  return dlclose(library);
}

static void test_version_matches_the_header(void** state) {
  RESOLVE(cgym_version_number);
  (void)state;
  /* A program built for one major version must refuse a library of another. */
  assert_int_equal(p_cgym_version_number() / 10000, CGYM_VERSION_MAJOR);
}

static void test_episode_through_dlsym(void** state) {
  RESOLVE(cgym_connect);
  RESOLVE(cgym_options_new);
  RESOLVE(cgym_options_set_benchmark);
  RESOLVE(cgym_options_free);
  RESOLVE(cgym_env_reset);
  RESOLVE(cgym_step_name);
  RESOLVE(cgym_step_index);
  RESOLVE(cgym_env_observe_string);
  RESOLVE(cgym_env_observe_int64s);
  RESOLVE(cgym_env_free);
  RESOLVE(cgym_free);
  RESOLVE(cgym_last_error_code);
  RESOLVE(cgym_last_error_message);
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  char* ir = NULL;
  int64_t features[3];
  size_t count = 0;
  int done = 1;
  (void)state;

  assert_int_equal(p_cgym_options_new(&options), CGYM_OK);
  assert_int_equal(
      p_cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/foo", "Ir data", 7),
      CGYM_OK);
  assert_int_equal(p_cgym_connect(&env, CGYM_SERVICE, options), CGYM_OK);
  p_cgym_options_free(options);
  assert_int_equal(p_cgym_env_reset(env, NULL, NULL), CGYM_OK);
  assert_int_equal(p_cgym_step_name(env, "b", &done, NULL), CGYM_OK);
  assert_int_equal(done, 0);
  assert_int_equal(p_cgym_env_observe_string(env, "ir", &ir, NULL), CGYM_OK);
  assert_string_equal(ir, "Hello, world!");
  p_cgym_free(ir);
  assert_int_equal(p_cgym_env_observe_int64s(env, "features", features, 3, &count), CGYM_OK);
  assert_int_equal(count, 3);
  assert_int_equal(p_cgym_step_index(env, 7, &done, NULL), CGYM_INVALID_ARGUMENT);
  assert_int_equal(p_cgym_last_error_code(), CGYM_INVALID_ARGUMENT);
  assert_string_equal(p_cgym_last_error_message(), "Out-of-range");
  p_cgym_env_free(env);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version_matches_the_header),
      cmocka_unit_test(test_episode_through_dlsym),
  };
  return cmocka_run_group_tests(tests, open_library, close_library);
}
