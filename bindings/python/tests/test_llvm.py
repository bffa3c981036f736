# SPDX-License-Identifier: MIT
"""The LLVM environment (services/llvm) from Python: in-process through its session plugin
(libcgym-llvm.so loaded with cgym.runtime.register_plugin), and as a managed service
(cgym-llvm-service); the same episode through both gives the same observations.

The service binary comes from $CGYM_LLVM_SERVICE, else where libcgym finds it
(cgym.env_service_path: the package's own, or next to the build's libcgym); the plugin from
$CGYM_LLVM_PLUGIN, else libcgym-llvm.so next to the service binary. LLVM is optional: when the
variable is unset and no service is found, these tests are skipped; a variable naming a
missing file fails them (a typo must not pass as a skip).
"""

import os
import re
from pathlib import Path

import numpy as np
import pytest

import cgym
from cgym import _cgym

FIBONACCI = "benchmark://cgym-v0/fibonacci"
INT64_MAX = 2**63 - 1


@pytest.fixture(scope="module")
def llvm_service() -> Path:
    value = os.environ.get("CGYM_LLVM_SERVICE")
    if not value:
        try:
            value = cgym.env_service_path("llvm-v0")
        except cgym.EnvironmentNotSupported as e:
            pytest.skip(f"$CGYM_LLVM_SERVICE is not set and {e}")
    path = Path(value).resolve()
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"$CGYM_LLVM_SERVICE={value!r} is not an executable file", pytrace=False)
    return path


@pytest.fixture(scope="module")
def llvm_plugin(llvm_service) -> Path:
    value = os.environ.get("CGYM_LLVM_PLUGIN")
    path = Path(value) if value else llvm_service.parent / "libcgym-llvm.so"
    if not path.is_file():
        pytest.fail(
            f"The LLVM session plugin was not found at {path}: set CGYM_LLVM_PLUGIN", pytrace=False
        )
    return path


@pytest.fixture(scope="module")
def inproc(llvm_plugin):
    endpoint = cgym.runtime.register_plugin("py-llvm", llvm_plugin)
    assert endpoint == "inproc:py-llvm"
    yield endpoint
    cgym.runtime.unregister_in_process("py-llvm")


def _fields(message: bytes, number: int) -> list[bytes]:
    """The length-delimited fields `number` of a protobuf message."""

    def varint(i):
        value, shift = 0, 0
        while True:
            byte = message[i]
            value |= (byte & 0x7F) << shift
            shift += 7
            i += 1
            if byte < 0x80:
                return value, i

    out, i = [], 0
    while i < len(message):
        key, i = varint(i)
        wire = key & 7
        if wire == 0:
            _, i = varint(i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            length, i = varint(i)
            if key >> 3 == number:
                out.append(message[i : i + length])
            i += length
        else:
            raise ValueError(f"unexpected wire type {wire}")
    return out


def action_names(env: cgym.CompilerEnv) -> list[str]:
    """The flags of the PassesAll space. The environment sends a CommandlineSpace packed in the
    space's any_value, which the binding shows as an opaque Any space: its names are read from
    the serialized ActionSpace (space = 2, Space.any_value = 24, Any.value = 2,
    CommandlineSpace.name = 1). A NamedDiscrete space, should the client unpack it, is read
    directly."""
    if isinstance(env.action_space, cgym.spaces.NamedDiscrete):
        return list(env.action_space.names)
    message = _cgym.cgym_action_space_serialize(_cgym.cgym_env_action_space(env._handle()))
    for number in (2, 24, 2):
        (message,) = _fields(message, number)
    return [name.decode() for name in _fields(message, 1)]


OBSERVED = ("Ir", "IrSha1", "InstCount", "Autophase", "IrInstructionCount")


def observe_all(env) -> dict:
    return {name: env.observation[name] for name in OBSERVED}


def run_episode(endpoint) -> dict:
    """The short episode on fibonacci, checked as it goes; returns what it observed."""
    seen = {}
    with cgym.CompilerEnv(endpoint, benchmark=FIBONACCI) as env:
        assert env.reset() is None  # no default observation space
        assert env.action_space.name == "PassesAll"
        names = action_names(env)
        assert len(names) == 124
        assert names[0] == "-add-discriminators"
        mem2reg = names.index("-mem2reg")
        instcombine = names.index("-instcombine")
        assert (mem2reg, instcombine) == (103, 53)  # CompilerGym's indices

        seen["start"] = observe_all(env)
        start = seen["start"]["IrInstructionCount"]
        assert isinstance(start, int) and start > 10

        _, _, done, info = env.step(mem2reg)
        assert not done and info["action_had_no_effect"] is False
        after = env.observation["IrInstructionCount"]
        assert after < start
        # Again: nothing left to promote.
        (count,), _, done, info = env.raw_step([mem2reg], ["IrInstructionCount"], [])
        assert not done and info["action_had_no_effect"] is True
        assert count == after

        seen["mem2reg"] = obs = observe_all(env)
        inst_count = obs["InstCount"]
        assert inst_count.dtype == np.int64 and inst_count.shape == (70,)
        assert inst_count[0] == obs["IrInstructionCount"] == after
        assert obs["Autophase"].dtype == np.int64 and obs["Autophase"].shape == (56,)
        assert isinstance(obs["Ir"], str) and "define" in obs["Ir"]
        assert re.fullmatch(r"[0-9a-f]{40}", obs["IrSha1"]), obs["IrSha1"]
        # Unbounded int64 boxes: INT64_MAX survives the bounds' trip through doubles.
        space = env.observation.spaces["InstCount"].space
        assert space.shape == (70,) and (space.low == 0).all() and (space.high == INT64_MAX).all()

        assert env.send_param("llvm.get_action_timeout_seconds", "") == "60"

        fork = env.fork()
        try:
            assert fork.observation["Ir"] == obs["Ir"]
            _, _, done, info = fork.step(instcombine)
            assert not done and info["action_had_no_effect"] is False
            seen["fork"] = observe_all(fork)
            assert seen["fork"]["Ir"] != obs["Ir"]
        finally:
            fork.close()
        assert env.observation["Ir"] == obs["Ir"]
        assert env.observation["IrSha1"] == obs["IrSha1"]
        assert env.episode_actions() == [mem2reg, mem2reg]
    return seen


def test_inprocess_episode(inproc):
    run_episode(inproc)


def test_service_and_inprocess_observe_the_same(inproc, llvm_service):
    inprocess = run_episode(inproc)
    service = run_episode(str(llvm_service))
    assert inprocess.keys() == service.keys()
    for stage in inprocess:
        for name in OBSERVED:
            a, b = inprocess[stage][name], service[stage][name]
            if isinstance(a, np.ndarray):
                np.testing.assert_array_equal(a, b, err_msg=f"{stage}/{name}")
            else:
                assert a == b, f"{stage}/{name}"


@pytest.mark.parametrize("kind", ["inproc", "service"])
def test_errors(kind, inproc, llvm_service):
    endpoint = inproc if kind == "inproc" else str(llvm_service)
    with cgym.CompilerEnv(endpoint, benchmark=FIBONACCI) as env:
        env.reset()
        for action in (124, -1):
            with pytest.raises(ValueError, match=f"^Action out of range: {action}$") as caught:
                env.step(action)
            assert caught.value.code == cgym.errors.INVALID_ARGUMENT
        # The episode goes on.
        _, _, done, _ = env.step(action_names(env).index("-mem2reg"))
        assert not done

        # A program that does not parse: INVALID_ARGUMENT with LLVM's diagnostic (a plain
        # ValueError; CompilerGym's own client would raise BenchmarkInitError, also a
        # ValueError), and no episode.
        bad = cgym.Benchmark("benchmark://test/bad", b"not LLVM")
        with pytest.raises(ValueError, match="expected top-level entity") as caught:
            env.reset(benchmark=bad)
        assert caught.value.code == cgym.errors.INVALID_ARGUMENT
        assert type(caught.value) is ValueError
        assert not env.in_episode


def _varint(value: int) -> bytes:
    assert value >= 0
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _int64_tensor(values) -> bytes:
    """An Int64Tensor of shape [len(values)] (shape = 1, sint64 value = 2, unpacked)."""
    out = _varint(1 << 3) + _varint(len(values))
    for v in values:
        out += _varint(2 << 3) + _varint(((v << 1) ^ (v >> 63)) & (2**64 - 1))
    return out


def _ld(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def test_int64_box_bounds_saturate():
    """libcgym hands box bounds over as doubles, and INT64_MAX becomes 2**63 there: the binding
    saturates instead of wrapping to INT64_MIN (the LLVM environment's InstCount and Autophase
    are such boxes). Needs no LLVM: the space is parsed from ObservationSpace bytes (name = 1,
    space = 2, Space.int64_box = 21, Int64Box low = 1, high = 2)."""
    box = _ld(1, _int64_tensor([0, -(2**63)])) + _ld(2, _int64_tensor([INT64_MAX, 7]))
    data = _ld(1, b"box") + _ld(2, _ld(21, box))
    space = cgym.messages.observation_space_from_bytes(data).space
    assert space.dtype == np.int64 and space.shape == (2,)
    assert space.low.tolist() == [0, -(2**63)]
    assert space.high.tolist() == [INT64_MAX, 7]
