/* SPDX-License-Identifier: MIT */
/*
 * Fuzzer (d): the readers of environment states (CompilerEnvState) of cgym.h, from C:
 * cgym_states_csv_to_json() (the CSV reader) and cgym_states_json_to_csv() (the JSON reader).
 * The first byte of an input picks the reader (bit 0: CSV or JSON) and whether the CSV written
 * back has a header (bit 1); the rest is the text (cut at its first NUL, as a C string is).
 *
 * What a reader accepts must survive the round trip through the other format:
 *   CSV  -> JSON j1 -> CSV -> JSON j2:  j2 == j1 (with and without a header);
 *   JSON -> CSV c1  -> JSON -> CSV c2:  c2 == c1.
 * A rejected input is INVALID_ARGUMENT with a message, and leaves the output untouched.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgym.h"
#include "fuzz_util.h"

#define SENTINEL ((char*)(uintptr_t)0x5e171e1)

static void expect_rejected(cgym_status_t status, const char* output, const char* reader) {
  FUZZ_CHECK(status == CGYM_INVALID_ARGUMENT, "%s: %s", reader, cgym_status_name(status));
  FUZZ_CHECK(output == SENTINEL, "a failed %s wrote its output", reader);
}

static void fuzz_csv(const char* csv, int header) {
  char* json = SENTINEL;
  char *csv2 = NULL, *json2 = NULL;
  const cgym_status_t status = CHECKED(cgym_states_csv_to_json(csv, &json));
  if (status != CGYM_OK) {
    expect_rejected(status, json, "cgym_states_csv_to_json");
    return;
  }
  /* The JSON writer's NaN and Infinity included. */
  MUST(cgym_states_json_to_csv(json, header, &csv2));
  MUST(cgym_states_csv_to_json(csv2, &json2));
  FUZZ_CHECK(strcmp(json, json2) == 0, "CSV -> JSON -> CSV -> JSON changed the states:\n%s\n%s",
             json, json2);
  cgym_free(csv2);
  cgym_free(json2);
  cgym_free(json);
}

static void fuzz_json(const char* json, int header) {
  char* csv = SENTINEL;
  char *json2 = NULL, *csv2 = NULL;
  const cgym_status_t status = CHECKED(cgym_states_json_to_csv(json, header, &csv));
  if (status != CGYM_OK) {
    expect_rejected(status, csv, "cgym_states_json_to_csv");
    return;
  }
  MUST(cgym_states_csv_to_json(csv, &json2));
  MUST(cgym_states_json_to_csv(json2, header, &csv2));
  FUZZ_CHECK(strcmp(csv, csv2) == 0, "JSON -> CSV -> JSON -> CSV changed the states:\n%s\n%s", csv,
             csv2);
  cgym_free(json2);
  cgym_free(csv2);
  cgym_free(csv);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char* text;
  if (size < 1) return 0;
  text = (char*)malloc(size);
  FUZZ_CHECK(text != NULL, "out of memory");
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';
  if (data[0] & 1) {
    fuzz_json(text, (data[0] & 2) != 0);
  } else {
    fuzz_csv(text, (data[0] & 2) != 0);
  }
  free(text);
  return 0;
}
