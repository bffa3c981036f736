# SPDX-License-Identifier: MIT
"""cgym: a CompilerGym-compatible Python package over libcgym (include/cgym.h).

    import cgym
    with cgym.CompilerEnv("path/to/service", benchmark="benchmark://x/y",
                          observation_space="ir") as env:
        env.reset()
        observation, reward, done, info = env.step(0)

    with cgym.make("llvm-ic-v0", benchmark="cgym-v0/fibonacci") as env:  # by id
        env.reset()
        observation, reward, done, info = env.step("-mem2reg")

The ids of cgym.make() are also registered with gymnasium at import:
gymnasium.make("llvm-ic-v0") is the env as a gymnasium.Env.

Modules: cgym.errors (exceptions), cgym.spaces, cgym.service (ConnectionOpts,
CompilerGymServiceConnection), cgym.runtime (sessions written in Python), cgym.messages
(CompilerGym's protobuf messages as bytes), cgym.wrappers (gymnasium adapter), cgym.llvm
(environments by name: make, env_ids), cgym.datasets (benchmarks and datasets; also callable:
cgym.datasets(env_id)), cgym.vector (many envs at once: StepQueue, VecEnv, make_vec).
"""

from . import _cgym

#: The major version of libcgym this package was built for (cgym.h).
CGYM_VERSION_MAJOR = _cgym.CGYM_VERSION_MAJOR


def _check_library_version(loaded: int, loaded_string: str, major: int) -> None:
    """Refuses a libcgym of another major version than the one the binding was built for."""
    if loaded // 10000 != major:
        raise ImportError(
            f"cgym was built for libcgym {major}.x but loaded libcgym {loaded_string}: "
            "rebuild the binding against this library"
        )


_check_library_version(_cgym.cgym_version_number(), _cgym.cgym_version_string(), CGYM_VERSION_MAJOR)

from . import (  # noqa: E402  (errors registers the exception factory)
    datasets,
    errors,
    llvm,
    messages,
    runtime,
    service,
    spaces,
    vector,
    wrappers,
)
from ._convert import AnyValue  # noqa: E402
from .datasets import (  # noqa: E402
    Benchmark,
    Dataset,
    Datasets,
    LibraryDataset,
    make_benchmark,
    make_benchmark_from_source,
)
from .env import ClientServiceCompilerEnv, CompilerEnv, ObservationSpaceSpec, OptionalArgumentValue  # noqa: E402
from .errors import (  # noqa: E402
    BenchmarkInitError,
    EnvironmentNotSupported,
    ServiceError,
    ServiceInitError,
    ServiceIsClosed,
    ServiceOSError,
    ServiceTransportError,
    SessionNotFound,
    SpaceNotFoundError,
)
from .llvm import LlvmEnv, env_ids, env_service_path, make  # noqa: E402
from .reward import CostReward, DefaultRewardFromObservation, Reward  # noqa: E402
from .runtime import ActionSpace, CompilationSession, ObservationSpace  # noqa: E402
from .state import (  # noqa: E402
    CompilerEnvState,
    ValidationError,
    ValidationResult,
    states_from_csv,
    states_to_csv,
)
from .vector import StepQueue, VecEnv, make_vec  # noqa: E402

#: The version of cgym.h this package was built against (the package's own version).
__version__ = f"{_cgym.CGYM_VERSION_MAJOR}.{_cgym.CGYM_VERSION_MINOR}.{_cgym.CGYM_VERSION_PATCH}"


def version() -> str:
    """The version of the loaded libcgym."""
    return _cgym.cgym_version_string()


def protocol_version() -> str:
    """The CompilerGym protocol version libcgym speaks (a libcgym service's service_version)."""
    return _cgym.cgym_protocol_version_string()


llvm.register_gymnasium_envs()


__all__ = [
    "ActionSpace",
    "AnyValue",
    "Benchmark",
    "BenchmarkInitError",
    "ClientServiceCompilerEnv",
    "CompilationSession",
    "CompilerEnv",
    "CompilerEnvState",
    "CostReward",
    "Dataset",
    "Datasets",
    "DefaultRewardFromObservation",
    "EnvironmentNotSupported",
    "LibraryDataset",
    "LlvmEnv",
    "ObservationSpace",
    "ObservationSpaceSpec",
    "OptionalArgumentValue",
    "Reward",
    "ServiceError",
    "ServiceInitError",
    "ServiceIsClosed",
    "ServiceOSError",
    "ServiceTransportError",
    "StepQueue",
    "SessionNotFound",
    "SpaceNotFoundError",
    "ValidationError",
    "ValidationResult",
    "VecEnv",
    "datasets",
    "env_ids",
    "env_service_path",
    "errors",
    "llvm",
    "make",
    "make_benchmark",
    "make_benchmark_from_source",
    "make_vec",
    "messages",
    "protocol_version",
    "runtime",
    "service",
    "spaces",
    "states_from_csv",
    "states_to_csv",
    "vector",
    "version",
    "wrappers",
]
