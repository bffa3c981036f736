/* SPDX-License-Identifier: MIT */
#include "bench_session.h"

#include <stdlib.h>
#include <string.h>

#define MIB ((size_t)1 << 20)

/* The big observations' bytes, made once: computing an observation costs one copy into the
 * event, as a reply buffer costs the raw reference one copy. */
static const char* big_payload(void) {
  static char* payload = NULL;
  if (!payload) {
    payload = (char*)malloc(16 * MIB);
    if (payload) memset(payload, 'x', 16 * MIB);
  }
  return payload;
}

static cgym_status_t bench_init(void* service_data, const cgym_action_space_t* action_space,
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

static cgym_status_t bench_fork(void* session, void** new_session) {
  (void)session;
  *new_session = NULL;
  return CGYM_OK;
}

static cgym_status_t bench_apply_action(void* session, const cgym_event_t* action,
                                        int* end_of_episode, int* action_had_no_effect,
                                        int32_t* new_action_space) {
  int64_t choice = 0;
  (void)session;
  (void)end_of_episode;
  (void)action_had_no_effect;
  (void)new_action_space;
  if (cgym_event_kind(action) == CGYM_EVENT_INT64) {
    cgym_status_t status = cgym_event_get_int64(action, &choice);
    if (status != CGYM_OK) return status;
  }
  if (choice < 0 || choice >= 3) return cgym_set_error(CGYM_INVALID_ARGUMENT, "Out-of-range");
  return CGYM_OK;
}

static cgym_status_t bench_get_observation(void* session, int32_t index,
                                           const cgym_observation_space_t* space,
                                           cgym_event_t* observation) {
  static const char ir[] = "Hello, world!";
  const char* payload;
  (void)session;
  (void)space;
  if (index == 0) return cgym_event_set_string(observation, ir, strlen(ir));
  payload = big_payload();
  if (!payload) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
  return cgym_event_set_string(observation, payload, index == 1 ? MIB : 16 * MIB);
}

static void bench_destroy(void* session) { (void)session; }

static const char* bench_compiler_version(void* service_data) {
  (void)service_data;
  return "1.0.0";
}

static cgym_status_t add_string_space(cgym_service_def_t* def, const char* name) {
  cgym_space_t* space = NULL;
  cgym_observation_space_t* observation_space = NULL;
  cgym_status_t status = cgym_space_new_string(&space, 0, -1);
  if (status == CGYM_OK) {
    status = cgym_observation_space_new(&observation_space, name, space, 1, 0, NULL);
  }
  if (status == CGYM_OK) status = cgym_service_def_add_observation_space(def, observation_space);
  cgym_observation_space_free(observation_space);
  cgym_space_free(space);
  return status;
}

cgym_service_def_t* bench_service_def_new(void) {
  static const char* const names[3] = {"a", "b", "c"};
  cgym_session_vtable_t vtable;
  cgym_service_def_t* def = NULL;
  cgym_space_t* space = NULL;
  cgym_action_space_t* action_space = NULL;
  cgym_status_t status;

  memset(&vtable, 0, sizeof(vtable));
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = bench_init;
  vtable.fork = bench_fork;
  vtable.apply_action = bench_apply_action;
  vtable.get_observation = bench_get_observation;
  vtable.destroy = bench_destroy;
  vtable.compiler_version = bench_compiler_version;
  if (!big_payload()) return NULL;
  status = cgym_service_def_new(&def, &vtable, NULL);
  if (status == CGYM_OK) status = cgym_space_new_named_discrete(&space, names, 3);
  if (status == CGYM_OK) status = cgym_action_space_new(&action_space, "default", space);
  if (status == CGYM_OK) status = cgym_service_def_add_action_space(def, action_space);
  cgym_action_space_free(action_space);
  cgym_space_free(space);
  if (status == CGYM_OK) status = add_string_space(def, "ir");
  if (status == CGYM_OK) status = add_string_space(def, "obs_1m");
  if (status == CGYM_OK) status = add_string_space(def, "obs_16m");
  if (status != CGYM_OK) {
    cgym_service_def_free(def);
    return NULL;
  }
  return def;
}
