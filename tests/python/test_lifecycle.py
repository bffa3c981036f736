# SPDX-License-Identifier: MIT
"""Process lifecycle of a libcgym service binary (docs/service.md, "The service process").

Covers command-line errors, the working directory, port.txt, pid.txt, the flags CompilerGym's
client adds, SIGTERM and exit codes, plus --help, loopback-only listening on
both 127.0.0.1 and ::1, the logs/ directory and the standard gRPC health service.
"""

import ipaddress
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest

BENCHMARK = "benchmark://example-compiler-v0/foo"

# Exit codes of CompilerGym's C++ runtime's createAndRunCompilerGymService (docs/service.md).
EXIT_OK = 0
EXIT_FLAG_ERROR = 1
EXIT_SESSIONS_REMAIN = 6


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def start_session(service, pb) -> int:
    reply = service.stub.StartSession(
        pb.StartSessionRequest(
            benchmark=pb.Benchmark(uri=BENCHMARK, program=pb.File(contents=b"Ir data"))
        )
    )
    return reply.session_id


def end_session(service, pb, session_id: int) -> int:
    return service.stub.EndSession(pb.EndSessionRequest(session_id=session_id)).remaining_sessions


def _decode_proc_net_address(hex_address: str):
    """Decode an address from /proc/net/tcp{,6}: 32-bit words in host byte order."""
    raw = bytes.fromhex(hex_address)
    if sys.byteorder == "little":
        raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return ipaddress.ip_address(raw)


def listening_addresses(port: int):
    """Local addresses of every TCP socket in LISTEN state on ``port`` (this netns)."""
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            if state != "0A":  # TCP_LISTEN
                continue
            hex_address, hex_port = local.split(":")
            if int(hex_port, 16) == port:
                addresses.append(_decode_proc_net_address(hex_address))
    return addresses


def is_loopback(address) -> bool:
    if address.is_loopback:
        return True
    return (
        address.version == 6 and address.ipv4_mapped is not None and address.ipv4_mapped.is_loopback
    )


def is_ipv4_loopback(address) -> bool:
    if address.version == 4:
        return address.is_loopback
    return address.ipv4_mapped is not None and address.ipv4_mapped.is_loopback


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


def assert_port_taken(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(OSError):
            sock.bind(("127.0.0.1", port))


# ---------------------------------------------------------------------------------------------
# Command-line errors and --help
# ---------------------------------------------------------------------------------------------


def test_positional_argument_is_rejected(launcher, tmp_path):
    """A positional argument exits 1 within 10 s with ERROR: ... 'foobar'."""
    start = time.monotonic()
    result = launcher.run(f"--working_dir={tmp_path / 'wd'}", "foobar", timeout=10)
    assert time.monotonic() - start < 10
    assert result.returncode == EXIT_FLAG_ERROR, result
    assert "ERROR: unknown command line argument 'foobar'" in result.stderr
    assert not (tmp_path / "wd" / "port.txt").exists()


@pytest.mark.parametrize("flag", ["--foobar", "--foobar=1"])
def test_unknown_flag_is_rejected(launcher, tmp_path, flag):
    """An unknown flag (with or without a value) exits 1 naming the flag."""
    result = launcher.run(f"--working_dir={tmp_path / 'wd'}", flag, timeout=10)
    assert result.returncode == EXIT_FLAG_ERROR, result
    assert "ERROR: unknown command line flag 'foobar'" in result.stderr
    assert not (tmp_path / "wd" / "port.txt").exists()


def test_non_numeric_port_is_rejected(launcher, tmp_path):
    result = launcher.run(f"--working_dir={tmp_path / 'wd'}", "--port", "abc", timeout=10)
    assert result.returncode == EXIT_FLAG_ERROR, result
    assert "ERROR" in result.stderr
    assert "abc" in result.stderr
    assert not (tmp_path / "wd" / "port.txt").exists()


def test_help_prints_flags_and_exits_0(launcher):
    result = launcher.run("--help", timeout=10)
    assert result.returncode == 0, result
    for flag in ("--working_dir", "--port", "--alsologtostderr", "--logbuflevel", "--help"):
        assert flag in result.stdout, f"{flag} missing from --help output:\n{result.stdout}"


# ---------------------------------------------------------------------------------------------
# Working directory, port.txt, pid.txt, logs/
# ---------------------------------------------------------------------------------------------


def test_space_separated_working_dir_is_created_with_port_and_pid_files(launcher, tmp_path):
    """``--working_dir <dir>`` (separate argv element, not existing yet)."""
    working_dir = tmp_path / "does" / "not" / "exist" / "subdir"
    assert not working_dir.exists()
    proc = launcher.launch("--working_dir", working_dir, add_working_dir_flag=False)
    port_file, pid_file = working_dir / "port.txt", working_dir / "pid.txt"

    deadline = time.monotonic() + 5
    while not (port_file.exists() and pid_file.exists()):
        assert proc.process.poll() is None, proc.describe()
        assert time.monotonic() < deadline, f"no port.txt/pid.txt after 5 s\n{proc.describe()}"
        time.sleep(0.05)

    assert working_dir.is_dir()
    assert pid_file.read_text() == f"{proc.pid}\n"
    port_text = port_file.read_text()
    assert port_text.endswith("\n")
    port = int(port_text.rstrip())
    assert 0 < port < 65536
    # Both files are written atomically (via a temporary + rename): no leftovers.
    assert sorted(p.name for p in working_dir.glob("*.tmp")) == []
    # The port in port.txt is the one the service answers on.
    _, stub, _ = launcher.connect(f"localhost:{port}")
    assert stub.GetVersion(launcher.proto_modules.pb2.GetVersionRequest()).service_version
    assert proc.terminate() == EXIT_OK


def test_fixed_port_is_used_and_held(launcher, pb):
    """``--port <P>`` writes P to port.txt and holds 127.0.0.1:P."""
    for _attempt in range(3):  # Bounded retries in case another process grabs P meanwhile.
        port = launcher.free_port()
        proc = launcher.launch("--port", port)
        deadline = time.monotonic() + 10
        while proc.read_port_file() is None and proc.process.poll() is None:
            assert time.monotonic() < deadline, proc.describe()
            time.sleep(0.05)
        if proc.process.poll() is None:
            break
        assert "Address already in use" in proc.stderr() or "ERROR" in proc.stderr()
    else:
        pytest.fail("could not start the service on a fixed free port in 3 attempts")

    assert (proc.working_dir / "port.txt").read_text() == f"{port}\n"
    assert_port_taken(port)
    _, stub, _ = launcher.connect(f"127.0.0.1:{port}")
    assert stub.GetVersion(pb.GetVersionRequest()).compiler_version == "1.0.0"
    assert proc.terminate() == EXIT_OK


def test_port_in_use_on_ipv4_loopback_exits_1(launcher):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        proc = launcher.launch(f"--port={port}")
        assert proc.wait(timeout=10) == EXIT_FLAG_ERROR, proc.describe()
    assert "ERROR" in proc.stderr()
    assert str(port) in proc.stderr()
    assert not (proc.working_dir / "port.txt").exists()


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback on this host")
def test_port_in_use_on_ipv6_loopback_exits_1(launcher):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as blocker:
        blocker.bind(("::1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        proc = launcher.launch(f"--port={port}")
        try:
            returncode = proc.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            returncode = None  # Still running: the bug. Teardown stops it.
        assert returncode == EXIT_FLAG_ERROR, proc.describe()
    assert "ERROR" in proc.stderr()


def test_logs_directory_is_created(service):
    assert (service.working_dir / "logs").is_dir()


# ---------------------------------------------------------------------------------------------
# Flags CompilerGym's client adds
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [["--alsologtostderr", "-v=0", "--logbuflevel=-1"], ["-v=1"], ["--alsologtostderr", "-v=1"]],
    ids=["debug-level-1", "v1", "alsologtostderr-v1"],
)
def test_client_debug_flags_are_accepted(launcher, pb, flags):
    service = launcher.start_service(*flags)
    reply = service.stub.GetVersion(pb.GetVersionRequest())
    assert reply.compiler_version == "1.0.0"
    assert reply.service_version == "0.2.5"
    session_id = start_session(service, pb)
    assert end_session(service, pb, session_id) == 0
    assert service.proc.terminate() == EXIT_OK


def test_alsologtostderr_writes_log_to_stderr(launcher, pb):
    service = launcher.start_service("--alsologtostderr")
    assert service.stub.GetVersion(pb.GetVersionRequest()).compiler_version == "1.0.0"
    assert service.proc.terminate() == EXIT_OK
    assert f"listening on {service.port}" in service.proc.stderr()


# ---------------------------------------------------------------------------------------------
# SIGTERM and exit codes
# ---------------------------------------------------------------------------------------------


def test_sigterm_without_sessions_exits_0(service, pb):
    assert service.stub.GetVersion(pb.GetVersionRequest()).compiler_version == "1.0.0"
    start = time.monotonic()
    assert service.proc.terminate(timeout=30) == EXIT_OK, service.proc.describe()
    assert time.monotonic() - start < 30


def test_sigterm_with_live_session_exits_6(service, pb):
    start_session(service, pb)
    assert service.proc.terminate(timeout=30) == EXIT_SESSIONS_REMAIN, service.proc.describe()


def test_sigterm_after_all_sessions_ended_exits_0(service, pb):
    first = start_session(service, pb)
    second = start_session(service, pb)
    fork = service.stub.ForkSession(pb.ForkSessionRequest(session_id=first)).session_id
    assert end_session(service, pb, first) == 2
    assert end_session(service, pb, fork) == 1
    assert end_session(service, pb, second) == 0
    assert service.proc.terminate(timeout=30) == EXIT_OK, service.proc.describe()


def test_repeated_sigterm_still_exits_0(service, pb):
    """Reference open question 5: a second SIGTERM must not abort the process."""
    assert service.stub.GetVersion(pb.GetVersionRequest()).compiler_version == "1.0.0"
    for _ in range(3):
        service.process.send_signal(signal.SIGTERM)
    assert service.proc.wait(timeout=30) == EXIT_OK, service.proc.describe()


# ---------------------------------------------------------------------------------------------
# Listening addresses and health
# ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback on this host")
def test_answers_on_ipv4_and_ipv6_loopback(launcher, service, pb):
    for target in (f"127.0.0.1:{service.port}", f"[::1]:{service.port}"):
        _, stub, _ = launcher.connect(target)
        reply = stub.GetVersion(pb.GetVersionRequest())
        assert reply.compiler_version == "1.0.0", target


def test_listens_only_on_loopback_by_default(service):
    addresses = listening_addresses(service.port)
    assert addresses, f"no listening socket found for port {service.port}"
    non_loopback = [str(a) for a in addresses if not is_loopback(a)]
    assert non_loopback == [], f"listening on non-loopback addresses: {non_loopback}"
    assert any(is_ipv4_loopback(a) for a in addresses), addresses
    if ipv6_available():
        assert ipaddress.ip_address("::1") in addresses, addresses


def test_health_service_reports_serving(service):
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    stub = health_pb2_grpc.HealthStub(service.channel)
    reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    reply = stub.Check(
        health_pb2.HealthCheckRequest(service="compiler_gym.CompilerGymService"), timeout=10
    )
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError) as error:
        stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=10)
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
