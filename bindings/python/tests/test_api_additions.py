# SPDX-License-Identifier: MIT
"""The Python API over the restyled cgym.h: KeyError for unknown spaces, default rewards
without warnings, call options per timeout, states as CSV, CompilerGym's messages as bytes,
the actions of an episode, ownership of Python rewards and service data, and services stopped
with cgym_service_stop()."""

import gc
import math
import threading
import time
import weakref

import numpy as np
import pytest

import cgym
from cgym import messages
from cgym.runtime import ActionSpace, ObservationSpace
from cgym.spaces import Box, Dict, NamedDiscrete, Scalar, Sequence
from conftest import c_service_binary, register_inproc
from example_session import ExampleCompilationSession, RuntimeReward, make_example_env

FOO = "benchmark://example-compiler-v0/foo"


@pytest.fixture
def env():
    with make_example_env(c_service_binary()) as env:
        yield env


# ---- Unknown spaces raise KeyError, as in CompilerGym ------------------------------------------


def test_unknown_observation_and_reward_raise_key_error(env):
    env.reset()
    with pytest.raises(KeyError) as e:
        env.observation["nope"]
    assert isinstance(e.value, LookupError) and isinstance(e.value, cgym.SpaceNotFoundError)
    assert str(e.value) == "Observation space not found: nope" and e.value.name == "nope"
    with pytest.raises(KeyError) as e:
        env.reward["nope"]
    assert str(e.value) == "Reward space not found: nope"
    with pytest.raises(KeyError):
        env.observation_space = "nope"
    with pytest.raises(KeyError):
        env.reward_space = "nope"
    with pytest.raises(KeyError, match="Reward space not found: nope"):
        env.step(0, reward_spaces=["nope"])


# ---- Rewards: no spurious warnings ---------------------------------------------------------------


class DefaultRuntimeSession(ExampleCompilationSession):
    """The example with a numeric default observation for "runtime": libcgym makes a
    DefaultRewardFromObservation reward of it (as CompilerGym's client does)."""

    observation_spaces = [
        ObservationSpace(
            o.name,
            o.space,
            o.deterministic,
            o.platform_dependent,
            default_observation=0.0 if o.name == "runtime" else None,
        )
        for o in ExampleCompilationSession.observation_spaces
    ]


def test_default_rewards_are_listed_without_a_warning(capfd):
    endpoint = register_inproc(DefaultRuntimeSession, "py-default-reward")
    with cgym.CompilerEnv(endpoint, benchmark=FOO, reward_space="runtime") as env:
        assert list(env.reward.spaces) == ["runtime"]
        assert isinstance(env.reward_space, cgym.DefaultRewardFromObservation)
        env.reset()
        assert env.step(0)[1] == 0.0
        assert env.reward["runtime"] == 0.0
    assert "Replacing existing reward space" not in capfd.readouterr().err


def test_user_rewards_replace_the_defaults_without_a_warning(capfd):
    endpoint = register_inproc(DefaultRuntimeSession, "py-default-reward")
    with make_example_env(endpoint) as env:
        assert list(env.reward.spaces) == ["runtime"]
        assert isinstance(env.reward_space_spec or env.reward.spaces["runtime"], RuntimeReward)
        env.reward_space = "runtime"
        env.reset()
        assert env.step(0)[1] == 0.0
    assert "Replacing existing reward space" not in capfd.readouterr().err


def test_added_reward_replacing_another_warns(env, capfd):
    class Other(cgym.Reward):
        def update(self, actions, observations, observation_view):
            return 2.0

    capfd.readouterr()
    env.add_reward(Other("runtime", observation_spaces=["runtime"]))
    assert "Replacing existing reward space 'runtime'" in capfd.readouterr().err
    env.reset()
    assert env.step(0, reward_spaces=["runtime"])[1] == [2.0]


def test_a_reward_that_cannot_be_added_is_released_once(env):
    class Orphan(cgym.Reward):
        def update(self, actions, observations, observation_view):
            return 0.0

    reward = Orphan("orphan", observation_spaces=["no-such-observation"])
    ref = weakref.ref(reward)
    with pytest.raises(FileNotFoundError, match="Observation space not found"):
        env.add_reward(reward)
    assert "orphan" not in env.reward.spaces
    del reward
    gc.collect()
    assert ref() is None  # the C side dropped its reference to the adapter exactly once


# ---- Timeouts through call options ---------------------------------------------------------------


def test_many_timeouts_and_bad_ones(env):
    env.reset(timeout=30.5)
    for i in range(40):  # more distinct values than the cache of call options holds
        assert not env.step(0, timeout=100.0 + i)[2]
    assert not env.step(0, timeout=math.inf)[2]
    _, _, done, info = env.step(0, timeout=-1)  # a passed deadline, as 0
    assert done and info["error_type"] == "TimeoutError"
    env.reset()
    with pytest.raises(ValueError):
        env.step(0, timeout=math.nan)
    with pytest.raises(ValueError):
        env.reset(timeout=math.nan)


# ---- States as CSV -------------------------------------------------------------------------------


def test_states_to_and_from_csv(env):
    env.reward_space = "runtime"
    env.reset()
    env.step(0)
    env.step(2)
    state = env.state
    csv = state.to_csv(header=True)
    assert csv.splitlines()[0] == "benchmark,reward,walltime,commandline"
    assert cgym.states_from_csv(csv) == [state]
    assert cgym.states_from_csv(state.to_csv()) == [state]
    other = cgym.CompilerEnvState(FOO, "b", 1.5, None)
    text = cgym.states_to_csv([state, other], header=False)
    assert len(text.splitlines()) == 2
    assert cgym.states_from_csv(text) == [state, other]
    assert cgym.states_from_csv(env.state_csv(header=True)) == [state]
    with pytest.raises(ValueError):
        cgym.states_from_csv("benchmark,reward,walltime,commandline\nonly,two")


def test_episode_actions(env):
    env.reset()
    env.step("c")  # a name of the named discrete space, sent as its index
    env.multistep([0, 1])
    with pytest.raises(ValueError):
        env.step(7)  # rejected by the service, yet sent: part of the episode
    assert env.episode_actions() == env.actions == [2, 0, 1, 7]
    env.reset()
    assert env.episode_actions() == []


# ---- CompilerGym's messages as bytes ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        -5,
        2.5,
        "wörld",
        b"\x00\x01",
        np.arange(6, dtype=np.int64).reshape(2, 3),
        [1, "two", [3.0]],
        {"a": 1, "key\x00with nul": "x", "nested": {"b": [True]}},
    ],
    ids=repr,
)
def test_event_bytes_round_trip(value):
    data = messages.event_to_bytes(value)
    assert isinstance(data, bytes)
    back = messages.event_from_bytes(data)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.tolist() == value.tolist()
    elif isinstance(value, bytes):
        assert bytes(back.astype(np.uint8)) == value  # a byte tensor
    else:
        assert back == value


def test_event_from_bytes_refuses_garbage():
    with pytest.raises(ValueError):
        messages.event_from_bytes(b"\xff\xff\xff\xff")


def test_space_bytes_round_trip():
    action = ActionSpace("default", NamedDiscrete(["a", "b"], name="default"))
    back = messages.action_space_from_bytes(messages.action_space_to_bytes(action))
    assert back.name == "default" and back.space == action.space
    observation = ObservationSpace(
        "features",
        Box(low=-1, high=7, shape=(2, 2), dtype=np.int64, name="features"),
        deterministic=True,
        platform_dependent=False,
        default_observation=np.zeros((2, 2), dtype=np.int64),
    )
    back = messages.observation_space_from_bytes(messages.observation_space_to_bytes(observation))
    assert back.name == "features" and back.deterministic and not back.platform_dependent
    assert back.space.shape == (2, 2) and int(back.space.high.max()) == 7
    assert back.default_observation.tolist() == [[0, 0], [0, 0]]
    nested = ObservationSpace(
        "d",
        Dict(
            {
                "s": Sequence(name="s", dtype=str),
                "x": Scalar(name="x", min=0, max=1, dtype=np.float64),
            },
            name="d",
        ),
    )
    back = messages.observation_space_from_bytes(messages.observation_space_to_bytes(nested))
    assert set(back.space.spaces) == {"s", "x"} and back.default_observation is None
    with pytest.raises(ValueError):
        messages.action_space_from_bytes(b"\xff\xff\xff")


def test_versions():
    assert cgym.protocol_version() == "0.2.5"
    assert cgym.version() == cgym.__version__


# ---- Service data: released when nothing uses it ----------------------------------------------


def _session_class():
    class Session(ExampleCompilationSession):
        pass

    return Session


def test_service_data_is_released_after_unregistering():
    session_type = _session_class()
    ref = weakref.ref(session_type)
    endpoint = cgym.runtime.register_in_process("py-service-data-release", session_type)
    del session_type
    with make_example_env(endpoint) as env:
        env.reset()
        env.step(0)
    del env
    gc.collect()
    assert ref() is not None  # still registered
    cgym.runtime.unregister_in_process("py-service-data-release")
    gc.collect()
    assert ref() is None


def test_service_data_of_an_unused_definition_is_released():
    session_type = _session_class()
    ref = weakref.ref(session_type)
    definition = cgym.runtime.make_service_def(session_type)
    del session_type
    gc.collect()
    assert ref() is not None
    cgym._cgym.cgym_service_def_free(definition)
    gc.collect()
    assert ref() is None


# ---- A service run in a thread, stopped with cgym_service_stop() ----------------------------


def test_run_service_in_a_thread_and_stop_it(tmp_path):
    result = {}

    def serve():
        result["code"] = cgym.runtime.run_compiler_gym_service(
            ExampleCompilationSession, ["service", f"--working_dir={tmp_path}"]
        )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    port_file = tmp_path / "port.txt"
    deadline = time.monotonic() + 60  # a guard against a hang, not a performance check
    while not (port_file.is_file() and port_file.read_text().strip()):
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    with make_example_env(f"127.0.0.1:{int(port_file.read_text())}") as env:
        env.reset()
        assert env.observation["ir"] == "Hello, world!"
    cgym.runtime.stop_services()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert result["code"] == 0
