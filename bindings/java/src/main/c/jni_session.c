// SPDX-License-Identifier: MIT
/*
 * jni_session.c: sessions written in Java and services. The cgym_session_vtable_t slots are
 * trampolines into org.libcgym.SessionBridge, which catches every Throwable and records it
 * with cgym_set_error; a Throwable that still escapes (e.g. an Error thrown while reporting)
 * is cleared by cgym_jni_leave() and reported as CGYM_CALLBACK_ERROR. The service data (the
 * Java ServiceDefinition) is owned by the cgym_service_def_t and released by the
 * service_data_free slot (vtable version 2) once nothing uses it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cgym_jni_internal.h"

static jclass g_session_bridge;
static jmethodID g_bridge_init, g_bridge_fork, g_bridge_apply_action, g_bridge_get_observation,
    g_bridge_end_of_step, g_bridge_handle_parameter, g_bridge_destroy, g_bridge_compiler_version;

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

static cgym_status_t java_init(void* service_data, const cgym_action_space_t* action_space,
                               const char* benchmark_uri, const void* program,
                               size_t program_length, void** session) {
  java_service_t* service = (java_service_t*)service_data;
  JNIEnv* env = cgym_jni_enter();
  jobjectArray out;
  jstring name, uri;
  jbyteArray bytes = NULL;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  out = (*env)->NewObjectArray(env, 1, g_object_class, NULL);
  name = out ? cgym_jni_new_cstring(env, cgym_action_space_name(action_space)) : NULL;
  uri = name ? cgym_jni_new_cstring(env, benchmark_uri) : NULL;
  if (uri != NULL && program != NULL) bytes = cgym_jni_new_bytes(env, program, program_length);
  if (uri != NULL && (program == NULL || bytes != NULL)) {
    status = (*env)->CallStaticIntMethod(env, g_session_bridge, g_bridge_init, service->definition,
                                         name, uri, bytes, out);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    java_session_t* state = (java_session_t*)calloc(1, sizeof(java_session_t));
    jobject object = (*env)->GetObjectArrayElement(env, out, 0);
    if (state != NULL && object != NULL) state->session = (*env)->NewGlobalRef(env, object);
    if (state == NULL || state->session == NULL) {
      if (object != NULL) {
        (*env)->CallStaticVoidMethod(env, g_session_bridge, g_bridge_destroy, object);
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
  return cgym_jni_leave(env, status);
}

static cgym_status_t java_fork(void* session, void** new_session) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = cgym_jni_enter();
  jobjectArray out;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  out = (*env)->NewObjectArray(env, 1, g_object_class, NULL);
  if (out != NULL) {
    status = (*env)->CallStaticIntMethod(env, g_session_bridge, g_bridge_fork, state->session, out);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    java_session_t* copy = (java_session_t*)calloc(1, sizeof(java_session_t));
    jobject object = (*env)->GetObjectArrayElement(env, out, 0);
    if (copy != NULL && object != NULL) copy->session = (*env)->NewGlobalRef(env, object);
    if (copy == NULL || copy->session == NULL) {
      if (object != NULL) {
        (*env)->CallStaticVoidMethod(env, g_session_bridge, g_bridge_destroy, object);
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
  return cgym_jni_leave(env, status);
}

/* The int[CGYM_JNI_FLAG_COUNT] a session fills, at CGYM_JNI_FLAG_* indices. */
static void read_flags(JNIEnv* env, jintArray flags, int* end_of_episode, int* action_had_no_effect,
                       int32_t* new_action_space) {
  jint values[CGYM_JNI_FLAG_COUNT];
  (*env)->GetIntArrayRegion(env, flags, 0, CGYM_JNI_FLAG_COUNT, values);
  if (end_of_episode != NULL) *end_of_episode = values[CGYM_JNI_FLAG_END_OF_EPISODE] != 0;
  if (action_had_no_effect != NULL) {
    *action_had_no_effect = values[CGYM_JNI_FLAG_ACTION_HAD_NO_EFFECT] != 0;
  }
  if (new_action_space != NULL) {
    *new_action_space = (int32_t)values[CGYM_JNI_FLAG_NEW_ACTION_SPACE];
  }
}

/* Flags as the runtime starts them: no end, an effect, no new action space (-1). */
static jintArray new_flags(JNIEnv* env, int end_of_episode, int32_t new_action_space) {
  jint values[CGYM_JNI_FLAG_COUNT];
  jintArray flags = (*env)->NewIntArray(env, CGYM_JNI_FLAG_COUNT);
  values[CGYM_JNI_FLAG_END_OF_EPISODE] = end_of_episode ? 1 : 0;
  values[CGYM_JNI_FLAG_ACTION_HAD_NO_EFFECT] = 0;
  values[CGYM_JNI_FLAG_NEW_ACTION_SPACE] = new_action_space;
  if (flags != NULL) (*env)->SetIntArrayRegion(env, flags, 0, CGYM_JNI_FLAG_COUNT, values);
  return flags;
}

static cgym_status_t java_apply_action(void* session, const cgym_event_t* action,
                                       int* end_of_episode, int* action_had_no_effect,
                                       int32_t* new_action_space) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = cgym_jni_enter();
  jintArray flags;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  flags = new_flags(env, 0, -1);
  if (flags != NULL) {
    status = (*env)->CallStaticIntMethod(env, g_session_bridge, g_bridge_apply_action,
                                         state->session, HANDLE(action), flags);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    read_flags(env, flags, end_of_episode, action_had_no_effect, new_action_space);
  }
  return cgym_jni_leave(env, status);
}

static cgym_status_t java_get_observation(void* session, int32_t index,
                                          const cgym_observation_space_t* space,
                                          cgym_event_t* observation) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = cgym_jni_enter();
  cgym_status_t status;
  (void)space;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  status = (*env)->CallStaticIntMethod(env, g_session_bridge, g_bridge_get_observation,
                                       state->session, (jint)index, HANDLE(observation));
  return cgym_jni_leave(env, status);
}

static cgym_status_t java_end_of_step(void* session, int action_had_no_effect, int* end_of_episode,
                                      int32_t* new_action_space) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = cgym_jni_enter();
  jintArray flags;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  flags = new_flags(env, *end_of_episode, *new_action_space);
  if (flags != NULL) {
    status =
        (*env)->CallStaticIntMethod(env, g_session_bridge, g_bridge_end_of_step, state->session,
                                    action_had_no_effect ? JNI_TRUE : JNI_FALSE, flags);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    read_flags(env, flags, end_of_episode, NULL, new_action_space);
  }
  return cgym_jni_leave(env, status);
}

static cgym_status_t java_handle_session_parameter(void* session, const char* key,
                                                   const char* value, const char** reply) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env = cgym_jni_enter();
  jobjectArray out;
  jstring jkey, jvalue;
  cgym_status_t status = CGYM_CALLBACK_ERROR;
  if (env == NULL) return CGYM_CALLBACK_ERROR;
  out = (*env)->NewObjectArray(env, 1, g_object_class, NULL);
  jkey = out ? cgym_jni_new_cstring(env, key) : NULL;
  jvalue = jkey ? cgym_jni_new_cstring(env, value) : NULL;
  if (jvalue != NULL) {
    status = (*env)->CallStaticIntMethod(env, g_session_bridge, g_bridge_handle_parameter,
                                         state->session, jkey, jvalue, out);
  }
  if (!(*env)->ExceptionCheck(env) && status == CGYM_OK) {
    jstring text = (jstring)(*env)->GetObjectArrayElement(env, out, 0);
    if (text != NULL) {
      int ok;
      char* copy = cgym_jni_utf8(env, text, NULL, &ok);
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
  return cgym_jni_leave(env, status);
}

static void java_destroy(void* session) {
  java_session_t* state = (java_session_t*)session;
  JNIEnv* env;
  if (state == NULL) return;
  env = cgym_jni_enter();
  if (env != NULL) {
    (*env)->CallStaticVoidMethod(env, g_session_bridge, g_bridge_destroy, state->session);
    (*env)->DeleteGlobalRef(env, state->session);
    cgym_jni_leave(env, CGYM_OK);
  }
  free(state->reply);
  free(state);
}

static const char* java_compiler_version(void* service_data) {
  java_service_t* service = (java_service_t*)service_data;
  JNIEnv* env;
  jstring version;
  if (service->compiler_version != NULL) return service->compiler_version;
  env = cgym_jni_enter();
  if (env == NULL) return "";
  version = (jstring)(*env)->CallStaticObjectMethod(env, g_session_bridge,
                                                    g_bridge_compiler_version, service->definition);
  if (!(*env)->ExceptionCheck(env) && version != NULL) {
    int ok;
    service->compiler_version = cgym_jni_utf8(env, version, NULL, &ok);
  }
  cgym_jni_leave(env, CGYM_OK);
  return service->compiler_version != NULL ? service->compiler_version : "";
}

/* Releases the service data: vtable version 2's service_data_free, called once when
 * nothing uses it any more (possibly on a thread that is not a Java thread). */
static void java_service_data_free(void* service_data) {
  java_service_t* service = (java_service_t*)service_data;
  JNIEnv* env;
  if (service == NULL) return;
  env = cgym_jni_enter();
  if (env != NULL) {
    (*env)->DeleteGlobalRef(env, service->definition);
    cgym_jni_leave(env, CGYM_OK);
  }
  free(service->compiler_version);
  free(service);
}

/* A cgym_service_def_t for a Java ServiceDefinition; it owns its service data. */
static jlong serviceDefNew(JNIEnv* env, jclass cls, jobject definition, jboolean has_end_of_step) {
  cgym_session_vtable_t vtable;
  cgym_service_def_t* def = NULL;
  java_service_t* service;
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
  vtable.service_data_free = java_service_data_free;
  service = (java_service_t*)calloc(1, sizeof(java_service_t));
  if (service == NULL) {
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
    return 0;
  }
  service->definition = (*env)->NewGlobalRef(env, definition);
  if (service->definition == NULL) {
    free(service);
    cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of JNI global references");
    return 0;
  }
  /* The def owns `service` from here on, also if the call fails (it then frees it). */
  if (cgym_jni_failed(env, cgym_service_def_new(&def, &vtable, service))) return 0;
  return HANDLE(def);
}

static void serviceDefFree(JNIEnv* env, jclass cls, jlong def) {
  (void)env;
  (void)cls;
  cgym_service_def_free(PTR(cgym_service_def_t, def));
}

static void serviceDefAddActionSpace(JNIEnv* env, jclass cls, jlong def, jlong space) {
  (void)cls;
  cgym_jni_failed(env, cgym_service_def_add_action_space(PTR(cgym_service_def_t, def),
                                                         PTR(cgym_action_space_t, space)));
}

static void serviceDefAddObservationSpace(JNIEnv* env, jclass cls, jlong def, jlong space) {
  (void)cls;
  cgym_jni_failed(env, cgym_service_def_add_observation_space(
                           PTR(cgym_service_def_t, def), PTR(cgym_observation_space_t, space)));
}

/* The thread running cgym_service_run, to which serviceSignal forwards stop signals. The JVM
 * owns SIGTERM and SIGINT (its handler runs Java's Signal handlers), while cgym_service_run
 * waits for them with sigwait in its own thread: Service.run installs Java handlers that call
 * serviceSignal, which directs the signal at that thread, where it is blocked and awaited (a
 * signal that comes before cgym_service_run blocks them stays pending for it, which
 * cgym_service_stop() could not do: it does not affect a run that starts after it). */
static pthread_mutex_t g_run_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t g_run_thread;
static int g_running = 0;
static int g_pending_signal = 0;

static jint serviceRun(JNIEnv* env, jclass cls, jlong def, jobjectArray args) {
  size_t count = 0;
  int ok, pending;
  char** argv = cgym_jni_utf8_array(env, args, &count, NULL, &ok);
  sigset_t stop;
  jint code;
  (void)cls;
  if (!ok) return 1;
  /* Block the stop signals in this thread first, so that a signal forwarded before
   * cgym_service_run blocks them itself stays pending for its sigwait. They stay blocked
   * afterwards, as cgym_service_run leaves them, so that repeated signals cannot kill the
   * exiting process. */
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
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
  cgym_jni_free_array(argv, count);
  return code;
}

/* Forwards a stop signal (a CGYM_JNI_SIGNAL_* selector) to the thread running
 * cgym_service_run; it is kept for it if the service is not running yet. */
static void serviceSignal(JNIEnv* env, jclass cls, jint which) {
  int sig = which == CGYM_JNI_SIGNAL_INT ? SIGINT : SIGTERM;
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

/* Asks every running cgym_service_run of the process to stop, as SIGTERM does. */
static void serviceStop(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  cgym_service_stop();
}

static void serviceRegister(JNIEnv* env, jclass cls, jstring name, jlong def) {
  int ok;
  char* text = cgym_jni_utf8(env, name, NULL, &ok);
  (void)cls;
  if (ok) {
    cgym_jni_failed(env,
                    cgym_service_register(text != NULL ? text : "", PTR(cgym_service_def_t, def)));
  }
  free(text);
}

static void serviceUnregister(JNIEnv* env, jclass cls, jstring name) {
  int ok;
  char* text = cgym_jni_utf8(env, name, NULL, &ok);
  (void)cls;
  if (ok) cgym_jni_failed(env, cgym_service_unregister(text != NULL ? text : ""));
  free(text);
}

/* Loads a session plugin and registers its service. NULL strings reach libcgym as NULL, which
 * reports them (INVALID_ARGUMENT). */
static void serviceRegisterPlugin(JNIEnv* env, jclass cls, jstring name, jstring path) {
  int ok;
  char* name_text = cgym_jni_utf8(env, name, NULL, &ok);
  char* path_text = NULL;
  (void)cls;
  if (ok) path_text = cgym_jni_utf8(env, path, NULL, &ok);
  if (ok) cgym_jni_failed(env, cgym_service_register_plugin(name_text, path_text));
  free(name_text);
  free(path_text);
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"serviceDefNew", "(Lorg/libcgym/ServiceDefinition;Z)J", (void*)serviceDefNew},
    {"serviceDefFree", "(J)V", (void*)serviceDefFree},
    {"serviceDefAddActionSpace", "(JJ)V", (void*)serviceDefAddActionSpace},
    {"serviceDefAddObservationSpace", "(JJ)V", (void*)serviceDefAddObservationSpace},
    {"serviceRun", "(J[" STR ")I", (void*)serviceRun},
    {"serviceSignal", "(I)V", (void*)serviceSignal},
    {"serviceStop", "()V", (void*)serviceStop},
    {"serviceRegister", "(" STR "J)V", (void*)serviceRegister},
    {"serviceUnregister", "(" STR ")V", (void*)serviceUnregister},
    {"serviceRegisterPlugin", "(" STR STR ")V", (void*)serviceRegisterPlugin},
};

int cgym_jni_register_session(JNIEnv* env, jclass native_class) {
  jclass b;
  g_session_bridge = cgym_jni_global_class(env, "org/libcgym/SessionBridge");
  if (g_session_bridge == NULL) return -1;
  b = g_session_bridge;
  g_bridge_init = (*env)->GetStaticMethodID(
      env, b, "init", "(Ljava/lang/Object;" STR STR "[B[Ljava/lang/Object;)I");
  g_bridge_fork =
      (*env)->GetStaticMethodID(env, b, "fork", "(Ljava/lang/Object;[Ljava/lang/Object;)I");
  g_bridge_apply_action =
      (*env)->GetStaticMethodID(env, b, "applyAction", "(Ljava/lang/Object;J[I)I");
  g_bridge_get_observation =
      (*env)->GetStaticMethodID(env, b, "getObservation", "(Ljava/lang/Object;IJ)I");
  g_bridge_end_of_step = (*env)->GetStaticMethodID(env, b, "endOfStep", "(Ljava/lang/Object;Z[I)I");
  g_bridge_handle_parameter = (*env)->GetStaticMethodID(
      env, b, "handleParameter", "(Ljava/lang/Object;" STR STR "[Ljava/lang/Object;)I");
  g_bridge_destroy = (*env)->GetStaticMethodID(env, b, "destroy", "(Ljava/lang/Object;)V");
  g_bridge_compiler_version =
      (*env)->GetStaticMethodID(env, b, "compilerVersion", "(Ljava/lang/Object;)" STR);
  if (!g_bridge_init || !g_bridge_fork || !g_bridge_apply_action || !g_bridge_get_observation ||
      !g_bridge_end_of_step || !g_bridge_handle_parameter || !g_bridge_destroy ||
      !g_bridge_compiler_version) {
    return -1;
  }
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
#undef STR
