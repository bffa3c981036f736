# SPDX-License-Identifier: MIT
"""CompilerEnvState and ValidationResult (reference 4.6), as plain Python classes."""
import json
import math
from typing import Any, Dict, List, Optional


class CompilerEnvState:
    """The state of an episode: benchmark, commandline, walltime and (optional) reward.
    Equality ignores walltime and compares rewards (|delta| < 1e-5) only if both have one."""

    def __init__(self, benchmark: str, commandline: str, walltime: float,
                 reward: Optional[float] = None):
        if walltime < 0:
            raise ValueError("Walltime cannot be negative")
        self.benchmark = str(benchmark)
        self.commandline = commandline
        self.walltime = float(walltime)
        self.reward = None if reward is None else float(reward)

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "CompilerEnvState":
        return cls(benchmark=d["benchmark"], commandline=d.get("commandline", ""),
                   walltime=d.get("walltime") or 0.0, reward=d.get("reward"))

    def dict(self) -> Dict[str, Any]:
        return {"benchmark": self.benchmark, "commandline": self.commandline,
                "walltime": self.walltime, "reward": self.reward}

    def json(self) -> str:
        return json.dumps(self.dict())

    @property
    def has_reward(self) -> bool:
        return self.reward is not None

    def __eq__(self, other) -> bool:
        if not isinstance(other, CompilerEnvState):
            return False
        if self.benchmark != other.benchmark or self.commandline != other.commandline:
            return False
        if self.reward is not None and other.reward is not None:
            return abs(self.reward - other.reward) < 1e-5
        return True

    def __repr__(self) -> str:
        return (f"CompilerEnvState(benchmark={self.benchmark!r}, commandline="
                f"{self.commandline!r}, walltime={self.walltime}, reward={self.reward})")


class ValidationResult:
    """The result of CompilerEnv.validate()."""

    def __init__(self, state: CompilerEnvState, data: Dict[str, Any]):
        self.state = state
        self.walltime = float(data.get("walltime", 0.0) or 0.0)
        self.reward_validated = bool(data.get("reward_validated", False))
        self.actions_replay_failed = bool(data.get("actions_replay_failed", False))
        self.reward_validation_failed = bool(data.get("reward_validation_failed", False))
        self.benchmark_semantics_validated = bool(data.get("benchmark_semantics_validated", False))
        self.benchmark_semantics_validation_failed = bool(
            data.get("benchmark_semantics_validation_failed", False))
        self.errors: List[Any] = list(data.get("errors", []) or [])

    def okay(self) -> bool:
        return not (self.actions_replay_failed or self.reward_validation_failed
                    or self.benchmark_semantics_validation_failed or self.errors)

    def __bool__(self) -> bool:
        return self.okay()

    def __repr__(self) -> str:
        return "✅ " + self.state.benchmark if self.okay() else "❌ " + self.state.benchmark
