/* SPDX-License-Identifier: MIT */
/* The C side of the Python benchmark (bench/bench_python.py), loaded with ctypes into the
 * Python process: it registers the benchmark session in-process and times the reference, the
 * same step as the binding's through the C API, in a C loop. It links libcgym.so.1, which the
 * process loads once (one SONAME), so the binding sees the registration. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */

#include <stdint.h>
#include <time.h>

#include "bench_session.h"
#include "cgym.h"

#define CGYM_BENCH_EXPORT __attribute__((visibility("default")))

/* Registers the benchmark session as the in-process service `name`. Returns a status. */
CGYM_BENCH_EXPORT int cgym_bench_register_inproc(const char* name) {
  cgym_service_def_t* def = bench_service_def_new();
  cgym_status_t status;
  if (def == NULL) return (int)cgym_last_error_code();
  status = cgym_service_register(name, def);
  cgym_service_def_free(def);
  return (int)status;
}

/* An env of the C API on `endpoint` in an episode of benchmark://bench/x (as cgym_bench's),
 * or NULL with the error recorded. Free with cgym_env_free(). */
CGYM_BENCH_EXPORT cgym_env_t* cgym_bench_connect(const char* endpoint) {
  cgym_options_t* options = NULL;
  cgym_env_t* env = NULL;
  if (cgym_options_new(&options) != CGYM_OK) return NULL;
  if (cgym_options_set_benchmark(options, "benchmark://bench/x", NULL, 0) != CGYM_OK ||
      cgym_connect(&env, endpoint, options) != CGYM_OK) {
    cgym_options_free(options);
    return NULL;
  }
  cgym_options_free(options);
  if (cgym_env_reset(env, NULL, NULL) != CGYM_OK) {
    cgym_env_free(env);
    return NULL;
  }
  return env;
}

/* `n` steps cgym_step_index(env, 0) (the C benchmarks' step): the elapsed monotonic time in
 * ns, or -1 if a step fails (the error recorded). */
CGYM_BENCH_EXPORT int64_t cgym_bench_step_loop(cgym_env_t* env, int n) {
  struct timespec start, end;
  int done = 0;
  int i;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (i = 0; i < n; ++i) {
    if (cgym_step_index(env, 0, &done, NULL) != CGYM_OK) return -1;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  return (int64_t)(end.tv_sec - start.tv_sec) * 1000000000 + (end.tv_nsec - start.tv_nsec);
}
