# SPDX-License-Identifier: MIT
"""Drive a libcgym service with CompilerGym's OWN Python client.

This runs the published ``compiler_gym==0.2.5`` client
(``compiler_gym.service.client_service_compiler_env.ClientServiceCompilerEnv``,
given a ``pathlib.Path`` endpoint, so the client launches and owns the service
process exactly as it does for a Bazel-built CompilerGym service) against our
example service, and checks what that client sees: versions, spaces, resets,
steps, observations, rewards, benchmarks and forks, plus the logging flags the
client passes and the clean exit on SIGTERM that every test's teardown depends on
(docs/service.md). The ``itemNN`` in test names only number the checks.

Environment:
  CGYM_EXAMPLE_SERVICE   path of the example service binary written in C++
                         (e.g. build/services/example_cc/cgym-example-service-cc).
  CGYM_EXAMPLE_SERVICE_C path of the same service written in C
                         (e.g. build/services/example/cgym-example-service).
                         Every test runs against each binary that is set (test
                         ids [cc] and [c]). Neither set -> the whole module is
                         skipped.
  CGYM_NO_COMPILER_GYM=1 skip (instead of fail) when compiler_gym cannot be
                         imported. Without it, a missing/broken compiler_gym
                         makes every test here FAIL.

compiler_gym 0.2.5 cannot be installed with its own pins on Python 3.11; install
it into a separate virtualenv in two steps (see the header of
compiler_gym_requirements.txt for why):

  python3 -m venv /tmp/cgvenv
  /tmp/cgvenv/bin/pip install -r tests/python/compiler_gym_requirements.txt
  /tmp/cgvenv/bin/pip install --no-deps -r tests/python/compiler_gym_nodeps.txt
  CGYM_EXAMPLE_SERVICE=$PWD/build/services/example_cc/cgym-example-service-cc \
  CGYM_EXAMPLE_SERVICE_C=$PWD/build/services/example/cgym-example-service \
      /tmp/cgvenv/bin/python -m pytest -v tests/python/test_compiler_gym_client.py
"""

import os
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path

import pytest

# The example service binaries, by test id: the C++ session and the C session.
SERVICE_ENV_VARS = {"cc": "CGYM_EXAMPLE_SERVICE", "c": "CGYM_EXAMPLE_SERVICE_C"}
SERVICES = {key: os.environ[var] for key, var in SERVICE_ENV_VARS.items() if os.environ.get(var)}

if not SERVICES:
    pytest.skip(
        "neither $CGYM_EXAMPLE_SERVICE nor $CGYM_EXAMPLE_SERVICE_C is set: "
        "they must name the example service binaries "
        "(build/services/example_cc/cgym-example-service-cc, "
        "build/services/example/cgym-example-service)",
        allow_module_level=True,
    )

# Keep the client's service working directories and caches out of the user's
# home and the shared /dev/shm/compiler_gym_<user>. Set before importing
# compiler_gym, which touches the transient cache at import time; restored (and
# the directory deleted) at the end of the session by _private_compiler_gym_dirs.
_CACHE_ENV_VARS = (
    "COMPILER_GYM_CACHE",
    "COMPILER_GYM_TRANSIENT_CACHE",
    "COMPILER_GYM_SITE_DATA",
)
_SAVED_CACHE_ENV = {k: os.environ.get(k) for k in _CACHE_ENV_VARS}
_PRIVATE_DIR = tempfile.mkdtemp(prefix="cgym-client-test-")
for _k in _CACHE_ENV_VARS:
    os.environ[_k] = str(Path(_PRIVATE_DIR) / _k.lower())

try:
    import numpy as np
    from compiler_gym.datasets import Benchmark, Dataset
    from compiler_gym.service.client_service_compiler_env import (
        ClientServiceCompilerEnv,
    )
    from compiler_gym.service.connection import (
        CompilerGymServiceConnection,
        ConnectionOpts,
    )
    from compiler_gym.spaces import Box, NamedDiscrete, Reward, Scalar, Sequence

    IMPORT_ERROR = None
except Exception:  # noqa: BLE001 - see test_compiler_gym_importable.
    IMPORT_ERROR = traceback.format_exc()
    if os.environ.get("CGYM_NO_COMPILER_GYM") == "1":
        shutil.rmtree(_PRIVATE_DIR, ignore_errors=True)
        for _k, _v in _SAVED_CACHE_ENV.items():
            if _v is None:
                os.environ.pop(_k, None)
            else:
                os.environ[_k] = _v
        pytest.skip(
            "compiler_gym is not importable and CGYM_NO_COMPILER_GYM=1:\n" + IMPORT_ERROR,
            allow_module_level=True,
        )

# Hard per-test limit, so a hung service cannot hang the suite (the client's
# own RPC timeout is 300 s).
TEST_TIMEOUT_SECONDS = 90

BENCHMARK_FOO = "benchmark://example-compiler-v0/foo"
BENCHMARK_BAR = "benchmark://example-compiler-v0/bar"
INT64_MAX = 2**63 - 1


# ---------------------------------------------------------------------------
# Client-side definitions, as examples/example_compiler_gym_service/__init__.py
# registers them for example-cc-v0. Built lazily so that this module
# still imports (and its tests fail with a clear message) when compiler_gym is
# missing.
# ---------------------------------------------------------------------------


def _client_side_types():
    class RuntimeReward(Reward):
        """Reward "runtime": previous runtime - current runtime, the previous
        value initialised to the first observation of an episode."""

        def __init__(self):
            super().__init__(
                name="runtime",
                observation_spaces=["runtime"],
                default_value=0,
                default_negates_returns=True,
                deterministic=False,
                platform_dependent=True,
            )
            self.previous_runtime = None

        def reset(self, benchmark, observation_view):
            del benchmark, observation_view
            self.previous_runtime = None

        def update(self, actions, observations, observation_view):
            del actions, observation_view
            if self.previous_runtime is None:
                self.previous_runtime = observations[0]
            reward = float(self.previous_runtime - observations[0])
            self.previous_runtime = observations[0]
            return reward

    class ExampleDataset(Dataset):
        """benchmark://example-compiler-v0 with benchmarks /foo and /bar."""

        def __init__(self):
            super().__init__(
                name="benchmark://example-compiler-v0",
                license="MIT",
                description="An example dataset",
            )
            self._benchmarks = {
                "/foo": Benchmark.from_file_contents(BENCHMARK_FOO, b"Ir data"),
                "/bar": Benchmark.from_file_contents(BENCHMARK_BAR, b"Ir data"),
            }

        def benchmark_uris(self):
            yield from (f"benchmark://example-compiler-v0{k}" for k in self._benchmarks)

        def benchmark_from_parsed_uri(self, uri):
            if uri.path in self._benchmarks:
                return self._benchmarks[uri.path]
            raise LookupError("Unknown program name")

    return RuntimeReward, ExampleDataset


class RpcRecorder:
    """Wraps the methods of a connection's CompilerGymServiceStub to record
    every RPC the client sends: (method, status code name, reply)."""

    METHODS = (
        "GetVersion",
        "GetSpaces",
        "StartSession",
        "ForkSession",
        "EndSession",
        "Step",
        "AddBenchmark",
        "SendSessionParameter",
    )

    def __init__(self):
        self.calls = []
        self._stubs = set()

    def attach(self, connection):
        stub = connection.stub
        if id(stub) in self._stubs:
            return
        self._stubs.add(id(stub))
        for name in self.METHODS:
            setattr(stub, name, self._wrap(name, getattr(stub, name)))

    def _wrap(self, name, method):
        import grpc

        def wrapper(request, *args, **kwargs):
            try:
                reply = method(request, *args, **kwargs)
            except grpc.RpcError as e:
                self.calls.append((name, e.code().name, e.details()))
                raise
            self.calls.append((name, "OK", reply))
            return reply

        return wrapper

    def clear(self):
        self.calls.clear()

    def summary(self):
        """[(method, status)] of the calls so far."""
        return [(name, code) for name, code, _ in self.calls]


# ---------------------------------------------------------------------------
# Fixtures.
# ---------------------------------------------------------------------------


def test_compiler_gym_importable():
    """compiler_gym must import; this is a FAILURE (not a skip) unless
    CGYM_NO_COMPILER_GYM=1 (which skips the whole module instead)."""
    if IMPORT_ERROR is not None:
        pytest.fail(
            "compiler_gym could not be imported (install it as described in "
            "tests/python/compiler_gym_requirements.txt, or set "
            "CGYM_NO_COMPILER_GYM=1 to skip):\n" + IMPORT_ERROR,
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _require_compiler_gym_and_timeout(request):
    if IMPORT_ERROR is not None and request.node.name != "test_compiler_gym_importable":
        pytest.skip("compiler_gym is not importable: see test_compiler_gym_importable")

    def on_timeout(signum, frame):
        raise TimeoutError(f"test exceeded {TEST_TIMEOUT_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, on_timeout)
    signal.alarm(TEST_TIMEOUT_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# What gRPC's client core logs (on stderr, from C++, so only an fd-level capture sees it)
# when a service cancels its connections instead of letting the client close them: a service
# that shuts down with a deadline that has passed sends connected clients a GOAWAY with an
# error. Neither example service may make CompilerGym's client log one.
GOAWAY_WITH_ERROR = "Cancelling all calls"


@pytest.fixture(autouse=True)
def _no_goaway_with_error(capfd):
    # Autouse: set up before the env fixture, so checked after the env has been closed.
    yield
    out, err = capfd.readouterr()
    # Passed on, so that a failing test's report still shows what the test printed.
    sys.stdout.write(out)
    sys.stderr.write(err)
    lines = [line for line in err.splitlines() if GOAWAY_WITH_ERROR in line]
    assert not lines, "the client logged a GOAWAY with an error:\n" + "\n".join(lines)


@pytest.fixture(scope="session", autouse=True)
def _private_compiler_gym_dirs():
    try:
        yield
    finally:
        for k, v in _SAVED_CACHE_ENV.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(_PRIVATE_DIR, ignore_errors=True)


@pytest.fixture(params=list(SERVICES))
def service_path(request) -> Path:
    """Each example service binary that is set, in turn."""
    var, value = SERVICE_ENV_VARS[request.param], SERVICES[request.param]
    path = Path(value).absolute()
    assert path.is_file(), f"${var}={value}: not a file"
    assert os.access(path, os.X_OK), f"${var}={value}: not executable"
    return path


def connection_opts():
    return ConnectionOpts(
        rpc_max_retries=2,
        retry_wait_seconds=0.1,
        init_max_seconds=20,
        init_max_attempts=2,
        local_service_port_init_max_seconds=10,
        local_service_exit_max_seconds=10,
        rpc_init_max_seconds=5,
    )


def make_env(service_path: Path, **kwargs):
    RuntimeReward, ExampleDataset = _client_side_types()
    kwargs.setdefault("rewards", [RuntimeReward()])
    kwargs.setdefault("datasets", [ExampleDataset()])
    kwargs.setdefault("benchmark", Benchmark.from_file_contents(BENCHMARK_FOO, b"Ir data"))
    kwargs.setdefault("connection_settings", connection_opts())
    return ClientServiceCompilerEnv(service=service_path, **kwargs)


@pytest.fixture
def env(service_path):
    env = make_env(service_path)
    try:
        yield env
    finally:
        # Raises ServiceError("Service exited with returncode N") if the
        # service does not exit with 0 on SIGTERM (docs/service.md, "Lifecycle").
        env.close()


@pytest.fixture
def recorder(env):
    rec = RpcRecorder()
    rec.attach(env.service)
    return rec


# ---------------------------------------------------------------------------
# Tests (numbered checks of what CompilerGym's client sees).
# ---------------------------------------------------------------------------


def test_item03_versions(env):
    """3. GetVersion.compiler_version == "1.0.0" (via env.compiler_version)."""
    assert env.compiler_version == "1.0.0"
    assert isinstance(env.version, str) and env.version


def test_item04_action_space(env):
    """4. Exactly one action space, "default", named discrete a, b, c."""
    assert len(env.action_spaces) == 1
    space = env.action_spaces[0]
    assert space.name == "default"
    assert list(space.names) == ["a", "b", "c"]
    assert space.n == 3
    assert env.action_spaces == [NamedDiscrete(name="default", items=["a", "b", "c"])]
    assert env.action_space.name == "default"
    assert env.action_space.to_string([0, 1, 2]) == "a b c"


def test_item05_observation_spaces(env):
    """5. Observation spaces ir / features / runtime and their gym conversion."""
    env.reset()
    spaces = env.observation.spaces
    assert spaces.keys() == {"ir", "features", "runtime"}
    assert [spaces[k].index for k in ("ir", "features", "runtime")] == [0, 1, 2]

    assert spaces["ir"].space == Sequence(name="ir", size_range=(0, INT64_MAX), dtype=str)
    assert spaces["ir"].deterministic is True
    assert spaces["ir"].platform_dependent is False

    assert spaces["features"].space == Box(
        name="features", shape=(3,), low=-100, high=100, dtype=np.int64
    )
    assert spaces["features"].deterministic is False
    assert spaces["features"].platform_dependent is False

    assert spaces["runtime"].space == Scalar(name="runtime", min=0, max=np.inf, dtype=np.float64)
    assert spaces["runtime"].deterministic is False
    assert spaces["runtime"].platform_dependent is True


def test_item13_double_reset(env, recorder):
    """13. Two consecutive reset()s both leave the env in an episode. The
    first URI-only StartSession is NOT_FOUND, then AddBenchmark + StartSession
    succeed; the second reset ends the first session and finds the benchmark
    in the service's cache."""
    assert env.reset() is None
    assert env.in_episode
    assert env._session_id is not None
    assert recorder.summary() == [
        ("StartSession", "NOT_FOUND"),
        ("AddBenchmark", "OK"),
        ("StartSession", "OK"),
    ]
    recorder.clear()

    assert env.reset() is None
    assert env.in_episode
    assert recorder.summary() == [("EndSession", "OK"), ("StartSession", "OK")]
    end_reply = recorder.calls[0][2]
    assert end_reply.remaining_sessions == 0
    assert env._session_id is not None
    assert env.benchmark == BENCHMARK_FOO


def test_item14_reset_step_reset_step(env):
    """14. reset(); step(sample) -> not done; reset(); step(sample) -> not done."""
    env.reset()
    assert env.in_episode
    _, _, done, info = env.step(env.action_space.sample())
    assert not done, info
    env.reset()
    _, _, done, info = env.step(env.action_space.sample())
    assert not done, info
    assert env.in_episode


def test_item15_step_out_of_range(env, recorder):
    """15. step(100) -> ValueError("Out-of-range") from INVALID_ARGUMENT."""
    env.reset()
    recorder.clear()
    with pytest.raises(ValueError) as ctx:
        env.step(100)
    assert str(ctx.value) == "Out-of-range"
    assert recorder.calls[-1][:3] == ("Step", "INVALID_ARGUMENT", "Out-of-range")
    # INVALID_ARGUMENT is not a transport/service error: the episode stays open.
    assert env.in_episode
    _, _, done, info = env.step(0)
    assert not done, info


def test_item16_default_ir_observation(env, recorder):
    """16. Default observation space "ir": reset() returns "Hello, world!"
    (StartSession computes it); step(0) -> ("Hello, world!", None, False)."""
    env.observation_space = "ir"
    recorder.clear()
    observation = env.reset()
    assert observation == "Hello, world!"
    start = [c for c in recorder.calls if c[0] == "StartSession" and c[1] == "OK"]
    assert len(start) == 1 and len(start[0][2].observation) == 1

    observation, reward, done, info = env.step(0)
    assert observation == "Hello, world!"
    assert reward is None
    assert not done, info
    assert info == {"action_had_no_effect": False, "new_action_space": False}


def test_item17_default_features_observation(env):
    """17. Default observation space "features": reset() returns int64 [0,0,0]."""
    env.observation_space = "features"
    observation = env.reset()
    assert isinstance(observation, np.ndarray)
    assert observation.shape == (3,)
    assert observation.dtype == np.int64
    assert observation.tolist() == [0, 0, 0]


def test_item18_default_reward(env, recorder):
    """18. Default reward space "runtime": step(0) -> (None, 0, False); the Step
    carries the "runtime" observation (index 2) the reward needs."""
    env.reward_space = "runtime"
    env.reset()
    recorder.clear()
    observation, reward, done, info = env.step(0)
    assert observation is None
    assert reward == 0
    assert isinstance(reward, float)
    assert not done, info
    assert env.episode_reward == 0
    assert recorder.summary() == [("Step", "OK")]
    assert len(recorder.calls[0][2].observation) == 1
    assert recorder.calls[0][2].observation[0].double_value == 0


def test_item19_observations(env, recorder):
    """19. env.observation["ir"] / ["features"] (Step with zero actions)."""
    env.reset()
    recorder.clear()
    assert env.observation["ir"] == "Hello, world!"
    features = env.observation["features"]
    np.testing.assert_array_equal(features, [0, 0, 0])
    assert features.dtype == np.int64
    assert env.observation["runtime"] == 0
    assert recorder.summary() == [("Step", "OK")] * 3
    # Generated accessor methods go through the same path.
    assert env.observation.ir() == "Hello, world!"


def test_item20_rewards(env):
    """20. env.reward["runtime"] == 0 after reset()."""
    env.reset()
    assert env.reward["runtime"] == 0


def test_item21_benchmarks(env):
    """21. (Client) dataset benchmark URIs, in order."""
    assert list(env.datasets.benchmark_uris()) == [BENCHMARK_FOO, BENCHMARK_BAR]
    # And the service accepts the second one too (AddBenchmark of a new URI).
    env.reset(benchmark=BENCHMARK_BAR)
    assert env.benchmark == BENCHMARK_BAR
    _, _, done, info = env.step(2)
    assert not done, info


def test_item22_fork(env, recorder):
    """22. reset(); step(0); step(1); fork() -> same benchmark, actions [0, 1].
    ForkSession is supported, so the fork shares the parent's service process;
    EndSession.remaining_sessions decides which close() stops it."""
    env.reset()
    env.step(0)
    env.step(1)
    recorder.clear()
    fkd = env.fork()
    try:
        assert ("ForkSession", "OK") in recorder.summary(), recorder.summary()
        assert fkd.service is env.service, "fork() fell back to a new process"
        assert fkd.benchmark == env.benchmark
        assert str(fkd.benchmark) == BENCHMARK_FOO
        assert fkd.actions == [0, 1]
        assert fkd.in_episode
        assert fkd._session_id != env._session_id
        _, _, done, info = fkd.step(2)
        assert not done, info
        assert fkd.actions == [0, 1, 2]
        assert env.actions == [0, 1]
    finally:
        recorder.clear()
        fkd.close()
    # Closing the fork ends only its session; the shared process stays up.
    ends = [c for c in recorder.calls if c[0] == "EndSession"]
    assert [(n, s) for n, s, _ in ends] == [("EndSession", "OK")]
    assert ends[0][2].remaining_sessions == 1
    assert env.service is not None and env.service.connection is not None
    assert env.observation["ir"] == "Hello, world!"
    _, _, done, info = env.step(0)
    assert not done, info
    # The fixture closes the parent: remaining_sessions 0 -> the service is
    # sent SIGTERM and must exit with code 0.


def test_item22_fork_close_parent_first(service_path):
    """22 / 29. Closing the parent first must keep the shared process alive
    for the fork (remaining_sessions == 1), then closing the fork stops it."""
    env = make_env(service_path)
    fkd = None
    try:
        env.reset()
        env.step(1)
        fkd = env.fork()
        assert fkd.service is env.service
        recorder = RpcRecorder()
        recorder.attach(env.service)
        env.close()
        ends = [c for c in recorder.calls if c[0] == "EndSession"]
        assert len(ends) == 1 and ends[0][1] == "OK"
        assert ends[0][2].remaining_sessions == 1
        assert fkd.observation["ir"] == "Hello, world!"
        _, _, done, info = fkd.step(0)
        assert not done, info
        assert fkd.actions == [1, 0]
    finally:
        env.close()
        if fkd is not None:
            fkd.close()


@pytest.mark.parametrize("debug_level", [1, 2])
def test_item25_debug_flags_accepted(service_path, monkeypatch, debug_level):
    """25. With COMPILER_GYM_DEBUG>0 the client launches the service with
    --alsologtostderr -v=<level-1> --logbuflevel=-1, which must be accepted."""
    monkeypatch.setenv("COMPILER_GYM_DEBUG", str(debug_level))
    env = make_env(service_path)
    try:
        assert env.compiler_version == "1.0.0"
        assert env.reset() is None
        _, _, done, info = env.step(0)
        assert not done, info
    finally:
        env.close()


def test_item26_clean_exit_and_working_dir_removed(service_path):
    """26. After the last session ends, SIGTERM makes the service exit with 0
    (close() raises ServiceError otherwise); the client removes its working
    directory, in which the service wrote port.txt."""
    env = make_env(service_path)
    try:
        env.reset()
        connection = env.service.connection
        working_dir = Path(connection.cache.path)
        assert (working_dir / "port.txt").is_file()
        assert int((working_dir / "port.txt").read_text().rstrip()) > 0
        process = connection.process
        assert process.poll() is None
    except BaseException:
        env.close()
        raise
    env.close()  # must not raise ServiceError
    assert process.returncode == 0
    assert not working_dir.exists()


def test_direct_connection_get_spaces(service_path):
    """4/27. The bare CompilerGymServiceConnection (no env) reports the spaces."""
    connection = CompilerGymServiceConnection(service_path, connection_opts())
    try:
        action_spaces = connection.action_spaces
        assert [a.name for a in action_spaces] == ["default"]
        assert list(action_spaces[0].space.named_discrete.name) == ["a", "b", "c"]
        assert [o.name for o in connection.observation_spaces] == [
            "ir",
            "features",
            "runtime",
        ]
        assert repr(connection.connection).startswith("Connection to service at localhost:")
    finally:
        connection.close()
