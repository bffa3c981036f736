// SPDX-License-Identifier: MIT
/* jni_events.c: events (cgym_event_t) for org.libcgym.Event: readers, setters, serialization. */
#include <stdlib.h>
#include <string.h>

#include "cgym_jni_internal.h"

static jlong eventNew(JNIEnv* env, jclass cls) {
  cgym_event_t* out = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_new(&out))) return 0;
  return HANDLE(out);
}

static void eventFree(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_event_free(PTR(cgym_event_t, handle));
}

static jint eventKind(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return (jint)cgym_event_kind(PTR(cgym_event_t, handle));
}

static jboolean eventGetBool(JNIEnv* env, jclass cls, jlong handle) {
  int value = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_get_bool(PTR(cgym_event_t, handle), &value))) {
    return JNI_FALSE;
  }
  return value ? JNI_TRUE : JNI_FALSE;
}

static jlong eventGetInt64(JNIEnv* env, jclass cls, jlong handle) {
  int64_t value = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_get_int64(PTR(cgym_event_t, handle), &value))) return 0;
  return (jlong)value;
}

static jfloat eventGetFloat(JNIEnv* env, jclass cls, jlong handle) {
  float value = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_get_float(PTR(cgym_event_t, handle), &value))) return 0;
  return value;
}

static jdouble eventGetDouble(JNIEnv* env, jclass cls, jlong handle) {
  double value = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_get_double(PTR(cgym_event_t, handle), &value))) return 0;
  return value;
}

static jstring eventGetString(JNIEnv* env, jclass cls, jlong handle) {
  const char* data = NULL;
  size_t length = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_get_string(PTR(cgym_event_t, handle), &data, &length))) {
    return NULL;
  }
  return cgym_jni_new_string(env, data, length);
}

static jlongArray eventTensorShape(JNIEnv* env, jclass cls, jlong handle) {
  const uint64_t* shape = NULL;
  size_t ndim = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_tensor_shape(PTR(cgym_event_t, handle), &shape, &ndim))) {
    return NULL;
  }
  return cgym_jni_new_shape(env, shape, ndim);
}

/* The values of a tensor event as boolean[], byte[], long[], float[], double[] or String[]. */
static jobject eventTensorValues(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_event_t* event = PTR(cgym_event_t, handle);
  cgym_event_kind_t kind = cgym_event_kind(event);
  const void* values = NULL;
  size_t count = 0, i;
  (void)cls;
  if (kind == CGYM_EVENT_STRING_TENSOR) {
    jobjectArray result;
    if (cgym_jni_failed(env, cgym_event_tensor_count(event, &count))) return NULL;
    result = cgym_jni_new_string_array(env, count);
    if (result == NULL) return NULL;
    for (i = 0; i < count; ++i) {
      const char* data = NULL;
      size_t length = 0;
      jstring item;
      if (cgym_jni_failed(env, cgym_event_string_tensor_at(event, i, &data, &length))) {
        return NULL;
      }
      if ((item = cgym_jni_new_string(env, data, length)) == NULL) return NULL;
      (*env)->SetObjectArrayElement(env, result, (jsize)i, item);
      (*env)->DeleteLocalRef(env, item);
    }
    return result;
  }
  if (cgym_jni_failed(env, cgym_event_tensor_values(event, &values, &count))) return NULL;
  if (count > INT32_MAX) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "tensor too large for a Java array");
    return NULL;
  }
  switch (kind) {
    case CGYM_EVENT_BOOL_TENSOR: {
      jbooleanArray result = (*env)->NewBooleanArray(env, (jsize)count);
      const uint8_t* bools = (const uint8_t*)values;
      if (result == NULL) return NULL;
      for (i = 0; i < count; ++i) {
        jboolean value = bools[i] ? JNI_TRUE : JNI_FALSE;
        (*env)->SetBooleanArrayRegion(env, result, (jsize)i, 1, &value);
      }
      return result;
    }
    case CGYM_EVENT_BYTE_TENSOR: {
      jbyteArray result = (*env)->NewByteArray(env, (jsize)count);
      if (result != NULL && count > 0) {
        (*env)->SetByteArrayRegion(env, result, 0, (jsize)count, (const jbyte*)values);
      }
      return result;
    }
    case CGYM_EVENT_INT64_TENSOR: {
      jlongArray result = (*env)->NewLongArray(env, (jsize)count);
      if (result != NULL && count > 0) {
        (*env)->SetLongArrayRegion(env, result, 0, (jsize)count, (const jlong*)values);
      }
      return result;
    }
    case CGYM_EVENT_FLOAT_TENSOR: {
      jfloatArray result = (*env)->NewFloatArray(env, (jsize)count);
      if (result != NULL && count > 0) {
        (*env)->SetFloatArrayRegion(env, result, 0, (jsize)count, (const jfloat*)values);
      }
      return result;
    }
    case CGYM_EVENT_DOUBLE_TENSOR: {
      jdoubleArray result = (*env)->NewDoubleArray(env, (jsize)count);
      if (result != NULL && count > 0) {
        (*env)->SetDoubleArrayRegion(env, result, 0, (jsize)count, (const jdouble*)values);
      }
      return result;
    }
    default:
      cgym_jni_throw_code(env, CGYM_FAILED_PRECONDITION, "not a numeric tensor event");
      return NULL;
  }
}

static jint eventListCount(JNIEnv* env, jclass cls, jlong handle) {
  size_t count = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_list_count(PTR(cgym_event_t, handle), &count))) return 0;
  return (jint)count;
}

static jlong eventListAt(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const cgym_event_t* item = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(env, cgym_event_list_at(PTR(cgym_event_t, handle), (size_t)index, &item))) {
    return 0;
  }
  return HANDLE(item);
}

static jint eventDictCount(JNIEnv* env, jclass cls, jlong handle) {
  size_t count = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_dict_count(PTR(cgym_event_t, handle), &count))) return 0;
  return (jint)count;
}

static jstring eventDictKey(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  size_t key_length = 0;
  const cgym_event_t* value = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return NULL;
  }
  if (cgym_jni_failed(env, cgym_event_dict_at(PTR(cgym_event_t, handle), (size_t)index, &key,
                                              &key_length, &value))) {
    return NULL;
  }
  /* Keys may hold NULs: the length, not strlen. */
  return cgym_jni_new_string(env, key, key_length);
}

static jlong eventDictValue(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  const cgym_event_t* value = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(
          env, cgym_event_dict_at(PTR(cgym_event_t, handle), (size_t)index, &key, NULL, &value))) {
    return 0;
  }
  return HANDLE(value);
}

/* The value of a key (borrowed), NOT_FOUND if absent. */
static jlong eventDictGet(JNIEnv* env, jclass cls, jlong handle, jstring key) {
  size_t length = 0;
  int ok;
  char* text = cgym_jni_utf8(env, key, &length, &ok);
  const cgym_event_t* value = NULL;
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  status = cgym_event_dict_get(PTR(cgym_event_t, handle), text, length, &value);
  free(text);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(value);
}

static jstring eventAnyTypeUrl(JNIEnv* env, jclass cls, jlong handle) {
  const char* url = NULL;
  const void* data = NULL;
  size_t length = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_get_any(PTR(cgym_event_t, handle), &url, &data, &length))) {
    return NULL;
  }
  return cgym_jni_new_cstring(env, url);
}

static jbyteArray eventAnyData(JNIEnv* env, jclass cls, jlong handle) {
  const char* url = NULL;
  const void* data = NULL;
  size_t length = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_get_any(PTR(cgym_event_t, handle), &url, &data, &length))) {
    return NULL;
  }
  return cgym_jni_new_bytes(env, data, length);
}

static void eventClear(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_clear(PTR(cgym_event_t, handle)));
}

static void eventSetBool(JNIEnv* env, jclass cls, jlong handle, jboolean value) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_set_bool(PTR(cgym_event_t, handle), value ? 1 : 0));
}

static void eventSetInt64(JNIEnv* env, jclass cls, jlong handle, jlong value) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_set_int64(PTR(cgym_event_t, handle), (int64_t)value));
}

static void eventSetFloat(JNIEnv* env, jclass cls, jlong handle, jfloat value) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_set_float(PTR(cgym_event_t, handle), value));
}

static void eventSetDouble(JNIEnv* env, jclass cls, jlong handle, jdouble value) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_set_double(PTR(cgym_event_t, handle), value));
}

static void eventSetString(JNIEnv* env, jclass cls, jlong handle, jstring value) {
  size_t length = 0;
  int ok;
  char* text = cgym_jni_utf8(env, value, &length, &ok);
  (void)cls;
  if (ok) cgym_jni_failed(env, cgym_event_set_string(PTR(cgym_event_t, handle), text, length));
  free(text);
}

/* `values` is the kind's Java array: boolean[], byte[], long[], float[] or double[]. */
static void eventSetTensor(JNIEnv* env, jclass cls, jlong handle, jint kind, jlongArray shape,
                           jarray values) {
  size_t ndim = 0, count, i;
  int ok;
  uint64_t* dims;
  void* elements;
  void* converted = NULL;
  const void* data;
  cgym_status_t status;
  (void)cls;
  if (values == NULL) {
    cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "tensor values are null");
    return;
  }
  dims = cgym_jni_shape(env, shape, &ndim, &ok);
  if (!ok) return;
  count = (size_t)(*env)->GetArrayLength(env, values);
  if (count == 0) {
    /* Nothing to read: no critical access (which may give NULL for an empty array). */
    static const uint64_t no_values = 0; /* cgym.h does not say whether NULL is accepted */
    status = cgym_event_set_tensor(PTR(cgym_event_t, handle), (cgym_event_kind_t)kind, dims, ndim,
                                   &no_values, 0);
    free(dims);
    cgym_jni_failed(env, status);
    return;
  }
  elements = (*env)->GetPrimitiveArrayCritical(env, values, NULL);
  if (elements == NULL) {
    free(dims);
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return;
  }
  data = elements;
  if (kind == CGYM_EVENT_BOOL_TENSOR) {
    /* jboolean is an unsigned char holding 0 or 1, as the C ABI wants; copy for clarity. */
    converted = malloc(count + 1);
    if (converted != NULL) {
      for (i = 0; i < count; ++i) ((uint8_t*)converted)[i] = ((jboolean*)elements)[i] ? 1 : 0;
    }
    data = converted;
  }
  status = data != NULL ? cgym_event_set_tensor(PTR(cgym_event_t, handle), (cgym_event_kind_t)kind,
                                                dims, ndim, data, count)
                        : CGYM_RESOURCE_EXHAUSTED;
  (*env)->ReleasePrimitiveArrayCritical(env, values, elements, JNI_ABORT);
  free(converted);
  free(dims);
  if (data == NULL) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return;
  }
  cgym_jni_failed(env, status);
}

static void eventSetStringTensor(JNIEnv* env, jclass cls, jlong handle, jlongArray shape,
                                 jobjectArray values) {
  size_t ndim = 0, count = 0;
  size_t* lengths = NULL;
  int ok;
  uint64_t* dims = cgym_jni_shape(env, shape, &ndim, &ok);
  char** strings;
  (void)cls;
  if (!ok) return;
  if (values == NULL) {
    free(dims);
    cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "tensor values are null");
    return;
  }
  strings = cgym_jni_utf8_array(env, values, &count, &lengths, &ok);
  if (ok) {
    cgym_jni_failed(env, cgym_event_set_string_tensor(PTR(cgym_event_t, handle), dims, ndim,
                                                      (const char* const*)strings, lengths, count));
  }
  cgym_jni_free_array(strings, count);
  free(lengths);
  free(dims);
}

static void eventSetList(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_set_list(PTR(cgym_event_t, handle)));
}

static void eventSetDict(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_set_dict(PTR(cgym_event_t, handle)));
}

static void eventListAppend(JNIEnv* env, jclass cls, jlong list, jlong item) {
  (void)cls;
  cgym_jni_failed(env, cgym_event_list_append(PTR(cgym_event_t, list), PTR(cgym_event_t, item)));
}

static void eventDictSet(JNIEnv* env, jclass cls, jlong dict, jstring key, jlong value) {
  size_t length = 0;
  int ok;
  char* text = cgym_jni_utf8(env, key, &length, &ok);
  (void)cls;
  if (ok) {
    cgym_jni_failed(
        env, cgym_event_dict_set(PTR(cgym_event_t, dict), text, length, PTR(cgym_event_t, value)));
  }
  free(text);
}

static void eventSetAny(JNIEnv* env, jclass cls, jlong handle, jstring type_url, jbyteArray data) {
  int ok;
  void* bytes = NULL;
  size_t length = 0;
  char* url = cgym_jni_utf8(env, type_url, NULL, &ok);
  (void)cls;
  if (ok && cgym_jni_bytes(env, data, &bytes, &length)) {
    cgym_jni_failed(env, cgym_event_set_any(PTR(cgym_event_t, handle), url, bytes, length));
  }
  free(bytes);
  free(url);
}

/* Serialized compiler_gym.Event bytes. */
static jbyteArray eventSerialize(JNIEnv* env, jclass cls, jlong handle) {
  void* data = NULL;
  size_t length = 0;
  jbyteArray result;
  (void)cls;
  if (cgym_jni_failed(env, cgym_event_serialize(PTR(cgym_event_t, handle), &data, &length))) {
    return NULL;
  }
  result = cgym_jni_new_bytes(env, data, length);
  cgym_free(data);
  return result;
}

/* An owned event parsed from serialized bytes. */
static jlong eventParse(JNIEnv* env, jclass cls, jbyteArray bytes) {
  void* data = NULL;
  size_t length = 0;
  cgym_event_t* out = NULL;
  cgym_status_t status;
  (void)cls;
  if (!cgym_jni_bytes(env, bytes, &data, &length)) return 0;
  status = cgym_event_parse(&out, data, length);
  free(data);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"eventNew", "()J", (void*)eventNew},
    {"eventFree", "(J)V", (void*)eventFree},
    {"eventKind", "(J)I", (void*)eventKind},
    {"eventGetBool", "(J)Z", (void*)eventGetBool},
    {"eventGetInt64", "(J)J", (void*)eventGetInt64},
    {"eventGetFloat", "(J)F", (void*)eventGetFloat},
    {"eventGetDouble", "(J)D", (void*)eventGetDouble},
    {"eventGetString", "(J)" STR, (void*)eventGetString},
    {"eventTensorShape", "(J)[J", (void*)eventTensorShape},
    {"eventTensorValues", "(J)Ljava/lang/Object;", (void*)eventTensorValues},
    {"eventListCount", "(J)I", (void*)eventListCount},
    {"eventListAt", "(JI)J", (void*)eventListAt},
    {"eventDictCount", "(J)I", (void*)eventDictCount},
    {"eventDictKey", "(JI)" STR, (void*)eventDictKey},
    {"eventDictValue", "(JI)J", (void*)eventDictValue},
    {"eventDictGet", "(J" STR ")J", (void*)eventDictGet},
    {"eventAnyTypeUrl", "(J)" STR, (void*)eventAnyTypeUrl},
    {"eventAnyData", "(J)[B", (void*)eventAnyData},
    {"eventClear", "(J)V", (void*)eventClear},
    {"eventSetBool", "(JZ)V", (void*)eventSetBool},
    {"eventSetInt64", "(JJ)V", (void*)eventSetInt64},
    {"eventSetFloat", "(JF)V", (void*)eventSetFloat},
    {"eventSetDouble", "(JD)V", (void*)eventSetDouble},
    {"eventSetString", "(J" STR ")V", (void*)eventSetString},
    {"eventSetTensor", "(JI[JLjava/lang/Object;)V", (void*)eventSetTensor},
    {"eventSetStringTensor", "(J[J[" STR ")V", (void*)eventSetStringTensor},
    {"eventSetList", "(J)V", (void*)eventSetList},
    {"eventSetDict", "(J)V", (void*)eventSetDict},
    {"eventListAppend", "(JJ)V", (void*)eventListAppend},
    {"eventDictSet", "(J" STR "J)V", (void*)eventDictSet},
    {"eventSetAny", "(J" STR "[B)V", (void*)eventSetAny},
    {"eventSerialize", "(J)[B", (void*)eventSerialize},
    {"eventParse", "([B)J", (void*)eventParse},
};
#undef STR

int cgym_jni_register_events(JNIEnv* env, jclass native_class) {
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
