# SPDX-License-Identifier: MIT
"""Gymnasium spaces with names, as CompilerGym's compiler_gym.spaces.

Every space has a ``name`` (the ActionSpace/ObservationSpace name) and compares equal only to
spaces of the same name. Discrete, NamedDiscrete, Box, Dict and Tuple subclass gymnasium's own;
Scalar and Sequence (CompilerGym's spaces without a gymnasium equivalent) subclass
gymnasium.spaces.Space.
"""

from collections.abc import Iterable
from typing import Optional, Union

import gymnasium
import numpy as np

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class Discrete(gymnasium.spaces.Discrete):
    def __init__(self, n: int, name: str = "", seed=None):
        super().__init__(int(n), seed=seed)
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Discrete) and self.name == other.name and self.n == other.n

    def __hash__(self):
        return hash((type(self).__name__, self.name, int(self.n)))

    def contains(self, x) -> bool:
        if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
            return 0 <= int(x) < int(self.n)
        return super().contains(x)


class NamedDiscrete(Discrete):
    """A discrete space whose values have names: ``space["a"]`` is the index of "a"."""

    def __init__(self, items: Iterable[str], name: str = "", seed=None):
        self.names: list[str] = [str(x) for x in items]
        if not self.names:
            raise ValueError("No values for discrete space")
        super().__init__(len(self.names), name=name, seed=seed)

    def __getitem__(self, name: str) -> int:
        return self.names.index(name)

    def __repr__(self) -> str:
        return f"NamedDiscrete([{', '.join(self.names)}])"

    def __eq__(self, other):
        return (
            isinstance(other, NamedDiscrete)
            and self.name == other.name
            and self.names == other.names
        )

    def __hash__(self):
        return hash((type(self).__name__, self.name, tuple(self.names)))

    def to_string(self, values: Union[int, Iterable[int]]) -> str:
        if isinstance(values, (int, np.integer)):
            return self.names[int(values)]
        return " ".join(self.names[int(v)] for v in values)

    def from_string(self, string: str) -> list[int]:
        return [self.names.index(x) for x in string.split()]


class Box(gymnasium.spaces.Box):
    def __init__(self, low, high, name: str = "", shape=None, dtype=np.float32, seed=None):
        super().__init__(low=low, high=high, shape=shape, dtype=dtype, seed=seed)
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Box) and self.name == other.name and super().__eq__(other)

    def __hash__(self):
        return hash((type(self).__name__, self.name, self.shape))


class Dict(gymnasium.spaces.Dict):
    def __init__(self, spaces, name: str = "", seed=None):
        super().__init__(spaces, seed=seed)
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Dict) and self.name == other.name and super().__eq__(other)

    def __hash__(self):
        return hash((type(self).__name__, self.name))


class Tuple(gymnasium.spaces.Tuple):
    def __init__(self, spaces, name: str = "", seed=None):
        super().__init__(spaces, seed=seed)
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Tuple) and self.name == other.name and super().__eq__(other)

    def __hash__(self):
        return hash((type(self).__name__, self.name))


class Scalar(gymnasium.spaces.Space):
    """A scalar value in [min, max] (None: unbounded) of a numpy dtype."""

    def __init__(self, name: str = "", min=None, max=None, dtype=np.float64, seed=None):
        super().__init__(shape=(), dtype=dtype, seed=seed)
        self.name = name
        self.min = min
        self.max = max

    def sample(self, mask=None, probability=None):
        low = 0 if self.min is None else self.min
        high = 1 if self.max is None else self.max
        if not np.isfinite(high):
            high = low + 1
        if not np.isfinite(low):
            low = high - 1
        if np.issubdtype(self.dtype, np.bool_):
            return bool(self.np_random.integers(0, 2))
        if np.issubdtype(self.dtype, np.integer):
            return self.dtype.type(self.np_random.integers(low, high, endpoint=True))
        return self.dtype.type(self.np_random.uniform(low, high))

    def contains(self, x) -> bool:
        if isinstance(x, np.ndarray) and x.shape == ():
            x = x.item()
        if isinstance(x, (bool, np.bool_)):
            if not np.issubdtype(self.dtype, np.bool_):
                return False
        elif isinstance(x, (int, np.integer)):
            if not (
                np.issubdtype(self.dtype, np.integer) or np.issubdtype(self.dtype, np.floating)
            ):
                return False
        elif isinstance(x, (float, np.floating)):
            if not np.issubdtype(self.dtype, np.floating):
                return False
        else:
            return False
        if self.min is not None and x < self.min:
            return False
        if self.max is not None and x > self.max:
            return False
        return True

    @property
    def is_np_flattenable(self):
        return False

    def __repr__(self) -> str:
        return f"Scalar(name={self.name!r}, min={self.min}, max={self.max}, dtype={self.dtype})"

    def __eq__(self, other):
        return (
            isinstance(other, Scalar)
            and self.name == other.name
            and self.min == other.min
            and self.max == other.max
            and self.dtype == other.dtype
        )

    def __hash__(self):
        return hash((type(self).__name__, self.name))


class Sequence(gymnasium.spaces.Space):
    """A variable-length sequence: a str (dtype=str), bytes (dtype=bytes), or a 1-D array of a
    numpy dtype, with a length in size_range (max None: unbounded) and, for numbers, values in
    scalar_range."""

    def __init__(
        self,
        name: str = "",
        size_range: tuple[int, Optional[int]] = (0, None),
        dtype=bytes,
        opaque_data_format: Optional[str] = None,
        scalar_range: Optional[Scalar] = None,
        seed=None,
    ):
        super().__init__(shape=None, dtype=None, seed=seed)
        self.name = name
        self.size_range = tuple(size_range)
        self.dtype = dtype
        self.opaque_data_format = opaque_data_format
        self.scalar_range = scalar_range

    def contains(self, x) -> bool:
        lo, hi = self.size_range
        try:
            n = len(x)
        except TypeError:
            return False
        if n < lo or (hi is not None and n > hi):
            return False
        if self.dtype is str:
            return isinstance(x, str)
        if self.dtype is bytes:
            return isinstance(x, bytes)
        if isinstance(x, np.ndarray):
            if not np.can_cast(x.dtype, self.dtype):
                return False
        if self.scalar_range is not None:
            return all(self.scalar_range.contains(v) for v in x)
        return True

    def sample(self, mask=None, probability=None):
        raise NotImplementedError

    @property
    def is_np_flattenable(self):
        return False

    def __repr__(self) -> str:
        dtype = self.dtype.__name__ if isinstance(self.dtype, type) else str(self.dtype)
        return f"Sequence(name={self.name!r}, size_range={self.size_range}, dtype={dtype})"

    def __eq__(self, other):
        return (
            isinstance(other, Sequence)
            and self.name == other.name
            and self.size_range == other.size_range
            and self.dtype == other.dtype
        )

    def __hash__(self):
        return hash((type(self).__name__, self.name))


class SpaceSequence(gymnasium.spaces.Space):
    """A variable-length list of values of one space."""

    def __init__(self, name: str = "", space=None, size_range=(0, None), seed=None):
        super().__init__(shape=None, dtype=None, seed=seed)
        self.name = name
        self.space = space
        self.size_range = tuple(size_range)

    def contains(self, x) -> bool:
        lo, hi = self.size_range
        if not isinstance(x, (list, tuple)) or len(x) < lo or (hi is not None and len(x) > hi):
            return False
        return self.space is None or all(self.space.contains(v) for v in x)

    def __eq__(self, other):
        return (
            isinstance(other, SpaceSequence)
            and self.name == other.name
            and self.space == other.space
            and self.size_range == other.size_range
        )

    def __hash__(self):
        return hash((type(self).__name__, self.name))


class Any(gymnasium.spaces.Space):
    """An opaque protobuf Any value (values are cgym.AnyValue)."""

    def __init__(self, name: str = "", seed=None):
        super().__init__(shape=None, dtype=None, seed=seed)
        self.name = name

    def contains(self, x) -> bool:
        return True


__all__ = [
    "Discrete",
    "NamedDiscrete",
    "Box",
    "Dict",
    "Tuple",
    "Scalar",
    "Sequence",
    "SpaceSequence",
    "Any",
]
