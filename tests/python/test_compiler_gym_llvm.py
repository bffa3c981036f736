# SPDX-License-Identifier: MIT
"""Drive cgym-llvm-service with CompilerGym's OWN Python client.

The published ``compiler_gym==0.2.5`` client launches and owns our LLVM service binary (a
``pathlib.Path`` endpoint) in two ways:

1. ``ClientServiceCompilerEnv``, the generic client: user benchmarks (inline bitcode, a
   ``benchmark://cgym-v0`` URI, invalid IR), the ``PassesAll`` action space, every observation
   space, forks and session parameters (docs/llvm.md).
2. ``compiler_gym.envs.llvm.LlvmEnv``, CompilerGym's LLVM environment class, with its
   client-side parts: ``make_benchmark`` from C and bitcode, flag names, ``InstCountDict``
   (derived from ``InstCount``), rewards, ``commandline()``, ``state`` and forks. LlvmEnv wants
   CompilerGym's LLVM 10 runtime in ``$COMPILER_GYM_SITE_DATA/llvm-v0``; a private site-data
   directory whose ``llvm-v0/.unpacked`` marker exists and whose ``llvm-v0/bin`` links to LLVM 16
   stands in for it, so nothing is downloaded (any download attempt fails the test).

Environment:
  CGYM_LLVM_SERVICE      path of cgym-llvm-service (default
                         build/release/services/llvm/cgym-llvm-service; skipped if unset and
                         that does not exist).
  CGYM_NO_COMPILER_GYM=1 skip (instead of fail) when compiler_gym cannot be imported.

Install compiler_gym as tests/python/compiler_gym_requirements.txt says, then:

  CGYM_LLVM_SERVICE=$PWD/build/release/services/llvm/cgym-llvm-service \
      /tmp/cgvenv/bin/python -m pytest -q tests/python/test_compiler_gym_llvm.py

The numbers (instruction counts, sizes) are LLVM 16's: the tests check relations between them,
not CompilerGym's LLVM 10 values.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import pytest

LLVM_BIN = Path("/usr/lib/llvm-16/bin")
# The LLVM tools that CompilerGym's LLVM runtime directory provides (llvm-v0/bin).
LLVM_TOOLS = ("clang", "clang++", "opt", "llc", "lli", "llvm-as", "llvm-dis", "llvm-link")
LLVM_TOOLS += ("llvm-size", "llvm-diff", "llvm-stress")

# Keep the client's working directories and caches out of the user's home and the shared
# /dev/shm/compiler_gym_<user>. Set before importing compiler_gym (which touches the transient
# cache at import time), set again around this module's tests (another module of the session
# may have changed them), restored and deleted at the end.
_CACHE_ENV_VARS = ("COMPILER_GYM_CACHE", "COMPILER_GYM_TRANSIENT_CACHE", "COMPILER_GYM_SITE_DATA")
_SAVED_CACHE_ENV = {k: os.environ.get(k) for k in _CACHE_ENV_VARS}
_PRIVATE_DIR = Path(tempfile.mkdtemp(prefix="cgym-llvm-client-test-"))
_PRIVATE_ENV = {k: str(_PRIVATE_DIR / k.lower()) for k in _CACHE_ENV_VARS}
os.environ.update(_PRIVATE_ENV)


def _restore_cache_env():
    for k, v in _SAVED_CACHE_ENV.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


try:
    import numpy as np
    from compiler_gym.datasets import Benchmark
    from compiler_gym.envs.llvm import LlvmEnv
    from compiler_gym.envs.llvm import make_benchmark as llvm_make_benchmark
    from compiler_gym.errors import BenchmarkInitError
    from compiler_gym.service.client_service_compiler_env import ClientServiceCompilerEnv
    from compiler_gym.service.connection import ConnectionOpts
    from compiler_gym.service.proto import Benchmark as BenchmarkProto
    from compiler_gym.service.proto import File
    from compiler_gym.spaces import Commandline

    IMPORT_ERROR = None
except Exception:  # noqa: BLE001 - see test_compiler_gym_importable.
    IMPORT_ERROR = traceback.format_exc()
    if os.environ.get("CGYM_NO_COMPILER_GYM") == "1":
        shutil.rmtree(_PRIVATE_DIR, ignore_errors=True)
        _restore_cache_env()
        pytest.skip(
            "compiler_gym is not importable and CGYM_NO_COMPILER_GYM=1:\n" + IMPORT_ERROR,
            allow_module_level=True,
        )

# Hard per-test limit (SIGALRM), so that a hung service cannot hang the suite (the client's own
# RPC timeout is 300 s). Every test here takes well under a second or two.
TEST_TIMEOUT_SECONDS = 90
# Limit for compiling the test program with clang.
CLANG_TIMEOUT_SECONDS = 60

FIBONACCI = "benchmark://cgym-v0/fibonacci"
# CompilerGym's observation spaces that the service provides, in CompilerGym's order.
OBSERVATION_SPACES = [
    "Ir",
    "IrSha1",
    "Bitcode",
    "BitcodeFile",
    "InstCount",
    "Autophase",
    "CpuInfo",
    "IrInstructionCount",
    "IrInstructionCountO0",
    "IrInstructionCountO3",
    "IrInstructionCountOz",
    "ObjectTextSizeBytes",
    "ObjectTextSizeO0",
    "ObjectTextSizeO3",
    "ObjectTextSizeOz",
    "TextSizeBytes",
    "TextSizeO0",
    "TextSizeO3",
    "TextSizeOz",
    "Runtime",
    "Buildtime",
    "IsBuildable",
    "IsRunnable",
    "LexedIr",
]
BITCODE_MAGIC = b"BC\xc0\xde"

# A small program with a loop, a call and locals (so -mem2reg and -adce have work to do).
C_PROGRAM = r"""
int sum_of_squares(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += i * i;
  return s;
}

int main(void) { return sum_of_squares(10) & 1; }
"""


# ---------------------------------------------------------------------------
# Fixtures.
# ---------------------------------------------------------------------------


def test_compiler_gym_importable():
    """compiler_gym must import; a FAILURE (not a skip) unless CGYM_NO_COMPILER_GYM=1."""
    if IMPORT_ERROR is not None:
        pytest.fail(
            "compiler_gym could not be imported (install it as described in "
            "tests/python/compiler_gym_requirements.txt, or set "
            "CGYM_NO_COMPILER_GYM=1 to skip):\n" + IMPORT_ERROR,
            pytrace=False,
        )


@pytest.fixture(scope="module", autouse=True)
def _private_compiler_gym_dirs():
    """This module's private caches and a site-data directory that stands in for CompilerGym's
    LLVM runtime download; everything restored and removed at the end of the module."""
    previous = {k: os.environ.get(k) for k in _CACHE_ENV_VARS}
    os.environ.update(_PRIVATE_ENV)
    llvm_v0 = Path(_PRIVATE_ENV["COMPILER_GYM_SITE_DATA"]) / "llvm-v0"
    (llvm_v0 / "bin").mkdir(parents=True, exist_ok=True)
    for tool in LLVM_TOOLS:
        link = llvm_v0 / "bin" / tool
        if (LLVM_BIN / tool).exists() and not link.is_symlink():
            link.symlink_to(LLVM_BIN / tool)
    # The marker that download_llvm_files() checks before downloading.
    (llvm_v0 / ".unpacked").touch()
    try:
        yield
    finally:
        for k, v in previous.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(_PRIVATE_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _require_compiler_gym_timeout_and_no_download(request, monkeypatch):
    if IMPORT_ERROR is not None and request.node.name != "test_compiler_gym_importable":
        pytest.skip("compiler_gym is not importable: see test_compiler_gym_importable")
    if IMPORT_ERROR is None:
        import compiler_gym.util.download as download_module

        def no_download(url):
            raise AssertionError(f"compiler_gym tried to download {url}")

        # Every download of compiler_gym goes through this function: none may happen.
        monkeypatch.setattr(download_module, "_get_url_data", no_download)

    def on_timeout(signum, frame):
        raise TimeoutError(f"test exceeded {TEST_TIMEOUT_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, on_timeout)
    signal.alarm(TEST_TIMEOUT_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# What gRPC's client core logs (on stderr, from C++, so only an fd-level capture sees it) when a
# service cancels its connections instead of letting the client close them.
GOAWAY_WITH_ERROR = "Cancelling all calls"


@pytest.fixture(autouse=True)
def _no_goaway_with_error(capfd):
    # Autouse: set up before the env fixtures, so checked after the envs have been closed.
    yield
    out, err = capfd.readouterr()
    # Passed on, so that a failing test's report still shows what the test printed.
    sys.stdout.write(out)
    sys.stderr.write(err)
    lines = [line for line in err.splitlines() if GOAWAY_WITH_ERROR in line]
    assert not lines, "the client logged a GOAWAY with an error:\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    """The test program: its C source and its bitcode (clang -O1 with LLVM's passes disabled,
    as CompilerGym compiles user programs: optimisation attributes kept, no pass run)."""
    directory = tmp_path_factory.mktemp("program")
    source = directory / "program.c"
    source.write_text(C_PROGRAM)
    bitcode = directory / "program.bc"
    clang = LLVM_BIN / "clang"
    assert clang.is_file(), f"{clang} is needed to compile the test program"
    command = [str(clang), "-O1", "-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c"]
    result = subprocess.run(
        [*command, str(source), "-o", str(bitcode)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=CLANG_TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    assert bitcode.read_bytes().startswith(BITCODE_MAGIC)
    return source, bitcode


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


def bitcode_benchmark(program):
    return Benchmark.from_file_contents("benchmark://user-v0/program", program[1].read_bytes())


def uri_benchmark(uri):
    """A benchmark that the service resolves from its URI, as CompilerGym sends file URIs."""
    return Benchmark(BenchmarkProto(uri=uri, program=File(uri=uri)))


@contextlib.contextmanager
def closing_env(make):
    """Yields make()'s environment and always closes it (which stops the service process)."""
    env = make()
    try:
        yield env
    finally:
        env.close()


@pytest.fixture
def client_env(llvm_service_binary, program):
    """ClientServiceCompilerEnv on our binary, with the inline-bitcode benchmark."""
    with closing_env(
        lambda: ClientServiceCompilerEnv(
            service=llvm_service_binary,
            benchmark=bitcode_benchmark(program),
            connection_settings=connection_opts(),
        )
    ) as env:
        yield env


@pytest.fixture
def llvm_env(llvm_service_binary, program):
    """CompilerGym's LlvmEnv on our binary. The constructor-time benchmark must be a Benchmark
    object: a URI would make LlvmEnv look it up in its datasets, which downloads."""
    benchmark = llvm_make_benchmark(program[0])
    with closing_env(
        lambda: LlvmEnv(
            service=llvm_service_binary,
            benchmark=benchmark,
            connection_settings=connection_opts(),
        )
    ) as env:
        yield env


# ---------------------------------------------------------------------------
# 1. ClientServiceCompilerEnv.
# ---------------------------------------------------------------------------


def test_client_action_space(client_env):
    """One action space, PassesAll: CompilerGym's 124 flags, in its order."""
    assert [space.name for space in client_env.action_spaces] == ["PassesAll"]
    space = client_env.action_space
    assert isinstance(space, Commandline)
    assert space.n == 124
    names = list(space.names)
    assert len(names) == 124 == len(set(names))
    assert names[:2] == ["-add-discriminators", "-adce"]
    assert all(name.startswith("-") for name in names)
    assert "-mem2reg" in names and "-instcombine" in names


def test_client_reset_and_step_by_index(client_env):
    """reset() on inline bitcode, then steps by index: -mem2reg changes the module, a second
    -mem2reg has no effect."""
    assert client_env.reset() is None
    assert client_env.in_episode
    before = client_env.observation["IrInstructionCount"]
    mem2reg = list(client_env.action_space.names).index("-mem2reg")

    _, _, done, info = client_env.step(mem2reg)
    assert not done, info
    assert info["action_had_no_effect"] is False
    after = client_env.observation["IrInstructionCount"]
    assert 0 < after < before

    _, _, done, info = client_env.step(mem2reg)
    assert not done, info
    assert info["action_had_no_effect"] is True
    assert client_env.observation["IrInstructionCount"] == after
    assert client_env.actions == [mem2reg, mem2reg]


def test_client_step_out_of_range(client_env):
    """An index outside [0, 124) is INVALID_ARGUMENT, which the client raises as ValueError;
    the episode goes on."""
    client_env.reset()
    with pytest.raises(ValueError, match="Action out of range"):
        client_env.step(124)
    _, _, done, info = client_env.step(1)
    assert not done, info


def test_client_every_observation_space(client_env):
    """Every observation space, by name, on the inline-bitcode benchmark (not buildable)."""
    assert list(client_env.observation.spaces) == OBSERVATION_SPACES
    client_env.reset()
    obs = {name: client_env.observation[name] for name in OBSERVATION_SPACES}

    assert isinstance(obs["Ir"], str) and "define" in obs["Ir"] and "@sum_of_squares" in obs["Ir"]
    assert isinstance(obs["IrSha1"], str) and len(obs["IrSha1"]) == 40
    int(obs["IrSha1"], 16)

    assert isinstance(obs["Bitcode"], np.ndarray)
    assert obs["Bitcode"].tobytes().startswith(BITCODE_MAGIC)
    bitcode_file = Path(obs["BitcodeFile"])
    assert bitcode_file.is_file()
    assert bitcode_file.read_bytes().startswith(BITCODE_MAGIC)

    count = obs["IrInstructionCount"]
    assert isinstance(count, int) and count > 0
    assert obs["InstCount"].shape == (70,) and obs["InstCount"].dtype == np.int64
    assert obs["InstCount"][0] == count  # TotalInstsCount.
    assert obs["Autophase"].shape == (56,) and obs["Autophase"].dtype == np.int64
    assert obs["Autophase"].min() >= 0 and obs["Autophase"].max() > 0

    # Baselines: O0 is the module as loaded, still unchanged.
    assert obs["IrInstructionCountO0"] == count
    assert 0 < obs["IrInstructionCountOz"] <= count
    assert 0 < obs["IrInstructionCountO3"] <= count
    for name in ("ObjectTextSizeBytes", "ObjectTextSizeO0", "ObjectTextSizeO3", "ObjectTextSizeOz"):
        assert isinstance(obs[name], int) and obs[name] > 0, name
    assert obs["ObjectTextSizeO0"] == obs["ObjectTextSizeBytes"]
    # No build command: the text sizes are the object sizes, as in CompilerGym.
    for suffix in ("Bytes", "O0", "O3", "Oz"):
        assert obs[f"TextSize{suffix}"] == obs[f"ObjectTextSize{suffix}"], suffix

    assert obs["IsBuildable"] is False and obs["IsRunnable"] is False
    assert isinstance(obs["Runtime"], np.ndarray) and obs["Runtime"].size == 0
    assert isinstance(obs["Buildtime"], np.ndarray) and obs["Buildtime"].size == 0

    cpu_info = json.loads(obs["CpuInfo"])
    assert cpu_info["cores_count"] >= 1

    lexed = obs["LexedIr"]
    assert isinstance(lexed, dict) and len(lexed) == 4, lexed.keys()
    lengths = {len(values) for values in lexed.values()}
    assert len(lengths) == 1 and lengths.pop() > 0, lexed

    # An observation follows the module: after -mem2reg, fewer instructions and a new hash.
    client_env.step(list(client_env.action_space.names).index("-mem2reg"))
    assert client_env.observation["IrInstructionCount"] < count
    assert client_env.observation["IrSha1"] != obs["IrSha1"]
    assert client_env.observation["IrInstructionCountO0"] == count


def test_client_runnable_uri_benchmark(llvm_service_binary):
    """benchmark://cgym-v0/fibonacci, by URI: buildable and runnable, so Runtime and Buildtime
    have one value each; the runtime count is a session parameter."""
    with closing_env(
        lambda: ClientServiceCompilerEnv(
            service=llvm_service_binary,
            benchmark=uri_benchmark(FIBONACCI),
            connection_settings=connection_opts(),
        )
    ) as env:
        env.reset()
        assert str(env.benchmark.uri) == FIBONACCI
        assert env.observation["IsBuildable"] is True
        assert env.observation["IsRunnable"] is True
        assert env.send_param("llvm.get_runtimes_per_observation_count", "") == "1"
        runtime = env.observation["Runtime"]
        assert runtime.shape == (1,) and runtime[0] > 0
        buildtime = env.observation["Buildtime"]
        assert buildtime.shape == (1,) and buildtime[0] > 0
        assert env.observation["TextSizeBytes"] > 0
        assert "define" in env.observation["Ir"]
        _, _, done, info = env.step(list(env.action_space.names).index("-mem2reg"))
        assert not done, info


def test_client_send_param(client_env):
    """CompilerGym's LLVM session parameters: get, set, get."""
    client_env.reset()
    assert client_env.send_param("llvm.get_runtimes_per_observation_count", "") == "1"
    assert client_env.send_param("llvm.set_runtimes_per_observation_count", "3") == "3"
    assert client_env.send_param("llvm.get_runtimes_per_observation_count", "") == "3"


def test_client_commandline(client_env):
    """The episode's actions as an opt command line, through the Commandline space."""
    client_env.reset()
    space = client_env.action_space
    client_env.step(space["-mem2reg"])
    client_env.step(space["-adce"])
    assert client_env.actions == [space["-mem2reg"], 1]
    assert space.commandline(client_env.actions) == "-mem2reg -adce"
    assert space.from_commandline("-mem2reg -adce") == client_env.actions


def test_client_fork(client_env):
    """A fork shares the service process and starts with the parent's exact IR; a step on the
    fork changes only the fork."""
    client_env.reset()
    space = client_env.action_space
    client_env.step(space["-sroa"])
    parent_ir = client_env.observation["Ir"]
    fkd = client_env.fork()
    try:
        assert fkd.service is client_env.service
        assert fkd.actions == client_env.actions
        # Only the printed IR is compared: the bitcode (and so IrSha1, its hash) of a re-parsed
        # module may order function-local symbol tables differently.
        assert fkd.observation["Ir"] == parent_ir

        _, _, done, info = fkd.step(space["-instcombine"])
        assert not done, info
        assert info["action_had_no_effect"] is False
        assert fkd.observation["Ir"] != parent_ir
        assert client_env.observation["Ir"] == parent_ir
        assert len(fkd.actions) == len(client_env.actions) + 1
    finally:
        fkd.close()
    # The parent still works after its fork ended.
    _, _, done, info = client_env.step(space["-instcombine"])
    assert not done, info
    assert client_env.observation["Ir"] != parent_ir


def test_client_bad_benchmark(llvm_service_binary, program):
    """Bytes that are neither bitcode nor IR: reset() raises (CompilerGym's BenchmarkInitError
    or ValueError, from INVALID_ARGUMENT) with LLVM's diagnostic; the env then resets on a good
    benchmark."""
    bad = Benchmark.from_file_contents("benchmark://user-v0/bad", b"this is not LLVM IR\n")
    with closing_env(
        lambda: ClientServiceCompilerEnv(
            service=llvm_service_binary,
            benchmark=bad,
            connection_settings=connection_opts(),
        )
    ) as env:
        with pytest.raises((BenchmarkInitError, ValueError)) as ctx:
            env.reset()
        assert "expected top-level entity" in str(ctx.value)
        env.reset(benchmark=bitcode_benchmark(program))
        assert env.observation["IrInstructionCount"] > 0


# ---------------------------------------------------------------------------
# 2. CompilerGym's LlvmEnv.
# ---------------------------------------------------------------------------


def test_llvm_env_make_benchmark_from_c_and_step(llvm_env, program):
    """env.make_benchmark() on a C file, reset, steps by flag name and by index, observations
    (InstCountDict is derived from InstCount by the client), commandline() and state."""
    benchmark = llvm_env.make_benchmark(program[0])
    assert str(benchmark.uri).startswith("benchmark://user-v0/")
    llvm_env.reset(benchmark=benchmark)
    count = llvm_env.observation["IrInstructionCount"]
    assert count > 0

    _, _, done, info = llvm_env.step(llvm_env.action_space["-mem2reg"])
    assert not done, info
    assert info["action_had_no_effect"] is False
    _, _, done, info = llvm_env.step(1)  # -adce
    assert not done, info

    after = llvm_env.observation["IrInstructionCount"]
    assert 0 < after < count
    autophase = llvm_env.observation["Autophase"]
    assert autophase.shape == (56,)
    inst_count = llvm_env.observation["InstCountDict"]
    assert isinstance(inst_count, dict) and len(inst_count) == 70
    assert inst_count["TotalInstsCount"] == after
    assert inst_count["AllocaCount"] == 0  # -mem2reg promoted them all.

    assert llvm_env.commandline() == "opt -mem2reg -adce input.bc -o output.bc"
    state = llvm_env.state
    assert state.commandline == "opt -mem2reg -adce input.bc -o output.bc"
    assert str(state.benchmark) == str(benchmark.uri)


def test_llvm_env_inline_bitcode(llvm_env, program):
    """env.make_benchmark() on a bitcode file: the same module as compiling the C file here."""
    llvm_env.reset(benchmark=llvm_env.make_benchmark(program[1]))
    assert "@sum_of_squares" in llvm_env.observation["Ir"]
    assert llvm_env.observation["IrInstructionCount"] > 0
    _, _, done, info = llvm_env.step(llvm_env.action_space["-sroa"])
    assert not done, info


def test_llvm_env_reward(llvm_env, program):
    """reward_space IrInstructionCountOz: each step's reward is a float, and -mem2reg (which
    removes instructions) earns a positive one."""
    llvm_env.reward_space = "IrInstructionCountOz"
    llvm_env.reset(benchmark=llvm_env.make_benchmark(program[0]))
    _, reward, done, info = llvm_env.step(llvm_env.action_space["-mem2reg"])
    assert not done, info
    assert isinstance(reward, float)
    assert reward > 0
    _, reward, done, info = llvm_env.step(llvm_env.action_space["-mem2reg"])
    assert not done, info
    assert reward == 0.0 and info["action_had_no_effect"] is True
    assert isinstance(llvm_env.episode_reward, float) and llvm_env.episode_reward > 0


def test_llvm_env_fork(llvm_env, program):
    """LlvmEnv.fork(): same state and IR, then the fork diverges alone."""
    llvm_env.reset(benchmark=llvm_env.make_benchmark(program[0]))
    llvm_env.step(llvm_env.action_space["-mem2reg"])
    parent_ir = llvm_env.observation["Ir"]
    fkd = llvm_env.fork()
    try:
        assert fkd.commandline() == llvm_env.commandline()
        assert fkd.observation["Ir"] == parent_ir
        fkd.step(fkd.action_space["-instcombine"])
        assert fkd.observation["Ir"] != parent_ir
        assert fkd.commandline() == "opt -mem2reg -instcombine input.bc -o output.bc"
        assert llvm_env.observation["Ir"] == parent_ir
        assert llvm_env.commandline() == "opt -mem2reg input.bc -o output.bc"
    finally:
        fkd.close()


def test_client_recovers_from_a_dead_service(client_env):
    """A pass that crashes LLVM kills only the service process: CompilerGym's client sees a dead
    service, and the next reset starts a new one (simulated by killing the process)."""
    client_env.reset()
    mem2reg = list(client_env.action_space.names).index("-mem2reg")
    client_env.step(mem2reg)
    process = client_env.service.connection.process
    old_pid = process.pid
    process.kill()
    process.wait(timeout=10)
    # The episode is lost with its process: the step fails (CompilerGym reports it in info).
    _, _, done, info = client_env.step(mem2reg)
    assert done
    assert info.get("error_details")
    client_env.reset()
    assert client_env.service.connection.process.pid != old_pid
    _, _, done, info = client_env.step(mem2reg)
    assert not done, info
    assert not info["action_had_no_effect"]
