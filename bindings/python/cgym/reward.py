# SPDX-License-Identifier: MIT
"""Rewards written in Python (CompilerGym's compiler_gym.spaces.Reward), computed on the
client from observations and bridged to libcgym through cgym_reward_vtable_t."""

import copy
from typing import Optional

import numpy as np

from . import _convert
from .spaces import Scalar


class Reward(Scalar):
    """Subclass and implement update(actions, observations, observation_view) -> float (and
    optionally reset(benchmark, observation_view)). ``observations`` holds one value per name
    in ``observation_spaces``. The ``observation_view`` argument is None: a reward must not
    call back into its env while the env is stepping."""

    def __init__(
        self,
        name: str,
        observation_spaces: Optional[list[str]] = None,
        default_value: float = 0,
        min: Optional[float] = None,
        max: Optional[float] = None,
        default_negates_returns: bool = False,
        success_threshold: Optional[float] = None,
        deterministic: bool = False,
        platform_dependent: bool = True,
    ):
        super().__init__(
            name=name,
            min=-np.inf if min is None else min,
            max=np.inf if max is None else max,
            dtype=np.float64,
        )
        self.observation_spaces = list(observation_spaces or [])
        self.default_value = default_value
        self.default_negates_returns = default_negates_returns
        self.success_threshold = success_threshold
        self.deterministic = deterministic
        self.platform_dependent = platform_dependent

    def reset(self, benchmark: str, observation_view) -> None:
        pass

    def update(self, actions, observations, observation_view) -> float:
        raise NotImplementedError("abstract method")

    def reward_on_error(self, episode_reward: float) -> float:
        if self.default_negates_returns:
            return self.default_value - episode_reward
        return self.default_value

    @property
    def range(self):
        return (self.min, self.max)

    def __eq__(self, other):
        if isinstance(other, str):
            return self.name == other
        return isinstance(other, Reward) and self.name == other.name

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return self.name


class DefaultRewardFromObservation(Reward):
    """The change of a numeric observation since the previous step."""

    def __init__(self, observation_name: str, **kwargs):
        super().__init__(name=observation_name, observation_spaces=[observation_name], **kwargs)
        self.previous_value = None

    def reset(self, benchmark, observation_view):
        self.previous_value = None

    def update(self, actions, observations, observation_view):
        value = float(observations[0])
        if self.previous_value is None:
            self.previous_value = 0.0
        reward = value - self.previous_value
        self.previous_value = value
        return reward


#: Kinds of CostReward (cgym_cost_reward_kind_t).
COST_REWARD_DELTA = 0
COST_REWARD_NORMALIZED = 1
COST_REWARD_BASELINE = 2


class CostReward(Reward):
    """A reward libcgym computes (cgym_env_add_cost_reward): the decrease of the scalar
    observation ``cost_space``, as CompilerGym's CostFunctionReward (kind COST_REWARD_DELTA),
    NormalizedReward (COST_REWARD_NORMALIZED: divided by the initial cost, read from
    ``initial_cost_space``) and BaselineImprovementNormalizedReward (COST_REWARD_BASELINE:
    divided by max(initial - baseline, 1), the baseline read from ``baseline_cost_space``;
    success threshold 1). This object describes it: the env computes it in C, never through
    update()."""

    def __init__(
        self,
        name: str,
        cost_space: str,
        initial_cost_space: str,
        baseline_cost_space: Optional[str] = None,
        kind: int = COST_REWARD_DELTA,
        deterministic: bool = False,
        platform_dependent: bool = True,
    ):
        super().__init__(
            name=name,
            observation_spaces=[cost_space],
            default_value=0,
            default_negates_returns=True,
            success_threshold=1 if kind == COST_REWARD_BASELINE else None,
            deterministic=deterministic,
            platform_dependent=platform_dependent,
        )
        self.cost_space = cost_space
        self.initial_cost_space = initial_cost_space
        self.baseline_cost_space = baseline_cost_space
        self.kind = kind

    def update(self, actions, observations, observation_view) -> float:
        raise NotImplementedError("computed by libcgym")


class _RewardAdapter:
    """The user_data of a Python reward: what the C trampolines call."""

    def __init__(self, reward: Reward):
        self.reward = reward

    def reset(self, uri: str):
        self.reward.reset(uri, None)

    def update(self, actions, observations):
        a = [_convert.event_to_py(e) for e in actions]
        o = [_convert.event_to_py(e) for e in observations]
        return float(self.reward.update(a, o, None))

    def clone(self):
        return _RewardAdapter(copy.deepcopy(self.reward))
