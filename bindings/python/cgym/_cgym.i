/* SPDX-License-Identifier: MIT */
/*
 * The low layer of the Python binding: SWIG wraps include/cgym.h as the module cgym._cgym.
 *
 *  - A cgym_status_t result becomes None or a raised exception: the exception is made by the
 *    factory that the package registers with set_error_factory(code, message) (cgym.errors),
 *    from the calling thread's last error.
 *  - Out-handles (T** out), out-scalars, owned strings and buffers come back as return values
 *    (one value, or a list of values in argument order). Owned strings and buffers are copied
 *    into Python objects and released with cgym_free() at once.
 *  - Module built with -threads: every call into libcgym that may block or call back releases
 *    the GIL; trivial accessors of events and step results keep it (see below).
 *  - env_step() is CompilerEnv's step in one call: actions in, cgym_step (without the GIL),
 *    the result converted to Python objects.
 *  - Callbacks into Python (rewards: cgym_reward_vtable_t; sessions: cgym_session_vtable_t)
 *    are the C trampolines below. They take the GIL, call the Python object stored as
 *    user_data, and turn every Python exception into a status with cgym_set_error(); no
 *    Python exception crosses the C ABI.
 */
%module(package="cgym") _cgym

%{
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>
#include "cgym.h"

/* ---- Errors: status codes to Python exceptions ------------------------------------------ */

static PyObject* g_error_factory = NULL;

/* Key of the per-thread slot holding the exception a Python reward raised, re-raised when the
 * call that ran the reward returns CGYM_CALLBACK_ERROR. */
#define CGYM_PENDING_KEY "cgym._pending_exception"

static PyObject* take_pending_exception(void) {
  PyObject* dict = PyThreadState_GetDict();
  PyObject* pending;
  if (dict == NULL) return NULL;
  pending = PyDict_GetItemString(dict, CGYM_PENDING_KEY); /* borrowed */
  if (pending == NULL) return NULL;
  Py_INCREF(pending);
  PyDict_DelItemString(dict, CGYM_PENDING_KEY);
  return pending;
}

/* Raises the Python exception for `code` and the calling thread's last error. */
static void cgym_py_raise(cgym_status_t code) {
  const char* message = cgym_last_error_message();
  PyObject* text = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace");
  PyObject* pending = take_pending_exception();
  if (pending != NULL) {
    /* (code, message, exception): re-raised only if this error is the one it recorded. */
    PyObject* exc = PyTuple_GET_ITEM(pending, 2);
    if (text != NULL && PyLong_AsLong(PyTuple_GET_ITEM(pending, 0)) == (long)code &&
        PyUnicode_Compare(PyTuple_GET_ITEM(pending, 1), text) == 0) {
      PyErr_SetObject((PyObject*)Py_TYPE(exc), exc);
      Py_DECREF(pending);
      Py_DECREF(text);
      return;
    }
    PyErr_Clear();
    Py_DECREF(pending);
  }
  if (text == NULL) return;
  if (g_error_factory != NULL) {
    PyObject* exc = PyObject_CallFunction(g_error_factory, "iO", (int)code, text);
    Py_DECREF(text);
    if (exc == NULL) return; /* the factory failed: its exception propagates */
    PyErr_SetObject((PyObject*)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return;
  }
  PyErr_Format(PyExc_RuntimeError, "%s: %U", cgym_status_name(code), text);
  Py_DECREF(text);
}

/* ---- Python exceptions to status codes (for trampolines) --------------------------------- */

/* CompilerGym's table (reference 2.2), first match wins, with FileNotFoundError mapped to
 * NOT_FOUND rather than UNIMPLEMENTED. Anything else is CGYM_CALLBACK_ERROR. */
static cgym_status_t status_of_exception(PyObject* type) {
  if (PyErr_GivenExceptionMatches(type, PyExc_ValueError)) return CGYM_INVALID_ARGUMENT;
  if (PyErr_GivenExceptionMatches(type, PyExc_FileNotFoundError)) return CGYM_NOT_FOUND;
  if (PyErr_GivenExceptionMatches(type, PyExc_LookupError)) return CGYM_NOT_FOUND;
  if (PyErr_GivenExceptionMatches(type, PyExc_NotImplementedError)) return CGYM_UNIMPLEMENTED;
  if (PyErr_GivenExceptionMatches(type, PyExc_TypeError)) return CGYM_FAILED_PRECONDITION;
  if (PyErr_GivenExceptionMatches(type, PyExc_TimeoutError)) return CGYM_DEADLINE_EXCEEDED;
  return CGYM_CALLBACK_ERROR;
}

/* Consumes the current Python exception (the GIL held) and records it as the thread's last
 * libcgym error. With keep_pending, the exception is also kept to be re-raised in the caller. */
static cgym_status_t report_python_error(int keep_pending) {
  PyObject *type = NULL, *value = NULL, *traceback = NULL;
  cgym_status_t code;
  PyObject* text = NULL;
  const char* message = NULL;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  if (type == NULL) return cgym_set_error(CGYM_CALLBACK_ERROR, "callback failed");
  code = status_of_exception(type);
  if (value != NULL) text = PyObject_Str(value);
  if (text != NULL) message = PyUnicode_AsUTF8(text);
  if (message == NULL) {
    PyErr_Clear();
    message = "Python callback failed";
  }
  if (message[0] == '\0') message = ((PyTypeObject*)type)->tp_name; /* str(e) == "" */
  code = cgym_set_error(code, message);
  if (keep_pending && value != NULL) {
    PyObject* dict = PyThreadState_GetDict();
    PyObject* recorded = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace");
    if (traceback != NULL) PyException_SetTraceback(value, traceback);
    if (dict != NULL && recorded != NULL) {
      PyObject* pending = Py_BuildValue("(iOO)", (int)code, recorded, value);
      if (pending != NULL) PyDict_SetItemString(dict, CGYM_PENDING_KEY, pending);
      Py_XDECREF(pending);
    }
    Py_XDECREF(recorded);
  }
  Py_XDECREF(text);
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  PyErr_Clear();
  return code;
}

/* ---- Rewards written in Python ------------------------------------------------------------ */

/* user_data is a strong reference to a Python object with methods reset(uri),
 * update(actions, observations) -> float (lists of borrowed event pointers) and clone(). */

static cgym_status_t py_reward_reset(void* user_data, const char* benchmark_uri) {
  PyGILState_STATE gil = PyGILState_Ensure();
  cgym_status_t status = CGYM_OK;
  PyObject* result = PyObject_CallMethod((PyObject*)user_data, "reset", "s", benchmark_uri);
  if (result == NULL) status = report_python_error(1);
  Py_XDECREF(result);
  PyGILState_Release(gil);
  return status;
}

static PyObject* event_pointer_list(const cgym_event_t* const* events, size_t count) {
  PyObject* list = PyList_New((Py_ssize_t)count);
  size_t i;
  if (list == NULL) return NULL;
  for (i = 0; i < count; ++i) {
    PyObject* p = SWIG_NewPointerObj(SWIG_as_voidptr(events[i]), SWIGTYPE_p_cgym_event, 0);
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
  PyObject* a = event_pointer_list(actions, num_actions);
  PyObject* o = a ? event_pointer_list(observations, num_observations) : NULL;
  PyObject* result = NULL;
  if (o != NULL) result = PyObject_CallMethod((PyObject*)user_data, "update", "OO", a, o);
  if (result != NULL) {
    double value = PyFloat_AsDouble(result);
    if (value == -1.0 && PyErr_Occurred()) {
      status = report_python_error(1);
    } else {
      *reward = value;
    }
  } else {
    status = report_python_error(1);
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
    report_python_error(0);
  } else if (result == Py_None) {
    Py_DECREF(result);
    result = NULL;
    cgym_set_error(CGYM_CALLBACK_ERROR, "reward clone() returned None");
  }
  PyGILState_Release(gil);
  return result; /* a new strong reference, or NULL */
}

static void py_object_destroy(void* user_data) {
  PyGILState_STATE gil;
  if (user_data == NULL || !Py_IsInitialized()) return;
  gil = PyGILState_Ensure();
  Py_DECREF((PyObject*)user_data);
  PyGILState_Release(gil);
}

static const cgym_reward_vtable_t PY_REWARD_VTABLE = {
    CGYM_REWARD_VTABLE_VERSION, py_reward_reset, py_reward_update, py_reward_clone,
    py_object_destroy};

/* ---- Sessions written in Python ----------------------------------------------------------- */

/* service_data: a strong reference to a Python factory with init(action_space_name, uri,
 * program_or_None) -> adapter and a bytes attribute compiler_version_bytes. A session is a
 * strong reference to the adapter, which has apply_action(event) -> (end, new_space, no_effect),
 * get_observation(index, event), fork() -> adapter, handle_session_parameter(key, value) ->
 * bytes or None, and close(). */

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
    status = report_python_error(0);
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
    status = report_python_error(0);
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
  PyObject* event = SWIG_NewPointerObj(SWIG_as_voidptr(action), SWIGTYPE_p_cgym_event, 0);
  PyObject* result =
      event ? PyObject_CallMethod((PyObject*)session, "apply_action", "O", event) : NULL;
  if (result != NULL) {
    int end = 0, no_effect = 0, new_space = -1;
    if (PyArg_ParseTuple(result, "pip", &end, &new_space, &no_effect)) {
      *end_of_episode = end;
      *action_had_no_effect = no_effect;
      *new_action_space = (int32_t)new_space;
    } else {
      status = report_python_error(0);
    }
  } else {
    status = report_python_error(0);
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
  PyObject* event = SWIG_NewPointerObj(SWIG_as_voidptr(observation), SWIGTYPE_p_cgym_event, 0);
  PyObject* result =
      event ? PyObject_CallMethod((PyObject*)session, "get_observation", "iO", (int)index, event)
            : NULL;
  (void)space;
  if (result == NULL) status = report_python_error(0);
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
    status = report_python_error(0);
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
  if (session == NULL || !Py_IsInitialized()) return;
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
    py_session_compiler_version};

/* ---- Helpers ---------------------------------------------------------------------------- */

static int py_to_string_array(PyObject* seq, const char*** out, size_t* count) {
  Py_ssize_t n, i;
  if (seq == Py_None) {
    *out = NULL;
    *count = 0;
    return 1;
  }
  if (!PySequence_Check(seq)) {
    PyErr_SetString(PyExc_TypeError, "expected a sequence of str");
    return 0;
  }
  n = PySequence_Size(seq);
  *out = (const char**)calloc((size_t)n + 1, sizeof(char*));
  *count = (size_t)n;
  for (i = 0; i < n; ++i) {
    PyObject* item = PySequence_GetItem(seq, i);
    const char* s = item && PyUnicode_Check(item) ? PyUnicode_AsUTF8(item) : NULL;
    if (s == NULL) {
      Py_XDECREF(item);
      if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "expected a sequence of str");
      free((void*)*out);
      *out = NULL;
      return 0;
    }
    /* The UTF-8 buffer lives as long as the str, which the sequence keeps alive. */
    (*out)[i] = s;
    Py_DECREF(item);
  }
  return 1;
}

static PyObject* owned_string_to_py(char* s) {
  PyObject* o;
  if (s == NULL) Py_RETURN_NONE;
  o = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
  cgym_free(s);
  return o;
}

static size_t tensor_item_size(cgym_event_kind_t kind) {
  switch (kind) {
    case CGYM_EVENT_BOOL_TENSOR: return 1;
    case CGYM_EVENT_BYTE_TENSOR: return 1;
    case CGYM_EVENT_INT64_TENSOR: return 8;
    case CGYM_EVENT_FLOAT_TENSOR: return 4;
    case CGYM_EVENT_DOUBLE_TENSOR: return 8;
    default: return 0;
  }
}

static int py_to_shape(PyObject* seq, uint64_t** shape, size_t* ndim) {
  Py_ssize_t n, i;
  if (!PySequence_Check(seq)) {
    PyErr_SetString(PyExc_TypeError, "shape must be a sequence of int");
    return 0;
  }
  n = PySequence_Size(seq);
  *shape = (uint64_t*)calloc((size_t)n + 1, sizeof(uint64_t));
  *ndim = (size_t)n;
  for (i = 0; i < n; ++i) {
    PyObject* item = PySequence_GetItem(seq, i);
    unsigned long long v = item ? PyLong_AsUnsignedLongLong(item) : 0;
    Py_XDECREF(item);
    if (PyErr_Occurred()) {
      free(*shape);
      return 0;
    }
    (*shape)[i] = (uint64_t)v;
  }
  return 1;
}
%}

%include <stdint.i>

/* ---- Typemaps ----------------------------------------------------------------------------- */

%typemap(out) cgym_status_t {
  if ($1 != CGYM_OK) {
    cgym_py_raise($1);
    SWIG_fail;
  }
  $result = SWIG_Py_Void();
}

/* Out-handles: returned. NULL gives None. */
%define CGYM_OUT_HANDLE(TYPE, NAME)
%typemap(in, numinputs=0) TYPE** NAME (TYPE* tmp = NULL) { $1 = ($1_ltype)&tmp; }
%typemap(argout) TYPE** NAME {
  $result = SWIG_Python_AppendOutput($result,
                                     SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, 0));
}
%enddef
CGYM_OUT_HANDLE(cgym_event_t, out)
CGYM_OUT_HANDLE(cgym_event_t, observation)
CGYM_OUT_HANDLE(const cgym_event_t, item)
CGYM_OUT_HANDLE(const cgym_event_t, value)
CGYM_OUT_HANDLE(cgym_space_t, out)
CGYM_OUT_HANDLE(const cgym_space_t, subspace)
CGYM_OUT_HANDLE(cgym_action_space_t, out)
CGYM_OUT_HANDLE(cgym_observation_space_t, out)
CGYM_OUT_HANDLE(cgym_options_t, out)
CGYM_OUT_HANDLE(cgym_env_t, out)
CGYM_OUT_HANDLE(cgym_step_result_t, result)

/* Out-scalars. */
%define CGYM_OUT_SCALAR(TYPE, CONVERT)
%typemap(in, numinputs=0) TYPE* OUTPUT_SCALAR (TYPE tmp = 0) { $1 = ($1_ltype)&tmp; }
%typemap(argout) TYPE* OUTPUT_SCALAR { $result = SWIG_Python_AppendOutput($result, CONVERT); }
%enddef
CGYM_OUT_SCALAR(int, PyLong_FromLong((long)*$1))
CGYM_OUT_SCALAR(int64_t, PyLong_FromLongLong((long long)*$1))
CGYM_OUT_SCALAR(size_t, PyLong_FromSize_t(*$1))
CGYM_OUT_SCALAR(float, PyFloat_FromDouble((double)*$1))
CGYM_OUT_SCALAR(double, PyFloat_FromDouble(*$1))
%apply int* OUTPUT_SCALAR { int* value, int* has_min, int* has_max, int* okay, int* done,
                            int* has_reward };
%apply int64_t* OUTPUT_SCALAR { int64_t* value, int64_t* n, int64_t* min, int64_t* max };
%apply size_t* OUTPUT_SCALAR { size_t* count, size_t* ndim, size_t* size };
%apply float* OUTPUT_SCALAR { float* value };
%apply double* OUTPUT_SCALAR { double* value, double* min, double* max, double* reward };

/* Borrowed strings out. */
%typemap(in, numinputs=0) const char** OUT_STR (const char* tmp = NULL) { $1 = ($1_ltype)&tmp; }
%typemap(argout) const char** OUT_STR {
  PyObject* o;
  if (*$1 == NULL) { Py_INCREF(Py_None); o = Py_None; }
  else o = PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)strlen(*$1), "replace");
  $result = SWIG_Python_AppendOutput($result, o);
}
%apply const char** OUT_STR { const char** name, const char** key, const char** service_version,
                              const char** compiler_version, const char** type_url };

/* Borrowed bytes out: (data, length). */
%typemap(in, numinputs=0) (const char** data, size_t* length) (const char* d = NULL, size_t n = 0) {
  $1 = ($1_ltype)&d; $2 = &n;
}
%typemap(argout) (const char** data, size_t* length) {
  $result = SWIG_Python_AppendOutput($result, PyBytes_FromStringAndSize(*$1 ? *$1 : "", (Py_ssize_t)*$2));
}
%typemap(in, numinputs=0) (const void** data, size_t* length) (const void* d = NULL, size_t n = 0) {
  $1 = ($1_ltype)&d; $2 = &n;
}
%typemap(argout) (const void** data, size_t* length) {
  $result = SWIG_Python_AppendOutput($result, PyBytes_FromStringAndSize(*$1 ? (const char*)*$1 : "", (Py_ssize_t)*$2));
}

/* Owned strings and buffers out: copied, then released with cgym_free(). */
%typemap(in, numinputs=0) char** OWNED_STR (char* tmp = NULL) { $1 = ($1_ltype)&tmp; }
%typemap(argout) char** OWNED_STR { $result = SWIG_Python_AppendOutput($result, owned_string_to_py(*$1)); }
%apply char** OWNED_STR { char** json, char** csv, char** reply, char** result_json };
%typemap(in, numinputs=0) (char** value, size_t* length) (char* d = NULL, size_t n = 0) { $1 = ($1_ltype)&d; $2 = &n; }
%typemap(argout) (char** value, size_t* length) {
  $result = SWIG_Python_AppendOutput($result, PyBytes_FromStringAndSize(*$1 ? *$1 : "", (Py_ssize_t)*$2));
  cgym_free(*$1);
}
%typemap(in, numinputs=0) (void** data, size_t* length) (void* d = NULL, size_t n = 0) { $1 = ($1_ltype)&d; $2 = &n; }
%typemap(argout) (void** data, size_t* length) {
  $result = SWIG_Python_AppendOutput($result, PyBytes_FromStringAndSize(*$1 ? (const char*)*$1 : "", (Py_ssize_t)*$2));
  cgym_free(*$1);
}

/* Shapes out: a tuple of ints. */
%typemap(in, numinputs=0) (const uint64_t** shape, size_t* ndim) (const uint64_t* s = NULL, size_t n = 0) {
  $1 = ($1_ltype)&s; $2 = &n;
}
%typemap(argout) (const uint64_t** shape, size_t* ndim) {
  PyObject* t = PyTuple_New((Py_ssize_t)*$2);
  size_t i;
  for (i = 0; i < *$2; ++i) PyTuple_SET_ITEM(t, (Py_ssize_t)i, PyLong_FromUnsignedLongLong((*$1)[i]));
  $result = SWIG_Python_AppendOutput($result, t);
}

/* Bytes in: bytes, bytearray or None (NULL, 0). */
%typemap(in) (const void* program, size_t length), (const void* data, size_t length) {
  if ($input == Py_None) { $1 = NULL; $2 = 0; }
  else if (PyBytes_Check($input)) { $1 = (void*)PyBytes_AsString($input); $2 = (size_t)PyBytes_Size($input); }
  else { PyErr_SetString(PyExc_TypeError, "expected bytes or None"); SWIG_fail; }
}
/* Strings in with a length: str (UTF-8) or bytes. */
%typemap(in) (const char* data, size_t length) {
  if (PyUnicode_Check($input)) {
    Py_ssize_t n = 0;
    $1 = (char*)PyUnicode_AsUTF8AndSize($input, &n);
    if ($1 == NULL) SWIG_fail;
    $2 = (size_t)n;
  } else if (PyBytes_Check($input)) {
    $1 = PyBytes_AsString($input); $2 = (size_t)PyBytes_Size($input);
  } else { PyErr_SetString(PyExc_TypeError, "expected str or bytes"); SWIG_fail; }
}
/* Shapes in. */
%typemap(in) (const uint64_t* shape, size_t ndim) (uint64_t* s = NULL, size_t n = 0) {
  if (!py_to_shape($input, &s, &n)) SWIG_fail;
  $1 = ($1_ltype)s; $2 = n;
}
%typemap(freearg) (const uint64_t* shape, size_t ndim) { free((void*)$1); }
/* String arrays in: a sequence of str, or None (NULL, 0). */
%typemap(in) (const char* const* names, size_t count),
             (const char* const* observation_spaces, size_t num_observation_spaces),
             (const char* const* reward_spaces, size_t num_reward_spaces)
{
  const char** a = NULL;
  size_t n = 0;
  if (!py_to_string_array($input, &a, &n)) SWIG_fail;
  $1 = ($1_ltype)a; $2 = n;
}
%typemap(freearg) (const char* const* names, size_t count),
                  (const char* const* observation_spaces, size_t num_observation_spaces),
                  (const char* const* reward_spaces, size_t num_reward_spaces) {
  free((void*)$1);
}
%typemap(in) (int argc, const char* const* argv) {
  const char** a = NULL;
  size_t n = 0;
  if (!py_to_string_array($input, &a, &n)) SWIG_fail;
  $1 = (int)n; $2 = ($2_ltype)a;
}
%typemap(freearg) (int argc, const char* const* argv) { free((void*)$2); }
/* Event arrays in: a sequence of event handles. */
%typemap(in) (const cgym_event_t* const* actions, size_t num_actions) {
  const cgym_event_t** a = NULL;
  size_t n = 0;
  Py_ssize_t i, len;
  if (!PySequence_Check($input)) { PyErr_SetString(PyExc_TypeError, "expected a sequence of events"); SWIG_fail; }
  len = PySequence_Size($input);
  a = (const cgym_event_t**)calloc((size_t)len + 1, sizeof(cgym_event_t*));
  n = (size_t)len;
  for (i = 0; i < len; ++i) {
    PyObject* item = PySequence_GetItem($input, i);
    void* p = NULL;
    int res = SWIG_ConvertPtr(item, &p, SWIGTYPE_p_cgym_event, 0);
    Py_XDECREF(item);
    if (!SWIG_IsOK(res)) { free(a); a = NULL; PyErr_SetString(PyExc_TypeError, "expected event handles"); SWIG_fail; }
    a[i] = (const cgym_event_t*)p;
  }
  $1 = ($1_ltype)a; $2 = n;
}
%typemap(freearg) (const cgym_event_t* const* actions, size_t num_actions) { free((void*)$1); }

/* ---- Functions replaced by the helpers below, or not for Python -------------------------- */
%ignore cgym_status_parent;
%ignore cgym_last_error_code;
%ignore cgym_set_error;
%ignore cgym_free;
%ignore cgym_free_strings;
%ignore cgym_event_new_tensor;
%ignore cgym_event_set_tensor;
%ignore cgym_event_new_string_tensor;
%ignore cgym_event_set_string_tensor;
%ignore cgym_event_tensor_values;
%ignore cgym_space_new_box;
%ignore cgym_space_box_bounds;
%ignore cgym_env_observe_int64s;
%ignore cgym_send_params;
%ignore cgym_env_add_reward;
%ignore cgym_service_def_new;
%ignore cgym_reward_vtable;
%ignore cgym_reward_vtable_t;
%ignore cgym_session_vtable;
%ignore cgym_session_vtable_t;

/* ---- Trivial accessors keep the GIL ------------------------------------------------------- */
/* They read memory the caller owns and never block or call back, so releasing and retaking the
 * GIL (about as long as the call itself) buys nothing; they are the bulk of the calls that
 * convert events and step results. */
%feature("nothreadallow") cgym_event_kind;
%feature("nothreadallow") cgym_event_get_bool;
%feature("nothreadallow") cgym_event_get_int64;
%feature("nothreadallow") cgym_event_get_float;
%feature("nothreadallow") cgym_event_get_double;
%feature("nothreadallow") cgym_event_get_string;
%feature("nothreadallow") cgym_event_get_any;
%feature("nothreadallow") cgym_event_tensor_shape;
%feature("nothreadallow") cgym_event_tensor_count;
%feature("nothreadallow") cgym_event_string_tensor_get;
%feature("nothreadallow") cgym_event_list_size;
%feature("nothreadallow") cgym_event_list_get;
%feature("nothreadallow") cgym_event_dict_size;
%feature("nothreadallow") cgym_event_dict_entry;
%feature("nothreadallow") cgym_event_free;
%feature("nothreadallow") cgym_step_result_observation_count;
%feature("nothreadallow") cgym_step_result_observation;
%feature("nothreadallow") cgym_step_result_reward_count;
%feature("nothreadallow") cgym_step_result_reward;
%feature("nothreadallow") cgym_step_result_done;
%feature("nothreadallow") cgym_step_result_action_had_no_effect;
%feature("nothreadallow") cgym_step_result_new_action_space;
%feature("nothreadallow") cgym_step_result_error_type;
%feature("nothreadallow") cgym_step_result_error_details;
%feature("nothreadallow") cgym_step_result_free;

#define __attribute__(x)
%include "cgym.h"

/* ---- Helpers: no GIL release (they build Python objects, or manage it themselves) -------- */
%feature("nothreadallow");
%inline %{
/* Registers factory(code, message) -> exception instance, used to raise every error. */
static PyObject* set_error_factory(PyObject* factory) {
  Py_XINCREF(factory);
  Py_XDECREF(g_error_factory);
  g_error_factory = factory;
  Py_RETURN_NONE;
}

static int status_parent(int code) { return (int)cgym_status_parent((cgym_status_t)code); }

/* Raises the exception of a status code and message, as a failed call would (for tests). */
static PyObject* raise_status(int code, const char* message) {
  cgym_set_error((cgym_status_t)code, message);
  cgym_py_raise((cgym_status_t)code);
  return NULL;
}

/* Records an error from Python code running inside a session (used by tests). */
static int set_error(int code, const char* message) {
  return (int)cgym_set_error((cgym_status_t)code, message);
}

/* Builds or fills an event with a numeric tensor from raw native-endian bytes. */
static PyObject* event_set_tensor_bytes(cgym_event_t* event, int kind, PyObject* shape,
                                        PyObject* data) {
  uint64_t* s = NULL;
  size_t ndim = 0, item = tensor_item_size((cgym_event_kind_t)kind);
  cgym_status_t status;
  Py_buffer view;
  if (item == 0) {
    PyErr_SetString(PyExc_ValueError, "not a numeric tensor kind");
    return NULL;
  }
  if (!py_to_shape(shape, &s, &ndim)) return NULL;
  if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) != 0) {
    free(s);
    return NULL;
  }
  status = cgym_event_set_tensor(event, (cgym_event_kind_t)kind, s, ndim, view.buf,
                                 (size_t)view.len / item);
  PyBuffer_Release(&view);
  free(s);
  if (status != CGYM_OK) {
    cgym_py_raise(status);
    return NULL;
  }
  Py_RETURN_NONE;
}

/* Fills an event with a string tensor from a sequence of bytes. */
static PyObject* event_set_string_tensor_list(cgym_event_t* event, PyObject* shape,
                                              PyObject* values) {
  uint64_t* s = NULL;
  size_t ndim = 0;
  Py_ssize_t n, i;
  const char** data;
  size_t* lengths;
  cgym_status_t status;
  if (!py_to_shape(shape, &s, &ndim)) return NULL;
  if (!PyList_Check(values)) {
    free(s);
    PyErr_SetString(PyExc_TypeError, "expected a list of bytes");
    return NULL;
  }
  n = PyList_Size(values);
  data = (const char**)calloc((size_t)n + 1, sizeof(char*));
  lengths = (size_t*)calloc((size_t)n + 1, sizeof(size_t));
  for (i = 0; i < n; ++i) {
    PyObject* item = PyList_GET_ITEM(values, i);
    if (!PyBytes_Check(item)) {
      free(s); free(data); free(lengths);
      PyErr_SetString(PyExc_TypeError, "expected a list of bytes");
      return NULL;
    }
    data[i] = PyBytes_AsString(item);
    lengths[i] = (size_t)PyBytes_Size(item);
  }
  status = cgym_event_set_string_tensor(event, s, ndim, data, lengths, (size_t)n);
  free(s); free(data); free(lengths);
  if (status != CGYM_OK) {
    cgym_py_raise(status);
    return NULL;
  }
  Py_RETURN_NONE;
}

/* A copy of a numeric tensor's values as a bytearray (native endianness). */
static PyObject* event_tensor_bytes(const cgym_event_t* event) {
  const void* values = NULL;
  size_t count = 0;
  size_t item = tensor_item_size(cgym_event_kind(event));
  cgym_status_t status = cgym_event_tensor_values(event, &values, &count);
  if (status != CGYM_OK) {
    cgym_py_raise(status);
    return NULL;
  }
  return PyByteArray_FromStringAndSize((const char*)values, (Py_ssize_t)(count * item));
}

/* A box space from a shape and bounds (sequences of float). */
static PyObject* space_new_box_py(int kind, PyObject* shape, PyObject* low, PyObject* high) {
  uint64_t* s = NULL;
  size_t ndim = 0;
  Py_ssize_t n, i;
  double *lo, *hi;
  cgym_space_t* out = NULL;
  cgym_status_t status;
  if (!py_to_shape(shape, &s, &ndim)) return NULL;
  n = PySequence_Size(low);
  if (n < 0 || PySequence_Size(high) != n) {
    free(s);
    PyErr_SetString(PyExc_ValueError, "low and high must have the same length");
    return NULL;
  }
  lo = (double*)calloc((size_t)n + 1, sizeof(double));
  hi = (double*)calloc((size_t)n + 1, sizeof(double));
  for (i = 0; i < n; ++i) {
    PyObject* a = PySequence_GetItem(low, i);
    PyObject* b = PySequence_GetItem(high, i);
    lo[i] = a ? PyFloat_AsDouble(a) : 0;
    hi[i] = b ? PyFloat_AsDouble(b) : 0;
    Py_XDECREF(a);
    Py_XDECREF(b);
  }
  if (PyErr_Occurred()) {
    free(s); free(lo); free(hi);
    return NULL;
  }
  status = cgym_space_new_box(&out, (cgym_space_kind_t)kind, s, ndim, lo, hi, (size_t)n);
  free(s); free(lo); free(hi);
  if (status != CGYM_OK) {
    cgym_py_raise(status);
    return NULL;
  }
  return SWIG_NewPointerObj(SWIG_as_voidptr(out), SWIGTYPE_p_cgym_space, 0);
}

/* A box space's bounds as ([low...], [high...]). */
static PyObject* space_box_bounds_py(const cgym_space_t* space) {
  size_t count = 0, i;
  double *lo, *hi;
  PyObject *l, *h;
  const uint64_t* shape = NULL;
  size_t ndim = 0;
  /* The number of bounds is the product of the shape (box_bounds leaves *count untouched
   * when it fails, so it cannot be asked for the size). */
  cgym_status_t status = cgym_space_box_shape(space, &shape, &ndim);
  if (status != CGYM_OK) {
    cgym_py_raise(status);
    return NULL;
  }
  count = 1;
  for (i = 0; i < ndim; ++i) count *= (size_t)shape[i];
  lo = (double*)calloc(count + 1, sizeof(double));
  hi = (double*)calloc(count + 1, sizeof(double));
  status = cgym_space_box_bounds(space, lo, hi, count, &count);
  if (status != CGYM_OK) {
    free(lo); free(hi);
    cgym_py_raise(status);
    return NULL;
  }
  l = PyList_New((Py_ssize_t)count);
  h = PyList_New((Py_ssize_t)count);
  for (i = 0; i < count; ++i) {
    PyList_SET_ITEM(l, (Py_ssize_t)i, PyFloat_FromDouble(lo[i]));
    PyList_SET_ITEM(h, (Py_ssize_t)i, PyFloat_FromDouble(hi[i]));
  }
  free(lo); free(hi);
  return Py_BuildValue("(NN)", l, h);
}

/* cgym_send_params with lists of str; returns the list of replies. Releases the GIL. */
static PyObject* send_params_py(cgym_env_t* env, PyObject* keys, PyObject* values,
                                int resend_on_reset) {
  const char **k = NULL, **v = NULL;
  size_t nk = 0, nv = 0, i;
  char** replies = NULL;
  cgym_status_t status;
  PyObject* out;
  if (!py_to_string_array(keys, &k, &nk)) return NULL;
  if (!py_to_string_array(values, &v, &nv)) {
    free((void*)k);
    return NULL;
  }
  if (nk != nv) {
    free((void*)k); free((void*)v);
    PyErr_SetString(PyExc_ValueError, "keys and values differ in length");
    return NULL;
  }
  Py_BEGIN_ALLOW_THREADS
  status = cgym_send_params(env, k, v, nk, resend_on_reset, &replies);
  Py_END_ALLOW_THREADS
  free((void*)k); free((void*)v);
  if (status != CGYM_OK) {
    cgym_py_raise(status);
    return NULL;
  }
  out = PyList_New((Py_ssize_t)nk);
  for (i = 0; i < nk; ++i) {
    const char* r = replies && replies[i] ? replies[i] : "";
    PyList_SET_ITEM(out, (Py_ssize_t)i, PyUnicode_DecodeUTF8(r, (Py_ssize_t)strlen(r), "replace"));
  }
  cgym_free_strings(replies, nk);
  return out;
}

/* Adds a reward written in Python: `reward` has reset(uri), update(actions, observations) and
 * clone(); the env holds a strong reference to it (released through the vtable's destroy). */
static PyObject* env_add_python_reward(cgym_env_t* env, const char* name, PyObject* observations,
                                       double default_value, int default_negates_returns,
                                       int deterministic, PyObject* reward) {
  const char** names = NULL;
  size_t count = 0;
  cgym_status_t status;
  if (!py_to_string_array(observations, &names, &count)) return NULL;
  Py_INCREF(reward);
  status = cgym_env_add_reward(env, name, names, count, default_value, default_negates_returns,
                               deterministic, &PY_REWARD_VTABLE, reward);
  free((void*)names);
  if (status != CGYM_OK) {
    Py_DECREF(reward);
    cgym_py_raise(status);
    return NULL;
  }
  Py_RETURN_NONE;
}

/* A service definition whose sessions are written in Python: `factory` is the service data
 * (see the session trampolines). The definition holds a strong reference to the factory for
 * the life of the process (service data must outlive every service made from it). */
static PyObject* service_def_new_python(PyObject* factory) {
  cgym_service_def_t* def = NULL;
  cgym_status_t status;
  Py_INCREF(factory);
  status = cgym_service_def_new(&def, &PY_SESSION_VTABLE, factory);
  if (status != CGYM_OK) {
    Py_DECREF(factory);
    cgym_py_raise(status);
    return NULL;
  }
  return SWIG_NewPointerObj(SWIG_as_voidptr(def), SWIGTYPE_p_cgym_service_def, 0);
}

/* ---- The step of CompilerEnv, in one call -------------------------------------------------- */
%}

%{
/* event_to_py(handle) of cgym._convert, for the observations env_step does not convert itself. */
static PyObject* g_event_converter = NULL;

/* A borrowed event as _convert.event_to_py makes it: scalars and strings here, every other
 * kind by the registered converter. */
static PyObject* step_event_to_py(const cgym_event_t* event) {
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
      handle = SWIG_NewPointerObj(SWIG_as_voidptr(event), SWIGTYPE_p_cgym_event, 0);
      if (handle == NULL) return NULL;
      out = PyObject_CallOneArg(g_event_converter, handle);
      Py_DECREF(handle);
      return out;
  }
  cgym_py_raise(status);
  return NULL;
}

static PyObject* step_none(void) { Py_RETURN_NONE; }

/* A str from a borrowed C string, as SWIG returns a char* (NULL gives None). */
static PyObject* step_c_string(const char* s) {
  if (s == NULL) Py_RETURN_NONE;
  return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

/* The keys of a step's info, made once (interned): making them per step was a visible part of
 * its cost. NULL if they could not be made (a Python error is set). */
static PyObject** step_info_keys(void) {
  static PyObject* keys[4] = {NULL, NULL, NULL, NULL};
  static const char* const names[4] = {"action_had_no_effect", "new_action_space", "error_type",
                                       "error_details"};
  int i;
  for (i = 0; i < 4; ++i) {
    if (keys[i] == NULL && (keys[i] = PyUnicode_InternFromString(names[i])) == NULL) return NULL;
  }
  return keys;
}

/* (observations, rewards, done, info) of a step result, as CompilerEnv returns them: lists, or
 * with single_* the first value (None if there is none). */
static PyObject* step_result_to_py(const cgym_step_result_t* result, int single_observation,
                                   int single_reward) {
  size_t n_obs = cgym_step_result_observation_count(result);
  size_t n_rew = cgym_step_result_reward_count(result);
  const char* error_type = cgym_step_result_error_type(result);
  PyObject *obs = NULL, *rew = NULL, *info = NULL, *value = NULL, *out, *done;
  PyObject** keys;
  size_t i;
  if (single_observation) {
    obs = n_obs ? step_event_to_py(cgym_step_result_observation(result, 0)) : step_none();
  } else if ((obs = PyList_New((Py_ssize_t)n_obs)) != NULL) {
    for (i = 0; i < n_obs; ++i) {
      PyObject* o = step_event_to_py(cgym_step_result_observation(result, i));
      if (o == NULL) goto fail;
      PyList_SET_ITEM(obs, (Py_ssize_t)i, o);
    }
  }
  if (obs == NULL) goto fail;
  if (single_reward) {
    rew = n_rew ? PyFloat_FromDouble(cgym_step_result_reward(result, 0)) : step_none();
  } else if ((rew = PyList_New((Py_ssize_t)n_rew)) != NULL) {
    for (i = 0; i < n_rew; ++i) {
      PyObject* r = PyFloat_FromDouble(cgym_step_result_reward(result, i));
      if (r == NULL) goto fail;
      PyList_SET_ITEM(rew, (Py_ssize_t)i, r);
    }
  }
  if (rew == NULL) goto fail;
  if ((keys = step_info_keys()) == NULL || (info = PyDict_New()) == NULL) goto fail;
  if (PyDict_SetItem(info, keys[0],
                     cgym_step_result_action_had_no_effect(result) ? Py_True : Py_False) ||
      PyDict_SetItem(info, keys[1], cgym_step_result_new_action_space(result) ? Py_True
                                                                                : Py_False)) {
    goto fail;
  }
  if (error_type != NULL && error_type[0] != '\0') {
    if ((value = step_c_string(error_type)) == NULL || PyDict_SetItem(info, keys[2], value)) {
      goto fail;
    }
    Py_DECREF(value);
    if ((value = step_c_string(cgym_step_result_error_details(result))) == NULL ||
        PyDict_SetItem(info, keys[3], value)) {
      goto fail;
    }
    Py_DECREF(value);
    value = NULL;
  }
  if ((out = PyTuple_New(4)) == NULL) goto fail;
  done = cgym_step_result_done(result) ? Py_True : Py_False;
  Py_INCREF(done);
  PyTuple_SET_ITEM(out, 0, obs);
  PyTuple_SET_ITEM(out, 1, rew);
  PyTuple_SET_ITEM(out, 2, done);
  PyTuple_SET_ITEM(out, 3, info);
  return out;
fail:
  Py_XDECREF(obs);
  Py_XDECREF(rew);
  Py_XDECREF(info);
  Py_XDECREF(value);
  return NULL;
}
%}

%inline %{
/* Registers cgym._convert.event_to_py, which env_step calls for the kinds it does not convert. */
static PyObject* set_event_converter(PyObject* converter) {
  Py_XINCREF(converter);
  Py_XDECREF(g_event_converter);
  g_event_converter = converter;
  Py_RETURN_NONE;
}

/* CompilerEnv's step: cgym_step of `actions` (a sequence of exact ints, sent as int64 events,
 * and event handles, borrowed) with the named spaces (a sequence of str, or None for the
 * default space), then the result as (observations, rewards, done, info) (see
 * step_result_to_py), the Step call with a deadline of `timeout` seconds. One call instead of
 * one per accessor, and the GIL is released only around cgym_step_with_timeout (where the
 * service and Python rewards run). */
static PyObject* env_step(cgym_env_t* env, PyObject* actions, PyObject* observation_spaces,
                          PyObject* reward_spaces, int single_observation, int single_reward,
                          double timeout) {
  cgym_event_t* stack_events[4];
  cgym_event_t** events = stack_events;
  char stack_owned[4] = {0};
  char* owned = stack_owned;
  const char **obs = NULL, **rew = NULL;
  size_t n_obs = 0, n_rew = 0;
  Py_ssize_t n = 0, made = 0, i;
  cgym_step_result_t* result = NULL;
  cgym_status_t status;
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
  for (i = 0; i < n; ++i) {
    PyObject* item = PySequence_Fast_GET_ITEM(seq, i);
    owned[i] = 0;
    if (PyLong_CheckExact(item)) {
      long long v = PyLong_AsLongLong(item);
      if (v == -1 && PyErr_Occurred()) goto done; /* OverflowError, as the SWIG setter */
      status = cgym_event_new_int64(&events[i], (int64_t)v);
      if (status != CGYM_OK) {
        cgym_py_raise(status);
        goto done;
      }
      owned[i] = 1;
    } else {
      void* p = NULL;
      /* SWIG reads None as a NULL handle: refused, as it is no event. */
      if (!SWIG_IsOK(SWIG_ConvertPtr(item, &p, SWIGTYPE_p_cgym_event, 0)) || p == NULL) {
        PyErr_SetString(PyExc_TypeError, "expected int actions or event handles");
        goto done;
      }
      events[i] = (cgym_event_t*)p;
    }
    made = i + 1; /* events[0..made) are set, and freed at the end if owned */
  }
  if (!py_to_string_array(observation_spaces, &obs, &n_obs)) goto done;
  if (!py_to_string_array(reward_spaces, &rew, &n_rew)) goto done;
  Py_BEGIN_ALLOW_THREADS
  status = cgym_step_with_timeout(env, (const cgym_event_t* const*)events, (size_t)n, obs, n_obs,
                                  rew, n_rew, timeout, &result);
  Py_END_ALLOW_THREADS
  if (status != CGYM_OK) {
    cgym_py_raise(status);
    goto done;
  }
  out = step_result_to_py(result, single_observation, single_reward);
done:
  cgym_step_result_free(result);
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

/* Pointer identity of a handle (for tests and hashing). */
static PyObject* handle_address(PyObject* handle) {
  void* p = NULL;
  if (!SWIG_IsOK(SWIG_ConvertPtr(handle, &p, 0, 0))) {
    PyErr_SetString(PyExc_TypeError, "not a handle");
    return NULL;
  }
  return PyLong_FromVoidPtr(p);
}
%}
%feature("nothreadallow", "");

/* The step's hot path calls the C function itself, not SWIG's Python wrapper of it. */
%pythoncode %{
env_step = __cgym.env_step
%}
