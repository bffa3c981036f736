// SPDX-License-Identifier: MIT
/*
 * jni_vector.c: many environments at once: step queues (pipelined steps of many envs from
 * one thread), step results' status, and vector envs.
 */
#include <stdlib.h>
#include <string.h>

#include "cgym_jni_internal.h"

/* ------------------------------------------------------------------------------------------ */
/* Step queues                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static jlong stepQueueNew(JNIEnv* env, jclass cls) {
  cgym_step_queue_t* queue = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_step_queue_new(&queue))) return 0;
  return HANDLE(queue);
}

static void stepQueueFree(JNIEnv* env, jclass cls, jlong queue) {
  (void)env;
  (void)cls;
  cgym_step_queue_free(PTR(cgym_step_queue_t, queue));
}

static jlong stepQueueSize(JNIEnv* env, jclass cls, jlong queue) {
  (void)env;
  (void)cls;
  return (jlong)cgym_step_queue_size(PTR(cgym_step_queue_t, queue));
}

/* actions: native event handles (borrowed; Java frees them after the call, which copies
 * them). Null space lists mean the defaults, as for Native.step. */
static void stepSubmit(JNIEnv* env, jclass cls, jlong queue, jlong handle, jlongArray actions,
                       jobjectArray observation_spaces, jobjectArray reward_spaces,
                       jboolean has_timeout, jdouble timeout, jlong tag) {
  cgym_jni_step_args args;
  (void)cls;
  if (!cgym_jni_step_args_read(env, actions, observation_spaces, reward_spaces, has_timeout,
                               timeout, &args)) {
    return;
  }
  cgym_jni_failed(
      env, cgym_step_submit(PTR(cgym_step_queue_t, queue), PTR(cgym_env_t, handle), args.actions,
                            args.num_actions, (const char* const*)args.observations,
                            args.num_observations, (const char* const*)args.rewards,
                            args.num_rewards, args.options, (uint64_t)tag));
  cgym_jni_step_args_free(&args);
}

/* The next completed step's result (owned), its tag in tag[0]; 0 with an exception. */
static jlong stepQueueNext(JNIEnv* env, jclass cls, jlong queue, jdouble timeout, jlongArray tag) {
  cgym_step_result_t* result = NULL;
  uint64_t value = 0;
  jlong item;
  (void)cls;
  if (cgym_jni_failed(
          env, cgym_step_queue_next(PTR(cgym_step_queue_t, queue), timeout, &value, &result))) {
    return 0;
  }
  item = (jlong)value;
  (*env)->SetLongArrayRegion(env, tag, 0, 1, &item);
  return HANDLE(result);
}

static jint stepResultStatus(JNIEnv* env, jclass cls, jlong result) {
  (void)env;
  (void)cls;
  return (jint)cgym_step_result_status(PTR(cgym_step_result_t, result));
}

static jstring stepResultStatusMessage(JNIEnv* env, jclass cls, jlong result) {
  (void)cls;
  return cgym_jni_new_cstring(env,
                              cgym_step_result_status_message(PTR(cgym_step_result_t, result)));
}

/* ------------------------------------------------------------------------------------------ */
/* Vector environments                                                                         */
/* ------------------------------------------------------------------------------------------ */

static jlong vecEnvNew(JNIEnv* env, jclass cls, jstring id, jstring endpoint, jlong num_envs,
                       jlong num_services, jlong options) {
  cgym_vec_env_t* out = NULL;
  cgym_status_t status;
  int ok1, ok2 = 0;
  char* i = cgym_jni_utf8(env, id, NULL, &ok1);
  char* e = ok1 ? cgym_jni_utf8(env, endpoint, NULL, &ok2) : NULL;
  (void)cls;
  if (!ok1 || !ok2) {
    free(i);
    return 0;
  }
  status = cgym_vec_env_new(&out, i, e, (size_t)num_envs, (size_t)num_services,
                            PTR(cgym_options_t, options));
  free(i);
  free(e);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static void vecEnvFree(JNIEnv* env, jclass cls, jlong vec) {
  (void)env;
  (void)cls;
  cgym_vec_env_free(PTR(cgym_vec_env_t, vec));
}

static void vecEnvClose(JNIEnv* env, jclass cls, jlong vec) {
  (void)cls;
  cgym_jni_failed(env, cgym_vec_env_close(PTR(cgym_vec_env_t, vec)));
}

static jlong vecEnvNumEnvs(JNIEnv* env, jclass cls, jlong vec) {
  (void)env;
  (void)cls;
  return (jlong)cgym_vec_env_num_envs(PTR(cgym_vec_env_t, vec));
}

static jlong vecEnvNumServices(JNIEnv* env, jclass cls, jlong vec) {
  (void)env;
  (void)cls;
  return (jlong)cgym_vec_env_num_services(PTR(cgym_vec_env_t, vec));
}

/* Env `index` (borrowed). */
static jlong vecEnvAt(JNIEnv* env, jclass cls, jlong vec, jint index) {
  cgym_env_t* out = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(env, cgym_vec_env_at(PTR(cgym_vec_env_t, vec), (size_t)index, &out))) {
    return 0;
  }
  return HANDLE(out);
}

static void vecEnvSetAutoreset(JNIEnv* env, jclass cls, jlong vec, jint mode) {
  (void)cls;
  cgym_jni_failed(
      env, cgym_vec_env_set_autoreset(PTR(cgym_vec_env_t, vec), (cgym_autoreset_mode_t)mode));
}

static jint vecEnvAutoreset(JNIEnv* env, jclass cls, jlong vec) {
  (void)env;
  (void)cls;
  return (jint)cgym_vec_env_autoreset(PTR(cgym_vec_env_t, vec));
}

/* mask: null for every env; otherwise one entry per env (INVALID_ARGUMENT if not). */
static void vecEnvReset(JNIEnv* env, jclass cls, jlong vec, jbooleanArray mask,
                        jboolean has_timeout, jdouble timeout) {
  cgym_vec_env_t* v = PTR(cgym_vec_env_t, vec);
  cgym_call_options_t* options = NULL;
  uint8_t* bytes = NULL;
  cgym_status_t status;
  (void)cls;
  if (mask != NULL) {
    size_t n = cgym_vec_env_num_envs(v), i;
    jboolean* values;
    if ((size_t)(*env)->GetArrayLength(env, mask) != n) {
      cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "the mask has not one entry per env");
      return;
    }
    bytes = (uint8_t*)malloc(n + 1);
    values = (jboolean*)malloc((n + 1) * sizeof(jboolean));
    if (bytes == NULL || values == NULL) {
      free(bytes);
      free(values);
      cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
      return;
    }
    (*env)->GetBooleanArrayRegion(env, mask, 0, (jsize)n, values);
    for (i = 0; i < n; ++i) bytes[i] = values[i] ? 1 : 0;
    free(values);
  }
  if (cgym_jni_call_options(env, has_timeout, timeout, &options)) {
    status = cgym_vec_env_reset(v, bytes, options);
    cgym_call_options_free(options);
    cgym_jni_failed(env, status);
  }
  free(bytes);
}

static void vecEnvStep(JNIEnv* env, jclass cls, jlong vec, jlongArray actions, jboolean has_timeout,
                       jdouble timeout) {
  cgym_call_options_t* options = NULL;
  jsize n = (*env)->GetArrayLength(env, actions);
  int64_t* values = (int64_t*)malloc(((size_t)n + 1) * sizeof(int64_t));
  cgym_status_t status;
  (void)cls;
  if (values == NULL) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return;
  }
  (*env)->GetLongArrayRegion(env, actions, 0, n, (jlong*)values);
  if (cgym_jni_call_options(env, has_timeout, timeout, &options)) {
    status = cgym_vec_env_step(PTR(cgym_vec_env_t, vec), values, (size_t)n, options);
    cgym_call_options_free(options);
    cgym_jni_failed(env, status);
  }
  free(values);
}

/* Env `index`'s latest result (borrowed), or 0 for none (final: the final result). */
static jlong vecEnvResult(JNIEnv* env, jclass cls, jlong vec, jint index, jboolean final) {
  const cgym_step_result_t* result = NULL;
  const cgym_vec_env_t* v = PTR(const cgym_vec_env_t, vec);
  cgym_status_t status;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  status = final ? cgym_vec_env_final_result(v, (size_t)index, &result)
                 : cgym_vec_env_result(v, (size_t)index, &result);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(result);
}

static jdoubleArray vecEnvRewards(JNIEnv* env, jclass cls, jlong vec) {
  const cgym_vec_env_t* v = PTR(const cgym_vec_env_t, vec);
  size_t n = cgym_vec_env_num_envs(v), count = 0;
  double* values = (double*)malloc((n + 1) * sizeof(double));
  jdoubleArray result = NULL;
  (void)cls;
  if (values == NULL) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return NULL;
  }
  if (!cgym_jni_failed(env, cgym_vec_env_rewards(v, values, n, &count))) {
    result = (*env)->NewDoubleArray(env, (jsize)count);
    if (result != NULL && count > 0) {
      (*env)->SetDoubleArrayRegion(env, result, 0, (jsize)count, (const jdouble*)values);
    }
  }
  free(values);
  return result;
}

static jbooleanArray vecEnvDones(JNIEnv* env, jclass cls, jlong vec) {
  const cgym_vec_env_t* v = PTR(const cgym_vec_env_t, vec);
  size_t n = cgym_vec_env_num_envs(v), count = 0, i;
  uint8_t* values = (uint8_t*)malloc(n + 1);
  jboolean* flags = (jboolean*)malloc((n + 1) * sizeof(jboolean));
  jbooleanArray result = NULL;
  (void)cls;
  if (values == NULL || flags == NULL) {
    free(values);
    free(flags);
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return NULL;
  }
  if (!cgym_jni_failed(env, cgym_vec_env_dones(v, values, n, &count))) {
    for (i = 0; i < count; ++i) flags[i] = values[i] ? JNI_TRUE : JNI_FALSE;
    result = (*env)->NewBooleanArray(env, (jsize)count);
    if (result != NULL && count > 0) {
      (*env)->SetBooleanArrayRegion(env, result, 0, (jsize)count, flags);
    }
  }
  free(values);
  free(flags);
  return result;
}

/* The observations matrix, row-major (num_envs x width), its width in width[0]. Sized first
 * with capacity 0 (the buffer idiom), then copied: the results do not change in between. */
static jlongArray vecEnvObservationsInt64s(JNIEnv* env, jclass cls, jlong vec, jlongArray width) {
  const cgym_vec_env_t* v = PTR(const cgym_vec_env_t, vec);
  size_t count = 0, w = 0;
  int64_t* values = NULL;
  jlongArray result = NULL;
  cgym_status_t status;
  jlong item;
  (void)cls;
  status = cgym_vec_env_observations_int64s(v, NULL, 0, &count, &w);
  if (status == CGYM_OK && count > 0) {
    values = (int64_t*)malloc(count * sizeof(int64_t));
    status = values != NULL ? cgym_vec_env_observations_int64s(v, values, count, &count, &w)
                            : cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  }
  if (!cgym_jni_failed(env, status)) {
    result = (*env)->NewLongArray(env, (jsize)count);
    if (result != NULL && count > 0) {
      (*env)->SetLongArrayRegion(env, result, 0, (jsize)count, (const jlong*)values);
    }
    item = (jlong)w;
    if (result != NULL) (*env)->SetLongArrayRegion(env, width, 0, 1, &item);
  }
  free(values);
  return result;
}

static jdoubleArray vecEnvObservationsDoubles(JNIEnv* env, jclass cls, jlong vec,
                                              jlongArray width) {
  const cgym_vec_env_t* v = PTR(const cgym_vec_env_t, vec);
  size_t count = 0, w = 0;
  double* values = NULL;
  jdoubleArray result = NULL;
  cgym_status_t status;
  jlong item;
  (void)cls;
  status = cgym_vec_env_observations_doubles(v, NULL, 0, &count, &w);
  if (status == CGYM_OK && count > 0) {
    values = (double*)malloc(count * sizeof(double));
    status = values != NULL ? cgym_vec_env_observations_doubles(v, values, count, &count, &w)
                            : cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  }
  if (!cgym_jni_failed(env, status)) {
    result = (*env)->NewDoubleArray(env, (jsize)count);
    if (result != NULL && count > 0) {
      (*env)->SetDoubleArrayRegion(env, result, 0, (jsize)count, (const jdouble*)values);
    }
    item = (jlong)w;
    if (result != NULL) (*env)->SetLongArrayRegion(env, width, 0, 1, &item);
  }
  free(values);
  return result;
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"stepQueueNew", "()J", (void*)stepQueueNew},
    {"stepQueueFree", "(J)V", (void*)stepQueueFree},
    {"stepQueueSize", "(J)J", (void*)stepQueueSize},
    {"stepSubmit", "(JJ[J[" STR "[" STR "ZDJ)V", (void*)stepSubmit},
    {"stepQueueNext", "(JD[J)J", (void*)stepQueueNext},
    {"stepResultStatus", "(J)I", (void*)stepResultStatus},
    {"stepResultStatusMessage", "(J)" STR, (void*)stepResultStatusMessage},
    {"vecEnvNew", "(" STR STR "JJJ)J", (void*)vecEnvNew},
    {"vecEnvFree", "(J)V", (void*)vecEnvFree},
    {"vecEnvClose", "(J)V", (void*)vecEnvClose},
    {"vecEnvNumEnvs", "(J)J", (void*)vecEnvNumEnvs},
    {"vecEnvNumServices", "(J)J", (void*)vecEnvNumServices},
    {"vecEnvAt", "(JI)J", (void*)vecEnvAt},
    {"vecEnvSetAutoreset", "(JI)V", (void*)vecEnvSetAutoreset},
    {"vecEnvAutoreset", "(J)I", (void*)vecEnvAutoreset},
    {"vecEnvReset", "(J[ZZD)V", (void*)vecEnvReset},
    {"vecEnvStep", "(J[JZD)V", (void*)vecEnvStep},
    {"vecEnvResult", "(JIZ)J", (void*)vecEnvResult},
    {"vecEnvRewards", "(J)[D", (void*)vecEnvRewards},
    {"vecEnvDones", "(J)[Z", (void*)vecEnvDones},
    {"vecEnvObservationsInt64s", "(J[J)[J", (void*)vecEnvObservationsInt64s},
    {"vecEnvObservationsDoubles", "(J[J)[D", (void*)vecEnvObservationsDoubles},
};
#undef STR

int cgym_jni_register_vector(JNIEnv* env, jclass native_class) {
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
