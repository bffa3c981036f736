# SPDX-License-Identifier: MIT
"""cgym.ray on a Ray cluster of this machine (one per module, `ray start --head --block`,
stopped by its pid): VecEnvActor and rollout() over vector envs of the example
service and of llvm-autophase-ic-v0 against a local VecEnv given the same actions,
RaySearchRunner's crash recovery, and `cgym random-search --ray` / `cgym greedy --ray` as
processes, with the same CSV and table as the local search, and Ctrl-C.

Skipped without Ray (pip install -r requirements-test.txt); the LLVM tests are skipped
without LLVM, as test_cli.py's are."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray")

import cgym  # noqa: E402
import cgym.ray  # noqa: E402
from cgym import search  # noqa: E402
from conftest import c_service_binary  # noqa: E402
from test_cli import (  # noqa: E402
    BENCHMARKS,
    FIBONACCI,
    LineReader,
    instruction_counts,
    llvm_environment,
    run_cli,
    table_rows,
)
from test_cli_search import crashing_task  # noqa: E402

START_TIMEOUT = 120  # seconds for the cluster to come up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def llvm_variables() -> dict:
    """CGYM_LLVM_SERVICE / CGYM_LLVM_PLUGIN when LLVM is installed (for the cluster's workers):
    the variables, else where libcgym finds them (cgym.env_service_path); else nothing (its
    tests skip)."""
    service = os.environ.get("CGYM_LLVM_SERVICE")
    if not service:
        try:
            service = cgym.env_service_path("llvm-v0")
        except cgym.EnvironmentNotSupported:
            return {}
    plugin = os.environ.get("CGYM_LLVM_PLUGIN") or str(Path(service).parent / "libcgym-llvm.so")
    if not Path(service).is_file():
        return {}
    return {"CGYM_LLVM_SERVICE": service, "CGYM_LLVM_PLUGIN": plugin}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The address of a 2-CPU Ray head on this machine, and this process connected to it."""
    temp_dir = tmp_path_factory.mktemp("ray")
    port = free_port()
    # Ray names a node by its address on the network (what it would connect to from another
    # node), whatever host it is given: the head's address is the same.
    address = f"{ray.util.get_node_ip_address()}:{port}"
    ray_bin = Path(sys.executable).parent / "ray"
    # A cluster of this test only, on this machine: no token to share between its processes.
    os.environ["RAY_AUTH_MODE"] = "disabled"
    env = dict(os.environ, **llvm_variables(), RAY_USAGE_STATS_ENABLED="0")
    log = open(temp_dir / "head.log", "wb")
    head = subprocess.Popen(
        [
            str(ray_bin),
            "start",
            "--head",
            "--block",
            f"--port={port}",
            "--num-cpus=2",
            "--include-dashboard=false",
            f"--temp-dir={temp_dir}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                ray.init(address=address, logging_level="WARNING")
                break
            except (ConnectionError, RuntimeError):
                if head.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(1)
        # The policies and tasks of these tests go to the workers by value: the workers cannot
        # import the test modules.
        for module in (sys.modules[__name__], sys.modules[crashing_task.__module__]):
            ray.cloudpickle.register_pickle_by_value(module)
        yield address
    finally:
        if ray.is_initialized():
            ray.shutdown()
        head.send_signal(signal.SIGTERM)  # --block: the head stops the processes it started
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            head.kill()
            head.wait()
        log.close()


# ---- Vector envs in actors ---------------------------------------------------------------


def vector_module():
    try:
        from cgym import vector
    except ImportError as e:
        pytest.skip(f"cgym.vector is not available: {e}")
    return vector


class SeededPolicy:
    """A picklable policy: uniformly random actions of its own generator (each copy the same
    sequence)."""

    def __init__(self, n: int, seed: int):
        self.n = n
        self.rng = np.random.default_rng(seed)

    def __call__(self, observations):
        return self.rng.integers(0, self.n, size=len(observations))


def replay_locally(make_local, trajectory) -> None:
    """The trajectory's actions stepped on a local VecEnv from a reset: the same
    observations, rewards, terminations and truncations."""
    with make_local() as local:
        observation, _ = local.reset()
        for t, actions in enumerate(trajectory["actions"]):
            np.testing.assert_array_equal(observation, trajectory["observations"][t])
            observation, reward, terminated, truncated, _ = local.step(actions)
            np.testing.assert_array_equal(reward, trajectory["rewards"][t])
            np.testing.assert_array_equal(terminated, trajectory["terminations"][t])
            np.testing.assert_array_equal(truncated, trajectory["truncations"][t])
        np.testing.assert_array_equal(observation, trajectory["last_observations"])


def check_actors(make_local, actor_args, actor_kwargs, num_envs, width, steps=6):
    vector_module()
    actors = [cgym.ray.VecEnvActor.remote(*actor_args, **actor_kwargs) for _ in range(2)]
    try:
        assert ray.get([a.num_envs.remote() for a in actors]) == [num_envs] * 2
        spaces = ray.get(actors[0].spaces.remote())
        n = spaces["single_action_space"].n
        # One batch per step() call.
        observation, _ = ray.get(actors[0].reset.remote())
        assert observation.shape == (num_envs, width)
        actions = np.arange(num_envs) % n
        step = ray.get(actors[0].step.remote(actions))
        with make_local() as local:
            local_observation, _ = local.reset()
            np.testing.assert_array_equal(local_observation, observation)
            expected = local.step(actions)
        for got, want in zip(step[:4], expected[:4]):
            np.testing.assert_array_equal(got, want)

        # k steps per rollout() call, both actors at once.
        trajectories = cgym.ray.rollout(actors, SeededPolicy(n, seed=3), steps, reset=True)
        assert len(trajectories) == 2
        for trajectory in trajectories:
            assert trajectory["observations"].shape == (steps, num_envs, width)
            assert trajectory["actions"].shape == (steps, num_envs)
            assert trajectory["rewards"].shape == (steps, num_envs)
            assert trajectory["rewards"].dtype == np.float64
            assert trajectory["terminations"].shape == (steps, num_envs)
            assert trajectory["truncations"].shape == (steps, num_envs)
            assert len(trajectory["infos"]) == steps
            assert trajectory["last_observations"].shape == (num_envs, width)
            replay_locally(make_local, trajectory)
        # The same policy from the same start: the same trajectory in both actors.
        np.testing.assert_array_equal(trajectories[0]["actions"], trajectories[1]["actions"])
        np.testing.assert_array_equal(trajectories[0]["rewards"], trajectories[1]["rewards"])
        # A rollout goes on from where the last one ended.
        more = cgym.ray.rollout(actors[:1], SeededPolicy(n, seed=4), 2)[0]
        np.testing.assert_array_equal(more["observations"][0], trajectories[0]["last_observations"])
        ray.get([a.close.remote() for a in actors])
    finally:
        for a in actors:
            ray.kill(a)


def test_actors_over_the_example_service(cluster):
    vector = vector_module()
    endpoint = str(c_service_binary())
    kwargs = dict(
        endpoint=endpoint,
        num_envs=3,
        benchmark="benchmark://example-compiler-v0/foo",
        observation_space="features",
    )
    check_actors(lambda: vector.VecEnv(**kwargs), (), kwargs, num_envs=3, width=3)


def test_actors_over_llvm_autophase(cluster, llvm):
    vector = vector_module()
    kwargs = dict(num_envs=2, benchmark=FIBONACCI)
    check_actors(
        lambda: vector.VecEnv("llvm-autophase-ic-v0", **kwargs),
        ("llvm-autophase-ic-v0",),
        kwargs,
        num_envs=2,
        width=56,
    )


def test_an_actor_that_cannot_make_its_env_raises(cluster):
    vector_module()
    actor = cgym.ray.VecEnvActor.remote("no-such-env-v0", num_envs=2)
    with pytest.raises(ray.exceptions.RayActorError, match="no-such-env-v0"):
        ray.get(actor.num_envs.remote(), timeout=120)


# ---- Searches ------------------------------------------------------------------------------


def test_the_runner_goes_on_after_an_actor_dies(cluster):
    benchmarks = ["b://x/crash-once", "b://x/fine", "b://x/crash-always", "b://x/also-fine"]
    runner = cgym.ray.RaySearchRunner(
        search.SearchConfig(), benchmarks, workers=2, task=crashing_task
    )
    assert runner.workers == 2
    events = []
    results = runner.run(events.append)
    by_name = {r.benchmark.rsplit("/", 1)[1]: r for r in results}
    assert by_name["crash-once"].error is None and by_name["crash-once"].reward == 2.0
    assert by_name["crash-always"].error.startswith("worker failed")
    assert by_name["fine"].error is None and by_name["also-fine"].error is None
    assert [e.benchmark for e in events if e.kind == "done"].count("b://x/crash-always") == 1


def test_the_runner_defaults_to_the_cluster_cpus(cluster):
    runner = cgym.ray.RaySearchRunner(search.SearchConfig(), [f"b://x/{i}" for i in range(5)])
    assert runner.workers == 2
    assert cgym.ray.RaySearchRunner(search.SearchConfig(), ["b://x/1"]).workers == 1


@pytest.fixture(scope="module")
def cli_env(cluster) -> dict:
    env = llvm_environment()
    env.pop("RAY_ADDRESS", None)
    return env


def same_search(cli_env, tmp_path, command, *ray_args, steps=20):
    """The command run locally and on Ray with the same seed: the same CSV (but for the
    walltimes) and the same table."""
    outputs = {}
    for name, extra in (("local", ["--workers", "2"]), ("ray", list(ray_args))):
        output = tmp_path / f"{name}.csv"
        seed = ["--seed", "7"] if command == "random-search" else []
        result = run_cli(
            cli_env[name],
            command,
            "--steps",
            steps,
            *seed,
            "--output",
            output,
            *extra,
            *BENCHMARKS,
        )
        assert result.returncode == 0, result.stderr
        outputs[name] = (result, output.read_text())
    (local, local_csv), (remote, remote_csv) = outputs["local"], outputs["ray"]
    assert "on Ray" in remote.stderr and "2 worker(s)" in remote.stderr
    assert local_csv.splitlines()[0] == remote_csv.splitlines()[0]
    strip = lambda csv: [  # noqa: E731
        (s.benchmark, s.reward, s.commandline) for s in cgym.states_from_csv(csv)
    ]
    assert strip(local_csv) == strip(remote_csv)
    assert sorted(s[0] for s in strip(remote_csv)) == sorted(BENCHMARKS)
    assert table_rows(local.stdout) == table_rows(remote.stdout)
    assert "steps/s" in remote.stdout


def test_random_search_on_ray_at_an_address(cli_env, cluster, tmp_path):
    same_search({"local": cli_env, "ray": cli_env}, tmp_path, "random-search", "--ray", cluster)


def test_greedy_on_ray_auto(cli_env, cluster, tmp_path):
    remote_env = dict(cli_env, RAY_ADDRESS=cluster)
    same_search({"local": cli_env, "ray": remote_env}, tmp_path, "greedy", "--ray", "auto")


def test_ray_at_a_wrong_address_exits_1(cli_env, tmp_path):
    result = run_cli(
        cli_env,
        "random-search",
        "--steps",
        5,
        "--ray",
        "127.0.0.1:1",
        FIBONACCI,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "127.0.0.1:1" in result.stderr
    assert not list(tmp_path.glob("*.csv"))


def test_ctrl_c_on_ray_keeps_the_results(cli_env, cluster, tmp_path):
    output = tmp_path / "states.csv"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cgym.cli",
            "random-search",
            "--time",
            "600",
            "--ray",
            cluster,
            "--output",
            str(output),
            *BENCHMARKS,
        ],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stderr = LineReader(process.stderr)
        started = {stderr.wait_for(r"searching (\S+)").group(1) for _ in BENCHMARKS}
        assert started == set(BENCHMARKS)
        time.sleep(2)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
        stdout = process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr.rest()
    assert "Interrupted" in stderr.rest()
    rows = table_rows(stdout)
    states = cgym.states_from_csv(output.read_text())
    assert sorted(s.benchmark for s in states) == sorted(BENCHMARKS)
    env = cgym.make("llvm-ic-v0", "inproc")
    try:
        for state in states:
            o0, oz, ic = instruction_counts(env, state)
            assert state.reward == pytest.approx((o0 - ic) / max(o0 - oz, 1), abs=1e-9)
            assert int(rows[state.benchmark][4]) > 0
    finally:
        env.close()
