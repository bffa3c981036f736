# SPDX-License-Identifier: MIT
"""Fixtures for driving a libcgym service binary over real gRPC on loopback.

The binaries under test come from environment variables: ``CGYM_EXAMPLE_SERVICE``, the C++
example (e.g. ``build/services/example_cc/cgym-example-service-cc``), and
``CGYM_EXAMPLE_SERVICE_C``, the same service written in C (e.g.
``build/services/example/cgym-example-service``). Every test that uses a service runs once per
binary that is set (test ids ``[cc]`` and ``[c]``); each one that is set must be an executable.
Tests that need a service FAIL with a clear message when neither is set; nothing is skipped
silently.

Python stubs are generated from ``proto/compiler_gym_service.proto`` once per test session
with ``grpc_tools.protoc`` into a temporary directory, and imported from there.

Only the standard library and pytest are imported at module level, so this conftest does not
get in the way of other test modules in this directory that run under a different set of
installed packages (grpc and the generated stubs are imported lazily, inside fixtures).
"""

import importlib
import os
import signal
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

SERVICE_ENV_VAR = "CGYM_EXAMPLE_SERVICE"
SERVICE_C_ENV_VAR = "CGYM_EXAMPLE_SERVICE_C"
# The example service binaries, by test id: the C++ session and the C session.
SERVICE_ENV_VARS = {"cc": SERVICE_ENV_VAR, "c": SERVICE_C_ENV_VAR}
REPO_ROOT = Path(__file__).resolve().parents[2]
PROTO_DIR = REPO_ROOT / "proto"
PROTO_FILE = PROTO_DIR / "compiler_gym_service.proto"

# How long to wait for port.txt after launching the service.
PORT_FILE_TIMEOUT_SECONDS = 10.0
# How long to wait for the service to exit after SIGTERM (CompilerGym's client waits 30 s).
EXIT_TIMEOUT_SECONDS = 30.0
# How long to wait for a gRPC channel to become ready.
CHANNEL_READY_TIMEOUT_SECONDS = 10.0
# Deadline applied to every RPC made through ``Service.stub`` unless the caller passes one.
RPC_TIMEOUT_SECONDS = 10.0

# The channel options CompilerGym's client uses (compiler_gym/service/connection.py).
GRPC_CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", -1),
    ("grpc.max_receive_message_length", -1),
    ("grpc.max_metadata_size", 524288),
    ("grpc.enable_http_proxy", 0),
    ("grpc.so_reuseport", 0),
]


def free_loopback_port() -> int:
    """Return a TCP port that was free on 127.0.0.1 a moment ago (bind to 0, then close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.05) -> bool:
    """Poll ``predicate`` until it returns true or ``timeout`` seconds pass (bounded loop)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


class ServiceProcess:
    """A launched service binary, with its working directory and captured output."""

    def __init__(self, args, working_dir: Path, output_dir: Path):
        self.args = list(args)
        self.working_dir = working_dir
        self.stdout_path = output_dir / "stdout.txt"
        self.stderr_path = output_dir / "stderr.txt"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                self.args, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=output_dir
            )
        self.port = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def describe(self) -> str:
        return (
            f"command: {self.args}\nreturncode: {self.process.poll()}\n"
            f"stdout:\n{self.stdout()[-4000:]}\nstderr:\n{self.stderr()[-4000:]}"
        )

    def read_port_file(self):
        """Parse port.txt as CompilerGym's client does (``int(text.rstrip())``), or None."""
        try:
            text = (self.working_dir / "port.txt").read_text()
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            return int(text.rstrip())
        except ValueError:
            return None

    def wait_for_port(self, timeout: float = PORT_FILE_TIMEOUT_SECONDS) -> int:
        """Wait (bounded) for port.txt; fail the test if the process exits or time runs out."""
        deadline = time.monotonic() + timeout
        while True:
            port = self.read_port_file()
            if port is not None:
                self.port = port
                return port
            if self.process.poll() is not None:
                pytest.fail(f"service exited before writing port.txt\n{self.describe()}")
            if time.monotonic() >= deadline:
                self.kill()
                pytest.fail(f"no port.txt after {timeout} s\n{self.describe()}")
            time.sleep(0.05)

    def wait(self, timeout: float) -> int:
        """Wait (bounded) for exit; on timeout kill the process and fail the test."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"service did not exit within {timeout} s\n{self.describe()}")

    def terminate(self, timeout: float = EXIT_TIMEOUT_SECONDS) -> int:
        """Send SIGTERM and return the exit code (bounded wait, killed on timeout)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored.
                pass


class _DeadlineStub:
    """Wraps a generated stub so that every call carries a deadline unless one is given."""

    def __init__(self, stub, timeout: float):
        self._stub = stub
        self._timeout = timeout

    def __getattr__(self, name):
        method = getattr(self._stub, name)

        def call(request, timeout=None, **kwargs):
            return method(request, timeout=self._timeout if timeout is None else timeout, **kwargs)

        call.with_call = method.with_call
        return call


class Service:
    """What the ``service`` fixture yields: a running service plus a connected stub."""

    def __init__(self, proc: ServiceProcess, channel, stub, raw_stub):
        self.proc = proc
        self.process = proc.process
        self.port = proc.port
        self.working_dir = proc.working_dir
        self.channel = channel
        self.stub = stub
        self.raw_stub = raw_stub

    @property
    def pid(self) -> int:
        return self.process.pid


def service_binary_ids():
    """The ids of the example service binaries named in the environment; ["cc"] if none is
    (so that the tests run, and fail saying what to set)."""
    ids = [key for key, var in SERVICE_ENV_VARS.items() if os.environ.get(var)]
    return ids or ["cc"]


@pytest.fixture(scope="session", params=service_binary_ids())
def service_binary(request) -> Path:
    """Each example service binary ($CGYM_EXAMPLE_SERVICE, $CGYM_EXAMPLE_SERVICE_C) in turn
    (fails clearly if missing)."""
    var = SERVICE_ENV_VARS[request.param]
    value = os.environ.get(var)
    if not value:
        pytest.fail(
            f"${SERVICE_ENV_VAR} is not set: set it to the example service binary, e.g. "
            f"{SERVICE_ENV_VAR}=build/services/example_cc/cgym-example-service-cc (and "
            f"{SERVICE_C_ENV_VAR}=build/services/example/cgym-example-service for the C one)",
            pytrace=False,
        )
    path = Path(value).resolve()
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"${var}={value!r} is not an executable file", pytrace=False)
    return path


@pytest.fixture(scope="session")
def proto_modules(tmp_path_factory):
    """Generate and import compiler_gym_service_pb2 / _pb2_grpc from our proto file."""
    try:
        import grpc  # noqa: F401
        from grpc_tools import protoc
    except ImportError as e:
        pytest.fail(
            f"grpcio / grpcio-tools are required: pip install -r {Path(__file__).parent}"
            f"/requirements.txt ({e})",
            pytrace=False,
        )
    if not PROTO_FILE.is_file():
        pytest.fail(f"proto file not found: {PROTO_FILE}", pytrace=False)
    out_dir = tmp_path_factory.mktemp("generated_stubs")
    well_known_protos = Path(protoc.__file__).resolve().parent / "_proto"
    rc = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{PROTO_DIR}",
            f"-I{well_known_protos}",
            f"--python_out={out_dir}",
            f"--grpc_python_out={out_dir}",
            str(PROTO_FILE),
        ]
    )
    if rc != 0:
        pytest.fail(f"grpc_tools.protoc failed with exit code {rc} on {PROTO_FILE}")
    sys.path.insert(0, str(out_dir))
    try:
        pb2 = importlib.import_module("compiler_gym_service_pb2")
        pb2_grpc = importlib.import_module("compiler_gym_service_pb2_grpc")
    finally:
        sys.path.remove(str(out_dir))
    assert Path(pb2.__file__).resolve().parent == out_dir.resolve(), pb2.__file__
    return types.SimpleNamespace(pb2=pb2, pb2_grpc=pb2_grpc)


@pytest.fixture(scope="session")
def pb(proto_modules):
    """The generated message module (compiler_gym_service_pb2)."""
    return proto_modules.pb2


class Launcher:
    """Launches service processes and opens channels; everything is torn down at the end."""

    def __init__(self, binary: Path, tmp_path: Path, proto_modules):
        self.binary = binary
        self.tmp_path = tmp_path
        self.proto_modules = proto_modules
        self.processes = []
        self.channels = []
        self._count = 0

    free_port = staticmethod(free_loopback_port)

    def launch(self, *args, working_dir=None, add_working_dir_flag=True) -> ServiceProcess:
        """Start the binary with ``args``; by default adds ``--working_dir=<fresh dir>``."""
        self._count += 1
        output_dir = self.tmp_path / f"launch{self._count}"
        output_dir.mkdir()
        if working_dir is None:
            working_dir = output_dir / "wd"
        argv = [str(self.binary)]
        if add_working_dir_flag:
            argv.append(f"--working_dir={working_dir}")
        argv.extend(str(a) for a in args)
        proc = ServiceProcess(argv, Path(working_dir), output_dir)
        self.processes.append(proc)
        return proc

    def run(self, *args, timeout: float = 10.0) -> subprocess.CompletedProcess:
        """Run the binary to completion (for flag errors / --help); killed on timeout."""
        self._count += 1
        cwd = self.tmp_path / f"run{self._count}"
        cwd.mkdir()
        try:
            return subprocess.run(
                [str(self.binary), *[str(a) for a in args]],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=cwd,
            )
        except subprocess.TimeoutExpired as e:  # subprocess.run kills the child on timeout.
            pytest.fail(f"{args} did not exit within {timeout} s: {e}")

    def connect(self, target: str):
        """Open an insecure channel to ``target``, wait (bounded) until ready; return stubs."""
        import grpc

        channel = grpc.insecure_channel(target, options=GRPC_CHANNEL_OPTIONS)
        self.channels.append(channel)
        try:
            grpc.channel_ready_future(channel).result(timeout=CHANNEL_READY_TIMEOUT_SECONDS)
        except grpc.FutureTimeoutError:
            pytest.fail(
                f"gRPC channel to {target} not ready after {CHANNEL_READY_TIMEOUT_SECONDS} s"
            )
        raw_stub = self.proto_modules.pb2_grpc.CompilerGymServiceStub(channel)
        return channel, _DeadlineStub(raw_stub, RPC_TIMEOUT_SECONDS), raw_stub

    def start_service(self, *args) -> Service:
        proc = self.launch(*args)
        port = proc.wait_for_port()
        channel, stub, raw_stub = self.connect(f"localhost:{port}")
        return Service(proc, channel, stub, raw_stub)

    def close(self) -> None:
        for channel in self.channels:
            channel.close()
        for proc in self.processes:
            if proc.process.poll() is None:
                proc.process.send_signal(signal.SIGTERM)
                try:
                    proc.process.wait(timeout=EXIT_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    proc.kill()


@pytest.fixture
def launcher(service_binary, tmp_path, proto_modules):
    """Factory for service processes and channels, all stopped/closed at teardown."""
    launcher = Launcher(service_binary, tmp_path, proto_modules)
    try:
        yield launcher
    finally:
        launcher.close()


@pytest.fixture
def service(launcher) -> Service:
    """A running service (fresh working dir, ephemeral port) with a connected stub.

    Teardown sends SIGTERM and waits (bounded, killed on timeout).
    """
    return launcher.start_service()


LLVM_SERVICE_ENV_VAR = "CGYM_LLVM_SERVICE"
# Where scripts/build.sh build/release puts the LLVM service, used when the variable is unset.
LLVM_SERVICE_DEFAULT = REPO_ROOT / "build" / "release" / "services" / "llvm" / "cgym-llvm-service"


@pytest.fixture(scope="session")
def llvm_service_binary() -> Path:
    """The LLVM service binary: $CGYM_LLVM_SERVICE, else build/release's.

    Unset and not built (LLVM 16 is optional): the tests that use it are skipped. Set to a path
    that is not an executable: they fail, since a typo must not pass as a skip.
    """
    value = os.environ.get(LLVM_SERVICE_ENV_VAR)
    if not value:
        if not LLVM_SERVICE_DEFAULT.is_file():
            pytest.skip(
                f"${LLVM_SERVICE_ENV_VAR} is not set and {LLVM_SERVICE_DEFAULT} does not exist "
                "(build with LLVM 16, or set the variable to cgym-llvm-service)"
            )
        value = str(LLVM_SERVICE_DEFAULT)
    path = Path(value).resolve()
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"${LLVM_SERVICE_ENV_VAR}={value!r} is not an executable file", pytrace=False)
    return path
