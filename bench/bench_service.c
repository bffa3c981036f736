/* SPDX-License-Identifier: MIT */
/* The benchmarks' service process: bench_session.c served by cgym_service_run(). */
#include <stdio.h>

#include "bench_session.h"

int main(int argc, char** argv) {
  cgym_service_def_t* def = bench_service_def_new();
  int exit_code;
  if (!def) {
    fprintf(stderr, "ERROR: %s\n", cgym_last_error_message());
    return 1;
  }
  exit_code = cgym_service_run(def, argc, (const char* const*)argv);
  cgym_service_def_free(def);
  return exit_code;
}
