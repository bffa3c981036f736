# SPDX-License-Identifier: MIT
"""cgym.wrappers.GymnasiumEnv passes gymnasium's env checker over the example service."""

import gymnasium
import numpy as np
from gymnasium.utils.env_checker import check_env

from cgym.wrappers import GymnasiumEnv
from example_session import make_example_env


def test_check_env(endpoint):
    env = GymnasiumEnv(
        make_example_env(endpoint, observation_space="features", reward_space="runtime")
    )
    try:
        assert isinstance(env, gymnasium.Env)
        check_env(env, skip_render_check=True)
    finally:
        env.close()


def test_gymnasium_api(endpoint):
    env = GymnasiumEnv(
        make_example_env(endpoint, observation_space="features", reward_space="runtime")
    )
    try:
        assert isinstance(env.observation_space, gymnasium.spaces.Box)
        assert isinstance(env.action_space, gymnasium.spaces.Discrete)
        observation, info = env.reset(seed=1)
        assert observation.dtype == np.int64 and observation.shape == (3,)
        assert env.observation_space.contains(observation)
        assert info == {}
        observation, reward, terminated, truncated, info = env.step(env.action_space.sample())
        assert isinstance(reward, float) and reward == 0.0
        assert terminated is False and truncated is False
        observation, info = env.reset(options={"benchmark": "example-compiler-v0/bar"})
        assert str(env.env.benchmark) == "benchmark://example-compiler-v0/bar"
    finally:
        env.close()
