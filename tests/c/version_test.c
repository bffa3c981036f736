/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cgym.h"

static void test_version_number_matches_header(void** state) {
  (void)state;
  assert_int_equal(cgym_version_number(), CGYM_VERSION_NUMBER);
}

static void test_version_string_matches_macros(void** state) {
  char expected[32];
  (void)state;
  snprintf(expected, sizeof expected, "%d.%d.%d", CGYM_VERSION_MAJOR, CGYM_VERSION_MINOR,
           CGYM_VERSION_PATCH);
  assert_string_equal(cgym_version_string(), expected);
}

static void test_protocol_version_is_compiler_gym_0_2_5(void** state) {
  (void)state;
  assert_string_equal(cgym_protocol_version_string(), "0.2.5");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version_number_matches_header),
      cmocka_unit_test(test_version_string_matches_macros),
      cmocka_unit_test(test_protocol_version_is_compiler_gym_0_2_5),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
