/* SPDX-License-Identifier: MIT */
/* A library that the MISSING_DEPENDENCY test plugin needs, kept where the loader cannot find
 * it. */
__attribute__((visibility("default"))) int cgym_test_plugin_dependency(void);
int cgym_test_plugin_dependency(void) { return 7; }
