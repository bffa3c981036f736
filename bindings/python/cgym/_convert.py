# SPDX-License-Identifier: MIT
"""Conversions between libcgym handles (events, spaces) and Python values (docs/python.md)."""

import math
from collections import namedtuple

import numpy as np

from . import _cgym as C
from . import spaces as S

AnyValue = namedtuple("AnyValue", ["type_url", "data"])

_TENSOR_DTYPES = {
    C.CGYM_EVENT_BOOL_TENSOR: np.uint8,  # read as uint8, returned as bool
    C.CGYM_EVENT_BYTE_TENSOR: np.int8,
    C.CGYM_EVENT_INT64_TENSOR: np.int64,
    C.CGYM_EVENT_FLOAT_TENSOR: np.float32,
    C.CGYM_EVENT_DOUBLE_TENSOR: np.float64,
}


# ---- Events to Python ----------------------------------------------------------------------


def event_to_py(event):
    """The Python value of an event handle (borrowed): None, bool, int, float, str, numpy
    arrays of their shapes (bool, int8, int64, float32, float64, object for strings), list,
    dict, or AnyValue(type_url, data)."""
    kind = C.cgym_event_kind(event)
    if kind == C.CGYM_EVENT_NONE:
        return None
    if kind == C.CGYM_EVENT_BOOL:
        return bool(C.cgym_event_get_bool(event))
    if kind == C.CGYM_EVENT_INT64:
        return int(C.cgym_event_get_int64(event))
    if kind == C.CGYM_EVENT_FLOAT:
        return float(C.cgym_event_get_float(event))
    if kind == C.CGYM_EVENT_DOUBLE:
        return float(C.cgym_event_get_double(event))
    if kind == C.CGYM_EVENT_STRING:
        return C.cgym_event_get_string(event).decode("utf-8")
    if kind in _TENSOR_DTYPES:
        shape = C.cgym_event_tensor_shape(event)
        data = C.event_tensor_bytes(event)
        array = np.frombuffer(data, dtype=_TENSOR_DTYPES[kind]).reshape(shape)
        if kind == C.CGYM_EVENT_BOOL_TENSOR:
            array = array.astype(bool)
        return array
    if kind == C.CGYM_EVENT_STRING_TENSOR:
        shape = C.cgym_event_tensor_shape(event)
        count = C.cgym_event_tensor_count(event)
        values = [C.cgym_event_string_tensor_at(event, i).decode("utf-8") for i in range(count)]
        array = np.empty(count, dtype=object)
        array[:] = values
        return array.reshape(shape)
    if kind == C.CGYM_EVENT_LIST:
        n = C.cgym_event_list_count(event)
        return [event_to_py(C.cgym_event_list_at(event, i)) for i in range(n)]
    if kind == C.CGYM_EVENT_DICT:
        n = C.cgym_event_dict_count(event)
        out = {}
        for i in range(n):
            key, value = C.cgym_event_dict_at(event, i)
            out[key] = event_to_py(value)
        return out
    if kind == C.CGYM_EVENT_ANY:
        type_url, data = C.cgym_event_get_any(event)
        return AnyValue(type_url, data)
    raise TypeError(f"Unknown event kind {kind}")


# env_step (the step in C) converts scalars and strings itself, and every other
# observation with event_to_py.
C.set_event_converter(event_to_py)


def owned_event_to_py(event):
    """Converts and frees an owned event (None stays None)."""
    if event is None:
        return None
    try:
        return event_to_py(event)
    finally:
        C.cgym_event_free(event)


# ---- Python to events ----------------------------------------------------------------------


def fill_event(event, value):
    """Sets an existing event handle to a Python value."""
    if value is None:
        C.cgym_event_clear(event)
    elif isinstance(value, (bool, np.bool_)):
        C.cgym_event_set_bool(event, int(bool(value)))
    elif isinstance(value, (int, np.integer)):
        C.cgym_event_set_int64(event, int(value))
    elif isinstance(value, np.float32):
        C.cgym_event_set_float(event, float(value))
    elif isinstance(value, (float, np.floating)):
        C.cgym_event_set_double(event, float(value))
    elif isinstance(value, str):
        C.cgym_event_set_string(event, value)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        C.event_set_tensor_bytes(event, C.CGYM_EVENT_BYTE_TENSOR, [len(data)], data)
    elif isinstance(value, AnyValue):
        C.cgym_event_set_any(event, value.type_url, bytes(value.data))
    elif isinstance(value, np.ndarray):
        _fill_tensor(event, value)
    elif isinstance(value, (list, tuple, dict)):
        if isinstance(value, dict):
            C.cgym_event_set_dict(event)
        else:
            C.cgym_event_set_list(event)
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for key, item in items:
            child = new_event(item)
            try:
                if key is None:
                    C.cgym_event_list_append(event, child)
                else:
                    C.cgym_event_dict_set(event, str(key), child)
            finally:
                C.cgym_event_free(child)
    else:
        raise TypeError(f"Cannot convert a value of type {type(value).__name__} to an event")


def _fill_tensor(event, array: np.ndarray):
    shape = [int(d) for d in array.shape]
    if array.dtype == np.bool_:
        C.event_set_tensor_bytes(
            event,
            C.CGYM_EVENT_BOOL_TENSOR,
            shape,
            np.ascontiguousarray(array, dtype=np.uint8).tobytes(),
        )
    elif array.dtype in (np.int8, np.uint8):
        C.event_set_tensor_bytes(
            event,
            C.CGYM_EVENT_BYTE_TENSOR,
            shape,
            np.ascontiguousarray(array).astype(np.int8).tobytes(),
        )
    elif np.issubdtype(array.dtype, np.integer):
        C.event_set_tensor_bytes(
            event,
            C.CGYM_EVENT_INT64_TENSOR,
            shape,
            np.ascontiguousarray(array, dtype=np.int64).tobytes(),
        )
    elif array.dtype == np.float32:
        C.event_set_tensor_bytes(
            event, C.CGYM_EVENT_FLOAT_TENSOR, shape, np.ascontiguousarray(array).tobytes()
        )
    elif np.issubdtype(array.dtype, np.floating):
        C.event_set_tensor_bytes(
            event,
            C.CGYM_EVENT_DOUBLE_TENSOR,
            shape,
            np.ascontiguousarray(array, dtype=np.float64).tobytes(),
        )
    elif array.dtype == object or array.dtype.kind in ("U", "S"):
        values = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in array.flat]
        C.event_set_string_tensor_list(event, shape, values)
    else:
        raise TypeError(f"Cannot convert an array of dtype {array.dtype} to an event")


def new_event(value):
    """A new owned event handle holding a Python value (free with cgym_event_free)."""
    event = C.cgym_event_new()
    try:
        fill_event(event, value)
    except BaseException:
        C.cgym_event_free(event)
        raise
    return event


# ---- Spaces --------------------------------------------------------------------------------

_RANGE_DTYPES = {
    C.CGYM_SPACE_BOOL_RANGE: np.bool_,
    C.CGYM_SPACE_INT64_RANGE: np.int64,
    C.CGYM_SPACE_FLOAT_RANGE: np.float32,
    C.CGYM_SPACE_DOUBLE_RANGE: np.float64,
}
_BOX_DTYPES = {
    C.CGYM_SPACE_BOOL_BOX: np.bool_,
    C.CGYM_SPACE_BYTE_BOX: np.int8,
    C.CGYM_SPACE_INT64_BOX: np.int64,
    C.CGYM_SPACE_FLOAT_BOX: np.float32,
    C.CGYM_SPACE_DOUBLE_BOX: np.float64,
}
_SEQUENCE_DTYPES = {
    C.CGYM_SPACE_BOOL_SEQUENCE: np.bool_,
    C.CGYM_SPACE_BYTE_SEQUENCE: np.int8,
    C.CGYM_SPACE_BYTES_SEQUENCE: bytes,
    C.CGYM_SPACE_INT64_SEQUENCE: np.int64,
    C.CGYM_SPACE_FLOAT_SEQUENCE: np.float32,
    C.CGYM_SPACE_DOUBLE_SEQUENCE: np.float64,
    C.CGYM_SPACE_STRING_SEQUENCE: str,
}
_SCALAR_KIND = {
    np.bool_: C.CGYM_SPACE_BOOL_RANGE,
    np.int64: C.CGYM_SPACE_INT64_RANGE,
    np.float32: C.CGYM_SPACE_FLOAT_RANGE,
    np.float64: C.CGYM_SPACE_DOUBLE_RANGE,
}


def _scalar_of(space, name, dtype):
    if dtype in (np.int64, np.int8):
        lo, has_lo, hi, has_hi = C.cgym_space_int64_range(space)
    else:
        lo, has_lo, hi, has_hi = C.cgym_space_range(space)
    if dtype == np.bool_:
        lo, hi = bool(lo), bool(hi)
    return S.Scalar(name=name, min=lo, max=hi, dtype=dtype)


def _subspace(space, index):
    # (key, subspace): a NULL key (a list's item) comes back as the subspace alone.
    result = C.cgym_space_subspace_at(space, index)
    return tuple(result) if isinstance(result, list) else (None, result)


def space_to_py(space, name=""):
    """A gymnasium space (cgym.spaces) from a space handle (borrowed). A space with a type_id
    (e.g. "permutation") has it as its ``type_id`` attribute."""
    result = _space_to_py(space, name)
    type_id = C.cgym_space_type_id(space)
    if type_id:
        result.type_id = type_id
    return result


def _space_to_py(space, name):
    kind = C.cgym_space_kind(space)
    if kind == C.CGYM_SPACE_DISCRETE:
        return S.Discrete(C.cgym_space_discrete_n(space), name=name)
    if kind == C.CGYM_SPACE_NAMED_DISCRETE:
        n = C.cgym_space_name_count(space)
        return S.NamedDiscrete([C.cgym_space_name_at(space, i) for i in range(n)], name=name)
    if kind in _RANGE_DTYPES:
        return _scalar_of(space, name, _RANGE_DTYPES[kind])
    if kind == C.CGYM_SPACE_STRING:
        lo, hi = C.cgym_space_length_range(space)
        return S.Sequence(name=name, size_range=(lo, S.INT64_MAX if hi < 0 else hi), dtype=str)
    if kind in _SEQUENCE_DTYPES:
        dtype = _SEQUENCE_DTYPES[kind]
        lo, hi = C.cgym_space_length_range(space)
        scalar = None
        if dtype not in (bytes, str):
            scalar = _scalar_of(space, "", np.int64 if dtype == np.int8 else dtype)
        return S.Sequence(
            name=name, size_range=(lo, None if hi < 0 else hi), dtype=dtype, scalar_range=scalar
        )
    if kind in _BOX_DTYPES:
        dtype = _BOX_DTYPES[kind]
        shape = tuple(C.cgym_space_box_shape(space))
        low, high = C.space_box_bounds_py(space)
        low = np.array(low, dtype=np.float64).reshape(shape)
        high = np.array(high, dtype=np.float64).reshape(shape)
        if dtype == np.bool_:
            return S.Box(low=0, high=1, name=name, shape=shape, dtype=np.bool_)
        if np.issubdtype(dtype, np.integer):
            return S.Box(
                low=_saturated(low, dtype),
                high=_saturated(high, dtype),
                name=name,
                shape=shape,
                dtype=dtype,
            )
        return S.Box(
            low=low.astype(dtype), high=high.astype(dtype), name=name, shape=shape, dtype=dtype
        )
    if kind in (C.CGYM_SPACE_LIST, C.CGYM_SPACE_SPACE_UNION, C.CGYM_SPACE_DICT):
        n = C.cgym_space_subspace_count(space)
        items = [_subspace(space, i) for i in range(n)]
        if kind == C.CGYM_SPACE_DICT:
            return S.Dict({key: space_to_py(sub, key) for key, sub in items}, name=name)
        return S.Tuple([space_to_py(sub) for _, sub in items], name=name)
    if kind == C.CGYM_SPACE_SPACE_SEQUENCE:
        lo, hi = C.cgym_space_length_range(space)
        _, sub = _subspace(space, 0)
        return S.SpaceSequence(
            name=name, space=space_to_py(sub), size_range=(lo, None if hi < 0 else hi)
        )
    if kind == C.CGYM_SPACE_ANY:
        return S.Any(name=name)
    raise TypeError(f"Unsupported space kind {kind}")


def _saturated(values, dtype):
    """Integer bounds from doubles, saturated at the type's limits: INT64_MAX as a double is
    2**63, which a plain cast turns into INT64_MIN (e.g. the LLVM environment's InstCount)."""
    info = np.iinfo(dtype)
    big = values >= float(info.max)
    small = values <= float(info.min)
    out = np.where(big | small, 0, values).astype(dtype)
    out[big] = info.max
    out[small] = info.min
    return out


def _bound(value, has):
    return (0.0, 0) if value is None or not has else (float(value), 1)


def space_from_py(space):
    """A new owned space handle from a cgym.spaces (or gymnasium) space."""
    import gymnasium

    if isinstance(space, S.NamedDiscrete):
        return C.cgym_space_new_named_discrete(list(space.names))
    if isinstance(space, gymnasium.spaces.Discrete):
        return C.cgym_space_new_discrete(int(space.n))
    if isinstance(space, S.Scalar):
        kind = _SCALAR_KIND.get(np.dtype(space.dtype).type)
        if kind is None:
            raise TypeError(f"Unsupported scalar dtype {space.dtype}")
        lo, has_lo = _bound(
            space.min,
            space.min is not None and not (isinstance(space.min, float) and math.isinf(space.min)),
        )
        hi, has_hi = _bound(
            space.max,
            space.max is not None and not (isinstance(space.max, float) and math.isinf(space.max)),
        )
        return C.cgym_space_new_range(kind, lo, has_lo, hi, has_hi)
    if isinstance(space, S.Sequence):
        lo, hi = space.size_range
        hi = -1 if hi is None or hi >= S.INT64_MAX else int(hi)
        if space.dtype is str:
            return C.cgym_space_new_string(int(lo), hi)
        kinds = {v: k for k, v in _SEQUENCE_DTYPES.items()}
        kind = kinds.get(space.dtype if space.dtype in (bytes, str) else np.dtype(space.dtype).type)
        if kind is None:
            raise TypeError(f"Unsupported sequence dtype {space.dtype}")
        r = space.scalar_range
        smin, has_smin = _bound(r.min if r else None, r is not None and r.min is not None)
        smax, has_smax = _bound(r.max if r else None, r is not None and r.max is not None)
        return C.cgym_space_new_sequence(kind, int(lo), hi, smin, has_smin, smax, has_smax)
    if isinstance(space, gymnasium.spaces.Box):
        kinds = {v: k for k, v in _BOX_DTYPES.items()}
        kind = kinds.get(np.dtype(space.dtype).type)
        if kind is None:
            raise TypeError(f"Unsupported box dtype {space.dtype}")
        return C.space_new_box_py(
            kind,
            [int(d) for d in space.shape],
            [float(v) for v in np.asarray(space.low).flat],
            [float(v) for v in np.asarray(space.high).flat],
        )
    if isinstance(space, (gymnasium.spaces.Dict, gymnasium.spaces.Tuple)):
        is_dict = isinstance(space, gymnasium.spaces.Dict)
        out = C.cgym_space_new_composite(C.CGYM_SPACE_DICT if is_dict else C.CGYM_SPACE_LIST)
        items = space.spaces.items() if is_dict else ((None, s) for s in space.spaces)
        try:
            for key, sub in items:
                child = space_from_py(sub)
                try:
                    C.cgym_space_add(out, key, child)
                finally:
                    C.cgym_space_free(child)
        except BaseException:
            C.cgym_space_free(out)
            raise
        return out
    raise TypeError(f"Unsupported space {space!r}")
