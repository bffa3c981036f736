# SPDX-License-Identifier: MIT
"""CompilerGym's CompilerEnvState and ValidationResult, as plain Python classes."""

import json
from collections.abc import Iterable
from typing import Any, Optional

from . import _cgym as C


class CompilerEnvState:
    """The state of an episode: benchmark, commandline, walltime and (optional) reward.
    Equality ignores walltime and compares rewards (|delta| < 1e-5) only if both have one."""

    def __init__(
        self, benchmark: str, commandline: str, walltime: float, reward: Optional[float] = None
    ):
        if walltime < 0:
            raise ValueError("Walltime cannot be negative")
        self.benchmark = str(benchmark)
        self.commandline = commandline
        self.walltime = float(walltime)
        self.reward = None if reward is None else float(reward)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CompilerEnvState":
        return cls(
            benchmark=d["benchmark"],
            commandline=d.get("commandline", ""),
            walltime=d.get("walltime") or 0.0,
            reward=d.get("reward"),
        )

    def dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "commandline": self.commandline,
            "walltime": self.walltime,
            "reward": self.reward,
        }

    def json(self) -> str:
        return json.dumps(self.dict())

    def to_csv(self, header: bool = False) -> str:
        """This state as a CSV row (benchmark,reward,walltime,commandline), after a header line
        if ``header``."""
        return states_to_csv([self], header=header)

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
        return (
            f"CompilerEnvState(benchmark={self.benchmark!r}, commandline="
            f"{self.commandline!r}, walltime={self.walltime}, reward={self.reward})"
        )


class ValidationError:
    """One failure found by validation: a type (a message such as "Wrong output" or
    "Compilation failed") and data (a dict of details, may be empty)."""

    def __init__(self, type: str, data: Optional[dict[str, Any]] = None):
        self.type = type
        self.data = dict(data or {})

    @classmethod
    def from_value(cls, value) -> "ValidationError":
        if isinstance(value, ValidationError):
            return value
        if isinstance(value, dict):
            data = value.get("data")
            return cls(str(value.get("type", "")), data if isinstance(data, dict) else {})
        return cls(str(value))

    def __eq__(self, other) -> bool:
        if isinstance(other, str):  # an error compares equal to its type
            return self.type == other
        return (
            isinstance(other, ValidationError)
            and self.type == other.type
            and self.data == other.data
        )

    def __hash__(self):
        return hash(self.type)

    def __str__(self) -> str:
        return self.type

    def __repr__(self) -> str:
        return f"ValidationError({self.type!r}, {self.data!r})"


class ValidationResult:
    """The result of CompilerEnv.validate(): okay() unless the actions did not replay, the
    reward differed, or the program's behaviour changed; ``errors`` lists the failures
    (ValidationError)."""

    def __init__(self, state: CompilerEnvState, data: dict[str, Any]):
        self.state = state
        self.walltime = float(data.get("walltime", 0.0) or 0.0)
        self.reward_validated = bool(data.get("reward_validated", False))
        self.actions_replay_failed = bool(data.get("actions_replay_failed", False))
        self.reward_validation_failed = bool(data.get("reward_validation_failed", False))
        self.benchmark_semantics_validated = bool(data.get("benchmark_semantics_validated", False))
        self.benchmark_semantics_validation_failed = bool(
            data.get("benchmark_semantics_validation_failed", False)
        )
        self.errors: list[ValidationError] = [
            ValidationError.from_value(e) for e in data.get("errors", []) or []
        ]

    def okay(self) -> bool:
        return not (
            self.actions_replay_failed
            or self.reward_validation_failed
            or self.benchmark_semantics_validation_failed
            or self.errors
        )

    def __bool__(self) -> bool:
        return self.okay()

    def error_details(self) -> str:
        """The errors' types, one a line."""
        return "\n".join(e.type for e in self.errors)

    def __repr__(self) -> str:
        if self.okay():
            return "✅ " + self.state.benchmark
        details = "; ".join(e.type for e in self.errors)
        return "❌ " + self.state.benchmark + (f"  {details}" if details else "")


def states_to_csv(states: Iterable[CompilerEnvState], header: bool = True) -> str:
    """States as CSV (columns benchmark,reward,walltime,commandline), as CompilerGym's
    CompilerEnvStateWriter writes them."""
    return C.cgym_states_json_to_csv(json.dumps([s.dict() for s in states]), int(bool(header)))


def states_from_csv(text: str) -> list[CompilerEnvState]:
    """The states of a CSV text (with or without its header line), as CompilerGym's
    CompilerEnvStateReader reads them."""
    return [CompilerEnvState.from_dict(d) for d in json.loads(C.cgym_states_csv_to_json(text))]
