# SPDX-License-Identifier: MIT
"""CompilerEnv.step's paths: the agent loop's call (an int action, default spaces) goes
straight to _cgym.env_step, every other call through multistep; both must give the same
results. Observations of every kind as the default space, actions of every kind (ints, names,
numpy ints, bools, several at once), and what a rejected action leaves behind."""

import numpy as np
import pytest

import cgym
from cgym.runtime import ActionSpace, CompilationSession, ObservationSpace
from cgym.spaces import NamedDiscrete, Scalar, Sequence
from conftest import c_service_binary, register_inproc
from example_session import make_example_env
from test_values import VALUES, _check, values_env  # noqa: F401 (values_env is a fixture)


@pytest.mark.parametrize("name", list(VALUES))
def test_default_observation_of_every_kind(values_env, name):  # noqa: F811
    values_env.observation_space = name
    observation, reward, done, info = values_env.step(0)
    _check(name, observation)
    assert reward is None and done is False
    assert info == {"action_had_no_effect": False, "new_action_space": False}


def test_default_spaces_agree_with_named_spaces():
    with make_example_env(
        c_service_binary(), observation_space="features", reward_space="runtime"
    ) as env:
        assert env.reset().tolist() == [0, 0, 0]
        observation, reward, done, info = env.step(0)
        assert isinstance(observation, np.ndarray) and observation.dtype == np.int64
        assert observation.tolist() == [0, 0, 0]
        assert type(reward) is float and reward == 0.0
        assert done is False
        assert info == {"action_had_no_effect": False, "new_action_space": False}
        named = env.step(0, observation_spaces=["features"], reward_spaces=["runtime"])
        assert [o.tolist() for o in named[0]] == [[0, 0, 0]] and named[1] == [0.0]
        assert named[2:] == (done, info)
        # One list given, the other space the default one.
        observation, reward, _, _ = env.step(1, observation_spaces=["ir"])
        assert observation == ["Hello, world!"] and reward == 0.0
        observation, reward, _, _ = env.multistep([2, 0])
        assert observation.tolist() == [0, 0, 0] and reward == 0.0
        assert env.actions == [0, 0, 1, 2, 0]
        assert env.state.commandline == "a a b c a"
        assert env.episode_reward == 0.0


class RecordingSession(CompilationSession):
    """Records the actions it receives (in-process: the list is shared with the test)."""

    received = []
    compiler_version = "recording"
    action_spaces = [ActionSpace("default", NamedDiscrete(["a", "b", "c"], name="default"))]
    observation_spaces = [
        ObservationSpace("count", Scalar(name="count", min=0, max=None, dtype=np.int64)),
        ObservationSpace("ir", Sequence(name="ir", size_range=(0, None), dtype=str)),
    ]

    def apply_action(self, action):
        if isinstance(action, int) and not 0 <= action < 3:
            raise ValueError("Out-of-range")
        RecordingSession.received.append(action)
        return False, None, False

    def get_observation(self, observation_space):
        if observation_space.name == "count":
            return len(RecordingSession.received)
        return "ir"


@pytest.fixture
def recording_env():
    RecordingSession.received = []
    with cgym.CompilerEnv(
        register_inproc(RecordingSession, "recording"), benchmark="benchmark://recording/x"
    ) as env:
        env.reset()
        yield env


def test_actions_of_every_kind(recording_env):
    env = recording_env
    assert env.step(1) == (
        None,
        None,
        False,
        {"action_had_no_effect": False, "new_action_space": False},
    )
    env.step("c")  # a name of the named discrete space
    env.step(np.int64(2))
    env.step(True)
    env.step(np.uint8(1))
    received = RecordingSession.received
    assert received == [1, 2, 2, True, 1]
    assert [type(a) for a in received] == [int, int, int, bool, int]
    assert env.actions == [1, 2, np.int64(2), True, np.uint8(1)]
    assert [type(a) for a in env.actions] == [int, int, np.int64, bool, np.uint8]


def test_multistep_of_many_actions(recording_env):
    env = recording_env
    env.observation_space = "count"
    # More actions than env_step keeps on its stack, ints and names mixed.
    actions = [0, "b", 2, 1, "a", np.int64(1), 2, 0]
    observation, reward, done, info = env.multistep(actions)
    assert RecordingSession.received == [0, 1, 2, 1, 0, 1, 2, 0]
    assert observation == 8 and reward is None and done is False
    assert env.actions == [0, 1, 2, 1, 0, 1, 2, 0]
    observations, rewards, _, _ = env.raw_step([1] * 6, ["count", "ir"], [])
    assert observations == [14, "ir"] and rewards == []


def test_actions_rejected_before_sending_leave_no_trace(recording_env):
    env = recording_env
    env.step(0)
    with pytest.raises(OverflowError):
        env.step(2**63)
    with pytest.raises(OverflowError):
        env.step(np.uint64(2**64 - 1))
    with pytest.raises(TypeError, match="Cannot convert a value of type object"):
        env.step(object())
    with pytest.raises(TypeError, match="Cannot convert a value of type object"):
        env.multistep([1, object()])  # converted before anything is sent
    with pytest.raises(ValueError, match="'nope' is not in list"):
        env.step("nope")
    assert RecordingSession.received == [0]
    assert env.actions == [0]
    assert env.in_episode
    env.step(2)
    assert env.actions == [0, 2] and RecordingSession.received == [0, 2]


def test_an_action_the_service_rejects_is_recorded(recording_env):
    # As CompilerGym's client: actions are recorded when sent, before the reply.
    env = recording_env
    env.step(0)
    with pytest.raises(ValueError, match="Out-of-range"):
        env.step(7)
    with pytest.raises(ValueError, match="Out-of-range"):
        env.multistep([1, 9])
    assert env.actions == [0, 7, 1, 9]
    assert RecordingSession.received == [0, 1]  # the service applied 1, then refused 9
    assert env.in_episode
    # The state cannot name them (CompilerGym raises too).
    with pytest.raises(ValueError, match="Action out of range: 7"):
        _ = env.state
    env.step(2)
    assert env.actions == [0, 7, 1, 9, 2] and RecordingSession.received == [0, 1, 2]


def test_step_before_reset_and_after_close():
    env = cgym.CompilerEnv(
        register_inproc(RecordingSession, "recording"), benchmark="benchmark://recording/x"
    )
    try:
        with pytest.raises(cgym.SessionNotFound, match=r"Must call reset\(\) before step\(\)"):
            env.step(0)
        env.reset()
        env.close()
        with pytest.raises(cgym.SessionNotFound, match=r"Must call reset\(\) before step\(\)"):
            env.step(0)
        assert env.actions == []
    finally:
        env.close()


def test_reward_of_the_default_space(recording_env):
    class Steps(cgym.Reward):
        def __init__(self):
            super().__init__("steps", observation_spaces=["count"], deterministic=True)

        def reset(self, benchmark, observation_view):
            self.seen = []

        def update(self, actions, observations, observation_view):
            self.seen.append((actions, observations))
            if observations[0] > 2:
                raise KeyError("too many")
            return float(observations[0])

    env = recording_env
    reward = Steps()
    env.add_reward(reward)
    env.reward_space = "steps"
    env.reset()
    RecordingSession.received = []
    assert env.step(1)[1] == 1.0
    assert env.step(2)[1] == 2.0
    # An exception of a reward propagates unchanged out of the step.
    with pytest.raises(KeyError, match="too many"):
        env.step(0)
    assert env.actions == [1, 2, 0]  # the service applied it (CompilerGym records it too)
    assert len(env.reward.spaces["steps"].seen) == 3


def test_subclass_overriding_multistep_sees_every_step():
    class Counting(cgym.CompilerEnv):
        calls = 0

        def multistep(self, actions, *args, **kwargs):
            Counting.calls += 1
            return super().multistep(actions, *args, **kwargs)

    class Plain(cgym.CompilerEnv):
        pass

    assert cgym.CompilerEnv._fast_step and Plain._fast_step and not Counting._fast_step
    with Counting(
        register_inproc(RecordingSession, "recording"), benchmark="benchmark://recording/x"
    ) as env:
        env.reset()
        env.step(1)
        env.step("a")
        assert Counting.calls == 2 and env.actions == [1, 0]


def test_env_step_refuses_what_is_not_an_action(recording_env):
    # The low layer itself (CompilerEnv converts every other value into an event first).
    handle = recording_env._env
    for bad in ([None], [1.5], ["a"], 3):
        with pytest.raises(TypeError):
            cgym._cgym.env_step(handle, bad, None, None, 1, 1, 300)
    assert RecordingSession.received == []
    assert cgym._cgym.env_step(handle, [2], [], [], 0, 0, 300) == (
        [],
        [],
        False,
        {"action_had_no_effect": False, "new_action_space": False},
    )
    assert RecordingSession.received == [2]
