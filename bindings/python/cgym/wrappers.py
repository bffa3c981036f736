# SPDX-License-Identifier: MIT
"""cgym.wrappers.GymnasiumEnv: a CompilerEnv as a gymnasium.Env (the 5-tuple step API)."""

from typing import Any, Optional

import gymnasium
import numpy as np

from .env import CompilerEnv


class GymnasiumEnv(gymnasium.Env):
    """Adapts a CompilerEnv to gymnasium's API: reset(seed=, options=) -> (obs, info),
    step(action) -> (obs, reward, terminated, truncated, info). The observation and action
    spaces are the env's default observation space and its action space; without a default
    observation space (as llvm-v0's), observation_space and the observations are None, as in
    CompilerGym. A missing reward (no reward space) is 0.0. options may hold "benchmark"."""

    metadata = {"render_modes": ["ansi"]}

    def __init__(self, env: CompilerEnv, render_mode: Optional[str] = None):
        super().__init__()
        self.env = env
        self.render_mode = render_mode
        self.observation_space = env.observation_space
        self.action_space = env.action_space

    def reset(
        self, *, seed: Optional[int] = None, options: Optional[dict[str, Any]] = None
    ) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        if seed is not None:
            self.action_space.seed(seed)
        benchmark = (options or {}).get("benchmark")
        observation = self.env.reset(benchmark=benchmark)
        self.action_space = self.env.action_space
        return observation, {}

    def step(self, action):
        if isinstance(action, np.integer):
            action = int(action)
        elif isinstance(action, np.ndarray) and action.shape == ():
            action = action.item()
        observation, reward, done, info = self.env.step(action)
        if info.get("new_action_space"):
            self.action_space = self.env.action_space
        return observation, 0.0 if reward is None else float(reward), bool(done), False, info

    def render(self):
        if self.render_mode == "ansi":
            return self.env.render("ansi")
        return None

    def close(self):
        self.env.close()


def make_gymnasium_env(env_id: str, render_mode: Optional[str] = None, **kwargs) -> GymnasiumEnv:
    """The entry point of the ids cgym registers with gymnasium: cgym.make(env_id, **kwargs)
    as a gymnasium.Env."""
    from .llvm import make

    return GymnasiumEnv(make(env_id, **kwargs), render_mode=render_mode)
