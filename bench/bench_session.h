/* SPDX-License-Identifier: MIT */
/* The benchmarks' session, in C on cgym.h: the example session (action space "default" =
 * named discrete a, b, c; observation "ir" = "Hello, world!"), plus observations "obs_1m" and
 * "obs_16m": strings of 1 MiB and 16 MiB. Observation indices: ir 0, obs_1m 1, obs_16m 2. */
#ifndef CGYM_BENCH_SESSION_H_
#define CGYM_BENCH_SESSION_H_

#include "cgym.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A new definition (cgym_service_def_free()), or NULL with the error recorded. */
cgym_service_def_t* bench_service_def_new(void);

#ifdef __cplusplus
}
#endif

#endif /* CGYM_BENCH_SESSION_H_ */
