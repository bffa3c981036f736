/* SPDX-License-Identifier: MIT */
/*
 * The low layer of the Python binding: SWIG wraps include/cgym.h as the module cgym._cgym,
 * with the C helpers of bindings/python/src (cgym_py.h) compiled into the same extension.
 *
 *  - A cgym_status_t result becomes None or a raised exception: the exception is made by the
 *    factory that the package registers with set_error_factory(code, message) (cgym.errors),
 *    from the calling thread's last error.
 *  - Out-handles (T** out), out-scalars, owned strings, string arrays and buffers come back as
 *    return values (one value, or a list of values in argument order). Owned strings and
 *    buffers are copied into Python objects and released with cgym_free() at once, string
 *    arrays (char*** with a count) become lists of str, released with cgym_free_strings().
 *  - Module built with -threads: every call into libcgym that may block or call back releases
 *    the GIL; trivial accessors of events and step results keep it (see below).
 *  - The helpers (src/*.c) do what one SWIG call per C function cannot do well: the step and
 *    reset of CompilerEnv in one call each, callbacks into Python (rewards and sessions),
 *    arrays and buffers.
 */
%module(package="cgym") _cgym

%{
#include "cgym_py.h"

/* Handles for the helpers, which cannot see SWIG's type table. */
PyObject* cgympy_wrap_event(const cgym_event_t* event) {
  return SWIG_NewPointerObj(SWIG_as_voidptr(event), SWIGTYPE_p_cgym_event, 0);
}
PyObject* cgympy_wrap_space(cgym_space_t* space) {
  return SWIG_NewPointerObj(SWIG_as_voidptr(space), SWIGTYPE_p_cgym_space, 0);
}
PyObject* cgympy_wrap_service_def(cgym_service_def_t* def) {
  return SWIG_NewPointerObj(SWIG_as_voidptr(def), SWIGTYPE_p_cgym_service_def, 0);
}
int cgympy_unwrap_event(PyObject* object, cgym_event_t** event) {
  void* p = NULL;
  /* SWIG reads None as a NULL handle: refused, as it is no event. */
  if (!SWIG_IsOK(SWIG_ConvertPtr(object, &p, SWIGTYPE_p_cgym_event, 0)) || p == NULL) return 0;
  *event = (cgym_event_t*)p;
  return 1;
}
PyObject* cgympy_wrap_step_result(cgym_step_result_t* result) {
  return SWIG_NewPointerObj(SWIG_as_voidptr(result), SWIGTYPE_p_cgym_step_result, 0);
}
int cgympy_unwrap_any(PyObject* object, void** pointer) {
  return SWIG_IsOK(SWIG_ConvertPtr(object, pointer, 0, 0));
}
%}

%include <stdint.i>

/* ---- Typemaps ----------------------------------------------------------------------------- */

%typemap(out) cgym_status_t {
  if ($1 != CGYM_OK) {
    cgympy_raise($1);
    SWIG_fail;
  }
  $result = SWIG_Py_Void();
}

/* cgym_step_result_status is the one getter of a status: returned as an int, not raised. */
%typemap(out) cgym_status_t cgym_step_result_status { $result = PyLong_FromLong((long)$1); }

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
CGYM_OUT_HANDLE(const cgym_event_t, observation)
CGYM_OUT_HANDLE(const cgym_event_t, action)
CGYM_OUT_HANDLE(const cgym_event_t, item)
CGYM_OUT_HANDLE(const cgym_event_t, value)
CGYM_OUT_HANDLE(cgym_space_t, out)
CGYM_OUT_HANDLE(const cgym_space_t, subspace)
CGYM_OUT_HANDLE(cgym_action_space_t, out)
CGYM_OUT_HANDLE(const cgym_action_space_t, space)
CGYM_OUT_HANDLE(cgym_observation_space_t, out)
CGYM_OUT_HANDLE(const cgym_observation_space_t, space)
CGYM_OUT_HANDLE(cgym_options_t, out)
CGYM_OUT_HANDLE(cgym_call_options_t, out)
CGYM_OUT_HANDLE(cgym_env_t, out)
CGYM_OUT_HANDLE(cgym_step_result_t, result)
CGYM_OUT_HANDLE(const cgym_step_result_t, result)
CGYM_OUT_HANDLE(cgym_step_queue_t, out)
CGYM_OUT_HANDLE(cgym_vec_env_t, out)
CGYM_OUT_HANDLE(cgym_env_t, env)

/* Out-scalars. */
%define CGYM_OUT_SCALAR(TYPE, CONVERT)
%typemap(in, numinputs=0) TYPE* OUTPUT_SCALAR (TYPE tmp = 0) { $1 = ($1_ltype)&tmp; }
%typemap(argout) TYPE* OUTPUT_SCALAR { $result = SWIG_Python_AppendOutput($result, CONVERT); }
%enddef
CGYM_OUT_SCALAR(int, PyLong_FromLong((long)*$1))
CGYM_OUT_SCALAR(int64_t, PyLong_FromLongLong((long long)*$1))
CGYM_OUT_SCALAR(uint64_t, PyLong_FromUnsignedLongLong((unsigned long long)*$1))
CGYM_OUT_SCALAR(size_t, PyLong_FromSize_t(*$1))
CGYM_OUT_SCALAR(float, PyFloat_FromDouble((double)*$1))
CGYM_OUT_SCALAR(double, PyFloat_FromDouble(*$1))
%apply int* OUTPUT_SCALAR { int* value, int* has_min, int* has_max, int* okay, int* done,
                            int* has_reward };
%apply int64_t* OUTPUT_SCALAR { int64_t* value, int64_t* n, int64_t* min, int64_t* max };
%apply size_t* OUTPUT_SCALAR { size_t* count, size_t* ndim, size_t* size };
%apply uint64_t* OUTPUT_SCALAR { uint64_t* size, uint64_t* tag };
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

/* Dict keys out: (key, key_length) as a str (keys may hold NUL). */
%typemap(in, numinputs=0) (const char** key, size_t* key_length) (const char* k = NULL, size_t n = 0) {
  $1 = ($1_ltype)&k; $2 = &n;
}
%typemap(argout) (const char** key, size_t* key_length) {
  $result = SWIG_Python_AppendOutput($result, PyUnicode_DecodeUTF8(*$1 ? *$1 : "", (Py_ssize_t)*$2, "replace"));
}

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
%typemap(argout) char** OWNED_STR { $result = SWIG_Python_AppendOutput($result, cgympy_owned_string(*$1)); }
%apply char** OWNED_STR { char** json, char** csv, char** reply, char** result_json,
                          char** description, char** uri, char** path };
%typemap(in, numinputs=0) (char** value, size_t* length) (char* d = NULL, size_t n = 0) { $1 = ($1_ltype)&d; $2 = &n; }
%typemap(argout) (char** value, size_t* length) {
  $result = SWIG_Python_AppendOutput($result, PyBytes_FromStringAndSize(*$1 ? *$1 : "", (Py_ssize_t)*$2));
  cgym_free(*$1);
}
%typemap(in, numinputs=0) (void** data, size_t* length) (void* d = NULL, size_t n = 0),
                          (void** bitcode, size_t* length) (void* d = NULL, size_t n = 0) {
  $1 = ($1_ltype)&d; $2 = &n;
}
%typemap(argout) (void** data, size_t* length), (void** bitcode, size_t* length) {
  $result = SWIG_Python_AppendOutput($result, PyBytes_FromStringAndSize(*$1 ? (const char*)*$1 : "", (Py_ssize_t)*$2));
  cgym_free(*$1);
}

/* Owned string arrays out (cgym_env_ids, cgym_datasets): a list of str, then
 * cgym_free_strings(). */
%typemap(in, numinputs=0) (char*** ids, size_t* count) (char** a = NULL, size_t n = 0),
                          (char*** names, size_t* count) (char** a = NULL, size_t n = 0) {
  $1 = ($1_ltype)&a; $2 = &n;
}
%typemap(argout) (char*** ids, size_t* count), (char*** names, size_t* count) {
  PyObject* list = PyList_New((Py_ssize_t)*$2);
  size_t i;
  for (i = 0; list != NULL && i < *$2; ++i) {
    const char* s = (*$1)[i] ? (*$1)[i] : "";
    PyObject* item = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
    if (item == NULL) { Py_CLEAR(list); break; }
    PyList_SET_ITEM(list, (Py_ssize_t)i, item);
  }
  cgym_free_strings(*$1, *$2);
  if (list == NULL) SWIG_fail;
  $result = SWIG_Python_AppendOutput($result, list);
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

/* Bytes in: bytes or None (NULL, 0). */
%typemap(in) (const void* program, size_t length), (const void* data, size_t length) {
  if ($input == Py_None) { $1 = NULL; $2 = 0; }
  else if (PyBytes_Check($input)) { $1 = (void*)PyBytes_AsString($input); $2 = (size_t)PyBytes_Size($input); }
  else { PyErr_SetString(PyExc_TypeError, "expected bytes or None"); SWIG_fail; }
}
/* Strings in with a length (event strings, dict keys): str (UTF-8) or bytes. */
%typemap(in) (const char* data, size_t length), (const char* key, size_t key_length) {
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
  if (!cgympy_to_shape($input, &s, &n)) SWIG_fail;
  $1 = ($1_ltype)s; $2 = n;
}
%typemap(freearg) (const uint64_t* shape, size_t ndim) { free((void*)$1); }
/* String arrays in: a sequence of str, or None (NULL, 0). */
%typemap(in) (const char* const* names, size_t count),
             (const char* const* observation_spaces, size_t num_observation_spaces),
             (const char* const* reward_spaces, size_t num_reward_spaces),
             (const char* const* paths, size_t num_paths),
             (const char* const* copts, size_t num_copts)
{
  const char** a = NULL;
  size_t n = 0;
  if (!cgympy_to_string_array($input, &a, &n)) SWIG_fail;
  $1 = ($1_ltype)a; $2 = n;
}
%typemap(freearg) (const char* const* names, size_t count),
                  (const char* const* observation_spaces, size_t num_observation_spaces),
                  (const char* const* reward_spaces, size_t num_reward_spaces),
                  (const char* const* paths, size_t num_paths),
                  (const char* const* copts, size_t num_copts) {
  free((void*)$1);
}
%typemap(in) (int argc, const char* const* argv) {
  const char** a = NULL;
  size_t n = 0;
  if (!cgympy_to_string_array($input, &a, &n)) SWIG_fail;
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

/* ---- Functions replaced by the helpers below, or not for Python (bindings/python/PARITY.md) */
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
/* Arrays, buffers and GIL handling of many envs at once: src/vector.c. */
%ignore cgym_step_submit;
%ignore cgym_step_queue_next;
%ignore cgym_vec_env_reset;
%ignore cgym_vec_env_step;
%ignore cgym_vec_env_rewards;
%ignore cgym_vec_env_dones;
%ignore cgym_vec_env_observations_int64s;
%ignore cgym_vec_env_observations_doubles;

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
%feature("nothreadallow") cgym_event_string_tensor_at;
%feature("nothreadallow") cgym_event_list_count;
%feature("nothreadallow") cgym_event_list_at;
%feature("nothreadallow") cgym_event_dict_count;
%feature("nothreadallow") cgym_event_dict_at;
%feature("nothreadallow") cgym_event_dict_get;
%feature("nothreadallow") cgym_event_free;
%feature("nothreadallow") cgym_step_result_observation_count;
%feature("nothreadallow") cgym_step_result_observation_at;
%feature("nothreadallow") cgym_step_result_reward_count;
%feature("nothreadallow") cgym_step_result_reward_at;
%feature("nothreadallow") cgym_step_result_done;
%feature("nothreadallow") cgym_step_result_action_had_no_effect;
%feature("nothreadallow") cgym_step_result_new_action_space;
%feature("nothreadallow") cgym_step_result_error_type;
%feature("nothreadallow") cgym_step_result_error_details;
%feature("nothreadallow") cgym_step_result_free;
%feature("nothreadallow") cgym_step_result_status;
%feature("nothreadallow") cgym_step_result_status_message;
%feature("nothreadallow") cgym_step_queue_size;
%feature("nothreadallow") cgym_vec_env_num_envs;
%feature("nothreadallow") cgym_vec_env_num_services;
%feature("nothreadallow") cgym_vec_env_at;
%feature("nothreadallow") cgym_vec_env_autoreset;
%feature("nothreadallow") cgym_vec_env_set_autoreset;
%feature("nothreadallow") cgym_vec_env_result;
%feature("nothreadallow") cgym_vec_env_final_result;
%feature("nothreadallow") cgym_call_options_new;
%feature("nothreadallow") cgym_call_options_set_timeout;
%feature("nothreadallow") cgym_call_options_free;
/* Async-signal-safe: it only wakes the running services. */
%feature("nothreadallow") cgym_service_stop;

#define __attribute__(x)
%include "cgym.h"

/* ---- Helpers (src/*.c): no GIL release (they build Python objects, or manage it) --------- */
%feature("nothreadallow");

%rename(set_error_factory) cgympy_set_error_factory;
%rename(status_parent) cgympy_status_parent;
%rename(raise_status) cgympy_raise_status;
%rename(set_error) cgympy_set_error;
%rename(event_set_tensor_bytes) cgympy_event_set_tensor_bytes;
%rename(event_set_string_tensor_list) cgympy_event_set_string_tensor_list;
%rename(event_tensor_bytes) cgympy_event_tensor_bytes;
%rename(space_new_box_py) cgympy_space_new_box;
%rename(space_box_bounds_py) cgympy_space_box_bounds;
%rename(send_params_py) cgympy_send_params;
%rename(handle_address) cgympy_handle_address;
%rename(env_add_python_reward) cgympy_env_add_python_reward;
%rename(service_def_new_python) cgympy_service_def_new_python;
%rename(service_run) cgympy_service_run;
%rename(set_event_converter) cgympy_set_event_converter;
%rename(env_step) cgympy_env_step;
%rename(env_reset) cgympy_env_reset;
%rename(step_result_to_py) cgympy_step_result_to_py;
%rename(step_submit) cgympy_step_submit;
%rename(step_queue_next) cgympy_step_queue_next;
%rename(vec_env_reset) cgympy_vec_env_reset;
%rename(vec_env_step) cgympy_vec_env_step;
%rename(vec_env_values) cgympy_vec_env_values;
%rename(vec_env_infos) cgympy_vec_env_infos;
%rename(vec_env_final_results) cgympy_vec_env_final_results;

/* Registers factory(code, message) -> exception instance, used to raise every error. */
PyObject* cgympy_set_error_factory(PyObject* factory);
int cgympy_status_parent(int code);
/* Raises the exception of a status code and message, as a failed call would (for tests). */
PyObject* cgympy_raise_status(int code, const char* message);
/* Records an error from Python code running inside a session (used by tests). */
int cgympy_set_error(int code, const char* message);
/* Fills an event with a numeric tensor of `kind` from raw native-endian bytes. */
PyObject* cgympy_event_set_tensor_bytes(cgym_event_t* event, int kind, PyObject* shape,
                                        PyObject* data);
/* Fills an event with a string tensor from a list of bytes. */
PyObject* cgympy_event_set_string_tensor_list(cgym_event_t* event, PyObject* shape,
                                              PyObject* values);
/* A copy of a numeric tensor's values as a bytearray (native endianness). */
PyObject* cgympy_event_tensor_bytes(const cgym_event_t* event);
/* A new owned box space from a shape and bounds (sequences of float). */
PyObject* cgympy_space_new_box(int kind, PyObject* shape, PyObject* low, PyObject* high);
/* A box space's bounds as ([low...], [high...]). */
PyObject* cgympy_space_box_bounds(const cgym_space_t* space);
/* cgym_send_params with lists of str; returns the list of replies. Releases the GIL. */
PyObject* cgympy_send_params(cgym_env_t* env, PyObject* keys, PyObject* values,
                             int resend_on_reset);
/* Pointer identity of a handle (for tests and hashing). */
PyObject* cgympy_handle_address(PyObject* handle);
/* Adds a reward written in Python (reset(uri), update(actions, observations), clone()); the
 * env owns the reference to it from the call on. */
PyObject* cgympy_env_add_python_reward(cgym_env_t* env, const char* name, PyObject* observations,
                                       double default_value, int default_negates_returns,
                                       int deterministic, PyObject* reward);
/* A new owned service definition whose sessions are written in Python (`factory`). */
PyObject* cgympy_service_def_new_python(PyObject* factory);
/* cgym_service_run without the GIL; with handle_signals, SIGTERM and SIGINT stop it
 * whichever thread of the process gets them. Returns the exit code. */
PyObject* cgympy_service_run(const cgym_service_def_t* def, PyObject* argv, int handle_signals);
/* Registers cgym._convert.event_to_py, which env_step calls for the kinds it does not convert. */
PyObject* cgympy_set_event_converter(PyObject* converter);
/* CompilerEnv's step: cgym_step of `actions` (exact ints, sent as int64 events, and event
 * handles, borrowed) with the named spaces (a sequence of str, or None for the default space)
 * and a deadline of `timeout` seconds; returns (observations, rewards, done, info), with
 * single_* the first value instead of a list (None if there is none). */
PyObject* cgympy_env_step(cgym_env_t* env, PyObject* actions, PyObject* observation_spaces,
                          PyObject* reward_spaces, int single_observation, int single_reward,
                          double timeout);
/* cgym_env_reset with a deadline of `timeout` seconds; returns the observation (or None). */
PyObject* cgympy_env_reset(cgym_env_t* env, double timeout);
/* (observations, rewards, done, info) of a step result, as env_step returns them. */
PyObject* cgympy_step_result_to_py(const cgym_step_result_t* result, int single_observation,
                                   int single_reward);
/* Many envs at once (src/vector.c; see cgym_py.h). The ones that wait release the GIL. */
PyObject* cgympy_step_submit(cgym_step_queue_t* queue, cgym_env_t* env, PyObject* actions,
                             PyObject* observation_spaces, PyObject* reward_spaces,
                             double timeout, unsigned long long tag);
PyObject* cgympy_step_queue_next(cgym_step_queue_t* queue, double timeout);
PyObject* cgympy_vec_env_reset(cgym_vec_env_t* vec, PyObject* mask, double timeout);
PyObject* cgympy_vec_env_step(cgym_vec_env_t* vec, PyObject* actions, double timeout);
PyObject* cgympy_vec_env_values(const cgym_vec_env_t* vec, int which);
PyObject* cgympy_vec_env_infos(const cgym_vec_env_t* vec, int final, int with_flags);
PyObject* cgympy_vec_env_final_results(const cgym_vec_env_t* vec, int single_observation,
                                       int single_reward);

%feature("nothreadallow", "");

/* The step's hot path calls the C function itself, not SWIG's Python wrapper of it. */
%pythoncode %{
env_step = __cgym.env_step
%}
