// SPDX-License-Identifier: MIT
/*
 * jni_make.c: environments by name (ids, cgym_make, where their compiler is found), cost
 * rewards, datasets and benchmarks made from the user's sources.
 */
#include <stdlib.h>
#include <string.h>

#include "cgym_jni_internal.h"

/* A String[] from an owned array of owned strings (freed here, also on failure). */
static jobjectArray take_strings(JNIEnv* env, cgym_status_t status, char** strings, size_t count) {
  jobjectArray result = NULL;
  size_t i;
  if (!cgym_jni_failed(env, status)) result = cgym_jni_new_string_array(env, count);
  for (i = 0; result != NULL && i < count; ++i) {
    jstring item = cgym_jni_new_cstring(env, strings[i]);
    if (item == NULL) {
      result = NULL;
      break;
    }
    (*env)->SetObjectArrayElement(env, result, (jsize)i, item);
    (*env)->DeleteLocalRef(env, item);
  }
  cgym_free_strings(strings, count);
  return result;
}

/* An owned string from libcgym as a Java String (freed here); NULL stays null. */
static jstring take_nullable_string(JNIEnv* env, cgym_status_t status, char* text) {
  jstring result = NULL;
  if (!cgym_jni_failed(env, status) && text != NULL) result = cgym_jni_new_cstring(env, text);
  cgym_free(text);
  return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Environments by name                                                                        */
/* ------------------------------------------------------------------------------------------ */

static jobjectArray envIds(JNIEnv* env, jclass cls) {
  char** ids = NULL;
  size_t count = 0;
  cgym_status_t status;
  (void)cls;
  status = cgym_env_ids(&ids, &count);
  return take_strings(env, status, ids, count);
}

/* endpoint: null for a managed service (cgym_make's NULL). */
static jlong envMake(JNIEnv* env, jclass cls, jstring id, jstring endpoint, jlong options) {
  cgym_env_t* out = NULL;
  cgym_status_t status;
  int ok1, ok2 = 0;
  char* i = cgym_jni_utf8(env, id, NULL, &ok1);
  char* e = ok1 ? cgym_jni_utf8(env, endpoint, NULL, &ok2) : NULL;
  (void)cls;
  if (!ok1 || !ok2) {
    free(i);
    return 0;
  }
  status = cgym_make(&out, i != NULL ? i : "", e, PTR(cgym_options_t, options));
  free(i);
  free(e);
  if (cgym_jni_failed(env, status)) return 0;
  return HANDLE(out);
}

static jstring envServicePath(JNIEnv* env, jclass cls, jstring id, jboolean plugin) {
  char* path = NULL;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, id, NULL, &ok);
  (void)cls;
  if (!ok) return NULL;
  status = cgym_env_service_path(text != NULL ? text : "", plugin ? 1 : 0, &path);
  free(text);
  return take_nullable_string(env, status, path);
}

/* baseline: null for none; kind: a CGYM_COST_REWARD_*. */
static void envAddCostReward(JNIEnv* env, jclass cls, jlong handle, jstring name, jstring cost,
                             jstring initial, jstring baseline, jint kind, jboolean deterministic,
                             jboolean platform_dependent) {
  jstring strings[] = {name, cost, initial, baseline};
  char* text[COUNT_OF(strings)] = {NULL, NULL, NULL, NULL};
  int ok = 1;
  size_t i;
  (void)cls;
  for (i = 0; i < COUNT_OF(strings) && ok; ++i) text[i] = cgym_jni_utf8(env, strings[i], NULL, &ok);
  if (ok) {
    cgym_jni_failed(
        env, cgym_env_add_cost_reward(PTR(cgym_env_t, handle), text[0], text[1], text[2], text[3],
                                      (cgym_cost_reward_kind_t)kind, deterministic ? 1 : 0,
                                      platform_dependent ? 1 : 0));
  }
  for (i = 0; i < COUNT_OF(strings); ++i) free(text[i]);
}

/* ------------------------------------------------------------------------------------------ */
/* Datasets                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static jobjectArray datasets(JNIEnv* env, jclass cls, jstring env_id) {
  char** names = NULL;
  size_t count = 0;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, env_id, NULL, &ok);
  (void)cls;
  if (!ok) return NULL;
  status = cgym_datasets(text != NULL ? text : "", &names, &count);
  free(text);
  return take_strings(env, status, names, count);
}

/* The description (null if the dataset has none); size[0] receives the number of benchmarks
 * (as a Java long: its bits, an unsigned value). */
static jstring datasetInfo(JNIEnv* env, jclass cls, jstring dataset, jlongArray size) {
  char* description = NULL;
  uint64_t count = 0;
  cgym_status_t status;
  jlong value;
  int ok;
  char* text = cgym_jni_utf8(env, dataset, NULL, &ok);
  (void)cls;
  if (!ok) return NULL;
  status = cgym_dataset_info(text != NULL ? text : "", &description, &count);
  free(text);
  if (status == CGYM_OK) {
    value = (jlong)count;
    (*env)->SetLongArrayRegion(env, size, 0, 1, &value);
  }
  return take_nullable_string(env, status, description);
}

/* index: an unsigned 64-bit value in a Java long. */
static jstring datasetBenchmarkAt(JNIEnv* env, jclass cls, jstring dataset, jlong index) {
  char* uri = NULL;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, dataset, NULL, &ok);
  (void)cls;
  if (!ok) return NULL;
  status = cgym_dataset_benchmark_at(text != NULL ? text : "", (uint64_t)index, &uri);
  free(text);
  return take_nullable_string(env, status, uri);
}

/* seed: an unsigned 64-bit value in a Java long. */
static jstring datasetRandomBenchmark(JNIEnv* env, jclass cls, jstring dataset, jlong seed) {
  char* uri = NULL;
  cgym_status_t status;
  int ok;
  char* text = cgym_jni_utf8(env, dataset, NULL, &ok);
  (void)cls;
  if (!ok) return NULL;
  status = cgym_dataset_random_benchmark(text != NULL ? text : "", (uint64_t)seed, &uri);
  free(text);
  return take_nullable_string(env, status, uri);
}

/* ------------------------------------------------------------------------------------------ */
/* Benchmarks from the user's sources                                                          */
/* ------------------------------------------------------------------------------------------ */

/* The bitcode of a made benchmark (uri_out[0] receives its URI); both freed here. */
static jbyteArray take_benchmark(JNIEnv* env, cgym_status_t status, char* uri, void* bitcode,
                                 size_t length, jobjectArray uri_out) {
  jbyteArray result = NULL;
  if (!cgym_jni_failed(env, status)) {
    jstring text = cgym_jni_new_cstring(env, uri);
    if (text != NULL) {
      (*env)->SetObjectArrayElement(env, uri_out, 0, text);
      (*env)->DeleteLocalRef(env, text);
      result = cgym_jni_new_bytes(env, bitcode, length);
    }
  }
  cgym_free(uri);
  cgym_free(bitcode);
  return result;
}

static jbyteArray makeBenchmark(JNIEnv* env, jclass cls, jobjectArray paths, jobjectArray copts,
                                jobjectArray uri_out) {
  size_t num_paths = 0, num_copts = 0, length = 0;
  char* uri = NULL;
  void* bitcode = NULL;
  jbyteArray result = NULL;
  int ok;
  char** p = cgym_jni_utf8_array(env, paths, &num_paths, NULL, &ok);
  char** c = ok ? cgym_jni_utf8_array(env, copts, &num_copts, NULL, &ok) : NULL;
  (void)cls;
  if (ok) {
    cgym_status_t status =
        cgym_make_benchmark((const char* const*)p, num_paths, (const char* const*)c, num_copts,
                            &uri, &bitcode, &length);
    result = take_benchmark(env, status, uri, bitcode, length, uri_out);
  }
  cgym_jni_free_array(p, num_paths);
  cgym_jni_free_array(c, num_copts);
  return result;
}

static jbyteArray makeBenchmarkFromSource(JNIEnv* env, jclass cls, jstring source, jstring language,
                                          jobjectArray copts, jobjectArray uri_out) {
  size_t num_copts = 0, length = 0;
  char* uri = NULL;
  void* bitcode = NULL;
  jbyteArray result = NULL;
  int ok1, ok2 = 0, ok3 = 0;
  char* s = cgym_jni_utf8(env, source, NULL, &ok1);
  char* l = ok1 ? cgym_jni_utf8(env, language, NULL, &ok2) : NULL;
  char** c = ok2 ? cgym_jni_utf8_array(env, copts, &num_copts, NULL, &ok3) : NULL;
  (void)cls;
  if (ok3) {
    cgym_status_t status = cgym_make_benchmark_from_source(s, l, (const char* const*)c, num_copts,
                                                           &uri, &bitcode, &length);
    result = take_benchmark(env, status, uri, bitcode, length, uri_out);
  }
  free(s);
  free(l);
  cgym_jni_free_array(c, num_copts);
  return result;
}

#define STR "Ljava/lang/String;"
static const JNINativeMethod k_methods[] = {
    {"envIds", "()[" STR, (void*)envIds},
    {"make", "(" STR STR "J)J", (void*)envMake},
    {"envServicePath", "(" STR "Z)" STR, (void*)envServicePath},
    {"envAddCostReward", "(J" STR STR STR STR "IZZ)V", (void*)envAddCostReward},
    {"datasets", "(" STR ")[" STR, (void*)datasets},
    {"datasetInfo", "(" STR "[J)" STR, (void*)datasetInfo},
    {"datasetBenchmarkAt", "(" STR "J)" STR, (void*)datasetBenchmarkAt},
    {"datasetRandomBenchmark", "(" STR "J)" STR, (void*)datasetRandomBenchmark},
    {"makeBenchmark", "([" STR "[" STR "[" STR ")[B", (void*)makeBenchmark},
    {"makeBenchmarkFromSource", "(" STR STR "[" STR "[" STR ")[B", (void*)makeBenchmarkFromSource},
};
#undef STR

int cgym_jni_register_make(JNIEnv* env, jclass native_class) {
  return cgym_jni_register(env, native_class, k_methods, COUNT_OF(k_methods));
}
