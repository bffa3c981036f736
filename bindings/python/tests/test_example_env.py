# SPDX-License-Identifier: MIT
"""CompilerGym's client behaviour against the example service (C binary, and the same session
written in Python) driven through cgym.CompilerEnv, managed, unmanaged and in-process."""

import socket
import subprocess
import time

import numpy as np
import pytest

import cgym
from cgym.spaces import Box, NamedDiscrete, Scalar, Sequence
from example_session import make_example_env

FOO = "benchmark://example-compiler-v0/foo"


@pytest.fixture
def env(endpoint):
    with make_example_env(endpoint) as env:
        yield env


# ---- 1, 2, 23, 24: the service binary's command line ---------------------------------------


def test_01_positional_argument_fails(service_binary):
    p = subprocess.run([str(service_binary), "foobar"], capture_output=True, text=True, timeout=10)
    assert p.returncode == 1
    assert "ERROR:" in p.stderr and "'foobar'" in p.stderr


def test_02_unknown_flag_fails(service_binary):
    p = subprocess.run(
        [str(service_binary), "--foobar"], capture_output=True, text=True, timeout=10
    )
    assert p.returncode == 1
    assert ("ERROR:" in p.stderr or "FATAL" in p.stderr) and "'foobar'" in p.stderr


def _wait_for_files(paths, timeout=10):
    deadline = time.monotonic() + timeout
    while not all(p.is_file() and p.read_text().strip() for p in paths):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_23_working_dir_is_created(service_binary, tmp_path):
    wd = tmp_path / "subdir"
    p = subprocess.Popen([str(service_binary), "--working_dir", str(wd)])
    try:
        assert _wait_for_files([wd / "pid.txt", wd / "port.txt"])
    finally:
        p.terminate()
        assert p.wait(timeout=30) == 0


def test_24_fixed_port(service_binary, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.Popen([str(service_binary), "--port", str(port), "--working_dir", str(tmp_path)])
    try:
        assert _wait_for_files([tmp_path / "port.txt"])
        assert int((tmp_path / "port.txt").read_text()) == port
        with socket.socket() as s, pytest.raises(OSError):
            s.bind(("127.0.0.1", port))
    finally:
        p.terminate()
        assert p.wait(timeout=30) == 0


# ---- 3-22: the env ---------------------------------------------------------------------------


def test_03_versions(env):
    assert env.compiler_version == "1.0.0"
    assert env.version == "0.2.5"


def test_04_action_spaces(env):
    assert len(env.action_spaces) == 1
    space = env.action_spaces[0]
    assert space.name == "default"
    assert isinstance(space, NamedDiscrete)
    assert space.names == ["a", "b", "c"]
    assert env.action_space == space


def test_05_observation_spaces(env):
    env.reset()
    spaces = env.observation.spaces
    assert set(spaces) == {"ir", "features", "runtime"}
    assert spaces["ir"].space == Sequence(name="ir", size_range=(0, 2**63 - 1), dtype=str)
    features = spaces["features"].space
    assert isinstance(features, Box) and features.name == "features"
    assert features.shape == (3,) and features.dtype == np.int64
    assert (features.low == -100).all() and (features.high == 100).all()
    assert spaces["runtime"].space == Scalar(name="runtime", min=0, max=np.inf, dtype=np.float64)


def test_06_reward_spaces(env):
    assert set(env.reward.spaces) == {"runtime"}


def test_07_step_before_reset(env):
    with pytest.raises(cgym.SessionNotFound, match=r"Must call reset\(\) before step\(\)"):
        env.step(0)


def test_08_observation_before_reset(env):
    with pytest.raises(cgym.SessionNotFound, match=r"Must call reset\(\) before step\(\)"):
        env.observation["ir"]


def test_09_reward_before_reset(env):
    with pytest.raises(cgym.SessionNotFound, match=r"Must call reset\(\) before step\(\)"):
        env.reward["runtime"]


def test_10_reset_invalid_benchmark(env):
    with pytest.raises(LookupError) as e:
        env.reset(benchmark="example-compiler-v0/foobar")
    assert str(e.value) == "Unknown program name"


def test_11_invalid_observation_space(env):
    with pytest.raises(LookupError):
        env.observation_space = 100


def test_12_invalid_reward_space(env):
    with pytest.raises(LookupError):
        env.reward_space = 100


def test_13_double_reset(env):
    env.reset()
    env.reset()
    assert env.in_episode


def test_14_double_reset_with_step(env):
    env.reset()
    _, _, done, info = env.step(env.action_space.sample())
    assert not done, info
    env.reset()
    _, _, done, info = env.step(env.action_space.sample())
    assert not done, info
    assert env.in_episode


def test_15_step_out_of_range(env):
    env.reset()
    with pytest.raises(ValueError) as e:
        env.step(100)
    assert str(e.value) == "Out-of-range"
    assert env.in_episode


def test_16_default_observation(env):
    env.observation_space = "ir"
    assert env.reset() == "Hello, world!"
    observation, reward, done, info = env.step(0)
    assert observation == "Hello, world!"
    assert reward is None
    assert not done


def test_17_default_observation_features(env):
    env.observation_space = "features"
    observation = env.reset()
    assert isinstance(observation, np.ndarray)
    assert observation.dtype == np.int64 and observation.shape == (3,)
    assert observation.tolist() == [0, 0, 0]


def test_18_default_reward(env):
    env.reward_space = "runtime"
    env.reset()
    observation, reward, done, info = env.step(0)
    assert observation is None
    assert reward == 0
    assert not done


def test_19_observations(env):
    env.reset()
    assert env.observation["ir"] == "Hello, world!"
    np.testing.assert_array_equal(env.observation["features"], [0, 0, 0])


def test_20_rewards(env):
    env.reset()
    assert env.reward["runtime"] == 0


def test_21_benchmarks(env):
    assert list(env.datasets.benchmark_uris()) == [
        "benchmark://example-compiler-v0/foo",
        "benchmark://example-compiler-v0/bar",
    ]


def test_22_fork(env):
    env.reset()
    env.step(0)
    env.step(1)
    other = env.fork()
    try:
        assert env.benchmark == other.benchmark
        assert other.actions == [0, 1]
        assert other.in_episode
    finally:
        other.close()
    assert env.in_episode
    env.step(2)
