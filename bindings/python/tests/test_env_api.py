# SPDX-License-Identifier: MIT
"""The rest of ClientServiceCompilerEnv's API: state, apply, validate, params, fork and copies,
rewards written in Python, connection options, context manager, close and reconnect."""

import copy

import numpy as np
import pytest

import cgym
from cgym.service import CompilerGymServiceConnection, ConnectionOpts
from conftest import c_service_binary
from example_session import RuntimeReward, example_dataset, make_example_env

FOO = "benchmark://example-compiler-v0/foo"


@pytest.fixture
def env():
    with make_example_env(c_service_binary()) as env:
        yield env


def test_state_apply_validate(env):
    env.reward_space = "runtime"
    env.reset()
    env.step(0)
    env.step(2)
    state = env.state
    assert isinstance(state, cgym.CompilerEnvState)
    assert state.benchmark == FOO
    assert state.commandline == "a c"
    assert state.reward == 0
    assert state.walltime >= 0
    assert cgym.CompilerEnvState.from_dict(__import__("json").loads(state.json())) == state
    result = env.validate()
    assert result.okay(), result.errors
    other = make_example_env(c_service_binary())
    try:
        other.apply(state)
        assert other.in_episode
        assert other.state.commandline == "a c"
    finally:
        other.close()


def test_episode_reward_and_range(env):
    assert env.reward_range == (-np.inf, np.inf)
    env.reward_space = "runtime"
    assert isinstance(env.reward_space, cgym.Reward)
    env.reset()
    assert env.episode_reward == 0
    env.step(0)
    assert env.episode_reward == 0
    assert env.episode_walltime >= 0
    env.reward_space = None
    assert env.episode_reward is None


def test_python_reward_counts_and_forks(env):
    class Counter(cgym.Reward):
        def __init__(self):
            super().__init__("count", observation_spaces=["runtime"], deterministic=True)
            self.steps = 0
            self.resets = []

        def reset(self, benchmark, observation_view):
            self.resets.append(benchmark)
            self.steps = 0

        def update(self, actions, observations, observation_view):
            assert observations == [0.0]
            self.steps += len(actions)
            return float(self.steps)

    counter = Counter()
    env.add_reward(counter)
    env.reward_space = "count"
    env.reset()
    assert counter.resets == [FOO]
    assert env.step(0)[1] == 1.0
    assert env.multistep([0, 1])[1] == 3.0
    assert env.episode_reward == 4.0
    fork = env.fork()
    try:
        assert fork.step(0)[1] == 4.0  # the fork's reward is a deep copy
        assert env.step(0)[1] == 4.0
    finally:
        fork.close()


def test_python_reward_exception_is_reraised(env):
    class Failing(cgym.Reward):
        def __init__(self):
            super().__init__("failing", observation_spaces=["runtime"])

        def update(self, actions, observations, observation_view):
            raise KeyError("the original exception")

    env.add_reward(Failing())
    env.reset()
    with pytest.raises(KeyError, match="the original exception"):
        env.step(0, reward_spaces=["failing"])


def test_step_variants(env):
    env.reset()
    observations, rewards, done, info = env.step(
        "b", observation_spaces=["ir", "features"], reward_spaces=["runtime"]
    )
    assert observations[0] == "Hello, world!"
    assert observations[1].tolist() == [0, 0, 0]
    assert rewards == [0.0] and not done
    assert info == {"action_had_no_effect": False, "new_action_space": False}
    observations, rewards, done, info = env.raw_step([0, 1], [env.observation.spaces["ir"]], [])
    assert observations == ["Hello, world!"] and rewards == []
    assert env.actions == [1, 0, 1]
    with pytest.raises(LookupError, match="Observation space not found: nope"):
        env.step(0, observation_spaces=["nope"])


def test_copies(env):
    env.reset()
    env.step(1)
    with pytest.raises(
        TypeError,
        match="ClientServiceCompilerEnv instances do not support shallow copies. Use deepcopy()",
    ):
        copy.copy(env)
    other = copy.deepcopy(env)
    try:
        assert other is not env and other.actions == [1] and other.in_episode
    finally:
        other.close()


def test_step_and_reset_timeouts(env):
    assert env.reset(timeout=60) is None
    obs, reward, done, info = env.step(0, timeout=60)
    assert not done
    # A deadline that has passed fails the step: the episode ends with the error in the info
    # (the fast path and multistep alike).
    obs, reward, done, info = env.step(0, timeout=0)
    assert done and info["error_type"] == "TimeoutError"
    assert info["error_details"] == "Deadline Exceeded (0.0 seconds)"
    env.reset()
    _, _, done, info = env.multistep([0, 1], timeout=0)
    assert done and info["error_details"] == "Deadline Exceeded (0.0 seconds)"
    env.reset()
    _, _, done, info = env.raw_step([0], [], [], timeout=0)
    assert done and info["error_type"] == "TimeoutError"


def test_reset_timeout_fails_like_a_broken_service():
    opts = cgym.service.ConnectionOpts(init_max_attempts=1)
    with make_example_env(c_service_binary(), connection_settings=opts) as env:
        with pytest.raises(cgym.ServiceInitError, match=r"Deadline Exceeded \(0.0 seconds\)"):
            env.reset(timeout=0)
        env.reset(timeout=60)  # a new service, and the env goes on
        assert env.in_episode


def test_reward_spaces_listed_by_the_c_api(env):
    C = cgym._cgym
    handle = env._handle()
    names = [
        C.cgym_env_reward_space_at(handle, i) for i in range(C.cgym_env_reward_space_count(handle))
    ]
    assert names == list(env.reward.spaces) == ["runtime"]


def test_deprecated_commandline(env):
    with pytest.raises(NotImplementedError):
        env.commandline()
    with pytest.raises(NotImplementedError):
        env.commandline_to_actions("a b")


def test_close_and_reset_again(env):
    env.reset()
    env.close()
    assert not env.in_episode
    env.close()  # idempotent
    env.reset()
    assert env.in_episode


def test_no_benchmark():
    with cgym.CompilerEnv(str(c_service_binary())) as env:
        with pytest.raises(TypeError, match="No benchmark set"):
            env.reset()


def test_benchmark_with_program_and_send_params(env):
    env.reset(benchmark=cgym.Benchmark("benchmark://example-compiler-v0/new", b"program"))
    assert str(env.benchmark) == "benchmark://example-compiler-v0/new"
    key = "service.benchmark_cache.get_max_size_in_bytes"
    size = env.send_param(key, "")
    assert int(size) > 0
    assert env.send_params((key, ""), (key, "")) == [size, size]


def test_connection_opts_and_connection():
    opts = ConnectionOpts()
    assert (
        opts.rpc_max_retries,
        opts.retry_wait_seconds,
        opts.retry_wait_backoff_exponent,
        opts.init_max_seconds,
        opts.init_max_attempts,
        opts.local_service_port_init_max_seconds,
        opts.local_service_exit_max_seconds,
        opts.rpc_init_max_seconds,
        opts.always_send_benchmark_on_reset,
        opts.script_args,
        opts.script_env,
    ) == (5, 0.1, 1.5, 30, 5, 30, 30, 3, False, [], {})
    opts = ConnectionOpts(
        rpc_init_max_seconds=10, always_send_benchmark_on_reset=True, script_env={"X": "1"}
    )
    connection = CompilerGymServiceConnection(c_service_binary(), opts)
    assert [s.name for s in connection.action_spaces] == ["default"]
    assert connection.observation_spaces == ["ir", "features", "runtime"]
    env = cgym.CompilerEnv(
        service_connection=connection, datasets=[example_dataset()], rewards=[RuntimeReward()]
    )
    with env:
        assert connection.closed
        env.reset()
        assert env.step(0)[2] is False
    with pytest.raises(ValueError):
        ConnectionOpts(rpc_max_retries=-1).to_options()


def test_library_version():
    assert cgym.version().startswith(f"{cgym.CGYM_VERSION_MAJOR}.")
    assert cgym._cgym.cgym_version_number() // 10000 == cgym.CGYM_VERSION_MAJOR
    cgym._check_library_version(10203, "1.2.3", 1)
    with pytest.raises(ImportError, match="built for libcgym 0.x but loaded libcgym 1.2.3"):
        cgym._check_library_version(10203, "1.2.3", 0)
