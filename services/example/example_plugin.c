/* SPDX-License-Identifier: MIT */
/*
 * The example session as a session plugin: a shared library (libcgym-example-plugin.so) that
 * links against libcgym.so.1 and exports one function, the entry point that
 * cgym_service_register_plugin() calls. A process loads it and connects to it in-process:
 *
 *   cgym_service_register_plugin("example", "path/to/libcgym-example-plugin.so");
 *   cgym_connect(&env, "inproc:example", options);
 *
 * A plugin of your own needs the same: your session's definition, and this file with its
 * name. Build it with hidden visibility (only the entry point is CGYM_API), linked against
 * libcgym (services/example/CMakeLists.txt shows how).
 */
#include "cgym.h"
#include "example_session.h"

/* The entry point, exported under CGYM_PLUGIN_ENTRY_NAME with the type cgym_plugin_entry_t. */
CGYM_API cgym_status_t cgym_plugin_service_def(uint32_t abi_version, cgym_service_def_t** out);

cgym_status_t cgym_plugin_service_def(uint32_t abi_version, cgym_service_def_t** out) {
  /* The loading libcgym says which ABI it has: a plugin built for another must not use it. */
  if (abi_version != CGYM_ABI_VERSION) {
    return cgym_set_error(CGYM_FAILED_PRECONDITION,
                          "The example plugin was built for another libcgym ABI version");
  }
  return example_service_def_new(out);
}
