# SPDX-License-Identifier: MIT
"""Environments by name, as CompilerGym's gym.make(): cgym.make("llvm-ic-v0") is the LLVM
phase-ordering environment (cgym_make) with the id's default spaces, its twelve cost rewards,
its datasets (env.datasets) and user benchmarks (env.make_benchmark).

    import cgym
    with cgym.make("llvm-ic-v0", benchmark="cgym-v0/fibonacci") as env:
        env.reset()
        observation, reward, done, info = env.step(env.action_space["-mem2reg"])
"""

import os
import shlex
from typing import Optional, Union

from . import _cgym as C
from .datasets import (
    Benchmark,
    Datasets,
    make_benchmark,
    make_benchmark_from_source,
)
from .datasets import (
    datasets as _datasets,
)
from .env import CompilerEnv, _name_of
from .reward import (
    COST_REWARD_BASELINE,
    COST_REWARD_DELTA,
    COST_REWARD_NORMALIZED,
    CostReward,
)
from .service import ConnectionOpts


class _Default:
    def __repr__(self):
        return "<the id's default>"


#: Leaves a space of cgym.make() at the id's default.
DEFAULT = _Default()

# Each id's default observation and reward space, as cgym_make() documents them; the env
# tracks its spaces on the client, so it must know the ones cgym_make() chose.
_ID_DEFAULTS = {
    "llvm-v0": (None, None),
    "llvm-ic-v0": (None, "IrInstructionCountOz"),
    "llvm-codesize-v0": (None, "ObjectTextSizeOz"),
    "llvm-autophase-ic-v0": ("Autophase", "IrInstructionCountOz"),
    "llvm-autophase-codesize-v0": ("Autophase", "ObjectTextSizeOz"),
}
#: The benchmark of an env of cgym.make() until another is chosen.
DEFAULT_BENCHMARK = "benchmark://cgym-v0/sorting"


def _cost_rewards() -> dict[str, CostReward]:
    """Descriptions of the twelve rewards cgym_make() adds (the env computes them in C)."""
    rewards = {}
    # Deterministic all; the sizes of object code depend on the platform, IR counts do not.
    for prefix, cost, plain, platform_dependent in (
        ("IrInstructionCount", "IrInstructionCount", "IrInstructionCount", False),
        ("ObjectTextSize", "ObjectTextSizeBytes", "ObjectTextSizeBytes", True),
        ("TextSize", "TextSizeBytes", "TextSizeBytes", True),
    ):
        initial = prefix + "O0"
        for name, kind, baseline in (
            (plain, COST_REWARD_DELTA, None),
            (prefix + "Norm", COST_REWARD_NORMALIZED, None),
            (prefix + "O3", COST_REWARD_BASELINE, prefix + "O3"),
            (prefix + "Oz", COST_REWARD_BASELINE, prefix + "Oz"),
        ):
            rewards[name] = CostReward(
                name,
                cost,
                initial,
                baseline,
                kind,
                deterministic=True,
                platform_dependent=platform_dependent,
            )
    return rewards


def env_ids() -> list[str]:
    """The ids cgym.make() accepts, in order (cgym_env_ids)."""
    return C.cgym_env_ids()


def env_service_path(env_id: str, plugin: bool = False) -> str:
    """Where cgym.make() finds the compiler of `env_id`: the service binary, or with
    ``plugin`` the session plugin (cgym_env_service_path). EnvironmentNotSupported if it is not
    installed; FileNotFoundError for an unknown id."""
    return C.cgym_env_service_path(env_id, int(bool(plugin)))


class LlvmEnv(CompilerEnv):
    """An env of cgym.make(): a CompilerEnv with the LLVM environment's extras. ``env_id`` is
    the id it was made with."""

    env_id: str = ""

    @classmethod
    def _from_handle(cls, handle, parent: "CompilerEnv") -> "CompilerEnv":
        env = super()._from_handle(handle, parent)
        env.env_id = getattr(parent, "env_id", "")
        return env

    def make_benchmark(self, inputs, copt=None) -> Benchmark:
        """cgym.make_benchmark(): a benchmark from the user's files, for reset()."""
        return make_benchmark(inputs, copt)

    def make_benchmark_from_source(self, source: str, copt=None, lang: str = "c") -> Benchmark:
        """cgym.make_benchmark_from_source(): a benchmark from a string of source code."""
        return make_benchmark_from_source(source, copt, lang)

    def commandline(self) -> str:
        """The episode's actions as an opt command line."""
        return self.state.commandline

    def commandline_to_actions(self, commandline: str) -> list[int]:
        """The actions of an opt command line (as commandline() writes it). LookupError for
        a flag that is no action."""
        words = shlex.split(commandline)
        if words and not words[0].startswith("-"):
            words = words[1:]  # the program's name
        space = self.action_space
        actions = []
        skip = False
        for word in words:
            if skip:
                skip = False
            elif word == "-o":
                skip = True  # the output file
            elif word.startswith("-"):
                if word not in space.names:
                    raise LookupError(f"Unknown action: {word}")
                actions.append(space[word])
        return actions

    def __repr__(self):
        return f"LlvmEnv({self.env_id}, benchmark={self.benchmark})"


def make(
    id: str,
    endpoint: Optional[Union[str, os.PathLike]] = None,
    *,
    benchmark: Optional[Union[str, Benchmark]] = None,
    observation_space=DEFAULT,
    reward_space=DEFAULT,
    action_space: Optional[str] = None,
    connection_settings: Optional[ConnectionOpts] = None,
) -> LlvmEnv:
    """Makes an env by id (cgym_make), as CompilerGym's gym.make() does.

    ``endpoint``: None for a managed service (the installed cgym-llvm-service, launched now
    and owned by the env), "inproc" for the compiler in this process (the installed
    libcgym-llvm.so), "host:port" or "unix:PATH" for a service someone else runs (`cgym
    serve`), or anything CompilerEnv accepts. ``benchmark``: a URI, or a cgym.Benchmark (with
    program bytes, e.g. from make_benchmark()); the default is benchmark://cgym-v0/sorting.
    ``observation_space`` and ``reward_space``: names, or None for none; left out, the id's
    defaults. CGYM_LLVM_SERVICE and CGYM_LLVM_PLUGIN name the service and the plugin.

    Raises FileNotFoundError for an unknown id (the message lists the ids),
    EnvironmentNotSupported if the service or the plugin is not installed, LookupError for a
    benchmark its dataset does not have, and the errors of CompilerEnv for the rest.
    """
    id = str(id)
    defaults = _ID_DEFAULTS.get(id)
    try:
        datasets = _datasets(id)
    except FileNotFoundError:
        datasets = None  # an unknown id: cgym_make says so below, with the known ids
    if benchmark is not None and not isinstance(benchmark, Benchmark) and datasets is not None:
        benchmark = datasets.benchmark(benchmark)
    elif benchmark is not None and not isinstance(benchmark, Benchmark):
        benchmark = Benchmark(benchmark)
    observation = (defaults or (None, None))[0] if observation_space is DEFAULT else None
    reward = (defaults or (None, None))[1] if reward_space is DEFAULT else None
    if observation_space is not DEFAULT:
        observation = _name_of(observation_space)
    if reward_space is not DEFAULT:
        reward = _name_of(reward_space)
    settings = connection_settings or ConnectionOpts()
    options = settings.to_options()
    try:
        if benchmark is not None:
            C.cgym_options_set_benchmark(options, benchmark.uri, benchmark.program)
        # Spaces the caller chose, and every space of an id this table does not know, are
        # set explicitly: the client's idea of them must be the env's.
        if observation_space is not DEFAULT or defaults is None:
            C.cgym_options_set_observation_space(options, observation or "")
        if reward_space is not DEFAULT or defaults is None:
            C.cgym_options_set_reward_space(options, reward or "")
        if action_space is not None:
            C.cgym_options_set_action_space(options, _name_of(action_space))
        handle = C.cgym_make(id, "" if endpoint is None else os.fspath(endpoint), options)
    finally:
        C.cgym_options_free(options)
    # The env owns the handle from here on, even if its constructor fails (its __del__).
    env = LlvmEnv(
        _handle=handle,
        datasets=datasets if datasets is not None else Datasets(),
        benchmark=benchmark if benchmark is not None else Benchmark(DEFAULT_BENCHMARK),
        observation_space=observation,
        reward_space=reward,
        connection_settings=settings,
    )
    env.env_id = id
    env.service_endpoint = endpoint
    for name, description in _cost_rewards().items():
        if name in env._rewards:
            env._rewards[name] = description
    return env


def register_gymnasium_envs() -> None:
    """Registers every id of cgym.make() with gymnasium (once: an id already registered is
    left alone), so that gymnasium.make("llvm-ic-v0", endpoint="inproc", ...) returns the env
    as a gymnasium.Env (cgym.wrappers.GymnasiumEnv). The keyword arguments of gymnasium.make go
    to cgym.make(). gymnasium's passive env checker stays off for ids without a default
    observation space, whose observations are None (as CompilerGym's). gymnasium.make_vec(id,
    num_envs=N) makes a cgym.vector.VecEnv (the ids' vector entry point; keyword arguments go
    to it)."""
    import gymnasium

    for env_id in env_ids():
        if env_id in gymnasium.registry:
            continue
        observation = _ID_DEFAULTS.get(env_id, (None, None))[0]
        gymnasium.register(
            id=env_id,
            entry_point="cgym.wrappers:make_gymnasium_env",
            vector_entry_point="cgym.vector:make_gymnasium_vec_env",
            kwargs={"env_id": env_id},
            disable_env_checker=observation is None,
        )
