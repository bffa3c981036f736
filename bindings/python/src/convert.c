/* SPDX-License-Identifier: MIT */
/* Conversions between Python values and the arrays and buffers of cgym.h. */
#include <stdlib.h>
#include <string.h>

#include "cgym_py.h"

int cgympy_to_string_array(PyObject* seq, const char*** out, size_t* count) {
  Py_ssize_t n, i;
  if (seq == Py_None) {
    *out = NULL;
    *count = 0;
    return 1;
  }
  if (!PySequence_Check(seq) || PyUnicode_Check(seq)) {
    PyErr_SetString(PyExc_TypeError, "expected a sequence of str");
    return 0;
  }
  n = PySequence_Size(seq);
  if (n < 0) return 0;
  *out = (const char**)calloc((size_t)n + 1, sizeof(char*));
  if (*out == NULL) {
    PyErr_NoMemory();
    return 0;
  }
  *count = (size_t)n;
  for (i = 0; i < n; ++i) {
    PyObject* item = PySequence_GetItem(seq, i);
    const char* s = item && PyUnicode_Check(item) ? PyUnicode_AsUTF8(item) : NULL;
    /* The UTF-8 buffer lives as long as the str, which the sequence keeps alive (the caller's
     * sequences are lists or tuples). */
    Py_XDECREF(item);
    if (s == NULL) {
      if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "expected a sequence of str");
      free((void*)*out);
      *out = NULL;
      return 0;
    }
    (*out)[i] = s;
  }
  return 1;
}

int cgympy_to_shape(PyObject* seq, uint64_t** shape, size_t* ndim) {
  Py_ssize_t n, i;
  if (!PySequence_Check(seq)) {
    PyErr_SetString(PyExc_TypeError, "shape must be a sequence of int");
    return 0;
  }
  n = PySequence_Size(seq);
  if (n < 0) return 0;
  *shape = (uint64_t*)calloc((size_t)n + 1, sizeof(uint64_t));
  if (*shape == NULL) {
    PyErr_NoMemory();
    return 0;
  }
  *ndim = (size_t)n;
  for (i = 0; i < n; ++i) {
    PyObject* item = PySequence_GetItem(seq, i);
    unsigned long long v = item ? PyLong_AsUnsignedLongLong(item) : 0;
    Py_XDECREF(item);
    if (PyErr_Occurred()) {
      free(*shape);
      *shape = NULL;
      return 0;
    }
    (*shape)[i] = (uint64_t)v;
  }
  return 1;
}

PyObject* cgympy_owned_string(char* s) {
  PyObject* o;
  if (s == NULL) Py_RETURN_NONE;
  o = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
  cgym_free(s);
  return o;
}

static size_t tensor_item_size(cgym_event_kind_t kind) {
  switch (kind) {
    case CGYM_EVENT_BOOL_TENSOR:
    case CGYM_EVENT_BYTE_TENSOR:
      return 1;
    case CGYM_EVENT_FLOAT_TENSOR:
      return 4;
    case CGYM_EVENT_INT64_TENSOR:
    case CGYM_EVENT_DOUBLE_TENSOR:
      return 8;
    default:
      return 0;
  }
}

static PyObject* raised(cgym_status_t status) {
  cgympy_raise(status);
  return NULL;
}

PyObject* cgympy_event_set_tensor_bytes(cgym_event_t* event, int kind, PyObject* shape,
                                        PyObject* data) {
  uint64_t* s = NULL;
  size_t ndim = 0, item = tensor_item_size((cgym_event_kind_t)kind);
  cgym_status_t status;
  Py_buffer view;
  if (item == 0) {
    PyErr_SetString(PyExc_ValueError, "not a numeric tensor kind");
    return NULL;
  }
  if (!cgympy_to_shape(shape, &s, &ndim)) return NULL;
  if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) != 0) {
    free(s);
    return NULL;
  }
  status = cgym_event_set_tensor(event, (cgym_event_kind_t)kind, s, ndim, view.buf,
                                 (size_t)view.len / item);
  PyBuffer_Release(&view);
  free(s);
  if (status != CGYM_OK) return raised(status);
  Py_RETURN_NONE;
}

PyObject* cgympy_event_set_string_tensor_list(cgym_event_t* event, PyObject* shape,
                                              PyObject* values) {
  uint64_t* s = NULL;
  size_t ndim = 0;
  Py_ssize_t n, i;
  const char** data;
  size_t* lengths;
  cgym_status_t status;
  if (!PyList_Check(values)) {
    PyErr_SetString(PyExc_TypeError, "expected a list of bytes");
    return NULL;
  }
  if (!cgympy_to_shape(shape, &s, &ndim)) return NULL;
  n = PyList_Size(values);
  data = (const char**)calloc((size_t)n + 1, sizeof(char*));
  lengths = (size_t*)calloc((size_t)n + 1, sizeof(size_t));
  if (data == NULL || lengths == NULL) {
    free(s);
    free(data);
    free(lengths);
    return PyErr_NoMemory();
  }
  for (i = 0; i < n; ++i) {
    PyObject* item = PyList_GET_ITEM(values, i);
    if (!PyBytes_Check(item)) {
      free(s);
      free(data);
      free(lengths);
      PyErr_SetString(PyExc_TypeError, "expected a list of bytes");
      return NULL;
    }
    data[i] = PyBytes_AsString(item);
    lengths[i] = (size_t)PyBytes_Size(item);
  }
  status = cgym_event_set_string_tensor(event, s, ndim, data, lengths, (size_t)n);
  free(s);
  free(data);
  free(lengths);
  if (status != CGYM_OK) return raised(status);
  Py_RETURN_NONE;
}

PyObject* cgympy_event_tensor_bytes(const cgym_event_t* event) {
  const void* values = NULL;
  size_t count = 0;
  size_t item = tensor_item_size(cgym_event_kind(event));
  cgym_status_t status = cgym_event_tensor_values(event, &values, &count);
  if (status != CGYM_OK) return raised(status);
  return PyByteArray_FromStringAndSize((const char*)values, (Py_ssize_t)(count * item));
}

/* Reads a sequence of n floats into a new array (free() it); NULL with an exception set. */
static double* to_doubles(PyObject* seq, Py_ssize_t n) {
  Py_ssize_t i;
  double* out = (double*)calloc((size_t)n + 1, sizeof(double));
  if (out == NULL) {
    PyErr_NoMemory();
    return NULL;
  }
  for (i = 0; i < n; ++i) {
    PyObject* item = PySequence_GetItem(seq, i);
    out[i] = item ? PyFloat_AsDouble(item) : 0;
    Py_XDECREF(item);
    if (PyErr_Occurred()) {
      free(out);
      return NULL;
    }
  }
  return out;
}

PyObject* cgympy_space_new_box(int kind, PyObject* shape, PyObject* low, PyObject* high) {
  uint64_t* s = NULL;
  size_t ndim = 0;
  Py_ssize_t n;
  double *lo = NULL, *hi = NULL;
  cgym_space_t* out = NULL;
  cgym_status_t status;
  n = PySequence_Size(low);
  if (n < 0 || PySequence_Size(high) != n) {
    PyErr_Clear();
    PyErr_SetString(PyExc_ValueError, "low and high must be sequences of the same length");
    return NULL;
  }
  if (!cgympy_to_shape(shape, &s, &ndim)) return NULL;
  if ((lo = to_doubles(low, n)) == NULL || (hi = to_doubles(high, n)) == NULL) {
    free(s);
    free(lo);
    return NULL;
  }
  status = cgym_space_new_box(&out, (cgym_space_kind_t)kind, s, ndim, lo, hi, (size_t)n);
  free(s);
  free(lo);
  free(hi);
  if (status != CGYM_OK) return raised(status);
  return cgympy_wrap_space(out);
}

static PyObject* list_of_doubles(const double* values, size_t count) {
  size_t i;
  PyObject* list = PyList_New((Py_ssize_t)count);
  if (list == NULL) return NULL;
  for (i = 0; i < count; ++i) {
    PyObject* v = PyFloat_FromDouble(values[i]);
    if (v == NULL) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, (Py_ssize_t)i, v);
  }
  return list;
}

PyObject* cgympy_space_box_bounds(const cgym_space_t* space) {
  size_t count = 0;
  double *lo, *hi;
  PyObject *l, *h;
  /* A size query first (NULL buffers, capacity 0), then the copy. */
  cgym_status_t status = cgym_space_box_bounds(space, NULL, NULL, 0, &count);
  if (status != CGYM_OK) return raised(status);
  lo = (double*)calloc(count + 1, sizeof(double));
  hi = (double*)calloc(count + 1, sizeof(double));
  if (lo == NULL || hi == NULL) {
    free(lo);
    free(hi);
    return PyErr_NoMemory();
  }
  status = count ? cgym_space_box_bounds(space, lo, hi, count, &count) : CGYM_OK;
  if (status != CGYM_OK) {
    free(lo);
    free(hi);
    return raised(status);
  }
  l = list_of_doubles(lo, count);
  h = l ? list_of_doubles(hi, count) : NULL;
  free(lo);
  free(hi);
  if (h == NULL) {
    Py_XDECREF(l);
    return NULL;
  }
  return Py_BuildValue("(NN)", l, h);
}

PyObject* cgympy_send_params(cgym_env_t* env, PyObject* keys, PyObject* values,
                             int resend_on_reset) {
  const char **k = NULL, **v = NULL;
  size_t nk = 0, nv = 0, i;
  char** replies = NULL;
  cgym_status_t status;
  PyThreadState* saved;
  PyObject* out;
  if (!cgympy_to_string_array(keys, &k, &nk)) return NULL;
  if (!cgympy_to_string_array(values, &v, &nv)) {
    free((void*)k);
    return NULL;
  }
  if (nk != nv) {
    free((void*)k);
    free((void*)v);
    PyErr_SetString(PyExc_ValueError, "keys and values differ in length");
    return NULL;
  }
  saved = PyEval_SaveThread(); /* the service handles the parameters */
  status = cgym_send_params(env, k, v, nk, resend_on_reset, &replies);
  PyEval_RestoreThread(saved);
  free((void*)k);
  free((void*)v);
  if (status != CGYM_OK) return raised(status);
  out = PyList_New((Py_ssize_t)nk);
  for (i = 0; out != NULL && i < nk; ++i) {
    const char* r = replies && replies[i] ? replies[i] : "";
    PyObject* reply = PyUnicode_DecodeUTF8(r, (Py_ssize_t)strlen(r), "replace");
    if (reply == NULL) {
      Py_CLEAR(out);
      break;
    }
    PyList_SET_ITEM(out, (Py_ssize_t)i, reply);
  }
  cgym_free_strings(replies, nk);
  return out;
}

PyObject* cgympy_handle_address(PyObject* handle) {
  void* p = NULL;
  if (!cgympy_unwrap_any(handle, &p)) {
    PyErr_SetString(PyExc_TypeError, "not a handle");
    return NULL;
  }
  return PyLong_FromVoidPtr(p);
}
