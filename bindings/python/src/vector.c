/* SPDX-License-Identifier: MIT */
/*
 * Many envs at once (cgym.vector): the calls of step queues and vector envs that take arrays,
 * buffers or Python actions, and the per-env results read in one call instead of one SWIG
 * call per accessor and env.
 */
#include <stdlib.h>
#include <string.h>

#include "cgym_py.h"

/* ---- Step queues -------------------------------------------------------------------------- */

PyObject* cgympy_step_submit(cgym_step_queue_t* queue, cgym_env_t* env, PyObject* actions,
                             PyObject* observation_spaces, PyObject* reward_spaces, double timeout,
                             unsigned long long tag) {
  cgym_event_t** events = NULL;
  char* owned = NULL;
  const char **obs = NULL, **rew = NULL;
  size_t n_obs = 0, n_rew = 0;
  Py_ssize_t n = 0, made = 0, i;
  const cgym_call_options_t* options = NULL;
  cgym_call_options_t* temporary = NULL;
  cgym_status_t status;
  PyThreadState* saved;
  PyObject* out = NULL;
  PyObject* seq = PySequence_Fast(actions, "expected a sequence of actions");
  if (seq == NULL) return NULL;
  n = PySequence_Fast_GET_SIZE(seq);
  events = (cgym_event_t**)calloc((size_t)n + 1, sizeof(cgym_event_t*));
  owned = (char*)calloc((size_t)n + 1, 1);
  if (events == NULL || owned == NULL) {
    PyErr_NoMemory();
    goto done;
  }
  if (!cgympy_actions_to_events(seq, n, events, owned, &made)) goto done;
  if (!cgympy_to_string_array(observation_spaces, &obs, &n_obs)) goto done;
  if (!cgympy_to_string_array(reward_spaces, &rew, &n_rew)) goto done;
  if (!cgympy_call_options_for(timeout, &options, &temporary)) goto done;
  /* An in-process service runs the step here, and Python sessions and rewards need the GIL. */
  saved = PyEval_SaveThread();
  status = cgym_step_submit(queue, env, (const cgym_event_t* const*)events, (size_t)n, obs, n_obs,
                            rew, n_rew, options, (uint64_t)tag);
  PyEval_RestoreThread(saved);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    goto done;
  }
  out = Py_None;
  Py_INCREF(out);
done:
  cgym_call_options_free(temporary);
  for (i = 0; i < made; ++i) {
    if (owned[i]) cgym_event_free(events[i]);
  }
  free(events);
  free(owned);
  free((void*)obs);
  free((void*)rew);
  Py_DECREF(seq);
  return out;
}

PyObject* cgympy_step_queue_next(cgym_step_queue_t* queue, double timeout) {
  uint64_t tag = 0;
  cgym_step_result_t* result = NULL;
  cgym_status_t status;
  PyThreadState* saved;
  PyObject* handle;
  PyObject* out;
  saved = PyEval_SaveThread();
  status = cgym_step_queue_next(queue, timeout, &tag, &result);
  PyEval_RestoreThread(saved);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  if ((handle = cgympy_wrap_step_result(result)) == NULL) {
    cgym_step_result_free(result);
    return NULL;
  }
  out = Py_BuildValue("(KN)", (unsigned long long)tag, handle);
  if (out == NULL) cgym_step_result_free(result);
  return out;
}

/* ---- Vector envs -------------------------------------------------------------------------- */

PyObject* cgympy_vec_env_reset(cgym_vec_env_t* vec, PyObject* mask, double timeout) {
  const cgym_call_options_t* options = NULL;
  cgym_call_options_t* temporary = NULL;
  Py_buffer view;
  int have_view = 0;
  cgym_status_t status;
  PyThreadState* saved;
  if (mask != Py_None) {
    if (PyObject_GetBuffer(mask, &view, PyBUF_C_CONTIGUOUS) != 0) return NULL;
    have_view = 1;
    if ((size_t)view.len != cgym_vec_env_num_envs(vec)) {
      PyBuffer_Release(&view);
      PyErr_Format(PyExc_ValueError, "The mask has %zd entries, not one per env (%zu)", view.len,
                   cgym_vec_env_num_envs(vec));
      return NULL;
    }
  }
  if (!cgympy_call_options_for(timeout, &options, &temporary)) {
    if (have_view) PyBuffer_Release(&view);
    return NULL;
  }
  saved = PyEval_SaveThread();
  status = cgym_vec_env_reset(vec, have_view ? (const uint8_t*)view.buf : NULL, options);
  PyEval_RestoreThread(saved);
  cgym_call_options_free(temporary);
  if (have_view) PyBuffer_Release(&view);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  Py_RETURN_NONE;
}

PyObject* cgympy_vec_env_step(cgym_vec_env_t* vec, PyObject* actions, double timeout) {
  const cgym_call_options_t* options = NULL;
  cgym_call_options_t* temporary = NULL;
  Py_buffer view;
  cgym_status_t status;
  PyThreadState* saved;
  if (PyObject_GetBuffer(actions, &view, PyBUF_C_CONTIGUOUS) != 0) return NULL;
  if (view.len % (Py_ssize_t)sizeof(int64_t) != 0) {
    PyBuffer_Release(&view);
    PyErr_SetString(PyExc_TypeError, "expected a buffer of int64 actions");
    return NULL;
  }
  if (!cgympy_call_options_for(timeout, &options, &temporary)) {
    PyBuffer_Release(&view);
    return NULL;
  }
  saved = PyEval_SaveThread();
  status =
      cgym_vec_env_step(vec, (const int64_t*)view.buf, (size_t)view.len / sizeof(int64_t), options);
  PyEval_RestoreThread(saved);
  cgym_call_options_free(temporary);
  PyBuffer_Release(&view);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  Py_RETURN_NONE;
}

PyObject* cgympy_vec_env_values(const cgym_vec_env_t* vec, int which) {
  size_t count = 0, width = 1, item;
  cgym_status_t status;
  PyObject* bytes;
  void* data;
  switch (which) {
    case 0:
      status = cgym_vec_env_rewards(vec, NULL, 0, &count);
      item = sizeof(double);
      break;
    case 1:
      status = cgym_vec_env_dones(vec, NULL, 0, &count);
      item = sizeof(uint8_t);
      break;
    case 2:
      status = cgym_vec_env_observations_int64s(vec, NULL, 0, &count, &width);
      item = sizeof(int64_t);
      break;
    case 3:
      status = cgym_vec_env_observations_doubles(vec, NULL, 0, &count, &width);
      item = sizeof(double);
      break;
    default:
      PyErr_SetString(PyExc_ValueError, "unknown kind of values");
      return NULL;
  }
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  if ((bytes = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(count * item))) == NULL) {
    return NULL;
  }
  data = PyByteArray_AS_STRING(bytes);
  if (count > 0) {
    switch (which) {
      case 0:
        status = cgym_vec_env_rewards(vec, (double*)data, count, &count);
        break;
      case 1:
        status = cgym_vec_env_dones(vec, (uint8_t*)data, count, &count);
        break;
      case 2:
        status = cgym_vec_env_observations_int64s(vec, (int64_t*)data, count, &count, &width);
        break;
      default:
        status = cgym_vec_env_observations_doubles(vec, (double*)data, count, &count, &width);
        break;
    }
    if (status != CGYM_OK) {
      Py_DECREF(bytes);
      cgympy_raise(status);
      return NULL;
    }
  }
  return Py_BuildValue("(Nn)", bytes, (Py_ssize_t)width);
}

/* A str of a borrowed C string ("" for NULL). */
static PyObject* text(const char* s) {
  if (s == NULL) s = "";
  return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

/* Sets dict[key] to `value` (a new reference, consumed); 0 with an exception set. */
static int put(PyObject* dict, const char* key, PyObject* value) {
  int failed = value == NULL || PyDict_SetItemString(dict, key, value) != 0;
  Py_XDECREF(value);
  return !failed;
}

/* The info of a result in the vector env's format. */
static PyObject* vec_info(const cgym_step_result_t* result, int with_flags) {
  const char* error_type = cgym_step_result_error_type(result);
  PyObject* info = PyDict_New();
  if (info == NULL) return NULL;
  if (with_flags && !put(info, "action_had_no_effect",
                         PyBool_FromLong(cgym_step_result_action_had_no_effect(result)))) {
    goto fail;
  }
  if (error_type != NULL && error_type[0] != '\0') {
    if (!put(info, "error_type", text(error_type)) ||
        !put(info, "error_details", text(cgym_step_result_error_details(result)))) {
      goto fail;
    }
  }
  return info;
fail:
  Py_DECREF(info);
  return NULL;
}

/* A list with, per env, convert(result) of its latest (final 0) or final (final 1) result, or
 * None where it has none. */
static PyObject* per_env(const cgym_vec_env_t* vec, int final, int a, int b,
                         PyObject* (*convert)(const cgym_step_result_t*, int, int)) {
  size_t n = cgym_vec_env_num_envs(vec), i;
  PyObject* list = PyList_New((Py_ssize_t)n);
  if (list == NULL) return NULL;
  for (i = 0; i < n; ++i) {
    const cgym_step_result_t* result = NULL;
    cgym_status_t status =
        final ? cgym_vec_env_final_result(vec, i, &result) : cgym_vec_env_result(vec, i, &result);
    PyObject* item;
    if (status != CGYM_OK) {
      Py_DECREF(list);
      cgympy_raise(status);
      return NULL;
    }
    if (result == NULL) {
      item = Py_None;
      Py_INCREF(item);
    } else if ((item = convert(result, a, b)) == NULL) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, (Py_ssize_t)i, item);
  }
  return list;
}

static PyObject* vec_info_of(const cgym_step_result_t* result, int with_flags, int unused) {
  (void)unused;
  return vec_info(result, with_flags);
}

PyObject* cgympy_vec_env_infos(const cgym_vec_env_t* vec, int final, int with_flags) {
  return per_env(vec, final, with_flags, 0, vec_info_of);
}

PyObject* cgympy_vec_env_final_results(const cgym_vec_env_t* vec, int single_observation,
                                       int single_reward) {
  return per_env(vec, 1, single_observation, single_reward, cgympy_step_result_to_py);
}
