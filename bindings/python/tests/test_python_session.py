# SPDX-License-Identifier: MIT
"""A stateful session written in Python: fork, end of episode, a new action space, session
parameters, benchmark programs, in-process and as a managed service."""

import copy

import numpy as np
import pytest

import cgym
from cgym.runtime import ActionSpace, CompilationSession, ObservationSpace
from cgym.spaces import Discrete, NamedDiscrete, Scalar, Sequence
from conftest import register_inproc, write_launcher

SMALL = ActionSpace("small", NamedDiscrete(["inc", "end", "switch"], name="small"))
LARGE = ActionSpace("large", Discrete(10, name="large"))


class CounterSession(CompilationSession):
    compiler_version = "counter-2.0"
    action_spaces = [SMALL, LARGE]
    observation_spaces = [
        ObservationSpace(
            "count",
            Scalar(name="count", min=0, dtype=np.int64),
            deterministic=True,
            default_observation=0,
        ),
        ObservationSpace("program", Sequence(name="program", dtype=str)),
        ObservationSpace("space", Sequence(name="space", dtype=str)),
    ]

    def __init__(self, working_directory, action_space, benchmark):
        super().__init__(working_directory, action_space, benchmark)
        self.count = 0
        self.program = (benchmark.program or b"").decode()
        self.space = action_space.name

    def apply_action(self, action):
        if self.space == "large":
            self.count += action
            return False, None, action == 0
        if action == 0:
            self.count += 1
            return False, None, False
        if action == 1:
            return True, None, False
        self.space = "large"
        return False, LARGE, False

    def get_observation(self, observation_space):
        return {"count": self.count, "program": self.program, "space": self.space}[
            observation_space.name
        ]

    def fork(self):
        return copy.copy(self)

    def handle_session_parameter(self, key, value):
        if key == "counter.set":
            self.count = int(value)
            return "ok"
        return None


@pytest.fixture(params=["inproc", "managed"])
def counter_env(request, tmp_path):
    if request.param == "inproc":
        endpoint = register_inproc(CounterSession, "counter")
    else:
        endpoint = write_launcher(
            tmp_path, "test_python_session", "CounterSession", "counter-service"
        )
    with cgym.CompilerEnv(
        str(endpoint),
        benchmark=cgym.Benchmark("benchmark://c/p", b"prog"),
        observation_space="count",
        reward_space="count",
    ) as env:
        yield env


def test_spaces_and_version(counter_env):
    assert counter_env.compiler_version == "counter-2.0"
    assert [s.name for s in counter_env.action_spaces] == ["small", "large"]
    # "count" has a numeric default observation: a DefaultRewardFromObservation reward.
    assert set(counter_env.reward.spaces) == {"count"}


def test_episode(counter_env):
    assert counter_env.reset() == 0
    assert counter_env.observation["program"] == "prog"
    observation, reward, done, info = counter_env.step("inc")
    assert (observation, reward, done) == (1, 1.0, False)
    assert counter_env.multistep(["inc", "inc"])[0] == 3
    assert counter_env.episode_reward == 3.0
    assert counter_env.state.commandline == "inc inc inc"
    observation, reward, done, info = counter_env.step("end")
    assert done and "error_type" not in info


def test_new_action_space(counter_env):
    counter_env.reset()
    observation, reward, done, info = counter_env.step("switch")
    assert info["new_action_space"] and not done
    assert counter_env.action_space.name == "large"
    assert counter_env.observation["space"] == "large"
    observation, reward, done, info = counter_env.step(7)
    assert observation == 7 and not info["action_had_no_effect"]
    assert counter_env.step(0)[3]["action_had_no_effect"]


def test_fork(counter_env):
    counter_env.reset()
    counter_env.multistep(["inc", "inc"])
    fork = counter_env.fork()
    try:
        assert fork.observation["count"] == 2
        fork.step("inc")
        assert fork.observation["count"] == 3
        assert counter_env.observation["count"] == 2
    finally:
        fork.close()


def test_session_parameter(counter_env):
    counter_env.reset()
    assert counter_env.send_param("counter.set", "41") == "ok"
    assert counter_env.step("inc")[0] == 42


def test_initial_action_space(counter_env):
    counter_env.reset(action_space="large")
    assert counter_env.action_space.name == "large"
    assert counter_env.observation["space"] == "large"
