// SPDX-License-Identifier: MIT
/*
 * cgym_jni.c: the JNI layer of the Java binding (org.libcgym.Native), written by hand over
 * cgym.h.
 *
 * Conventions:
 *  - Handles cross into Java as jlong; 0 is NULL. Java owns the lifetime of owned handles
 *    (org.libcgym classes free each exactly once); borrowed pointers are read at once.
 *  - A failing cgym_* call becomes a pending Java exception built by
 *    org.libcgym.CgymException.fromStatus(code, message) from the thread's last error; the
 *    native method then returns at once (a dummy value), so Java throws it.
 *  - Strings are converted as real UTF-8 (String.getBytes(UTF_8) / new String(bytes, UTF_8)),
 *    not JNI's modified UTF-8, so NULs and supplementary characters survive.
 *  - Sessions written in Java: the cgym_session_vtable_t slots below are trampolines into
 *    org.libcgym.SessionBridge. Service threads are not Java threads: a trampoline attaches
 *    its thread as a daemon on first use and a pthread key detaches it when the thread ends.
 *    Every trampoline runs inside a JNI local frame, and never returns with a Java exception
 *    pending: the bridge catches every Throwable and records it with cgym_set_error; a
 *    Throwable that still escapes (e.g. an Error thrown while reporting) is cleared here and
 *    reported as CGYM_CALLBACK_ERROR.
 */
#include <jni.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgym.h"

/* ------------------------------------------------------------------------------------------ */
/* Cached classes and method ids                                                               */
/* ------------------------------------------------------------------------------------------ */

static JavaVM* g_vm = NULL;
static pthread_key_t g_detach_key;
static jclass g_string_class;        /* java/lang/String */
static jclass g_exception_class;     /* org/libcgym/CgymException */
static jclass g_bridge_class;        /* org/libcgym/SessionBridge */
static jclass g_object_class;        /* java/lang/Object */
static jobject g_utf8;               /* StandardCharsets.UTF_8 */
static jmethodID g_string_get_bytes; /* String.getBytes(Charset) */
static jmethodID g_string_new;       /* String(byte[], Charset) */
static jmethodID g_exception_from_status;
static jmethodID g_bridge_init, g_bridge_fork, g_bridge_apply_action, g_bridge_get_observation,
    g_bridge_end_of_step, g_bridge_handle_parameter, g_bridge_destroy, g_bridge_compiler_version;

static void detach_thread(void* unused) {
  (void)unused;
  if (g_vm != NULL) (*g_vm)->DetachCurrentThread(g_vm);
}

static jclass global_class(JNIEnv* env, const char* name) {
  jclass local = (*env)->FindClass(env, name);
  jclass global;
  if (local == NULL) return NULL;
  global = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void* reserved) {
  JNIEnv* env = NULL;
  jclass charsets;
  jfieldID utf8_field;
  jobject utf8;
  (void)reserved;
  if ((*vm)->GetEnv(vm, (void**)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  g_vm = vm;
  if (pthread_key_create(&g_detach_key, detach_thread) != 0) return JNI_ERR;
  g_string_class = global_class(env, "java/lang/String");
  g_object_class = global_class(env, "java/lang/Object");
  g_exception_class = global_class(env, "org/libcgym/CgymException");
  g_bridge_class = global_class(env, "org/libcgym/SessionBridge");
  if (!g_string_class || !g_object_class || !g_exception_class || !g_bridge_class) return JNI_ERR;
  charsets = (*env)->FindClass(env, "java/nio/charset/StandardCharsets");
  if (charsets == NULL) return JNI_ERR;
  utf8_field = (*env)->GetStaticFieldID(env, charsets, "UTF_8", "Ljava/nio/charset/Charset;");
  if (utf8_field == NULL) return JNI_ERR;
  utf8 = (*env)->GetStaticObjectField(env, charsets, utf8_field);
  g_utf8 = (*env)->NewGlobalRef(env, utf8);
  g_string_get_bytes =
      (*env)->GetMethodID(env, g_string_class, "getBytes", "(Ljava/nio/charset/Charset;)[B");
  g_string_new =
      (*env)->GetMethodID(env, g_string_class, "<init>", "([BLjava/nio/charset/Charset;)V");
  g_exception_from_status = (*env)->GetStaticMethodID(
      env, g_exception_class, "fromStatus", "(ILjava/lang/String;)Lorg/libcgym/CgymException;");
  g_bridge_init = (*env)->GetStaticMethodID(
      env, g_bridge_class, "init",
      "(Ljava/lang/Object;Ljava/lang/String;Ljava/lang/String;[B[Ljava/lang/Object;)I");
  g_bridge_fork = (*env)->GetStaticMethodID(env, g_bridge_class, "fork",
                                            "(Ljava/lang/Object;[Ljava/lang/Object;)I");
  g_bridge_apply_action =
      (*env)->GetStaticMethodID(env, g_bridge_class, "applyAction", "(Ljava/lang/Object;J[I)I");
  g_bridge_get_observation =
      (*env)->GetStaticMethodID(env, g_bridge_class, "getObservation", "(Ljava/lang/Object;IJ)I");
  g_bridge_end_of_step =
      (*env)->GetStaticMethodID(env, g_bridge_class, "endOfStep", "(Ljava/lang/Object;Z[I)I");
  g_bridge_handle_parameter = (*env)->GetStaticMethodID(
      env, g_bridge_class, "handleParameter",
      "(Ljava/lang/Object;Ljava/lang/String;Ljava/lang/String;[Ljava/lang/Object;)I");
  g_bridge_destroy =
      (*env)->GetStaticMethodID(env, g_bridge_class, "destroy", "(Ljava/lang/Object;)V");
  g_bridge_compiler_version = (*env)->GetStaticMethodID(env, g_bridge_class, "compilerVersion",
                                                        "(Ljava/lang/Object;)Ljava/lang/String;");
  if (!g_utf8 || !g_string_get_bytes || !g_string_new || !g_exception_from_status ||
      !g_bridge_init || !g_bridge_fork || !g_bridge_apply_action || !g_bridge_get_observation ||
      !g_bridge_end_of_step || !g_bridge_handle_parameter || !g_bridge_destroy ||
      !g_bridge_compiler_version) {
    return JNI_ERR;
  }
  return JNI_VERSION_1_8;
}

/* ------------------------------------------------------------------------------------------ */
/* Errors and conversions                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Makes the thread's last cgym error (of `status`) the pending Java exception. */
static void throw_status(JNIEnv* env, cgym_status_t status) {
  /* Read the message before any other call into libcgym can replace it. */
  const char* message = cgym_last_error_message();
  jstring jmessage = NULL;
  jobject exception;
  jbyteArray bytes;
  size_t length;
  if ((*env)->ExceptionCheck(env)) return;
  length = strlen(message);
  bytes = (*env)->NewByteArray(env, (jsize)length);
  if (bytes == NULL) return;
  (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)length, (const jbyte*)message);
  jmessage = (jstring)(*env)->NewObject(env, g_string_class, g_string_new, bytes, g_utf8);
  (*env)->DeleteLocalRef(env, bytes);
  if (jmessage == NULL) return;
  exception = (*env)->CallStaticObjectMethod(env, g_exception_class, g_exception_from_status,
                                             (jint)status, jmessage);
  (*env)->DeleteLocalRef(env, jmessage);
  if (exception == NULL || (*env)->ExceptionCheck(env)) return;
  (*env)->Throw(env, (jthrowable)exception);
  (*env)->DeleteLocalRef(env, exception);
}

/* 1 (with a pending exception) if status is an error. */
static int failed(JNIEnv* env, cgym_status_t status) {
  if (status == CGYM_OK) return 0;
  throw_status(env, status);
  return 1;
}

/* A Java exception for a failure of the binding itself (bad arguments from Java). */
static void throw_code(JNIEnv* env, cgym_status_t code, const char* message) {
  jstring jmessage = (*env)->NewStringUTF(env, message);
  jobject exception;
  if (jmessage == NULL) return;
  exception = (*env)->CallStaticObjectMethod(env, g_exception_class, g_exception_from_status,
                                             (jint)code, jmessage);
  if (exception == NULL || (*env)->ExceptionCheck(env)) return;
  (*env)->Throw(env, (jthrowable)exception);
}

/* A Java String from `length` bytes of UTF-8; NULL (with a pending exception) on failure. */
static jstring new_string(JNIEnv* env, const char* data, size_t length) {
  jbyteArray bytes;
  jstring result;
  if (length > INT32_MAX) {
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "string too long for Java");
    return NULL;
  }
  bytes = (*env)->NewByteArray(env, (jsize)length);
  if (bytes == NULL) return NULL;
  if (length > 0) (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)length, (const jbyte*)data);
  result = (jstring)(*env)->NewObject(env, g_string_class, g_string_new, bytes, g_utf8);
  (*env)->DeleteLocalRef(env, bytes);
  return result;
}

static jstring new_cstring(JNIEnv* env, const char* data) {
  return new_string(env, data != NULL ? data : "", data != NULL ? strlen(data) : 0);
}

/* A malloc'd NUL-terminated UTF-8 copy of `string` (NULL for a NULL string, with *ok = 1);
 * *ok = 0 with a pending exception on failure. *length (may be NULL) gets the byte count. */
static char* utf8_of(JNIEnv* env, jstring string, size_t* length, int* ok) {
  jbyteArray bytes;
  jsize n;
  char* copy;
  *ok = 1;
  if (length != NULL) *length = 0;
  if (string == NULL) return NULL;
  bytes = (jbyteArray)(*env)->CallObjectMethod(env, string, g_string_get_bytes, g_utf8);
  if (bytes == NULL || (*env)->ExceptionCheck(env)) {
    *ok = 0;
    return NULL;
  }
  n = (*env)->GetArrayLength(env, bytes);
  copy = (char*)malloc((size_t)n + 1);
  if (copy == NULL) {
    (*env)->DeleteLocalRef(env, bytes);
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    *ok = 0;
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte*)copy);
  copy[n] = '\0';
  (*env)->DeleteLocalRef(env, bytes);
  if (length != NULL) *length = (size_t)n;
  return copy;
}

/* An array of `count` malloc'd strings from a String[] (NULL for a NULL array). */
static char** utf8_array(JNIEnv* env, jobjectArray array, size_t* count, int* ok) {
  jsize n, i;
  char** result;
  *ok = 1;
  *count = 0;
  if (array == NULL) return NULL;
  n = (*env)->GetArrayLength(env, array);
  result = (char**)calloc((size_t)n + 1, sizeof(char*));
  if (result == NULL) {
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    *ok = 0;
    return NULL;
  }
  for (i = 0; i < n; ++i) {
    jstring item = (jstring)(*env)->GetObjectArrayElement(env, array, i);
    if (item == NULL) {
      if (!(*env)->ExceptionCheck(env)) throw_code(env, CGYM_INVALID_ARGUMENT, "null string");
      *ok = 0;
    } else {
      result[i] = utf8_of(env, item, NULL, ok);
      (*env)->DeleteLocalRef(env, item);
    }
    if (!*ok) {
      jsize j;
      for (j = 0; j <= i; ++j) free(result[j]);
      free(result);
      return NULL;
    }
  }
  *count = (size_t)n;
  return result;
}

static void free_array(char** array, size_t count) {
  size_t i;
  if (array == NULL) return;
  for (i = 0; i < count; ++i) free(array[i]);
  free(array);
}

static jobjectArray new_string_array(JNIEnv* env, size_t count) {
  return (*env)->NewObjectArray(env, (jsize)count, g_string_class, NULL);
}

/* Copies a jbyteArray into malloc'd memory (NULL array: *data = NULL, ok). */
static int bytes_of(JNIEnv* env, jbyteArray array, void** data, size_t* length) {
  jsize n;
  *data = NULL;
  *length = 0;
  if (array == NULL) return 1;
  n = (*env)->GetArrayLength(env, array);
  *data = malloc((size_t)n + 1);
  if (*data == NULL) {
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return 0;
  }
  (*env)->GetByteArrayRegion(env, array, 0, n, (jbyte*)*data);
  *length = (size_t)n;
  return 1;
}

static jbyteArray new_bytes(JNIEnv* env, const void* data, size_t length) {
  jbyteArray result = (*env)->NewByteArray(env, (jsize)length);
  if (result != NULL && length > 0) {
    (*env)->SetByteArrayRegion(env, result, 0, (jsize)length, (const jbyte*)data);
  }
  return result;
}

/* A uint64_t copy of a long[] shape (NULL array: empty shape). */
static uint64_t* shape_of(JNIEnv* env, jlongArray array, size_t* ndim, int* ok) {
  jsize n, i;
  jlong* values;
  uint64_t* shape;
  *ok = 1;
  *ndim = 0;
  if (array == NULL) return NULL;
  n = (*env)->GetArrayLength(env, array);
  shape = (uint64_t*)malloc(((size_t)n + 1) * sizeof(uint64_t));
  values = (*env)->GetLongArrayElements(env, array, NULL);
  if (shape == NULL || values == NULL) {
    free(shape);
    if (values != NULL) (*env)->ReleaseLongArrayElements(env, array, values, JNI_ABORT);
    if (!(*env)->ExceptionCheck(env)) throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    *ok = 0;
    return NULL;
  }
  for (i = 0; i < n; ++i) {
    if (values[i] < 0) {
      (*env)->ReleaseLongArrayElements(env, array, values, JNI_ABORT);
      free(shape);
      throw_code(env, CGYM_INVALID_ARGUMENT, "negative dimension in shape");
      *ok = 0;
      return NULL;
    }
    shape[i] = (uint64_t)values[i];
  }
  (*env)->ReleaseLongArrayElements(env, array, values, JNI_ABORT);
  *ndim = (size_t)n;
  return shape;
}

static jlongArray new_shape(JNIEnv* env, const uint64_t* shape, size_t ndim) {
  jlongArray result = (*env)->NewLongArray(env, (jsize)ndim);
  size_t i;
  if (result == NULL) return NULL;
  for (i = 0; i < ndim; ++i) {
    jlong value = (jlong)shape[i];
    (*env)->SetLongArrayRegion(env, result, (jsize)i, 1, &value);
  }
  return result;
}

#define PTR(type, handle) ((type*)(intptr_t)(handle))
#define HANDLE(pointer) ((jlong)(intptr_t)(pointer))
#define JNI(name) JNICALL Java_org_libcgym_Native_##name

/* ------------------------------------------------------------------------------------------ */
/* Versions and status codes                                                                   */
/* ------------------------------------------------------------------------------------------ */

JNIEXPORT jint JNI(versionNumber)(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)cgym_version_number();
}

JNIEXPORT jstring JNI(versionString)(JNIEnv* env, jclass cls) {
  (void)cls;
  return new_cstring(env, cgym_version_string());
}

JNIEXPORT jstring JNI(protocolVersionString)(JNIEnv* env, jclass cls) {
  (void)cls;
  return new_cstring(env, cgym_protocol_version_string());
}

JNIEXPORT jint JNI(headerVersionNumber)(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)CGYM_VERSION_NUMBER;
}

JNIEXPORT jstring JNI(statusName)(JNIEnv* env, jclass cls, jint code) {
  (void)cls;
  return new_cstring(env, cgym_status_name((cgym_status_t)code));
}

JNIEXPORT jint JNI(statusParent)(JNIEnv* env, jclass cls, jint code) {
  (void)env;
  (void)cls;
  return (jint)cgym_status_parent((cgym_status_t)code);
}

JNIEXPORT jboolean JNI(statusIsServiceError)(JNIEnv* env, jclass cls, jint code) {
  (void)env;
  (void)cls;
  return cgym_status_is_service_error((cgym_status_t)code) ? JNI_TRUE : JNI_FALSE;
}

/* Records a session's failure as the thread's last error (called by SessionBridge). */
JNIEXPORT void JNI(setError)(JNIEnv* env, jclass cls, jint code, jstring message) {
  int ok;
  char* text = utf8_of(env, message, NULL, &ok);
  (void)cls;
  if (!ok) {
    (*env)->ExceptionClear(env);
    text = NULL;
  }
  cgym_set_error((cgym_status_t)code, text);
  free(text);
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                     */
/* ------------------------------------------------------------------------------------------ */

JNIEXPORT jlong JNI(optionsNew)(JNIEnv* env, jclass cls) {
  cgym_options_t* options = NULL;
  (void)cls;
  if (failed(env, cgym_options_new(&options))) return 0;
  return HANDLE(options);
}

JNIEXPORT void JNI(optionsFree)(JNIEnv* env, jclass cls, jlong options) {
  (void)env;
  (void)cls;
  cgym_options_free(PTR(cgym_options_t, options));
}

/* which: 0 rpc_max_retries, 1 init_max_attempts, 2 always_send_benchmark_on_reset. */
JNIEXPORT void JNI(optionsSetInt)(JNIEnv* env, jclass cls, jlong handle, jint which, jint value) {
  cgym_options_t* o = PTR(cgym_options_t, handle);
  cgym_status_t status;
  (void)cls;
  switch (which) {
    case 0:
      status = cgym_options_set_rpc_max_retries(o, value);
      break;
    case 1:
      status = cgym_options_set_init_max_attempts(o, value);
      break;
    case 2:
      status = cgym_options_set_always_send_benchmark_on_reset(o, value);
      break;
    default:
      throw_code(env, CGYM_INVALID_ARGUMENT, "unknown option");
      return;
  }
  failed(env, status);
}

/* which: 0 retry_wait_seconds, 1 retry_wait_backoff_exponent, 2 init_max_seconds,
 * 3 local_service_port_init_max_seconds, 4 local_service_exit_max_seconds,
 * 5 rpc_init_max_seconds. */
JNIEXPORT void JNI(optionsSetDouble)(JNIEnv* env, jclass cls, jlong handle, jint which,
                                     jdouble value) {
  cgym_options_t* o = PTR(cgym_options_t, handle);
  cgym_status_t status;
  (void)cls;
  switch (which) {
    case 0:
      status = cgym_options_set_retry_wait_seconds(o, value);
      break;
    case 1:
      status = cgym_options_set_retry_wait_backoff_exponent(o, value);
      break;
    case 2:
      status = cgym_options_set_init_max_seconds(o, value);
      break;
    case 3:
      status = cgym_options_set_local_service_port_init_max_seconds(o, value);
      break;
    case 4:
      status = cgym_options_set_local_service_exit_max_seconds(o, value);
      break;
    case 5:
      status = cgym_options_set_rpc_init_max_seconds(o, value);
      break;
    default:
      throw_code(env, CGYM_INVALID_ARGUMENT, "unknown option");
      return;
  }
  failed(env, status);
}

/* which: 0 observation space, 1 reward space, 2 action space, 3 add script argument. */
JNIEXPORT void JNI(optionsSetString)(JNIEnv* env, jclass cls, jlong handle, jint which,
                                     jstring value) {
  cgym_options_t* o = PTR(cgym_options_t, handle);
  cgym_status_t status;
  int ok;
  char* text = utf8_of(env, value, NULL, &ok);
  (void)cls;
  if (!ok) return;
  switch (which) {
    case 0:
      status = cgym_options_set_observation_space(o, text);
      break;
    case 1:
      status = cgym_options_set_reward_space(o, text);
      break;
    case 2:
      status = cgym_options_set_action_space(o, text);
      break;
    case 3:
      status = cgym_options_add_script_arg(o, text);
      break;
    default:
      free(text);
      throw_code(env, CGYM_INVALID_ARGUMENT, "unknown option");
      return;
  }
  free(text);
  failed(env, status);
}

JNIEXPORT void JNI(optionsSetScriptEnv)(JNIEnv* env, jclass cls, jlong handle, jstring key,
                                        jstring value) {
  int ok1, ok2;
  char* k = utf8_of(env, key, NULL, &ok1);
  char* v = ok1 ? utf8_of(env, value, NULL, &ok2) : NULL;
  (void)cls;
  if (ok1 && ok2) failed(env, cgym_options_set_script_env(PTR(cgym_options_t, handle), k, v));
  free(k);
  free(v);
}

JNIEXPORT void JNI(optionsSetBenchmark)(JNIEnv* env, jclass cls, jlong handle, jstring uri,
                                        jbyteArray program) {
  int ok;
  void* data = NULL;
  size_t length = 0;
  char* text = utf8_of(env, uri, NULL, &ok);
  (void)cls;
  if (!ok) return;
  if (bytes_of(env, program, &data, &length)) {
    failed(env, cgym_options_set_benchmark(PTR(cgym_options_t, handle), text, data, length));
  }
  free(data);
  free(text);
}

/* ------------------------------------------------------------------------------------------ */
/* Environments                                                                                */
/* ------------------------------------------------------------------------------------------ */

JNIEXPORT jlong JNI(connect)(JNIEnv* env, jclass cls, jstring endpoint, jlong options) {
  cgym_env_t* out = NULL;
  cgym_status_t status;
  int ok;
  char* text = utf8_of(env, endpoint, NULL, &ok);
  (void)cls;
  if (!ok) return 0;
  status = cgym_connect(&out, text != NULL ? text : "", PTR(cgym_options_t, options));
  free(text);
  if (failed(env, status)) return 0;
  return HANDLE(out);
}

JNIEXPORT void JNI(envFree)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_env_free(PTR(cgym_env_t, handle));
}

JNIEXPORT void JNI(envClose)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  failed(env, cgym_env_close(PTR(cgym_env_t, handle)));
}

JNIEXPORT jlong JNI(envReset)(JNIEnv* env, jclass cls, jlong handle, jdouble timeout) {
  cgym_event_t* observation = NULL;
  cgym_status_t status;
  (void)cls;
  if (timeout > 0) {
    status = cgym_env_reset_with_timeout(PTR(cgym_env_t, handle), timeout, &observation);
  } else {
    status = cgym_env_reset(PTR(cgym_env_t, handle), &observation);
  }
  if (failed(env, status)) return 0;
  return HANDLE(observation);
}

JNIEXPORT void JNI(envSetBenchmark)(JNIEnv* env, jclass cls, jlong handle, jstring uri,
                                    jbyteArray program) {
  int ok;
  void* data = NULL;
  size_t length = 0;
  char* text = utf8_of(env, uri, NULL, &ok);
  (void)cls;
  if (!ok) return;
  if (bytes_of(env, program, &data, &length)) {
    failed(env, cgym_env_set_benchmark(PTR(cgym_env_t, handle), text, data, length));
  }
  free(data);
  free(text);
}

JNIEXPORT jstring JNI(envBenchmark)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return new_cstring(env, cgym_env_benchmark(PTR(cgym_env_t, handle)));
}

/* which: 0 observation, 1 reward, 2 action. */
JNIEXPORT void JNI(envSetSpace)(JNIEnv* env, jclass cls, jlong handle, jint which, jstring name) {
  cgym_env_t* e = PTR(cgym_env_t, handle);
  cgym_status_t status;
  int ok;
  char* text = utf8_of(env, name, NULL, &ok);
  (void)cls;
  if (!ok) return;
  switch (which) {
    case 0:
      status = cgym_env_set_observation_space(e, text);
      break;
    case 1:
      status = cgym_env_set_reward_space(e, text);
      break;
    default:
      status = cgym_env_set_action_space(e, text);
      break;
  }
  free(text);
  failed(env, status);
}

JNIEXPORT jlong JNI(step)(JNIEnv* env, jclass cls, jlong handle, jlongArray actions,
                          jobjectArray observation_spaces, jobjectArray reward_spaces,
                          jdouble timeout) {
  cgym_step_result_t* result = NULL;
  const cgym_event_t** events = NULL;
  jlong* handles = NULL;
  jsize num_actions = 0, i;
  char** observations = NULL;
  char** rewards = NULL;
  size_t num_observations = 0, num_rewards = 0;
  int ok;
  cgym_status_t status;
  (void)cls;
  if (actions != NULL) {
    num_actions = (*env)->GetArrayLength(env, actions);
    handles = (jlong*)calloc((size_t)num_actions + 1, sizeof(jlong));
    events = (const cgym_event_t**)calloc((size_t)num_actions + 1, sizeof(cgym_event_t*));
    if (handles == NULL || events == NULL) {
      free(handles);
      free((void*)events);
      throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
      return 0;
    }
    (*env)->GetLongArrayRegion(env, actions, 0, num_actions, handles);
    for (i = 0; i < num_actions; ++i) events[i] = PTR(const cgym_event_t, handles[i]);
    free(handles);
  }
  observations = utf8_array(env, observation_spaces, &num_observations, &ok);
  if (ok) rewards = utf8_array(env, reward_spaces, &num_rewards, &ok);
  if (!ok) {
    free_array(observations, num_observations);
    free((void*)events);
    return 0;
  }
  /* The lists are NULL for "the default spaces"; an empty Java array is an empty list, which
   * must not be NULL: utf8_array allocates one slot for it. */
  status = cgym_step_with_timeout(PTR(cgym_env_t, handle), events, (size_t)num_actions,
                                  (const char* const*)observations, num_observations,
                                  (const char* const*)rewards, num_rewards, timeout, &result);
  free_array(observations, num_observations);
  free_array(rewards, num_rewards);
  free((void*)events);
  if (failed(env, status)) return 0;
  return HANDLE(result);
}

JNIEXPORT void JNI(stepResultFree)(JNIEnv* env, jclass cls, jlong result) {
  (void)env;
  (void)cls;
  cgym_step_result_free(PTR(cgym_step_result_t, result));
}

JNIEXPORT jint JNI(stepResultObservationCount)(JNIEnv* env, jclass cls, jlong result) {
  (void)env;
  (void)cls;
  return (jint)cgym_step_result_observation_count(PTR(cgym_step_result_t, result));
}

JNIEXPORT jlong JNI(stepResultObservation)(JNIEnv* env, jclass cls, jlong result, jint index) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_step_result_observation(PTR(cgym_step_result_t, result), (size_t)index));
}

JNIEXPORT jdoubleArray JNI(stepResultRewards)(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_step_result_t* result = PTR(cgym_step_result_t, handle);
  size_t n = cgym_step_result_reward_count(result), i;
  jdoubleArray rewards = (*env)->NewDoubleArray(env, (jsize)n);
  (void)cls;
  if (rewards == NULL) return NULL;
  for (i = 0; i < n; ++i) {
    jdouble value = cgym_step_result_reward(result, i);
    (*env)->SetDoubleArrayRegion(env, rewards, (jsize)i, 1, &value);
  }
  return rewards;
}

/* Bit 0: done; bit 1: action had no effect; bit 2: new action space. */
JNIEXPORT jint JNI(stepResultFlags)(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_step_result_t* result = PTR(cgym_step_result_t, handle);
  (void)env;
  (void)cls;
  return (cgym_step_result_done(result) ? 1 : 0) |
         (cgym_step_result_action_had_no_effect(result) ? 2 : 0) |
         (cgym_step_result_new_action_space(result) ? 4 : 0);
}

JNIEXPORT jstring JNI(stepResultErrorType)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return new_cstring(env, cgym_step_result_error_type(PTR(cgym_step_result_t, handle)));
}

JNIEXPORT jstring JNI(stepResultErrorDetails)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return new_cstring(env, cgym_step_result_error_details(PTR(cgym_step_result_t, handle)));
}

JNIEXPORT jlong JNI(envObserve)(JNIEnv* env, jclass cls, jlong handle, jstring space) {
  cgym_event_t* observation = NULL;
  cgym_status_t status;
  int ok;
  char* text = utf8_of(env, space, NULL, &ok);
  (void)cls;
  if (!ok) return 0;
  status = cgym_env_observe(PTR(cgym_env_t, handle), text, &observation);
  free(text);
  if (failed(env, status)) return 0;
  return HANDLE(observation);
}

JNIEXPORT jdouble JNI(envReward)(JNIEnv* env, jclass cls, jlong handle, jstring space) {
  double value = 0;
  cgym_status_t status;
  int ok;
  char* text = utf8_of(env, space, NULL, &ok);
  (void)cls;
  if (!ok) return 0;
  status = cgym_env_reward(PTR(cgym_env_t, handle), text, &value);
  free(text);
  if (failed(env, status)) return 0;
  return value;
}

JNIEXPORT jlong JNI(fork)(JNIEnv* env, jclass cls, jlong handle) {
  cgym_env_t* out = NULL;
  (void)cls;
  if (failed(env, cgym_fork(PTR(cgym_env_t, handle), &out))) return 0;
  return HANDLE(out);
}

JNIEXPORT jstring JNI(sendParam)(JNIEnv* env, jclass cls, jlong handle, jstring key, jstring value,
                                 jboolean resend) {
  int ok1, ok2 = 0;
  char* k = utf8_of(env, key, NULL, &ok1);
  char* v = ok1 ? utf8_of(env, value, NULL, &ok2) : NULL;
  char* reply = NULL;
  jstring result = NULL;
  (void)cls;
  if (ok1 && ok2 &&
      !failed(env, cgym_send_param(PTR(cgym_env_t, handle), k, v, resend ? 1 : 0, &reply))) {
    result = new_cstring(env, reply);
  }
  cgym_free(reply);
  free(k);
  free(v);
  return result;
}

JNIEXPORT jstring JNI(envStateJson)(JNIEnv* env, jclass cls, jlong handle) {
  char* json = NULL;
  jstring result;
  (void)cls;
  if (failed(env, cgym_env_state_json(PTR(cgym_env_t, handle), &json))) return NULL;
  result = new_cstring(env, json);
  cgym_free(json);
  return result;
}

JNIEXPORT jstring JNI(envStateCsv)(JNIEnv* env, jclass cls, jlong handle, jboolean header) {
  char* csv = NULL;
  jstring result;
  (void)cls;
  if (failed(env, cgym_env_state_csv(PTR(cgym_env_t, handle), header ? 1 : 0, &csv))) return NULL;
  result = new_cstring(env, csv);
  cgym_free(csv);
  return result;
}

JNIEXPORT void JNI(envApplyState)(JNIEnv* env, jclass cls, jlong handle, jstring json) {
  int ok;
  char* text = utf8_of(env, json, NULL, &ok);
  (void)cls;
  if (ok) failed(env, cgym_env_apply_state(PTR(cgym_env_t, handle), text));
  free(text);
}

JNIEXPORT jboolean JNI(envInEpisode)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return cgym_env_in_episode(PTR(cgym_env_t, handle)) ? JNI_TRUE : JNI_FALSE;
}

/* NaN when the env has no reward space. */
JNIEXPORT jdouble JNI(envEpisodeReward)(JNIEnv* env, jclass cls, jlong handle) {
  int has_reward = 0;
  double reward = cgym_env_episode_reward(PTR(cgym_env_t, handle), &has_reward);
  (void)env;
  (void)cls;
  if (!has_reward) {
    union {
      uint64_t bits;
      double value;
    } nan;
    nan.bits = UINT64_C(0x7ff8000000000000);
    return nan.value;
  }
  return reward;
}

JNIEXPORT jdouble JNI(envEpisodeWalltime)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return cgym_env_episode_walltime(PTR(cgym_env_t, handle));
}

JNIEXPORT jlong JNI(envActionCount)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return (jlong)cgym_env_action_count(PTR(cgym_env_t, handle));
}

JNIEXPORT jobjectArray JNI(envVersion)(JNIEnv* env, jclass cls, jlong handle) {
  const char* service = NULL;
  const char* compiler = NULL;
  jobjectArray result;
  jstring item;
  (void)cls;
  if (failed(env, cgym_env_version(PTR(cgym_env_t, handle), &service, &compiler))) return NULL;
  result = new_string_array(env, 2);
  if (result == NULL) return NULL;
  if ((item = new_cstring(env, service)) == NULL) return NULL;
  (*env)->SetObjectArrayElement(env, result, 0, item);
  if ((item = new_cstring(env, compiler)) == NULL) return NULL;
  (*env)->SetObjectArrayElement(env, result, 1, item);
  return result;
}

JNIEXPORT jint JNI(envActionSpaceCount)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return (jint)cgym_env_action_space_count(PTR(cgym_env_t, handle));
}

JNIEXPORT jlong JNI(envActionSpaceAt)(JNIEnv* env, jclass cls, jlong handle, jint index) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_env_action_space_at(PTR(cgym_env_t, handle), (size_t)index));
}

JNIEXPORT jlong JNI(envActionSpace)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_env_action_space(PTR(cgym_env_t, handle)));
}

JNIEXPORT jint JNI(envObservationSpaceCount)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return (jint)cgym_env_observation_space_count(PTR(cgym_env_t, handle));
}

JNIEXPORT jlong JNI(envObservationSpaceAt)(JNIEnv* env, jclass cls, jlong handle, jint index) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_env_observation_space_at(PTR(cgym_env_t, handle), (size_t)index));
}

JNIEXPORT jobjectArray JNI(envRewardSpaceNames)(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_env_t* e = PTR(cgym_env_t, handle);
  size_t n = cgym_env_reward_space_count(e), i;
  jobjectArray result = new_string_array(env, n);
  (void)cls;
  if (result == NULL) return NULL;
  for (i = 0; i < n; ++i) {
    jstring name = new_cstring(env, cgym_env_reward_space_name(e, i));
    if (name == NULL) return NULL;
    (*env)->SetObjectArrayElement(env, result, (jsize)i, name);
    (*env)->DeleteLocalRef(env, name);
  }
  return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Spaces                                                                                      */
/* ------------------------------------------------------------------------------------------ */

JNIEXPORT jstring JNI(actionSpaceName)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return new_cstring(env, cgym_action_space_name(PTR(cgym_action_space_t, handle)));
}

JNIEXPORT jlong JNI(actionSpaceSpace)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_action_space_space(PTR(cgym_action_space_t, handle)));
}

JNIEXPORT jstring JNI(observationSpaceName)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return new_cstring(env, cgym_observation_space_name(PTR(cgym_observation_space_t, handle)));
}

JNIEXPORT jlong JNI(observationSpaceSpace)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_observation_space_space(PTR(cgym_observation_space_t, handle)));
}

/* Bit 0: deterministic; bit 1: platform dependent. */
JNIEXPORT jint JNI(observationSpaceFlags)(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_observation_space_t* space = PTR(cgym_observation_space_t, handle);
  (void)env;
  (void)cls;
  return (cgym_observation_space_deterministic(space) ? 1 : 0) |
         (cgym_observation_space_platform_dependent(space) ? 2 : 0);
}

JNIEXPORT jlong JNI(observationSpaceDefault)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_observation_space_default(PTR(cgym_observation_space_t, handle)));
}

JNIEXPORT jint JNI(spaceKind)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return (jint)cgym_space_kind(PTR(cgym_space_t, handle));
}

JNIEXPORT jstring JNI(spaceTypeId)(JNIEnv* env, jclass cls, jlong handle) {
  const char* type_id = cgym_space_type_id(PTR(cgym_space_t, handle));
  (void)cls;
  return type_id == NULL ? NULL : new_cstring(env, type_id);
}

JNIEXPORT jlong JNI(spaceDiscreteN)(JNIEnv* env, jclass cls, jlong handle) {
  int64_t n = 0;
  (void)cls;
  if (failed(env, cgym_space_discrete_n(PTR(cgym_space_t, handle), &n))) return 0;
  return (jlong)n;
}

JNIEXPORT jobjectArray JNI(spaceNames)(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_space_t* space = PTR(cgym_space_t, handle);
  size_t count = 0, i;
  jobjectArray result;
  (void)cls;
  if (failed(env, cgym_space_names_count(space, &count))) return NULL;
  result = new_string_array(env, count);
  if (result == NULL) return NULL;
  for (i = 0; i < count; ++i) {
    const char* name = NULL;
    jstring item;
    if (failed(env, cgym_space_name_at(space, i, &name))) return NULL;
    if ((item = new_cstring(env, name)) == NULL) return NULL;
    (*env)->SetObjectArrayElement(env, result, (jsize)i, item);
    (*env)->DeleteLocalRef(env, item);
  }
  return result;
}

JNIEXPORT jlongArray JNI(spaceBoxShape)(JNIEnv* env, jclass cls, jlong handle) {
  const uint64_t* shape = NULL;
  size_t ndim = 0;
  (void)cls;
  if (failed(env, cgym_space_box_shape(PTR(cgym_space_t, handle), &shape, &ndim))) return NULL;
  return new_shape(env, shape, ndim);
}

/* The low bounds followed by the high bounds. */
JNIEXPORT jdoubleArray JNI(spaceBoxBounds)(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_space_t* space = PTR(cgym_space_t, handle);
  size_t count = 0;
  double* bounds;
  jdoubleArray result = NULL;
  const uint64_t* shape = NULL;
  size_t ndim = 0, i;
  (void)cls;
  /* cgym_space_box_bounds fails with capacity 0 and then leaves *count untouched (outputs of a
   * failed call are), so the size comes from the shape. */
  if (failed(env, cgym_space_box_shape(space, &shape, &ndim))) return NULL;
  count = 1;
  for (i = 0; i < ndim; ++i) count *= (size_t)shape[i];
  bounds = (double*)malloc((2 * count + 1) * sizeof(double));
  if (bounds == NULL) {
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return NULL;
  }
  if (!failed(env, cgym_space_box_bounds(space, bounds, bounds + count, count, &count))) {
    result = (*env)->NewDoubleArray(env, (jsize)(2 * count));
    if (result != NULL) (*env)->SetDoubleArrayRegion(env, result, 0, (jsize)(2 * count), bounds);
  }
  free(bounds);
  return result;
}

/* {min, has_min, max, has_max} as doubles. */
JNIEXPORT jdoubleArray JNI(spaceRange)(JNIEnv* env, jclass cls, jlong handle) {
  double values[4] = {0, 0, 0, 0};
  int has_min = 0, has_max = 0;
  jdoubleArray result;
  (void)cls;
  if (failed(env, cgym_space_range(PTR(cgym_space_t, handle), &values[0], &has_min, &values[2],
                                   &has_max))) {
    return NULL;
  }
  values[1] = has_min;
  values[3] = has_max;
  result = (*env)->NewDoubleArray(env, 4);
  if (result != NULL) (*env)->SetDoubleArrayRegion(env, result, 0, 4, values);
  return result;
}

/* {min, max} of a length range (max -1: unbounded). */
JNIEXPORT jlongArray JNI(spaceLengthRange)(JNIEnv* env, jclass cls, jlong handle) {
  int64_t min = 0, max = 0;
  jlong values[2];
  jlongArray result;
  (void)cls;
  if (failed(env, cgym_space_length_range(PTR(cgym_space_t, handle), &min, &max))) return NULL;
  values[0] = (jlong)min;
  values[1] = (jlong)max;
  result = (*env)->NewLongArray(env, 2);
  if (result != NULL) (*env)->SetLongArrayRegion(env, result, 0, 2, values);
  return result;
}

JNIEXPORT jint JNI(spaceSubspaceCount)(JNIEnv* env, jclass cls, jlong handle) {
  size_t count = 0;
  (void)cls;
  if (failed(env, cgym_space_subspace_count(PTR(cgym_space_t, handle), &count))) return 0;
  return (jint)count;
}

JNIEXPORT jstring JNI(spaceSubspaceKey)(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  const cgym_space_t* subspace = NULL;
  (void)cls;
  if (failed(env, cgym_space_subspace(PTR(cgym_space_t, handle), (size_t)index, &key, &subspace))) {
    return NULL;
  }
  return key == NULL ? NULL : new_cstring(env, key);
}

JNIEXPORT jlong JNI(spaceSubspace)(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  const cgym_space_t* subspace = NULL;
  (void)cls;
  if (failed(env, cgym_space_subspace(PTR(cgym_space_t, handle), (size_t)index, &key, &subspace))) {
    return 0;
  }
  return HANDLE(subspace);
}

JNIEXPORT jlong JNI(spaceNewDiscrete)(JNIEnv* env, jclass cls, jlong n) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (failed(env, cgym_space_new_discrete(&out, (int64_t)n))) return 0;
  return HANDLE(out);
}

JNIEXPORT jlong JNI(spaceNewNamedDiscrete)(JNIEnv* env, jclass cls, jobjectArray names) {
  cgym_space_t* out = NULL;
  size_t count = 0;
  int ok;
  char** array = utf8_array(env, names, &count, &ok);
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  status = cgym_space_new_named_discrete(&out, (const char* const*)array, count);
  free_array(array, count);
  if (failed(env, status)) return 0;
  return HANDLE(out);
}

JNIEXPORT jlong JNI(spaceNewRange)(JNIEnv* env, jclass cls, jint kind, jdouble min,
                                   jboolean has_min, jdouble max, jboolean has_max) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (failed(env, cgym_space_new_range(&out, (cgym_space_kind_t)kind, min, has_min ? 1 : 0, max,
                                       has_max ? 1 : 0))) {
    return 0;
  }
  return HANDLE(out);
}

JNIEXPORT jlong JNI(spaceNewString)(JNIEnv* env, jclass cls, jlong min_length, jlong max_length) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (failed(env, cgym_space_new_string(&out, (int64_t)min_length, (int64_t)max_length))) return 0;
  return HANDLE(out);
}

JNIEXPORT jlong JNI(spaceNewBox)(JNIEnv* env, jclass cls, jint kind, jlongArray shape,
                                 jdoubleArray low, jdoubleArray high) {
  cgym_space_t* out = NULL;
  size_t ndim = 0;
  int ok;
  uint64_t* dims = shape_of(env, shape, &ndim, &ok);
  jsize n_low, n_high;
  jdouble* lows;
  jdouble* highs;
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  if (low == NULL || high == NULL) {
    free(dims);
    throw_code(env, CGYM_INVALID_ARGUMENT, "box bounds are null");
    return 0;
  }
  n_low = (*env)->GetArrayLength(env, low);
  n_high = (*env)->GetArrayLength(env, high);
  if (n_low != n_high) {
    free(dims);
    throw_code(env, CGYM_INVALID_ARGUMENT, "box bounds differ in length");
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
  if (failed(env, status)) return 0;
  return HANDLE(out);
}

JNIEXPORT jlong JNI(spaceNewComposite)(JNIEnv* env, jclass cls, jint kind) {
  cgym_space_t* out = NULL;
  (void)cls;
  if (failed(env, cgym_space_new_composite(&out, (cgym_space_kind_t)kind))) return 0;
  return HANDLE(out);
}

JNIEXPORT void JNI(spaceAdd)(JNIEnv* env, jclass cls, jlong handle, jstring key, jlong sub) {
  int ok;
  char* text = utf8_of(env, key, NULL, &ok);
  (void)cls;
  if (ok) failed(env, cgym_space_add(PTR(cgym_space_t, handle), text, PTR(cgym_space_t, sub)));
  free(text);
}

JNIEXPORT void JNI(spaceFree)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_space_free(PTR(cgym_space_t, handle));
}

JNIEXPORT jlong JNI(actionSpaceNew)(JNIEnv* env, jclass cls, jstring name, jlong space) {
  cgym_action_space_t* out = NULL;
  int ok;
  char* text = utf8_of(env, name, NULL, &ok);
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  status = cgym_action_space_new(&out, text, PTR(cgym_space_t, space));
  free(text);
  if (failed(env, status)) return 0;
  return HANDLE(out);
}

JNIEXPORT void JNI(actionSpaceFree)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_action_space_free(PTR(cgym_action_space_t, handle));
}

JNIEXPORT jlong JNI(observationSpaceNew)(JNIEnv* env, jclass cls, jstring name, jlong space,
                                         jboolean deterministic, jboolean platform_dependent,
                                         jlong default_observation) {
  cgym_observation_space_t* out = NULL;
  int ok;
  char* text = utf8_of(env, name, NULL, &ok);
  cgym_status_t status;
  (void)cls;
  if (!ok) return 0;
  status = cgym_observation_space_new(&out, text, PTR(cgym_space_t, space), deterministic ? 1 : 0,
                                      platform_dependent ? 1 : 0,
                                      PTR(cgym_event_t, default_observation));
  free(text);
  if (failed(env, status)) return 0;
  return HANDLE(out);
}

JNIEXPORT void JNI(observationSpaceFree)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_observation_space_free(PTR(cgym_observation_space_t, handle));
}

/* ------------------------------------------------------------------------------------------ */
/* Events                                                                                      */
/* ------------------------------------------------------------------------------------------ */

JNIEXPORT jlong JNI(eventNew)(JNIEnv* env, jclass cls) {
  cgym_event_t* out = NULL;
  (void)cls;
  if (failed(env, cgym_event_new(&out))) return 0;
  return HANDLE(out);
}

JNIEXPORT void JNI(eventFree)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_event_free(PTR(cgym_event_t, handle));
}

JNIEXPORT jint JNI(eventKind)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return (jint)cgym_event_kind(PTR(cgym_event_t, handle));
}

JNIEXPORT jboolean JNI(eventGetBool)(JNIEnv* env, jclass cls, jlong handle) {
  int value = 0;
  (void)cls;
  if (failed(env, cgym_event_get_bool(PTR(cgym_event_t, handle), &value))) return JNI_FALSE;
  return value ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jlong JNI(eventGetInt64)(JNIEnv* env, jclass cls, jlong handle) {
  int64_t value = 0;
  (void)cls;
  if (failed(env, cgym_event_get_int64(PTR(cgym_event_t, handle), &value))) return 0;
  return (jlong)value;
}

JNIEXPORT jfloat JNI(eventGetFloat)(JNIEnv* env, jclass cls, jlong handle) {
  float value = 0;
  (void)cls;
  if (failed(env, cgym_event_get_float(PTR(cgym_event_t, handle), &value))) return 0;
  return value;
}

JNIEXPORT jdouble JNI(eventGetDouble)(JNIEnv* env, jclass cls, jlong handle) {
  double value = 0;
  (void)cls;
  if (failed(env, cgym_event_get_double(PTR(cgym_event_t, handle), &value))) return 0;
  return value;
}

JNIEXPORT jstring JNI(eventGetString)(JNIEnv* env, jclass cls, jlong handle) {
  const char* data = NULL;
  size_t length = 0;
  (void)cls;
  if (failed(env, cgym_event_get_string(PTR(cgym_event_t, handle), &data, &length))) return NULL;
  return new_string(env, data, length);
}

JNIEXPORT jlongArray JNI(eventTensorShape)(JNIEnv* env, jclass cls, jlong handle) {
  const uint64_t* shape = NULL;
  size_t ndim = 0;
  (void)cls;
  if (failed(env, cgym_event_tensor_shape(PTR(cgym_event_t, handle), &shape, &ndim))) return NULL;
  return new_shape(env, shape, ndim);
}

/* The values of a tensor event as boolean[], byte[], long[], float[], double[] or String[]. */
JNIEXPORT jobject JNI(eventTensorValues)(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_event_t* event = PTR(cgym_event_t, handle);
  cgym_event_kind_t kind = cgym_event_kind(event);
  const void* values = NULL;
  size_t count = 0, i;
  (void)cls;
  if (kind == CGYM_EVENT_STRING_TENSOR) {
    jobjectArray result;
    if (failed(env, cgym_event_tensor_count(event, &count))) return NULL;
    result = new_string_array(env, count);
    if (result == NULL) return NULL;
    for (i = 0; i < count; ++i) {
      const char* data = NULL;
      size_t length = 0;
      jstring item;
      if (failed(env, cgym_event_string_tensor_get(event, i, &data, &length))) return NULL;
      if ((item = new_string(env, data, length)) == NULL) return NULL;
      (*env)->SetObjectArrayElement(env, result, (jsize)i, item);
      (*env)->DeleteLocalRef(env, item);
    }
    return result;
  }
  if (failed(env, cgym_event_tensor_values(event, &values, &count))) return NULL;
  if (count > INT32_MAX) {
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "tensor too large for a Java array");
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
      throw_code(env, CGYM_FAILED_PRECONDITION, "not a numeric tensor event");
      return NULL;
  }
}

JNIEXPORT jint JNI(eventListSize)(JNIEnv* env, jclass cls, jlong handle) {
  size_t size = 0;
  (void)cls;
  if (failed(env, cgym_event_list_size(PTR(cgym_event_t, handle), &size))) return 0;
  return (jint)size;
}

JNIEXPORT jlong JNI(eventListGet)(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const cgym_event_t* item = NULL;
  (void)cls;
  if (failed(env, cgym_event_list_get(PTR(cgym_event_t, handle), (size_t)index, &item))) return 0;
  return HANDLE(item);
}

JNIEXPORT jint JNI(eventDictSize)(JNIEnv* env, jclass cls, jlong handle) {
  size_t size = 0;
  (void)cls;
  if (failed(env, cgym_event_dict_size(PTR(cgym_event_t, handle), &size))) return 0;
  return (jint)size;
}

JNIEXPORT jstring JNI(eventDictKey)(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  const cgym_event_t* value = NULL;
  (void)cls;
  if (failed(env, cgym_event_dict_entry(PTR(cgym_event_t, handle), (size_t)index, &key, &value))) {
    return NULL;
  }
  return new_cstring(env, key);
}

JNIEXPORT jlong JNI(eventDictValue)(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const char* key = NULL;
  const cgym_event_t* value = NULL;
  (void)cls;
  if (failed(env, cgym_event_dict_entry(PTR(cgym_event_t, handle), (size_t)index, &key, &value))) {
    return 0;
  }
  return HANDLE(value);
}

JNIEXPORT jstring JNI(eventAnyTypeUrl)(JNIEnv* env, jclass cls, jlong handle) {
  const char* url = NULL;
  const void* data = NULL;
  size_t length = 0;
  (void)cls;
  if (failed(env, cgym_event_get_any(PTR(cgym_event_t, handle), &url, &data, &length))) {
    return NULL;
  }
  return new_cstring(env, url);
}

JNIEXPORT jbyteArray JNI(eventAnyData)(JNIEnv* env, jclass cls, jlong handle) {
  const char* url = NULL;
  const void* data = NULL;
  size_t length = 0;
  (void)cls;
  if (failed(env, cgym_event_get_any(PTR(cgym_event_t, handle), &url, &data, &length))) {
    return NULL;
  }
  return new_bytes(env, data, length);
}

JNIEXPORT void JNI(eventClear)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  failed(env, cgym_event_clear(PTR(cgym_event_t, handle)));
}

JNIEXPORT void JNI(eventSetBool)(JNIEnv* env, jclass cls, jlong handle, jboolean value) {
  (void)cls;
  failed(env, cgym_event_set_bool(PTR(cgym_event_t, handle), value ? 1 : 0));
}

JNIEXPORT void JNI(eventSetInt64)(JNIEnv* env, jclass cls, jlong handle, jlong value) {
  (void)cls;
  failed(env, cgym_event_set_int64(PTR(cgym_event_t, handle), (int64_t)value));
}

JNIEXPORT void JNI(eventSetFloat)(JNIEnv* env, jclass cls, jlong handle, jfloat value) {
  (void)cls;
  failed(env, cgym_event_set_float(PTR(cgym_event_t, handle), value));
}

JNIEXPORT void JNI(eventSetDouble)(JNIEnv* env, jclass cls, jlong handle, jdouble value) {
  (void)cls;
  failed(env, cgym_event_set_double(PTR(cgym_event_t, handle), value));
}

JNIEXPORT void JNI(eventSetString)(JNIEnv* env, jclass cls, jlong handle, jstring value) {
  size_t length = 0;
  int ok;
  char* text = utf8_of(env, value, &length, &ok);
  (void)cls;
  if (ok) failed(env, cgym_event_set_string(PTR(cgym_event_t, handle), text, length));
  free(text);
}

/* `values` is the kind's Java array: boolean[], byte[], long[], float[] or double[]. */
JNIEXPORT void JNI(eventSetTensor)(JNIEnv* env, jclass cls, jlong handle, jint kind,
                                   jlongArray shape, jarray values) {
  size_t ndim = 0, count, i;
  int ok;
  uint64_t* dims;
  void* elements;
  void* converted = NULL;
  const void* data;
  cgym_status_t status;
  (void)cls;
  if (values == NULL) {
    throw_code(env, CGYM_INVALID_ARGUMENT, "tensor values are null");
    return;
  }
  dims = shape_of(env, shape, &ndim, &ok);
  if (!ok) return;
  count = (size_t)(*env)->GetArrayLength(env, values);
  if (count == 0) {
    /* Nothing to read: no critical access (which may give NULL for an empty array). */
    static const uint64_t no_values = 0; /* cgym.h does not say whether NULL is accepted */
    status = cgym_event_set_tensor(PTR(cgym_event_t, handle), (cgym_event_kind_t)kind, dims, ndim,
                                   &no_values, 0);
    free(dims);
    failed(env, status);
    return;
  }
  elements = (*env)->GetPrimitiveArrayCritical(env, values, NULL);
  if (elements == NULL) {
    free(dims);
    if (!(*env)->ExceptionCheck(env)) throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
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
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return;
  }
  failed(env, status);
}

JNIEXPORT void JNI(eventSetStringTensor)(JNIEnv* env, jclass cls, jlong handle, jlongArray shape,
                                         jobjectArray values) {
  size_t ndim = 0, count = 0, i;
  int ok;
  uint64_t* dims = shape_of(env, shape, &ndim, &ok);
  char** strings = NULL;
  size_t* lengths = NULL;
  jsize n;
  (void)cls;
  if (!ok) return;
  n = values != NULL ? (*env)->GetArrayLength(env, values) : 0;
  strings = (char**)calloc((size_t)n + 1, sizeof(char*));
  lengths = (size_t*)calloc((size_t)n + 1, sizeof(size_t));
  if (strings == NULL || lengths == NULL) {
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    ok = 0;
  }
  for (i = 0; ok && i < (size_t)n; ++i) {
    jstring item = (jstring)(*env)->GetObjectArrayElement(env, values, (jsize)i);
    if (item == NULL) {
      throw_code(env, CGYM_INVALID_ARGUMENT, "null string in a string tensor");
      ok = 0;
      break;
    }
    strings[i] = utf8_of(env, item, &lengths[i], &ok);
    (*env)->DeleteLocalRef(env, item);
    count = i + 1;
  }
  if (ok) {
    failed(env, cgym_event_set_string_tensor(PTR(cgym_event_t, handle), dims, ndim,
                                             (const char* const*)strings, lengths, (size_t)n));
  }
  free_array(strings, count);
  free(lengths);
  free(dims);
}

JNIEXPORT void JNI(eventSetList)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  failed(env, cgym_event_set_list(PTR(cgym_event_t, handle)));
}

JNIEXPORT void JNI(eventSetDict)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  failed(env, cgym_event_set_dict(PTR(cgym_event_t, handle)));
}

JNIEXPORT void JNI(eventListAppend)(JNIEnv* env, jclass cls, jlong list, jlong item) {
  (void)cls;
  failed(env, cgym_event_list_append(PTR(cgym_event_t, list), PTR(cgym_event_t, item)));
}

JNIEXPORT void JNI(eventDictSet)(JNIEnv* env, jclass cls, jlong dict, jstring key, jlong value) {
  int ok;
  char* text = utf8_of(env, key, NULL, &ok);
  (void)cls;
  if (ok) failed(env, cgym_event_dict_set(PTR(cgym_event_t, dict), text, PTR(cgym_event_t, value)));
  free(text);
}

JNIEXPORT void JNI(eventSetAny)(JNIEnv* env, jclass cls, jlong handle, jstring type_url,
                                jbyteArray data) {
  int ok;
  void* bytes = NULL;
  size_t length = 0;
  char* url = utf8_of(env, type_url, NULL, &ok);
  (void)cls;
  if (ok && bytes_of(env, data, &bytes, &length)) {
    failed(env, cgym_event_set_any(PTR(cgym_event_t, handle), url, bytes, length));
  }
  free(bytes);
  free(url);
}

/* ------------------------------------------------------------------------------------------ */
/* Sessions written in Java                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The service data: the Java ServiceDefinition and the compiler version's bytes. */
typedef struct {
  jobject definition; /* global ref */
  char* compiler_version;
} java_service_t;

/* A session: the Java CompilationSession and the bytes of its last parameter reply. */
typedef struct {
  jobject session; /* global ref */
  char* reply;
} java_session_t;

/* The JNIEnv of the calling thread, attaching it (as a daemon, detached when the thread
 * exits) if it is not a Java thread. NULL if that fails. */
static JNIEnv* thread_env(void) {
  JNIEnv* env = NULL;
  jint status;
  if (g_vm == NULL) return NULL;
  status = (*g_vm)->GetEnv(g_vm, (void**)&env, JNI_VERSION_1_8);
  if (status == JNI_OK) return env;
  if (status != JNI_EDETACHED) return NULL;
  if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void**)&env, NULL) != JNI_OK) return NULL;
  /* Any non-NULL value makes the key's destructor run when the thread exits. */
  pthread_setspecific(g_detach_key, (void*)g_vm);
  return env;
}

/* Enters a trampoline: the JNIEnv with a fresh local frame, or NULL (error recorded). */
static JNIEnv* enter(void) {
  JNIEnv* env = thread_env();
  if (env == NULL) {
    cgym_set_error(CGYM_CALLBACK_ERROR, "cannot attach the thread to the Java VM");
    return NULL;
  }
  if ((*env)->PushLocalFrame(env, 16) != 0) {
    (*env)->ExceptionClear(env);
    cgym_set_error(CGYM_CALLBACK_ERROR, "out of JNI local references");
    return NULL;
  }
  return env;
}

/* Leaves a trampoline: no exception stays pending. Returns `status`, or CGYM_CALLBACK_ERROR if
 * a Java exception escaped the bridge. */
static cgym_status_t leave(JNIEnv* env, cgym_status_t status) {
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
    status = cgym_set_error(CGYM_CALLBACK_ERROR, "a Java exception escaped the session bridge");
  }
  (*env)->PopLocalFrame(env, NULL);
  return status;
}

static cgym_status_t java_init(void* service_data, const cgym_action_space_t* action_space,
                               const char* benchmark_uri, const void* program,
                               size_t program_length, void** session) {
  java_service_t* service = (java_service_t*)service_data;
  JNIEnv* env = enter();
  jobjectArray out;
  jstring name, uri;
  jbyteArray bytes = NULL;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  out = (*env)->NewObjectArray(env, 1, g_object_class, NULL);
  name = out ? new_cstring(env, cgym_action_space_name(action_space)) : NULL;
  uri = name ? new_cstring(env, benchmark_uri) : NULL;
  if (uri != NULL && program != NULL) bytes = new_bytes(env, program, program_length);
  if (uri != NULL && (program == NULL || bytes != NULL)) {
    status = (*env)->CallStaticIntMethod(env, g_bridge_class, g_bridge_init, service->definition,
                                         name, uri, bytes, out);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    java_session_t* state = (java_session_t*)calloc(1, sizeof(java_session_t));
    jobject object = (*env)->GetObjectArrayElement(env, out, 0);
    if (state != NULL && object != NULL) state->session = (*env)->NewGlobalRef(env, object);
    if (state == NULL || state->session == NULL) {
      if (object != NULL) {
        (*env)->CallStaticVoidMethod(env, g_bridge_class, g_bridge_destroy, object);
        (*env)->ExceptionClear(env);
      }
      free(state);
      status = cgym_set_error(CGYM_CALLBACK_ERROR, "cannot keep the Java session");
    } else {
      *session = state;
    }
  } else if (status == CGYM_OK) {
    status = CGYM_CALLBACK_ERROR; /* an exception escaped: leave() records it */
  }
  return leave(env, status);
}

static cgym_status_t java_fork(void* session, void** new_session) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = enter();
  jobjectArray out;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  out = (*env)->NewObjectArray(env, 1, g_object_class, NULL);
  if (out != NULL) {
    status = (*env)->CallStaticIntMethod(env, g_bridge_class, g_bridge_fork, state->session, out);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    java_session_t* copy = (java_session_t*)calloc(1, sizeof(java_session_t));
    jobject object = (*env)->GetObjectArrayElement(env, out, 0);
    if (copy != NULL && object != NULL) copy->session = (*env)->NewGlobalRef(env, object);
    if (copy == NULL || copy->session == NULL) {
      if (object != NULL) {
        (*env)->CallStaticVoidMethod(env, g_bridge_class, g_bridge_destroy, object);
        (*env)->ExceptionClear(env);
      }
      free(copy);
      status = cgym_set_error(CGYM_CALLBACK_ERROR, "cannot keep the forked Java session");
    } else {
      *new_session = copy;
    }
  } else if (status == CGYM_OK) {
    status = CGYM_CALLBACK_ERROR;
  }
  return leave(env, status);
}

/* flags[0] end_of_episode, flags[1] action_had_no_effect, flags[2] new_action_space. */
static void read_flags(JNIEnv* env, jintArray flags, int* end_of_episode, int* action_had_no_effect,
                       int32_t* new_action_space) {
  jint values[3] = {0, 0, -1};
  (*env)->GetIntArrayRegion(env, flags, 0, 3, values);
  if (end_of_episode != NULL) *end_of_episode = values[0] != 0;
  if (action_had_no_effect != NULL) *action_had_no_effect = values[1] != 0;
  if (new_action_space != NULL) *new_action_space = (int32_t)values[2];
}

static jintArray new_flags(JNIEnv* env) {
  jint values[3] = {0, 0, -1};
  jintArray flags = (*env)->NewIntArray(env, 3);
  if (flags != NULL) (*env)->SetIntArrayRegion(env, flags, 0, 3, values);
  return flags;
}

static cgym_status_t java_apply_action(void* session, const cgym_event_t* action,
                                       int* end_of_episode, int* action_had_no_effect,
                                       int32_t* new_action_space) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = enter();
  jintArray flags;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  flags = new_flags(env);
  if (flags != NULL) {
    status = (*env)->CallStaticIntMethod(env, g_bridge_class, g_bridge_apply_action, state->session,
                                         HANDLE(action), flags);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    read_flags(env, flags, end_of_episode, action_had_no_effect, new_action_space);
  }
  return leave(env, status);
}

static cgym_status_t java_get_observation(void* session, int32_t index,
                                          const cgym_observation_space_t* space,
                                          cgym_event_t* observation) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = enter();
  cgym_status_t status;
  (void)space;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  status = (*env)->CallStaticIntMethod(env, g_bridge_class, g_bridge_get_observation,
                                       state->session, (jint)index, HANDLE(observation));
  return leave(env, status);
}

static cgym_status_t java_end_of_step(void* session, int action_had_no_effect, int* end_of_episode,
                                      int32_t* new_action_space) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = enter();
  jintArray flags;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  flags = new_flags(env);
  if (flags != NULL) {
    jint values[1];
    values[0] = *end_of_episode ? 1 : 0;
    (*env)->SetIntArrayRegion(env, flags, 0, 1, values);
    values[0] = *new_action_space;
    (*env)->SetIntArrayRegion(env, flags, 2, 1, values);
    status = (*env)->CallStaticIntMethod(env, g_bridge_class, g_bridge_end_of_step, state->session,
                                         action_had_no_effect ? JNI_TRUE : JNI_FALSE, flags);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    read_flags(env, flags, end_of_episode, NULL, new_action_space);
  }
  return leave(env, status);
}

static cgym_status_t java_handle_session_parameter(void* session, const char* key,
                                                   const char* value, const char** reply) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = enter();
  jobjectArray out;
  jstring jkey, jvalue;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  out = (*env)->NewObjectArray(env, 1, g_object_class, NULL);
  jkey = out ? new_cstring(env, key) : NULL;
  jvalue = jkey ? new_cstring(env, value) : NULL;
  if (jvalue != NULL) {
    status = (*env)->CallStaticIntMethod(env, g_bridge_class, g_bridge_handle_parameter,
                                         state->session, jkey, jvalue, out);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    jstring text = (jstring)(*env)->GetObjectArrayElement(env, out, 0);
    if (text != NULL) {
      int ok;
      char* copy = utf8_of(env, text, NULL, &ok);
      if (ok) {
        /* Kept until the next reply or the session's end: the runtime copies it at once. */
        free(state->reply);
        state->reply = copy;
        *reply = state->reply;
      } else {
        status = CGYM_CALLBACK_ERROR;
      }
    }
  }
  return leave(env, status);
}

static void java_destroy(void* session) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env;
  if (state == NULL) return;
  env = enter();
  if (env != NULL) {
    (*env)->CallStaticVoidMethod(env, g_bridge_class, g_bridge_destroy, state->session);
    (*env)->DeleteGlobalRef(env, state->session);
    leave(env, CGYM_OK);
  }
  free(state->reply);
  free(state);
}

static const char* java_compiler_version(void* service_data) {
  java_service_t* service = (java_service_t*)service_data;
  JNIEnv* env;
  jstring version;
  if (service->compiler_version != NULL) return service->compiler_version;
  env = enter();
  if (env == NULL) return "";
  version = (jstring)(*env)->CallStaticObjectMethod(env, g_bridge_class, g_bridge_compiler_version,
                                                    service->definition);
  if (!(*env)->ExceptionCheck(env) && version != NULL) {
    int ok;
    service->compiler_version = utf8_of(env, version, NULL, &ok);
  }
  leave(env, CGYM_OK);
  return service->compiler_version != NULL ? service->compiler_version : "";
}

/* Makes {def, service data} for a Java ServiceDefinition. */
JNIEXPORT jlongArray JNI(serviceDefNew)(JNIEnv* env, jclass cls, jobject definition,
                                        jboolean has_end_of_step) {
  cgym_session_vtable_t vtable;
  cgym_service_def_t* def = NULL;
  java_service_t* service;
  jlong handles[2];
  jlongArray result;
  (void)cls;
  memset(&vtable, 0, sizeof(vtable));
  vtable.version = CGYM_SESSION_VTABLE_VERSION;
  vtable.init = java_init;
  vtable.fork = java_fork;
  vtable.apply_action = java_apply_action;
  vtable.get_observation = java_get_observation;
  vtable.end_of_step = has_end_of_step ? java_end_of_step : NULL;
  vtable.handle_session_parameter = java_handle_session_parameter;
  vtable.destroy = java_destroy;
  vtable.compiler_version = java_compiler_version;
  service = (java_service_t*)calloc(1, sizeof(java_service_t));
  if (service == NULL) {
    throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return NULL;
  }
  service->definition = (*env)->NewGlobalRef(env, definition);
  if (service->definition == NULL) {
    free(service);
    return NULL;
  }
  if (failed(env, cgym_service_def_new(&def, &vtable, service))) {
    (*env)->DeleteGlobalRef(env, service->definition);
    free(service);
    return NULL;
  }
  handles[0] = HANDLE(def);
  handles[1] = HANDLE(service);
  result = (*env)->NewLongArray(env, 2);
  if (result == NULL) {
    cgym_service_def_free(def);
    (*env)->DeleteGlobalRef(env, service->definition);
    free(service);
    return NULL;
  }
  (*env)->SetLongArrayRegion(env, result, 0, 2, handles);
  return result;
}

JNIEXPORT void JNI(serviceDefFree)(JNIEnv* env, jclass cls, jlong def) {
  (void)env;
  (void)cls;
  cgym_service_def_free(PTR(cgym_service_def_t, def));
}

/* Releases service data made by serviceDefNew: only once no service made from it lives. */
JNIEXPORT void JNI(serviceDataFree)(JNIEnv* env, jclass cls, jlong data) {
  java_service_t* service = PTR(java_service_t, data);
  (void)cls;
  if (service == NULL) return;
  (*env)->DeleteGlobalRef(env, service->definition);
  free(service->compiler_version);
  free(service);
}

JNIEXPORT void JNI(serviceDefAddActionSpace)(JNIEnv* env, jclass cls, jlong def, jlong space) {
  (void)cls;
  failed(env, cgym_service_def_add_action_space(PTR(cgym_service_def_t, def),
                                                PTR(cgym_action_space_t, space)));
}

JNIEXPORT void JNI(serviceDefAddObservationSpace)(JNIEnv* env, jclass cls, jlong def, jlong space) {
  (void)cls;
  failed(env, cgym_service_def_add_observation_space(PTR(cgym_service_def_t, def),
                                                     PTR(cgym_observation_space_t, space)));
}

/* The thread running cgym_service_run, to which serviceSignal forwards stop signals. The JVM
 * owns SIGTERM and SIGINT (its handler runs Java's Signal handlers), while cgym_service_run
 * waits for them with sigwait in its own thread: Service.run installs Java handlers that call
 * serviceSignal, which directs the signal at that thread, where it is blocked and awaited. */
static pthread_mutex_t g_run_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t g_run_thread;
static int g_running = 0;
static int g_pending_signal = 0;

JNIEXPORT jint JNI(serviceRun)(JNIEnv* env, jclass cls, jlong def, jobjectArray args) {
  size_t count = 0;
  int ok, pending;
  char** argv = utf8_array(env, args, &count, &ok);
  sigset_t stop, previous;
  jint code;
  (void)cls;
  if (!ok) return 1;
  /* Block the stop signals in this thread first, so that a signal forwarded before
   * cgym_service_run blocks them itself stays pending for its sigwait. */
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, &previous);
  pthread_mutex_lock(&g_run_lock);
  g_run_thread = pthread_self();
  g_running = 1;
  pending = g_pending_signal;
  g_pending_signal = 0;
  pthread_mutex_unlock(&g_run_lock);
  if (pending != 0) pthread_kill(pthread_self(), pending);
  code = cgym_service_run(PTR(cgym_service_def_t, def), (int)count, (const char* const*)argv);
  pthread_mutex_lock(&g_run_lock);
  g_running = 0;
  pthread_mutex_unlock(&g_run_lock);
  /* The stop signals stay blocked in this thread (as cgym_service_run leaves them after a stop
   * signal), so that repeated signals cannot kill the exiting process. */
  (void)previous;
  free_array(argv, count);
  return code;
}

/* Forwards a stop signal (SIGTERM or SIGINT) to the thread running cgym_service_run; it is
 * kept for it if the service is not running yet. */
JNIEXPORT void JNI(serviceSignal)(JNIEnv* env, jclass cls, jint signal) {
  int sig = signal == 2 ? SIGINT : SIGTERM;
  (void)env;
  (void)cls;
  pthread_mutex_lock(&g_run_lock);
  if (g_running) {
    pthread_kill(g_run_thread, sig);
  } else {
    g_pending_signal = sig;
  }
  pthread_mutex_unlock(&g_run_lock);
}

JNIEXPORT void JNI(serviceRegister)(JNIEnv* env, jclass cls, jstring name, jlong def) {
  int ok;
  char* text = utf8_of(env, name, NULL, &ok);
  (void)cls;
  if (ok)
    failed(env, cgym_service_register(text != NULL ? text : "", PTR(cgym_service_def_t, def)));
  free(text);
}

JNIEXPORT void JNI(serviceUnregister)(JNIEnv* env, jclass cls, jstring name) {
  int ok;
  char* text = utf8_of(env, name, NULL, &ok);
  (void)cls;
  if (ok) failed(env, cgym_service_unregister(text != NULL ? text : ""));
  free(text);
}
