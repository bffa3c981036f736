/* SPDX-License-Identifier: MIT */
/* The example session (example_session.c), shared by the service process (example_service.c)
 * and the session plugin (example_plugin.c). */
#ifndef CGYM_EXAMPLE_SESSION_H_
#define CGYM_EXAMPLE_SESSION_H_

#include "cgym.h"

/* Makes the example service's definition: its session slots, its action space and its
 * observation spaces. *out is owned (cgym_service_def_free()). On failure, returns the status
 * with the last error recorded, and leaves *out untouched. */
cgym_status_t example_service_def_new(cgym_service_def_t** out);

#endif /* CGYM_EXAMPLE_SESSION_H_ */
