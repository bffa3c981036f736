/* SPDX-License-Identifier: MIT */
/* A random agent written in C against cgym.h alone: it connects to a service (a binary it
 * launches, a "host:port", or an "inproc:" name), runs episodes of random actions, prints
 * every step, validates each episode's state, and forks the last one.
 *
 *   cgym-random-agent-c SERVICE [EPISODES [STEPS [SEED]]] */
#include <stdio.h>
#include <stdlib.h>

#include "cgym.h"

static int fail(const char* what) {
  fprintf(stderr, "error: %s: %s: %s\n", what, cgym_status_name(cgym_last_error_code()),
          cgym_last_error_message());
  return 1;
}

int main(int argc, char** argv) {
  cgym_options_t* options = NULL;
  cgym_env_t *env = NULL, *fork = NULL;
  const cgym_space_t* actions = NULL;
  const char *service_version = NULL, *compiler_version = NULL;
  size_t num_actions = 0, fork_actions = 0;
  int episodes = argc > 2 ? atoi(argv[2]) : 3;
  int steps = argc > 3 ? atoi(argv[3]) : 5;
  int episode, step;

  if (argc < 2) {
    fprintf(stderr, "usage: %s SERVICE [EPISODES [STEPS [SEED]]]\n", argv[0]);
    return 2;
  }
  srand(argc > 4 ? (unsigned)atoi(argv[4]) : 0u);
  printf("libcgym %s (CompilerGym protocol %s)\n", cgym_version_string(),
         cgym_protocol_version_string());

  if (cgym_options_new(&options) != CGYM_OK ||
      cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/foo", "Ir data", 7) !=
          CGYM_OK ||
      cgym_options_set_observation_space(options, "ir") != CGYM_OK) {
    return fail("options");
  }
  if (cgym_connect(&env, argv[1], options) != CGYM_OK) return fail("connect");
  cgym_options_free(options);
  if (cgym_env_version(env, &service_version, &compiler_version) != CGYM_OK) {
    return fail("version");
  }
  actions = cgym_action_space_space(cgym_env_action_space(env));
  if (cgym_space_name_count(actions, &num_actions) != CGYM_OK || num_actions == 0) {
    return fail("action space");
  }
  printf("Connected to %s: service %s, compiler %s, action space '%s' with %zu actions\n", argv[1],
         service_version, compiler_version, cgym_action_space_name(cgym_env_action_space(env)),
         num_actions);

  for (episode = 0; episode < episodes; ++episode) {
    cgym_event_t* first = NULL;
    const char* text = NULL;
    size_t length = 0;
    char* state = NULL;
    int okay = 0;
    if (cgym_env_reset(env, NULL, &first) != CGYM_OK) return fail("reset");
    if (cgym_event_get_string(first, &text, &length) != CGYM_OK) return fail("observation");
    printf("Episode %d: reset -> \"%.*s\"\n", episode, (int)length, text);
    cgym_event_free(first);
    for (step = 0; step < steps; ++step) {
      const char* name = NULL;
      int done = 0;
      char* ir = NULL;
      if (cgym_space_name_at(actions, (size_t)rand() % num_actions, &name) != CGYM_OK) {
        return fail("action");
      }
      if (cgym_step_name(env, name, &done, NULL) != CGYM_OK) return fail("step");
      if (cgym_env_observe_string(env, "ir", &ir, NULL) != CGYM_OK) return fail("observe");
      printf("  step %d: action %s -> \"%s\"%s\n", step, name, ir, done ? " (done)" : "");
      cgym_free(ir);
      if (done) break;
    }
    if (cgym_env_state_json(env, &state) != CGYM_OK) return fail("state");
    if (cgym_env_validate(env, state, &okay, NULL) != CGYM_OK) return fail("validate");
    printf("  state %s: %s\n", okay ? "validated" : "FAILED validation", state);
    cgym_free(state);
  }

  if (cgym_fork(env, &fork) != CGYM_OK) return fail("fork");
  if (cgym_env_action_count(fork, &fork_actions) != CGYM_OK) return fail("action count");
  printf("Forked the last episode: %zu actions on the fork\n", fork_actions);
  cgym_env_free(fork);
  if (cgym_env_close(env) != CGYM_OK) return fail("close");
  cgym_env_free(env);
  printf("Closed.\n");
  return 0;
}
