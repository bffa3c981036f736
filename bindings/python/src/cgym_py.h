/* SPDX-License-Identifier: MIT */
/*
 * The C helpers of the Python binding's extension module (cgym.__cgym), compiled with the
 * SWIG wrapper of cgym/_cgym.i. The wrapper exposes the functions below to Python (under the
 * names given in _cgym.i) and provides the cgympy_wrap_* functions, which need SWIG's type
 * table.
 *
 * Conventions: a function returning PyObject* returns a new reference, or NULL with a Python
 * exception set; int-returning converters return 1 on success, 0 with an exception set. Every
 * function is called with the GIL held unless it says otherwise.
 */
#ifndef CGYM_PY_H_
#define CGYM_PY_H_

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>

#include "cgym.h"

/* ---- Handles (defined in _cgym.i, where SWIG's type table is) ------------------------- */

/* A SWIG handle for a borrowed event, space or service definition; NULL gives None. */
PyObject* cgympy_wrap_event(const cgym_event_t* event);
PyObject* cgympy_wrap_space(cgym_space_t* space);
PyObject* cgympy_wrap_service_def(cgym_service_def_t* def);
/* A SWIG handle for an owned step result (the caller frees it). */
PyObject* cgympy_wrap_step_result(cgym_step_result_t* result);
/* 1 and *event if `object` is a non-NULL event handle; 0 (no exception set) otherwise. */
int cgympy_unwrap_event(PyObject* object, cgym_event_t** event);
/* The pointer of any SWIG handle; 0 (no exception set) if `object` is none. */
int cgympy_unwrap_any(PyObject* object, void** pointer);

/* ---- Errors (errors.c) ------------------------------------------------------------------ */

/* Raises the Python exception for `code` and the calling thread's last error: a Python
 * exception a callback recorded for it, else the one the registered factory makes. */
void cgympy_raise(cgym_status_t code);
/* Consumes the current Python exception and records it as the thread's last libcgym error
 * (for trampolines); with keep_pending, it is also kept for cgympy_raise to re-raise. */
cgym_status_t cgympy_report_python_error(int keep_pending);
/* 1 while Python can run code: initialised and not finalising. */
int cgympy_python_alive(void);
PyObject* cgympy_set_error_factory(PyObject* factory);
int cgympy_status_parent(int code);
PyObject* cgympy_raise_status(int code, const char* message);
int cgympy_set_error(int code, const char* message);

/* ---- Conversions (convert.c) ------------------------------------------------------------ */

/* A sequence of str (None: NULL, 0) as an array of borrowed UTF-8 strings (free() it). */
int cgympy_to_string_array(PyObject* seq, const char*** out, size_t* count);
/* A sequence of int as a shape (free() it). */
int cgympy_to_shape(PyObject* seq, uint64_t** shape, size_t* ndim);
/* A str copied from an owned string, which is released (NULL gives None). */
PyObject* cgympy_owned_string(char* s);
PyObject* cgympy_event_set_tensor_bytes(cgym_event_t* event, int kind, PyObject* shape,
                                        PyObject* data);
PyObject* cgympy_event_set_string_tensor_list(cgym_event_t* event, PyObject* shape,
                                              PyObject* values);
PyObject* cgympy_event_tensor_bytes(const cgym_event_t* event);
PyObject* cgympy_space_new_box(int kind, PyObject* shape, PyObject* low, PyObject* high);
PyObject* cgympy_space_box_bounds(const cgym_space_t* space);
PyObject* cgympy_send_params(cgym_env_t* env, PyObject* keys, PyObject* values,
                             int resend_on_reset);
PyObject* cgympy_handle_address(PyObject* handle);

/* ---- Callbacks: rewards and sessions written in Python (callbacks.c) -------------------- */

PyObject* cgympy_env_add_python_reward(cgym_env_t* env, const char* name, PyObject* observations,
                                       double default_value, int default_negates_returns,
                                       int deterministic, PyObject* reward);
PyObject* cgympy_service_def_new_python(PyObject* factory);
PyObject* cgympy_service_run(const cgym_service_def_t* def, PyObject* argv, int handle_signals);

/* ---- The step and reset of CompilerEnv (step.c) ----------------------------------------- */

PyObject* cgympy_set_event_converter(PyObject* converter);
PyObject* cgympy_env_step(cgym_env_t* env, PyObject* actions, PyObject* observation_spaces,
                          PyObject* reward_spaces, int single_observation, int single_reward,
                          double timeout);
PyObject* cgympy_env_reset(cgym_env_t* env, double timeout);
/* The call options of a deadline of `timeout` seconds: NULL for the default, a cached object,
 * or a new one in *temporary for the caller to free. 0 with an exception set for NaN. */
int cgympy_call_options_for(double timeout, const cgym_call_options_t** out,
                            cgym_call_options_t** temporary);
/* The `n` items of a PySequence_Fast as events: exact ints become new int64 events (owned[i]
 * set), event handles are borrowed. 0 with an exception set; events[0..*made) set either way. */
int cgympy_actions_to_events(PyObject* seq, Py_ssize_t n, cgym_event_t** events, char* owned,
                             Py_ssize_t* made);
/* (observations, rewards, done, info) of a borrowed step result, as CompilerEnv.step returns
 * them; with single_* the first value instead of a list. */
PyObject* cgympy_step_result_to_py(const cgym_step_result_t* result, int single_observation,
                                   int single_reward);

/* ---- Many envs at once: step queues and vector envs (vector.c) -------------------------- */

/* cgym_step_submit, with the actions and spaces of cgympy_env_step; releases the GIL. */
PyObject* cgympy_step_submit(cgym_step_queue_t* queue, cgym_env_t* env, PyObject* actions,
                             PyObject* observation_spaces, PyObject* reward_spaces, double timeout,
                             unsigned long long tag);
/* cgym_step_queue_next without the GIL; returns (tag, owned result handle). */
PyObject* cgympy_step_queue_next(cgym_step_queue_t* queue, double timeout);
/* cgym_vec_env_reset with a mask (None: every env; else a buffer of num_envs bytes). */
PyObject* cgympy_vec_env_reset(cgym_vec_env_t* vec, PyObject* mask, double timeout);
/* cgym_vec_env_step with the actions in a buffer of int64 (native endianness). */
PyObject* cgympy_vec_env_step(cgym_vec_env_t* vec, PyObject* actions, double timeout);
/* The per-env values of the latest results as (bytearray, width): which 0 rewards (double),
 * 1 dones (uint8), 2 observations as int64, 3 observations as double. */
PyObject* cgympy_vec_env_values(const cgym_vec_env_t* vec, int which);
/* Per env, the info of its latest result (final 0) or of its final result (final 1), or None
 * where there is none: {"action_had_no_effect": bool} (with_flags) plus "error_type" and
 * "error_details" where the step failed. */
PyObject* cgympy_vec_env_infos(const cgym_vec_env_t* vec, int final, int with_flags);
/* Per env, its final result (SAME_STEP) as cgympy_step_result_to_py gives it, or None. */
PyObject* cgympy_vec_env_final_results(const cgym_vec_env_t* vec, int single_observation,
                                       int single_reward);

#endif /* CGYM_PY_H_ */
