/* SPDX-License-Identifier: MIT */
/*
 * Callbacks into Python: rewards (cgym_reward_vtable_t) and sessions (cgym_session_vtable_t)
 * written in Python. Each trampoline takes the GIL, calls the Python object stored as
 * user_data, session or service_data, and turns every Python exception into a status with
 * cgym_set_error(): no Python exception crosses the C ABI.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cgym_py.h"

/* Releases a strong reference held by libcgym (a reward's user_data, a session, a service's
 * data). Skipped once Python is finalising: the process is ending, and taking the GIL then
 * would hang the calling thread. */
static void py_object_release(void* object) {
  PyGILState_STATE gil;
  if (object == NULL || !cgympy_python_alive()) return;
  gil = PyGILState_Ensure();
  Py_DECREF((PyObject*)object);
  PyGILState_Release(gil);
}

/* ---- Rewards ------------------------------------------------------------------------------ */

/* user_data is a strong reference to a Python object with methods reset(uri),
 * update(actions, observations) -> float (lists of borrowed event handles) and clone(). */

static cgym_status_t py_reward_reset(void* user_data, const char* benchmark_uri) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* result = PyObject_CallMethod((PyObject*)user_data, "reset", "s", benchmark_uri);
  if (result == NULL) status = cgympy_report_python_error(1);
  Py_XDECREF(result);
  PyGILState_Release(gil);
  return status;
}

static PyObject* event_handle_list(const cgym_event_t* const* events, size_t count) {
  PyObject* list = PyList_New((Py_ssize_t)count);
  size_t i;
  if (list == NULL) return NULL;
  for (i = 0; i < count; ++i) {
    PyObject* p = cgympy_wrap_event(events[i]);
    if (p == NULL) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, (Py_ssize_t)i, p);
  }
  return list;
}

static cgym_status_t py_reward_update(void* user_data, const cgym_event_t* const* actions,
                                      size_t num_actions, const cgym_event_t* const* observations,
                                      size_t num_observations, double* reward) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* a = event_handle_list(actions, num_actions);
  PyObject* o = a ? event_handle_list(observations, num_observations) : NULL;
  PyObject* result = NULL;
  if (o != NULL) result = PyObject_CallMethod((PyObject*)user_data, "update", "OO", a, o);
  if (result != NULL) {
    double value = PyFloat_AsDouble(result);
    if (value == -1.0 && PyErr_Occurred()) {
      status = cgympy_report_python_error(1);
    } else {
      *reward = value;
    }
  } else {
    status = cgympy_report_python_error(1);
  }
  Py_XDECREF(result);
  Py_XDECREF(a);
  Py_XDECREF(o);
  PyGILState_Release(gil);
  return status;
}

static void* py_reward_clone(void* user_data) {
  PyGILState_STATE gil = PyGILState_Ensure();
  PyObject* result = PyObject_CallMethod((PyObject*)user_data, "clone", NULL);
  if (result == NULL) {
    cgympy_report_python_error(0);
  } else if (result == Py_None) {
    Py_DECREF(result);
    result = NULL;
    cgym_set_error(CGYM_CALLBACK_ERROR, "reward clone() returned None");
  }
  PyGILState_Release(gil);
  return result; /* a new strong reference, or NULL */
}

static const cgym_reward_vtable_t PY_REWARD_VTABLE = {CGYM_REWARD_VTABLE_VERSION, py_reward_reset,
                                                      py_reward_update, py_reward_clone,
                                                      py_object_release};

PyObject* cgympy_env_add_python_reward(cgym_env_t* env, const char* name, PyObject* observations,
                                       double default_value, int default_negates_returns,
                                       int deterministic, PyObject* reward) {
  const char** names = NULL;
  size_t count = 0;
  cgym_status_t status;
  if (!cgympy_to_string_array(observations, &names, &count)) return NULL;
  /* The reward owns this reference from the call on, even if the call fails (it is then
   * released through PY_REWARD_VTABLE.destroy before the call returns). */
  Py_INCREF(reward);
  status = cgym_env_add_reward(env, name, names, count, default_value, default_negates_returns,
                               deterministic, &PY_REWARD_VTABLE, reward);
  free((void*)names);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  Py_RETURN_NONE;
}

/* ---- Sessions ----------------------------------------------------------------------------- */

/* service_data: a strong reference to a Python factory with init(action_space_name, uri,
 * program_or_None) -> adapter and a bytes attribute compiler_version_bytes; released by
 * service_data_free when no definition, registration or service uses it any more. A session
 * is a strong reference to the adapter, which has apply_action(event) -> (end, new_space,
 * no_effect), get_observation(index, event), fork() -> adapter,
 * handle_session_parameter(key, value) -> bytes or None, and close(). */

static cgym_status_t py_session_init(void* service_data, const cgym_action_space_t* action_space,
                                     const char* benchmark_uri, const void* program,
                                     size_t program_length, void** session) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* result;
  if (program != NULL) {
    result = PyObject_CallMethod((PyObject*)service_data, "init", "ssy#",
                                 cgym_action_space_name(action_space), benchmark_uri,
                                 (const char*)program, (Py_ssize_t)program_length);
  } else {
    result = PyObject_CallMethod((PyObject*)service_data, "init", "ssO",
                                 cgym_action_space_name(action_space), benchmark_uri, Py_None);
  }
  if (result == NULL) {
    status = cgympy_report_python_error(0);
  } else {
    *session = result; /* the strong reference is the session's */
  }
  PyGILState_Release(gil);
  return status;
}

static cgym_status_t py_session_fork(void* session, void** new_session) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* result = PyObject_CallMethod((PyObject*)session, "fork", NULL);
  if (result == NULL) {
    status = cgympy_report_python_error(0);
  } else {
    *new_session = result;
  }
  PyGILState_Release(gil);
  return status;
}

static cgym_status_t py_session_apply_action(void* session, const cgym_event_t* action,
                                             int* end_of_episode, int* action_had_no_effect,
                                             int32_t* new_action_space) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* event = cgympy_wrap_event(action);
  PyObject* result =
      event ? PyObject_CallMethod((PyObject*)session, "apply_action", "O", event) : NULL;
  if (result != NULL) {
    int end = 0, no_effect = 0, new_space = -1;
    if (PyArg_ParseTuple(result, "pip", &end, &new_space, &no_effect)) {
      *end_of_episode = end;
      *action_had_no_effect = no_effect;
      *new_action_space = (int32_t)new_space;
    } else {
      status = cgympy_report_python_error(0);
    }
  } else {
    status = cgympy_report_python_error(0);
  }
  Py_XDECREF(result);
  Py_XDECREF(event);
  PyGILState_Release(gil);
  return status;
}

static cgym_status_t py_session_get_observation(void* session, int32_t index,
                                                const cgym_observation_space_t* space,
                                                cgym_event_t* observation) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* event = cgympy_wrap_event(observation);
  PyObject* result =
      event ? PyObject_CallMethod((PyObject*)session, "get_observation", "iO", (int)index, event)
            : NULL;
  (void)space; /* the adapter knows its spaces by index */
  if (result == NULL) status = cgympy_report_python_error(0);
  Py_XDECREF(result);
  Py_XDECREF(event);
  PyGILState_Release(gil);
  return status;
}

static cgym_status_t py_session_handle_session_parameter(void* session, const char* key,
                                                         const char* value, const char** reply) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* result =
      PyObject_CallMethod((PyObject*)session, "handle_session_parameter", "ss", key, value);
  if (result == NULL) {
    status = cgympy_report_python_error(0);
  } else if (result != Py_None) {
    /* The adapter keeps the bytes object alive (its last reply) until its next call. */
    if (PyBytes_Check(result)) {
      *reply = PyBytes_AsString(result);
    } else {
      status = cgym_set_error(CGYM_CALLBACK_ERROR, "handle_session_parameter: reply not bytes");
    }
  }
  Py_XDECREF(result);
  PyGILState_Release(gil);
  return status;
}

static void py_session_destroy(void* session) {
  PyGILState_STATE gil;
  PyObject* result;
  if (session == NULL || !cgympy_python_alive()) return;
  gil = PyGILState_Ensure();
  result = PyObject_CallMethod((PyObject*)session, "close", NULL);
  if (result == NULL) PyErr_Clear();
  Py_XDECREF(result);
  Py_DECREF((PyObject*)session);
  PyGILState_Release(gil);
}

static const char* py_session_compiler_version(void* service_data) {
  PyGILState_STATE gil = PyGILState_Ensure();
  const char* version = "";
  /* The factory keeps this bytes attribute alive for as long as it lives. */
  PyObject* result = PyObject_GetAttrString((PyObject*)service_data, "compiler_version_bytes");
  if (result != NULL && PyBytes_Check(result)) version = PyBytes_AsString(result);
  if (result == NULL) PyErr_Clear();
  Py_XDECREF(result);
  PyGILState_Release(gil);
  return version;
}

static const cgym_session_vtable_t PY_SESSION_VTABLE = {
    CGYM_SESSION_VTABLE_VERSION,
    py_session_init,
    py_session_fork,
    py_session_apply_action,
    py_session_get_observation,
    NULL, /* end_of_step */
    py_session_handle_session_parameter,
    py_session_destroy,
    py_session_compiler_version,
    py_object_release, /* service_data_free: the factory */
};

PyObject* cgympy_service_def_new_python(PyObject* factory) {
  cgym_service_def_t* def = NULL;
  cgym_status_t status;
  /* The definition (and every copy of it) owns this reference from the call on, even if the
   * call fails: service_data_free releases it. */
  Py_INCREF(factory);
  status = cgym_service_def_new(&def, &PY_SESSION_VTABLE, factory);
  if (status != CGYM_OK) {
    cgympy_raise(status);
    return NULL;
  }
  return cgympy_wrap_service_def(def);
}

/* ---- Running a service -------------------------------------------------------------------- */

/* Python has no handler for SIGTERM, and its own handlers run only on the main thread, which
 * is inside cgym_service_run: a stop signal delivered to any other thread would kill the
 * process. While a service runs, this handler forwards the signal to the service's thread,
 * where it is blocked and read by the runtime (a signal that arrives before the runtime waits
 * for it stays pending; a cgym_service_stop() made then would be lost). */
static pthread_t g_service_thread;

static void forward_stop_signal(int signal_number) {
  pthread_kill(g_service_thread, signal_number);
}

PyObject* cgympy_service_run(const cgym_service_def_t* def, PyObject* argv, int handle_signals) {
  const char** args = NULL;
  size_t count = 0;
  int code;
  struct sigaction action, old_term, old_int;
  sigset_t stop_signals;
  PyThreadState* saved;
  if (!cgympy_to_string_array(argv, &args, &count)) return NULL;
  if (handle_signals) {
    /* Blocked here first (cgym_service_run blocks them too), so that the handler never runs
     * on this thread. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    g_service_thread = pthread_self();
    memset(&action, 0, sizeof(action));
    action.sa_handler = forward_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, &old_term);
    sigaction(SIGINT, &action, &old_int);
  }
  saved = PyEval_SaveThread(); /* sessions take the GIL from the service's threads */
  code = cgym_service_run(def, (int)count, args);
  PyEval_RestoreThread(saved);
  if (handle_signals) {
    /* The signals stay blocked on this thread, as cgym_service_run leaves them. */
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGINT, &old_int, NULL);
  }
  free((void*)args);
  return PyLong_FromLong(code);
}
