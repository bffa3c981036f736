/* SPDX-License-Identifier: MIT */
/*
 * Fuzzer (c): the readers of serialized values of cgym.h, from C: cgym_event_parse(),
 * cgym_action_space_parse() and cgym_observation_space_parse(). The first byte of an input
 * picks the reader (modulo 3: event, action space, observation space); the rest is the bytes.
 *
 * A value that parses is then read with every reader of its section of cgym.h (the readers of
 * other kinds included), into a canonical dump, and must keep its promises:
 *  - a reader of another kind fails with FAILED_PRECONDITION, an index past the end with
 *    OUT_OF_RANGE, and a failed call leaves its outputs untouched and sets the last error;
 *  - strings, dict keys and names are UTF-8; a BOOL tensor holds 0s and 1s; dict entries come
 *    in strictly increasing key order, NUL-terminated, and cgym_event_dict_get() finds them;
 *  - values nest at most CGYM_MAX_NESTING_DEPTH levels;
 *  - round trips give the same dump: serialize then parse, clone, and for events and spaces
 *    rebuilt with the constructors from what the readers returned (a tensor whose values do
 *    not match its shape cannot be rebuilt, and is not).
 * Protobuf's serialization of maps is not deterministic, so the dumps, not the bytes, are
 * compared.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgym.h"
#include "fuzz_util.h"

/* Never dereferenced: an output a failed call must leave as it was. */
#define SENTINEL ((void*)(uintptr_t)0x5e171e1)

static int is_numeric_tensor(cgym_event_kind_t kind) {
  return kind >= CGYM_EVENT_BOOL_TENSOR && kind <= CGYM_EVENT_DOUBLE_TENSOR;
}

static int is_tensor(cgym_event_kind_t kind) {
  return is_numeric_tensor(kind) || kind == CGYM_EVENT_STRING_TENSOR;
}

static size_t tensor_value_size(cgym_event_kind_t kind) {
  switch (kind) {
    case CGYM_EVENT_BOOL_TENSOR:
    case CGYM_EVENT_BYTE_TENSOR:
      return 1;
    case CGYM_EVENT_FLOAT_TENSOR:
      return 4;
    default:
      return 8;
  }
}

/* The status of a reader that applies to the value if and only if `applies`. */
static int read_ok(cgym_status_t status, int applies, const char* reader, cgym_event_kind_t kind) {
  if (applies) {
    FUZZ_CHECK(status == CGYM_OK, "%s of a kind-%d value: %s", reader, (int)kind,
               cgym_status_name(status));
    return 1;
  }
  FUZZ_CHECK(status == CGYM_FAILED_PRECONDITION,
             "%s of a kind-%d value: %s, not FAILED_PRECONDITION", reader, (int)kind,
             cgym_status_name(status));
  return 0;
}

/* The product of a shape as cgym.h's constructors count it; 0 with *overflow on overflow. */
static uint64_t shape_product(const uint64_t* shape, size_t ndim, int* overflow) {
  uint64_t product = 1;
  int zero = 0;
  size_t i;
  *overflow = 0;
  for (i = 0; i < ndim; ++i) {
    if (shape[i] == 0) {
      zero = 1;
    } else if (product > UINT64_MAX / shape[i]) {
      *overflow = 1;
    } else {
      product *= shape[i];
    }
  }
  if (zero) {
    *overflow = 0;
    return 0;
  }
  return *overflow ? 0 : product;
}

/* --- Events ------------------------------------------------------------------------------ */

/* Reads the scalars, strings and Any of any event (each reader fails on the other kinds). */
static void dump_event_scalars(fuzz_buffer* b, const cgym_event_t* event, cgym_event_kind_t kind) {
  int flag = 7;
  int64_t i64 = 77;
  float f = 7.0f;
  double d = 7.0;
  const char* data = (const char*)SENTINEL;
  const char* type_url = (const char*)SENTINEL;
  const void* bytes = SENTINEL;
  size_t length = 7;

  if (read_ok(CHECKED(cgym_event_get_bool(event, &flag)), kind == CGYM_EVENT_BOOL, "get_bool",
              kind)) {
    FUZZ_CHECK(flag == 0 || flag == 1, "get_bool gave %d", flag);
    fuzz_putf(b, " b%d", flag);
  } else {
    FUZZ_CHECK(flag == 7, "a failed get_bool wrote its output");
  }
  if (read_ok(CHECKED(cgym_event_get_int64(event, &i64)),
              kind == CGYM_EVENT_BOOL || kind == CGYM_EVENT_INT64, "get_int64", kind)) {
    fuzz_putf(b, " i%lld", (long long)i64);
  } else {
    FUZZ_CHECK(i64 == 77, "a failed get_int64 wrote its output");
  }
  if (read_ok(CHECKED(cgym_event_get_float(event, &f)), kind == CGYM_EVENT_FLOAT, "get_float",
              kind)) {
    fuzz_put_double(b, (double)f);
  } else {
    FUZZ_CHECK(f == 7.0f, "a failed get_float wrote its output");
  }
  if (read_ok(CHECKED(cgym_event_get_double(event, &d)),
              kind >= CGYM_EVENT_BOOL && kind <= CGYM_EVENT_DOUBLE, "get_double", kind)) {
    fuzz_put_double(b, d);
  } else {
    FUZZ_CHECK(d == 7.0, "a failed get_double wrote its output");
  }
  if (read_ok(CHECKED(cgym_event_get_string(event, &data, &length)), kind == CGYM_EVENT_STRING,
              "get_string", kind)) {
    FUZZ_CHECK(fuzz_is_utf8(data, length), "get_string: not UTF-8");
    fuzz_putf(b, " s%zu:", length);
    fuzz_put(b, data, length);
  } else {
    FUZZ_CHECK(data == SENTINEL && length == 7, "a failed get_string wrote its outputs");
  }
  length = 7;
  if (read_ok(CHECKED(cgym_event_get_any(event, &type_url, &bytes, &length)),
              kind == CGYM_EVENT_ANY, "get_any", kind)) {
    FUZZ_CHECK(fuzz_is_utf8(type_url, strlen(type_url)), "get_any: the type URL is not UTF-8");
    fuzz_putf(b, " a%zu:", strlen(type_url));
    fuzz_put(b, type_url, strlen(type_url));
    fuzz_putf(b, ":%zu:", length);
    fuzz_put(b, bytes, length);
  } else {
    FUZZ_CHECK(type_url == SENTINEL && bytes == SENTINEL && length == 7,
               "a failed get_any wrote its outputs");
  }
}

static void dump_tensor(fuzz_buffer* b, const cgym_event_t* event, cgym_event_kind_t kind) {
  const uint64_t* shape = (const uint64_t*)SENTINEL;
  const void* values = SENTINEL;
  size_t ndim = 7, count = 7, values_count = 7, i;

  if (!read_ok(CHECKED(cgym_event_tensor_shape(event, &shape, &ndim)), is_tensor(kind),
               "tensor_shape", kind)) {
    FUZZ_CHECK(shape == SENTINEL && ndim == 7, "a failed tensor_shape wrote its outputs");
  }
  if (!read_ok(CHECKED(cgym_event_tensor_count(event, &count)), is_tensor(kind), "tensor_count",
               kind)) {
    FUZZ_CHECK(count == 7, "a failed tensor_count wrote its output");
  }
  if (!read_ok(CHECKED(cgym_event_tensor_values(event, &values, &values_count)),
               is_numeric_tensor(kind), "tensor_values", kind)) {
    FUZZ_CHECK(values == SENTINEL && values_count == 7, "a failed tensor_values wrote its outputs");
  }
  if (!is_tensor(kind)) {
    const char* data = NULL;
    size_t length = 0;
    read_ok(CHECKED(cgym_event_string_tensor_at(event, 0, &data, &length)), 0, "string_tensor_at",
            kind);
    return;
  }
  FUZZ_CHECK(ndim == 0 ? shape == NULL : shape != NULL, "tensor_shape: %zu dimensions at %p", ndim,
             (const void*)shape);
  fuzz_putf(b, " t%zu[", ndim);
  for (i = 0; i < ndim; ++i) fuzz_putf(b, "%llu,", (unsigned long long)shape[i]);
  fuzz_putf(b, "]%zu:", count);
  if (is_numeric_tensor(kind)) {
    FUZZ_CHECK(values_count == count, "tensor_values: %zu values, tensor_count: %zu", values_count,
               count);
    if (kind == CGYM_EVENT_BOOL_TENSOR) {
      for (i = 0; i < count; ++i) {
        const uint8_t value = ((const uint8_t*)values)[i];
        FUZZ_CHECK(value <= 1, "BOOL tensor value %u", value);
      }
    }
    if (count) fuzz_put(b, values, count * tensor_value_size(kind));
  } else {
    const char* data = (const char*)SENTINEL;
    size_t length = 7;
    for (i = 0; i < count; ++i) {
      MUST(cgym_event_string_tensor_at(event, i, &data, &length));
      FUZZ_CHECK(fuzz_is_utf8(data, length), "string_tensor_at: not UTF-8");
      fuzz_putf(b, "%zu:", length);
      fuzz_put(b, data, length);
    }
    data = (const char*)SENTINEL;
    length = 7;
    FUZZ_CHECK(
        CHECKED(cgym_event_string_tensor_at(event, count, &data, &length)) == CGYM_OUT_OF_RANGE,
        "string_tensor_at past the end");
    FUZZ_CHECK(data == SENTINEL && length == 7, "a failed string_tensor_at wrote its outputs");
  }
}

/* Dumps an event with every reader; returns its nesting depth. */
static int dump_event(fuzz_buffer* b, const cgym_event_t* event) {
  const cgym_event_kind_t kind = cgym_event_kind(event);
  size_t count = 7, i;
  int depth = 1;
  fuzz_putf(b, "(%d", (int)kind);
  dump_event_scalars(b, event, kind);
  dump_tensor(b, event, kind);

  if (read_ok(CHECKED(cgym_event_list_count(event, &count)), kind == CGYM_EVENT_LIST, "list_count",
              kind)) {
    const cgym_event_t* item = (const cgym_event_t*)SENTINEL;
    fuzz_putf(b, " l%zu", count);
    for (i = 0; i < count; ++i) {
      int item_depth;
      MUST(cgym_event_list_at(event, i, &item));
      item_depth = dump_event(b, item);
      if (item_depth + 1 > depth) depth = item_depth + 1;
    }
    item = (const cgym_event_t*)SENTINEL;
    FUZZ_CHECK(CHECKED(cgym_event_list_at(event, count, &item)) == CGYM_OUT_OF_RANGE,
               "list_at past the end");
    FUZZ_CHECK(item == SENTINEL, "a failed list_at wrote its output");
  } else {
    FUZZ_CHECK(count == 7, "a failed list_count wrote its output");
  }

  count = 7;
  if (read_ok(CHECKED(cgym_event_dict_count(event, &count)), kind == CGYM_EVENT_DICT, "dict_count",
              kind)) {
    const char* previous = NULL;
    size_t previous_length = 0;
    fuzz_putf(b, " d%zu", count);
    for (i = 0; i < count; ++i) {
      const char* key = NULL;
      size_t key_length = 0;
      const cgym_event_t* value = NULL;
      const cgym_event_t* found = NULL;
      int value_depth;
      MUST(cgym_event_dict_at(event, i, &key, &key_length, &value));
      FUZZ_CHECK(key[key_length] == '\0', "dict_at: the key is not NUL-terminated");
      FUZZ_CHECK(fuzz_is_utf8(key, key_length), "dict_at: the key is not UTF-8");
      if (previous) {
        const size_t common = previous_length < key_length ? previous_length : key_length;
        const int order = memcmp(previous, key, common);
        FUZZ_CHECK(order < 0 || (order == 0 && previous_length < key_length),
                   "dict_at: keys out of order");
      }
      previous = key;
      previous_length = key_length;
      MUST(cgym_event_dict_get(event, key, key_length, &found));
      FUZZ_CHECK(found == value, "dict_get found another value than dict_at");
      fuzz_putf(b, " k%zu:", key_length);
      fuzz_put(b, key, key_length);
      value_depth = dump_event(b, value);
      if (value_depth + 1 > depth) depth = value_depth + 1;
    }
    {
      const char* key = (const char*)SENTINEL;
      const cgym_event_t* value = (const cgym_event_t*)SENTINEL;
      FUZZ_CHECK(CHECKED(cgym_event_dict_at(event, count, &key, NULL, &value)) == CGYM_OUT_OF_RANGE,
                 "dict_at past the end");
      FUZZ_CHECK(key == SENTINEL && value == SENTINEL, "a failed dict_at wrote its outputs");
    }
  } else {
    FUZZ_CHECK(count == 7, "a failed dict_count wrote its output");
  }
  fuzz_put(b, ")", 1);
  return depth;
}

/* The event made again with the constructors from what the readers give, or NULL if it cannot
 * be (a tensor whose values do not match its shape). */
static cgym_event_t* rebuild_event(const cgym_event_t* event) {
  const cgym_event_kind_t kind = cgym_event_kind(event);
  cgym_event_t* out = NULL;
  size_t count = 0, i;
  switch (kind) {
    case CGYM_EVENT_NONE:
      MUST(cgym_event_new(&out));
      return out;
    case CGYM_EVENT_BOOL: {
      int value = 0;
      MUST(cgym_event_get_bool(event, &value));
      MUST(cgym_event_new_bool(&out, value));
      return out;
    }
    case CGYM_EVENT_INT64: {
      int64_t value = 0;
      MUST(cgym_event_get_int64(event, &value));
      MUST(cgym_event_new_int64(&out, value));
      return out;
    }
    case CGYM_EVENT_FLOAT: {
      float value = 0;
      MUST(cgym_event_get_float(event, &value));
      MUST(cgym_event_new_float(&out, value));
      return out;
    }
    case CGYM_EVENT_DOUBLE: {
      double value = 0;
      MUST(cgym_event_get_double(event, &value));
      MUST(cgym_event_new_double(&out, value));
      return out;
    }
    case CGYM_EVENT_STRING: {
      const char* data = NULL;
      size_t length = 0;
      MUST(cgym_event_get_string(event, &data, &length));
      MUST(cgym_event_new_string(&out, data, length));
      return out;
    }
    case CGYM_EVENT_ANY: {
      const char* type_url = NULL;
      const void* data = NULL;
      size_t length = 0;
      MUST(cgym_event_get_any(event, &type_url, &data, &length));
      MUST(cgym_event_new_any(&out, type_url, data, length));
      return out;
    }
    case CGYM_EVENT_LIST: {
      MUST(cgym_event_list_count(event, &count));
      MUST(cgym_event_new_list(&out));
      for (i = 0; i < count; ++i) {
        const cgym_event_t* item = NULL;
        cgym_event_t* copy;
        MUST(cgym_event_list_at(event, i, &item));
        copy = rebuild_event(item);
        if (!copy) {
          cgym_event_free(out);
          return NULL;
        }
        MUST(cgym_event_list_append(out, copy));
        cgym_event_free(copy);
      }
      return out;
    }
    case CGYM_EVENT_DICT: {
      MUST(cgym_event_dict_count(event, &count));
      MUST(cgym_event_new_dict(&out));
      for (i = 0; i < count; ++i) {
        const char* key = NULL;
        size_t key_length = 0;
        const cgym_event_t* value = NULL;
        cgym_event_t* copy;
        MUST(cgym_event_dict_at(event, i, &key, &key_length, &value));
        copy = rebuild_event(value);
        if (!copy) {
          cgym_event_free(out);
          return NULL;
        }
        MUST(cgym_event_dict_set(out, key, key_length, copy));
        cgym_event_free(copy);
      }
      return out;
    }
    default:
      break;
  }
  if (is_tensor(kind)) {
    const uint64_t* shape = NULL;
    size_t ndim = 0;
    int overflow = 0;
    MUST(cgym_event_tensor_shape(event, &shape, &ndim));
    MUST(cgym_event_tensor_count(event, &count));
    if (shape_product(shape, ndim, &overflow) != count || overflow) return NULL;
    if (is_numeric_tensor(kind)) {
      const void* values = NULL;
      MUST(cgym_event_tensor_values(event, &values, &count));
      MUST(cgym_event_new_tensor(&out, kind, shape, ndim, values, count));
    } else {
      const char** values = (const char**)calloc(count ? count : 1, sizeof(char*));
      size_t* lengths = (size_t*)calloc(count ? count : 1, sizeof(size_t));
      FUZZ_CHECK(values && lengths, "out of memory");
      for (i = 0; i < count; ++i) {
        MUST(cgym_event_string_tensor_at(event, i, &values[i], &lengths[i]));
      }
      MUST(cgym_event_new_string_tensor(&out, shape, ndim, values, lengths, count));
      free(values);
      free(lengths);
    }
    return out;
  }
  FUZZ_CHECK(0, "cgym_event_kind gave the unknown kind %d", (int)kind);
  return NULL;
}

/* Dumps an event and checks its depth. */
static void dump_event_checked(fuzz_buffer* b, const cgym_event_t* event) {
  const int depth = dump_event(b, event);
  FUZZ_CHECK(depth <= CGYM_MAX_NESTING_DEPTH, "an event %d levels deep was accepted", depth);
}

static void expect_same_event(const fuzz_buffer* dump, const cgym_event_t* event, const char* how) {
  fuzz_buffer other = {0};
  dump_event_checked(&other, event);
  FUZZ_CHECK(fuzz_equal(dump, &other), "the event changed through %s", how);
  fuzz_buffer_free(&other);
}

static void fuzz_event(const uint8_t* data, size_t size) {
  cgym_event_t* event = (cgym_event_t*)SENTINEL;
  cgym_event_t* copy = NULL;
  fuzz_buffer dump = {0};
  void* bytes = NULL;
  size_t length = 0;
  const cgym_status_t status = CHECKED(cgym_event_parse(&event, data, size));
  if (status != CGYM_OK) {
    FUZZ_CHECK(status == CGYM_INVALID_ARGUMENT, "cgym_event_parse: %s", cgym_status_name(status));
    FUZZ_CHECK(event == SENTINEL, "a failed cgym_event_parse wrote its output");
    return;
  }
  dump_event_checked(&dump, event);

  MUST(cgym_event_serialize(event, &bytes, &length));
  MUST(cgym_event_parse(&copy, bytes, length));
  expect_same_event(&dump, copy, "serialize and parse");
  cgym_free(bytes);
  cgym_event_free(copy);

  MUST(cgym_event_clone(&copy, event));
  expect_same_event(&dump, copy, "clone");
  cgym_event_free(copy);

  copy = rebuild_event(event);
  if (copy) expect_same_event(&dump, copy, "the constructors");
  cgym_event_free(copy);

  cgym_event_free(event);
  fuzz_buffer_free(&dump);
}

/* --- Spaces ------------------------------------------------------------------------------ */

/* A reader of spaces: OK, or FAILED_PRECONDITION for a space of another kind. */
static int space_read_ok(cgym_status_t status, const char* reader) {
  FUZZ_CHECK(status == CGYM_OK || status == CGYM_FAILED_PRECONDITION, "%s: %s", reader,
             cgym_status_name(status));
  return status == CGYM_OK;
}

/* Dumps a space with every reader; returns its nesting depth. */
static int dump_space(fuzz_buffer* b, const cgym_space_t* space) {
  const cgym_space_kind_t kind = cgym_space_kind(space);
  const char* type_id = cgym_space_type_id(space);
  int64_t n = 77, min64 = 77, max64 = 77;
  double min = 7, max = 7;
  int has_min = 7, has_max = 7, depth = 1;
  size_t count = 7, ndim = 7, i;
  const uint64_t* shape = (const uint64_t*)SENTINEL;

  fuzz_putf(b, "(%d", (int)kind);
  if (type_id) {
    FUZZ_CHECK(fuzz_is_utf8(type_id, strlen(type_id)), "type_id: not UTF-8");
    fuzz_putf(b, " id%zu:", strlen(type_id));
    fuzz_put(b, type_id, strlen(type_id));
  }
  if (space_read_ok(CHECKED(cgym_space_discrete_n(space, &n)), "discrete_n")) {
    FUZZ_CHECK(kind == CGYM_SPACE_DISCRETE, "discrete_n of a kind-%d space", (int)kind);
    fuzz_putf(b, " n%lld", (long long)n);
  } else {
    FUZZ_CHECK(n == 77, "a failed discrete_n wrote its output");
  }
  if (space_read_ok(CHECKED(cgym_space_name_count(space, &count)), "name_count")) {
    const char* name = (const char*)SENTINEL;
    FUZZ_CHECK(kind == CGYM_SPACE_NAMED_DISCRETE, "name_count of a kind-%d space", (int)kind);
    fuzz_putf(b, " names%zu", count);
    for (i = 0; i < count; ++i) {
      MUST(cgym_space_name_at(space, i, &name));
      FUZZ_CHECK(fuzz_is_utf8(name, strlen(name)), "name_at: not UTF-8");
      fuzz_putf(b, " %zu:", strlen(name));
      fuzz_put(b, name, strlen(name));
    }
    name = (const char*)SENTINEL;
    FUZZ_CHECK(CHECKED(cgym_space_name_at(space, count, &name)) == CGYM_OUT_OF_RANGE,
               "name_at past the end");
    FUZZ_CHECK(name == SENTINEL, "a failed name_at wrote its output");
  } else {
    FUZZ_CHECK(count == 7, "a failed name_count wrote its output");
  }
  if (space_read_ok(CHECKED(cgym_space_range(space, &min, &has_min, &max, &has_max)), "range")) {
    FUZZ_CHECK((has_min == 0 || has_min == 1) && (has_max == 0 || has_max == 1),
               "range: has_min %d, has_max %d", has_min, has_max);
    fuzz_putf(b, " r%d%d", has_min, has_max);
    fuzz_put_double(b, min);
    fuzz_put_double(b, max);
  } else {
    FUZZ_CHECK(min == 7 && max == 7 && has_min == 7 && has_max == 7,
               "a failed range wrote its outputs");
  }
  has_min = has_max = 7;
  if (space_read_ok(CHECKED(cgym_space_int64_range(space, &min64, &has_min, &max64, &has_max)),
                    "int64_range")) {
    fuzz_putf(b, " ir%d%d:%lld:%lld", has_min, has_max, (long long)min64, (long long)max64);
  } else {
    FUZZ_CHECK(min64 == 77 && max64 == 77 && has_min == 7 && has_max == 7,
               "a failed int64_range wrote its outputs");
  }
  min64 = max64 = 77;
  if (space_read_ok(CHECKED(cgym_space_length_range(space, &min64, &max64)), "length_range")) {
    fuzz_putf(b, " len%lld:%lld", (long long)min64, (long long)max64);
  } else {
    FUZZ_CHECK(min64 == 77 && max64 == 77, "a failed length_range wrote its outputs");
  }
  if (space_read_ok(CHECKED(cgym_space_box_shape(space, &shape, &ndim)), "box_shape")) {
    size_t needed = 7;
    double *low, *high;
    fuzz_putf(b, " box%zu[", ndim);
    for (i = 0; i < ndim; ++i) fuzz_putf(b, "%llu,", (unsigned long long)shape[i]);
    /* A parsed box may have low and high bounds of different sizes: INVALID_ARGUMENT. */
    if (CHECKED(cgym_space_box_bounds(space, NULL, NULL, 0, &needed)) != CGYM_OK) {
      FUZZ_CHECK(cgym_last_error_code() == CGYM_INVALID_ARGUMENT, "box_bounds: %s",
                 cgym_status_name(cgym_last_error_code()));
      needed = 0;
    }
    low = (double*)calloc(needed ? needed : 1, sizeof(double));
    high = (double*)calloc(needed ? needed : 1, sizeof(double));
    FUZZ_CHECK(low && high, "out of memory");
    if (needed > 1) {
      count = 0;
      FUZZ_CHECK(
          CHECKED(cgym_space_box_bounds(space, low, high, needed - 1, &count)) == CGYM_OUT_OF_RANGE,
          "box_bounds with too small a buffer");
      FUZZ_CHECK(count == needed, "a failed box_bounds gave the count %zu, not %zu", count, needed);
    }
    if (needed) {
      MUST(cgym_space_box_bounds(space, low, high, needed, &count));
      FUZZ_CHECK(count == needed, "box_bounds: %zu values, then %zu", needed, count);
    }
    fuzz_putf(b, "]%zu:", needed);
    for (i = 0; i < needed; ++i) {
      fuzz_put_double(b, low[i]);
      fuzz_put_double(b, high[i]);
    }
    free(low);
    free(high);
  } else {
    FUZZ_CHECK(shape == SENTINEL && ndim == 7, "a failed box_shape wrote its outputs");
  }
  count = 7;
  if (space_read_ok(CHECKED(cgym_space_subspace_count(space, &count)), "subspace_count")) {
    const char* previous = NULL;
    fuzz_putf(b, " sub%zu", count);
    for (i = 0; i < count; ++i) {
      const char* key = (const char*)SENTINEL;
      const cgym_space_t* subspace = NULL;
      int sub_depth;
      MUST(cgym_space_subspace_at(space, i, &key, &subspace));
      FUZZ_CHECK((kind == CGYM_SPACE_DICT) == (key != NULL), "subspace_at: key %p of a kind-%d",
                 (const void*)key, (int)kind);
      if (key) {
        FUZZ_CHECK(fuzz_is_utf8(key, strlen(key)), "subspace_at: the key is not UTF-8");
        /* Keys come in strictly increasing order (the parsers reject keys with a NUL byte,
         * which would read cut short). */
        FUZZ_CHECK(!previous || strcmp(previous, key) < 0, "subspace_at: keys out of order");
        previous = key;
        fuzz_putf(b, " k%zu:", strlen(key));
        fuzz_put(b, key, strlen(key));
      }
      sub_depth = dump_space(b, subspace);
      if (sub_depth + 1 > depth) depth = sub_depth + 1;
    }
  } else {
    FUZZ_CHECK(count == 7, "a failed subspace_count wrote its output");
  }
  fuzz_put(b, ")", 1);
  return depth;
}

static void dump_space_checked(fuzz_buffer* b, const cgym_space_t* space) {
  const int depth = dump_space(b, space);
  FUZZ_CHECK(depth <= CGYM_MAX_NESTING_DEPTH, "a space %d levels deep was accepted", depth);
}

static void dump_name(fuzz_buffer* b, const char* name) {
  FUZZ_CHECK(fuzz_is_utf8(name, strlen(name)), "a space name is not UTF-8");
  fuzz_putf(b, "name%zu:", strlen(name));
  fuzz_put(b, name, strlen(name));
}

static void dump_action_space(fuzz_buffer* b, const cgym_action_space_t* space) {
  dump_name(b, cgym_action_space_name(space));
  dump_space_checked(b, cgym_action_space_space(space));
}

static void dump_observation_space(fuzz_buffer* b, const cgym_observation_space_t* space) {
  const int deterministic = cgym_observation_space_deterministic(space);
  const int platform_dependent = cgym_observation_space_platform_dependent(space);
  FUZZ_CHECK((deterministic == 0 || deterministic == 1) &&
                 (platform_dependent == 0 || platform_dependent == 1),
             "observation space flags %d %d", deterministic, platform_dependent);
  dump_name(b, cgym_observation_space_name(space));
  fuzz_putf(b, " f%d%d", deterministic, platform_dependent);
  FUZZ_CHECK(cgym_observation_space_space(space) != NULL, "an observation space without a space");
  dump_space_checked(b, cgym_observation_space_space(space));
  FUZZ_CHECK(cgym_observation_space_default(space) != NULL, "no default observation event");
  dump_event_checked(b, cgym_observation_space_default(space));
}

/* The space's clone must read as the space does. */
static void check_space_clone(const cgym_space_t* space) {
  fuzz_buffer a = {0}, c = {0};
  cgym_space_t* clone = NULL;
  MUST(cgym_space_clone(&clone, space));
  dump_space_checked(&a, space);
  dump_space_checked(&c, clone);
  FUZZ_CHECK(fuzz_equal(&a, &c), "the space changed through cgym_space_clone");
  cgym_space_free(clone);
  fuzz_buffer_free(&a);
  fuzz_buffer_free(&c);
}

static void fuzz_action_space(const uint8_t* data, size_t size) {
  cgym_action_space_t* space = (cgym_action_space_t*)SENTINEL;
  cgym_action_space_t* copy = NULL;
  fuzz_buffer dump = {0}, other = {0};
  void* bytes = NULL;
  size_t length = 0;
  const cgym_status_t status = CHECKED(cgym_action_space_parse(&space, data, size));
  if (status != CGYM_OK) {
    FUZZ_CHECK(status == CGYM_INVALID_ARGUMENT, "cgym_action_space_parse: %s",
               cgym_status_name(status));
    FUZZ_CHECK(space == SENTINEL, "a failed cgym_action_space_parse wrote its output");
    return;
  }
  dump_action_space(&dump, space);
  check_space_clone(cgym_action_space_space(space));

  MUST(cgym_action_space_serialize(space, &bytes, &length));
  MUST(cgym_action_space_parse(&copy, bytes, length));
  dump_action_space(&other, copy);
  FUZZ_CHECK(fuzz_equal(&dump, &other), "the action space changed through serialize and parse");
  cgym_free(bytes);
  cgym_action_space_free(copy);
  copy = NULL;
  other.size = 0;

  /* The constructor, from the parts: it may refuse them (a name it does not accept), but what
   * it makes must read the same. */
  if (CHECKED(cgym_action_space_new(&copy, cgym_action_space_name(space),
                                    cgym_action_space_space(space))) == CGYM_OK) {
    dump_action_space(&other, copy);
    FUZZ_CHECK(fuzz_equal(&dump, &other), "the action space changed through the constructor");
    cgym_action_space_free(copy);
  }
  cgym_action_space_free(space);
  fuzz_buffer_free(&dump);
  fuzz_buffer_free(&other);
}

static void fuzz_observation_space(const uint8_t* data, size_t size) {
  cgym_observation_space_t* space = (cgym_observation_space_t*)SENTINEL;
  cgym_observation_space_t* copy = NULL;
  fuzz_buffer dump = {0}, other = {0};
  void* bytes = NULL;
  size_t length = 0;
  const cgym_status_t status = CHECKED(cgym_observation_space_parse(&space, data, size));
  if (status != CGYM_OK) {
    FUZZ_CHECK(status == CGYM_INVALID_ARGUMENT, "cgym_observation_space_parse: %s",
               cgym_status_name(status));
    FUZZ_CHECK(space == SENTINEL, "a failed cgym_observation_space_parse wrote its output");
    return;
  }
  dump_observation_space(&dump, space);
  check_space_clone(cgym_observation_space_space(space));

  MUST(cgym_observation_space_serialize(space, &bytes, &length));
  MUST(cgym_observation_space_parse(&copy, bytes, length));
  dump_observation_space(&other, copy);
  FUZZ_CHECK(fuzz_equal(&dump, &other),
             "the observation space changed through serialize and parse");
  cgym_free(bytes);
  cgym_observation_space_free(copy);
  copy = NULL;
  other.size = 0;

  if (CHECKED(cgym_observation_space_new(&copy, cgym_observation_space_name(space),
                                         cgym_observation_space_space(space),
                                         cgym_observation_space_deterministic(space),
                                         cgym_observation_space_platform_dependent(space),
                                         cgym_observation_space_default(space))) == CGYM_OK) {
    dump_observation_space(&other, copy);
    FUZZ_CHECK(fuzz_equal(&dump, &other), "the observation space changed through the constructor");
    cgym_observation_space_free(copy);
  }
  cgym_observation_space_free(space);
  fuzz_buffer_free(&dump);
  fuzz_buffer_free(&other);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  switch (data[0] % 3) {
    case 0:
      fuzz_event(data + 1, size - 1);
      break;
    case 1:
      fuzz_action_space(data + 1, size - 1);
      break;
    default:
      fuzz_observation_space(data + 1, size - 1);
      break;
  }
  return 0;
}
