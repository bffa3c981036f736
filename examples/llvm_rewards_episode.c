/* SPDX-License-Identifier: MIT */
/* The LLVM environment's twelve rewards over one fixed episode, in C on cgym.h alone: llvm-v0
 * in this process on benchmark://cgym-v0/fibonacci, ten passes, each step asking for every
 * reward. Each reward is printed as the bits of its double, so that the printers of every
 * language can be compared byte for byte:
 *
 *   <step from 1> TAB <action> TAB <reward> TAB <16 hex digits of the double's bits>
 *
 *   cgym-llvm-rewards-episode-c */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cgym.h"

static const char* const kActions[] = {"-mem2reg", "-sroa",     "-instcombine", "-simplifycfg",
                                       "-gvn",     "-licm",     "-loop-unroll", "-inline",
                                       "-dce",     "-globaldce"};
static const char* const kRewards[] = {
    "IrInstructionCount",  "IrInstructionCountNorm", "IrInstructionCountO3", "IrInstructionCountOz",
    "ObjectTextSizeBytes", "ObjectTextSizeNorm",     "ObjectTextSizeO3",     "ObjectTextSizeOz",
    "TextSizeBytes",       "TextSizeNorm",           "TextSizeO3",           "TextSizeOz"};
#define NUM_ACTIONS (sizeof(kActions) / sizeof(kActions[0]))
#define NUM_REWARDS (sizeof(kRewards) / sizeof(kRewards[0]))

static int fail(const char* what) {
  fprintf(stderr, "error: %s: %s: %s\n", what, cgym_status_name(cgym_last_error_code()),
          cgym_last_error_message());
  return 1;
}

/* The index of a flag in the env's action space; -1 (with an error recorded) if absent. */
static int64_t action_index(const cgym_env_t* env, const char* flag) {
  const cgym_space_t* space = cgym_action_space_space(cgym_env_action_space(env));
  size_t count = 0;
  if (cgym_space_name_count(space, &count) != CGYM_OK) return -1;
  for (size_t i = 0; i < count; ++i) {
    const char* name = NULL;
    if (cgym_space_name_at(space, i, &name) != CGYM_OK) return -1;
    if (strcmp(name, flag) == 0) return (int64_t)i;
  }
  cgym_set_error(CGYM_NOT_FOUND, flag);
  return -1;
}

/* Runs the episode, printing its rewards; the env is the caller's to free. */
static int run(cgym_env_t* env) {
  const char* const* no_observations = kRewards; /* any non-NULL pointer: zero spaces */
  if (cgym_env_reset(env, NULL, NULL) != CGYM_OK) return fail("reset");
  for (size_t a = 0; a < NUM_ACTIONS; ++a) {
    cgym_event_t* action = NULL;
    cgym_step_result_t* result = NULL;
    const int64_t index = action_index(env, kActions[a]);
    if (index < 0) return fail(kActions[a]);
    if (cgym_event_new_int64(&action, index) != CGYM_OK) return fail("action");
    const cgym_event_t* actions[1] = {action};
    const cgym_status_t status =
        cgym_step(env, actions, 1, no_observations, 0, kRewards, NUM_REWARDS, NULL, &result);
    cgym_event_free(action);
    if (status != CGYM_OK) return fail(kActions[a]);
    if (cgym_step_result_done(result)) {
      fprintf(stderr, "error: %s ended the episode: %s: %s\n", kActions[a],
              cgym_step_result_error_type(result), cgym_step_result_error_details(result));
      cgym_step_result_free(result);
      return 1;
    }
    for (size_t r = 0; r < NUM_REWARDS; ++r) {
      double reward = 0;
      uint64_t bits = 0;
      if (cgym_step_result_reward_at(result, r, &reward) != CGYM_OK) {
        cgym_step_result_free(result);
        return fail(kRewards[r]);
      }
      memcpy(&bits, &reward, sizeof(bits));
      printf("%zu\t%s\t%s\t%016" PRIx64 "\n", a + 1, kActions[a], kRewards[r], bits);
    }
    cgym_step_result_free(result);
  }
  if (cgym_env_close(env) != CGYM_OK) return fail("close");
  return 0;
}

int main(void) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  if (cgym_options_new(&options) != CGYM_OK ||
      cgym_options_set_benchmark(options, "benchmark://cgym-v0/fibonacci", NULL, 0) != CGYM_OK) {
    return fail("options");
  }
  const cgym_status_t status = cgym_make(&env, "llvm-v0", "inproc", options);
  cgym_options_free(options);
  if (status != CGYM_OK) return fail("make");
  const int code = run(env);
  cgym_env_free(env);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "error: writing the output failed\n");
    return 1;
  }
  return code;
}
