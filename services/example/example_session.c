/* SPDX-License-Identifier: MIT */
/*
 * The example session, written in C on cgym.h: CompilerGym's example compiler service, and
 * the canonical example of a session written in C. example_service.c runs it as a service
 * process; example_plugin.c makes it a session plugin, a shared library that any process
 * registers in-process with cgym_service_register_plugin().
 *
 *   action space   "default": named discrete a, b, c (an action is an int64 index)
 *   observations   "ir"       a string, always "Hello, world!"
 *                  "features" three int64 in [-100, 100], always [0, 0, 0]
 *                  "runtime"  a double >= 0, always 0
 *   compiler       version "1.0.0"
 *
 * It behaves exactly as the C++ example (services/example_cc), byte for byte on the wire.
 *
 * Writing a service in C takes three steps:
 *   1. Write the session slots of a cgym_session_vtable_t: init, apply_action,
 *      get_observation and destroy are required; fork, end_of_step, handle_session_parameter
 *      and compiler_version are optional (NULL).
 *   2. Build a cgym_service_def_t from the vtable and add the action and observation spaces
 *      (example_service_def_new() below). Their order gives the indices the client uses, and
 *      the index a get_observation slot is given.
 *   3. Hand the definition to cgym_service_run(), which runs the service process (flags,
 *      port.txt, signals) and returns the exit code for main() to return
 *      (example_service.c), or return it from a plugin's entry point (example_plugin.c).
 *
 * A slot reports failure by returning a status code; cgym_set_error() records the message the
 * client sees and returns the code, so `return cgym_set_error(code, "message");` does both.
 * The runtime calls the slots of one session one at a time, so a session needs no locking;
 * different sessions run in parallel, so anything they share must be synchronised.
 */
#include "example_session.h"

#include <stdint.h>
#include <string.h>

/* The observation spaces, in the order example_service_def_new() adds them: get_observation is
 * given these indices. */
enum { OBSERVATION_IR = 0, OBSERVATION_FEATURES = 1, OBSERVATION_RUNTIME = 2 };

/* The number of actions of the "default" action space. */
#define NUM_ACTIONS 3

/* --- The session ------------------------------------------------------------------------- */

/* This compiler has no state, so a session needs none: init returns NULL as the session
 * pointer, which the runtime hands back to the other slots as is. A compiler with state would
 * allocate a struct here (e.g. with the parsed program), and free it in destroy. */
static cgym_status_t example_init(void* service_data, const cgym_action_space_t* action_space,
                                  const char* benchmark_uri, const void* program,
                                  size_t program_length, void** session) {
  /* The benchmark: its URI, and its program if the client sent it (NULL otherwise). The
   * pointers are only borrowed for this call: copy what the session keeps. */
  (void)service_data;
  (void)action_space;
  (void)benchmark_uri;
  (void)program;
  (void)program_length;
  *session = NULL;
  return CGYM_OK;
}

/* Forking copies a session (ForkSession). A stateless session has nothing to copy. Leaving
 * this slot NULL would make fork UNIMPLEMENTED, and clients would replay the episode's actions
 * in a new service instead. */
static cgym_status_t example_fork(void* session, void** new_session) {
  (void)session;
  *new_session = NULL;
  return CGYM_OK;
}

/* Applies one action. The flags start at 0 (end_of_episode, action_had_no_effect) and -1
 * (new_action_space: keep the action space); this compiler leaves them as they are. */
static cgym_status_t example_apply_action(void* session, const cgym_event_t* action,
                                          int* end_of_episode, int* action_had_no_effect,
                                          int32_t* new_action_space) {
  int64_t choice = 0;
  (void)session;
  (void)end_of_episode;
  (void)action_had_no_effect;
  (void)new_action_space;
  /* As CompilerGym's example reads action.int64_value, an event of another kind counts as 0. */
  if (cgym_event_kind(action) == CGYM_EVENT_INT64) {
    cgym_status_t status = cgym_event_get_int64(action, &choice);
    if (status != CGYM_OK) return status;
  }
  if (choice < 0 || choice >= NUM_ACTIONS) {
    /* INVALID_ARGUMENT: the client raises ValueError("Out-of-range"), and the episode goes
     * on. */
    return cgym_set_error(CGYM_INVALID_ARGUMENT, "Out-of-range");
  }
  /* A real compiler would run pass number `choice` here. */
  return CGYM_OK;
}

/* Computes observation space number `index` into `observation`, an empty event. The
 * cgym_event_set_* functions fill it; each returns a status (with the error recorded), which
 * this slot passes on. */
static cgym_status_t example_get_observation(void* session, int32_t index,
                                             const cgym_observation_space_t* space,
                                             cgym_event_t* observation) {
  static const char ir[] = "Hello, world!";
  static const uint64_t features_shape[1] = {3};
  static const int64_t features[3] = {0, 0, 0};
  (void)session;
  (void)space;
  switch (index) {
    case OBSERVATION_IR:
      return cgym_event_set_string(observation, ir, strlen(ir));
    case OBSERVATION_FEATURES:
      return cgym_event_set_tensor(observation, CGYM_EVENT_INT64_TENSOR, features_shape, 1,
                                   features, 3);
    case OBSERVATION_RUNTIME:
      return cgym_event_set_double(observation, 0.0);
    default:
      /* Unreachable: the runtime only asks for the spaces the definition declares. */
      return cgym_set_error(CGYM_INTERNAL, "Unknown observation space");
  }
}

/* Releases a session. With no state, there is nothing to release. */
static void example_destroy(void* session) { (void)session; }

/* The compiler's version, reported by GetVersion. The runtime copies the string. */
static const char* example_compiler_version(void* service_data) {
  (void)service_data;
  return "1.0.0";
}

/* --- The service definition -------------------------------------------------------------- */

/* Adds the action space "default": named discrete a, b, c. */
static cgym_status_t add_action_space(cgym_service_def_t* def) {
  static const char* const names[NUM_ACTIONS] = {"a", "b", "c"};
  cgym_space_t* space = NULL;
  cgym_action_space_t* action_space = NULL;
  cgym_status_t status = cgym_space_new_named_discrete(&space, names, NUM_ACTIONS);
  if (status == CGYM_OK) status = cgym_action_space_new(&action_space, "default", space);
  /* The definition keeps a copy: what was built here is released at once. */
  if (status == CGYM_OK) status = cgym_service_def_add_action_space(def, action_space);
  cgym_action_space_free(action_space);
  cgym_space_free(space);
  return status;
}

/* Adds an observation space with no default observation, and releases `space` (which may be
 * NULL if making it failed with `status`). */
static cgym_status_t add_observation_space(cgym_service_def_t* def, cgym_status_t status,
                                           cgym_space_t* space, const char* name, int deterministic,
                                           int platform_dependent) {
  cgym_observation_space_t* observation_space = NULL;
  if (status == CGYM_OK) {
    status = cgym_observation_space_new(&observation_space, name, space, deterministic,
                                        platform_dependent, NULL);
  }
  if (status == CGYM_OK) status = cgym_service_def_add_observation_space(def, observation_space);
  cgym_observation_space_free(observation_space);
  cgym_space_free(space);
  return status;
}

/* Adds the observation spaces in the order of the OBSERVATION_* indices. */
static cgym_status_t add_observation_spaces(cgym_service_def_t* def) {
  static const uint64_t shape[1] = {3};
  static const double low[3] = {-100, -100, -100};
  static const double high[3] = {100, 100, 100};
  cgym_space_t* space = NULL;
  cgym_status_t status;

  /* "ir": a string of any length; deterministic, not platform dependent. */
  status = cgym_space_new_string(&space, 0, -1);
  status = add_observation_space(def, status, space, "ir", 1, 0);
  if (status != CGYM_OK) return status;

  /* "features": an int64 box of shape [3] in [-100, 100]. */
  space = NULL;
  status = cgym_space_new_box(&space, CGYM_SPACE_INT64_BOX, shape, 1, low, high, 3);
  status = add_observation_space(def, status, space, "features", 0, 0);
  if (status != CGYM_OK) return status;

  /* "runtime": a double >= 0 with no maximum; not deterministic, platform dependent. */
  space = NULL;
  status = cgym_space_new_range(&space, CGYM_SPACE_DOUBLE_RANGE, 0.0, 1, 0.0, 0);
  return add_observation_space(def, status, space, "runtime", 0, 1);
}

cgym_status_t example_service_def_new(cgym_service_def_t** out) {
  cgym_session_vtable_t vtable;
  cgym_service_def_t* def = NULL;
  cgym_status_t status;

  /* Zero the struct first, so every optional slot not set below is NULL. */
  memset(&vtable, 0, sizeof(vtable));
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = example_init;
  vtable.fork = example_fork;
  vtable.apply_action = example_apply_action;
  vtable.get_observation = example_get_observation;
  vtable.destroy = example_destroy;
  vtable.compiler_version = example_compiler_version;
  /* end_of_step and handle_session_parameter stay NULL: this compiler needs neither. */

  /* No service data: the service_data argument of init and compiler_version is NULL. */
  status = cgym_service_def_new(&def, &vtable, NULL);
  if (status == CGYM_OK) status = add_action_space(def);
  if (status == CGYM_OK) status = add_observation_spaces(def);
  if (status != CGYM_OK) {
    /* A _free function leaves the last error alone: the caller still reads the message. */
    cgym_service_def_free(def);
    return status;
  }
  *out = def;
  return CGYM_OK;
}
