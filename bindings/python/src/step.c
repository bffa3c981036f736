/* SPDX-License-Identifier: MIT */
/*
 * CompilerEnv's step and reset, each in one call: the arguments converted here, cgym_step or
 * cgym_env_reset without the GIL (the service and Python rewards run then), the result
 * converted to Python objects. One call instead of one per accessor: the Python step is
 * benchmarked (bench/bench_python.py).
 */
#include <stdlib.h>
#include <string.h>

#include "cgym_py.h"

/* ---- Call options: one per timeout value -------------------------------------------------- */

/* Call options made once per timeout value and kept: the agent loop passes the same timeout on
 * every step. Entries are never freed, as calls in flight use them without the GIL (they are
 * only read by then); the cache is changed with the GIL held. */
#define CALL_OPTIONS_CACHE_SIZE 16
static struct {
  double timeout;
  cgym_call_options_t* options;
} g_call_options[CALL_OPTIONS_CACHE_SIZE];
static size_t g_call_options_size = 0;

/* libcgym's default deadline (CompilerGym's), for which NULL call options are passed. */
#define DEFAULT_TIMEOUT_SECONDS 300.0

/* The call options of a deadline of `timeout` seconds: NULL for the default, a cached object,
 * or (with the cache full) a new one in *temporary for the caller to free. A negative timeout
 * expires at once, as 0 does (the Python API's timeouts always did). 0 with an exception set
 * for NaN. */
int cgympy_call_options_for(double timeout, const cgym_call_options_t** out,
                            cgym_call_options_t** temporary) {
  cgym_call_options_t* options = NULL;
  cgym_status_t status;
  size_t i;
  *out = NULL;
  *temporary = NULL;
  if (timeout < 0) timeout = 0;
  if (timeout == DEFAULT_TIMEOUT_SECONDS) return 1;
  for (i = 0; i < g_call_options_size; ++i) {
    if (g_call_options[i].timeout == timeout) {
      *out = g_call_options[i].options;
      return 1;
    }
  }
  status = cgym_call_options_new(&options);
  if (status == CGYM_OK) status = cgym_call_options_set_timeout(options, timeout);
  if (status != CGYM_OK) {
    cgym_call_options_free(options);
    cgympy_raise(status);
    return 0;
  }
  if (g_call_options_size < CALL_OPTIONS_CACHE_SIZE) {
    g_call_options[g_call_options_size].timeout = timeout;
    g_call_options[g_call_options_size].options = options;
    ++g_call_options_size;
  } else {
    *temporary = options;
  }
  *out = options;
  return 1;
}

/* ---- Results ------------------------------------------------------------------------------ */

/* event_to_py(handle) of cgym._convert, for the kinds converted in Python. */
static PyObject* g_event_converter = NULL;

PyObject* cgympy_set_event_converter(PyObject* converter) {
  Py_XINCREF(converter);
  Py_XDECREF(g_event_converter);
  g_event_converter = converter;
  Py_RETURN_NONE;
}

/* A borrowed event as _convert.event_to_py makes it: scalars and strings here, every other
 * kind by the registered converter. */
static PyObject* event_to_py(const cgym_event_t* event) {
  cgym_status_t status = CGYM_OK;
  PyObject* handle;
  PyObject* out;
  switch (cgym_event_kind(event)) {
    case CGYM_EVENT_NONE:
      Py_RETURN_NONE;
    case CGYM_EVENT_BOOL: {
      int v = 0;
      if ((status = cgym_event_get_bool(event, &v)) != CGYM_OK) break;
      return PyBool_FromLong(v);
    }
    case CGYM_EVENT_INT64: {
      int64_t v = 0;
      if ((status = cgym_event_get_int64(event, &v)) != CGYM_OK) break;
      return PyLong_FromLongLong((long long)v);
    }
    case CGYM_EVENT_FLOAT: {
      float v = 0;
      if ((status = cgym_event_get_float(event, &v)) != CGYM_OK) break;
      return PyFloat_FromDouble((double)v);
    }
    case CGYM_EVENT_DOUBLE: {
      double v = 0;
      if ((status = cgym_event_get_double(event, &v)) != CGYM_OK) break;
      return PyFloat_FromDouble(v);
    }
    case CGYM_EVENT_STRING: {
      const char* data = NULL;
      size_t length = 0;
      if ((status = cgym_event_get_string(event, &data, &length)) != CGYM_OK) break;
      return PyUnicode_DecodeUTF8(data ? data : "", (Py_ssize_t)length, NULL); /* strict */
    }
    default:
      if (g_event_converter == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no event converter registered");
        return NULL;
      }
      handle = cgympy_wrap_event(event);
      if (handle == NULL) return NULL;
      out = PyObject_CallOneArg(g_event_converter, handle);
      Py_DECREF(handle);
      return out;
  }
  cgympy_raise(status);
  return NULL;
}

/* A str from a borrowed C string, as SWIG returns a char* (NULL gives None). */
static PyObject* c_string(const char* s) {
  if (s == NULL) Py_RETURN_NONE;
  return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

/* The keys of a step's info, made once (interned): making them per step was a visible part of
 * its cost. NULL if they could not be made (a Python error is set). */
static PyObject** info_keys(void) {
  static PyObject* keys[4] = {NULL, NULL, NULL, NULL};
  static const char* const names[4] = {"action_had_no_effect", "new_action_space", "error_type",
                                       "error_details"};
  int i;
  for (i = 0; i < 4; ++i) {
    if (keys[i] == NULL && (keys[i] = PyUnicode_InternFromString(names[i])) == NULL) return NULL;
  }
  return keys;
}

static PyObject* observation_at(const cgym_step_result_t* result, size_t index) {
  const cgym_event_t* event = NULL;
  cgym_status_t status = cgym_step_result_observation_at(result, index, &event);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  return event_to_py(event);
}

static PyObject* reward_at(const cgym_step_result_t* result, size_t index) {
  double value = 0;
  cgym_status_t status = cgym_step_result_reward_at(result, index, &value);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  return PyFloat_FromDouble(value);
}

/* The observations (or rewards) of a result: a list, or with `single` the first one (None if
 * there is none). */
static PyObject* values_of(const cgym_step_result_t* result, size_t count, int single,
                           PyObject* (*value_at)(const cgym_step_result_t*, size_t)) {
  PyObject* list;
  size_t i;
  if (single) {
    if (count) return value_at(result, 0);
    Py_RETURN_NONE;
  }
  if ((list = PyList_New((Py_ssize_t)count)) == NULL) return NULL;
  for (i = 0; i < count; ++i) {
    PyObject* v = value_at(result, i);
    if (v == NULL) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, (Py_ssize_t)i, v);
  }
  return list;
}

/* Sets info[key] to a new reference `value` (consumed); 0 with an exception set on failure. */
static int set_item(PyObject* info, PyObject* key, PyObject* value) {
  int failed = value == NULL || PyDict_SetItem(info, key, value) != 0;
  Py_XDECREF(value);
  return !failed;
}

/* (observations, rewards, done, info) of a step result, as CompilerEnv returns them. */
PyObject* cgympy_step_result_to_py(const cgym_step_result_t* result, int single_observation,
                                   int single_reward) {
  size_t n_obs = 0, n_rew = 0;
  const char* error_type = cgym_step_result_error_type(result);
  PyObject *obs = NULL, *rew = NULL, *info = NULL, *out;
  PyObject** keys;
  cgym_status_t status = cgym_step_result_observation_count(result, &n_obs);
  if (status == CGYM_OK) status = cgym_step_result_reward_count(result, &n_rew);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  if ((obs = values_of(result, n_obs, single_observation, observation_at)) == NULL) goto fail;
  if ((rew = values_of(result, n_rew, single_reward, reward_at)) == NULL) goto fail;
  if ((keys = info_keys()) == NULL || (info = PyDict_New()) == NULL) goto fail;
  if (!set_item(info, keys[0], PyBool_FromLong(cgym_step_result_action_had_no_effect(result))) ||
      !set_item(info, keys[1], PyBool_FromLong(cgym_step_result_new_action_space(result)))) {
    goto fail;
  }
  if (error_type != NULL && error_type[0] != '\0') {
    if (!set_item(info, keys[2], c_string(error_type)) ||
        !set_item(info, keys[3], c_string(cgym_step_result_error_details(result)))) {
      goto fail;
    }
  }
  if ((out = PyTuple_New(4)) == NULL) goto fail;
  PyTuple_SET_ITEM(out, 0, obs);
  PyTuple_SET_ITEM(out, 1, rew);
  PyTuple_SET_ITEM(out, 2, PyBool_FromLong(cgym_step_result_done(result)));
  PyTuple_SET_ITEM(out, 3, info);
  return out;
fail:
  Py_XDECREF(obs);
  Py_XDECREF(rew);
  Py_XDECREF(info);
  return NULL;
}

/* ---- Step and reset ----------------------------------------------------------------------- */

/* Actions as events: exact ints become new int64 events (owned[i] set), event handles are
 * borrowed. 0 with an exception set on failure; events[0..*made) are set either way. */
int cgympy_actions_to_events(PyObject* seq, Py_ssize_t n, cgym_event_t** events, char* owned,
                             Py_ssize_t* made) {
  Py_ssize_t i;
  for (i = 0; i < n; ++i) {
    PyObject* item = PySequence_Fast_GET_ITEM(seq, i);
    owned[i] = 0;
    if (PyLong_CheckExact(item)) {
      long long v = PyLong_AsLongLong(item);
      cgym_status_t status;
      if (v == -1 && PyErr_Occurred()) return 0; /* OverflowError, as the SWIG setter */
      status = cgym_event_new_int64(&events[i], (int64_t)v);
      if (status != CGYM_OK) {
        cgympy_raise(status);
        return 0;
      }
      owned[i] = 1;
    } else if (!cgympy_unwrap_event(item, &events[i])) {
      PyErr_SetString(PyExc_TypeError, "expected int actions or event handles");
      return 0;
    }
    *made = i + 1;
  }
  return 1;
}

PyObject* cgympy_env_step(cgym_env_t* env, PyObject* actions, PyObject* observation_spaces,
                          PyObject* reward_spaces, int single_observation, int single_reward,
                          double timeout) {
  cgym_event_t* stack_events[4];
  cgym_event_t** events = stack_events;
  char stack_owned[4] = {0};
  char* owned = stack_owned;
  const char **obs = NULL, **rew = NULL;
  size_t n_obs = 0, n_rew = 0;
  Py_ssize_t n = 0, made = 0, i;
  const cgym_call_options_t* options = NULL;
  cgym_call_options_t* temporary = NULL;
  cgym_step_result_t* result = NULL;
  cgym_status_t status;
  PyThreadState* saved;
  PyObject* out = NULL;
  PyObject* seq = PySequence_Fast(actions, "expected a sequence of actions");
  if (seq == NULL) return NULL;
  n = PySequence_Fast_GET_SIZE(seq);
  if (n > 4) {
    events = (cgym_event_t**)calloc((size_t)n, sizeof(cgym_event_t*));
    owned = (char*)calloc((size_t)n, 1);
    if (events == NULL || owned == NULL) {
      PyErr_NoMemory();
      goto done;
    }
  }
  if (!cgympy_actions_to_events(seq, n, events, owned, &made)) goto done;
  if (!cgympy_to_string_array(observation_spaces, &obs, &n_obs)) goto done;
  if (!cgympy_to_string_array(reward_spaces, &rew, &n_rew)) goto done;
  if (!cgympy_call_options_for(timeout, &options, &temporary)) goto done;
  saved = PyEval_SaveThread();
  status = cgym_step(env, (const cgym_event_t* const*)events, (size_t)n, obs, n_obs, rew, n_rew,
                     options, &result);
  PyEval_RestoreThread(saved);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    goto done;
  }
  out = cgympy_step_result_to_py(result, single_observation, single_reward);
done:
  cgym_step_result_free(result);
  cgym_call_options_free(temporary);
  for (i = 0; i < made; ++i) {
    if (owned[i]) cgym_event_free(events[i]);
  }
  if (events != stack_events) free(events);
  if (owned != stack_owned) free(owned);
  free((void*)obs);
  free((void*)rew);
  Py_DECREF(seq);
  return out;
}

PyObject* cgympy_env_reset(cgym_env_t* env, double timeout) {
  const cgym_call_options_t* options = NULL;
  cgym_call_options_t* temporary = NULL;
  cgym_event_t* observation = NULL;
  cgym_status_t status;
  PyThreadState* saved;
  PyObject* out;
  if (!cgympy_call_options_for(timeout, &options, &temporary)) return NULL;
  saved = PyEval_SaveThread();
  status = cgym_env_reset(env, options, &observation);
  PyEval_RestoreThread(saved);
  cgym_call_options_free(temporary);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  out = event_to_py(observation); /* None for no observation */
  cgym_event_free(observation);
  return out;
}
