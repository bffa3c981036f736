# SPDX-License-Identifier: MIT
"""Fixtures: the example service as the C binary and as the Python session of
example_session.py, reached managed (a binary the env launches), unmanaged (host:port of a
service the test launches) and in-process ("inproc:NAME"), and the C example session as a
session plugin loaded in-process.

The C example service binary comes from $CGYM_EXAMPLE_SERVICE_C, else
<repo>/build/release/services/example/cgym-example-service, else <repo>/build/...; tests
that need it fail (not skip) when none exists. The example session plugin comes from
$CGYM_EXAMPLE_PLUGIN, else from the directory of that binary.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE))

import cgym  # noqa: E402
from example_session import ExampleCompilationSession  # noqa: E402


def c_service_binary() -> Path:
    candidates = [
        os.environ.get("CGYM_EXAMPLE_SERVICE_C"),
        REPO / "build/release/services/example/cgym-example-service",
        REPO / "build/services/example/cgym-example-service",
    ]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return Path(c)
    pytest.fail("The C example service binary was not found: set CGYM_EXAMPLE_SERVICE_C")


def example_plugin() -> Path:
    """The C example service as a session plugin: $CGYM_EXAMPLE_PLUGIN, else
    libcgym-example-plugin.so next to the C example service binary (the build puts both in
    services/example/)."""
    path = os.environ.get("CGYM_EXAMPLE_PLUGIN")
    if not path:
        path = c_service_binary().parent / "libcgym-example-plugin.so"
    if not Path(path).is_file():
        pytest.fail(f"The example session plugin was not found at {path}: set CGYM_EXAMPLE_PLUGIN")
    return Path(path)


def write_launcher(directory: Path, module: str, session: str, name: str) -> Path:
    """A small executable script running create_and_run_compiler_gym_service(session) with
    this interpreter."""
    path = directory / name
    path.write_text(
        f"#!{sys.executable}\n"
        "# SPDX-License-Identifier: MIT\n"
        "import sys\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "from cgym.runtime import create_and_run_compiler_gym_service\n"
        f"from {module} import {session}\n"
        f"create_and_run_compiler_gym_service({session})\n"
    )
    path.chmod(0o755)
    return path


@pytest.fixture(scope="session")
def py_service_binary(tmp_path_factory) -> Path:
    return write_launcher(
        tmp_path_factory.mktemp("bin"),
        "example_session",
        "ExampleCompilationSession",
        "example-service-py",
    )


class Unmanaged:
    """A service process the test runs itself, reached as 127.0.0.1:PORT."""

    def __init__(self, binary: Path, working_dir: Path):
        self.working_dir = working_dir
        self.log = open(working_dir.parent / (working_dir.name + ".log"), "wb")
        self.process = subprocess.Popen(
            [str(binary), f"--working_dir={working_dir}"], stdout=self.log, stderr=subprocess.STDOUT
        )
        port_file = working_dir / "port.txt"
        deadline = time.monotonic() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"service {binary} did not start")
            time.sleep(0.05)
        self.endpoint = f"127.0.0.1:{int(port_file.read_text())}"

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        finally:
            self.log.close()


@pytest.fixture
def unmanaged_service(tmp_path):
    services = []

    def launch(binary):
        s = Unmanaged(binary, tmp_path / f"wd{len(services)}")
        services.append(s)
        return s.endpoint

    yield launch
    for s in services:
        if s.process.poll() is None:
            s.stop()


_INPROC_COUNTER = [0]


def register_inproc(session_type, prefix="py-example") -> str:
    _INPROC_COUNTER[0] += 1
    return cgym.runtime.register_in_process(f"{prefix}-{_INPROC_COUNTER[0]}", session_type)


ENDPOINT_KINDS = ["c-managed", "c-unmanaged", "c-plugin", "py-managed", "py-unmanaged", "py-inproc"]


@pytest.fixture(params=ENDPOINT_KINDS)
def endpoint(request, py_service_binary, unmanaged_service):
    """The example service, reached each of the ways."""
    kind = request.param
    if kind == "c-managed":
        return str(c_service_binary())
    if kind == "c-unmanaged":
        return unmanaged_service(c_service_binary())
    if kind == "c-plugin":
        _INPROC_COUNTER[0] += 1
        return cgym.runtime.register_plugin(f"c-plugin-{_INPROC_COUNTER[0]}", example_plugin())
    if kind == "py-managed":
        return str(py_service_binary)
    if kind == "py-unmanaged":
        return unmanaged_service(py_service_binary)
    return register_inproc(ExampleCompilationSession)


@pytest.fixture(params=["c", "py"])
def service_binary(request, py_service_binary):
    """The example service binary: the C one and the Python launcher."""
    return c_service_binary() if request.param == "c" else py_service_binary


@pytest.fixture
def llvm():
    """The LLVM environment of cgym.make(): skips the test if it is not built (see
    llvm_support.require_llvm)."""
    from llvm_support import require_llvm

    require_llvm()
