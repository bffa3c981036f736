/* SPDX-License-Identifier: MIT */
/* Status codes to Python exceptions, and Python exceptions (raised in callbacks) to codes. */
#include <string.h>

#include "cgym_py.h"

static PyObject* g_error_factory = NULL;

/* Key of the per-thread slot holding the exception a Python reward raised, re-raised when the
 * call that ran the reward returns that error. */
#define CGYM_PENDING_KEY "cgym._pending_exception"

int cgympy_python_alive(void) {
  if (!Py_IsInitialized()) return 0;
#if PY_VERSION_HEX >= 0x030D0000
  return !Py_IsFinalizing();
#else
  return !_Py_IsFinalizing();
#endif
}

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

void cgympy_raise(cgym_status_t code) {
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

/* CompilerGym's table of exceptions to status codes, first match wins, with FileNotFoundError
 * mapped to NOT_FOUND rather than UNIMPLEMENTED. Anything else is CGYM_CALLBACK_ERROR. */
static cgym_status_t status_of_exception(PyObject* type) {
  if (PyErr_GivenExceptionMatches(type, PyExc_ValueError)) return CGYM_INVALID_ARGUMENT;
  if (PyErr_GivenExceptionMatches(type, PyExc_FileNotFoundError)) return CGYM_NOT_FOUND;
  if (PyErr_GivenExceptionMatches(type, PyExc_LookupError)) return CGYM_NOT_FOUND;
  if (PyErr_GivenExceptionMatches(type, PyExc_NotImplementedError)) return CGYM_UNIMPLEMENTED;
  if (PyErr_GivenExceptionMatches(type, PyExc_TypeError)) return CGYM_FAILED_PRECONDITION;
  if (PyErr_GivenExceptionMatches(type, PyExc_TimeoutError)) return CGYM_DEADLINE_EXCEEDED;
  return CGYM_CALLBACK_ERROR;
}

static void keep_pending(cgym_status_t code, const char* message, PyObject* value,
                         PyObject* traceback) {
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

cgym_status_t cgympy_report_python_error(int keep) {
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
  if (keep && value != NULL) keep_pending(code, message, value, traceback);
  Py_XDECREF(text);
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  PyErr_Clear();
  return code;
}

PyObject* cgympy_set_error_factory(PyObject* factory) {
  Py_XINCREF(factory);
  Py_XDECREF(g_error_factory);
  g_error_factory = factory;
  Py_RETURN_NONE;
}

int cgympy_status_parent(int code) { return (int)cgym_status_parent((cgym_status_t)code); }

PyObject* cgympy_raise_status(int code, const char* message) {
  cgym_set_error((cgym_status_t)code, message);
  cgympy_raise((cgym_status_t)code);
  return NULL;
}

int cgympy_set_error(int code, const char* message) {
  return (int)cgym_set_error((cgym_status_t)code, message);
}
