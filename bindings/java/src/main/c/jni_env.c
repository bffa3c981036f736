// SPDX-License-Identifier: MIT
/*
 * jni_env.c: the client: options, call options, envs (connect, reset, step, observations,
 * rewards, fork, parameters, states, validation, spaces, episode facts) and step results.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cgym_jni_internal.h"

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static jlong optionsNew(JNIEnv* env, jclass cls) {
  cgym_options_t* options = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_options_new(&options))) return 0;
  return HANDLE(options);
}

static void optionsFree(JNIEnv* env, jclass cls, jlong options) {
  (void)env;
  (void)cls;
  cgym_options_free(PTR(cgym_options_t, options));
}

/* which: a CGYM_JNI_OPTION_* int selector. */
static void optionsSetInt(JNIEnv* env, jclass cls, jlong handle, jint which, jint value) {
  cgym_options_t* o = PTR(cgym_options_t, handle);
  cgym_status_t status;
  (void)cls;
  switch (which) {
    case CGYM_JNI_OPTION_RPC_MAX_RETRIES:
      status = cgym_options_set_rpc_max_retries(o, value);
      break;
    case CGYM_JNI_OPTION_INIT_MAX_ATTEMPTS:
      status = cgym_options_set_init_max_attempts(o, value);
      break;
    case CGYM_JNI_OPTION_ALWAYS_SEND_BENCHMARK_ON_RESET:
      status = cgym_options_set_always_send_benchmark_on_reset(o, value);
      break;
    default:
      cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "unknown option");
      return;
  }
  cgym_jni_failed(env, status);
}

/* which: a CGYM_JNI_OPTION_* double selector. */
static void optionsSetDouble(JNIEnv* env, jclass cls, jlong handle, jint which, jdouble value) {
  cgym_options_t* o = PTR(cgym_options_t, handle);
  cgym_status_t status;
  (void)cls;
  switch (which) {
    case CGYM_JNI_OPTION_RETRY_WAIT_SECONDS:
      status = cgym_options_set_retry_wait_seconds(o, value);
      break;
    case CGYM_JNI_OPTION_RETRY_WAIT_BACKOFF_EXPONENT:
      status = cgym_options_set_retry_wait_backoff_exponent(o, value);
      break;
    case CGYM_JNI_OPTION_INIT_MAX_SECONDS:
      status = cgym_options_set_init_max_seconds(o, value);
      break;
    case CGYM_JNI_OPTION_LOCAL_SERVICE_PORT_INIT_MAX_SECONDS:
      status = cgym_options_set_local_service_port_init_max_seconds(o, value);
      break;
    case CGYM_JNI_OPTION_LOCAL_SERVICE_EXIT_MAX_SECONDS:
      status = cgym_options_set_local_service_exit_max_seconds(o, value);
      break;
    case CGYM_JNI_OPTION_RPC_INIT_MAX_SECONDS:
      status = cgym_options_set_rpc_init_max_seconds(o, value);
      break;
    default:
      cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "unknown option");
      return;
  }
  cgym_jni_failed(env, status);
}

/* which: a CGYM_JNI_OPTION_* string selector. */
static void optionsSetString(JNIEnv* env, jclass cls, jlong handle, jint which, jstring value) {
  cgym_options_t* o = PTR(cgym_options_t, handle);
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, value, NULL, &ok);
  (void)cls;
  if (!ok) return;
  switch (which) {
    case CGYM_JNI_OPTION_OBSERVATION_SPACE:
      status = cgym_options_set_observation_space(o, text);
      break;
    case CGYM_JNI_OPTION_REWARD_SPACE:
      status = cgym_options_set_reward_space(o, text);
      break;
    case CGYM_JNI_OPTION_ACTION_SPACE:
      status = cgym_options_set_action_space(o, text);
      break;
    case CGYM_JNI_OPTION_SCRIPT_ARG:
      status = cgym_options_add_script_arg(o, text);
      break;
    default:
      free(text);
      cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "unknown option");
      return;
  }
  free(text);
  cgym_jni_failed(env, status);
}

static void optionsSetScriptEnv(JNIEnv* env, jclass cls, jlong handle, jstring key, jstring value) {
  int ok1, ok2 = 0;
  char* k = cgym_jni_utf8(env, key, NULL, &ok1);
  char* v = ok1 ? cgym_jni_utf8(env, value, NULL, &ok2) : NULL;
  (void)cls;
  if (ok1 && ok2) {
    cgym_jni_failed(env, cgym_options_set_script_env(PTR(cgym_options_t, handle), k, v));
  }
  free(k);
  free(v);
}

static void optionsSetBenchmark(JNIEnv* env, jclass cls, jlong handle, jstring uri,
                                jbyteArray program) {
  int ok;
  void* data = NULL;
  size_t length = 0;
  char* text = cgym_jni_utf8(env, uri, NULL, &ok);
  (void)cls;
  if (!ok) return;
  if (cgym_jni_bytes(env, program, &data, &length)) {
    cgym_jni_failed(env,
                    cgym_options_set_benchmark(PTR(cgym_options_t, handle), text, data, length));
  }
  free(data);
  free(text);
}

static void optionsSetToken(JNIEnv* env, jclass cls, jlong handle, jstring token) {
  int ok;
  char* text = cgym_jni_utf8(env, token, NULL, &ok);
  (void)cls;
  if (!ok) return;
  cgym_jni_failed(env, cgym_options_set_token(PTR(cgym_options_t, handle), text));
  /* The token is a secret: not left in freed memory. */
  if (text != NULL) memset(text, 0, strlen(text));
  free(text);
}

/* Each path may be null (NULL for cgym_options_set_tls); calling it turns TLS on. */
static void optionsSetTls(JNIEnv* env, jclass cls, jlong handle, jstring root_certs,
                          jstring client_cert, jstring client_key) {
  int ok1, ok2 = 0, ok3 = 0;
  char* roots = cgym_jni_utf8(env, root_certs, NULL, &ok1);
  char* cert = ok1 ? cgym_jni_utf8(env, client_cert, NULL, &ok2) : NULL;
  char* key = ok2 ? cgym_jni_utf8(env, client_key, NULL, &ok3) : NULL;
  (void)cls;
  if (ok1 && ok2 && ok3) {
    cgym_jni_failed(env, cgym_options_set_tls(PTR(cgym_options_t, handle), roots, cert, key));
  }
  free(roots);
  free(cert);
  free(key);
}

int cgym_jni_call_options(JNIEnv* env, jboolean has_timeout, jdouble timeout,
                          cgym_call_options_t** out) {
  *out = NULL;
  if (!has_timeout) return 1;
  if (cgym_jni_failed(env, cgym_call_options_new(out))) return 0;
  if (cgym_jni_failed(env, cgym_call_options_set_timeout(*out, timeout))) {
    cgym_call_options_free(*out);
    *out = NULL;
    return 0;
  }
  return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Environments                                                                                */
/* ------------------------------------------------------------------------------------------ */

static jlong envConnect(JNIEnv* env, jclass cls, jstring endpoint, jlong options) {
  cgym_env_t* out = NULL;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, endpoint, NULL, &ok);
  (void)cls;
  if (!ok) return 0;
  status = cgym_connect(&out, text != NULL ? text : "", PTR(cgym_options_t, options));
  free(text);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static void envFree(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  cgym_env_free(PTR(cgym_env_t, handle));
}

static void envClose(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  cgym_jni_failed(env, cgym_env_close(PTR(cgym_env_t, handle)));
}

/* The observation (owned), or 0. Without has_timeout, the default deadline. */
static jlong envReset(JNIEnv* env, jclass cls, jlong handle, jboolean has_timeout,
                      jdouble timeout) {
  cgym_event_t* observation = NULL;
  cgym_call_options_t* options = NULL;
  cgym_status_t status;
  (void)cls;
  if (!cgym_jni_call_options(env, has_timeout, timeout, &options)) return 0;
  status = cgym_env_reset(PTR(cgym_env_t, handle), options, &observation);
  cgym_call_options_free(options);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(observation);
}

static void envSetBenchmark(JNIEnv* env, jclass cls, jlong handle, jstring uri,
                            jbyteArray program) {
  int ok;
  void* data = NULL;
  size_t length = 0;
  char* text = cgym_jni_utf8(env, uri, NULL, &ok);
  (void)cls;
  if (!ok) return;
  if (cgym_jni_bytes(env, program, &data, &length)) {
    cgym_jni_failed(env, cgym_env_set_benchmark(PTR(cgym_env_t, handle), text, data, length));
  }
  free(data);
  free(text);
}

static jstring envBenchmark(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return cgym_jni_new_cstring(env, cgym_env_benchmark(PTR(cgym_env_t, handle)));
}

/* which: a CGYM_JNI_ENV_* selector. */
static void envSetSpace(JNIEnv* env, jclass cls, jlong handle, jint which, jstring name) {
  cgym_env_t* e = PTR(cgym_env_t, handle);
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, name, NULL, &ok);
  (void)cls;
  if (!ok) return;
  switch (which) {
    case CGYM_JNI_ENV_OBSERVATION_SPACE:
      status = cgym_env_set_observation_space(e, text);
      break;
    case CGYM_JNI_ENV_REWARD_SPACE:
      status = cgym_env_set_reward_space(e, text);
      break;
    case CGYM_JNI_ENV_ACTION_SPACE:
      status = cgym_env_set_action_space(e, text);
      break;
    default:
      free(text);
      cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "unknown space selector");
      return;
  }
  free(text);
  cgym_jni_failed(env, status);
}

int cgym_jni_step_args_read(JNIEnv* env, jlongArray actions, jobjectArray observation_spaces,
                            jobjectArray reward_spaces, jboolean has_timeout, jdouble timeout,
                            cgym_jni_step_args* args) {
  jlong* handles = NULL;
  jsize i;
  int ok;
  memset(args, 0, sizeof(*args));
  if (actions != NULL) {
    args->num_actions = (size_t)(*env)->GetArrayLength(env, actions);
    handles = (jlong*)calloc(args->num_actions + 1, sizeof(jlong));
    args->actions = (const cgym_event_t**)calloc(args->num_actions + 1, sizeof(cgym_event_t*));
    if (handles == NULL || args->actions == NULL) {
      free(handles);
      cgym_jni_step_args_free(args);
      cgym_jni_throw_code(env, CGYM_RESOURCE_EXHAUSTED, "out of memory");
      return 0;
    }
    (*env)->GetLongArrayRegion(env, actions, 0, (jsize)args->num_actions, handles);
    for (i = 0; i < (jsize)args->num_actions; ++i) {
      args->actions[i] = PTR(const cgym_event_t, handles[i]);
    }
    free(handles);
  }
  /* NULL lists mean "the default spaces"; an empty Java array is an empty list, which
   * cgym_jni_utf8_array makes non-NULL. */
  args->observations =
      cgym_jni_utf8_array(env, observation_spaces, &args->num_observations, NULL, &ok);
  if (ok) args->rewards = cgym_jni_utf8_array(env, reward_spaces, &args->num_rewards, NULL, &ok);
  if (ok) ok = cgym_jni_call_options(env, has_timeout, timeout, &args->options);
  if (!ok) cgym_jni_step_args_free(args);
  return ok;
}

void cgym_jni_step_args_free(cgym_jni_step_args* args) {
  cgym_call_options_free(args->options);
  cgym_jni_free_array(args->observations, args->num_observations);
  cgym_jni_free_array(args->rewards, args->num_rewards);
  free((void*)args->actions);
  memset(args, 0, sizeof(*args));
}

static jlong envStep(JNIEnv* env, jclass cls, jlong handle, jlongArray actions,
                     jobjectArray observation_spaces, jobjectArray reward_spaces,
                     jboolean has_timeout, jdouble timeout) {
  cgym_step_result_t* result = NULL;
  cgym_jni_step_args args;
  cgym_status_t status;
  (void)cls;
  if (!cgym_jni_step_args_read(env, actions, observation_spaces, reward_spaces, has_timeout,
                               timeout, &args)) {
    return 0;
  }
  status = cgym_step(PTR(cgym_env_t, handle), args.actions, args.num_actions,
                     (const char* const*)args.observations, args.num_observations,
                     (const char* const*)args.rewards, args.num_rewards, args.options, &result);
  cgym_jni_step_args_free(&args);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(result);
}

static void stepResultFree(JNIEnv* env, jclass cls, jlong result) {
  (void)env;
  (void)cls;
  cgym_step_result_free(PTR(cgym_step_result_t, result));
}

static jint stepResultObservationCount(JNIEnv* env, jclass cls, jlong result) {
  size_t count = 0;
  (void)cls;
  if (cgym_jni_failed(
          env, cgym_step_result_observation_count(PTR(cgym_step_result_t, result), &count))) {
    return 0;
  }
  return (jint)count;
}

static jlong stepResultObservationAt(JNIEnv* env, jclass cls, jlong result, jint index) {
  const cgym_event_t* observation = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(env, cgym_step_result_observation_at(PTR(cgym_step_result_t, result),
                                                           (size_t)index, &observation))) {
    return 0;
  }
  return HANDLE(observation);
}

static jdoubleArray stepResultRewards(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_step_result_t* result = PTR(cgym_step_result_t, handle);
  size_t n = 0, i;
  jdoubleArray rewards;
  (void)cls;
  if (cgym_jni_failed(env, cgym_step_result_reward_count(result, &n))) return NULL;
  rewards = (*env)->NewDoubleArray(env, (jsize)n);
  if (rewards == NULL) return NULL;
  for (i = 0; i < n; ++i) {
    double value = 0;
    jdouble item;
    if (cgym_jni_failed(env, cgym_step_result_reward_at(result, i, &value))) return NULL;
    item = value;
    (*env)->SetDoubleArrayRegion(env, rewards, (jsize)i, 1, &item);
  }
  return rewards;
}

/* CGYM_JNI_STEP_* bits. */
static jint stepResultFlags(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_step_result_t* result = PTR(cgym_step_result_t, handle);
  (void)env;
  (void)cls;
  return (cgym_step_result_done(result) ? CGYM_JNI_STEP_DONE : 0) |
         (cgym_step_result_action_had_no_effect(result) ? CGYM_JNI_STEP_ACTION_HAD_NO_EFFECT : 0) |
         (cgym_step_result_new_action_space(result) ? CGYM_JNI_STEP_NEW_ACTION_SPACE : 0);
}

static jstring stepResultErrorType(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return cgym_jni_new_cstring(env, cgym_step_result_error_type(PTR(cgym_step_result_t, handle)));
}

static jstring stepResultErrorDetails(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  return cgym_jni_new_cstring(env, cgym_step_result_error_details(PTR(cgym_step_result_t, handle)));
}

static jlong envObserve(JNIEnv* env, jclass cls, jlong handle, jstring space) {
  cgym_event_t* observation = NULL;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, space, NULL, &ok);
  (void)cls;
  if (!ok) return 0;
  status = cgym_env_observe(PTR(cgym_env_t, handle), text, &observation);
  free(text);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(observation);
}

static jdouble envObserveDouble(JNIEnv* env, jclass cls, jlong handle, jstring space) {
  double value = 0;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, space, NULL, &ok);
  (void)cls;
  if (!ok) return 0;
  status = cgym_env_observe_double(PTR(cgym_env_t, handle), text, &value);
  free(text);
  if (cgym_jni_failed(env, status)) return 0;
  return value;
}

static jlongArray envObserveInt64s(JNIEnv* env, jclass cls, jlong handle, jstring space) {
  cgym_env_t* e = PTR(cgym_env_t, handle);
  size_t count = 0;
  int64_t* values = NULL;
  jlongArray result = NULL;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, space, NULL, &ok);
  (void)cls;
  if (!ok) return NULL;
  /* Computes the observation twice (size, then values): this is the C API's buffer idiom. A
   * value that changed size in between is OUT_OF_RANGE. */
  status = cgym_env_observe_int64s(e, text, NULL, 0, &count);
  if (status == CGYM_OK && count > 0) {
    values = (int64_t*)malloc(count * sizeof(int64_t));
    status = values != NULL ? cgym_env_observe_int64s(e, text, values, count, &count)
                            : cgym_set_error(CGYM_RESOURCE_EXHAUSTED, "out of memory");
  }
  free(text);
  if (!cgym_jni_failed(env, status)) {
    result = (*env)->NewLongArray(env, (jsize)count);
    if (result != NULL && count > 0) {
      (*env)->SetLongArrayRegion(env, result, 0, (jsize)count, (const jlong*)values);
    }
  }
  free(values);
  return result;
}

static jstring envObserveString(JNIEnv* env, jclass cls, jlong handle, jstring space) {
  char* value = NULL;
  size_t length = 0;
  jstring result = NULL;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, space, NULL, &ok);
  (void)cls;
  if (!ok) return NULL;
  status = cgym_env_observe_string(PTR(cgym_env_t, handle), text, &value, &length);
  free(text);
  if (!cgym_jni_failed(env, status)) result = cgym_jni_new_string(env, value, length);
  cgym_free(value);
  return result;
}

static jdouble envReward(JNIEnv* env, jclass cls, jlong handle, jstring space) {
  double value = 0;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, space, NULL, &ok);
  (void)cls;
  if (!ok) return 0;
  status = cgym_env_reward(PTR(cgym_env_t, handle), text, &value);
  free(text);
  if (cgym_jni_failed(env, status)) return 0;
  return value;
}

static jlong envFork(JNIEnv* env, jclass cls, jlong handle) {
  cgym_env_t* out = NULL;
  (void)cls;
  if (cgym_jni_failed(env, cgym_fork(PTR(cgym_env_t, handle), &out))) return 0;
  return HANDLE(out);
}

static jstring sendParam(JNIEnv* env, jclass cls, jlong handle, jstring key, jstring value,
                         jboolean resend) {
  int ok1, ok2 = 0;
  char* k = cgym_jni_utf8(env, key, NULL, &ok1);
  char* v = ok1 ? cgym_jni_utf8(env, value, NULL, &ok2) : NULL;
  char* reply = NULL;
  jstring result = NULL;
  (void)cls;
  if (ok1 && ok2 &&
      !cgym_jni_failed(env,
                       cgym_send_param(PTR(cgym_env_t, handle), k, v, resend ? 1 : 0, &reply))) {
    result = cgym_jni_new_cstring(env, reply);
  }
  cgym_free(reply);
  free(k);
  free(v);
  return result;
}

static jobjectArray sendParams(JNIEnv* env, jclass cls, jlong handle, jobjectArray keys,
                               jobjectArray values, jboolean resend) {
  size_t num_keys = 0, num_values = 0, i;
  int ok;
  char** k = cgym_jni_utf8_array(env, keys, &num_keys, NULL, &ok);
  char** v = ok ? cgym_jni_utf8_array(env, values, &num_values, NULL, &ok) : NULL;
  char** replies = NULL;
  jobjectArray result = NULL;
  (void)cls;
  if (ok && num_keys != num_values) {
    cgym_jni_throw_code(env, CGYM_INVALID_ARGUMENT, "keys and values differ in number");
    ok = 0;
  }
  if (ok && !cgym_jni_failed(
                env, cgym_send_params(PTR(cgym_env_t, handle), (const char* const*)k,
                                      (const char* const*)v, num_keys, resend ? 1 : 0, &replies))) {
    result = cgym_jni_new_string_array(env, num_keys);
    for (i = 0; result != NULL && i < num_keys; ++i) {
      jstring item = cgym_jni_new_cstring(env, replies[i]);
      if (item == NULL) {
        result = NULL;
        break;
      }
      (*env)->SetObjectArrayElement(env, result, (jsize)i, item);
      (*env)->DeleteLocalRef(env, item);
    }
    cgym_free_strings(replies, num_keys);
  }
  cgym_jni_free_array(k, num_keys);
  cgym_jni_free_array(v, num_values);
  return result;
}

/* An owned string from libcgym as a Java String (freed here). */
static jstring take_string(JNIEnv* env, cgym_status_t status, char* text) {
  jstring result = NULL;
  if (!cgym_jni_failed(env, status)) result = cgym_jni_new_cstring(env, text);
  cgym_free(text);
  return result;
}

static jstring envStateJson(JNIEnv* env, jclass cls, jlong handle) {
  char* json = NULL;
  cgym_status_t status;
  (void)cls;
  status = cgym_env_state_json(PTR(cgym_env_t, handle), &json);
  return take_string(env, status, json);
}

static jstring envStateCsv(JNIEnv* env, jclass cls, jlong handle, jboolean header) {
  char* csv = NULL;
  cgym_status_t status;
  (void)cls;
  status = cgym_env_state_csv(PTR(cgym_env_t, handle), header ? 1 : 0, &csv);
  return take_string(env, status, csv);
}

static void envApplyState(JNIEnv* env, jclass cls, jlong handle, jstring json) {
  int ok;
  char* text = cgym_jni_utf8(env, json, NULL, &ok);
  (void)cls;
  if (ok) cgym_jni_failed(env, cgym_env_apply_state(PTR(cgym_env_t, handle), text));
  free(text);
}

/* The ValidationResult as JSON; okay[0] receives whether nothing failed. state: null for the
 * current state. */
static jstring envValidate(JNIEnv* env, jclass cls, jlong handle, jstring state,
                           jbooleanArray okay) {
  int ok, valid = 0;
  char* text = cgym_jni_utf8(env, state, NULL, &ok);
  char* json = NULL;
  jstring result = NULL;
  cgym_status_t status;
  (void)cls;
  if (!ok) return NULL;
  status = cgym_env_validate(PTR(cgym_env_t, handle), text, &valid, &json);
  free(text);
  result = take_string(env, status, json);
  if (result != NULL) {
    jboolean value = valid ? JNI_TRUE : JNI_FALSE;
    (*env)->SetBooleanArrayRegion(env, okay, 0, 1, &value);
  }
  return result;
}

static jstring statesCsvToJson(JNIEnv* env, jclass cls, jstring csv) {
  int ok;
  char* text = cgym_jni_utf8(env, csv, NULL, &ok);
  char* json = NULL;
  cgym_status_t status;
  (void)cls;
  if (!ok) return NULL;
  status = cgym_states_csv_to_json(text, &json);
  free(text);
  return take_string(env, status, json);
}

static jstring statesJsonToCsv(JNIEnv* env, jclass cls, jstring json, jboolean header) {
  int ok;
  char* text = cgym_jni_utf8(env, json, NULL, &ok);
  char* csv = NULL;
  cgym_status_t status;
  (void)cls;
  if (!ok) return NULL;
  status = cgym_states_json_to_csv(text, header ? 1 : 0, &csv);
  free(text);
  return take_string(env, status, csv);
}

static jboolean envInEpisode(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return cgym_env_in_episode(PTR(cgym_env_t, handle)) ? JNI_TRUE : JNI_FALSE;
}

/* NaN when the env has no reward space. */
static jdouble envEpisodeReward(JNIEnv* env, jclass cls, jlong handle) {
  int has_reward = 0;
  double reward = cgym_env_episode_reward(PTR(cgym_env_t, handle), &has_reward);
  (void)env;
  (void)cls;
  return has_reward ? reward : (jdouble)NAN;
}

static jdouble envEpisodeWalltime(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return cgym_env_episode_walltime(PTR(cgym_env_t, handle));
}

static jint envActionCount(JNIEnv* env, jclass cls, jlong handle) {
  size_t count = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_env_action_count(PTR(cgym_env_t, handle), &count))) return 0;
  return (jint)count;
}

static jlong envActionAt(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const cgym_event_t* action = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(env, cgym_env_action_at(PTR(cgym_env_t, handle), (size_t)index, &action))) {
    return 0;
  }
  return HANDLE(action);
}

static jobjectArray envVersion(JNIEnv* env, jclass cls, jlong handle) {
  const char* service = NULL;
  const char* compiler = NULL;
  jobjectArray result;
  jstring item;
  (void)cls;
  if (cgym_jni_failed(env, cgym_env_version(PTR(cgym_env_t, handle), &service, &compiler))) {
    return NULL;
  }
  result = cgym_jni_new_string_array(env, 2);
  if (result == NULL) return NULL;
  if ((item = cgym_jni_new_cstring(env, service)) == NULL) return NULL;
  (*env)->SetObjectArrayElement(env, result, 0, item);
  if ((item = cgym_jni_new_cstring(env, compiler)) == NULL) return NULL;
  (*env)->SetObjectArrayElement(env, result, 1, item);
  return result;
}

static jint envActionSpaceCount(JNIEnv* env, jclass cls, jlong handle) {
  size_t count = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_env_action_space_count(PTR(cgym_env_t, handle), &count))) return 0;
  return (jint)count;
}

static jlong envActionSpaceAt(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const cgym_action_space_t* space = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(env,
                      cgym_env_action_space_at(PTR(cgym_env_t, handle), (size_t)index, &space))) {
    return 0;
  }
  return HANDLE(space);
}

static jlong envActionSpace(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  return HANDLE(cgym_env_action_space(PTR(cgym_env_t, handle)));
}

static jint envObservationSpaceCount(JNIEnv* env, jclass cls, jlong handle) {
  size_t count = 0;
  (void)cls;
  if (cgym_jni_failed(env, cgym_env_observation_space_count(PTR(cgym_env_t, handle), &count))) {
    return 0;
  }
  return (jint)count;
}

static jlong envObservationSpaceAt(JNIEnv* env, jclass cls, jlong handle, jint index) {
  const cgym_observation_space_t* space = NULL;
  (void)cls;
  if (index < 0) {
    cgym_jni_throw_code(env, CGYM_OUT_OF_RANGE, "negative index");
    return 0;
  }
  if (cgym_jni_failed(
          env, cgym_env_observation_space_at(PTR(cgym_env_t, handle), (size_t)index, &space))) {
    return 0;
  }
  return HANDLE(space);
}

static jobjectArray envRewardSpaceNames(JNIEnv* env, jclass cls, jlong handle) {
  const cgym_env_t* e = PTR(cgym_env_t, handle);
  size_t n = 0, i;
  jobjectArray result;
  (void)cls;
  if (cgym_jni_failed(env, cgym_env_reward_space_count(e, &n))) return NULL;
  result = cgym_jni_new_string_array(env, n);
  if (result == NULL) return NULL;
  for (i = 0; i < n; ++i) {
    const char* name = NULL;
    jstring item;
    if (cgym_jni_failed(env, cgym_env_reward_space_at(e, i, &name))) return NULL;
    if ((item = cgym_jni_new_cstring(env, name)) == NULL) return NULL;
    (*env)->SetObjectArrayElement(env, result, (jsize)i, item);
    (*env)->DeleteLocalRef(env, item);
  }
  return result;
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"optionsNew", "()J", (void*)optionsNew},
    {"optionsFree", "(J)V", (void*)optionsFree},
    {"optionsSetInt", "(JII)V", (void*)optionsSetInt},
    {"optionsSetDouble", "(JID)V", (void*)optionsSetDouble},
    {"optionsSetString", "(JI" STR ")V", (void*)optionsSetString},
    {"optionsSetScriptEnv", "(J" STR STR ")V", (void*)optionsSetScriptEnv},
    {"optionsSetBenchmark", "(J" STR "[B)V", (void*)optionsSetBenchmark},
    {"optionsSetToken", "(J" STR ")V", (void*)optionsSetToken},
    {"optionsSetTls", "(J" STR STR STR ")V", (void*)optionsSetTls},
    {"connect", "(" STR "J)J", (void*)envConnect},
    {"envFree", "(J)V", (void*)envFree},
    {"envClose", "(J)V", (void*)envClose},
    {"envReset", "(JZD)J", (void*)envReset},
    {"envSetBenchmark", "(J" STR "[B)V", (void*)envSetBenchmark},
    {"envBenchmark", "(J)" STR, (void*)envBenchmark},
    {"envSetSpace", "(JI" STR ")V", (void*)envSetSpace},
    {"step", "(J[J[" STR "[" STR "ZD)J", (void*)envStep},
    {"stepResultFree", "(J)V", (void*)stepResultFree},
    {"stepResultObservationCount", "(J)I", (void*)stepResultObservationCount},
    {"stepResultObservationAt", "(JI)J", (void*)stepResultObservationAt},
    {"stepResultRewards", "(J)[D", (void*)stepResultRewards},
    {"stepResultFlags", "(J)I", (void*)stepResultFlags},
    {"stepResultErrorType", "(J)" STR, (void*)stepResultErrorType},
    {"stepResultErrorDetails", "(J)" STR, (void*)stepResultErrorDetails},
    {"envObserve", "(J" STR ")J", (void*)envObserve},
    {"envObserveDouble", "(J" STR ")D", (void*)envObserveDouble},
    {"envObserveInt64s", "(J" STR ")[J", (void*)envObserveInt64s},
    {"envObserveString", "(J" STR ")" STR, (void*)envObserveString},
    {"envReward", "(J" STR ")D", (void*)envReward},
    {"fork", "(J)J", (void*)envFork},
    {"sendParam", "(J" STR STR "Z)" STR, (void*)sendParam},
    {"sendParams", "(J[" STR "[" STR "Z)[" STR, (void*)sendParams},
    {"envStateJson", "(J)" STR, (void*)envStateJson},
    {"envStateCsv", "(JZ)" STR, (void*)envStateCsv},
    {"envApplyState", "(J" STR ")V", (void*)envApplyState},
    {"envValidate", "(J" STR "[Z)" STR, (void*)envValidate},
    {"statesCsvToJson", "(" STR ")" STR, (void*)statesCsvToJson},
    {"statesJsonToCsv", "(" STR "Z)" STR, (void*)statesJsonToCsv},
    {"envInEpisode", "(J)Z", (void*)envInEpisode},
    {"envEpisodeReward", "(J)D", (void*)envEpisodeReward},
    {"envEpisodeWalltime", "(J)D", (void*)envEpisodeWalltime},
    {"envActionCount", "(J)I", (void*)envActionCount},
    {"envActionAt", "(JI)J", (void*)envActionAt},
    {"envVersion", "(J)[" STR, (void*)envVersion},
    {"envActionSpaceCount", "(J)I", (void*)envActionSpaceCount},
    {"envActionSpaceAt", "(JI)J", (void*)envActionSpaceAt},
    {"envActionSpace", "(J)J", (void*)envActionSpace},
    {"envObservationSpaceCount", "(J)I", (void*)envObservationSpaceCount},
    {"envObservationSpaceAt", "(JI)J", (void*)envObservationSpaceAt},
    {"envRewardSpaceNames", "(J)[" STR, (void*)envRewardSpaceNames},
};
#undef STR

int cgym_jni_register_env(JNIEnv* env, jclass native_class) {
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
