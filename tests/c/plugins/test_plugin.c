/* SPDX-License-Identifier: MIT */
/*
 * Session plugins that misbehave, one per way that cgym_service_register_plugin() must
 * report, built once per mode (CGYM_TEST_PLUGIN_<MODE>, tests/c/CMakeLists.txt) for
 * plugin_test.c:
 *   NO_ENTRY            a shared library without the entry point
 *   FAILS               an entry point that fails with its own code and message
 *   FAILS_SILENTLY      an entry point that fails without a message
 *   NULL_DEF            an entry point that returns OK without a definition
 *   NO_SPACES           a definition without spaces, with service data to release
 *   MISSING_DEPENDENCY  a plugin that needs a library the dynamic loader cannot find
 *   COUNTING            the example session, counting the calls of its entry point
 */
#include <stdlib.h>

#include "cgym.h"

#if defined(CGYM_TEST_PLUGIN_COUNTING)
#include "example_session.h"
#endif

#define EXPORT __attribute__((visibility("default")))

#if defined(CGYM_TEST_PLUGIN_NO_ENTRY)

/* Something else, so that the library is a real one that loads. */
EXPORT int cgym_test_plugin_answer(void);
int cgym_test_plugin_answer(void) { return 42; }

#else

EXPORT cgym_status_t cgym_plugin_service_def(uint32_t abi_version, cgym_service_def_t** out);

#if defined(CGYM_TEST_PLUGIN_COUNTING)
/* The number of calls of the entry point, read by the test through dlsym(). */
EXPORT int cgym_test_plugin_entry_calls;
int cgym_test_plugin_entry_calls = 0;
#endif

#if defined(CGYM_TEST_PLUGIN_NO_SPACES) || defined(CGYM_TEST_PLUGIN_MISSING_DEPENDENCY)
static cgym_status_t stub_init(void* service_data, const cgym_action_space_t* action_space,
                               const char* benchmark_uri, const void* program,
                               size_t program_length, void** session) {
  (void)service_data;
  (void)action_space;
  (void)benchmark_uri;
  (void)program;
  (void)program_length;
  *session = NULL;
  return CGYM_OK;
}
static cgym_status_t stub_apply_action(void* session, const cgym_event_t* action,
                                       int* end_of_episode, int* action_had_no_effect,
                                       int32_t* new_action_space) {
  (void)session;
  (void)action;
  (void)end_of_episode;
  (void)action_had_no_effect;
  (void)new_action_space;
  return CGYM_OK;
}
static cgym_status_t stub_get_observation(void* session, int32_t index,
                                          const cgym_observation_space_t* space,
                                          cgym_event_t* observation) {
  (void)session;
  (void)index;
  (void)space;
  return cgym_event_set_int64(observation, 0);
}
static void stub_destroy(void* session) { (void)session; }
#endif

#if defined(CGYM_TEST_PLUGIN_MISSING_DEPENDENCY)
/* Defined by a library that is not on any search path of the loader. */
int cgym_test_plugin_dependency(void);
#endif

cgym_status_t cgym_plugin_service_def(uint32_t abi_version, cgym_service_def_t** out) {
  (void)abi_version;
#if defined(CGYM_TEST_PLUGIN_FAILS)
  (void)out;
  return cgym_set_error(CGYM_UNAVAILABLE, "the test plugin's compiler is not installed");
#elif defined(CGYM_TEST_PLUGIN_FAILS_SILENTLY)
  (void)out;
  return CGYM_PERMISSION_DENIED;
#elif defined(CGYM_TEST_PLUGIN_NULL_DEF)
  *out = NULL;
  return CGYM_OK;
#elif defined(CGYM_TEST_PLUGIN_COUNTING)
  ++cgym_test_plugin_entry_calls;
  return example_service_def_new(out);
#else /* NO_SPACES, MISSING_DEPENDENCY: a definition without spaces */
  {
    cgym_session_vtable_t vtable = {0};
    void* service_data = malloc(64); /* released by free, as service_data_free */
    vtable.version = CGYM_SESSION_VTABLE_VERSION;
    vtable.init = stub_init;
    vtable.apply_action = stub_apply_action;
    vtable.get_observation = stub_get_observation;
    vtable.destroy = stub_destroy;
    vtable.service_data_free = free;
#if defined(CGYM_TEST_PLUGIN_MISSING_DEPENDENCY)
    if (cgym_test_plugin_dependency() != 7) return CGYM_INTERNAL;
#endif
    return cgym_service_def_new(out, &vtable, service_data);
  }
#endif
}

#endif
