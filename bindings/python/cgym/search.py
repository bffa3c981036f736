# SPDX-License-Identifier: MIT
"""Autotuning searches over LLVM phase orderings: random search and greedy search.

The searches work on any env made by cgym.make() with a named discrete action space and
the IrInstructionCount* observations (the LLVM environment). Nothing here prints: progress
goes to callbacks, results come back as SearchResult objects. `cgym random-search` and `cgym
greedy` (cgym.cli) are built on this module.

    import cgym
    from cgym import search

    env = cgym.make("llvm-ic-v0", "inproc")
    result = search.random_search(env, "benchmark://cgym-v0/fibonacci", search.Budget(steps=200))
    print(result.reward, result.commandline)

SearchRunner runs one search per benchmark in worker processes (each with its own env) and
can be stopped from a signal handler, keeping the best found so far.
"""

import dataclasses
import math
import multiprocessing
import multiprocessing.util
import os
import queue
import random
import signal
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .service import ConnectionOpts

#: The reward that measures instruction counts against -Oz: (C(prev) - C(now)) / (O0 - Oz),
#: so an episode's summed reward is (O0 - C) / (O0 - Oz).
IC_OZ_REWARD = "IrInstructionCountOz"

# Rewards closer than this count as equal: a step that changes nothing gives 0, and sums of
# multiples of 1 / (O0 - Oz) need not be exact.
_EPSILON = 1e-9

# Steps that raise in a row before a search gives up on its benchmark.
_MAX_FAILURES = 5
# A benchmark whose search was running when its worker died this many times is given up.
_MAX_CRASHES = 2
# Pools in a row that broke before any search started, after which the searches left fail.
_MAX_EMPTY_BREAKS = 3
# The time limit of one pass in a search's env, in seconds (see _worker_env).
_ACTION_TIMEOUT_SECONDS = 10

# Progress callbacks are throttled to this interval (seconds) between reports of one search.
_PROGRESS_INTERVAL = 0.2


@dataclass
class Budget:
    """A per-benchmark budget: stop after `steps` env steps and/or `seconds` of wall time.
    Neither: unbounded (only greedy search ends by itself)."""

    steps: Optional[int] = None
    seconds: Optional[float] = None

    def exhausted(self, steps: int, elapsed: float) -> bool:
        return (self.steps is not None and steps >= self.steps) or (
            self.seconds is not None and elapsed >= self.seconds
        )

    @property
    def bounded(self) -> bool:
        return self.steps is not None or self.seconds is not None


@dataclass
class SearchResult:
    """The best episode found for one benchmark.

    `reward` is the summed reward of `reward_space` over `actions` (the best episode's
    actions, as names); `ic_o0`, `ic_oz` and `ic_best` are instruction counts at -O0, at -Oz
    and after `actions`; `steps` counts every env step taken (greedy's tried candidates
    included); `walltime` is the seconds spent on the benchmark. `error` is set (and the rest
    may be partial) when the search failed; `interrupted` when it was stopped early."""

    benchmark: str
    reward_space: str = IC_OZ_REWARD
    reward: float = 0.0
    actions: list[str] = field(default_factory=list)
    steps: int = 0
    episodes: int = 0
    walltime: float = 0.0
    ic_o0: Optional[int] = None
    ic_oz: Optional[int] = None
    ic_best: Optional[int] = None
    interrupted: bool = False
    error: Optional[str] = None

    @property
    def commandline(self) -> str:
        return " ".join(self.actions)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def ratio(self) -> Optional[float]:
        """(O0 - best) / (O0 - Oz): 1 matches -Oz, more beats it (the summed
        IrInstructionCountOz reward of the best episode)."""
        if self.ic_o0 is None or self.ic_oz is None or self.ic_best is None:
            return None
        return (self.ic_o0 - self.ic_best) / max(self.ic_o0 - self.ic_oz, 1)

    def state(self):
        """The best episode as a cgym.CompilerEnvState (benchmark, commandline, walltime,
        reward)."""
        from .state import CompilerEnvState

        return CompilerEnvState(self.benchmark, self.commandline, self.walltime, self.reward)


def geometric_mean(values: Iterable[float]) -> Optional[float]:
    """The geometric mean; 0 if any value is 0 or less; None for no values."""
    values = list(values)
    if not values:
        return None
    if any(v <= 0 for v in values):
        return 0.0
    return math.exp(sum(math.log(v) for v in values) / len(values))


def default_patience(num_actions: int) -> int:
    """Random search's default patience: 1.25 x the number of actions."""
    return max(1, int(1.25 * num_actions))


# ---- One search on one env ---------------------------------------------------------------

ProgressCallback = Callable[[str, int, float, float], None]


class _Episode:
    """Steps an env and follows the summed reward and the instruction count.

    The count after the episode's actions is O0 - R * max(O0 - Oz, 1), with R the summed
    IrInstructionCountOz reward (its initial cost is IrInstructionCountO0): no observation
    is taken per step. The env's reward space becomes the search's; when that is another
    than IrInstructionCountOz, or the env has an observation space, each step asks for the
    rewards it needs by name (and no observation)."""

    def __init__(self, env, reward_space: str):
        self.env = env
        self.reward_space = reward_space
        if env.reward_space is None or getattr(env.reward_space, "name", None) != reward_space:
            env.reward_space = reward_space
        # The agent loop's step (default spaces) is the fastest, when it computes no more.
        self._fast = (
            reward_space == IC_OZ_REWARD and getattr(env, "observation_space_spec", None) is None
        )
        self._spaces = list(dict.fromkeys([reward_space, IC_OZ_REWARD]))

    def step(self, action: int) -> tuple[float, float, bool]:
        """(reward, IrInstructionCountOz reward, done)."""
        if self._fast:
            _, reward, done, info = self.env.step(action)
            self._after(done, info)
            return reward, reward, done
        _, rewards, done, info = self.env.step(
            action, observation_spaces=[], reward_spaces=self._spaces
        )
        self._after(done, info)
        return rewards[0], rewards[-1], done

    def _after(self, done: bool, info) -> None:
        # A pass that ran out of time may still be running in the service (LLVM 16's NewGVN
        # can loop forever on some modules): close the env, which ends a managed service, so
        # that the next reset starts a fresh one rather than share the cores with it.
        if done and (info or {}).get("error_type") == "TimeoutError":
            _close_quietly(self.env)


class _Tracker:
    """Budget, stop requests and throttled progress reports of one search."""

    def __init__(
        self,
        benchmark: str,
        budget: Budget,
        should_stop: Optional[Callable[[], bool]],
        on_progress: Optional[ProgressCallback],
    ):
        self.benchmark = benchmark
        self.budget = budget
        self.should_stop = should_stop or (lambda: False)
        self.on_progress = on_progress
        self.start = time.monotonic()
        self.last_report = 0.0
        self.steps = 0
        self.stopped = False
        self.failures = 0  # steps that raised in a row

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def done(self) -> bool:
        if self.should_stop():
            self.stopped = True
            return True
        return self.budget.exhausted(self.steps, self.elapsed)

    def tolerate_failure(self) -> bool:
        """After a step that raised (a pass that crashed its service or ran out of time):
        whether the search goes on without it. Not after a stop request (the error is then
        the stop's), nor after _MAX_FAILURES failures in a row (the env is broken)."""
        self.failures += 1
        return not self.should_stop() and self.failures < _MAX_FAILURES

    def stopped_by_error(self) -> bool:
        """After an error: whether a stop was asked for (a service stopped by the same Ctrl-C,
        say), so that the search ends with what it found rather than fails."""
        if self.should_stop():
            self.stopped = True
        return self.stopped

    def report(self, best: float, force: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if force or now - self.last_report >= _PROGRESS_INTERVAL:
            self.last_report = now
            self.on_progress(self.benchmark, self.steps, best, now - self.start)


def _start(env, benchmark: str, reward_space: str) -> tuple[_Episode, SearchResult]:
    env.reset(benchmark=benchmark)
    result = SearchResult(benchmark=benchmark, reward_space=reward_space)
    result.ic_o0 = int(env.observation["IrInstructionCountO0"])
    result.ic_oz = int(env.observation["IrInstructionCountOz"])
    result.ic_best = result.ic_o0
    return _Episode(env, reward_space), result


def _instruction_count(result: SearchResult, ic_oz_reward: float) -> int:
    return int(round(result.ic_o0 - ic_oz_reward * max(result.ic_o0 - result.ic_oz, 1)))


def _close_quietly(env) -> None:
    try:
        env.close()
    except Exception:  # its service may be gone already
        pass


def _action_names(env) -> list[str]:
    space = env.action_space
    names = getattr(space, "names", None)
    if names is None:
        raise TypeError(f"The action space of this env has no action names: {space!r}")
    return list(names)


def random_search(
    env,
    benchmark: str,
    budget: Budget,
    *,
    patience: Optional[int] = None,
    seed: Optional[int] = None,
    reward_space: str = IC_OZ_REWARD,
    should_stop: Optional[Callable[[], bool]] = None,
    on_progress: Optional[ProgressCallback] = None,
) -> SearchResult:
    """Random search: episodes of uniformly random actions, each ended after `patience`
    steps (default: 1.25 x the number of actions) without improving on the episode's best
    reward, then a new episode, until the budget is spent or `should_stop()`. Returns the
    best episode prefix seen (maximum summed reward of `reward_space`). `seed` seeds the
    actions (with the benchmark's URI, so each benchmark has its own sequence)."""
    if not budget.bounded:
        raise ValueError("random search needs a budget: steps and/or seconds")
    names = _action_names(env)
    n = len(names)
    patience = patience if patience and patience > 0 else default_patience(n)
    rng = random.Random(f"{seed}:{benchmark}")
    tracker = _Tracker(benchmark, budget, should_stop, on_progress)
    episode, result = _start(env, benchmark, reward_space)
    best_ic_reward = 0.0
    first = True
    try:
        while not tracker.done():
            if not first:
                env.reset()
            first = False
            result.episodes += 1
            actions: list[int] = []
            total = ic_total = 0.0
            episode_best = 0.0
            since_improvement = 0
            while since_improvement < patience and not tracker.done():
                action = rng.randrange(n)
                try:
                    reward, ic_reward, done = episode.step(action)
                except Exception:
                    tracker.steps += 1
                    if not tracker.tolerate_failure():
                        raise
                    break  # a new episode from a reset
                tracker.steps += 1
                tracker.failures = 0
                if done:  # the action failed: the episode cannot go on
                    break
                actions.append(action)
                total += reward
                ic_total += ic_reward
                if total > episode_best + _EPSILON:
                    episode_best = total
                    since_improvement = 0
                else:
                    since_improvement += 1
                if total > result.reward + _EPSILON:
                    result.reward = total
                    result.actions = [names[a] for a in actions]
                    best_ic_reward = ic_total
                tracker.report(result.reward)
    except Exception:
        if not tracker.stopped_by_error():
            raise
    result.steps = tracker.steps
    result.walltime = tracker.elapsed
    result.interrupted = tracker.stopped
    result.ic_best = _instruction_count(result, best_ic_reward)
    tracker.report(result.reward, force=True)
    return result


def greedy_search(
    env,
    benchmark: str,
    budget: Budget = None,
    *,
    reward_space: str = IC_OZ_REWARD,
    should_stop: Optional[Callable[[], bool]] = None,
    on_progress: Optional[ProgressCallback] = None,
) -> SearchResult:
    """Greedy search: at each step, every action is tried on a fork of the current state and
    the one with the highest reward is taken (the first of equals); the search ends when no
    action has a positive reward, or the budget (counting every tried action as a step) is
    spent, or `should_stop()`. A budget spent in the middle of a round takes the best action
    tried in it, if it improves."""
    budget = budget or Budget()
    names = _action_names(env)
    tracker = _Tracker(benchmark, budget, should_stop, on_progress)
    _, result = _start(env, benchmark, reward_space)
    result.episodes = 1
    current = env
    taken: list[int] = []
    ic_total = 0.0
    best = None  # of a round: (reward, IrInstructionCountOz reward, action, fork)
    try:
        while not tracker.done():
            best = None
            complete = True
            for action in range(len(names)):
                if tracker.done():
                    complete = False
                    break
                fork = current.fork()
                try:
                    reward, ic_reward, done = _Episode(fork, reward_space).step(action)
                except Exception:
                    _close_quietly(fork)
                    if not tracker.tolerate_failure():
                        raise
                    continue
                finally:
                    tracker.steps += 1
                tracker.failures = 0
                if not done and reward > (best[0] if best else 0.0) + _EPSILON:
                    if best is not None:
                        best[3].close()
                    best = (reward, ic_reward, action, fork)
                else:
                    fork.close()
                tracker.report(result.reward + (best[0] if best else 0.0))
            if best is None:
                break
            reward, ic_reward, action, fork = best
            best = None
            if current is not env:
                current.close()
            current = fork
            taken.append(action)
            result.reward += reward
            ic_total += ic_reward
            result.actions = [names[a] for a in taken]
            if not complete:
                break
    except Exception:
        if not tracker.stopped_by_error():
            raise
    finally:
        for other in (current, best[3] if best else None):
            if other is not None and other is not env:
                _close_quietly(other)
    result.steps = tracker.steps
    result.walltime = tracker.elapsed
    result.interrupted = tracker.stopped
    result.ic_best = _instruction_count(result, ic_total)
    tracker.report(result.reward, force=True)
    return result


# ---- Benchmarks of a search ----------------------------------------------------------------


def canonical_benchmark(uri: str) -> str:
    """A benchmark URI with its scheme ("cgym-v0/fibonacci" -> "benchmark://cgym-v0/...")."""
    uri = str(uri)
    return uri if "://" in uri else "benchmark://" + uri


def find_dataset(env_id: str, name: str):
    """The dataset `name` of env `env_id` ("cgym-v0", "benchmark://cgym-v0",
    "generator://csmith-v0", "file:///DIR"...). LookupError naming the known datasets."""
    import cgym

    collection = cgym.datasets(env_id)
    try:
        return collection.dataset(name)
    except LookupError as e:
        known = ", ".join(d.name for d in collection)
        raise LookupError(f"{e} (datasets of {env_id}: {known})") from None


def dataset_benchmarks(dataset, count: Optional[int] = None) -> list[str]:
    """The first `count` benchmark URIs of a dataset (all of a finite one by default). A
    generator (size 0) needs a count."""
    size = int(getattr(dataset, "size", 0) or 0)
    if size == 0 and count is None:
        raise ValueError(f"{dataset.name} is a generator of endless benchmarks: give a count")
    limit = count if count is not None else size
    out = []
    for uri in dataset.benchmark_uris():
        if len(out) >= limit:
            break
        out.append(str(uri))
    return out


# ---- Searches in worker processes ----------------------------------------------------------


@dataclass
class SearchConfig:
    """What SearchRunner runs on each benchmark: "random" or "greedy" on cgym.make(env_id,
    endpoint) with `reward_space` (None: the env's own reward space, else
    IrInstructionCountOz). `connection`: how to reach a service someone else runs (its token
    and TLS settings), None for the defaults."""

    method: str = "random"
    env_id: str = "llvm-ic-v0"
    endpoint: Optional[str] = None
    connection: Optional[ConnectionOpts] = None
    reward_space: Optional[str] = None
    budget: Budget = field(default_factory=Budget)
    patience: Optional[int] = None
    seed: Optional[int] = None


# Per worker process: the stop event, the event queue and the env, made once and reused for
# every benchmark the worker gets.
_worker: dict[str, Any] = {}


def _worker_init(stop_event, events, running=None) -> None:
    # The parent decides when workers stop: a Ctrl-C in a terminal, sent to its whole process
    # group, reaches neither the workers nor the services they start (a group of their own).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.setpgrp()
    except OSError:
        pass
    _end_with_parent()
    _worker["stop"] = stop_event
    _worker["events"] = events
    _worker["running"] = running
    # Multiprocessing's workers skip atexit: its own finalizers close the env (and end a
    # managed service) when the pool shuts the worker down.
    multiprocessing.util.Finalize(None, _close_worker_env, exitpriority=10)


def _end_with_parent() -> None:
    """A worker outside its parent's process group would outlive a parent killed outright:
    on Linux, the kernel sends it SIGTERM when the parent dies (its managed services then die
    with it: libcgym ties them to their client)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:  # the parent is already gone
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _close_worker_env() -> None:
    env = _worker.pop("env", None)
    _worker.pop("key", None)
    if env is not None:
        _close_quietly(env)


def _worker_env(config: SearchConfig):
    key = (config.env_id, config.endpoint, config.connection)
    if _worker.get("key") != key:
        _close_worker_env()
        import cgym

        # A service stuck in a pass that ran out of time is killed soon after it is closed.
        settings = dataclasses.replace(
            config.connection or ConnectionOpts(), local_service_exit_max_seconds=2
        )
        env = cgym.make(config.env_id, config.endpoint, connection_settings=settings)
        # The searches read rewards only: no observation computed per step.
        env.observation_space = None
        # No pass takes seconds on a program of this size unless it loops: give up on it
        # sooner than the environment's default minute, which is a whole budget. (A session
        # takes parameters once reset; they are sent again after every reset.)
        env.reset()
        env.send_param(
            "llvm.set_action_timeout_seconds", str(_ACTION_TIMEOUT_SECONDS), resend_on_reset=True
        )
        _worker["env"] = env
        _worker["key"] = key
    return _worker["env"]


def _send(*event) -> None:
    events = _worker.get("events")
    if events is not None:
        events.put(event)


def _run_task(task, config, index: int, benchmark: str, attempt: int):
    """A worker's task: `task` (search_benchmark) after marking benchmark `index` as running
    in memory shared with the parent, written at once (unlike the event queue, whose feeder
    thread a crash can beat), so that the parent knows which searches a dead worker held."""
    running = _worker.get("running")
    if running is not None:
        running[index] = 1
    return task(config, index, benchmark, attempt)


def _broke_pool(future: Future) -> bool:
    return (
        not future.cancelled()
        and future.exception() is not None
        and isinstance(future.exception(), BrokenProcessPool)
    )


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__


def search_benchmark(
    config: SearchConfig, index: int, benchmark: str, attempt: int = 0
) -> SearchResult:
    """One search in this process (a worker's task): never raises; errors are in the
    result."""
    stop = _worker.get("stop")
    should_stop = stop.is_set if stop is not None else None
    if should_stop is not None and should_stop():
        return SearchResult(benchmark=benchmark, interrupted=True, error="not started")
    _send("start", index, benchmark, os.getpid())

    def progress(_benchmark, steps, best, elapsed):
        _send("progress", index, steps, best, elapsed)

    try:
        env = _worker_env(config)
        reward_space = config.reward_space
        if reward_space is None:
            own = env.reward_space
            reward_space = getattr(own, "name", None) or IC_OZ_REWARD
        if config.method == "greedy":
            result = greedy_search(
                env,
                benchmark,
                config.budget,
                reward_space=reward_space,
                should_stop=should_stop,
                on_progress=progress,
            )
        else:
            result = random_search(
                env,
                benchmark,
                config.budget,
                patience=config.patience,
                # A search run again after its worker died takes other actions than the ones
                # that crashed it.
                seed=config.seed if attempt == 0 else f"{config.seed}/{attempt}",
                reward_space=reward_space,
                should_stop=should_stop,
                on_progress=progress,
            )
    except Exception as e:
        # An env whose service failed may be unusable: the next benchmark makes a new one. A
        # benchmark that does not exist or does not compile leaves the env as it was.
        if not isinstance(e, (LookupError, ValueError)):
            _close_worker_env()
        result = SearchResult(benchmark=benchmark, error=_describe(e))
        if should_stop is not None and should_stop():
            result.interrupted = True
    return result


@dataclass
class SearchEvent:
    """An event of SearchRunner.run(): kind "start" (a worker took the benchmark), "progress"
    (steps, best reward, elapsed seconds) or "done" (result set)."""

    kind: str
    index: int
    benchmark: str
    steps: int = 0
    best: float = 0.0
    elapsed: float = 0.0
    pid: Optional[int] = None
    result: Optional[SearchResult] = None


class SearchRunner:
    """Runs `config` on each benchmark in `workers` worker processes (spawned: each makes its
    own env, whatever the parent holds). run() calls `on_event` in the calling thread and
    returns the results in the order of `benchmarks` (None for a benchmark never started).
    stop() (safe in a signal handler) makes the workers end their searches at the next step
    with the best found so far, and start no others.

    Workers are spawned, so a script that runs a SearchRunner must guard its entry point
    with ``if __name__ == "__main__":`` (the workers import the main module)."""

    def __init__(
        self,
        config: SearchConfig,
        benchmarks: Sequence[str],
        workers: int = 1,
        task: Optional[Callable[..., "SearchResult"]] = None,
    ):
        # `task` (a module-level function, for the workers to import) replaces
        # search_benchmark, with its arguments; for tests.
        self.task = task or search_benchmark
        self.config = config
        self.benchmarks = list(benchmarks)
        self.workers = max(1, min(int(workers), max(1, len(self.benchmarks))))
        self._context = multiprocessing.get_context("spawn")
        self._stop = self._context.Event()
        self._stop_requested = False
        self._empty_breaks = 0
        self.walltime = 0.0

    def stop(self) -> None:
        self._stop_requested = True
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop_requested

    def run(self, on_event: Optional[Callable[[SearchEvent], None]] = None) -> list:
        on_event = on_event or (lambda _event: None)
        results: list[Optional[SearchResult]] = [None] * len(self.benchmarks)
        if not self.benchmarks:
            return results
        events = self._context.Queue()
        start = time.monotonic()
        # Set by a worker when it starts a benchmark's search (see _run_task).
        running = self._context.Array("b", len(self.benchmarks), lock=False)
        crashes = [0] * len(self.benchmarks)
        remaining = list(range(len(self.benchmarks)))
        suspects: list[int] = []
        try:
            # A worker that dies (a pass that crashes LLVM in an in-process env) breaks the
            # whole pool: a new pool goes on with the benchmarks left. When one search was
            # running, it is the culprit; when several were, each is run again alone first, so
            # that a crash is blamed on the right one. A benchmark blamed twice is given up.
            while (suspects or remaining) and not self._stop_requested:
                if suspects:
                    again, more = self._run_pool(
                        [suspects.pop(0)], results, running, crashes, events, on_event
                    )
                    suspects += more
                    remaining = sorted(set(remaining) | set(again))
                    continue
                remaining, suspects = self._run_pool(
                    remaining, results, running, crashes, events, on_event
                )
        finally:
            self._drain(events, lambda _event: None)
            self.walltime = time.monotonic() - start
        return results

    def _run_pool(
        self, indices, results, running, crashes, events, on_event
    ) -> tuple[list[int], list[int]]:
        """Runs the benchmarks `indices` on a new pool. Returns those to run again: those that
        had not started when the pool broke, and the suspects (several searches were running
        when it broke, so the culprit is not known)."""
        retry: list[int] = []
        broken: dict[int, Future] = {}
        executor = ProcessPoolExecutor(
            max_workers=min(self.workers, len(indices)),
            mp_context=self._context,
            initializer=_worker_init,
            initargs=(self._stop, events, running),
        )
        try:
            futures: dict[Future, int] = {
                executor.submit(
                    _run_task, self.task, self.config, i, self.benchmarks[i], crashes[i]
                ): i
                for i in indices
            }
            pending = set(futures)
            while pending:
                self._drain(events, on_event)
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                self._drain(events, on_event)
                for future in done:
                    i = futures[future]
                    if _broke_pool(future):
                        broken[i] = future  # judged when every future of this pool is done
                        continue
                    results[i] = self._result_of(future, self.benchmarks[i])
                    if results[i].error == "not started":
                        results[i] = None
                        continue
                    on_event(SearchEvent("done", i, self.benchmarks[i], result=results[i]))
                if self._stop_requested:
                    for future in pending:
                        future.cancel()
            # The searches running when the pool broke: one is the culprit; of several, any.
            running_then = [i for i in broken if running[i]]
            for i in broken:
                running[i] = 0
            # Workers that die before any search starts (they cannot start at all) would break
            # every new pool: after a few such pools, the searches left fail.
            self._empty_breaks = self._empty_breaks + 1 if broken and not running_then else 0
            suspects: list[int] = []
            for i, future in broken.items():
                if self._empty_breaks >= _MAX_EMPTY_BREAKS:
                    results[i] = self._result_of(future, self.benchmarks[i])
                    on_event(SearchEvent("done", i, self.benchmarks[i], result=results[i]))
                elif i not in running_then:
                    retry.append(i)
                elif len(running_then) > 1:
                    suspects.append(i)
                else:
                    crashes[i] += 1
                    if crashes[i] < _MAX_CRASHES:
                        retry.append(i)
                    else:
                        results[i] = self._result_of(future, self.benchmarks[i])
                        on_event(SearchEvent("done", i, self.benchmarks[i], result=results[i]))
        finally:
            if self._stop_requested or not broken:
                self._stop.set()  # workers still searching (after an exception here) end too
            executor.shutdown(wait=True, cancel_futures=True)
        return sorted(retry), sorted(suspects)

    def _result_of(self, future: Future, benchmark: str) -> SearchResult:
        if future.cancelled():
            return SearchResult(benchmark=benchmark, interrupted=True, error="not started")
        try:
            return future.result()
        except Exception as e:  # a worker died (e.g. a crash in a native library)
            return SearchResult(benchmark=benchmark, error=f"worker failed: {_describe(e)}")

    def _drain(self, events, on_event) -> None:
        while True:
            try:
                event = events.get_nowait()
            except (queue.Empty, OSError, ValueError):
                return
            kind, index = event[0], event[1]
            if kind == "start":
                on_event(SearchEvent("start", index, event[2], pid=event[3]))
            elif kind == "progress":
                on_event(
                    SearchEvent(
                        "progress",
                        index,
                        self.benchmarks[index],
                        steps=event[2],
                        best=event[3],
                        elapsed=event[4],
                    )
                )
