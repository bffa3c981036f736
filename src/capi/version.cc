// SPDX-License-Identifier: MIT
#include "cgym.h"
#include "common/protocol.h"

#define CGYM_STR2(x) #x
#define CGYM_STR(x) CGYM_STR2(x)

extern "C" {

uint32_t cgym_version_number(void) { return CGYM_VERSION_NUMBER; }

const char* cgym_version_string(void) {
  return CGYM_STR(CGYM_VERSION_MAJOR) "." CGYM_STR(CGYM_VERSION_MINOR) "." CGYM_STR(
      CGYM_VERSION_PATCH);
}

const char* cgym_protocol_version_string(void) { return cgym::kCompilerGymProtocolVersion; }

}  // extern "C"
