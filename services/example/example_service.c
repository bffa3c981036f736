/* SPDX-License-Identifier: MIT */
/*
 * The example service process: the example session (example_session.c) run as a CompilerGym
 * service with cgym_service_run(), which CompilerGym's clients (and libcgym's) launch.
 */
#include <stdio.h>

#include "cgym.h"
#include "example_session.h"

int main(int argc, char** argv) {
  cgym_service_def_t* def = NULL;
  int exit_code;
  cgym_status_t status = example_service_def_new(&def);
  if (status != CGYM_OK) {
    fprintf(stderr, "ERROR: building the service definition: %s: %s\n", cgym_status_name(status),
            cgym_last_error_message());
    return 1;
  }
  /* Runs until SIGTERM, with the flags and the lifecycle of CompilerGym's services. */
  exit_code = cgym_service_run(def, argc, (const char* const*)argv);
  cgym_service_def_free(def);
  return exit_code;
}
