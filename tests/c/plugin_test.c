/* SPDX-License-Identifier: MIT */
/*
 * Session plugins (cgym_service_register_plugin): the example plugin registered and driven
 * in-process, registered twice and under two names, its entry point and exports, and every
 * error a plugin can cause, with the test plugins of tests/c/plugins.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <dlfcn.h>
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

#define BENCHMARK "benchmark://example-compiler-v0/foo"

static cgym_env_t* connect_env(const char* endpoint) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, BENCHMARK, NULL, 0));
  assert_ok(cgym_options_set_init_max_seconds(options, 30));
  assert_ok(cgym_connect(&env, endpoint, options));
  cgym_options_free(options);
  return env;
}

/* A short episode of the example service: reset, two steps, each observation, close. */
static void run_example_episode(cgym_env_t* env) {
  const char* service_version = NULL;
  const char* compiler_version = NULL;
  char* ir = NULL;
  int64_t features[3] = {-1, -1, -1};
  size_t count = 0;
  double runtime = -1;
  int done = 1;

  assert_ok(cgym_env_version(env, &service_version, &compiler_version));
  assert_string_equal(compiler_version, "1.0.0");
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_true(cgym_env_in_episode(env));
  assert_ok(cgym_step_name(env, "b", &done, NULL));
  assert_int_equal(done, 0);
  assert_ok(cgym_step_index(env, 2, &done, NULL));
  assert_int_equal(done, 0);
  assert_ok(cgym_env_action_count(env, &count));
  assert_int_equal(count, 2);
  /* The session's own check of an action (INVALID_ARGUMENT "Out-of-range"). */
  assert_fails(cgym_step_index(env, 3, &done, NULL), CGYM_INVALID_ARGUMENT);
  assert_string_equal(cgym_last_error_message(), "Out-of-range");

  assert_ok(cgym_env_observe_string(env, "ir", &ir, NULL));
  assert_string_equal(ir, "Hello, world!");
  cgym_free(ir);
  assert_ok(cgym_env_observe_int64s(env, "features", features, 3, &count));
  assert_int_equal(count, 3);
  assert_int_equal(features[0], 0);
  assert_int_equal(features[1], 0);
  assert_int_equal(features[2], 0);
  assert_ok(cgym_env_observe_double(env, "runtime", &runtime));
  assert_true(runtime == 0.0);
  assert_ok(cgym_env_close(env));
  assert_false(cgym_env_in_episode(env));
}

static int is_loaded(const char* path) {
  /* RTLD_NOLOAD: a handle only if the library is loaded (the reference is given back). */
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (handle == NULL) return 0;
  dlclose(handle);
  return 1;
}

/* --- The example plugin ------------------------------------------------------------------ */

static void test_example_plugin_episode(void** state) {
  cgym_env_t* env = NULL;
  (void)state;
  assert_ok(cgym_service_register_plugin("plugin-example", CGYM_EXAMPLE_PLUGIN));
  assert_true(is_loaded(CGYM_EXAMPLE_PLUGIN));
  env = connect_env("inproc:plugin-example");
  run_example_episode(env);
  cgym_env_free(env);
  assert_ok(cgym_service_unregister("plugin-example"));
  assert_fails(cgym_connect(&env, "inproc:plugin-example", NULL), CGYM_NOT_FOUND);
}

static void test_register_twice_and_under_two_names(void** state) {
  cgym_env_t* first = NULL;
  cgym_env_t* second = NULL;
  cgym_env_t* other = NULL;
  (void)state;
  assert_ok(cgym_service_register_plugin("plugin-twice", CGYM_EXAMPLE_PLUGIN));
  first = connect_env("inproc:plugin-twice");
  assert_ok(cgym_env_reset(first, NULL, NULL));
  /* Again under the same name: the new registration replaces it, the env keeps the old. */
  assert_ok(cgym_service_register_plugin("plugin-twice", CGYM_EXAMPLE_PLUGIN));
  assert_ok(cgym_service_register_plugin("plugin-other", CGYM_EXAMPLE_PLUGIN));
  second = connect_env("inproc:plugin-twice");
  other = connect_env("inproc:plugin-other");
  run_example_episode(second);
  run_example_episode(other);
  /* An env outlives the registration of its service (the library is never unloaded). */
  assert_ok(cgym_service_unregister("plugin-twice"));
  assert_ok(cgym_service_unregister("plugin-other"));
  run_example_episode(first);
  cgym_env_free(first);
  cgym_env_free(second);
  cgym_env_free(other);
}

/* Loading a path again reuses the library and calls its entry point again. */
static void test_reload_calls_the_entry_again(void** state) {
  void* handle = NULL;
  int* calls = NULL;
  cgym_env_t* env = NULL;
  (void)state;
  assert_false(is_loaded(CGYM_TEST_PLUGIN_COUNTING));
  assert_ok(cgym_service_register_plugin("plugin-counting", CGYM_TEST_PLUGIN_COUNTING));
  handle = dlopen(CGYM_TEST_PLUGIN_COUNTING, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  assert_non_null(handle);
  calls = (int*)dlsym(handle, "cgym_test_plugin_entry_calls");
  assert_non_null(calls);
  assert_int_equal(*calls, 1);
  assert_ok(cgym_service_register_plugin("plugin-counting", CGYM_TEST_PLUGIN_COUNTING));
  assert_int_equal(*calls, 2);
  env = connect_env("inproc:plugin-counting");
  run_example_episode(env);
  cgym_env_free(env);
  assert_ok(cgym_service_unregister("plugin-counting"));
  /* Still loaded after the registration is gone: the counter still reads. */
  assert_true(is_loaded(CGYM_TEST_PLUGIN_COUNTING));
  assert_int_equal(*calls, 2);
  dlclose(handle);
}

/* The entry point itself: it checks the ABI version, and it is the only symbol exported. */
static void test_example_plugin_entry_point(void** state) {
  void* handle = dlopen(CGYM_EXAMPLE_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  cgym_plugin_entry_t entry;
  cgym_service_def_t* def = NULL;
  void* symbol;
  (void)state;
  assert_non_null(handle);
  symbol = dlsym(handle, CGYM_PLUGIN_ENTRY_NAME);
  assert_non_null(symbol);
  /* POSIX's way from a data pointer to a function pointer. */
  memcpy(&entry, &symbol, sizeof(entry));
  assert_int_equal(entry(CGYM_ABI_VERSION + 1, &def), CGYM_FAILED_PRECONDITION);
  assert_null(def);
  assert_non_null(strstr(cgym_last_error_message(), "ABI version"));
  assert_int_equal(entry(CGYM_ABI_VERSION, &def), CGYM_OK);
  assert_non_null(def);
  cgym_service_def_free(def);
  /* Only the entry point leaves the plugin: its session code is hidden. */
  assert_null(dlsym(handle, "example_service_def_new"));
  dlclose(handle);
}

/* --- Errors ------------------------------------------------------------------------------ */

static void test_bad_arguments(void** state) {
  (void)state;
  assert_fails(cgym_service_register_plugin(NULL, CGYM_EXAMPLE_PLUGIN), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_register_plugin("", CGYM_EXAMPLE_PLUGIN), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "name"));
  assert_fails(cgym_service_register_plugin("plugin-bad", NULL), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_service_register_plugin("plugin-bad", ""), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "path"));
}

static void test_missing_file(void** state) {
  cgym_env_t* env = NULL;
  (void)state;
  assert_fails(cgym_service_register_plugin("plugin-missing", "/nonexistent/libno-plugin.so"),
               CGYM_NOT_FOUND);
  assert_non_null(strstr(cgym_last_error_message(), "/nonexistent/libno-plugin.so"));
  /* A bare name is a file in the working directory, not a search of the library path. */
  assert_fails(cgym_service_register_plugin("plugin-missing", "libc.so.6"), CGYM_NOT_FOUND);
  assert_fails(cgym_connect(&env, "inproc:plugin-missing", NULL), CGYM_NOT_FOUND);
}

/* A file that is not a shared library: the loader's own message is in the error. */
static void test_not_a_library(void** state) {
  char directory[] = "/tmp/cgym-plugin-test-XXXXXX";
  char path[sizeof(directory) + 16];
  const char* loader_message;
  FILE* file;
  (void)state;
  assert_non_null(mkdtemp(directory));
  snprintf(path, sizeof(path), "%s/fake.so", directory);
  file = fopen(path, "w");
  assert_non_null(file);
  fputs("not an ELF file\n", file);
  fclose(file);

  assert_fails(cgym_service_register_plugin("plugin-fake", path), CGYM_SERVICE_INIT);
  assert_null(dlopen(path, RTLD_NOW | RTLD_LOCAL));
  loader_message = dlerror();
  assert_non_null(loader_message);
  if (strstr(cgym_last_error_message(), loader_message) == NULL) {
    fail_msg("'%s' does not hold the loader's message '%s'", cgym_last_error_message(),
             loader_message);
  }
  unlink(path);
  rmdir(directory);
}

static void test_missing_dependency(void** state) {
  (void)state;
  assert_fails(
      cgym_service_register_plugin("plugin-dependency", CGYM_TEST_PLUGIN_MISSING_DEPENDENCY),
      CGYM_SERVICE_INIT);
  assert_non_null(strstr(cgym_last_error_message(), "libcgym_test_plugin_dependency.so"));
}

static void test_no_entry_point(void** state) {
  (void)state;
  assert_fails(cgym_service_register_plugin("plugin-no-entry", CGYM_TEST_PLUGIN_NO_ENTRY),
               CGYM_SERVICE_INIT);
  assert_non_null(strstr(cgym_last_error_message(), "not a libcgym session plugin"));
  assert_non_null(strstr(cgym_last_error_message(), CGYM_PLUGIN_ENTRY_NAME));
  /* Loaded all the same: a library is never unloaded. */
  assert_true(is_loaded(CGYM_TEST_PLUGIN_NO_ENTRY));
}

static void test_entry_point_fails(void** state) {
  cgym_env_t* env = NULL;
  (void)state;
  assert_fails(cgym_service_register_plugin("plugin-fails", CGYM_TEST_PLUGIN_FAILS),
               CGYM_UNAVAILABLE);
  assert_string_equal(cgym_last_error_message(), "the test plugin's compiler is not installed");
  assert_fails(cgym_service_register_plugin("plugin-fails", CGYM_TEST_PLUGIN_FAILS_SILENTLY),
               CGYM_PERMISSION_DENIED);
  assert_string_equal(cgym_last_error_message(),
                      CGYM_PLUGIN_ENTRY_NAME " failed with PERMISSION_DENIED");
  assert_fails(cgym_connect(&env, "inproc:plugin-fails", NULL), CGYM_NOT_FOUND);
}

static void test_entry_point_without_definition(void** state) {
  (void)state;
  assert_fails(cgym_service_register_plugin("plugin-null", CGYM_TEST_PLUGIN_NULL_DEF),
               CGYM_SERVICE_INIT);
  assert_non_null(strstr(cgym_last_error_message(), "without a service definition"));
}

/* A definition without spaces is refused as by cgym_service_register; the def and its
 * service data are released (LeakSanitizer checks this under ASan). */
static void test_definition_without_spaces(void** state) {
  (void)state;
  assert_fails(cgym_service_register_plugin("plugin-no-spaces", CGYM_TEST_PLUGIN_NO_SPACES),
               CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "no action space"));
}

/* A failure does not disturb a registration of that name made before. */
static void test_failure_keeps_the_registered_service(void** state) {
  cgym_env_t* env = NULL;
  (void)state;
  assert_ok(cgym_service_register_plugin("plugin-kept", CGYM_EXAMPLE_PLUGIN));
  assert_fails(cgym_service_register_plugin("plugin-kept", CGYM_TEST_PLUGIN_NULL_DEF),
               CGYM_SERVICE_INIT);
  env = connect_env("inproc:plugin-kept");
  run_example_episode(env);
  cgym_env_free(env);
  assert_ok(cgym_service_unregister("plugin-kept"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_example_plugin_episode),
      cmocka_unit_test(test_register_twice_and_under_two_names),
      cmocka_unit_test(test_reload_calls_the_entry_again),
      cmocka_unit_test(test_example_plugin_entry_point),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_not_a_library),
      cmocka_unit_test(test_missing_dependency),
      cmocka_unit_test(test_no_entry_point),
      cmocka_unit_test(test_entry_point_fails),
      cmocka_unit_test(test_entry_point_without_definition),
      cmocka_unit_test(test_definition_without_spaces),
      cmocka_unit_test(test_failure_keeps_the_registered_service),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
