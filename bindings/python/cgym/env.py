# SPDX-License-Identifier: MIT
"""cgym.CompilerEnv: CompilerGym's ClientServiceCompilerEnv over libcgym's cgym_env_t."""

import copy
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional, Union

import gymnasium
import numpy as np

from . import _cgym as C
from . import _convert
from .datasets import Benchmark, Dataset, Datasets
from .errors import ServiceIsClosed, SpaceNotFoundError
from .reward import (
    COST_REWARD_DELTA,
    CostReward,
    DefaultRewardFromObservation,
    Reward,
    _RewardAdapter,
)
from .service import CompilerGymServiceConnection, ConnectionOpts, connect
from .spaces import NamedDiscrete
from .state import CompilerEnvState, ValidationResult

# cgym_step plus the conversion of its result, in one call (see env_step in _cgym.i).
_env_step = C.env_step


class _Unchanged:
    def __repr__(self):
        return "UNCHANGED"


class OptionalArgumentValue:
    UNCHANGED = _Unchanged()


class ObservationSpaceSpec:
    """An observation space: name, index, gymnasium space, flags and default value."""

    def __init__(self, handle, index: int):
        self.id = C.cgym_observation_space_name(handle)
        self.index = index
        self.space = _convert.space_to_py(C.cgym_observation_space_space(handle), self.id)
        self.deterministic = bool(C.cgym_observation_space_deterministic(handle))
        self.platform_dependent = bool(C.cgym_observation_space_platform_dependent(handle))
        self.default_value = _convert.event_to_py(C.cgym_observation_space_default(handle))

    def __repr__(self):
        return f"ObservationSpaceSpec({self.id})"


class ObservationView:
    """env.observation["name"]: computes an observation now."""

    def __init__(self, env: "CompilerEnv"):
        self._env = env

    @property
    def spaces(self) -> dict[str, ObservationSpaceSpec]:
        return self._env._observation_specs

    def __getitem__(self, name: str):
        if name not in self._env._observation_specs:
            raise _observation_not_found(name)
        return _convert.owned_event_to_py(C.cgym_env_observe(self._env._handle(), name))

    def __contains__(self, name):
        return name in self._env._observation_specs

    def __iter__(self):
        return iter(self._env._observation_specs)


class RewardView:
    """env.reward["name"]: computes a reward now."""

    def __init__(self, env: "CompilerEnv"):
        self._env = env

    @property
    def spaces(self) -> dict[str, Reward]:
        return self._env._rewards

    def __getitem__(self, name: str) -> float:
        if name not in self._env._rewards:
            raise _reward_not_found(name)
        return C.cgym_env_reward(self._env._handle(), name)

    def __contains__(self, name):
        return name in self._env._rewards

    def __iter__(self):
        return iter(self._env._rewards)


def _observation_not_found(name) -> SpaceNotFoundError:
    return SpaceNotFoundError(f"Observation space not found: {name}", name)


def _reward_not_found(name) -> SpaceNotFoundError:
    return SpaceNotFoundError(f"Reward space not found: {name}", name)


def _name_of(space) -> Optional[str]:
    if space is None:
        return None
    return space if isinstance(space, str) else getattr(space, "name", getattr(space, "id", None))


class CompilerEnv(gymnasium.Env):
    """A compiler environment, with the API of CompilerGym's ClientServiceCompilerEnv.

    ``service`` is the endpoint: the path of a service binary (managed: launched and owned by
    the env), "host:port" (unmanaged) or "inproc:NAME" (a service registered in this process,
    see cgym.runtime.register_in_process)."""

    def __init__(
        self,
        service: Union[str, Path] = None,
        rewards: Optional[list[Reward]] = None,
        datasets: Optional[Iterable[Dataset]] = None,
        benchmark: Optional[Union[str, Benchmark]] = None,
        observation_space: Optional[str] = None,
        reward_space: Optional[str] = None,
        action_space: Optional[str] = None,
        connection_settings: Optional[ConnectionOpts] = None,
        service_connection: Optional[CompilerGymServiceConnection] = None,
        _handle=None,
        _parent: "CompilerEnv" = None,
    ):
        self._env = None
        self.service_endpoint = service
        self.connection_settings = connection_settings or ConnectionOpts()
        self.datasets = datasets if isinstance(datasets, Datasets) else Datasets(datasets or [])
        self.actions: list[Any] = []
        if _handle is not None:
            self._env = _handle
        elif service_connection is not None:
            self._env = service_connection._take()
            self.service_endpoint = service_connection.endpoint
        else:
            if service is None:
                raise TypeError("No endpoint provided for service connection")
            self._env = connect(service, self.connection_settings)

        self._observation_specs: dict[str, ObservationSpaceSpec] = {}
        n = C.cgym_env_observation_space_count(self._env)
        for i in range(n):
            spec = ObservationSpaceSpec(C.cgym_env_observation_space_at(self._env, i), i)
            self._observation_specs[spec.id] = spec
        if not self._observation_specs:
            raise ValueError("No observation spaces")
        self.observation = ObservationView(self)
        self.reward = RewardView(self)

        if _parent is not None:
            self._rewards = {k: copy.deepcopy(v) for k, v in _parent._rewards.items()}
            self._observation_space_name = _parent._observation_space_name
            self._reward_space_name = _parent._reward_space_name
            self._next_benchmark = _parent._next_benchmark
            self.actions = list(_parent.actions)
            self.datasets = _parent.datasets
            self.service_endpoint = _parent.service_endpoint
            self.connection_settings = _parent.connection_settings
            return

        self._rewards: dict[str, Reward] = {}
        if rewards is None:
            # libcgym made CompilerGym's default rewards (one DefaultRewardFromObservation per
            # scalar observation space) and computes them: they are listed here, not replaced
            # by Python copies (which would also log "Replacing existing reward space").
            env = self._env
            for i in range(C.cgym_env_reward_space_count(env)):
                name = C.cgym_env_reward_space_at(env, i)
                self._rewards[name] = DefaultRewardFromObservation(name)
        else:
            for reward in rewards:
                self.add_reward(reward)
        self._observation_space_name = None
        self._reward_space_name = None
        self._next_benchmark: Optional[Benchmark] = None
        if benchmark is None:
            benchmark = self.datasets.first()
        if benchmark is not None:
            self.benchmark = benchmark
        if action_space is not None:
            self.action_space = action_space
        self.observation_space = observation_space
        self.reward_space = reward_space

    # step() bypasses multistep() and _step() for the agent loop's call, unless a subclass
    # overrides one of them (CompilerGym's step() is defined as a call of multistep()).
    _fast_step = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._fast_step = cls.multistep is CompilerEnv.multistep and cls._step is CompilerEnv._step

    # ---- Handles ------------------------------------------------------------------------

    def _handle(self):
        if self._env is None:
            raise ServiceIsClosed("RPC communication failed because channel is closed")
        return self._env

    @classmethod
    def _from_handle(cls, handle, parent: "CompilerEnv") -> "CompilerEnv":
        return cls(_handle=handle, _parent=parent)

    def add_reward(self, reward: Reward) -> None:
        """Adds (or replaces) a reward space computed by a Python cgym.Reward."""
        C.env_add_python_reward(
            self._handle(),
            reward.name,
            list(reward.observation_spaces),
            float(reward.default_value),
            int(bool(reward.default_negates_returns)),
            int(bool(reward.deterministic)),
            _RewardAdapter(reward),
        )
        self._rewards[reward.name] = reward

    def add_cost_reward(
        self,
        name: str,
        cost_space: str,
        initial_cost_space: str,
        baseline_cost_space: Optional[str] = None,
        kind: int = COST_REWARD_DELTA,
        deterministic: bool = False,
        platform_dependent: bool = True,
    ) -> None:
        """Adds (or replaces) reward space `name`, computed by libcgym as the decrease of the
        scalar observation `cost_space` (cgym_env_add_cost_reward): kind COST_REWARD_DELTA
        (C(prev) - C(now)), COST_REWARD_NORMALIZED (divided by C0, read from
        `initial_cost_space`) or COST_REWARD_BASELINE (divided by max(C0 - Cb, 1), Cb read from
        `baseline_cost_space`)."""
        C.cgym_env_add_cost_reward(
            self._handle(),
            name,
            cost_space,
            initial_cost_space,
            baseline_cost_space,
            int(kind),
            int(bool(deterministic)),
            int(bool(platform_dependent)),
        )
        self._rewards[name] = CostReward(
            name,
            cost_space,
            initial_cost_space,
            baseline_cost_space,
            kind,
            deterministic=deterministic,
            platform_dependent=platform_dependent,
        )

    # ---- Properties ---------------------------------------------------------------------

    @property
    def observation_space_spec(self) -> Optional[ObservationSpaceSpec]:
        if self._observation_space_name is None:
            return None
        return self._observation_specs[self._observation_space_name]

    @property
    def observation_space(self):
        spec = self.observation_space_spec
        return None if spec is None else spec.space

    @observation_space.setter
    def observation_space(self, space) -> None:
        name = _name_of(space)
        if space is not None and name not in self._observation_specs:
            raise _observation_not_found(space)
        C.cgym_env_set_observation_space(self._handle(), name or "")
        self._observation_space_name = name

    @property
    def reward_space_spec(self) -> Optional[Reward]:
        return None if self._reward_space_name is None else self._rewards[self._reward_space_name]

    @property
    def reward_space(self) -> Optional[Reward]:
        return self.reward_space_spec

    @reward_space.setter
    def reward_space(self, space) -> None:
        name = _name_of(space)
        if space is not None and name not in self._rewards:
            raise _reward_not_found(space)
        C.cgym_env_set_reward_space(self._handle(), name or "")
        self._reward_space_name = name

    @property
    def reward_range(self) -> tuple[float, float]:
        reward = self.reward_space
        if reward is None:
            return (-np.inf, np.inf)
        return (reward.min, reward.max)

    @property
    def action_spaces(self) -> list[Any]:
        env = self._handle()
        out = []
        for i in range(C.cgym_env_action_space_count(env)):
            a = C.cgym_env_action_space_at(env, i)
            out.append(
                _convert.space_to_py(C.cgym_action_space_space(a), C.cgym_action_space_name(a))
            )
        return out

    @property
    def action_space(self):
        a = C.cgym_env_action_space(self._handle())
        if a is None:
            return self.action_spaces[0]
        return _convert.space_to_py(C.cgym_action_space_space(a), C.cgym_action_space_name(a))

    @action_space.setter
    def action_space(self, space) -> None:
        name = _name_of(space)
        C.cgym_env_set_action_space(self._handle(), name or "")

    @property
    def benchmark(self) -> Optional[Benchmark]:
        uri = C.cgym_env_benchmark(self._env) if self._env is not None else ""
        if self._next_benchmark is not None and (not uri or not self.in_episode):
            return self._next_benchmark
        if uri:
            return Benchmark(uri)
        return None

    @benchmark.setter
    def benchmark(self, benchmark) -> None:
        b = (
            self.datasets.benchmark(benchmark)
            if not isinstance(benchmark, Benchmark)
            else benchmark
        )
        C.cgym_env_set_benchmark(self._handle(), b.uri, b.program)
        self._next_benchmark = b

    @property
    def in_episode(self) -> bool:
        return self._env is not None and bool(C.cgym_env_in_episode(self._env))

    @property
    def episode_reward(self) -> Optional[float]:
        if self._env is None:
            return None
        value, has = C.cgym_env_episode_reward(self._env)
        return value if has else None

    @property
    def episode_walltime(self) -> float:
        return C.cgym_env_episode_walltime(self._env) if self._env is not None else 0.0

    @property
    def version(self) -> str:
        return C.cgym_env_version(self._handle())[0]

    @property
    def compiler_version(self) -> str:
        return C.cgym_env_version(self._handle())[1]

    @property
    def state(self) -> CompilerEnvState:
        return CompilerEnvState.from_dict(json.loads(C.cgym_env_state_json(self._handle())))

    def state_csv(self, header: bool = False) -> str:
        """The episode's state as a CSV row (benchmark,reward,walltime,commandline), after a
        header line if ``header``, as CompilerGym's CompilerEnvStateWriter writes it."""
        return C.cgym_env_state_csv(self._handle(), int(bool(header)))

    def episode_actions(self) -> list[Any]:
        """The actions of this episode as libcgym sent them to the service (Python values: ints
        for a discrete space). ``env.actions`` holds them as the caller gave them."""
        env = self._handle()
        return [
            _convert.event_to_py(C.cgym_env_action_at(env, i))
            for i in range(C.cgym_env_action_count(env))
        ]

    # ---- Episodes -----------------------------------------------------------------------

    def reset(
        self,
        benchmark=None,
        action_space=None,
        observation_space=OptionalArgumentValue.UNCHANGED,
        reward_space=OptionalArgumentValue.UNCHANGED,
        timeout: float = 300,
        seed=None,
        options=None,
    ):
        """Starts an episode; returns the default observation (or None)."""
        if observation_space is not OptionalArgumentValue.UNCHANGED:
            self.observation_space = observation_space
        if reward_space is not OptionalArgumentValue.UNCHANGED:
            self.reward_space = reward_space
        if benchmark is not None:
            self.benchmark = benchmark
        if action_space is not None:
            self.action_space = action_space
        if self._next_benchmark is None:
            raise TypeError("No benchmark set. Set a benchmark using `env.reset(benchmark=...)`.")
        # cgym_env_reset, with call options cached per timeout value (see env_reset in C).
        observation = C.env_reset(self._handle(), float(timeout))
        self.actions = []
        return observation

    def _resolve_action(self, action):
        if isinstance(action, str):
            space = self.action_space
            if isinstance(space, NamedDiscrete):
                return space[action]
        return action

    def raw_step(
        self,
        actions: Iterable[Any],
        observation_spaces: list[Any],
        reward_spaces: list[Any],
        timeout: float = 300,
    ):
        """Applies actions; returns (observations, rewards, done, info) for the named spaces."""
        obs_names = [_name_of(s) for s in observation_spaces]
        reward_names = [_name_of(s) for s in reward_spaces]
        for name in obs_names:
            if name not in self._observation_specs:
                raise _observation_not_found(name)
        for name in reward_names:
            if name not in self._rewards:
                raise _reward_not_found(name)
        return self._step(actions, obs_names, reward_names, timeout=timeout)

    def _step(
        self,
        actions,
        obs_names,
        reward_names,
        single_obs=False,
        single_reward=False,
        timeout: float = 300,
    ):
        """cgym_step: None for a list of names means the default space (if any), whose
        reward counts towards the episode reward. Returns (observations, rewards, done, info)
        with lists, or with single_* the first value (None if there is none)."""
        actions = [self._resolve_action(a) for a in actions]
        # Ints go to env_step as ints (it makes their int64 events, as new_event would); any
        # other value is converted here into an event handle.
        events = []
        try:
            args = []
            for a in actions:
                if type(a) is int:
                    args.append(a)
                elif isinstance(a, np.integer):  # e.g. action_space.sample()
                    args.append(int(a))
                else:
                    event = _convert.new_event(a)
                    events.append(event)
                    args.append(event)
            result = _env_step(
                self._handle(),
                args,
                obs_names,
                reward_names,
                single_obs,
                single_reward,
                float(timeout),
            )
        except Exception:
            self._record_if_sent(actions)
            raise
        finally:
            for e in events:
                C.cgym_event_free(e)
        self.actions += actions
        return result

    def _record_if_sent(self, actions):
        """After a failed step: records the actions if they were sent (the env's own count grew
        by them), as CompilerGym records actions before sending them."""
        env = self._env
        if env is not None and C.cgym_env_action_count(env) == len(self.actions) + len(actions):
            self.actions += actions

    def multistep(
        self,
        actions: Iterable[Any],
        observation_spaces=None,
        reward_spaces=None,
        observations=None,
        rewards=None,
        timeout: float = 300,
    ):
        """Applies several actions; returns (observation, reward, done, info). Given lists of
        spaces, the observation and reward are lists; otherwise the default spaces' values
        (None without a default space)."""
        if observations is not None:
            observation_spaces = observations
        if rewards is not None:
            reward_spaces = rewards
        single_obs = observation_spaces is None
        single_reward = reward_spaces is None
        for names, known, not_found in (
            (observation_spaces, self._observation_specs, _observation_not_found),
            (reward_spaces, self._rewards, _reward_not_found),
        ):
            for name in names or []:
                if _name_of(name) not in known:
                    raise not_found(_name_of(name))
        return self._step(
            actions,
            None if single_obs else [_name_of(s) for s in observation_spaces],
            None if single_reward else [_name_of(s) for s in reward_spaces],
            single_obs,
            single_reward,
            timeout,
        )

    def step(
        self,
        action,
        observation_spaces=None,
        reward_spaces=None,
        observations=None,
        rewards=None,
        timeout: float = 300,
    ):
        """Applies one action; returns (observation, reward, done, info)."""
        # The agent loop's call (an int action, the default spaces) goes straight to
        # env_step: the same step as multistep's, without its Python layers.
        if (
            type(action) is int
            and observation_spaces is None
            and reward_spaces is None
            and observations is None
            and rewards is None
            and self._fast_step
        ):
            env = self._env
            if env is None:
                raise ServiceIsClosed("RPC communication failed because channel is closed")
            try:
                result = _env_step(env, (action,), None, None, True, True, float(timeout))
            except Exception:
                self._record_if_sent([action])
                raise
            self.actions.append(action)
            return result
        return self.multistep(
            [action], observation_spaces, reward_spaces, observations, rewards, timeout
        )

    def fork(self) -> "CompilerEnv":
        """A new env in the same state (ForkSession, or a replay if the service cannot)."""
        handle = C.cgym_fork(self._handle())
        return type(self)._from_handle(handle, self)

    def close(self) -> None:
        """Ends the episode and releases the service (idempotent). A later reset()
        reconnects."""
        if self._env is not None:
            C.cgym_env_close(self._env)

    def __del__(self):
        env = getattr(self, "_env", None)
        if env is not None:
            self._env = None
            try:
                C.cgym_env_free(env)
            except Exception:
                pass

    def send_param(self, key: str, value: str, resend_on_reset: bool = False) -> str:
        return C.cgym_send_param(self._handle(), str(key), str(value), int(resend_on_reset))

    def send_params(self, *params: tuple[str, str], resend_on_reset: bool = False) -> list[str]:
        keys = [str(k) for k, _ in params]
        values = [str(v) for _, v in params]
        return C.send_params_py(self._handle(), keys, values, int(resend_on_reset))

    def apply(self, state: CompilerEnvState) -> None:
        C.cgym_env_apply_state(self._handle(), state.json())

    def validate(self, state: Optional[CompilerEnvState] = None) -> ValidationResult:
        state = state or self.state
        okay, result = C.cgym_env_validate(self._handle(), state.json())
        data = json.loads(result) if result else {}
        if not okay and not data.get("errors"):
            data["errors"] = [{"type": "validation failed", "data": {}}]
        return ValidationResult(state, data)

    def commandline(self) -> str:
        raise NotImplementedError("abstract method")

    def commandline_to_actions(self, commandline: str) -> list[int]:
        raise NotImplementedError("abstract method")

    def render(self, mode="human"):
        if self.observation_space_spec is None:
            raise ValueError("Cannot call render() when no observation space is used")
        value = self.observation[self._observation_space_name]
        if mode == "human":
            print(value)
            return None
        if mode == "ansi":
            return str(value)
        raise ValueError(f"Invalid mode: {mode}")

    # ---- Python protocols ---------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __copy__(self):
        raise TypeError(
            "ClientServiceCompilerEnv instances do not support shallow copies. Use deepcopy()"
        )

    def __deepcopy__(self, memo):
        forked = self.fork()
        memo[id(self)] = forked
        return forked

    def __repr__(self):
        return f"CompilerEnv({self.service_endpoint}, benchmark={self.benchmark})"


ClientServiceCompilerEnv = CompilerEnv
