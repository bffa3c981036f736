/* SPDX-License-Identifier: MIT */
/**
 * @file cgym.h
 * cgym.h: the C ABI of libcgym, a CompilerGym service runtime and client.
 *
 * This is the only public header of libcgym.so. It compiles as C99 and as C++.
 *
 * ERRORS. Every fallible function returns a cgym_status_t: CGYM_OK (0) or an error code.
 * Codes 1 to 16 are gRPC's canonical codes; codes from 100 are the ServiceError family of
 * CompilerGym's client. cgym_status_parent() gives each code's parent in that hierarchy.
 * Every function that returns a cgym_status_t clears the calling thread's last error on entry
 * and sets it before returning an error: cgym_last_error_code() and cgym_last_error_message()
 * read it. Functions that cannot fail (those that return a value, a string or nothing, _free
 * functions included) leave it alone, so that "free, then read the message" works. A
 * function that fails leaves its output arguments untouched. No exception crosses this ABI.
 *
 * LISTS. A list inside an object is read with `cgym_OBJECT_ITEM_count(object, &count)` and
 * `cgym_OBJECT_ITEM_at(object, index, ...)`, which fails with OUT_OF_RANGE for an index
 * past the end; a lookup by key is `cgym_OBJECT_ITEM_get(object, key, ...)`.
 *
 * BUFFERS. A function that copies values into a caller's buffer takes (buffer, capacity,
 * &count): *count receives the number of values needed, even when the call fails with
 * OUT_OF_RANGE (the one output a failed call sets); capacity 0 asks for that number only and
 * succeeds (the buffers may then be NULL); a smaller non-zero capacity is OUT_OF_RANGE.
 *
 * STRINGS. A string that may hold any byte, NUL included (event strings, dict keys,
 * serialized values), crosses as a pointer and a length; names and other text cross as
 * NUL-terminated strings. Strings are UTF-8: event strings and dict keys, benchmark URIs and
 * session parameters that are not are INVALID_ARGUMENT before anything is sent.
 *
 * NESTING. Events and spaces nest at most CGYM_MAX_NESTING_DEPTH levels (a scalar, a string,
 * a tensor or an empty list is 1 level; a list or dict is 1 more than its deepest item), so
 * that every value survives the protobuf parsers of both ends. Building, serializing or
 * parsing a deeper one is INVALID_ARGUMENT, and so is a step with such an action.
 *
 * OWNERSHIP. Functions named _new, and output arguments documented as "owned", give the
 * caller an object to release with the matching _free function (cgym_free() for plain
 * buffers and strings, cgym_free_strings() for arrays of strings). _free functions accept
 * NULL and never fail. Getters return borrowed pointers that stay valid while the object
 * they came from lives and is not modified. Inputs are copied if kept: the caller may free
 * or reuse them as soon as a call returns.
 *
 * THREADS. A handle may move between threads, but must not be used by two threads at once,
 * unless its documentation says so. Different handles (an env and its forks included) may be
 * used from different threads at once. A service calls the slots of one session one at a
 * time; slots of different sessions run in parallel.
 *
 * VERSIONING. CGYM_VERSION_MAJOR/MINOR/PATCH give the version of this header;
 * cgym_version_number() and cgym_version_string() give the version of the library actually
 * loaded. The library's SONAME is `libcgym.so.CGYM_ABI_VERSION`. Functions and constants are
 * only added, never changed or removed, within one ABI version; callback structs start with
 * a version field and only grow at their end.
 *
 * Only cgym_* symbols are exported from the library.
 */
#ifndef CGYM_H_
#define CGYM_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define CGYM_API
#else
#define CGYM_API __attribute__((visibility("default")))
#endif

/* ===================================================================================== */
/* Versions                                                                               */
/* ===================================================================================== */

#define CGYM_VERSION_MAJOR 0
#define CGYM_VERSION_MINOR 6
#define CGYM_VERSION_PATCH 0
/** The SONAME suffix: libcgym.so.CGYM_ABI_VERSION. */
#define CGYM_ABI_VERSION 1
/** MAJOR * 10000 + MINOR * 100 + PATCH, as returned by cgym_version_number(). */
#define CGYM_VERSION_NUMBER \
  (CGYM_VERSION_MAJOR * 10000 + CGYM_VERSION_MINOR * 100 + CGYM_VERSION_PATCH)

/** The version of the loaded library as MAJOR * 10000 + MINOR * 100 + PATCH. Never fails. */
CGYM_API uint32_t cgym_version_number(void);

/** The version of the loaded library as "MAJOR.MINOR.PATCH". Never fails. Static string. */
CGYM_API const char* cgym_version_string(void);

/** The CompilerGym protocol version the library speaks ("0.2.5"), which a libcgym service
 * reports as its service_version. Never fails. Static string. */
CGYM_API const char* cgym_protocol_version_string(void);

/* ===================================================================================== */
/* Status codes and errors                                                                */
/* ===================================================================================== */

typedef int32_t cgym_status_t;

#define CGYM_OK 0
/** gRPC's canonical codes. The Python binding raises the exception named in brackets. */
#define CGYM_CANCELLED 1           /**< [ServiceError] */
#define CGYM_UNKNOWN 2             /**< [ServiceError] */
#define CGYM_INVALID_ARGUMENT 3    /**< bad input: [ValueError] */
#define CGYM_DEADLINE_EXCEEDED 4   /**< a time limit expired: [TimeoutError] */
#define CGYM_NOT_FOUND 5           /**< no such file, space, benchmark...: [FileNotFoundError] */
#define CGYM_ALREADY_EXISTS 6      /**< [ServiceError] */
#define CGYM_PERMISSION_DENIED 7   /**< [ServiceError] */
#define CGYM_RESOURCE_EXHAUSTED 8  /**< out of a resource: [ServiceOSError] */
#define CGYM_FAILED_PRECONDITION 9 /**< wrong kind of value, wrong state: [TypeError] */
#define CGYM_ABORTED 10            /**< [ServiceError] */
#define CGYM_OUT_OF_RANGE 11       /**< [ServiceError] */
#define CGYM_UNIMPLEMENTED 12      /**< not supported: [NotImplementedError] */
#define CGYM_INTERNAL 13           /**< the service failed: [ServiceError] */
#define CGYM_UNAVAILABLE 14        /**< [ServiceError] */
#define CGYM_DATA_LOSS 15          /**< [ServiceError] */
#define CGYM_UNAUTHENTICATED 16    /**< [ServiceError] */
/** CompilerGym's ServiceError family. */
#define CGYM_SESSION_NOT_FOUND 100         /**< no episode: reset() first [SessionNotFound] */
#define CGYM_SERVICE_INIT 101              /**< the service failed to start [ServiceInitError] */
#define CGYM_ENVIRONMENT_NOT_SUPPORTED 102 /**< [EnvironmentNotSupported] */
#define CGYM_SERVICE_TRANSPORT 103         /**< the transport failed [ServiceTransportError] */
#define CGYM_SERVICE_IS_CLOSED 104         /**< the service is gone [ServiceIsClosed] */
#define CGYM_BENCHMARK_INIT 105            /**< [BenchmarkInitError] */
#define CGYM_CALLBACK_ERROR 106            /**< a callback (reward, session) failed */

/** The code's name, e.g. "INVALID_ARGUMENT"; "UNKNOWN_CODE" for a code not listed above.
 * Never fails. Static string. */
CGYM_API const char* cgym_status_name(cgym_status_t code);

/** The parent of `code` in CompilerGym's exception hierarchy, in which CGYM_INTERNAL stands
 * for the root ServiceError: CGYM_INTERNAL for the other codes of the ServiceError family
 * (CANCELLED, UNKNOWN, ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, ABORTED,
 * OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED, SESSION_NOT_FOUND, SERVICE_INIT,
 * SERVICE_TRANSPORT, SERVICE_IS_CLOSED); CGYM_SERVICE_INIT for ENVIRONMENT_NOT_SUPPORTED;
 * CGYM_INVALID_ARGUMENT for BENCHMARK_INIT (a ValueError); CGYM_OK for the roots (OK,
 * INTERNAL, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, FAILED_PRECONDITION,
 * UNIMPLEMENTED, CALLBACK_ERROR) and for unknown codes. Never fails. */
CGYM_API cgym_status_t cgym_status_parent(cgym_status_t code);

/** 1 if `code` is CGYM_INTERNAL or descends from it (a ServiceError), else 0. */
CGYM_API int cgym_status_is_service_error(cgym_status_t code);

/** The message of the calling thread's last error; "" when the last call succeeded. The
 * string is valid until the thread's next call into libcgym. Never NULL. */
CGYM_API const char* cgym_last_error_message(void);

/** The code of the calling thread's last error; CGYM_OK when the last call succeeded. */
CGYM_API cgym_status_t cgym_last_error_code(void);

/** For callbacks (sessions and rewards written in C): records `code` and `message` as the
 * calling thread's last error and returns `code`, so a callback can
 * `return cgym_set_error(CGYM_INVALID_ARGUMENT, "Out-of-range");`. The runtime reports that
 * code and message to the client. `message` may be NULL. */
CGYM_API cgym_status_t cgym_set_error(cgym_status_t code, const char* message);

/** Releases a buffer or string that libcgym returned as owned. Accepts NULL. */
CGYM_API void cgym_free(void* pointer);

/** Releases an owned array of `count` owned strings. Accepts NULL. */
CGYM_API void cgym_free_strings(char** strings, size_t count);

/* ===================================================================================== */
/* Events: actions and observations                                                       */
/* ===================================================================================== */

/** A value of CompilerGym's Event message: a scalar, a string, a tensor, a list or a dict of
 * events, or an opaque protobuf Any. */
typedef struct cgym_event cgym_event_t;

/** The deepest nesting of events and spaces (see NESTING at the top). */
#define CGYM_MAX_NESTING_DEPTH 32

/** Event kinds. The values are the field numbers of Event's `value` oneof. */
typedef int32_t cgym_event_kind_t;
#define CGYM_EVENT_NONE 0 /**< an empty event */
#define CGYM_EVENT_LIST 2
#define CGYM_EVENT_DICT 3
#define CGYM_EVENT_BOOL 4
#define CGYM_EVENT_INT64 5
#define CGYM_EVENT_FLOAT 6
#define CGYM_EVENT_DOUBLE 7
#define CGYM_EVENT_STRING 8
#define CGYM_EVENT_BOOL_TENSOR 9    /**< values: uint8_t, 0 or 1 */
#define CGYM_EVENT_BYTE_TENSOR 10   /**< values: int8_t */
#define CGYM_EVENT_INT64_TENSOR 11  /**< values: int64_t */
#define CGYM_EVENT_FLOAT_TENSOR 12  /**< values: float */
#define CGYM_EVENT_DOUBLE_TENSOR 13 /**< values: double */
#define CGYM_EVENT_STRING_TENSOR 14 /**< values: strings */
#define CGYM_EVENT_ANY 15           /**< a google.protobuf.Any: type URL and bytes */

/** An empty event (kind CGYM_EVENT_NONE). *out is owned: cgym_event_free(). */
CGYM_API cgym_status_t cgym_event_new(cgym_event_t** out);
/** Scalar and string events. *out is owned. */
CGYM_API cgym_status_t cgym_event_new_bool(cgym_event_t** out, int value);
CGYM_API cgym_status_t cgym_event_new_int64(cgym_event_t** out, int64_t value);
CGYM_API cgym_status_t cgym_event_new_float(cgym_event_t** out, float value);
CGYM_API cgym_status_t cgym_event_new_double(cgym_event_t** out, double value);
/** `data` holds `length` bytes of UTF-8 (INVALID_ARGUMENT otherwise, as for every string
 * given to the functions of this section); it may be NULL if length is 0. */
CGYM_API cgym_status_t cgym_event_new_string(cgym_event_t** out, const char* data, size_t length);
/** A numeric tensor of `kind` (BOOL, BYTE, INT64, FLOAT or DOUBLE _TENSOR) with `ndim`
 * dimensions `shape` and `count` values of the kind's C type, flattened in row-major order.
 * INVALID_ARGUMENT if count is not the product of the shape, or kind is not such a tensor. */
CGYM_API cgym_status_t cgym_event_new_tensor(cgym_event_t** out, cgym_event_kind_t kind,
                                             const uint64_t* shape, size_t ndim, const void* values,
                                             size_t count);
/** A string tensor. `lengths` may be NULL for NUL-terminated `values`. */
CGYM_API cgym_status_t cgym_event_new_string_tensor(cgym_event_t** out, const uint64_t* shape,
                                                    size_t ndim, const char* const* values,
                                                    const size_t* lengths, size_t count);
/** An empty list or dict, filled with cgym_event_list_append() and cgym_event_dict_set(). */
CGYM_API cgym_status_t cgym_event_new_list(cgym_event_t** out);
CGYM_API cgym_status_t cgym_event_new_dict(cgym_event_t** out);
/** A protobuf Any with this type URL (e.g. "type.googleapis.com/compiler_gym.Opaque"). */
CGYM_API cgym_status_t cgym_event_new_any(cgym_event_t** out, const char* type_url,
                                          const void* data, size_t length);
/** A deep copy. *out is owned. */
CGYM_API cgym_status_t cgym_event_clone(cgym_event_t** out, const cgym_event_t* event);
/** Releases an owned event. Accepts NULL. Never pass a borrowed event. */
CGYM_API void cgym_event_free(cgym_event_t* event);

/** Setters: replace the value of an existing event (owned, or handed to a session callback
 * to fill). They mirror the constructors above. */
CGYM_API cgym_status_t cgym_event_clear(cgym_event_t* event);
CGYM_API cgym_status_t cgym_event_set_bool(cgym_event_t* event, int value);
CGYM_API cgym_status_t cgym_event_set_int64(cgym_event_t* event, int64_t value);
CGYM_API cgym_status_t cgym_event_set_float(cgym_event_t* event, float value);
CGYM_API cgym_status_t cgym_event_set_double(cgym_event_t* event, double value);
CGYM_API cgym_status_t cgym_event_set_string(cgym_event_t* event, const char* data, size_t length);
CGYM_API cgym_status_t cgym_event_set_tensor(cgym_event_t* event, cgym_event_kind_t kind,
                                             const uint64_t* shape, size_t ndim, const void* values,
                                             size_t count);
CGYM_API cgym_status_t cgym_event_set_string_tensor(cgym_event_t* event, const uint64_t* shape,
                                                    size_t ndim, const char* const* values,
                                                    const size_t* lengths, size_t count);
/** Make the event an empty list, an empty dict, or a protobuf Any (as cgym_event_new_list,
 * _new_dict and _new_any do), e.g. for an observation a session returns. */
CGYM_API cgym_status_t cgym_event_set_list(cgym_event_t* event);
CGYM_API cgym_status_t cgym_event_set_dict(cgym_event_t* event);
CGYM_API cgym_status_t cgym_event_set_any(cgym_event_t* event, const char* type_url,
                                          const void* data, size_t length);
/** Appends a copy of `item` to a list event (FAILED_PRECONDITION if `list` is not a list;
 * an empty event becomes a list). */
CGYM_API cgym_status_t cgym_event_list_append(cgym_event_t* list, const cgym_event_t* item);
/** Sets the key of `key_length` bytes (UTF-8) to a copy of `value` in a dict event (an empty
 * event becomes a dict). */
CGYM_API cgym_status_t cgym_event_dict_set(cgym_event_t* dict, const char* key, size_t key_length,
                                           const cgym_event_t* value);

/** The event's kind; CGYM_EVENT_NONE for an empty event or NULL. Never fails. */
CGYM_API cgym_event_kind_t cgym_event_kind(const cgym_event_t* event);

/** Readers. FAILED_PRECONDITION if the event is of another kind. */
CGYM_API cgym_status_t cgym_event_get_bool(const cgym_event_t* event, int* value);
/** Reads BOOL and INT64 events. */
CGYM_API cgym_status_t cgym_event_get_int64(const cgym_event_t* event, int64_t* value);
CGYM_API cgym_status_t cgym_event_get_float(const cgym_event_t* event, float* value);
/** Reads any scalar numeric event (BOOL, INT64, FLOAT, DOUBLE) as a double. */
CGYM_API cgym_status_t cgym_event_get_double(const cgym_event_t* event, double* value);
/** *data is borrowed (not NUL-terminated in general; *length bytes). */
CGYM_API cgym_status_t cgym_event_get_string(const cgym_event_t* event, const char** data,
                                             size_t* length);
/** The shape of a tensor event; *shape is borrowed (NULL when ndim is 0). */
CGYM_API cgym_status_t cgym_event_tensor_shape(const cgym_event_t* event, const uint64_t** shape,
                                               size_t* ndim);
/** The values of a numeric tensor event: borrowed, `*count` values of the kind's C type. */
CGYM_API cgym_status_t cgym_event_tensor_values(const cgym_event_t* event, const void** values,
                                                size_t* count);
/** The number of values of any tensor event. */
CGYM_API cgym_status_t cgym_event_tensor_count(const cgym_event_t* event, size_t* count);
/** Value `index` of a string tensor; *data is borrowed. OUT_OF_RANGE for a bad index. */
CGYM_API cgym_status_t cgym_event_string_tensor_at(const cgym_event_t* event, size_t index,
                                                   const char** data, size_t* length);
/** Lists: the number of items, and item `index` (borrowed). */
CGYM_API cgym_status_t cgym_event_list_count(const cgym_event_t* event, size_t* count);
CGYM_API cgym_status_t cgym_event_list_at(const cgym_event_t* event, size_t index,
                                          const cgym_event_t** item);
/** Dicts: the number of entries; entry `index` in key order (*key borrowed, *key_length bytes,
 * NUL-terminated; key_length may be NULL); the value of the key of `key_length` bytes
 * (NOT_FOUND if absent). Keys are UTF-8 and may contain NUL. */
CGYM_API cgym_status_t cgym_event_dict_count(const cgym_event_t* event, size_t* count);
CGYM_API cgym_status_t cgym_event_dict_at(const cgym_event_t* event, size_t index, const char** key,
                                          size_t* key_length, const cgym_event_t** value);
CGYM_API cgym_status_t cgym_event_dict_get(const cgym_event_t* event, const char* key,
                                           size_t key_length, const cgym_event_t** value);
/** An Any event's type URL (borrowed, NUL-terminated) and bytes (borrowed). */
CGYM_API cgym_status_t cgym_event_get_any(const cgym_event_t* event, const char** type_url,
                                          const void** data, size_t* length);

/** The event as serialized compiler_gym.Event protobuf bytes. *data is owned: cgym_free(). */
CGYM_API cgym_status_t cgym_event_serialize(const cgym_event_t* event, void** data, size_t* length);
/** An event parsed from serialized compiler_gym.Event bytes; INVALID_ARGUMENT if malformed. */
CGYM_API cgym_status_t cgym_event_parse(cgym_event_t** out, const void* data, size_t length);

/* ===================================================================================== */
/* Spaces                                                                                 */
/* ===================================================================================== */

/** A space description (CompilerGym's Space message). */
typedef struct cgym_space cgym_space_t;
/** A named action space (ActionSpace). */
typedef struct cgym_action_space cgym_action_space_t;
/** A named observation space with its flags and default observation (ObservationSpace). */
typedef struct cgym_observation_space cgym_observation_space_t;

/** Space kinds: the field numbers of Space's `value` oneof. */
typedef int32_t cgym_space_kind_t;
#define CGYM_SPACE_NONE 0
#define CGYM_SPACE_LIST 3
#define CGYM_SPACE_DICT 4
#define CGYM_SPACE_DISCRETE 5
#define CGYM_SPACE_NAMED_DISCRETE 6
#define CGYM_SPACE_BOOL_RANGE 7
#define CGYM_SPACE_INT64_RANGE 8
#define CGYM_SPACE_FLOAT_RANGE 9
#define CGYM_SPACE_DOUBLE_RANGE 10
#define CGYM_SPACE_STRING 11
#define CGYM_SPACE_BOOL_SEQUENCE 12
#define CGYM_SPACE_BYTE_SEQUENCE 13
#define CGYM_SPACE_BYTES_SEQUENCE 14
#define CGYM_SPACE_INT64_SEQUENCE 15
#define CGYM_SPACE_FLOAT_SEQUENCE 16
#define CGYM_SPACE_DOUBLE_SEQUENCE 17
#define CGYM_SPACE_STRING_SEQUENCE 18
#define CGYM_SPACE_BOOL_BOX 19
#define CGYM_SPACE_BYTE_BOX 20
#define CGYM_SPACE_INT64_BOX 21
#define CGYM_SPACE_FLOAT_BOX 22
#define CGYM_SPACE_DOUBLE_BOX 23
#define CGYM_SPACE_ANY 24
#define CGYM_SPACE_SPACE_SEQUENCE 25
#define CGYM_SPACE_SPACE_UNION 26

/** Space constructors, for services that declare their spaces. *out is owned:
 * cgym_space_free(). */
CGYM_API cgym_status_t cgym_space_new_discrete(cgym_space_t** out, int64_t n);
CGYM_API cgym_status_t cgym_space_new_named_discrete(cgym_space_t** out, const char* const* names,
                                                     size_t count);
/** A scalar range of kind BOOL_RANGE, INT64_RANGE, FLOAT_RANGE or DOUBLE_RANGE; a bound is
 * set only if its `has_` flag is non-zero (unset = unbounded). */
CGYM_API cgym_status_t cgym_space_new_range(cgym_space_t** out, cgym_space_kind_t kind, double min,
                                            int has_min, double max, int has_max);
/** A string space with a length range (max_length < 0: unbounded). */
CGYM_API cgym_status_t cgym_space_new_string(cgym_space_t** out, int64_t min_length,
                                             int64_t max_length);
/** A box of kind BOOL_BOX, BYTE_BOX, INT64_BOX, FLOAT_BOX or DOUBLE_BOX with this shape and
 * `count` bounds each (the product of the shape), given as doubles. */
CGYM_API cgym_status_t cgym_space_new_box(cgym_space_t** out, cgym_space_kind_t kind,
                                          const uint64_t* shape, size_t ndim, const double* low,
                                          const double* high, size_t count);
/** A sequence space of kind `*_SEQUENCE` with a length range (max_length < 0: unbounded); a
 * scalar range where the kind has one (`has_` flags as above; ignored for BYTES, STRING and
 * SPACE _SEQUENCE). A SPACE_SEQUENCE gets its element space from cgym_space_add(). */
CGYM_API cgym_status_t cgym_space_new_sequence(cgym_space_t** out, cgym_space_kind_t kind,
                                               int64_t min_length, int64_t max_length,
                                               double scalar_min, int has_scalar_min,
                                               double scalar_max, int has_scalar_max);
/** An empty list (LIST or SPACE_UNION) or dict space, filled with cgym_space_add(). */
CGYM_API cgym_status_t cgym_space_new_composite(cgym_space_t** out, cgym_space_kind_t kind);
/** Adds a copy of `subspace` to a LIST, SPACE_UNION (key ignored) or DICT (key required; an
 * existing key is replaced), or makes it the element space of a SPACE_SEQUENCE (key
 * ignored). FAILED_PRECONDITION for other kinds. */
CGYM_API cgym_status_t cgym_space_add(cgym_space_t* space, const char* key,
                                      const cgym_space_t* subspace);
CGYM_API cgym_status_t cgym_space_clone(cgym_space_t** out, const cgym_space_t* space);
CGYM_API void cgym_space_free(cgym_space_t* space);

/** The space's kind; CGYM_SPACE_NONE for NULL or an empty space. Never fails. */
CGYM_API cgym_space_kind_t cgym_space_kind(const cgym_space_t* space);
/** The optional type_id ("permutation", ...): borrowed, NULL if unset. Never fails. */
CGYM_API const char* cgym_space_type_id(const cgym_space_t* space);
/** DISCRETE: n. */
CGYM_API cgym_status_t cgym_space_discrete_n(const cgym_space_t* space, int64_t* n);
/** NAMED_DISCRETE: the number of names and name `index` (borrowed). */
CGYM_API cgym_status_t cgym_space_name_count(const cgym_space_t* space, size_t* count);
CGYM_API cgym_status_t cgym_space_name_at(const cgym_space_t* space, size_t index,
                                          const char** name);
/** The scalar range of a `*_RANGE` space, or the scalar range of a BOOL, BYTE, INT64, FLOAT or
 * DOUBLE `_SEQUENCE` space, as doubles. An unset bound gives `has_min` or `has_max` = 0 and
 * CompilerGym's default (false/true, INT64_MIN/INT64_MAX, -inf/+inf). */
CGYM_API cgym_status_t cgym_space_range(const cgym_space_t* space, double* min, int* has_min,
                                        double* max, int* has_max);
/** The same for INT64_RANGE, INT64_SEQUENCE and BYTE_SEQUENCE, exactly. */
CGYM_API cgym_status_t cgym_space_int64_range(const cgym_space_t* space, int64_t* min, int* has_min,
                                              int64_t* max, int* has_max);
/** The length range of STRING, `*_SEQUENCE` and SPACE_SEQUENCE spaces (max -1: unbounded). */
CGYM_API cgym_status_t cgym_space_length_range(const cgym_space_t* space, int64_t* min,
                                               int64_t* max);
/** The shape of a `*_BOX` space (from its low tensor); *shape borrowed. */
CGYM_API cgym_status_t cgym_space_box_shape(const cgym_space_t* space, const uint64_t** shape,
                                            size_t* ndim);
/** Copies a `*_BOX` space's bounds as doubles into low and high, which hold `capacity` values
 * each; *count receives the number of values. low = high = NULL with capacity 0 asks for the
 * size only; a smaller capacity is OUT_OF_RANGE (see "Buffers" at the top). */
CGYM_API cgym_status_t cgym_space_box_bounds(const cgym_space_t* space, double* low, double* high,
                                             size_t capacity, size_t* count);
/** The subspaces of LIST, SPACE_UNION and DICT spaces (dict entries in key order; *key is NULL
 * for lists) and the element space of a SPACE_SEQUENCE (count 1). Borrowed. */
CGYM_API cgym_status_t cgym_space_subspace_count(const cgym_space_t* space, size_t* count);
CGYM_API cgym_status_t cgym_space_subspace_at(const cgym_space_t* space, size_t index,
                                              const char** key, const cgym_space_t** subspace);

/** Action spaces. *out is owned: cgym_action_space_free(). */
CGYM_API cgym_status_t cgym_action_space_new(cgym_action_space_t** out, const char* name,
                                             const cgym_space_t* space);
CGYM_API void cgym_action_space_free(cgym_action_space_t* space);
/** The name (borrowed; "" for NULL) and the space (borrowed; NULL for NULL). Never fail. */
CGYM_API const char* cgym_action_space_name(const cgym_action_space_t* space);
CGYM_API const cgym_space_t* cgym_action_space_space(const cgym_action_space_t* space);
/** Serialized compiler_gym.ActionSpace bytes (*data owned: cgym_free()) and back. Parsing
 * fails with INVALID_ARGUMENT "... contains a NUL byte" if the name, or a type id, dict key or
 * named discrete name of the space, holds a NUL byte: they are read back as NUL-terminated
 * strings. */
CGYM_API cgym_status_t cgym_action_space_serialize(const cgym_action_space_t* space, void** data,
                                                   size_t* length);
CGYM_API cgym_status_t cgym_action_space_parse(cgym_action_space_t** out, const void* data,
                                               size_t length);

/** Observation spaces. `default_observation` may be NULL (none). *out is owned. */
CGYM_API cgym_status_t cgym_observation_space_new(cgym_observation_space_t** out, const char* name,
                                                  const cgym_space_t* space, int deterministic,
                                                  int platform_dependent,
                                                  const cgym_event_t* default_observation);
CGYM_API void cgym_observation_space_free(cgym_observation_space_t* space);
/** Borrowed name ("" for NULL), space, flags (0 for NULL), and default observation (an
 * event of kind CGYM_EVENT_NONE if the service gives none; NULL for NULL). Never fail. */
CGYM_API const char* cgym_observation_space_name(const cgym_observation_space_t* space);
CGYM_API const cgym_space_t* cgym_observation_space_space(const cgym_observation_space_t* space);
CGYM_API int cgym_observation_space_deterministic(const cgym_observation_space_t* space);
CGYM_API int cgym_observation_space_platform_dependent(const cgym_observation_space_t* space);
CGYM_API const cgym_event_t* cgym_observation_space_default(const cgym_observation_space_t* space);
CGYM_API cgym_status_t cgym_observation_space_serialize(const cgym_observation_space_t* space,
                                                        void** data, size_t* length);
/** As cgym_action_space_parse(): a name, type id, dict key or named discrete name with a NUL
 * byte is INVALID_ARGUMENT "... contains a NUL byte". */
CGYM_API cgym_status_t cgym_observation_space_parse(cgym_observation_space_t** out,
                                                    const void* data, size_t length);

/* ===================================================================================== */
/* The client: connecting and driving environments                                        */
/* ===================================================================================== */

/** Settings for cgym_connect(): CompilerGym's ConnectionOpts, plus the env's initial
 * benchmark and default spaces. */
typedef struct cgym_options cgym_options_t;

/** Options with CompilerGym's defaults. *out is owned: cgym_options_free(). */
CGYM_API cgym_status_t cgym_options_new(cgym_options_t** out);
CGYM_API void cgym_options_free(cgym_options_t* options);
/** ConnectionOpts. Negative counts and times are INVALID_ARGUMENT. Defaults in brackets. */
CGYM_API cgym_status_t cgym_options_set_rpc_max_retries(cgym_options_t* o, int value); /**< [5] */
CGYM_API cgym_status_t cgym_options_set_retry_wait_seconds(cgym_options_t* o,
                                                           double value); /**< [0.1] */
CGYM_API cgym_status_t cgym_options_set_retry_wait_backoff_exponent(cgym_options_t* o,
                                                                    double value); /**< [1.5] */
CGYM_API cgym_status_t cgym_options_set_init_max_seconds(cgym_options_t* o,
                                                         double value); /**< [30] */
CGYM_API cgym_status_t cgym_options_set_init_max_attempts(cgym_options_t* o, int value); /**< [5] */
CGYM_API cgym_status_t
cgym_options_set_local_service_port_init_max_seconds(cgym_options_t* o, double value); /**< [30] */
CGYM_API cgym_status_t cgym_options_set_local_service_exit_max_seconds(cgym_options_t* o,
                                                                       double value); /**< [30] */
CGYM_API cgym_status_t cgym_options_set_rpc_init_max_seconds(cgym_options_t* o,
                                                             double value); /**< [3] */
CGYM_API cgym_status_t cgym_options_set_always_send_benchmark_on_reset(cgym_options_t* o,
                                                                       int value); /**< [0] */
/** Appends an argument for a managed service's command line. */
CGYM_API cgym_status_t cgym_options_add_script_arg(cgym_options_t* o, const char* arg);
/** Sets an environment variable for a managed service. */
CGYM_API cgym_status_t cgym_options_set_script_env(cgym_options_t* o, const char* key,
                                                   const char* value);
/** The token for an unmanaged service ("HOST:PORT", "unix:PATH") started with one
 * (`--token_file` or CGYM_SERVICE_TOKEN): every call carries the gRPC metadata
 * `authorization: Bearer <token>`, without which such a service answers UNAUTHENTICATED.
 * NULL or "" for none [none]. A managed service ignores it: the env makes one of its own.
 * INVALID_ARGUMENT for NULL options or a token that is not printable ASCII without spaces.
 * Added in 0.6.0. */
CGYM_API cgym_status_t cgym_options_set_token(cgym_options_t* o, const char* token);
/** Connects to an unmanaged "HOST:PORT" service over TLS [plaintext]; calling this at all turns
 * TLS on. `root_certs_path` is a PEM file of the root certificates that the service's
 * certificate must chain to (NULL: the system's roots), and that certificate must name the
 * host of the endpoint; `client_cert_path` and `client_key_path` are PEM files of a client
 * certificate and its key, for a service that requires one (both or neither). NULL and "" are
 * alike. The files are read by cgym_connect(), which fails with INVALID_ARGUMENT naming a file
 * that cannot be read or is empty. INVALID_ARGUMENT here for NULL options, or a certificate
 * without its key or the reverse. Managed services ignore it (they are reached over a private
 * Unix socket). Added in 0.6.0. */
CGYM_API cgym_status_t cgym_options_set_tls(cgym_options_t* o, const char* root_certs_path,
                                            const char* client_cert_path,
                                            const char* client_key_path);
/** The benchmark of the first reset: a URI, optionally with the program's bytes. */
CGYM_API cgym_status_t cgym_options_set_benchmark(cgym_options_t* o, const char* uri,
                                                  const void* program, size_t length);
/** Default spaces by name; NULL or "" for none (action space: the first). */
CGYM_API cgym_status_t cgym_options_set_observation_space(cgym_options_t* o, const char* name);
CGYM_API cgym_status_t cgym_options_set_reward_space(cgym_options_t* o, const char* name);
CGYM_API cgym_status_t cgym_options_set_action_space(cgym_options_t* o, const char* name);

/** A compiler environment (CompilerGym's ClientServiceCompilerEnv). */
typedef struct cgym_env cgym_env_t;

/** Settings of one call to a service (cgym_env_reset(), cgym_step()), made once and reused
 * for any number of calls. NULL where a call takes one means the defaults. */
typedef struct cgym_call_options cgym_call_options_t;

/** Call options with the defaults. *out is owned: cgym_call_options_free(). */
CGYM_API cgym_status_t cgym_call_options_new(cgym_call_options_t** out);
CGYM_API void cgym_call_options_free(cgym_call_options_t* options);
/** The deadline of the whole call, in seconds [300, as CompilerGym's]: the RPCs it makes, their
 * retries, reconnecting and relaunching a service (a reset that runs out of time fails with
 * DEADLINE_EXCEEDED; one that runs out of connection attempts first, with SERVICE_INIT). A
 * managed service that lets a deadline pass is killed at once, without the caller waiting, and
 * replaced on the next reset; a session abandoned on an unmanaged service is ended once the
 * service answers again. In-process calls run on the caller's thread and cannot be cut short.
 * INFINITY means no deadline; 0 expires at once. INVALID_ARGUMENT for NaN or a negative
 * value. */
CGYM_API cgym_status_t cgym_call_options_set_timeout(cgym_call_options_t* options, double seconds);

/** Connects to a service and makes an env. `endpoint` is
 *   the path of a service binary: a managed service, launched now and owned by the env (and
 *     its forks); it dies with this process, even if the process is killed;
 *   "HOST:PORT" or "unix:PATH": an unmanaged service someone else runs;
 *   "inproc:NAME": a service registered in this process with cgym_service_register().
 * `options` may be NULL (defaults). *out is owned: cgym_env_free(). Errors: INVALID_ARGUMENT
 * for an empty endpoint or a TLS file that cannot be read (cgym_options_set_tls()); NOT_FOUND
 * for a missing binary or unregistered name; PERMISSION_DENIED if the directory of managed
 * services' working directories is not the user's own (another user's, or one that others may
 * write in); UNAUTHENTICATED if the service requires a token that `options` does not give
 * (cgym_options_set_token()); SERVICE_INIT if the service fails to start (the message has its
 * exit status and the tail of its log and stderr); DEADLINE_EXCEEDED if it does not answer in
 * time. */
CGYM_API cgym_status_t cgym_connect(cgym_env_t** out, const char* endpoint,
                                    const cgym_options_t* options);
/** Closes the env (ending its episode; the service stops with its last env) and frees it.
 * Accepts NULL. Errors while closing are only logged: call cgym_env_close() to see them. */
CGYM_API void cgym_env_free(cgym_env_t* env);
/** Ends the episode and releases the service. Idempotent; a later reset reconnects.
 * CGYM_INTERNAL "Service exited with returncode N" if a managed service exited badly.
 * While other envs (forks) keep sessions on the same service, the EndSession is sent without
 * waiting for its reply (its failure is logged): the env is free at once, and the service
 * ends the session in parallel. The last env of a service waits for every such end. */
CGYM_API cgym_status_t cgym_env_close(cgym_env_t* env);

/** Starts an episode with the current benchmark and spaces. If a default observation space is
 * set and `observation` is not NULL, *observation receives it (owned); otherwise NULL.
 * `call_options` may be NULL (defaults); an expired deadline counts as a failed attempt: the
 * service is replaced and the reset retried, as for a dead service. FAILED_PRECONDITION if no
 * benchmark is set; a dead service is replaced and reset retried (SERVICE_INIT after
 * init_max_attempts). The previous episode's EndSession is not waited for (CompilerGym only
 * logs its failure), so a reset costs about one round trip. */
CGYM_API cgym_status_t cgym_env_reset(cgym_env_t* env, const cgym_call_options_t* call_options,
                                      cgym_event_t** observation);
/** The benchmark for the next reset (takes effect then): a URI, optionally with program bytes
 * (program NULL: URI only). */
CGYM_API cgym_status_t cgym_env_set_benchmark(cgym_env_t* env, const char* uri, const void* program,
                                              size_t length);
/** The current episode's benchmark URI (borrowed; "" before the first reset). */
CGYM_API const char* cgym_env_benchmark(const cgym_env_t* env);
/** Default spaces by name; NULL or "" for none. NOT_FOUND for an unknown name. A new reward
 * space restarts the episode's reward. */
CGYM_API cgym_status_t cgym_env_set_observation_space(cgym_env_t* env, const char* name);
CGYM_API cgym_status_t cgym_env_set_reward_space(cgym_env_t* env, const char* name);
/** The action space for the next reset. */
CGYM_API cgym_status_t cgym_env_set_action_space(cgym_env_t* env, const char* name);

/** The result of a step. */
typedef struct cgym_step_result cgym_step_result_t;

/** Applies `num_actions` actions, then computes observations and rewards. Spaces:
 * observation_spaces == NULL means the default observation space (if any); otherwise the
 * `num_observation_spaces` named spaces (possibly none). The same for rewards.
 * `call_options` may be NULL (defaults). *result is owned: cgym_step_result_free().
 * SESSION_NOT_FOUND before reset; INVALID_ARGUMENT for an action the service rejects (the
 * episode goes on); NOT_FOUND for an unknown space name. A failure of the service or the
 * transport is not an error of this call: the result says done, with the spaces' default
 * observations, the rewards' reward_on_error, and error_type and error_details; the episode
 * is over. A step whose deadline passes is such a failed step, with error_type
 * "TimeoutError" and error_details "Deadline Exceeded (`<timeout>` seconds)". */
CGYM_API cgym_status_t cgym_step(cgym_env_t* env, const cgym_event_t* const* actions,
                                 size_t num_actions, const char* const* observation_spaces,
                                 size_t num_observation_spaces, const char* const* reward_spaces,
                                 size_t num_reward_spaces, const cgym_call_options_t* call_options,
                                 cgym_step_result_t** result);
CGYM_API void cgym_step_result_free(cgym_step_result_t* result);
/** The step's observations and rewards, in the order of the spaces asked for. *observation is
 * borrowed (valid while the result lives). */
CGYM_API cgym_status_t cgym_step_result_observation_count(const cgym_step_result_t* result,
                                                          size_t* count);
CGYM_API cgym_status_t cgym_step_result_observation_at(const cgym_step_result_t* result,
                                                       size_t index,
                                                       const cgym_event_t** observation);
CGYM_API cgym_status_t cgym_step_result_reward_count(const cgym_step_result_t* result,
                                                     size_t* count);
CGYM_API cgym_status_t cgym_step_result_reward_at(const cgym_step_result_t* result, size_t index,
                                                  double* reward);
/** Flags and failure of the step. Never fail; 0 or "" for NULL. Borrowed strings. */
CGYM_API int cgym_step_result_done(const cgym_step_result_t* result);
CGYM_API int cgym_step_result_action_had_no_effect(const cgym_step_result_t* result);
CGYM_API int cgym_step_result_new_action_space(const cgym_step_result_t* result);
/** The CompilerGym exception name of the failure that ended the episode, and its details. */
CGYM_API const char* cgym_step_result_error_type(const cgym_step_result_t* result);
CGYM_API const char* cgym_step_result_error_details(const cgym_step_result_t* result);

/** The agent loop without handles: one action, given as an index (an int64 event) or as a
 * name of a named discrete action space (NOT_FOUND for an unknown name), with the default
 * spaces. *done (may be NULL) receives the done flag; *reward (may be NULL) the default
 * reward, or 0 without a reward space. */
CGYM_API cgym_status_t cgym_step_index(cgym_env_t* env, int64_t action, int* done, double* reward);
CGYM_API cgym_status_t cgym_step_name(cgym_env_t* env, const char* action, int* done,
                                      double* reward);

/** Computes one observation now. *observation is owned. */
CGYM_API cgym_status_t cgym_env_observe(cgym_env_t* env, const char* space,
                                        cgym_event_t** observation);
/** ...as a double (any scalar numeric observation; FAILED_PRECONDITION otherwise). */
CGYM_API cgym_status_t cgym_env_observe_double(cgym_env_t* env, const char* space, double* value);
/** ...as int64 values (an INT64 scalar or INT64_TENSOR), copied into `values`, which holds
 * `capacity` values; *count receives the number of values. values = NULL with capacity 0 asks
 * for the size only; a smaller capacity is OUT_OF_RANGE (see "Buffers" at the top). */
CGYM_API cgym_status_t cgym_env_observe_int64s(cgym_env_t* env, const char* space, int64_t* values,
                                               size_t capacity, size_t* count);
/** ...as a string: *value is owned (cgym_free()), NUL-terminated, *length bytes (may be NULL). */
CGYM_API cgym_status_t cgym_env_observe_string(cgym_env_t* env, const char* space, char** value,
                                               size_t* length);
/** Computes one reward now. */
CGYM_API cgym_status_t cgym_env_reward(cgym_env_t* env, const char* space, double* value);

/** A new env in the same state: ForkSession on the same service, or, if the service cannot
 * fork, a new service with the actions replayed. *out is owned: cgym_env_free(). */
CGYM_API cgym_status_t cgym_fork(cgym_env_t* env, cgym_env_t** out);

/** Sends a session parameter; *reply (may be NULL) receives the service's reply (owned). With
 * resend_on_reset, the parameter is also sent after every reset. */
CGYM_API cgym_status_t cgym_send_param(cgym_env_t* env, const char* key, const char* value,
                                       int resend_on_reset, char** reply);
/** Sends `count` parameters in one call; *replies (may be NULL) receives `count` owned strings
 * (cgym_free_strings()). */
CGYM_API cgym_status_t cgym_send_params(cgym_env_t* env, const char* const* keys,
                                        const char* const* values, size_t count,
                                        int resend_on_reset, char*** replies);

/** The episode's state (CompilerEnvState) as JSON: {"benchmark", "commandline", "walltime",
 * "reward"}. *json is owned. INVALID_ARGUMENT "Action out of range: N" if the episode holds
 * an action the service rejected that the commandline cannot name (CompilerGym raises there
 * too): the state would not replay the episode. */
CGYM_API cgym_status_t cgym_env_state_json(const cgym_env_t* env, char** json);
/** The state as CSV (columns benchmark,reward,walltime,commandline), with a header line if
 * `header`. *csv is owned. */
CGYM_API cgym_status_t cgym_env_state_csv(const cgym_env_t* env, int header, char** csv);
/** Replays a state given as JSON (resetting to its benchmark if needed). */
CGYM_API cgym_status_t cgym_env_apply_state(cgym_env_t* env, const char* state_json);
/** Validates a state given as JSON (NULL: the current state) by replaying it in a fork and,
 * if the reward space is deterministic, comparing the replayed reward with the state's. For an
 * env of cgym_make() whose benchmark is runnable (benchmark://cgym-v0, generator://csmith-v0),
 * it also builds the unoptimised and the replayed program with clang, runs both and compares
 * their outputs ("Compilation failed", "Execution timeout", "Runtime error", "Wrong output",
 * each prefixed "Gold standard: " when the unoptimised program is at fault).
 * *okay receives 1 if nothing failed; *result_json (may be NULL) the ValidationResult as JSON
 * (owned). */
CGYM_API cgym_status_t cgym_env_validate(cgym_env_t* env, const char* state_json, int* okay,
                                         char** result_json);
/** Converts states between CSV (with or without header) and a JSON array of states. Owned. */
CGYM_API cgym_status_t cgym_states_csv_to_json(const char* csv, char** json);
CGYM_API cgym_status_t cgym_states_json_to_csv(const char* json, int header, char** csv);

/** Episode facts. Never fail; 0 for NULL. */
CGYM_API int cgym_env_in_episode(const cgym_env_t* env);
/** The sum of the default reward space's rewards this episode; 0 and *has_reward = 0 if there
 * is no reward space (has_reward may be NULL). */
CGYM_API double cgym_env_episode_reward(const cgym_env_t* env, int* has_reward);
CGYM_API double cgym_env_episode_walltime(const cgym_env_t* env);
/** The actions taken this episode, in order (*action borrowed; valid until the next reset or
 * step of this env). */
CGYM_API cgym_status_t cgym_env_action_count(const cgym_env_t* env, size_t* count);
CGYM_API cgym_status_t cgym_env_action_at(const cgym_env_t* env, size_t index,
                                          const cgym_event_t** action);

/** The service's version and its compiler's version (borrowed, valid while the env lives). */
CGYM_API cgym_status_t cgym_env_version(cgym_env_t* env, const char** service_version,
                                        const char** compiler_version);

/** The env's spaces. Borrowed; valid until the next reset or step of this env. An action
 * space that the service sends as a CommandlineSpace in an Any (as CompilerGym's LLVM
 * environment does) is presented, as CompilerGym's client presents it, as a NAMED_DISCRETE
 * space of its flags with type_id "commandline", so cgym_step_name() takes the flags. */
CGYM_API cgym_status_t cgym_env_action_space_count(const cgym_env_t* env, size_t* count);
CGYM_API cgym_status_t cgym_env_action_space_at(const cgym_env_t* env, size_t index,
                                                const cgym_action_space_t** space);
/** The action space in use; NULL for NULL or before the spaces are known. Never fails. */
CGYM_API const cgym_action_space_t* cgym_env_action_space(const cgym_env_t* env);
CGYM_API cgym_status_t cgym_env_observation_space_count(const cgym_env_t* env, size_t* count);
CGYM_API cgym_status_t cgym_env_observation_space_at(const cgym_env_t* env, size_t index,
                                                     const cgym_observation_space_t** space);
/** The env's reward spaces (the service's default rewards and those added with
 * cgym_env_add_reward): their number, and the name of one (borrowed). */
CGYM_API cgym_status_t cgym_env_reward_space_count(const cgym_env_t* env, size_t* count);
CGYM_API cgym_status_t cgym_env_reward_space_at(const cgym_env_t* env, size_t index,
                                                const char** name);

/** Rewards written in C. A reward is computed on the client from the observations it names. */
#define CGYM_REWARD_VTABLE_VERSION 1
typedef struct cgym_reward_vtable {
  /** CGYM_REWARD_VTABLE_VERSION. */
  uint32_t version;
  /** Optional: called at the start of every episode. */
  cgym_status_t (*reset)(void* user_data, const char* benchmark_uri);
  /** Required: the reward of a step's actions, given one observation per name declared with
   * the reward, in order. Report failure with cgym_set_error(). */
  cgym_status_t (*update)(void* user_data, const cgym_event_t* const* actions, size_t num_actions,
                          const cgym_event_t* const* observations, size_t num_observations,
                          double* reward);
  /** Optional: the user data of a copy, for cgym_fork(). Without it, a fork's reward shares
   * `user_data` with its parent's. Return NULL to fail the fork. */
  void* (*clone)(void* user_data);
  /** Optional: releases user_data when the reward is dropped (also for clones). */
  void (*destroy)(void* user_data);
} cgym_reward_vtable_t;

/** Adds (or replaces) a reward space named `name`, computed from the observation spaces
 * `observation_spaces` (NOT_FOUND if one is unknown) by `vtable` (copied) with `user_data`.
 * default_value and default_negates_returns give its reward_on_error. The reward owns
 * `user_data` from this call on, whether it succeeds or fails: if it fails, vtable->destroy
 * (when vtable and destroy are not NULL) releases user_data before the call returns. */
CGYM_API cgym_status_t cgym_env_add_reward(cgym_env_t* env, const char* name,
                                           const char* const* observation_spaces,
                                           size_t num_observation_spaces, double default_value,
                                           int default_negates_returns, int deterministic,
                                           const cgym_reward_vtable_t* vtable, void* user_data);

/* ===================================================================================== */
/* Environments by name: LLVM phase ordering, its rewards, datasets and benchmarks        */
/* ===================================================================================== */

/** The ids cgym_make() accepts, in this order: "llvm-v0", "llvm-ic-v0", "llvm-codesize-v0",
 * "llvm-autophase-ic-v0", "llvm-autophase-codesize-v0". *ids is owned (cgym_free_strings()). */
CGYM_API cgym_status_t cgym_env_ids(char*** ids, size_t* count);

/** Makes a ready env by id, as CompilerGym's gym.make() does: the LLVM environment with the
 * id's default observation space (none, or "Autophase" for llvm-autophase-*) and reward space
 * (none for llvm-v0, "IrInstructionCountOz" for *-ic-v0, "ObjectTextSizeOz" for
 * *-codesize-v0), the twelve cost rewards (see cgym_env_add_cost_reward()), and the benchmark
 * "benchmark://cgym-v0/sorting". `endpoint` says where the compiler runs:
 *   NULL or "": a managed service: the installed cgym-llvm-service, launched now and owned
 *     by the env (and its forks);
 *   "inproc": in this process: the installed libcgym-llvm.so plugin, registered once as
 *     "inproc:llvm";
 *   "HOST:PORT" or "unix:PATH": a service someone else runs (`cgym serve`);
 *   anything else: as cgym_connect() (a service binary's path, "inproc:NAME").
 * The service and the plugin are CGYM_LLVM_SERVICE and CGYM_LLVM_PLUGIN from the environment
 * if set, else the first found of: the directory of libcgym itself, its "services/llvm"
 * subdirectory (a build tree), "../libexec/cgym" and "cgym" next to it (an installation).
 * `options` may be NULL; spaces and the benchmark set in it replace the id's defaults (""
 * for none). *out is owned: cgym_env_free(). Errors: NOT_FOUND for an unknown id (the message
 * lists the ids); ENVIRONMENT_NOT_SUPPORTED if the service or plugin is not installed (the
 * message names the places searched and the variable to set); otherwise as cgym_connect(). */
CGYM_API cgym_status_t cgym_make(cgym_env_t** out, const char* id, const char* endpoint,
                                 const cgym_options_t* options);

/** Where cgym_make() finds the compiler of env id `id`: the path (owned) of the service
 * binary (plugin 0) or of the plugin (plugin 1), found as cgym_make() says. NOT_FOUND for an
 * unknown id; ENVIRONMENT_NOT_SUPPORTED if it is not installed. */
CGYM_API cgym_status_t cgym_env_service_path(const char* id, int plugin, char** path);

/** Kinds of cost reward (CompilerGym's CostFunctionReward family). With C the cost after a
 * step, C0 the cost of the unmodified benchmark and Cb the baseline's cost:
 *   DELTA:      r = C(prev) - C(now)
 *   NORMALIZED: r = (C(prev) - C(now)) / C0
 *   BASELINE:   r = (C(prev) - C(now)) / max(C0 - Cb, 1), success threshold 1.
 * Before the first step of an episode C(prev) is C0. C0 and max(C0 - Cb, 1) are read once per
 * benchmark. All default to 0 on a failed step, minus the episode's reward so far. */
typedef int32_t cgym_cost_reward_kind_t;
#define CGYM_COST_REWARD_DELTA 0
#define CGYM_COST_REWARD_NORMALIZED 1
#define CGYM_COST_REWARD_BASELINE 2

/** Adds (or replaces) reward space `name`, the decrease of the scalar observation
 * `cost_space`, with C0 read from `initial_cost_space` and, for BASELINE, Cb from
 * `baseline_cost_space` (NULL otherwise). cgym_make() adds the twelve LLVM rewards this way:
 * IrInstructionCount, IrInstructionCountNorm, IrInstructionCountO3, IrInstructionCountOz and
 * the same for ObjectTextSize (cost ObjectTextSizeBytes; plain reward "ObjectTextSizeBytes")
 * and TextSize (cost TextSizeBytes; "TextSizeBytes"). NOT_FOUND for an unknown observation
 * space; INVALID_ARGUMENT for an unknown kind or a missing baseline space. */
CGYM_API cgym_status_t cgym_env_add_cost_reward(cgym_env_t* env, const char* name,
                                                const char* cost_space,
                                                const char* initial_cost_space,
                                                const char* baseline_cost_space,
                                                cgym_cost_reward_kind_t kind, int deterministic,
                                                int platform_dependent);

/** The datasets of env id `env_id` (NOT_FOUND for an unknown id), in this order:
 * "benchmark://cgym-v0" (the bundled programs), "generator://csmith-v0" and
 * "generator://llvm-stress-v0" (random programs by seed). A directory of the user's sources
 * is a dataset too: "file:///ABSOLUTE/DIR" (not listed). *names is owned (cgym_free_strings()). */
CGYM_API cgym_status_t cgym_datasets(const char* env_id, char*** names, size_t* count);
/** A dataset's description (owned, may be NULL) and its number of benchmarks: 0 for a
 * generator, whose benchmarks never end (as CompilerGym reports them). NOT_FOUND for an unknown
 * dataset or a missing directory. */
CGYM_API cgym_status_t cgym_dataset_info(const char* dataset, char** description, uint64_t* size);
/** The URI of a dataset's index-th benchmark (owned): the bundled programs in a fixed order, a
 * directory's .c/.cc/.cpp/.cxx/.ll/.bc files by name, and a generator's seed `index`.
 * OUT_OF_RANGE past the end (or past 2^32-1 for a generator); NOT_FOUND for an unknown dataset. */
CGYM_API cgym_status_t cgym_dataset_benchmark_at(const char* dataset, uint64_t index, char** uri);
/** A benchmark of the dataset drawn uniformly with a generator seeded by `seed` (the same URI
 * for the same seed in every language). *uri is owned. */
CGYM_API cgym_status_t cgym_dataset_random_benchmark(const char* dataset, uint64_t seed,
                                                     char** uri);

/** Makes a benchmark from the user's files, as CompilerGym's make_benchmark(): each .c, .cc,
 * .cpp or .cxx file is compiled with clang (unoptimised bitcode without optnone: -O1 with LLVM's
 * passes disabled, the host compiler's system include directories, then `copts`), .ll files are
 * assembled, .bc files taken as they are; several inputs are linked into one module. *uri
 * receives "benchmark://user-v0/<time>-<hex>" and *bitcode the program (both owned:
 * cgym_free()); pass them to cgym_env_set_benchmark() or cgym_options_set_benchmark(). clang is
 * CGYM_CLANG if set, else the clang of the LLVM the library was built with. Errors: NOT_FOUND
 * for a missing file; INVALID_ARGUMENT for no input or an unknown file type; BENCHMARK_INIT
 * with the compiler's message for a source that does not compile; DEADLINE_EXCEEDED after 600
 * seconds. */
CGYM_API cgym_status_t cgym_make_benchmark(const char* const* paths, size_t num_paths,
                                           const char* const* copts, size_t num_copts, char** uri,
                                           void** bitcode, size_t* length);
/** The same from a string of source code in `language` "c" or "c++" (INVALID_ARGUMENT
 * otherwise). */
CGYM_API cgym_status_t cgym_make_benchmark_from_source(const char* source, const char* language,
                                                       const char* const* copts, size_t num_copts,
                                                       char** uri, void** bitcode, size_t* length);

/* ===================================================================================== */
/* Many environments at once: pipelined steps and vector environments                    */
/* ===================================================================================== */

/** A queue of steps in flight. One thread submits steps of many envs and takes their results as
 * they complete, so that it keeps N sessions busy, on one service or several (managed, remote or
 * in-process), without a thread per env: over gRPC all submitted steps are on the wire at once.
 * A queue is used by one thread at a time, as an env is.
 *
 * An env has at most one step in flight. From cgym_step_submit() until its result is taken by
 * cgym_step_queue_next(), the env belongs to the queue: any other call with it is
 * FAILED_PRECONDITION "The env has a step in flight". Freeing an env with a step in flight
 * abandons the step: its result still comes out of the queue, with status CANCELLED. */
typedef struct cgym_step_queue cgym_step_queue_t;

/** An empty queue. *out is owned: cgym_step_queue_free(). */
CGYM_API cgym_status_t cgym_step_queue_new(cgym_step_queue_t** out);
/** Waits for the steps still in flight, drops their results (their envs are free again) and
 * frees the queue. Accepts NULL. */
CGYM_API void cgym_step_queue_free(cgym_step_queue_t* queue);
/** Submits a step of `env`, with the arguments of cgym_step(), and returns without waiting for
 * it; `tag` comes back with its result. The errors cgym_step() finds before sending anything
 * (INVALID_ARGUMENT, NOT_FOUND for an unknown space, SESSION_NOT_FOUND before reset) are
 * returned here, and nothing is queued; FAILED_PRECONDITION if the env already has a step in
 * flight. A step of an in-process service runs here, on the calling thread (its result is
 * then ready at once); a step over gRPC is sent and runs on the service meanwhile. */
CGYM_API cgym_status_t cgym_step_submit(cgym_step_queue_t* queue, cgym_env_t* env,
                                        const cgym_event_t* const* actions, size_t num_actions,
                                        const char* const* observation_spaces,
                                        size_t num_observation_spaces,
                                        const char* const* reward_spaces, size_t num_reward_spaces,
                                        const cgym_call_options_t* call_options, uint64_t tag);
/** The number of steps submitted and not yet taken. Never fails; 0 for NULL. */
CGYM_API size_t cgym_step_queue_size(const cgym_step_queue_t* queue);
/** Takes the result of a completed step, in the order they complete, waiting up to
 * `timeout_seconds` (0: no wait; INFINITY: until one completes). *tag receives the step's tag
 * and *result its result (owned: cgym_step_result_free()): what cgym_step() would have given;
 * for a step that failed where cgym_step() would have returned an error, a result without
 * observations or rewards whose cgym_step_result_status() is that error. The env is free
 * again. Errors: OUT_OF_RANGE "No step in the queue" if the queue is empty; DEADLINE_EXCEEDED
 * if no step completed in time; INVALID_ARGUMENT for a NaN or negative timeout. */
CGYM_API cgym_status_t cgym_step_queue_next(cgym_step_queue_t* queue, double timeout_seconds,
                                            uint64_t* tag, cgym_step_result_t** result);
/** The error a step ended with: CGYM_OK for every result of cgym_step(), and for a result of
 * cgym_step_queue_next() or of a vector env, the error cgym_step() would have returned; its
 * message ("" for CGYM_OK; borrowed). Never fail; CGYM_OK and "" for NULL. */
CGYM_API cgym_status_t cgym_step_result_status(const cgym_step_result_t* result);
CGYM_API const char* cgym_step_result_status_message(const cgym_step_result_t* result);

/** A vector environment: N envs of one kind, stepped together through a cgym_step_queue, with
 * gymnasium's autoreset modes. */
typedef struct cgym_vec_env cgym_vec_env_t;

/** What happens to an env whose episode ends (gymnasium's AutoresetMode). */
typedef int32_t cgym_autoreset_mode_t;
/** The default, as gymnasium's: an env whose episode ended at one step is reset at the next
 * step instead of stepped (its action is ignored); that step's result is the reset's. */
#define CGYM_AUTORESET_NEXT_STEP 0
/** An env whose episode ends is reset in the same step: its result is the reset's, and the
 * step's own result is cgym_vec_env_final_result(). */
#define CGYM_AUTORESET_SAME_STEP 1
/** Nothing is reset by a step: reset ended envs with cgym_vec_env_reset() and a mask. */
#define CGYM_AUTORESET_DISABLED 2

/** Makes `num_envs` envs (at least 1). With `id` (one of cgym_env_ids()) each is what
 * cgym_make(id, endpoint, options) makes; with id NULL, what cgym_connect(endpoint, options)
 * makes. `endpoint` places them:
 *   a managed service (id with endpoint NULL or "", or a service binary's path): the envs are
 *     spread over `num_services` services (0: one per core of this machine; never more than
 *     num_envs), env i on service i % num_services;
 *   an in-process service ("inproc", "inproc:NAME"): one service in this process;
 *   "HOST:PORT" and "unix:PATH" services, one or several separated by commas: env i on the
 *     (i % count)-th of them.
 * num_services is ignored unless the service is managed. The envs are not reset: call
 * cgym_vec_env_reset(). The autoreset mode is CGYM_AUTORESET_NEXT_STEP. *out is owned:
 * cgym_vec_env_free(). Errors: INVALID_ARGUMENT for num_envs 0 or an empty item in the list of
 * endpoints; otherwise those of cgym_make() or cgym_connect() (the envs made so far are
 * closed). */
CGYM_API cgym_status_t cgym_vec_env_new(cgym_vec_env_t** out, const char* id, const char* endpoint,
                                        size_t num_envs, size_t num_services,
                                        const cgym_options_t* options);
/** Closes every env and frees the vector env. Accepts NULL. */
CGYM_API void cgym_vec_env_free(cgym_vec_env_t* vec);
/** Closes every env (see cgym_env_close()); the first error, if any, prefixed "env I: ". */
CGYM_API cgym_status_t cgym_vec_env_close(cgym_vec_env_t* vec);
/** The number of envs. Never fails; 0 for NULL. */
CGYM_API size_t cgym_vec_env_num_envs(const cgym_vec_env_t* vec);
/** The number of services the envs run on (see cgym_vec_env_new()). Never fails; 0 for NULL. */
CGYM_API size_t cgym_vec_env_num_services(const cgym_vec_env_t* vec);
/** Env `index` (borrowed: valid while the vector env lives; not to be freed), to set its
 * benchmark or spaces, send parameters, observe it, read its state or fork it between steps.
 * OUT_OF_RANGE past the end. */
CGYM_API cgym_status_t cgym_vec_env_at(cgym_vec_env_t* vec, size_t index, cgym_env_t** env);
/** The autoreset mode (INVALID_ARGUMENT for an unknown one) and its getter (0 for NULL). */
CGYM_API cgym_status_t cgym_vec_env_set_autoreset(cgym_vec_env_t* vec, cgym_autoreset_mode_t mode);
CGYM_API cgym_autoreset_mode_t cgym_vec_env_autoreset(const cgym_vec_env_t* vec);
/** Resets the envs whose mask[i] is non-zero (mask NULL: all of them; the mask has
 * num_envs entries), as cgym_env_reset() does. Each reset env's result is then its reset's: the
 * default observation (if a default observation space is set), reward 0, not done. Every env
 * asked for is reset even if one fails; the first failure is returned, prefixed "env I: ", and
 * that env's result holds the error (see cgym_step_result_status()). */
CGYM_API cgym_status_t cgym_vec_env_reset(cgym_vec_env_t* vec, const uint8_t* mask,
                                          const cgym_call_options_t* call_options);
/** Steps every env, all at once, with one action each: actions[i] (num_actions == num_envs) is
 * an index into env i's action space, and each step computes env i's default observation and
 * reward spaces, as cgym_step_index() does. What happens to envs whose episode ends is the
 * autoreset mode's. An error of one env, such as an action its service rejects, a session that
 * was never reset, or a service that died, does not fail the call: that env's episode is over,
 * and its result says done, with the error in cgym_step_result_status() (CGYM_OK for a failed
 * service, as for cgym_step()) and in error_type and error_details. INVALID_ARGUMENT for
 * num_actions != num_envs, with nothing sent. */
CGYM_API cgym_status_t cgym_vec_env_step(cgym_vec_env_t* vec, const int64_t* actions,
                                         size_t num_actions,
                                         const cgym_call_options_t* call_options);
/** Env `index`'s latest result (borrowed; valid until the next step or reset of the vector env):
 * of the last cgym_vec_env_step() or cgym_vec_env_reset() that touched it. *result is NULL
 * before any. OUT_OF_RANGE past the end. */
CGYM_API cgym_status_t cgym_vec_env_result(const cgym_vec_env_t* vec, size_t index,
                                           const cgym_step_result_t** result);
/** With CGYM_AUTORESET_SAME_STEP, the result of the step that ended env `index`'s episode in
 * the last cgym_vec_env_step() (borrowed, as above); NULL if its episode did not end then. */
CGYM_API cgym_status_t cgym_vec_env_final_result(const cgym_vec_env_t* vec, size_t index,
                                                 const cgym_step_result_t** result);
/** The latest results of every env at once, one value per env (see "Buffers" at the top):
 * the default reward (0 where there is none), and done (0 or 1). With
 * CGYM_AUTORESET_SAME_STEP, an env reset by the last step gives its final result's reward and
 * done (1), as gymnasium reports them; its observation is the reset's. */
CGYM_API cgym_status_t cgym_vec_env_rewards(const cgym_vec_env_t* vec, double* rewards,
                                            size_t capacity, size_t* count);
CGYM_API cgym_status_t cgym_vec_env_dones(const cgym_vec_env_t* vec, uint8_t* dones,
                                          size_t capacity, size_t* count);
/** The first observation of every env's latest result as a num_envs x width matrix, row i for
 * env i, where width is the longest observation's length: as int64 values (INT64 scalars and
 * tensors; FAILED_PRECONDITION for other types) or as doubles (any numeric scalar or tensor).
 * A shorter row (a failed env's default observation may be empty) is padded with zeros.
 * *count receives num_envs * width and *width (may be NULL) the width. FAILED_PRECONDITION if
 * an env has no result or its result has no observation. */
CGYM_API cgym_status_t cgym_vec_env_observations_int64s(const cgym_vec_env_t* vec, int64_t* values,
                                                        size_t capacity, size_t* count,
                                                        size_t* width);
CGYM_API cgym_status_t cgym_vec_env_observations_doubles(const cgym_vec_env_t* vec, double* values,
                                                         size_t capacity, size_t* count,
                                                         size_t* width);

/* ===================================================================================== */
/* Services: sessions written in C                                                        */
/* ===================================================================================== */

/** A compiler exposed as an environment: one session per episode. The runtime calls the
 * slots of one session one at a time (never concurrently); different sessions run in
 * parallel, so state shared through service_data must be synchronised by its owner. A slot
 * reports failure by returning a status (with cgym_set_error() for the message); the client
 * sees that status and message. Without a message recorded for the code it returns, the
 * message is "`<slot>` failed with `<CODE>`"; codes that are not gRPC codes (100 and up) reach
 * the client as CGYM_INTERNAL, with the message. A slot must not call cgym_* functions of
 * the client. */
#define CGYM_SESSION_VTABLE_VERSION 2
typedef struct cgym_session_vtable {
  /** CGYM_SESSION_VTABLE_VERSION (2). Version 1, without service_data_free, is accepted. */
  uint32_t version;
  /** Required: starts a session for a new episode and returns its state in *session.
   * `service_data` is the pointer given to cgym_service_def_new(); `action_space` is the
   * chosen action space; the benchmark is a URI and, if the client sent it, its program
   * (program NULL otherwise). Pointers are borrowed for the call. *session may be NULL (a
   * session without state); it is ignored if init fails. */
  cgym_status_t (*init)(void* service_data, const cgym_action_space_t* action_space,
                        const char* benchmark_uri, const void* program, size_t program_length,
                        void** session);
  /** Optional: a new session in the same state as `session` (ForkSession). NULL: fork is
   * UNIMPLEMENTED and clients replay actions instead. */
  cgym_status_t (*fork)(void* session, void** new_session);
  /** Required: applies one action. Set *end_of_episode to end the episode (no further actions
   * of the step are applied), *action_had_no_effect if nothing changed, and
   * *new_action_space to the index of the new action space to change it (it is -1 on entry).
   * All three flags start at 0 / -1. */
  cgym_status_t (*apply_action)(void* session, const cgym_event_t* action, int* end_of_episode,
                                int* action_had_no_effect, int32_t* new_action_space);
  /** Required: computes observation space number `index` (`space`) into `observation`, an
   * empty event to fill with the cgym_event_set_* functions. */
  cgym_status_t (*get_observation)(void* session, int32_t index,
                                   const cgym_observation_space_t* space,
                                   cgym_event_t* observation);
  /** Optional: called once per step after the actions and observations; may end the episode
   * or change the action space as apply_action can. */
  cgym_status_t (*end_of_step)(void* session, int action_had_no_effect, int* end_of_episode,
                               int32_t* new_action_space);
  /** Optional: handles a session parameter. Set *reply to the reply (NUL-terminated, copied
   * at once; it may point into the session's memory) or leave it NULL for a key the session
   * does not know, which the runtime then tries as a built-in parameter. */
  cgym_status_t (*handle_session_parameter)(void* session, const char* key, const char* value,
                                            const char** reply);
  /** Required: releases a session: called exactly once for each session that init or fork
   * made (when the episode ends, the service stops, or the env is freed). Never fails. */
  void (*destroy)(void* session);
  /** Optional: the compiler's version string (copied; called once per service). */
  const char* (*compiler_version)(void* service_data);
  /** Optional (version 2): releases `service_data`, once, when nothing uses it any more: the
   * definition and every copy of it (registrations included) freed or unregistered, and every
   * service and in-process env made from them gone. */
  void (*service_data_free)(void* service_data);
} cgym_session_vtable_t;

/** A service definition: the session callbacks, the spaces and the compiler version. */
typedef struct cgym_service_def cgym_service_def_t;

/** *out is owned: cgym_service_def_free(). The vtable is copied; INVALID_ARGUMENT if its
 * version is 0 or newer than this library's, or a required slot is NULL. `service_data` is
 * passed to init and compiler_version; the def owns it from this call on when the vtable has
 * service_data_free (which releases it at once if this call fails), and otherwise it must
 * outlive every service made from the def. */
CGYM_API cgym_status_t cgym_service_def_new(cgym_service_def_t** out,
                                            const cgym_session_vtable_t* vtable,
                                            void* service_data);
CGYM_API void cgym_service_def_free(cgym_service_def_t* def);
/** Appends a copy of an action or observation space; indices follow the order of calls. */
CGYM_API cgym_status_t cgym_service_def_add_action_space(cgym_service_def_t* def,
                                                         const cgym_action_space_t* space);
CGYM_API cgym_status_t cgym_service_def_add_observation_space(
    cgym_service_def_t* def, const cgym_observation_space_t* space);

/** Runs a CompilerGym service process of this definition until SIGTERM, with the lifecycle of
 * CompilerGym's C++ runtime: flags --working_dir, --port (0: any), --host (default:
 * loopback), glog's --alsologtostderr, -v and --logbuflevel, --help; port.txt and pid.txt in
 * the working directory; exit 0 after SIGTERM with no sessions left, 6 with sessions left, 1
 * on bad arguments or a definition without action or observation spaces. Returns the exit
 * code, for main() to return. SIGTERM and SIGINT are blocked in the calling thread while the
 * service runs and stay blocked after a stop signal (so repeated signals cannot kill the
 * exiting process): call it from the thread that will exit the process. */
CGYM_API int cgym_service_run(const cgym_service_def_t* def, int argc, const char* const* argv);

/** Asks every cgym_service_run() of this process to stop, as SIGTERM does: it stops accepting
 * calls, ends its sessions and returns. For hosts (Java, Python, Rust) whose runtime decides
 * which thread gets a signal. Callable from any thread and from a signal handler
 * (async-signal-safe). A service run that starts after this call is not affected. */
CGYM_API void cgym_service_stop(void);

/** Registers the definition (copied) as the in-process service `name`, for cgym_connect()
 * with "inproc:NAME". Registering a name again replaces it (envs already connected keep the
 * old one). INVALID_ARGUMENT for an empty name or a definition without action or observation
 * spaces. */
CGYM_API cgym_status_t cgym_service_register(const char* name, const cgym_service_def_t* def);
/** NOT_FOUND if no service has this name. */
CGYM_API cgym_status_t cgym_service_unregister(const char* name);

/* ===================================================================================== */
/* Session plugins: services in a shared library of their own                              */
/* ===================================================================================== */

/** The entry point a session plugin exports, under the name CGYM_PLUGIN_ENTRY_NAME. A
 * session plugin is a shared library that links against libcgym.so.CGYM_ABI_VERSION itself
 * (so that the process holds one libcgym, whose functions build its definition) and exports
 * this one function. `abi_version` is the CGYM_ABI_VERSION of the libcgym that loads it: a
 * plugin built for another should return cgym_set_error(CGYM_FAILED_PRECONDITION, ...). On
 * success it returns CGYM_OK with *out set to a definition made with cgym_service_def_new()
 * and the cgym_service_def_add_* functions, which the caller then owns (and frees). On failure
 * it returns the error, with its message recorded by cgym_set_error(), and *out is ignored
 * (the plugin frees what it made). */
typedef cgym_status_t (*cgym_plugin_entry_t)(uint32_t abi_version, cgym_service_def_t** out);
/** The symbol name of a session plugin's cgym_plugin_entry_t. */
#define CGYM_PLUGIN_ENTRY_NAME "cgym_plugin_service_def"

/** Loads the session plugin at `path` (a file: absolute, or relative to the working
 * directory; the library search path is not searched) and registers its service as the
 * in-process service `name`, for cgym_connect() with "inproc:NAME": the library is loaded with
 * dlopen(RTLD_NOW | RTLD_LOCAL), its CGYM_PLUGIN_ENTRY_NAME function is called with
 * CGYM_ABI_VERSION, and the definition it returns is registered as by cgym_service_register()
 * (replacing a service of that name) and freed. The library stays loaded until the process
 * exits, even if this call fails, since its sessions and service data may outlive any
 * registration; loading the same path again reuses the loaded library and calls its entry
 * point again. Errors: INVALID_ARGUMENT for a NULL or empty name or path, or a definition
 * without action or observation spaces; NOT_FOUND if no file is at `path`; SERVICE_INIT if
 * the dynamic loader rejects the file (with its message: not a shared library, a missing
 * dependency...), if the library does not export CGYM_PLUGIN_ENTRY_NAME, or if the entry point
 * returns CGYM_OK without a definition; the entry point's own error code and message if it
 * fails. */
CGYM_API cgym_status_t cgym_service_register_plugin(const char* name, const char* path);

#ifdef __cplusplus
}
#endif

#endif /**< CGYM_H_ */
