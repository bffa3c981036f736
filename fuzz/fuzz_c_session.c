/* SPDX-License-Identifier: MIT */
/*
 * A stateful session written in C that uses every slot of cgym_session_vtable_t, so that the
 * fuzzer reaches every path of the runtime's C session adapter (src/capi/service.cc), which the
 * stateless example session (services/example) leaves out: service data with its release,
 * fork, end_of_step, handle_session_parameter, slots that fail (with and without a message,
 * with gRPC codes, cgym.h's own codes and unknown codes), and slots that end the episode or
 * change the action space (to a valid index or not).
 *
 *   action spaces   "discrete" (16 actions), "named" (a, b, c)
 *   observations    "actions" (the int64 actions so far), "uri" (the benchmark URI),
 *                   "count" (the number of actions), "summary" (a dict), "flaky" (a double
 *                   that fails one time in three)
 *
 * An int64 action v does what v & 7 says, with arg = v >> 3:
 *   0 record v;  1 record v and end the episode;  2 no effect;  3 set new_action_space to
 *   arg % 4 - 1 (2 is out of range);  4 fail with code arg % 120 and a message;  5 fail with
 *   code arg % 120 and no message;  6, 7 record v.
 * A string action records its length and ends the episode if it is "end"; a list or dict
 * records its size; other kinds are INVALID_ARGUMENT. At most MAX_ACTIONS are kept.
 */
#include "fuzz_c_session.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ACTIONS 4096

enum { OBS_ACTIONS, OBS_URI, OBS_COUNT, OBS_SUMMARY, OBS_FLAKY };

typedef struct {
  char* uri;
  int64_t* actions;
  size_t count;
  size_t capacity;
  char reply[32];
} fuzz_session;

static char* copy_string(const char* text) {
  size_t length = strlen(text);
  char* copy = (char*)malloc(length + 1);
  if (copy) memcpy(copy, text, length + 1);
  return copy;
}

static void session_free(fuzz_session* s) {
  if (!s) return;
  free(s->uri);
  free(s->actions);
  free(s);
}

static cgym_status_t record(fuzz_session* s, int64_t value) {
  if (s->count == MAX_ACTIONS) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Too many actions");
  if (s->count == s->capacity) {
    size_t capacity = s->capacity ? 2 * s->capacity : 8;
    int64_t* actions = (int64_t*)realloc(s->actions, capacity * sizeof(int64_t));
    if (!actions) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
    s->actions = actions;
    s->capacity = capacity;
  }
  s->actions[s->count++] = value;
  return CGYM_OK;
}

static cgym_status_t fuzz_init(void* service_data, const cgym_action_space_t* action_space,
                               const char* benchmark_uri, const void* program,
                               size_t program_length, void** session) {
  fuzz_session* s;
  (void)service_data;
  if (strstr(benchmark_uri, "fail")) {
    return cgym_set_error(CGYM_BENCHMARK_INIT, "This benchmark fails on purpose");
  }
  /* A program that starts with '!' fails without a message. */
  if (program_length > 0 && ((const char*)program)[0] == '!') return CGYM_INVALID_ARGUMENT;
  s = (fuzz_session*)calloc(1, sizeof(fuzz_session));
  if (!s) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
  s->uri = copy_string(benchmark_uri);
  if (!s->uri) {
    session_free(s);
    return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
  }
  /* The action space's name is readable for the call. */
  if (strcmp(cgym_action_space_name(action_space), "named") == 0 && record(s, -1) != CGYM_OK) {
    session_free(s);
    return CGYM_RESOURCE_EXHAUSTED;
  }
  *session = s;
  return CGYM_OK;
}

static cgym_status_t fuzz_fork(void* session, void** new_session) {
  const fuzz_session* s = (const fuzz_session*)session;
  fuzz_session* copy;
  if (strstr(s->uri, "nofork")) return cgym_set_error(CGYM_UNIMPLEMENTED, "No fork here");
  copy = (fuzz_session*)calloc(1, sizeof(fuzz_session));
  if (!copy) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
  copy->uri = copy_string(s->uri);
  if (s->count) {
    copy->actions = (int64_t*)malloc(s->count * sizeof(int64_t));
    if (copy->actions) memcpy(copy->actions, s->actions, s->count * sizeof(int64_t));
  }
  if (!copy->uri || (s->count && !copy->actions)) {
    session_free(copy);
    return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
  }
  copy->count = copy->capacity = s->count;
  *new_session = copy;
  return CGYM_OK;
}

static cgym_status_t fuzz_apply_action(void* session, const cgym_event_t* action,
                                       int* end_of_episode, int* action_had_no_effect,
                                       int32_t* new_action_space) {
  fuzz_session* s = (fuzz_session*)session;
  cgym_status_t status;
  int64_t value = 0;
  size_t count = 0;
  const char* data = NULL;
  switch (cgym_event_kind(action)) {
    case CGYM_EVENT_INT64: {
      uint64_t arg;
      status = cgym_event_get_int64(action, &value);
      if (status != CGYM_OK) return status;
      arg = (uint64_t)value >> 3;
      switch (value & 7) {
        case 1:
          *end_of_episode = 1;
          return record(s, value);
        case 2:
          *action_had_no_effect = 1;
          return CGYM_OK;
        case 3:
          *new_action_space = (int32_t)(arg % 4) - 1;
          return CGYM_OK;
        case 4:
          return cgym_set_error((cgym_status_t)(arg % 120), "apply_action fails on purpose");
        case 5:
          return (cgym_status_t)(arg % 120);
        default:
          return record(s, value);
      }
    }
    case CGYM_EVENT_STRING:
      status = cgym_event_get_string(action, &data, &count);
      if (status != CGYM_OK) return status;
      if (count == 3 && memcmp(data, "end", 3) == 0) *end_of_episode = 1;
      return record(s, (int64_t)count);
    case CGYM_EVENT_LIST:
      status = cgym_event_list_count(action, &count);
      return status == CGYM_OK ? record(s, (int64_t)count) : status;
    case CGYM_EVENT_DICT:
      status = cgym_event_dict_count(action, &count);
      return status == CGYM_OK ? record(s, (int64_t)count) : status;
    default:
      return cgym_set_error(CGYM_INVALID_ARGUMENT, "Unsupported action kind");
  }
}

static cgym_status_t fuzz_get_observation(void* session, int32_t index,
                                          const cgym_observation_space_t* space,
                                          cgym_event_t* observation) {
  fuzz_session* s = (fuzz_session*)session;
  cgym_status_t status;
  (void)space;
  switch (index) {
    case OBS_ACTIONS: {
      uint64_t shape[1];
      shape[0] = s->count;
      return cgym_event_set_tensor(observation, CGYM_EVENT_INT64_TENSOR, shape, 1, s->actions,
                                   s->count);
    }
    case OBS_URI:
      return cgym_event_set_string(observation, s->uri, strlen(s->uri));
    case OBS_COUNT:
      return cgym_event_set_int64(observation, (int64_t)s->count);
    case OBS_SUMMARY: {
      /* {"uri": the URI, "last": [the last action]} */
      cgym_event_t* item = NULL;
      cgym_event_t* last = NULL;
      status = cgym_event_set_dict(observation);
      if (status == CGYM_OK) status = cgym_event_new_string(&item, s->uri, strlen(s->uri));
      if (status == CGYM_OK) status = cgym_event_dict_set(observation, "uri", 3, item);
      cgym_event_free(item);
      item = NULL;
      if (status == CGYM_OK) status = cgym_event_new_list(&last);
      if (status == CGYM_OK && s->count) {
        status = cgym_event_new_int64(&item, s->actions[s->count - 1]);
        if (status == CGYM_OK) status = cgym_event_list_append(last, item);
      }
      if (status == CGYM_OK) status = cgym_event_dict_set(observation, "last", 4, last);
      cgym_event_free(item);
      cgym_event_free(last);
      return status;
    }
    case OBS_FLAKY:
      if (s->count % 3 == 2) return cgym_set_error(CGYM_UNAVAILABLE, "flaky fails on purpose");
      return cgym_event_set_double(observation, (double)s->count / 3);
    default:
      return cgym_set_error(CGYM_INTERNAL, "Unknown observation space");
  }
}

static cgym_status_t fuzz_end_of_step(void* session, int action_had_no_effect, int* end_of_episode,
                                      int32_t* new_action_space) {
  fuzz_session* s = (fuzz_session*)session;
  if (s->count > 0 && s->actions[s->count - 1] == 42) *end_of_episode = 1;
  if (action_had_no_effect) *new_action_space = 0;
  return CGYM_OK;
}

static cgym_status_t fuzz_handle_session_parameter(void* session, const char* key,
                                                   const char* value, const char** reply) {
  fuzz_session* s = (fuzz_session*)session;
  (void)value;
  if (strcmp(key, "fuzz.count") == 0) {
    snprintf(s->reply, sizeof(s->reply), "%zu", s->count);
    *reply = s->reply;
  } else if (strcmp(key, "fuzz.uri") == 0) {
    *reply = s->uri;
  } else if (strcmp(key, "fuzz.reset") == 0) {
    s->count = 0;
    *reply = "ok";
  } else if (strcmp(key, "fuzz.fail") == 0) {
    return cgym_set_error(CGYM_FAILED_PRECONDITION, "fuzz.fail fails on purpose");
  }
  return CGYM_OK;
}

static void fuzz_destroy(void* session) { session_free((fuzz_session*)session); }

static const char* fuzz_compiler_version(void* service_data) { return (const char*)service_data; }

static void fuzz_service_data_free(void* service_data) { free(service_data); }

static cgym_status_t add_action_spaces(cgym_service_def_t* def) {
  static const char* const names[3] = {"a", "b", "c"};
  cgym_space_t* space = NULL;
  cgym_action_space_t* action_space = NULL;
  cgym_status_t status = cgym_space_new_discrete(&space, 16);
  if (status == CGYM_OK) status = cgym_action_space_new(&action_space, "discrete", space);
  if (status == CGYM_OK) status = cgym_service_def_add_action_space(def, action_space);
  cgym_action_space_free(action_space);
  cgym_space_free(space);
  action_space = NULL;
  space = NULL;
  if (status == CGYM_OK) status = cgym_space_new_named_discrete(&space, names, 3);
  if (status == CGYM_OK) status = cgym_action_space_new(&action_space, "named", space);
  if (status == CGYM_OK) status = cgym_service_def_add_action_space(def, action_space);
  cgym_action_space_free(action_space);
  cgym_space_free(space);
  return status;
}

static cgym_status_t add_observation_space(cgym_service_def_t* def, cgym_status_t status,
                                           cgym_space_t* space, const char* name) {
  cgym_observation_space_t* observation_space = NULL;
  if (status == CGYM_OK) {
    status = cgym_observation_space_new(&observation_space, name, space, 1, 0, NULL);
  }
  if (status == CGYM_OK) status = cgym_service_def_add_observation_space(def, observation_space);
  cgym_observation_space_free(observation_space);
  cgym_space_free(space);
  return status;
}

static cgym_status_t add_observation_spaces(cgym_service_def_t* def) {
  cgym_space_t* space = NULL;
  cgym_status_t status;
  status = cgym_space_new_sequence(&space, CGYM_SPACE_INT64_SEQUENCE, 0, -1, 0, 0, 0, 0);
  status = add_observation_space(def, status, space, "actions");
  space = NULL;
  if (status == CGYM_OK) status = cgym_space_new_string(&space, 0, -1);
  if (status == CGYM_OK) status = add_observation_space(def, status, space, "uri");
  space = NULL;
  if (status == CGYM_OK) {
    status = cgym_space_new_range(&space, CGYM_SPACE_INT64_RANGE, 0, 1, MAX_ACTIONS, 1);
  }
  if (status == CGYM_OK) status = add_observation_space(def, status, space, "count");
  space = NULL;
  if (status == CGYM_OK) status = cgym_space_new_composite(&space, CGYM_SPACE_DICT);
  if (status == CGYM_OK) status = add_observation_space(def, status, space, "summary");
  space = NULL;
  if (status == CGYM_OK) {
    status = cgym_space_new_range(&space, CGYM_SPACE_DOUBLE_RANGE, 0, 1, 0, 0);
  }
  if (status == CGYM_OK) status = add_observation_space(def, status, space, "flaky");
  return status;
}

cgym_status_t fuzz_c_session_def_new(cgym_service_def_t** out) {
  cgym_session_vtable_t vtable;
  cgym_service_def_t* def = NULL;
  cgym_status_t status;
  char* version = copy_string("fuzz-1.0");
  if (!version) return cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "Out of memory");
  memset(&vtable, 0, sizeof(vtable));
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = fuzz_init;
  vtable.fork = fuzz_fork;
  vtable.apply_action = fuzz_apply_action;
  vtable.get_observation = fuzz_get_observation;
  vtable.end_of_step = fuzz_end_of_step;
  vtable.handle_session_parameter = fuzz_handle_session_parameter;
  vtable.destroy = fuzz_destroy;
  vtable.compiler_version = fuzz_compiler_version;
  vtable.service_data_free = fuzz_service_data_free;
  /* From here on the definition owns `version` (released by service_data_free). */
  status = cgym_service_def_new(&def, &vtable, version);
  if (status == CGYM_OK) status = add_action_spaces(def);
  if (status == CGYM_OK) status = add_observation_spaces(def);
  if (status != CGYM_OK) {
    cgym_service_def_free(def);
    return status;
  }
  *out = def;
  return CGYM_OK;
}
