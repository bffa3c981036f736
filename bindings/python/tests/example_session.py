# SPDX-License-Identifier: MIT
"""CompilerGym's example compiler service as a session written in Python, and its
client-side parts (the "runtime" reward, the example-compiler-v0 dataset)."""

import numpy as np

import cgym
from cgym.runtime import ActionSpace, CompilationSession, ObservationSpace
from cgym.spaces import Box, NamedDiscrete, Scalar, Sequence


class ExampleCompilationSession(CompilationSession):
    compiler_version = "1.0.0"
    action_spaces = [ActionSpace("default", NamedDiscrete(["a", "b", "c"], name="default"))]
    observation_spaces = [
        ObservationSpace(
            "ir",
            Sequence(name="ir", size_range=(0, None), dtype=str),
            deterministic=True,
            platform_dependent=False,
        ),
        ObservationSpace(
            "features", Box(low=-100, high=100, shape=(3,), dtype=np.int64, name="features")
        ),
        ObservationSpace(
            "runtime",
            Scalar(name="runtime", min=0, max=None, dtype=np.float64),
            deterministic=False,
            platform_dependent=True,
        ),
    ]

    def apply_action(self, action):
        if not isinstance(action, int) or not 0 <= action < 3:
            raise ValueError("Out-of-range")
        return False, None, False

    def get_observation(self, observation_space):
        if observation_space.name == "ir":
            return "Hello, world!"
        if observation_space.name == "features":
            return np.zeros(3, dtype=np.int64)
        if observation_space.name == "runtime":
            return 0.0
        raise KeyError(observation_space.name)


class RuntimeReward(cgym.Reward):
    """The example's reward: previous runtime minus current runtime."""

    def __init__(self):
        super().__init__(
            name="runtime",
            observation_spaces=["runtime"],
            default_value=0,
            default_negates_returns=True,
            deterministic=False,
            platform_dependent=True,
        )
        self.previous_runtime = None

    def reset(self, benchmark, observation_view):
        self.previous_runtime = None

    def update(self, actions, observations, observation_view):
        if self.previous_runtime is None:
            self.previous_runtime = observations[0]
        reward = float(self.previous_runtime - observations[0])
        self.previous_runtime = observations[0]
        return reward


def example_dataset():
    return cgym.Dataset("benchmark://example-compiler-v0", {"foo": b"Ir data", "bar": b"Ir data"})


def make_example_env(endpoint, **kwargs):
    kwargs.setdefault("rewards", [RuntimeReward()])
    kwargs.setdefault("datasets", [example_dataset()])
    return cgym.CompilerEnv(str(endpoint), **kwargs)
