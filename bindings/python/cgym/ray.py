# SPDX-License-Identifier: MIT
"""Scale-out on Ray: vector environments in Ray actors, and the searches of `cgym
random-search` / `cgym greedy` spread over a Ray cluster.

    import ray
    import cgym.ray

    ray.init()
    actors = [cgym.ray.VecEnvActor.remote("llvm-autophase-ic-v0", num_envs=8) for _ in range(4)]
    trajectories = cgym.ray.rollout(actors, policy, num_steps=100)

The unit of work of an actor call is a batch, never a single env step: a Ray actor call costs
about as much as a whole fast step (a few hundred microseconds to a millisecond of
serialization, scheduling and transport), so one call per env step would halve the
throughput at best. VecEnvActor.step takes the actions of all its envs at once, and
VecEnvActor.rollout runs k steps with a policy inside the actor: one call per k x num_envs
steps.

Every node of the cluster needs the cgym package (and the compiler services it uses)
installed; the driver's CGYM_* environment variables fill in those a worker lacks (a
single-machine cluster started elsewhere then finds the same services as the driver).
"""

import collections
import os
import signal
import socket
import threading
import time
from collections.abc import Sequence
from typing import Any, Callable, Optional

import numpy as np
import ray
import ray.exceptions

from . import search as search_lib

# ---- Vector environments in actors -------------------------------------------------------


def _cgym_environment() -> dict[str, str]:
    """The driver's CGYM_* variables, for workers started without them."""
    return {k: v for k, v in os.environ.items() if k.startswith("CGYM_")}


def _adopt_environment(env_vars: Optional[dict]) -> None:
    for key, value in (env_vars or {}).items():
        os.environ.setdefault(key, value)


def run_steps(vec_env, policy: Callable, num_steps: int, observation=None) -> dict[str, Any]:
    """Steps `vec_env` `num_steps` times with `policy(observations) -> actions` (an array of
    num_envs actions) from `observation` (the batch's current observations; None: reset
    first). Returns the trajectory as arrays with a leading axis of num_steps:
    "observations" (the observations each step's actions were chosen from), "actions",
    "rewards", "terminations", "truncations"; "infos" (a list of the steps' info dicts) and
    "last_observations" (after the last step). VecEnvActor.rollout runs this in the actor."""
    if observation is None:
        observation, _ = vec_env.reset()
    observations, actions, rewards, terminations, truncations, infos = [], [], [], [], [], []
    for _ in range(num_steps):
        action = np.asarray(policy(observation))
        observations.append(observation)
        actions.append(action)
        observation, reward, terminated, truncated, info = vec_env.step(action)
        rewards.append(reward)
        terminations.append(terminated)
        truncations.append(truncated)
        infos.append(info)
    n = vec_env.num_envs
    width = np.shape(observation)[1:] if np.ndim(observation) > 1 else (0,)
    return {
        "observations": (
            np.stack(observations) if observations else np.zeros((0, n, *width), np.int64)
        ),
        "actions": np.stack(actions) if actions else np.zeros((0, n), np.int64),
        "rewards": np.stack(rewards) if rewards else np.zeros((0, n)),
        "terminations": np.stack(terminations) if terminations else np.zeros((0, n), bool),
        "truncations": np.stack(truncations) if truncations else np.zeros((0, n), bool),
        "infos": infos,
        "last_observations": observation,
    }


class VecEnvWorker:
    """A cgym.vector.VecEnv and the batched calls VecEnvActor exposes (this plain class is
    the actor's body; it runs in-process as well).

    The arguments are cgym.vector.VecEnv's (an env id, or endpoint= for another service;
    num_envs=, num_services=, autoreset_mode=...). `env_vars`: environment variables set in
    the actor's process before the env is made, unless the process has them (default: the
    caller's CGYM_* variables)."""

    def __init__(self, *args, env_vars: Optional[dict] = None, **kwargs):
        _adopt_environment(_cgym_environment() if env_vars is None else env_vars)
        from . import vector

        self.env = vector.VecEnv(*args, **kwargs)
        self._observation = None

    def num_envs(self) -> int:
        return self.env.num_envs

    def spaces(self) -> dict[str, Any]:
        """The single and batched observation and action spaces (one call for all)."""
        e = self.env
        return {
            "single_observation_space": e.single_observation_space,
            "observation_space": e.observation_space,
            "single_action_space": e.single_action_space,
            "action_space": e.action_space,
        }

    def reset(self, seed=None, options=None):
        """VecEnv.reset: (observations, infos) of the whole batch."""
        self._observation, infos = self.env.reset(seed=seed, options=options)
        return self._observation, infos

    def step(self, actions):
        """VecEnv.step with the actions of all the actor's envs: (observations, rewards,
        terminations, truncations, infos), arrays over the batch."""
        result = self.env.step(np.asarray(actions))
        self._observation = result[0]
        return result

    def rollout(self, policy: Callable, num_steps: int, reset: bool = False) -> dict[str, Any]:
        """`num_steps` steps of the whole batch with `policy(observations) -> actions`, from
        the current observations (a reset first if `reset` or if there is none): the
        trajectory of run_steps, in one actor call."""
        start = None if reset else self._observation
        trajectory = run_steps(self.env, policy, num_steps, start)
        self._observation = trajectory["last_observations"]
        return trajectory

    def close(self) -> None:
        self.env.close()


#: A Ray actor class owning a cgym.vector.VecEnv: VecEnvActor.remote(id, num_envs=8, ...),
#: then reset/step/rollout/spaces/close with .remote(). One call carries a batch (step) or k
#: steps of it (rollout): an actor call costs about as much as a fast env step.
VecEnvActor = ray.remote(VecEnvWorker)


def rollout(
    actors: Sequence, policy: Callable, num_steps: int, *, reset: bool = False
) -> list[dict[str, Any]]:
    """`num_steps` steps of every actor's batch with `policy`, all actors in parallel: one
    rollout call per actor (the policy shipped once, through the object store), then one
    ray.get. Returns each actor's trajectory (run_steps' dict), in the order of `actors`."""
    policy_ref = ray.put(policy)
    return ray.get([a.rollout.remote(policy_ref, num_steps, reset) for a in actors])


# ---- Searches over a Ray cluster -----------------------------------------------------------


def connect(address: Optional[str] = None, *, num_cpus: Optional[int] = None) -> None:
    """ray.init for the searches, unless Ray is initialized already: `address` "auto" (the
    cluster of $RAY_ADDRESS or the one started last on this machine), "HOST:PORT", or
    "local"/None (a Ray instance of this process, with `num_cpus`)."""
    if ray.is_initialized():
        return
    import logging

    kwargs: dict[str, Any] = {"logging_level": logging.WARNING, "configure_logging": True}
    if address in (None, "", "local"):
        ray.init(num_cpus=num_cpus, include_dashboard=False, **kwargs)
    else:
        _check_reachable(os.environ.get("RAY_ADDRESS") or address)
        ray.init(address=address, **kwargs)


def _check_reachable(address: str, timeout: float = 10) -> None:
    """ConnectionError unless HOST:PORT accepts connections: ray.init retries an address
    where nothing listens for minutes."""
    if address == "auto" or "://" in address or ":" not in address:
        return  # Ray finds (or fails to find) the cluster itself
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except (OSError, ValueError) as e:
        raise ConnectionError(f"No Ray cluster at {address}: {e}") from None


def cluster_cpus() -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


class _EventBuffer:
    """The search's event queue in an actor: search_benchmark puts, poll() takes them all."""

    def __init__(self):
        self._lock = threading.Lock()
        self._events: list = []

    def put(self, event) -> None:
        with self._lock:
            self._events.append(event)

    def take(self) -> list:
        with self._lock:
            events, self._events = self._events, []
        return events


class _SearchWorker:
    """An actor that runs searches one at a time with its own env, kept for the next
    benchmark (cgym.search's worker state). Threaded (two calls at once), so that poll() and
    stop() reach it while a search runs."""

    def __init__(self, env_vars: Optional[dict] = None):
        _adopt_environment(env_vars)
        # A Ctrl-C in the driver's terminal must not reach the searches or the services they
        # start: the driver stops them through stop(), with their best found so far.
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        except ValueError:  # not the main thread: Ray keeps SIGINT from its workers itself
            pass
        self._stop = threading.Event()
        self._events = _EventBuffer()
        search_lib._worker.update(stop=self._stop, events=self._events, running=None)

    def search(self, task, config, index: int, benchmark: str, attempt: int):
        return (task or search_lib.search_benchmark)(config, index, benchmark, attempt)

    def poll(self) -> list:
        return self._events.take()

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        search_lib._close_worker_env()


_SearchActor = ray.remote(max_concurrency=2)(_SearchWorker)


def _first_line(error: BaseException) -> str:
    """The first line of an error, the task's own rather than Ray's wrapper of it."""
    cause = getattr(error, "cause", None)
    if isinstance(error, ray.exceptions.RayTaskError) and isinstance(cause, BaseException):
        error = cause
    text = search_lib._describe(error).strip().splitlines()
    return text[0] if text else type(error).__name__


class RaySearchRunner:
    """SearchRunner's searches over a Ray cluster: an actor per worker (each with its own env
    in its Ray worker process, kept from one benchmark to the next), the benchmarks handed to
    the actors as they become free, one actor call per benchmark (never per step), progress
    polled from the actors. The same interface as SearchRunner: run(on_event) -> results in
    the order of `benchmarks`, stop() (safe in a signal handler), stopped, walltime, workers.

    An actor that dies (a pass crashing LLVM in an in-process env) is replaced, and its
    benchmark searched again with other actions, as SearchRunner does with its pool: a
    benchmark whose actor died twice is given up. Connect first (connect()): `workers`
    defaults to the cluster's CPUs."""

    def __init__(
        self,
        config: search_lib.SearchConfig,
        benchmarks: Sequence[str],
        workers: Optional[int] = None,
        task: Optional[Callable[..., search_lib.SearchResult]] = None,
    ):
        self.task = task
        self.config = config
        self.benchmarks = list(benchmarks)
        wanted = cluster_cpus() if workers is None else int(workers)
        self.workers = max(1, min(wanted, max(1, len(self.benchmarks))))
        self._stop_requested = False
        self.walltime = 0.0

    def stop(self) -> None:
        self._stop_requested = True

    @property
    def stopped(self) -> bool:
        return self._stop_requested

    def run(self, on_event: Optional[Callable[[search_lib.SearchEvent], None]] = None) -> list:
        on_event = on_event or (lambda _event: None)
        results: list[Optional[search_lib.SearchResult]] = [None] * len(self.benchmarks)
        if not self.benchmarks:
            return results
        start = time.monotonic()
        env_vars = _cgym_environment()
        actors = [_SearchActor.remote(env_vars) for _ in range(self.workers)]
        crashes = [0] * len(self.benchmarks)
        todo = collections.deque(range(len(self.benchmarks)))
        running: dict[Any, tuple[int, int]] = {}  # future -> (actor slot, benchmark index)
        free = list(range(len(actors)))
        stop_sent = False
        try:
            while running or (todo and not self._stop_requested):
                while free and todo and not self._stop_requested:
                    slot, i = free.pop(0), todo.popleft()
                    future = actors[slot].search.remote(
                        self.task, self.config, i, self.benchmarks[i], crashes[i]
                    )
                    running[future] = (slot, i)
                if self._stop_requested and not stop_sent:
                    stop_sent = True
                    for actor in actors:
                        actor.stop.remote()
                ready, _ = ray.wait(list(running), num_returns=1, timeout=0.2)
                if ready:
                    ready, _ = ray.wait(list(running), num_returns=len(running), timeout=0)
                self._poll(actors, {slot for slot, _ in running.values()}, on_event)
                for future in ready:
                    slot, i = running.pop(future)
                    result, died = self._result_of(future, i, crashes, todo)
                    if died:  # a new actor in its place
                        ray.kill(actors[slot], no_restart=True)
                        actors[slot] = _SearchActor.remote(env_vars)
                        if stop_sent:
                            actors[slot].stop.remote()
                    free.append(slot)
                    if result is None or result.error == "not started":
                        continue
                    results[i] = result
                    on_event(search_lib.SearchEvent("done", i, self.benchmarks[i], result=result))
        finally:
            for actor in actors:
                actor.stop.remote()
            closes = [actor.close.remote() for actor in actors]
            try:
                ray.wait(closes, num_returns=len(closes), timeout=30)
            finally:
                for actor in actors:
                    ray.kill(actor, no_restart=True)
            self.walltime = time.monotonic() - start
        return results

    def _result_of(self, future, i: int, crashes: list, todo) -> tuple:
        """(the search's result, whether its actor died); the result is None when the actor
        died and the benchmark went back in the queue, to be searched again."""
        benchmark = self.benchmarks[i]
        try:
            return ray.get(future), False
        except ray.exceptions.RayActorError as e:
            crashes[i] += 1
            if crashes[i] < search_lib._MAX_CRASHES and not self._stop_requested:
                todo.appendleft(i)
                return None, True
            error = f"worker failed: {_first_line(e)}"
            return search_lib.SearchResult(benchmark=benchmark, error=error), True
        except Exception as e:  # the task raised (not search_benchmark, which never does)
            error = f"worker failed: {_first_line(e)}"
            return search_lib.SearchResult(benchmark=benchmark, error=error), False

    def _poll(self, actors, slots, on_event) -> None:
        """The progress events of the busy actors, in one round of calls."""
        if not slots:
            return
        calls = [actors[slot].poll.remote() for slot in sorted(slots)]
        for call in calls:
            try:
                events = ray.get(call, timeout=30)
            except (ray.exceptions.RayError, TimeoutError):  # a dead actor: seen by search()
                continue
            for event in events:
                kind, index = event[0], event[1]
                if kind == "start":
                    on_event(search_lib.SearchEvent("start", index, event[2], pid=event[3]))
                elif kind == "progress":
                    on_event(
                        search_lib.SearchEvent(
                            "progress",
                            index,
                            self.benchmarks[index],
                            steps=event[2],
                            best=event[3],
                            elapsed=event[4],
                        )
                    )
