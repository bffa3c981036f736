// SPDX-License-Identifier: MIT
/* jni_spaces.c: spaces, action spaces and observation spaces (read, built, serialized). */
#include <stdlib.h>
#include <string.h>

#include "cgym_jni_internal.h"

static jstring actionSpaceName(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return cgym_jni_new_cstring(env, cgym_action_space_name(PTR(cgym_action_space_t, handle)));
}

static jlong actionSpaceSpace(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_action_space_space(PTR(cgym_action_space_t, handle)));
}

static jstring observationSpaceName(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return cgym_jni_new_cstring(env,
                              cgym_observation_space_name(PTR(cgym_observation_space_t, handle)));
}

static jlong observationSpaceSpace(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_observation_space_space(PTR(cgym_observation_space_t, handle)));
}

/* CGYM_JNI_OBSERVATION_* bits. */
static jint observationSpaceFlags(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_observation_space_t* space = PTR(cgym_observation_space_t, handle);
  (void)env;
  (void)cls;
  return (cgym_observation_space_deterministic(space) ? CGYM_JNI_OBSERVATION_DETERMINISTIC : 0) |
         (cgym_observation_space_platform_dependent(space) ? CGYM_JNI_OBSERVATION_PLATFORM_DEPENDENT
                                                           : 0);
}

static jlong observationSpaceDefault(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_observation_space_default(PTR(cgym_observation_space_t, handle)));
}

static jint spaceKind(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return (jint)cgym_space_kind(PTR(cgym_space_t, handle));
}

static jstring spaceTypeId(JNIEnv* env, jclass cls, jlong handle) {
  const char* type_id = cgym_space_type_id(PTR(cgym_space_t, handle));
  (void)cls;
  return type_id == NULL ? NULL : cgym_jni_new_cstring(env, type_id);
}

static jlong spaceDiscreteN(JNIEnv* env, jclass cls, jlong handle) {
  int64_t n = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_discrete_n(PTR(cgym_space_t, handle), &n))) return 0;
  return (jlong)n;
}

static jobjectArray spaceNames(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_space_t* space = PTR(cgym_space_t, handle);
  size_t count = 0, i;
  jobjectArray result;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_name_count(space, &count))) return NULL;
  result = cgym_jni_new_string_array(env, count);
  if (result == NULL) return NULL;
  for (i = 0; i < count; ++i) {
    const char* name = NULL;
    jstring item;
    if (cgym_jni_failed(env, cgym_space_name_at(space, i, &name))) return NULL;
    if ((item = cgym_jni_new_cstring(env, name)) == NULL) return NULL;
    (*env)->SetObjectArrayElement(env, result, (jsize)i, item);
    (*env)->DeleteLocalRef(env, item);
  }
  return result;
}

static jlongArray spaceBoxShape(JNIEnv* env, jclass cls, jlong handle) {
  const uint64_t* shape = NULL;
  size_t ndim = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_box_shape(PTR(cgym_space_t, handle), &shape, &ndim))) {
    return NULL;
  }
  return cgym_jni_new_shape(env, shape, ndim);
}

/* The low bounds followed by the high bounds. */
static jdoubleArray spaceBoxBounds(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_space_t* space = PTR(cgym_space_t, handle);
  size_t count = 0;
  double* bounds;
  jdoubleArray result = NULL;
  (void)cls;
  /* A size query first (NULL buffers, capacity 0). */
  if (cgym_jni_failed(env, cgym_space_box_bounds(space, NULL, NULL, 0, &count))) return NULL;
  if (count > INT32_MAX / 2) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "box too large for a Java array");
    return NULL;
  }
  bounds = (double*)malloc((2 * count + 1) * sizeof(double));
  if (bounds == NULL) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return NULL;
  }
  if (count == 0 ||
      !cgym_jni_failed(env, cgym_space_box_bounds(space, bounds, bounds + count, count, &count))) {
    result = (*env)->NewDoubleArray(env, (jsize)(2 * count));
    if (result != NULL && count > 0) {
      (*env)->SetDoubleArrayRegion(env, result, 0, (jsize)(2 * count), bounds);
    }
  }
  free(bounds);
  return result;
}

/* {min, has_min, max, has_max} as doubles (indices CGYM_JNI_RANGE_*). */
static jdoubleArray spaceRange(JNIEnv* env, jclass cls, jlong handle) {
  double values[CGYM_JNI_RANGE_COUNT] = {0, 0, 0, 0};
  int has_min = 0, has_max = 0;
  jdoubleArray result;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_range(PTR(cgym_space_t, handle), &values[CGYM_JNI_RANGE_MIN],
                                            &has_min, &values[CGYM_JNI_RANGE_MAX], &has_max))) {
    return NULL;
  }
  values[CGYM_JNI_RANGE_HAS_MIN] = has_min;
  values[CGYM_JNI_RANGE_HAS_MAX] = has_max;
  result = (*env)->NewDoubleArray(env, CGYM_JNI_RANGE_COUNT);
  if (result != NULL) (*env)->SetDoubleArrayRegion(env, result, 0, CGYM_JNI_RANGE_COUNT, values);
  return result;
}

/* The same exactly, for INT64_RANGE, INT64_SEQUENCE and BYTE_SEQUENCE, as longs. */
static jlongArray spaceInt64Range(JNIEnv* env, jclass cls, jlong handle) {
  int64_t min = 0, max = 0;
  int has_min = 0, has_max = 0;
  jlong values[CGYM_JNI_RANGE_COUNT];
  jlongArray result;
  (void)cls;
  if (cgym_jni_failed(
          env, cgym_space_int64_range(PTR(cgym_space_t, handle), &min, &has_min, &max, &has_max))) {
    return NULL;
  }
  values[CGYM_JNI_RANGE_MIN] = (jlong)min;
  values[CGYM_JNI_RANGE_HAS_MIN] = has_min;
  values[CGYM_JNI_RANGE_MAX] = (jlong)max;
  values[CGYM_JNI_RANGE_HAS_MAX] = has_max;
  result = (*env)->NewLongArray(env, CGYM_JNI_RANGE_COUNT);
  if (result != NULL) (*env)->SetLongArrayRegion(env, result, 0, CGYM_JNI_RANGE_COUNT, values);
  return result;
}

/* {min, max} of a length range (max -1: unbounded). */
static jlongArray spaceLengthRange(JNIEnv* env, jclass cls, jlong handle) {
  int64_t min = 0, max = 0;
  jlong values[2];
  jlongArray result;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_length_range(PTR(cgym_space_t, handle), &min, &max))) {
    return NULL;
  }
  values[0] = (jlong)min;
  values[1] = (jlong)max;
  result = (*env)->NewLongArray(env, 2);
  if (result != NULL) (*env)->SetLongArrayRegion(env, result, 0, 2, values);
  return result;
}

static jint spaceSubspaceCount(JNIEnv* env, jclass cls, jlong handle) {
  size_t count = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_subspace_count(PTR(cgym_space_t, handle), &count))) return 0;
  return (jint)count;
}

static jstring spaceSubspaceKey(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  const cgym_space_t* subspace = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return NULL;
  }
  if (cgym_jni_failed(
          env, cgym_space_subspace_at(PTR(cgym_space_t, handle), (size_t)index, &key, &subspace))) {
    return NULL;
  }
  return key == NULL ? NULL : cgym_jni_new_cstring(env, key);
}

static jlong spaceSubspaceAt(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  const cgym_space_t* subspace = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(
          env, cgym_space_subspace_at(PTR(cgym_space_t, handle), (size_t)index, &key, &subspace))) {
    return 0;
  }
  return HANDLE(subspace);
}

static jlong spaceNewDiscrete(JNIEnv* env, jclass cls, jlong n) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_new_discrete(&out, (int64_t)n))) return 0;
  return HANDLE(out);
}

static jlong spaceNewNamedDiscrete(JNIEnv* env, jclass cls, jobjectArray names) {
  cgym_space_t* out = NULL;
  size_t count = 0;
  int ok;
  char** array = cgym_jni_utf8_array(env, names, &count, NULL, &ok);
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  status = cgym_space_new_named_discrete(&out, (const char* const*)array, count);
  cgym_jni_free_array(array, count);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static jlong spaceNewRange(JNIEnv* env, jclass cls, jint kind, jdouble min, jboolean has_min,
                           jdouble max, jboolean has_max) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_new_range(&out, (cgym_space_kind_t)kind, min, has_min ? 1 : 0,
                                                max, has_max ? 1 : 0))) {
    return 0;
  }
  return HANDLE(out);
}

static jlong spaceNewString(JNIEnv* env, jclass cls, jlong min_length, jlong max_length) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_new_string(&out, (int64_t)min_length, (int64_t)max_length))) {
    return 0;
  }
  return HANDLE(out);
}

static jlong spaceNewBox(JNIEnv* env, jclass cls, jint kind, jlongArray shape, jdoubleArray low,
                         jdoubleArray high) {
  cgym_space_t* out = NULL;
  size_t ndim = 0;
  int ok;
  uint64_t* dims = cgym_jni_shape(env, shape, &ndim, &ok);
  jsize n_low, n_high;
  jdouble* lows;
  jdouble* highs;
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  if (low == NULL || high == NULL) {
    free(dims);
    cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "box bounds are null");
    return 0;
  }
  n_low = (*env)->GetArrayLength(env, low);
  n_high = (*env)->GetArrayLength(env, high);
  if (n_low != n_high) {
    free(dims);
    cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "box bounds differ in length");
    return 0;
  }
  lows = (*env)->GetDoubleArrayElements(env, low, NULL);
  highs = lows != NULL ? (*env)->GetDoubleArrayElements(env, high, NULL) : NULL;
  if (highs == NULL) {
    if (lows != NULL) (*env)->ReleaseDoubleArrayElements(env, low, lows, JNI_ABORT);
    free(dims);
    return 0;
  }
  status =
      cgym_space_new_box(&out, (cgym_space_kind_t)kind, dims, ndim, lows, highs, (size_t)n_low);
  (*env)->ReleaseDoubleArrayElements(env, low, lows, JNI_ABORT);
  (*env)->ReleaseDoubleArrayElements(env, high, highs, JNI_ABORT);
  free(dims);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static jlong spaceNewSequence(JNIEnv* env, jclass cls, jint kind, jlong min_length,
                              jlong max_length, jdouble scalar_min, jboolean has_scalar_min,
                              jdouble scalar_max, jboolean has_scalar_max) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (cgym_jni_failed(
          env, cgym_space_new_sequence(&out, (cgym_space_kind_t)kind, (int64_t)min_length,
                                       (int64_t)max_length, scalar_min, has_scalar_min ? 1 : 0,
                                       scalar_max, has_scalar_max ? 1 : 0))) {
    return 0;
  }
  return HANDLE(out);
}

static jlong spaceNewComposite(JNIEnv* env, jclass cls, jint kind) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_space_new_composite(&out, (cgym_space_kind_t)kind))) return 0;
  return HANDLE(out);
}

static void spaceAdd(JNIEnv* env, jclass cls, jlong handle, jstring key, jlong sub) {
  int ok;
  char* text = cgym_jni_utf8(env, key, NULL, &ok);
  (void)cls;
  if (ok) {
    cgym_jni_failed(env, cgym_space_add(PTR(cgym_space_t, handle), text, PTR(cgym_space_t, sub)));
  }
  free(text);
}

static void spaceFree(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_space_free(PTR(cgym_space_t, handle));
}

static jlong actionSpaceNew(JNIEnv* env, jclass cls, jstring name, jlong space) {
  cgym_action_space_t* out = NULL;
  int ok;
  char* text = cgym_jni_utf8(env, name, NULL, &ok);
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  status = cgym_action_space_new(&out, text, PTR(cgym_space_t, space));
  free(text);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static void actionSpaceFree(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_action_space_free(PTR(cgym_action_space_t, handle));
}

static jlong observationSpaceNew(JNIEnv* env, jclass cls, jstring name, jlong space,
                                 jboolean deterministic, jboolean platform_dependent,
                                 jlong default_observation) {
  cgym_observation_space_t* out = NULL;
  int ok;
  char* text = cgym_jni_utf8(env, name, NULL, &ok);
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  status = cgym_observation_space_new(&out, text, PTR(cgym_space_t, space), deterministic ? 1 : 0,
                                      platform_dependent ? 1 : 0,
                                      PTR(cgym_event_t, default_observation));
  free(text);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static void observationSpaceFree(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_observation_space_free(PTR(cgym_observation_space_t, handle));
}

/* Owned serialized bytes as a byte[] (freed here). */
static jbyteArray take_bytes(JNIEnv* env, cgym_status_t status, void* data, size_t length) {
  jbyteArray result = NULL;
  if (!cgym_jni_failed(env, status)) result = cgym_jni_new_bytes(env, data, length);
  cgym_free(data);
  return result;
}

static jbyteArray actionSpaceSerialize(JNIEnv* env, jclass cls, jlong handle) {
  void* data = NULL;
  size_t length = 0;
  cgym_status_t status;
  (void)cls;
  status = cgym_action_space_serialize(PTR(cgym_action_space_t, handle), &data, &length);
  return take_bytes(env, status, data, length);
}

static jlong actionSpaceParse(JNIEnv* env, jclass cls, jbyteArray bytes) {
  void* data = NULL;
  size_t length = 0;
  cgym_action_space_t* out = NULL;
  cgym_status_t status;
  (void)cls;
  if (!cgym_jni_bytes(env, bytes, &data, &length)) return 0;
  status = cgym_action_space_parse(&out, data, length);
  free(data);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static jbyteArray observationSpaceSerialize(JNIEnv* env, jclass cls, jlong handle) {
  void* data = NULL;
  size_t length = 0;
  cgym_status_t status;
  (void)cls;
  status = cgym_observation_space_serialize(PTR(cgym_observation_space_t, handle), &data, &length);
  return take_bytes(env, status, data, length);
}

static jlong observationSpaceParse(JNIEnv* env, jclass cls, jbyteArray bytes) {
  void* data = NULL;
  size_t length = 0;
  cgym_observation_space_t* out = NULL;
  cgym_status_t status;
  (void)cls;
  if (!cgym_jni_bytes(env, bytes, &data, &length)) return 0;
  status = cgym_observation_space_parse(&out, data, length);
  free(data);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"actionSpaceName", "(J)" STR, (void*)actionSpaceName},
    {"actionSpaceSpace", "(J)J", (void*)actionSpaceSpace},
    {"observationSpaceName", "(J)" STR, (void*)observationSpaceName},
    {"observationSpaceSpace", "(J)J", (void*)observationSpaceSpace},
    {"observationSpaceFlags", "(J)I", (void*)observationSpaceFlags},
    {"observationSpaceDefault", "(J)J", (void*)observationSpaceDefault},
    {"spaceKind", "(J)I", (void*)spaceKind},
    {"spaceTypeId", "(J)" STR, (void*)spaceTypeId},
    {"spaceDiscreteN", "(J)J", (void*)spaceDiscreteN},
    {"spaceNames", "(J)[" STR, (void*)spaceNames},
    {"spaceBoxShape", "(J)[J", (void*)spaceBoxShape},
    {"spaceBoxBounds", "(J)[D", (void*)spaceBoxBounds},
    {"spaceRange", "(J)[D", (void*)spaceRange},
    {"spaceInt64Range", "(J)[J", (void*)spaceInt64Range},
    {"spaceLengthRange", "(J)[J", (void*)spaceLengthRange},
    {"spaceSubspaceCount", "(J)I", (void*)spaceSubspaceCount},
    {"spaceSubspaceKey", "(JI)" STR, (void*)spaceSubspaceKey},
    {"spaceSubspaceAt", "(JI)J", (void*)spaceSubspaceAt},
    {"spaceNewDiscrete", "(J)J", (void*)spaceNewDiscrete},
    {"spaceNewNamedDiscrete", "([" STR ")J", (void*)spaceNewNamedDiscrete},
    {"spaceNewRange", "(IDZDZ)J", (void*)spaceNewRange},
    {"spaceNewString", "(JJ)J", (void*)spaceNewString},
    {"spaceNewBox", "(I[J[D[D)J", (void*)spaceNewBox},
    {"spaceNewSequence", "(IJJDZDZ)J", (void*)spaceNewSequence},
    {"spaceNewComposite", "(I)J", (void*)spaceNewComposite},
    {"spaceAdd", "(J" STR "J)V", (void*)spaceAdd},
    {"spaceFree", "(J)V", (void*)spaceFree},
    {"actionSpaceNew", "(" STR "J)J", (void*)actionSpaceNew},
    {"actionSpaceFree", "(J)V", (void*)actionSpaceFree},
    {"actionSpaceSerialize", "(J)[B", (void*)actionSpaceSerialize},
    {"actionSpaceParse", "([B)J", (void*)actionSpaceParse},
    {"observationSpaceNew", "(" STR "JZZJ)J", (void*)observationSpaceNew},
    {"observationSpaceFree", "(J)V", (void*)observationSpaceFree},
    {"observationSpaceSerialize", "(J)[B", (void*)observationSpaceSerialize},
    {"observationSpaceParse", "([B)J", (void*)observationSpaceParse},
};
#undef STR

int cgym_jni_register_spaces(JNIEnv* env, jclass native_class) {
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
