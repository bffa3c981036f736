// SPDX-License-Identifier: MIT
/*
 * jni_reward.c: rewards written in Java (org.libcgym.Reward), computed on the client. The
 * cgym_reward_vtable_t slots are trampolines into org.libcgym.RewardBridge; user_data is a
 * global reference to the Java reward, deleted by the destroy slot (which libcgym also calls
 * when cgym_env_add_reward fails: the reward owns user_data in every case).
 */
#include <stdlib.h>

#include "cgym_jni_internal.h"

static jclass g_reward_bridge;
static jmethodID g_reward_reset, g_reward_update, g_reward_clone, g_reward_destroy;

/* The events of a callback as a long[] of borrowed handles. */
static jlongArray event_handles(JNIEnv* env, const cgym_event_t* const* events, size_t count) {
  jlongArray result = (*env)->NewLongArray(env, (jsize)count);
  size_t i;
  if (result == NULL) return NULL;
  for (i = 0; i < count; ++i) {
    jlong handle = HANDLE(events[i]);
    (*env)->SetLongArrayRegion(env, result, (jsize)i, 1, &handle);
  }
  return result;
}

static cgym_status_t java_reward_reset(void* user_data, const char* benchmark_uri) {
  JNIEnv* env = cgym_jni_enter();
  jstring uri;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  uri = cgym_jni_new_cstring(env, benchmark_uri);
  if (uri != NULL) {
    status =
        (*env)->CallStaticIntMethod(env, g_reward_bridge, g_reward_reset, (jobject)user_data, uri);
  }
  return cgym_jni_leave(env, status);
}

static cgym_status_t java_reward_update(void* user_data, const cgym_event_t* const* actions,
                                        size_t num_actions, const cgym_event_t* const* observations,
                                        size_t num_observations, double* reward) {
  JNIEnv* env = cgym_jni_enter();
  jlongArray a, o = NULL;
  jdoubleArray out = NULL;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  a = event_handles(env, actions, num_actions);
  if (a != NULL) o = event_handles(env, observations, num_observations);
  if (o != NULL) out = (*env)->NewDoubleArray(env, 1);
  if (out != NULL) {
    status = (*env)->CallStaticIntMethod(env, g_reward_bridge, g_reward_update, (jobject)user_data,
                                         a, o, out);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    jdouble value = 0;
    (*env)->GetDoubleArrayRegion(env, out, 0, 1, &value);
    *reward = value;
  }
  return cgym_jni_leave(env, status);
}

static void* java_reward_clone(void* user_data) {
  JNIEnv* env = cgym_jni_enter();
  jobject copy;
  jobject global = NULL;
  if (env == NULL) return NULL;
  copy = (*env)->CallStaticObjectMethod(env, g_reward_bridge, g_reward_clone, (jobject)user_data);
  if (!(*env)->ExceptionCheck(env) && copy != NULL) {
    global = (*env)->NewGlobalRef(env, copy);
    if (global == NULL) {
      (*env)->ExceptionClear(env);
      (*env)->CallStaticVoidMethod(env, g_reward_bridge, g_reward_destroy, copy);
    }
  }
  cgym_jni_leave(env, CGYM_OK);
  return (void*)global; /* NULL fails the fork */
}

static void java_reward_destroy(void* user_data) {
  JNIEnv* env = cgym_jni_enter();
  if (env == NULL) return; /* the VM is gone: nothing left to release */
  (*env)->CallStaticVoidMethod(env, g_reward_bridge, g_reward_destroy, (jobject)user_data);
  (*env)->ExceptionClear(env);
  (*env)->DeleteGlobalRef(env, (jobject)user_data);
  cgym_jni_leave(env, CGYM_OK);
}

/* Closes a reward that never reached libcgym (the call owns it in every case), keeping the
 * pending exception of the failure. */
static void release_unowned(JNIEnv* env, jobject reward) {
  jthrowable pending = (*env)->ExceptionOccurred(env);
  (*env)->ExceptionClear(env);
  (*env)->CallStaticVoidMethod(env, g_reward_bridge, g_reward_destroy, reward);
  (*env)->ExceptionClear(env);
  if (pending != NULL) (*env)->Throw(env, pending);
}

/* Adds a reward written in Java to an env. Without has_clone, forks share the Java reward. */
static void envAddReward(JNIEnv* env, jclass cls, jlong handle, jstring name,
                         jobjectArray observation_spaces, jdouble default_value,
                         jboolean default_negates_returns, jboolean deterministic, jobject reward,
                         jboolean has_clone) {
  cgym_reward_vtable_t vtable;
  size_t count = 0;
  int ok;
  char* text;
  char** spaces;
  jobject global;
  (void)cls;
  if (reward == NULL) {
    cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "reward is null");
    return;
  }
  text = cgym_jni_utf8(env, name, NULL, &ok);
  if (!ok) {
    release_unowned(env, reward);
    return;
  }
  spaces = cgym_jni_utf8_array(env, observation_spaces, &count, NULL, &ok);
  if (!ok) {
    free(text);
    release_unowned(env, reward);
    return;
  }
  global = (*env)->NewGlobalRef(env, reward);
  if (global == NULL) {
    free(text);
    cgym_jni_free_array(spaces, count);
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of JNI global references");
    release_unowned(env, reward);
    return;
  }
  vtable.version = CGYM_REWARD_VTABLE_VERSION;
  vtable.reset = java_reward_reset;
  vtable.update = java_reward_update;
  vtable.clone = has_clone ? java_reward_clone : NULL;
  vtable.destroy = java_reward_destroy;
  /* libcgym owns `global` from here on, also if the call fails (it then destroys it). */
  cgym_jni_failed(
      env, cgym_env_add_reward(PTR(cgym_env_t, handle), text, (const char* const*)spaces, count,
                               default_value, default_negates_returns ? 1 : 0,
                               deterministic ? 1 : 0, &vtable, (void*)global));
  free(text);
  cgym_jni_free_array(spaces, count);
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"envAddReward", "(J" STR "[" STR "DZZLorg/libcgym/Reward;Z)V", (void*)envAddReward},
};
#undef STR

int cgym_jni_register_reward(JNIEnv* env, jclass native_class) {
  g_reward_bridge = cgym_jni_global_class(env, "org/libcgym/RewardBridge");
  if (g_reward_bridge == NULL) return -1;
  g_reward_reset = (*env)->GetStaticMethodID(env, g_reward_bridge, "reset",
                                             "(Ljava/lang/Object;Ljava/lang/String;)I");
  g_reward_update =
      (*env)->GetStaticMethodID(env, g_reward_bridge, "update", "(Ljava/lang/Object;[J[J[D)I");
  g_reward_clone = (*env)->GetStaticMethodID(env, g_reward_bridge, "copy",
                                             "(Ljava/lang/Object;)Ljava/lang/Object;");
  g_reward_destroy =
      (*env)->GetStaticMethodID(env, g_reward_bridge, "destroy", "(Ljava/lang/Object;)V");
  if (!g_reward_reset || !g_reward_update || !g_reward_clone || !g_reward_destroy) return -1;
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
