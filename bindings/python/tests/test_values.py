# SPDX-License-Identifier: MIT
"""Observation values through the client: numpy dtypes and shapes for every tensor kind,
strings, bytes, scalars, lists and dicts, from a Python session (in-process and over gRPC),
and the events <-> Python conversion itself."""

import numpy as np
import pytest

import cgym
from cgym import _convert
from cgym.runtime import ActionSpace, CompilationSession, ObservationSpace
from cgym.spaces import Box, Dict, Discrete, Scalar, Sequence, Tuple
from conftest import register_inproc, write_launcher

VALUES = {
    "bool_tensor": np.array([[True, False, True], [False, False, True]]),
    "byte_tensor": np.array([[-1, 2], [3, -128]], dtype=np.int8),
    "int64_tensor": np.arange(24, dtype=np.int64).reshape(2, 3, 4) - 5,
    "float_tensor": np.array([[0.5, -1.25]], dtype=np.float32),
    "double_tensor": np.array([1.5, np.pi, -1e300]),
    "string_tensor": np.array([["a", "bé"], ["", "d"]], dtype=object),
    "string": "Hello, wörld!",
    "bytes": b"\x00\x01\xffbytes",
    "bool": True,
    "int": -(2**62),
    "float": np.float32(1.5),
    "double": 2.25,
    "list": [1, "two", 3.0],
    "dict": {"a": 1, "b": "x"},
    "none": None,
    # Stored into the session's event with cgym_event_set_list/_dict/_any.
    "empty_list": [],
    "empty_dict": {},
    "any": cgym.AnyValue("type.googleapis.com/x.Y", b"\x00ab"),
}


def _space_of(name):
    # The declared spaces only describe the values; the runtime does not check observations
    # against them.
    return Sequence(name=name, size_range=(0, None), dtype=bytes)


class ValuesSession(CompilationSession):
    compiler_version = "values"
    action_spaces = [ActionSpace("default", Discrete(2, name="default"))]
    observation_spaces = [ObservationSpace(name, _space_of(name)) for name in VALUES]

    def apply_action(self, action):
        return False, None, False

    def get_observation(self, observation_space):
        return VALUES[observation_space.name]


def _check(name, value):
    expected = VALUES[name]
    if isinstance(expected, np.ndarray):
        assert isinstance(value, np.ndarray), name
        assert value.shape == expected.shape, name
        assert value.dtype == (np.dtype(bool) if expected.dtype == bool else expected.dtype), name
        assert value.tolist() == expected.tolist(), name
    elif name == "bytes":
        # bytes travel as a BYTE_TENSOR (CompilerGym's converter reads byte tensors as int8).
        assert value.dtype == np.int8 and value.shape == (len(expected),)
        assert value.tobytes() == expected
    elif name == "float":
        assert isinstance(value, float) and value == 1.5
    else:
        assert type(value) is type(expected) and value == expected, name


@pytest.fixture(params=["inproc", "managed"])
def values_env(request, tmp_path):
    if request.param == "inproc":
        endpoint = register_inproc(ValuesSession, "values")
    else:
        endpoint = write_launcher(tmp_path, "test_values", "ValuesSession", "values-service")
    with cgym.CompilerEnv(str(endpoint), benchmark="benchmark://values/x") as env:
        env.reset()
        yield env


@pytest.mark.parametrize("name", list(VALUES))
def test_observation_values(values_env, name):
    _check(name, values_env.observation[name])


def test_step_returns_all_values(values_env):
    names = list(VALUES)
    observations, rewards, done, info = values_env.step(
        0, observation_spaces=names, reward_spaces=[]
    )
    assert rewards == [] and not done
    for name, value in zip(names, observations):
        _check(name, value)


@pytest.mark.parametrize("name", [n for n in VALUES if n not in ("bytes", "none")])
def test_event_round_trip(name):
    event = _convert.new_event(VALUES[name])
    try:
        _check(name, _convert.event_to_py(event))
    finally:
        cgym._cgym.cgym_event_free(event)


def test_space_round_trip():
    spaces = [
        Discrete(7, name="d"),
        cgym.spaces.NamedDiscrete(["x", "y"], name="n"),
        Scalar(name="s", min=0, max=np.inf, dtype=np.float64),
        Scalar(name="i", min=-3, max=9, dtype=np.int64),
        Sequence(name="str", size_range=(0, 2**63 - 1), dtype=str),
        Box(low=-1.0, high=1.0, shape=(2, 2), dtype=np.float32, name="b"),
        Box(low=0, high=10, shape=(3,), dtype=np.int64, name="bi"),
    ]
    for space in spaces:
        handle = _convert.space_from_py(space)
        try:
            back = _convert.space_to_py(handle, space.name)
        finally:
            cgym._cgym.cgym_space_free(handle)
        assert back == space, (back, space)
    d = Dict({"a": Discrete(2), "b": Scalar(min=0, max=1)}, name="dict")
    handle = _convert.space_from_py(d)
    try:
        back = _convert.space_to_py(handle, "dict")
    finally:
        cgym._cgym.cgym_space_free(handle)
    assert isinstance(back, Dict) and set(back.spaces) == {"a", "b"}
    t = Tuple([Discrete(2), Discrete(3)], name="t")
    handle = _convert.space_from_py(t)
    try:
        back = _convert.space_to_py(handle, "t")
    finally:
        cgym._cgym.cgym_space_free(handle)
    assert isinstance(back, Tuple) and [s.n for s in back.spaces] == [2, 3]


def test_nested_and_any_round_trip():
    for value in (
        [],
        {},
        [[], {"a": [1, 2.5]}],
        cgym.AnyValue("type.googleapis.com/x.Y", b"ab"),
        {"k": cgym.AnyValue("t/u", b"")},
    ):
        event = _convert.new_event(value)
        try:
            assert _convert.event_to_py(event) == value
        finally:
            cgym._cgym.cgym_event_free(event)
