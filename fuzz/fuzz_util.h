/* SPDX-License-Identifier: MIT */
/* Helpers of the C fuzzers (values_fuzz.c, states_fuzz.c): checks that abort (a crash for
 * libFuzzer) when the C ABI breaks a promise of cgym.h, and a growable byte buffer. */
#ifndef CGYM_FUZZ_UTIL_H_
#define CGYM_FUZZ_UTIL_H_

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym.h"

#define FUZZ_CHECK(condition, ...)                                                           \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__, __LINE__, #condition); \
      fprintf(stderr, __VA_ARGS__);                                                          \
      fprintf(stderr, "\n  last error: %s: %s\n", cgym_status_name(cgym_last_error_code()),  \
              cgym_last_error_message());                                                    \
      abort();                                                                               \
    }                                                                                        \
  } while (0)

/* cgym.h's ERRORS rule: a call that fails sets the thread's last error, with a message; one
 * that succeeds clears it. Returns the status. */
static inline cgym_status_t fuzz_checked(cgym_status_t status, const char* call) {
  FUZZ_CHECK(cgym_last_error_code() == status, "%s returned %s but the last error is %s", call,
             cgym_status_name(status), cgym_status_name(cgym_last_error_code()));
  FUZZ_CHECK((status == CGYM_OK) == (cgym_last_error_message()[0] == '\0'),
             "%s returned %s with the message '%s'", call, cgym_status_name(status),
             cgym_last_error_message());
  return status;
}
#define CHECKED(call) fuzz_checked((call), #call)

/* `call` must succeed. */
#define MUST(call)                                                                        \
  do {                                                                                    \
    cgym_status_t must_status_ = CHECKED(call);                                           \
    FUZZ_CHECK(must_status_ == CGYM_OK, "%s: %s", #call, cgym_status_name(must_status_)); \
  } while (0)

/* True if `data` is well-formed UTF-8 (as protobuf requires of its strings). */
static inline int fuzz_is_utf8(const char* data, size_t length) {
  const unsigned char* s = (const unsigned char*)data;
  size_t i = 0;
  while (i < length) {
    unsigned char c = s[i], low = 0x80, high = 0xBF;
    size_t n, k;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return 0;
    }
    if (length - i < n || s[i + 1] < low || s[i + 1] > high) return 0;
    for (k = 2; k < n; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
    }
    i += n;
  }
  return 1;
}

/* A growable byte buffer. */
typedef struct {
  char* data;
  size_t size;
  size_t capacity;
} fuzz_buffer;

static inline void fuzz_put(fuzz_buffer* b, const void* data, size_t length) {
  if (b->size + length > b->capacity) {
    size_t capacity = b->capacity ? b->capacity : 256;
    while (capacity < b->size + length) capacity *= 2;
    b->data = (char*)realloc(b->data, capacity);
    FUZZ_CHECK(b->data != NULL, "out of memory");
    b->capacity = capacity;
  }
  if (length) memcpy(b->data + b->size, data, length);
  b->size += length;
}

static inline void fuzz_putf(fuzz_buffer* b, const char* format, ...) {
  char text[128];
  int length;
  va_list args;
  va_start(args, format);
  length = vsnprintf(text, sizeof(text), format, args);
  va_end(args);
  FUZZ_CHECK(length >= 0 && (size_t)length < sizeof(text), "fuzz_putf: too long");
  fuzz_put(b, text, (size_t)length);
}

/* The bits of a double, so that NaNs and -0.0 compare as the bytes they are. */
static inline void fuzz_put_double(fuzz_buffer* b, double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof(bits));
  fuzz_putf(b, "d%016llx", (unsigned long long)bits);
}

static inline int fuzz_equal(const fuzz_buffer* a, const fuzz_buffer* b) {
  return a->size == b->size && (a->size == 0 || memcmp(a->data, b->data, a->size) == 0);
}

static inline void fuzz_buffer_free(fuzz_buffer* b) {
  free(b->data);
  b->data = NULL;
  b->size = b->capacity = 0;
}

#endif /* CGYM_FUZZ_UTIL_H_ */
