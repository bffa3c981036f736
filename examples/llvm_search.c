/* SPDX-License-Identifier: MIT */
/* A greedy search for a short pass sequence, in C on cgym.h alone: llvm-ic-v0 in this process
 * on one bundled program; at each step every action is tried in a fork of the env, and the one
 * with the best IrInstructionCountOz reward is kept, until none improves or the step limit.
 * Prints each step, then the best commandline and its ratio to -Oz: the episode's summed
 * IrInstructionCountOz reward, the instructions it removed over those -Oz removes (1.0: as
 * good as -Oz).
 *
 *   cgym-llvm-search-c [BENCHMARK [MAX_STEPS]]
 *     BENCHMARK  default benchmark://cgym-v0/fibonacci
 *     MAX_STEPS  default 12 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym.h"

static int fail(const char* what) {
  fprintf(stderr, "error: %s: %s: %s\n", what, cgym_status_name(cgym_last_error_code()),
          cgym_last_error_message());
  return 1;
}

/* The reward of `action` from the env's state, tried in a fork; 0 with *ok = 0 if the action
 * is rejected or ends the episode (the search skips it). Returns non-zero on a failed fork. */
static int try_action(cgym_env_t* env, int64_t action, double* reward, int* ok) {
  cgym_env_t* fork = NULL;
  int done = 0;
  *reward = 0;
  *ok = 0;
  if (cgym_fork(env, &fork) != CGYM_OK) return 1;
  if (cgym_step_index(fork, action, &done, reward) == CGYM_OK && !done) *ok = 1;
  cgym_env_free(fork);
  return 0;
}

static int search(cgym_env_t* env, int max_steps) {
  const cgym_space_t* space = NULL;
  size_t num_actions = 0;
  char commandline[4096] = "";
  int step;
  if (cgym_env_reset(env, NULL, NULL) != CGYM_OK) return fail("reset");
  space = cgym_action_space_space(cgym_env_action_space(env));
  if (cgym_space_name_count(space, &num_actions) != CGYM_OK) return fail("action space");
  printf("Benchmark: %s (%zu actions)\n", cgym_env_benchmark(env), num_actions);

  for (step = 1; step <= max_steps; ++step) {
    int64_t best = -1;
    double best_reward = 0;
    const char* name = NULL;
    char flag[256];
    int done = 0;
    double reward = 0;
    for (size_t a = 0; a < num_actions; ++a) {
      int ok = 0;
      if (try_action(env, (int64_t)a, &reward, &ok) != 0) return fail("fork");
      if (ok && reward > best_reward) {
        best = (int64_t)a;
        best_reward = reward;
      }
    }
    if (best < 0) break; /* nothing improves */
    /* Copied: the space and its names are borrowed only until the env's next step. */
    if (cgym_space_name_at(space, (size_t)best, &name) != CGYM_OK) return fail("action name");
    snprintf(flag, sizeof(flag), "%s", name);
    if (cgym_step_index(env, best, &done, &reward) != CGYM_OK) return fail(flag);
    space = cgym_action_space_space(cgym_env_action_space(env));
    printf("Step %d: %s (reward %.4f)\n", step, flag, reward);
    if (strlen(commandline) + strlen(flag) + 2 < sizeof(commandline)) {
      if (commandline[0] != '\0') strcat(commandline, " ");
      strcat(commandline, flag);
    }
    if (done) break;
  }

  printf("Best commandline: %s\n", commandline);
  printf("Ratio to -Oz: %.4f\n", cgym_env_episode_reward(env, NULL));
  return 0;
}

int main(int argc, char** argv) {
  const char* benchmark = argc > 1 ? argv[1] : "benchmark://cgym-v0/fibonacci";
  const int max_steps = argc > 2 ? atoi(argv[2]) : 12;
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  if (argc > 3 || max_steps < 0) {
    fprintf(stderr, "usage: %s [BENCHMARK [MAX_STEPS]]\n", argv[0]);
    return 2;
  }
  if (cgym_options_new(&options) != CGYM_OK ||
      cgym_options_set_benchmark(options, benchmark, NULL, 0) != CGYM_OK) {
    return fail("options");
  }
  if (cgym_make(&env, "llvm-ic-v0", "inproc", options) != CGYM_OK) {
    cgym_options_free(options);
    return fail("make");
  }
  cgym_options_free(options);
  const int code = search(env, max_steps);
  if (code == 0 && cgym_env_close(env) != CGYM_OK) {
    cgym_env_free(env);
    return fail("close");
  }
  cgym_env_free(env);
  return code;
}
