// SPDX-License-Identifier: MIT
/*
 * jni_util.c: JNI_OnLoad (caches and the registration of every native), errors, conversions,
 * callbacks' thread attachment, versions, status codes and the constants table.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cgym_jni_internal.h"

JavaVM* g_vm = NULL;
jclass g_string_class = NULL;
jclass g_object_class = NULL;

static pthread_key_t g_detach_key;
static jclass g_exception_class;     /* org/libcgym/CgymException */
static jobject g_utf8;               /* StandardCharsets.UTF_8 */
static jmethodID g_string_get_bytes; /* String.getBytes(Charset) */
static jmethodID g_string_new;       /* String(byte[], Charset) */
static jmethodID g_exception_from_status;

static void detach_thread(void* unused) {
  (void)unused;
  if (g_vm != NULL) (*g_vm)->DetachCurrentThread(g_vm);
}

jclass cgym_jni_global_class(JNIEnv* env, const char* name) {
  jclass local = (*env)->FindClass(env, name);
  jclass global;
  if (local == NULL) return NULL;
  global = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  return global;
}

int cgym_jni_register(JNIEnv* env, jclass native_class, const JNINativeMethod* methods,
                      size_t count) {
  return (*env)->RegisterNatives(env, native_class, methods, (jint)count) == 0 ? 0 : -1;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void* reserved) {
  JNIEnv* env = NULL;
  jclass charsets, native_class;
  jfieldID utf8_field;
  jobject utf8;
  int failures = 0;
  (void)reserved;
  if ((*vm)->GetEnv(vm, (void**)&env, CGYM_JNI_VERSION) != JNI_OK) return JNI_ERR;
  g_vm = vm;
  if (pthread_key_create(&g_detach_key, detach_thread) != 0) return JNI_ERR;
  g_string_class = cgym_jni_global_class(env, "java/lang/String");
  g_object_class = cgym_jni_global_class(env, "java/lang/Object");
  g_exception_class = cgym_jni_global_class(env, "org/libcgym/CgymException");
  if (!g_string_class || !g_object_class || !g_exception_class) return JNI_ERR;
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
  if (!g_utf8 || !g_string_get_bytes || !g_string_new || !g_exception_from_status) {
    return JNI_ERR;
  }
  native_class = (*env)->FindClass(env, "org/libcgym/Native");
  if (native_class == NULL) return JNI_ERR;
  /* A missing or mistyped method fails the load (NoSuchMethodError), not a later call. */
  failures |= cgym_jni_register_util(env, native_class);
  failures |= cgym_jni_register_events(env, native_class);
  failures |= cgym_jni_register_spaces(env, native_class);
  failures |= cgym_jni_register_env(env, native_class);
  failures |= cgym_jni_register_make(env, native_class);
  failures |= cgym_jni_register_reward(env, native_class);
  failures |= cgym_jni_register_session(env, native_class);
  failures |= cgym_jni_register_vector(env, native_class);
  (*env)->DeleteLocalRef(env, native_class);
  return failures == 0 ? CGYM_JNI_VERSION : JNI_ERR;
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void throw_message(JNIEnv* env, cgym_status_t code, jstring jmessage) {
  jobject exception;
  if (jmessage == NULL) return;
  exception = (*env)->CallStaticObjectMethod(env, g_exception_class, g_exception_from_status,
                                             (jint)code, jmessage);
  (*env)->DeleteLocalRef(env, jmessage);
  if (exception == NULL || (*env)->ExceptionCheck(env)) return;
  (*env)->Throw(env, (jthrowable)exception);
  (*env)->DeleteLocalRef(env, exception);
}

void cgym_jni_throw_status(JNIEnv* env, cgym_status_t status) {
  /* Read the message before any other call into libcgym can replace it. */
  const char* message = cgym_last_error_message();
  if ((*env)->ExceptionCheck(env)) return;
  throw_message(env, status, cgym_jni_new_string(env, message, strlen(message)));
}

int cgym_jni_failed(JNIEnv* env, cgym_status_t status) {
  if (status == CGYM_OK) return 0;
  cgym_jni_throw_status(env, status);
  return 1;
}

void cgym_jni_throw_code(JNIEnv* env, cgym_status_t code, const char* message) {
  if ((*env)->ExceptionCheck(env)) return;
  throw_message(env, code, (*env)->NewStringUTF(env, message));
}

/* ------------------------------------------------------------------------------------------ */
/* Conversions                                                                                 */
/* ------------------------------------------------------------------------------------------ */

jstring cgym_jni_new_string(JNIEnv* env, const char* data, size_t length) {
  jbyteArray bytes;
  jstring result;
  if (length > INT32_MAX) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "string too long for Java");
    return NULL;
  }
  bytes = (*env)->NewByteArray(env, (jsize)length);
  if (bytes == NULL) return NULL;
  if (length > 0) (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)length, (const jbyte*)data);
  result = (jstring)(*env)->NewObject(env, g_string_class, g_string_new, bytes, g_utf8);
  (*env)->DeleteLocalRef(env, bytes);
  return result;
}

jstring cgym_jni_new_cstring(JNIEnv* env, const char* data) {
  return cgym_jni_new_string(env, data != NULL ? data : "", data != NULL ? strlen(data) : 0);
}

char* cgym_jni_utf8(JNIEnv* env, jstring string, size_t* length, int* ok) {
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
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    *ok = 0;
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte*)copy);
  copy[n] = '\0';
  (*env)->DeleteLocalRef(env, bytes);
  if (length == NULL && memchr(copy, '\0', (size_t)n) != NULL) {
    /* A NUL-terminated C string would silently end at the NUL: refuse it. */
    free(copy);
    cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "string contains a NUL character");
    *ok = 0;
    return NULL;
  }
  if (length != NULL) *length = (size_t)n;
  return copy;
}

char** cgym_jni_utf8_array(JNIEnv* env, jobjectArray array, size_t* count, size_t** lengths,
                           int* ok) {
  jsize n, i;
  char** result;
  size_t* sizes = NULL;
  *ok = 1;
  *count = 0;
  if (lengths != NULL) *lengths = NULL;
  if (array == NULL) return NULL;
  n = (*env)->GetArrayLength(env, array);
  result = (char**)calloc((size_t)n + 1, sizeof(char*));
  if (lengths != NULL) sizes = (size_t*)calloc((size_t)n + 1, sizeof(size_t));
  if (result == NULL || (lengths != NULL && sizes == NULL)) {
    free(result);
    free(sizes);
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    *ok = 0;
    return NULL;
  }
  for (i = 0; i < n; ++i) {
    jstring item = (jstring)(*env)->GetObjectArrayElement(env, array, i);
    if (item == NULL) {
      cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "null string");
      *ok = 0;
    } else {
      result[i] = cgym_jni_utf8(env, item, sizes != NULL ? &sizes[i] : NULL, ok);
      (*env)->DeleteLocalRef(env, item);
    }
    if (!*ok) {
      cgym_jni_free_array(result, (size_t)i + 1);
      free(sizes);
      return NULL;
    }
  }
  *count = (size_t)n;
  if (lengths != NULL) *lengths = sizes;
  return result;
}

void cgym_jni_free_array(char** array, size_t count) {
  size_t i;
  if (array == NULL) return;
  for (i = 0; i < count; ++i) free(array[i]);
  free(array);
}

jobjectArray cgym_jni_new_string_array(JNIEnv* env, size_t count) {
  if (count > INT32_MAX) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "too many strings for a Java array");
    return NULL;
  }
  return (*env)->NewObjectArray(env, (jsize)count, g_string_class, NULL);
}

int cgym_jni_bytes(JNIEnv* env, jbyteArray array, void** data, size_t* length) {
  jsize n;
  *data = NULL;
  *length = 0;
  if (array == NULL) return 1;
  n = (*env)->GetArrayLength(env, array);
  *data = malloc((size_t)n + 1);
  if (*data == NULL) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return 0;
  }
  (*env)->GetByteArrayRegion(env, array, 0, n, (jbyte*)*data);
  *length = (size_t)n;
  return 1;
}

jbyteArray cgym_jni_new_bytes(JNIEnv* env, const void* data, size_t length) {
  jbyteArray result;
  if (length > INT32_MAX) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "too many bytes for a Java array");
    return NULL;
  }
  result = (*env)->NewByteArray(env, (jsize)length);
  if (result != NULL && length > 0) {
    (*env)->SetByteArrayRegion(env, result, 0, (jsize)length, (const jbyte*)data);
  }
  return result;
}

uint64_t* cgym_jni_shape(JNIEnv* env, jlongArray array, size_t* ndim, int* ok) {
  jsize n, i;
  jlong* values;
  uint64_t* shape;
  *ok = 1;
  *ndim = 0;
  if (array == NULL) return NULL;
  n = (*env)->GetArrayLength(env, array);
  shape = (uint64_t*)malloc(((size_t)n + 1) * sizeof(uint64_t));
  values = (jlong*)malloc(((size_t)n + 1) * sizeof(jlong));
  if (shape == NULL || values == NULL) {
    free(shape);
    free(values);
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    *ok = 0;
    return NULL;
  }
  (*env)->GetLongArrayRegion(env, array, 0, n, values);
  for (i = 0; i < n; ++i) {
    if (values[i] < 0) {
      free(values);
      free(shape);
      cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "negative dimension in shape");
      *ok = 0;
      return NULL;
    }
    shape[i] = (uint64_t)values[i];
  }
  free(values);
  *ndim = (size_t)n;
  return shape;
}

jlongArray cgym_jni_new_shape(JNIEnv* env, const uint64_t* shape, size_t ndim) {
  jlongArray result = (*env)->NewLongArray(env, (jsize)ndim);
  size_t i;
  if (result == NULL) return NULL;
  for (i = 0; i < ndim; ++i) {
    jlong value = (jlong)shape[i];
    (*env)->SetLongArrayRegion(env, result, (jsize)i, 1, &value);
  }
  return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks into Java                                                                         */
/* ------------------------------------------------------------------------------------------ */

JNIEnv* cgym_jni_thread_env(void) {
  JNIEnv* env = NULL;
  jint status;
  if (g_vm == NULL) return NULL;
  status = (*g_vm)->GetEnv(g_vm, (void**)&env, CGYM_JNI_VERSION);
  if (status == JNI_OK) return env;
  if (status != JNI_EDETACHED) return NULL;
  if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void**)&env, NULL) != JNI_OK) return NULL;
  /* Any non-NULL value makes the key's destructor run when the thread exits. */
  pthread_setspecific(g_detach_key, (void*)g_vm);
  return env;
}

JNIEnv* cgym_jni_enter(void) {
  JNIEnv* env = cgym_jni_thread_env();
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

cgym_status_t cgym_jni_leave(JNIEnv* env, cgym_status_t status) {
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
    status = cgym_set_error(CGYM_CALLBACK_ERROR, "a Java exception escaped the binding's bridge");
  }
  (*env)->PopLocalFrame(env, NULL);
  return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Versions, status codes, constants                                                           */
/* ------------------------------------------------------------------------------------------ */

static jint versionNumber(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)cgym_version_number();
}

static jstring versionString(JNIEnv* env, jclass cls) {
  (void)cls;
  return cgym_jni_new_cstring(env, cgym_version_string());
}

static jstring protocolVersionString(JNIEnv* env, jclass cls) {
  (void)cls;
  return cgym_jni_new_cstring(env, cgym_protocol_version_string());
}

static jint headerVersionNumber(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)CGYM_VERSION_NUMBER;
}

static jstring statusName(JNIEnv* env, jclass cls, jint code) {
  (void)cls;
  return cgym_jni_new_cstring(env, cgym_status_name((cgym_status_t)code));
}

static jint statusParent(JNIEnv* env, jclass cls, jint code) {
  (void)env;
  (void)cls;
  return (jint)cgym_status_parent((cgym_status_t)code);
}

static jboolean statusIsServiceError(JNIEnv* env, jclass cls, jint code) {
  (void)env;
  (void)cls;
  return cgym_status_is_service_error((cgym_status_t)code) ? JNI_TRUE : JNI_FALSE;
}

/* Records a callback's failure as the thread's last error (called by the Java bridges). */
static void setError(JNIEnv* env, jclass cls, jint code, jstring message) {
  int ok;
  size_t length = 0, i;
  char* text = cgym_jni_utf8(env, message, &length, &ok);
  (void)cls;
  if (!ok) {
    (*env)->ExceptionClear(env);
    text = NULL;
  }
  /* The message crosses as a C string: a NUL in it would cut it short. */
  for (i = 0; text != NULL && i < length; ++i) {
    if (text[i] == '\0') text[i] = ' ';
  }
  cgym_set_error((cgym_status_t)code, text);
  free(text);
}

/* The thread's last error code (cgym_last_error_code), e.g. after a callback recorded one. */
static jint lastErrorCode(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)cgym_last_error_code();
}

typedef struct {
  const char* java_class;
  const char* name;
  jint value;
} constant_t;

#define CGYM_JNI_CONSTANT_ENTRY(java_class, name, value) {java_class, name, (jint)(value)},
static const constant_t k_constants[] = {CGYM_JNI_CONSTANTS(CGYM_JNI_CONSTANT_ENTRY)};
#undef CGYM_JNI_CONSTANT_ENTRY

/* The C value of the constant `name` mirrored by the Java class `java_class` (NOT_FOUND if
 * there is none), for ConstantsTest. */
static jint constant(JNIEnv* env, jclass cls, jstring java_class, jstring name) {
  int ok1, ok2 = 0;
  char* c = cgym_jni_utf8(env, java_class, NULL, &ok1);
  char* n = ok1 ? cgym_jni_utf8(env, name, NULL, &ok2) : NULL;
  jint value = 0;
  int found = 0;
  size_t i;
  (void)cls;
  if (ok1 && ok2 && c != NULL && n != NULL) {
    for (i = 0; i < COUNT_OF(k_constants) && !found; ++i) {
      if (strcmp(k_constants[i].java_class, c) == 0 && strcmp(k_constants[i].name, n) == 0) {
        value = k_constants[i].value;
        found = 1;
      }
    }
    if (!found) cgym_jni_throw_code(env, CGYM_NOT_FOUND, "no such constant");
  }
  free(c);
  free(n);
  return value;
}

/* The number of constants mirrored by the Java class `java_class`. */
static jint constantCount(JNIEnv* env, jclass cls, jstring java_class) {
  int ok;
  char* c = cgym_jni_utf8(env, java_class, NULL, &ok);
  jint count = 0;
  size_t i;
  (void)cls;
  if (ok && c != NULL) {
    for (i = 0; i < COUNT_OF(k_constants); ++i) {
      if (strcmp(k_constants[i].java_class, c) == 0) ++count;
    }
  }
  free(c);
  return count;
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"versionNumber", "()I", (void*)versionNumber},
    {"versionString", "()" STR, (void*)versionString},
    {"protocolVersionString", "()" STR, (void*)protocolVersionString},
    {"headerVersionNumber", "()I", (void*)headerVersionNumber},
    {"statusName", "(I)" STR, (void*)statusName},
    {"statusParent", "(I)I", (void*)statusParent},
    {"statusIsServiceError", "(I)Z", (void*)statusIsServiceError},
    {"setError", "(I" STR ")V", (void*)setError},
    {"lastErrorCode", "()I", (void*)lastErrorCode},
    {"constant", "(" STR STR ")I", (void*)constant},
    {"constantCount", "(" STR ")I", (void*)constantCount},
};
#undef STR

int cgym_jni_register_util(JNIEnv* env, jclass native_class) {
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
