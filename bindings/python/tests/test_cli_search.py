# SPDX-License-Identifier: MIT
"""cgym.search, the searches behind `cgym random-search` and `cgym greedy`, called as a
library on the LLVM environment in-process: reproducibility by seed, patience, budgets, stop
requests, another reward space, and the results checked against replays of their actions.
Skipped like test_cli.py when LLVM is not built."""

import subprocess
import sys

import pytest

import cgym
from cgym import search
from test_cli import llvm_environment

FIBONACCI = "benchmark://cgym-v0/fibonacci"


@pytest.fixture(scope="module")
def cli_env() -> dict:
    return llvm_environment()


@pytest.fixture(scope="module")
def env(cli_env):
    env = cgym.make("llvm-ic-v0", "inproc")
    yield env
    env.close()


def replayed_count(env, result) -> int:
    """The instruction count after the result's actions, replayed from a reset."""
    env.reset(benchmark=result.benchmark)
    for action in result.actions:
        _, _, done, _ = env.step(action)
        assert not done
    return int(env.observation["IrInstructionCount"])


def check_result(env, result, reward_space="IrInstructionCountOz"):
    assert result.ok and result.reward_space == reward_space
    assert result.ic_best == replayed_count(env, result)
    assert result.ratio == pytest.approx(
        (result.ic_o0 - result.ic_best) / max(result.ic_o0 - result.ic_oz, 1)
    )
    state = result.state()
    assert (state.benchmark, state.commandline) == (result.benchmark, " ".join(result.actions))
    assert state.reward == result.reward


def test_random_search_is_reproducible_by_seed(env):
    budget = search.Budget(steps=60)
    first = search.random_search(env, FIBONACCI, budget, seed=3)
    again = search.random_search(env, FIBONACCI, budget, seed=3)
    assert (first.actions, first.reward, first.steps) == (again.actions, again.reward, 60)
    assert first.reward > 0 and not first.interrupted
    assert first.reward == pytest.approx(first.ratio)
    check_result(env, first)


def test_random_search_patience_restarts_episodes(env):
    result = search.random_search(env, FIBONACCI, search.Budget(steps=40), patience=1, seed=1)
    # Each episode ends at its first step without improvement: at most 40 episodes of 40
    # steps, and more than one.
    assert 1 < result.episodes <= 40
    assert len(result.actions) < 40
    check_result(env, result)
    assert search.default_patience(124) == 155


def test_random_search_needs_a_budget(env):
    with pytest.raises(ValueError, match="budget"):
        search.random_search(env, FIBONACCI, search.Budget())


def test_greedy_search_runs_until_no_action_improves(env):
    progress = []
    result = search.greedy_search(env, FIBONACCI, on_progress=lambda *args: progress.append(args))
    assert not result.interrupted
    n = env.action_space.n
    # One full round per action taken, plus the last round, in which nothing improved.
    assert result.steps == n * (len(result.actions) + 1)
    assert result.reward > 0.5
    check_result(env, result)
    assert progress[-1][:3] == (FIBONACCI, result.steps, result.reward)


def test_a_stop_request_ends_a_search_with_its_best(env):
    calls = []

    def should_stop():
        calls.append(1)
        return len(calls) > 30

    result = search.random_search(
        env, FIBONACCI, search.Budget(seconds=600), seed=5, should_stop=should_stop
    )
    assert result.interrupted and result.ok
    assert 0 < result.steps < 40
    check_result(env, result)

    calls.clear()
    result = search.greedy_search(env, FIBONACCI, should_stop=should_stop)
    assert result.interrupted and result.steps < 40
    check_result(env, result)


def test_another_reward_space(env):
    """The summed reward is the chosen space's; the instruction count still follows."""
    result = search.random_search(
        env, FIBONACCI, search.Budget(steps=30), seed=2, reward_space="IrInstructionCount"
    )
    check_result(env, result, "IrInstructionCount")
    assert result.reward == pytest.approx(result.ic_o0 - result.ic_best)
    env.reward_space = "IrInstructionCountOz"


def test_an_env_with_an_observation_space(cli_env):
    """The search asks for its rewards by name, without the env's observation."""
    env = cgym.make("llvm-autophase-ic-v0", "inproc")
    try:
        result = search.random_search(env, FIBONACCI, search.Budget(steps=30), seed=2)
        assert env.observation_space_spec.id == "Autophase"
        check_result(env, result)
        assert result.reward > 0
    finally:
        env.close()


def test_geometric_mean():
    assert search.geometric_mean([]) is None
    assert search.geometric_mean([2.0, 8.0]) == pytest.approx(4.0)
    assert search.geometric_mean([1.0, 0.0]) == 0.0


def test_runner_in_worker_processes(cli_env):
    config = search.SearchConfig(
        env_id="llvm-ic-v0", endpoint="inproc", budget=search.Budget(steps=10), seed=4
    )
    benchmarks = [FIBONACCI, "benchmark://cgym-v0/no_such_program"]
    events = []
    results = search.SearchRunner(config, benchmarks, workers=2).run(events.append)
    assert [r.benchmark for r in results] == benchmarks
    assert results[0].ok and results[0].steps == 10
    assert not results[1].ok and "no_such_program" in results[1].error
    kinds = {(e.kind, e.benchmark) for e in events}
    assert {("start", b) for b in benchmarks} <= kinds
    assert {("done", b) for b in benchmarks} <= kinds
    # The same seed in the parent gives the same search as in the worker.
    env = cgym.make("llvm-ic-v0", "inproc")
    try:
        here = search.random_search(env, FIBONACCI, search.Budget(steps=10), seed=4)
    finally:
        env.close()
    assert (here.actions, here.reward) == (results[0].actions, results[0].reward)


class FakeEnv:
    """An env with the interface the searches use, whose actions are names "-sub1", "-sub2"
    (subtract from the instruction count, down to 10), "-crash" (raises, as a step whose
    service died does) and five "-nop" (no change), with the IrInstructionCountOz reward of
    O0 = 100 and Oz = 50."""

    names = ["-sub1", "-crash", "-sub2"] + ["-nop"] * 5

    def __init__(self, count=100):
        self.count = count
        self.action_space = cgym.spaces.NamedDiscrete(self.names, name="fake")
        self.reward_space = type("R", (), {"name": "IrInstructionCountOz"})()
        self.observation = {"IrInstructionCountO0": 100, "IrInstructionCountOz": 50}
        self.crashes = 0
        self.closed = False

    def reset(self, benchmark=None):
        self.count = 100

    def step(self, action):
        name = self.names[action]
        if name == "-crash":
            self.crashes += 1
            raise cgym.ServiceError("the service died")
        before = self.count
        if name != "-nop":
            self.count = max(10, self.count - int(name[-1]))
        return None, (before - self.count) / 50, False, {}

    def fork(self):
        fork = FakeEnv(self.count)
        fork.parent = self
        return fork

    def close(self):
        self.closed = True


def test_searches_go_on_after_a_failed_step():
    env = FakeEnv()
    result = search.random_search(env, "benchmark://fake/x", search.Budget(steps=100), seed=1)
    assert env.crashes > 0 and result.ok
    assert result.ic_best == 100 - round(result.reward * 50)
    assert "-crash" not in result.actions

    env = FakeEnv()
    result = search.greedy_search(env, "benchmark://fake/x")
    # -sub2 is best until the count reaches 10: 45 rounds, then a last one without gain.
    assert result.actions == ["-sub2"] * 45
    assert result.ic_best == 10 and result.reward == pytest.approx(1.8)
    assert result.steps == 8 * 46


def test_a_search_gives_up_after_failures_in_a_row():
    env = FakeEnv()
    env.names = ["-crash"]
    env.action_space = cgym.spaces.NamedDiscrete(env.names, name="fake")
    with pytest.raises(cgym.ServiceError, match="died"):
        search.random_search(env, "benchmark://fake/x", search.Budget(steps=100))
    assert env.crashes == 5


def crashing_task(config, index, benchmark, attempt=0):
    """A worker's task that dies as a crash in LLVM would: on the first attempt for
    ".../crash-once", on every attempt for ".../crash-always"."""
    import os

    if benchmark.endswith("crash-always") or (benchmark.endswith("crash-once") and attempt == 0):
        os._exit(139)
    return search.SearchResult(benchmark=benchmark, reward=float(attempt + 1))


def test_the_runner_goes_on_after_a_worker_dies():
    benchmarks = ["b://x/crash-once", "b://x/fine", "b://x/crash-always", "b://x/also-fine"]
    runner = search.SearchRunner(search.SearchConfig(), benchmarks, workers=2, task=crashing_task)
    results = runner.run()
    by_name = {r.benchmark.rsplit("/", 1)[1]: r for r in results}
    # Run again (a second attempt) after the crash, and found.
    assert by_name["crash-once"].error is None and by_name["crash-once"].reward == 2.0
    assert by_name["crash-always"].error.startswith("worker failed")
    assert by_name["fine"].error is None and by_name["also-fine"].error is None


def test_the_runner_ends_when_no_worker_can_start():
    # A script read from stdin cannot be re-imported by spawned workers, so each dies before
    # its first search: the runner must give up after a few pools, not start new ones forever.
    script = """
from cgym import search
def task(config, index, benchmark, attempt=0):
    return search.SearchResult(benchmark=benchmark, reward=1.0)
if __name__ == "__main__":
    benchmarks = ["b://x/a", "b://x/b"]
    runner = search.SearchRunner(search.SearchConfig(), benchmarks, workers=2, task=task)
    for result in runner.run():
        print(result.benchmark, result.error)
"""
    done = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert all(" worker failed: " in line for line in lines), lines
