/* SPDX-License-Identifier: MIT */
/* A session written in C on cgym.h's vtable that uses every slot, for the ServiceCore fuzzer of
 * C sessions (service_core_c_fuzz.cc): see fuzz_c_session.c. */
#ifndef CGYM_FUZZ_C_SESSION_H_
#define CGYM_FUZZ_C_SESSION_H_

#include "cgym.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The definition of the service; *out is owned (cgym_service_def_free()). */
cgym_status_t fuzz_c_session_def_new(cgym_service_def_t** out);

#ifdef __cplusplus
}
#endif

#endif /* CGYM_FUZZ_C_SESSION_H_ */
