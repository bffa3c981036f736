// SPDX-License-Identifier: MIT
// cgym.h must compile as C++17 with -Wall -Wextra -pedantic -Werror (the C tests check C99).
#include "cgym.h"

static_assert(sizeof(cgym_status_t) == 4, "cgym_status_t is an int32");
static_assert(CGYM_SESSION_VTABLE_VERSION >= 1, "the session vtable is versioned");

int cgym_header_check() { return CGYM_OK; }
