// SPDX-License-Identifier: MIT
/*
 * cgym_jni_internal.h: what the C files of the JNI layer share (not a public header).
 *
 * The layer is split along its seams: jni_util.c (JNI_OnLoad, cached classes, errors,
 * conversions, versions and status codes), jni_events.c, jni_spaces.c, jni_env.c (options,
 * envs, steps, states), jni_make.c (environments by name, cost rewards, datasets, benchmarks),
 * jni_reward.c (rewards written in Java), jni_session.c (sessions written in Java,
 * services) and jni_vector.c (step queues and vector envs). Each file registers its natives
 * on org.libcgym.Native from JNI_OnLoad with RegisterNatives, so no Java_org_libcgym_* symbol
 * is exported.
 *
 * Conventions:
 *  - Handles cross into Java as jlong; 0 is NULL. Java owns the lifetime of owned handles
 *    (org.libcgym classes free each exactly once); borrowed pointers are read at once.
 *  - A failing cgym_* call becomes a pending Java exception built by
 *    org.libcgym.CgymException.fromStatus(code, message) from the thread's last error; the
 *    native method then returns at once (a dummy value), so Java throws it.
 *  - Strings are converted as real UTF-8 (String.getBytes(UTF_8) / new String(bytes, UTF_8)),
 *    not JNI's modified UTF-8, so NULs and supplementary characters survive.
 *  - Callbacks into Java (sessions, rewards) may run on threads that are not Java threads:
 *    cgym_jni_enter() attaches such a thread as a daemon on first use (a pthread key detaches
 *    it when the thread ends) and opens a JNI local frame; cgym_jni_leave() never returns with
 *    a Java exception pending.
 */
#ifndef CGYM_JNI_INTERNAL_H_
#define CGYM_JNI_INTERNAL_H_

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#include "cgym.h"
#include "cgym_jni_constants.h"

#define PTR(type, handle) ((type*)(intptr_t)(handle))
#define HANDLE(pointer) ((jlong)(intptr_t)(pointer))
#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

/* The JNI version the layer needs. */
#define CGYM_JNI_VERSION JNI_VERSION_1_8

/* Cached at load time (global references; jni_util.c). */
extern JavaVM* g_vm;
extern jclass g_string_class; /* java/lang/String */
extern jclass g_object_class; /* java/lang/Object */

/* Registers `count` natives of org.libcgym.Native; 0 on success. */
int cgym_jni_register(JNIEnv* env, jclass native_class, const JNINativeMethod* methods,
                      size_t count);
/* The registration function of each file (0 on success), and of the callbacks' classes. */
int cgym_jni_register_util(JNIEnv* env, jclass native_class);
int cgym_jni_register_events(JNIEnv* env, jclass native_class);
int cgym_jni_register_spaces(JNIEnv* env, jclass native_class);
int cgym_jni_register_env(JNIEnv* env, jclass native_class);
int cgym_jni_register_make(JNIEnv* env, jclass native_class);
int cgym_jni_register_reward(JNIEnv* env, jclass native_class);
int cgym_jni_register_session(JNIEnv* env, jclass native_class);
int cgym_jni_register_vector(JNIEnv* env, jclass native_class);

/* Errors. */
/* Makes the thread's last cgym error (of `status`) the pending Java exception. */
void cgym_jni_throw_status(JNIEnv* env, cgym_status_t status);
/* 1 (with a pending exception) if status is an error. */
int cgym_jni_failed(JNIEnv* env, cgym_status_t status);
/* A Java exception for a failure of the binding itself (bad arguments from Java). */
void cgym_jni_throw_code(JNIEnv* env, cgym_status_t code, const char* message);

/* Conversions. */
/* A Java String from `length` bytes of UTF-8; NULL (with a pending exception) on failure. */
jstring cgym_jni_new_string(JNIEnv* env, const char* data, size_t length);
/* The same for a NUL-terminated string ("" for NULL). */
jstring cgym_jni_new_cstring(JNIEnv* env, const char* data);
/* A malloc'd NUL-terminated UTF-8 copy of `string` (NULL for a NULL string, with *ok = 1);
 * *ok = 0 with a pending exception on failure. *length gets the byte count; with length NULL
 * the copy is used as a C string, so a string holding a NUL is INVALID_ARGUMENT. */
char* cgym_jni_utf8(JNIEnv* env, jstring string, size_t* length, int* ok);
/* An array of `count` malloc'd strings from a String[] (NULL for a NULL array; an empty
 * array gives a non-NULL array, as "no names" differs from "the defaults"). With `lengths`
 * (may be NULL), also a malloc'd array of their byte counts; without, C strings (no NULs). */
char** cgym_jni_utf8_array(JNIEnv* env, jobjectArray array, size_t* count, size_t** lengths,
                           int* ok);
void cgym_jni_free_array(char** array, size_t count);
jobjectArray cgym_jni_new_string_array(JNIEnv* env, size_t count);
/* Copies a jbyteArray into malloc'd memory (NULL array: *data = NULL); 0 on failure. */
int cgym_jni_bytes(JNIEnv* env, jbyteArray array, void** data, size_t* length);
jbyteArray cgym_jni_new_bytes(JNIEnv* env, const void* data, size_t length);
/* A uint64_t copy of a long[] shape (NULL array: empty shape). */
uint64_t* cgym_jni_shape(JNIEnv* env, jlongArray array, size_t* ndim, int* ok);
jlongArray cgym_jni_new_shape(JNIEnv* env, const uint64_t* shape, size_t ndim);

/* Call options with this timeout; *out stays NULL (the defaults) without `has_timeout`.
 * 0 (with a pending exception) on failure (jni_env.c). */
int cgym_jni_call_options(JNIEnv* env, jboolean has_timeout, jdouble timeout,
                          cgym_call_options_t** out);

/* The arguments of a step (cgym_step, cgym_step_submit) read from Java: the actions (native
 * event handles, borrowed), the space names (NULL lists: the defaults) and the call options. */
typedef struct cgym_jni_step_args {
  const cgym_event_t** actions;
  size_t num_actions;
  char** observations;
  size_t num_observations;
  char** rewards;
  size_t num_rewards;
  cgym_call_options_t* options;
} cgym_jni_step_args;
/* 0 (with a pending exception, *args empty) on failure (jni_env.c). */
int cgym_jni_step_args_read(JNIEnv* env, jlongArray actions, jobjectArray observation_spaces,
                            jobjectArray reward_spaces, jboolean has_timeout, jdouble timeout,
                            cgym_jni_step_args* args);
void cgym_jni_step_args_free(cgym_jni_step_args* args);

/* Callbacks into Java. */
/* Enters a callback: the JNIEnv with a fresh local frame, or NULL (error recorded as
 * CGYM_CALLBACK_ERROR). */
JNIEnv* cgym_jni_enter(void);
/* Leaves a callback: no exception stays pending. Returns `status`, or CGYM_CALLBACK_ERROR if
 * a Java exception escaped the bridge. */
cgym_status_t cgym_jni_leave(JNIEnv* env, cgym_status_t status);
/* The JNIEnv of the calling thread, attaching it if needed; NULL if that fails. */
JNIEnv* cgym_jni_thread_env(void);
/* A global reference to a class, or NULL (with a pending exception). */
jclass cgym_jni_global_class(JNIEnv* env, const char* name);

#endif /* CGYM_JNI_INTERNAL_H_ */
