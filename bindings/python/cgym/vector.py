# SPDX-License-Identifier: MIT
"""Many environments at once: pipelined steps (StepQueue) and vector environments (VecEnv).

A StepQueue keeps many envs busy from one thread: submit() sends a step and returns at once,
next() takes the results as they complete (cgym_step_queue_*):

    with cgym.vector.StepQueue() as queue:
        for i, env in enumerate(envs):
            queue.submit(env, 0, tag=i)
        while len(queue):
            tag, observation, reward, done, info = queue.next()

A VecEnv is a gymnasium.vector.VectorEnv of N envs of one kind stepped together in C
(cgym_vec_env_*), with numpy batched observations and gymnasium's three autoreset modes:

    with cgym.make_vec("llvm-autophase-ic-v0", num_envs=8) as envs:
        observations, infos = envs.reset()      # int64 array of shape (8, 56)
        observations, rewards, terminations, truncations, infos = envs.step(actions)

gymnasium.make_vec("llvm-autophase-ic-v0", num_envs=8, vectorization_mode="vector_entry_point")
makes the same VecEnv.
"""

import math
import os
from typing import Any, Optional, Union

import gymnasium
import numpy as np
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from . import _cgym as C
from . import _convert
from .datasets import Benchmark, Datasets
from .datasets import datasets as _datasets
from .env import CompilerEnv, _name_of, _observation_not_found, _reward_not_found
from .errors import ServiceIsClosed, make_exception
from .llvm import _ID_DEFAULTS, DEFAULT, DEFAULT_BENCHMARK, LlvmEnv, _cost_rewards
from .service import ConnectionOpts

__all__ = ["AutoresetMode", "StepQueue", "VecEnv", "make_vec"]

# gymnasium's modes as cgym.h's CGYM_AUTORESET_* values.
_AUTORESET_CODES = {
    AutoresetMode.NEXT_STEP: 0,
    AutoresetMode.SAME_STEP: 1,
    AutoresetMode.DISABLED: 2,
}
_AUTORESET_MODES = {code: mode for mode, code in _AUTORESET_CODES.items()}
# Which values cgympy_vec_env_values copies.
_REWARDS, _DONES, _OBSERVATIONS_INT64, _OBSERVATIONS_DOUBLE = 0, 1, 2, 3


def _closed() -> ServiceIsClosed:
    return ServiceIsClosed("RPC communication failed because channel is closed")


# ---- Step queues ------------------------------------------------------------------------------


class StepQueue:
    """A queue of steps in flight (cgym_step_queue_t), used by one thread at a time.

    From submit() until next() returns its result, the env belongs to the queue: any other
    call with it raises TypeError ("The env has a step in flight"). Results come out in the
    order the steps complete, each with the tag it was submitted with."""

    def __init__(self):
        self._queue = C.cgym_step_queue_new()
        # The libcgym tag of each step in flight -> (env, tag, actions, single_*): the caller's
        # tags need not be unique, and next() returns what env.step would have returned.
        self._pending: dict[int, tuple] = {}
        self._serial = 0

    def _handle(self):
        if self._queue is None:
            raise ValueError("The step queue is closed")
        return self._queue

    def submit(
        self,
        env: CompilerEnv,
        action,
        *,
        observation_spaces=None,
        reward_spaces=None,
        timeout: float = 300,
        tag: int = 0,
    ) -> None:
        """Submits a step of ``env`` and returns without waiting for it. ``action`` is an action
        as env.step takes it (int or name), or a list of them (as env.multistep takes them);
        ``observation_spaces`` and ``reward_spaces`` are lists of spaces (None: the default
        space, whose value comes back alone, as from env.step). Errors found before anything
        is sent (an unknown space, a bad action, no reset yet, a step of this env already in
        flight) are raised here, and nothing is queued."""
        queue = self._handle()
        actions = list(action) if isinstance(action, (list, tuple)) else [action]
        actions = [env._resolve_action(a) for a in actions]
        for names, known, not_found in (
            (observation_spaces, env._observation_specs, _observation_not_found),
            (reward_spaces, env._rewards, _reward_not_found),
        ):
            for name in names or []:
                if _name_of(name) not in known:
                    raise not_found(_name_of(name))
        single_obs = observation_spaces is None
        single_reward = reward_spaces is None
        events = []
        try:
            args = []
            for a in actions:
                if type(a) is int:
                    args.append(a)
                elif isinstance(a, np.integer):
                    args.append(int(a))
                else:
                    event = _convert.new_event(a)
                    events.append(event)
                    args.append(event)
            serial = self._serial
            C.step_submit(
                queue,
                env._handle(),
                args,
                None if single_obs else [_name_of(s) for s in observation_spaces],
                None if single_reward else [_name_of(s) for s in reward_spaces],
                float(timeout),
                serial,
            )
        finally:
            for e in events:
                C.cgym_event_free(e)
        self._serial += 1
        self._pending[serial] = (env, tag, actions, single_obs, single_reward)

    def next(self, timeout: Optional[float] = None):
        """Takes the result of a completed step, waiting up to ``timeout`` seconds (None: until
        one completes; 0: no wait): ``(tag, observation, reward, done, info)``, the last four
        exactly as env.step returns them. A step that failed raises its error here, once its
        env is free again, with the step's tag as the exception's ``tag``. ServiceError
        (OUT_OF_RANGE) "No step in the queue" if the queue is empty; TimeoutError if no step
        completed in time."""
        wait = math.inf if timeout is None else float(timeout)
        serial, result = C.step_queue_next(self._handle(), wait)
        try:
            env, tag, actions, single_obs, single_reward = self._pending.pop(serial)
            status = C.cgym_step_result_status(result)
            if status != 0:
                message = C.cgym_step_result_status_message(result)
                env._record_if_sent(actions)
                error = make_exception(status, message)
                error.tag = tag
                raise error
            observation, reward, done, info = C.step_result_to_py(result, single_obs, single_reward)
        finally:
            C.cgym_step_result_free(result)
        env.actions += actions
        return tag, observation, reward, done, info

    def __len__(self) -> int:
        """The number of steps submitted and not yet taken."""
        return 0 if self._queue is None else C.cgym_step_queue_size(self._queue)

    def close(self) -> None:
        """Waits for the steps still in flight, drops their results (their envs are free again)
        and frees the queue. Idempotent."""
        queue, self._queue = self._queue, None
        if queue is not None:
            C.cgym_step_queue_free(queue)
        self._pending.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


# ---- Vector environments ----------------------------------------------------------------------


class _Borrowed:
    """An env of a VecEnv (cgym_vec_env_at): usable between steps of the vector env, owned by
    it. close() leaves it open and it is never freed from Python; the vector env's close()
    closes it. Its forks are ordinary envs of its class."""

    _owning_class: type = CompilerEnv

    @classmethod
    def _from_handle(cls, handle, parent):
        return cls._owning_class._from_handle(handle, parent)

    def close(self) -> None:
        """Does nothing: the vector env owns this env."""

    def _release(self) -> None:
        self._env = None

    def __del__(self):
        self._env = None


class _BorrowedCompilerEnv(_Borrowed, CompilerEnv):
    _owning_class = CompilerEnv


class _BorrowedLlvmEnv(_Borrowed, LlvmEnv):
    _owning_class = LlvmEnv


def _single_observation_space(space):
    """The space of one env's row of the batched observations: a Box for the numeric spaces
    (a cgym.spaces.Scalar becomes a Box of shape ()), an empty Box without a space, else the
    space itself."""
    if space is None:
        return gymnasium.spaces.Box(0.0, 0.0, shape=(0,), dtype=np.float64)
    if isinstance(space, gymnasium.spaces.Box):
        return space
    dtype = getattr(space, "dtype", None)
    if (
        space.shape == ()
        and dtype is not None
        and (np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating))
    ):
        low = -np.inf if getattr(space, "min", None) is None else space.min
        high = np.inf if getattr(space, "max", None) is None else space.max
        dtype = np.int64 if np.issubdtype(dtype, np.integer) else np.float64
        if dtype is np.int64:
            info = np.iinfo(np.int64)
            low = info.min if not np.isfinite(low) else low
            high = info.max if not np.isfinite(high) else high
        return gymnasium.spaces.Box(low, high, shape=(), dtype=dtype)
    return space


def _uris(benchmark) -> list:
    if benchmark is None:
        return []
    if isinstance(benchmark, (str, Benchmark, os.PathLike)):
        return [benchmark]
    return list(benchmark)


class VecEnv(gymnasium.vector.VectorEnv):
    """``num_envs`` envs of one kind stepped together (cgym_vec_env_t), as a
    gymnasium.vector.VectorEnv.

    With ``id`` (one of cgym.env_ids()), each env is what cgym.make(id, endpoint) makes, with
    the id's default spaces; with id None, what cgym.CompilerEnv(endpoint) makes (a service
    binary's path, "HOST:PORT[,HOST:PORT...]" or "inproc:NAME"). A managed service is started
    ``num_services`` times (0: one per core, never more than num_envs), env i on service
    i % num_services; a list of "HOST:PORT" puts env i on the (i % count)-th of them.

    ``benchmark``: a URI or cgym.Benchmark, or one per env. ``observation_space`` and
    ``reward_space``: names, or None for none; left out, the id's defaults (none without an
    id). ``autoreset_mode``: what happens to an env whose episode ends (see gymnasium's
    AutoresetMode). ``timeout``: the deadline of each call, in seconds.

    Observations are a numpy array of num_envs rows: int64 for integer spaces (Autophase),
    float64 for the other numeric ones, shape (num_envs, 0) without an observation space. An
    env whose step fails (an action its service rejects, a service that died) ends its
    episode: it is terminated, with "error_type" and "error_details" in the infos.
    """

    def __init__(
        self,
        id: Optional[str] = None,
        num_envs: int = 1,
        *,
        endpoint: Optional[Union[str, os.PathLike]] = None,
        num_services: int = 0,
        autoreset_mode: Union[AutoresetMode, str] = AutoresetMode.NEXT_STEP,
        benchmark=None,
        observation_space=DEFAULT,
        reward_space=DEFAULT,
        action_space: Optional[str] = None,
        timeout: float = 300,
        connection_settings: Optional[ConnectionOpts] = None,
        render_mode: Optional[str] = None,
    ):
        self._vec = None
        self.envs: list[CompilerEnv] = []
        self.closed = False
        self.timeout = float(timeout)
        self.render_mode = render_mode
        if id is None and not endpoint:
            raise TypeError("No endpoint provided for service connection")
        autoreset_mode = AutoresetMode(autoreset_mode)
        id = None if id is None else str(id)
        defaults = _ID_DEFAULTS.get(id) if id is not None else (None, None)
        datasets = None
        if id is not None:
            try:
                datasets = _datasets(id)
            except FileNotFoundError:
                datasets = None  # an unknown id: cgym_vec_env_new says so, with the known ids
        benchmarks = [self._benchmark(b, datasets) for b in _uris(benchmark)]
        if id is not None and not benchmarks:
            benchmarks = [Benchmark(DEFAULT_BENCHMARK)]
        observation = (defaults or (None, None))[0]
        reward = (defaults or (None, None))[1]
        if observation_space is not DEFAULT:
            observation = _name_of(observation_space)
        if reward_space is not DEFAULT:
            reward = _name_of(reward_space)
        settings = connection_settings or ConnectionOpts()
        options = settings.to_options()
        try:
            if benchmarks:
                C.cgym_options_set_benchmark(options, benchmarks[0].uri, benchmarks[0].program)
            C.cgym_options_set_observation_space(options, observation or "")
            C.cgym_options_set_reward_space(options, reward or "")
            if action_space is not None:
                C.cgym_options_set_action_space(options, _name_of(action_space))
            self._vec = C.cgym_vec_env_new(
                id,
                None if endpoint is None else os.fspath(endpoint),
                int(num_envs),
                int(num_services),
                options,
            )
        finally:
            C.cgym_options_free(options)

        self._datasets = datasets
        cost_rewards = _cost_rewards() if id is not None else {}
        for i in range(C.cgym_vec_env_num_envs(self._vec)):
            handle = C.cgym_vec_env_at(self._vec, i)
            if id is not None:
                env = _BorrowedLlvmEnv(
                    _handle=handle,
                    datasets=datasets if datasets is not None else Datasets(),
                    benchmark=benchmarks[i % len(benchmarks)],
                    observation_space=observation,
                    reward_space=reward,
                    connection_settings=settings,
                )
                env.env_id = id
                for name, description in cost_rewards.items():
                    if name in env._rewards:
                        env._rewards[name] = description
            else:
                env = _BorrowedCompilerEnv(
                    _handle=handle,
                    benchmark=benchmarks[i % len(benchmarks)] if benchmarks else None,
                    observation_space=observation,
                    reward_space=reward,
                    connection_settings=settings,
                )
            env.service_endpoint = endpoint
            self.envs.append(env)
        self.num_envs = len(self.envs)
        self._ended = np.zeros(self.num_envs, dtype=np.bool_)
        self.autoreset_mode = autoreset_mode
        self.metadata = {"autoreset_mode": autoreset_mode, "render_modes": []}

        first = self.envs[0]
        self._raw_observation_space = first.observation_space
        self.single_observation_space = _single_observation_space(first.observation_space)
        single = self.single_observation_space
        if first.observation_space is None:
            self._observation_kind = None
        elif isinstance(single, gymnasium.spaces.Box):
            integer = np.issubdtype(single.dtype, np.integer)
            self._observation_kind = _OBSERVATIONS_INT64 if integer else _OBSERVATIONS_DOUBLE
        else:
            self._observation_kind = "object"
        try:
            self.observation_space = batch_space(single, self.num_envs)
        except (TypeError, ValueError):
            self.observation_space = gymnasium.spaces.Tuple([single] * self.num_envs)
        self.single_action_space = first.action_space
        self.action_space = batch_space(self.single_action_space, self.num_envs)

    @staticmethod
    def _benchmark(benchmark, datasets) -> Benchmark:
        if isinstance(benchmark, Benchmark):
            return benchmark
        if datasets is not None:
            return datasets.benchmark(str(benchmark))
        return Benchmark(str(benchmark))

    # ---- Handles and properties ---------------------------------------------------------

    def _handle(self):
        if self._vec is None:
            raise _closed()
        return self._vec

    @property
    def num_services(self) -> int:
        """The number of services the envs run on."""
        return C.cgym_vec_env_num_services(self._vec) if self._vec is not None else 0

    @property
    def autoreset_mode(self) -> AutoresetMode:
        if self._vec is None:
            return self._autoreset_mode
        return _AUTORESET_MODES[C.cgym_vec_env_autoreset(self._vec)]

    @autoreset_mode.setter
    def autoreset_mode(self, mode: Union[AutoresetMode, str]) -> None:
        mode = AutoresetMode(mode)
        C.cgym_vec_env_set_autoreset(self._handle(), _AUTORESET_CODES[mode])
        self._autoreset_mode = mode
        metadata = getattr(self, "metadata", None)
        if isinstance(metadata, dict):
            metadata["autoreset_mode"] = mode

    def env_at(self, index: int) -> CompilerEnv:
        """Env ``index``, borrowed: to set its benchmark or spaces, send parameters, observe it,
        read its state or fork it between steps. It is closed with the vector env."""
        return self.envs[index]

    # ---- Results ------------------------------------------------------------------------

    def _values(self, which: int, dtype) -> np.ndarray:
        data, _ = C.vec_env_values(self._vec, which)
        return np.frombuffer(data, dtype=dtype)

    def _observations(self):
        n = self.num_envs
        kind = self._observation_kind
        if kind is None:
            return np.zeros((n, 0), dtype=np.float64)
        if kind == "object":
            return tuple(self._observation_of(i) for i in range(n))
        shape = self.single_observation_space.shape
        dtype = np.int64 if kind == _OBSERVATIONS_INT64 else np.float64
        size = math.prod(shape)
        try:
            data, width = C.vec_env_values(self._vec, kind)
            rows = np.frombuffer(data, dtype=dtype).reshape(n, width)
        except TypeError:
            # FAILED_PRECONDITION: an env without an observation (a failed reset): row by row.
            rows = np.zeros((n, size), dtype=dtype)
            for i in range(n):
                value = self._observation_of(i)
                if value is not None:
                    flat = np.asarray(value, dtype=dtype).reshape(-1)[:size]
                    rows[i, : flat.size] = flat
            width = size
        if width != size:
            # A row of a failed env may be empty: the matrix is as wide as the longest row.
            fitted = np.zeros((n, size), dtype=dtype)
            fitted[:, : min(size, width)] = rows[:, : min(size, width)]
            rows = fitted
        return rows.reshape((n, *shape))

    def _observation_of(self, index: int):
        result = C.cgym_vec_env_result(self._vec, index)
        if result is None:
            return None
        return C.step_result_to_py(result, 1, 1)[0]

    def _infos(self, mask=None, final: bool = False, with_flags: bool = True) -> dict[str, Any]:
        infos: dict[str, Any] = {}
        for i, info in enumerate(C.vec_env_infos(self._vec, int(final), int(with_flags))):
            if info is not None and (mask is None or mask[i]):
                infos = self._add_info(infos, info, i)
        return infos

    # ---- Episodes -----------------------------------------------------------------------

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict[str, Any]] = None):
        """Resets every env, or with ``options={"reset_mask": mask}`` (a numpy bool array of
        num_envs entries) those of the mask; ``options={"benchmark": ...}`` (a URI, or one per
        env) sets their benchmark first. ``seed`` is accepted and ignored: benchmarks are
        deterministic. Returns (observations, infos). Every env asked for is reset even if one
        fails; then the first failure is raised."""
        super().reset(seed=seed)
        vec = self._handle()
        options = dict(options or {})
        mask = options.pop("reset_mask", None)
        if mask is not None:
            if not isinstance(mask, np.ndarray):
                raise TypeError(f"`options['reset_mask']` must be a numpy array, got {type(mask)}")
            if mask.shape != (self.num_envs,):
                raise ValueError(
                    f"`options['reset_mask']` must have shape `({self.num_envs},)`, "
                    f"got {mask.shape}"
                )
            if mask.dtype != np.bool_:
                raise TypeError(
                    f"`options['reset_mask']` must have `dtype=np.bool_`, got {mask.dtype}"
                )
            if not mask.any():
                raise ValueError("`options['reset_mask']` must contain at least one True value")
        if "benchmark" in options:
            # One benchmark for all, one per env, or a list that the envs reset take in turn.
            benchmarks = _uris(options.pop("benchmark"))
            chosen = [i for i in range(self.num_envs) if mask is None or mask[i]]
            for k, i in enumerate(chosen):
                j = i if len(benchmarks) == self.num_envs else k % len(benchmarks)
                b = self._benchmark(benchmarks[j], self._datasets)
                # The same URI again is left alone: setting it mid-episode only logs a warning.
                if b.program is not None or str(self.envs[i].benchmark) != b.uri:
                    self.envs[i].benchmark = b
        C.vec_env_reset(
            vec, None if mask is None else np.ascontiguousarray(mask, np.uint8), self.timeout
        )
        for i, env in enumerate(self.envs):
            if mask is None or mask[i]:
                env.actions = []
                self._ended[i] = False
        return self._observations(), self._infos(mask, with_flags=False)

    def step(self, actions):
        """Steps every env with one action each (an index into its action space): returns
        (observations, rewards float64, terminations bool, truncations bool (never set),
        infos). infos has "action_had_no_effect" for every env, "error_type" and
        "error_details" for envs whose step failed and, with SAME_STEP, "final_obs" and
        "final_info" for envs whose episode ended (each key with its "_key" mask). ValueError
        unless there is one action per env."""
        vec = self._handle()
        actions = np.ascontiguousarray(np.asarray(actions, dtype=np.int64).reshape(-1))
        C.vec_env_step(vec, actions, self.timeout)
        observations = self._observations()
        rewards = self._values(_REWARDS, np.float64)
        terminations = self._values(_DONES, np.uint8).astype(np.bool_)
        truncations = np.zeros(self.num_envs, dtype=np.bool_)
        infos: dict[str, Any] = {}
        if self._autoreset_mode == AutoresetMode.SAME_STEP:
            finals = C.vec_env_final_results(vec, 1, 1)
            final_infos = C.vec_env_infos(vec, 1, 1)
            for i, final in enumerate(finals):
                if final is not None:
                    # gymnasium's SAME_STEP: the row's observation is the reset's, its reward
                    # and termination the ended step's (libcgym's latest result is the reset).
                    rewards[i] = 0.0 if final[1] is None else final[1]
                    terminations[i] = bool(final[2])
                    infos = self._add_info(
                        infos, {"final_obs": final[0], "final_info": final_infos[i]}, i
                    )
        for i, info in enumerate(C.vec_env_infos(vec, 0, 1)):
            if info is not None:
                infos = self._add_info(infos, info, i)
        # The envs' own lists of actions, as env.step keeps them: an env reset by this step
        # (NEXT_STEP: ended at the last one; SAME_STEP: ended now) starts a new list.
        same_step = self._autoreset_mode == AutoresetMode.SAME_STEP
        for i, (env, action) in enumerate(zip(self.envs, actions.tolist())):
            if self._autoreset_mode == AutoresetMode.NEXT_STEP and self._ended[i]:
                env.actions = []
            elif same_step and terminations[i]:
                env.actions = []
            else:
                env.actions.append(action)
        self._ended = terminations.copy()
        return observations, rewards, terminations, truncations, infos

    def close_extras(self, **kwargs) -> None:
        """Closes every env (the first error, if any, is raised) and frees the vector env."""
        vec, self._vec = self._vec, None
        for env in self.envs:
            env._release()
        if vec is not None:
            try:
                C.cgym_vec_env_close(vec)
            finally:
                C.cgym_vec_env_free(vec)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        vec = getattr(self, "_vec", None)
        if vec is not None:
            self._vec = None
            for env in getattr(self, "envs", []):
                env._release()
            try:
                C.cgym_vec_env_free(vec)
            except Exception:
                pass

    def __repr__(self):
        name = self.spec.id if self.spec is not None else getattr(self.envs[0], "env_id", "")
        return f"VecEnv({name or self.envs[0].service_endpoint}, num_envs={self.num_envs})"


def make_vec(id: str, num_envs: int = 1, **kwargs) -> VecEnv:
    """A VecEnv of ``num_envs`` envs of cgym.make(id): VecEnv(id, num_envs, **kwargs)."""
    return VecEnv(id, num_envs, **kwargs)


def make_gymnasium_vec_env(num_envs: int = 1, env_id: str = "", **kwargs) -> VecEnv:
    """The vector entry point of the ids cgym registers with gymnasium, for
    gymnasium.make_vec(id, num_envs=N, vectorization_mode="vector_entry_point")."""
    return VecEnv(env_id, num_envs, **kwargs)
