// SPDX-License-Identifier: MIT
#include <cgym.h>
#include <stdio.h>

int main(void) {
  const char* passes[] = {"-mem2reg", "-sroa", "-instcombine", "-simplifycfg", "-gvn"};
  cgym_env_t* env = NULL;
  int done = 0;
  double reward = 0;
  if (cgym_make(&env, "llvm-ic-v0", NULL, NULL) != CGYM_OK ||
      cgym_env_reset(env, NULL, NULL) != CGYM_OK) {
    fprintf(stderr, "libcgym %s: %s\n", cgym_version_string(), cgym_last_error_message());
    return 1;
  }
  for (int i = 0; i < 5 && !done; i++) {
    if (cgym_step_name(env, passes[i], &done, &reward) != CGYM_OK) break;
    printf("%s: reward %g\n", passes[i], reward);
  }
  cgym_env_free(env);
  return 0;
}
