# SPDX-License-Identifier: MIT
"""Who may use a libcgym service binary (docs/security.md), through real gRPC.

Covers the token every call must carry (from ``CGYM_SERVICE_TOKEN`` or ``--token_file``), the
managed launch's Unix socket (``CGYM_SERVICE_HOST``, created 0600) and working directory (0700),
the refusal to serve a host that is not loopback without TLS and a token or client
certificates, ``--insecure``, and TLS with and without client certificates. Certificates and
keys are made at test time with the ``openssl`` command and never kept.

Services only ever listen on loopback here: a host that the service does not count as loopback
but that resolves to 127.0.0.1 (``127.1``, the short form of the address, which the service's
check does not parse) stands for another host where the service must actually start.
"""

import os
import shutil
import socket
import stat
import subprocess
from pathlib import Path

import grpc
import pytest
from test_lifecycle import is_loopback, listening_addresses

TOKEN = "5f0c6a1e9b2d4c8f7a3e1d0b9c8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a"
UNAUTHENTICATED_DETAILS = "Missing or invalid token"
# A host that is not loopback for the service's check but resolves to 127.0.0.1 (see above).
NOT_LOOPBACK_BUT_LOCAL = "127.1"
PLAINTEXT_REFUSAL = (
    "Refusing to serve plaintext on {host}: give --tls_cert and --tls_key, or --insecure"
)
NO_TOKEN_REFUSAL = (
    "Refusing to serve {host} without a token: give --token_file (or CGYM_SERVICE_TOKEN) or "
    "--tls_client_ca, or --insecure"
)
RPC_TIMEOUT = 10.0


def bearer(token: str):
    return (("authorization", f"Bearer {token}"),)


def get_version(stub, pb, metadata=None):
    return stub.GetVersion(pb.GetVersionRequest(), metadata=metadata, timeout=RPC_TIMEOUT)


def expect_unauthenticated(call) -> None:
    with pytest.raises(grpc.RpcError) as info:
        call()
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED, info.value
    assert info.value.details() == UNAUTHENTICATED_DETAILS


def health_check(channel, metadata=None) -> bytes:
    check = channel.unary_unary(
        "/grpc.health.v1.Health/Check",
        request_serializer=lambda b: b,
        response_deserializer=lambda b: b,
    )
    return check(b"", metadata=metadata, timeout=RPC_TIMEOUT)


def stub_for(launcher, channel):
    return launcher.proto_modules.pb2_grpc.CompilerGymServiceStub(channel)


@pytest.fixture
def clean_env(monkeypatch):
    """No managed-launch variables inherited from the environment of the test run."""
    monkeypatch.delenv("CGYM_SERVICE_HOST", raising=False)
    monkeypatch.delenv("CGYM_SERVICE_TOKEN", raising=False)
    return monkeypatch


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def refused(launcher, *args):
    """Run the binary expecting a start-up error: (exit code, stderr)."""
    result = launcher.run(*args)
    return result.returncode, result.stderr


# ---------------------------------------------------------------------------------------------
# The token
# ---------------------------------------------------------------------------------------------


def check_token_is_required(launcher, pb, target: str, token: str) -> None:
    channel, _, _ = launcher.connect(target)
    stub = stub_for(launcher, channel)
    expect_unauthenticated(lambda: get_version(stub, pb))
    expect_unauthenticated(lambda: get_version(stub, pb, bearer(token[:-1])))
    expect_unauthenticated(lambda: get_version(stub, pb, bearer(token + "0")))
    expect_unauthenticated(lambda: get_version(stub, pb, (("authorization", token),)))
    expect_unauthenticated(lambda: stub.StartSession(pb.StartSessionRequest(), timeout=RPC_TIMEOUT))
    expect_unauthenticated(lambda: health_check(channel))
    expect_unauthenticated(lambda: health_check(channel, bearer("wrong")))
    assert get_version(stub, pb, bearer(token)).service_version == "0.2.5"
    assert health_check(channel, bearer(token)) == b"\x08\x01"  # SERVING


def test_token_from_the_environment(launcher, pb, clean_env):
    clean_env.setenv("CGYM_SERVICE_TOKEN", TOKEN)
    proc = launcher.launch()
    port = proc.wait_for_port()
    check_token_is_required(launcher, pb, f"localhost:{port}", TOKEN)
    assert proc.terminate() == 0


def test_token_from_a_file(launcher, pb, clean_env, tmp_path):
    token_file = tmp_path / "token"
    # The first line, trailing whitespace stripped.
    token_file.write_text(f"{TOKEN} \t\r\nnot part of it\n")
    proc = launcher.launch(f"--token_file={token_file}")
    port = proc.wait_for_port()
    check_token_is_required(launcher, pb, f"localhost:{port}", TOKEN)
    assert proc.terminate() == 0


def test_token_file_wins_over_the_environment(launcher, pb, clean_env, tmp_path):
    clean_env.setenv("CGYM_SERVICE_TOKEN", "from-the-environment")
    token_file = tmp_path / "token"
    token_file.write_text("from-the-file")
    proc = launcher.launch(f"--token_file={token_file}")
    port = proc.wait_for_port()
    channel, _, _ = launcher.connect(f"localhost:{port}")
    stub = stub_for(launcher, channel)
    expect_unauthenticated(lambda: get_version(stub, pb, bearer("from-the-environment")))
    assert get_version(stub, pb, bearer("from-the-file")).service_version == "0.2.5"
    assert proc.terminate() == 0


def test_without_a_token_calls_need_no_header(launcher, pb, clean_env):
    # What CompilerGym's own client gets when it launches our binary: loopback TCP, no token.
    proc = launcher.launch()
    port = proc.wait_for_port()
    assert port > 0
    channel, _, _ = launcher.connect(f"localhost:{port}")
    assert get_version(stub_for(launcher, channel), pb).service_version == "0.2.5"
    assert all(is_loopback(address) for address in listening_addresses(port))
    assert proc.terminate() == 0


@pytest.mark.parametrize(
    "contents, message",
    [
        ("", "is empty"),
        ("\n\n", "is empty"),
        ("  \t\nsecond line\n", "is empty"),
        ("two words\n", "must be printable ASCII without spaces"),
        ("caf\u00e9\n", "must be printable ASCII without spaces"),
    ],
)
def test_bad_token_files_are_errors(launcher, clean_env, tmp_path, contents, message):
    token_file = tmp_path / "token"
    token_file.write_text(contents)
    code, err = refused(launcher, f"--working_dir={tmp_path / 'wd'}", f"--token_file={token_file}")
    assert code == 1
    assert f"ERROR: the token in --token_file '{token_file}' {message}" in err
    assert not (tmp_path / "wd").exists()


def test_unreadable_token_file_is_named(launcher, clean_env, tmp_path):
    missing = tmp_path / "no-such-token"
    code, err = refused(launcher, f"--token_file={missing}")
    assert code == 1
    assert f"ERROR: cannot read --token_file '{missing}': No such file or directory" in err
    code, err = refused(launcher, f"--token_file={tmp_path}")
    assert code == 1
    assert f"ERROR: cannot read --token_file '{tmp_path}': Is a directory" in err


def test_empty_token_variable_is_an_error(launcher, clean_env):
    clean_env.setenv("CGYM_SERVICE_TOKEN", "")
    code, err = refused(launcher)
    assert code == 1
    assert "ERROR: the token in CGYM_SERVICE_TOKEN is empty" in err


# ---------------------------------------------------------------------------------------------
# Private files: the managed launch's socket and working directory
# ---------------------------------------------------------------------------------------------


def test_managed_launch_listens_on_a_private_unix_socket(launcher, pb, clean_env, tmp_path):
    socket_path = tmp_path / "s" / "service.sock"
    working_dir = tmp_path / "new" / "wd"  # two levels that do not exist yet
    clean_env.setenv("CGYM_SERVICE_HOST", f"unix:{socket_path}")
    clean_env.setenv("CGYM_SERVICE_TOKEN", TOKEN)
    (tmp_path / "s").mkdir()
    old_umask = os.umask(0)  # the most permissive: the service must not rely on the umask
    try:
        proc = launcher.launch(working_dir=working_dir)
        assert proc.wait_for_port() == 0  # "0" on a Unix socket
    finally:
        os.umask(old_umask)
    assert stat.S_ISSOCK(os.lstat(socket_path).st_mode)
    assert mode(socket_path) == 0o600
    assert mode(tmp_path / "new") == 0o700
    assert mode(working_dir) == 0o700
    assert mode(working_dir / "logs") == 0o700
    check_token_is_required(launcher, pb, f"unix:{socket_path}", TOKEN)
    assert proc.terminate() == 0


def test_host_flag_wins_over_the_variable(launcher, pb, clean_env, tmp_path):
    clean_env.setenv("CGYM_SERVICE_HOST", f"unix:{tmp_path / 'unused.sock'}")
    proc = launcher.launch("--host=localhost")
    port = proc.wait_for_port()
    assert port > 0
    assert not (tmp_path / "unused.sock").exists()
    channel, _, _ = launcher.connect(f"localhost:{port}")
    assert get_version(stub_for(launcher, channel), pb).service_version == "0.2.5"
    assert proc.terminate() == 0


def test_an_existing_working_directory_is_left_as_it_is(launcher, clean_env, tmp_path):
    working_dir = tmp_path / "mine"
    working_dir.mkdir()
    working_dir.chmod(0o755)
    proc = launcher.launch(working_dir=working_dir)
    proc.wait_for_port()
    assert mode(working_dir) == 0o755
    assert mode(working_dir / "logs") == 0o700
    assert proc.terminate() == 0


# ---------------------------------------------------------------------------------------------
# Hosts that are not loopback
# ---------------------------------------------------------------------------------------------


def test_plaintext_on_all_interfaces_is_refused(launcher, clean_env, tmp_path):
    for host in ("0.0.0.0", "[::]", NOT_LOOPBACK_BUT_LOCAL):
        working_dir = tmp_path / f"wd-{host}"
        code, err = refused(launcher, f"--working_dir={working_dir}", f"--host={host}")
        assert code == 1, err
        assert f"ERROR: {PLAINTEXT_REFUSAL.format(host=host)}\n" in err
        assert not working_dir.exists()  # refused before anything is created
    # A token does not make plaintext acceptable: it could be read on the way.
    clean_env.setenv("CGYM_SERVICE_TOKEN", TOKEN)
    code, err = refused(launcher, "--host=0.0.0.0")
    assert code == 1
    assert PLAINTEXT_REFUSAL.format(host="0.0.0.0") in err


def test_insecure_lets_another_host_start_with_a_warning(launcher, pb, clean_env):
    proc = launcher.launch(f"--host={NOT_LOOPBACK_BUT_LOCAL}", "--insecure")
    port = proc.wait_for_port()
    assert all(is_loopback(address) for address in listening_addresses(port))
    channel, _, _ = launcher.connect(f"127.0.0.1:{port}")
    assert get_version(stub_for(launcher, channel), pb).service_version == "0.2.5"
    assert proc.terminate() == 0
    assert (
        f"WARNING: Serving {NOT_LOOPBACK_BUT_LOCAL} with --insecure: in plaintext, anyone who can "
        "reach it can use it" in proc.stderr()
    )


# ---------------------------------------------------------------------------------------------
# TLS
# ---------------------------------------------------------------------------------------------


def openssl(*args, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_key(name: str, cwd: Path) -> None:
    openssl(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name, cwd=cwd
    )


def make_ca(name: str, cwd: Path) -> None:
    make_key(f"{name}.key", cwd)
    openssl(
        "req", "-x509", "-new", "-key", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
        "-subj", f"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign", cwd=cwd,
    )  # fmt: skip


def make_cert(name: str, ca: str, extensions: str, cwd: Path) -> None:
    make_key(f"{name}.key", cwd)
    openssl("req", "-new", "-key", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}",
            cwd=cwd)  # fmt: skip
    (cwd / f"{name}.ext").write_text(extensions + "\n")
    openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
        "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
        cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """A CA, a server certificate it signs for localhost and 127.0.0.1, a client certificate it
    signs; and another CA with a client certificate of its own."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed to make the tests' certificates", pytrace=False)
    d = tmp_path_factory.mktemp("certs")
    make_ca("ca", d)
    make_ca("other-ca", d)
    make_cert(
        "server", "ca",
        "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:localhost,IP:127.0.0.1", d,
    )  # fmt: skip
    make_cert("client", "ca", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth", d)
    make_cert("stranger", "other-ca", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth", d)
    return d


def tls_channel(target: str, certs: Path, ca="ca", client=None):
    credentials = grpc.ssl_channel_credentials(
        root_certificates=(certs / f"{ca}.pem").read_bytes(),
        private_key=(certs / f"{client}.key").read_bytes() if client else None,
        certificate_chain=(certs / f"{client}.pem").read_bytes() if client else None,
    )
    return grpc.secure_channel(target, credentials)


def expect_no_connection(launcher, pb, channel, metadata=None) -> None:
    """A call through `channel` fails for want of a connection (the TLS handshake failed)."""
    with pytest.raises(grpc.RpcError) as info:
        get_version(stub_for(launcher, channel), pb, metadata)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE, info.value


def tls_flags(certs: Path):
    return f"--tls_cert={certs / 'server.pem'}", f"--tls_key={certs / 'server.key'}"


def test_tls_without_a_token_or_client_certificates_is_refused(launcher, clean_env, certs):
    code, err = refused(launcher, "--host=0.0.0.0", *tls_flags(certs))
    assert code == 1
    assert f"ERROR: {NO_TOKEN_REFUSAL.format(host='0.0.0.0')}\n" in err


def test_tls_and_a_token(launcher, pb, clean_env, certs):
    clean_env.setenv("CGYM_SERVICE_TOKEN", TOKEN)
    proc = launcher.launch(f"--host={NOT_LOOPBACK_BUT_LOCAL}", *tls_flags(certs))
    port = proc.wait_for_port()
    target = f"localhost:{port}"
    channel = tls_channel(target, certs)
    try:
        stub = stub_for(launcher, channel)
        expect_unauthenticated(lambda: get_version(stub, pb))
        assert get_version(stub, pb, bearer(TOKEN)).service_version == "0.2.5"
        assert health_check(channel, bearer(TOKEN)) == b"\x08\x01"
    finally:
        channel.close()
    # Plaintext, or a server certificate that the client cannot verify: no connection.
    for channel in (grpc.insecure_channel(target), tls_channel(target, certs, ca="other-ca")):
        try:
            expect_no_connection(launcher, pb, channel, bearer(TOKEN))
        finally:
            channel.close()
    assert proc.terminate() == 0
    assert "WARNING" not in proc.stderr()


def test_tls_with_client_certificates(launcher, pb, clean_env, certs):
    proc = launcher.launch(
        f"--host={NOT_LOOPBACK_BUT_LOCAL}", *tls_flags(certs), f"--tls_client_ca={certs / 'ca.pem'}"
    )
    port = proc.wait_for_port()
    target = f"localhost:{port}"
    channel = tls_channel(target, certs, client="client")
    try:
        assert get_version(stub_for(launcher, channel), pb).service_version == "0.2.5"
    finally:
        channel.close()
    # No client certificate, or one that the client CA did not sign: no connection.
    for channel in (tls_channel(target, certs), tls_channel(target, certs, client="stranger")):
        try:
            expect_no_connection(launcher, pb, channel)
        finally:
            channel.close()
    assert proc.terminate() == 0


def test_tls_on_loopback_needs_nothing_else(launcher, pb, clean_env, certs):
    proc = launcher.launch(*tls_flags(certs))
    port = proc.wait_for_port()
    channel = tls_channel(f"localhost:{port}", certs)
    try:
        assert get_version(stub_for(launcher, channel), pb).service_version == "0.2.5"
    finally:
        channel.close()
    assert proc.terminate() == 0


def test_tls_flag_errors(launcher, clean_env, certs, tmp_path):
    cert, key = tls_flags(certs)
    ca = f"--tls_client_ca={certs / 'ca.pem'}"
    missing = tmp_path / "missing.pem"
    cases = [
        ((cert,), "--tls_cert and --tls_key go together: give both or neither"),
        ((key,), "--tls_cert and --tls_key go together: give both or neither"),
        ((ca,), "--tls_client_ca needs --tls_cert and --tls_key"),
        ((f"--tls_cert={missing}", key),
         f"cannot read --tls_cert '{missing}': No such file or directory"),
        ((cert, f"--tls_key={missing}"),
         f"cannot read --tls_key '{missing}': No such file or directory"),
        ((cert, key, f"--tls_client_ca={missing}"),
         f"cannot read --tls_client_ca '{missing}': No such file or directory"),
        ((f"--tls_cert={certs / 'server.key'}", key),
         f"--tls_cert '{certs / 'server.key'}' holds no PEM certificate"),
        ((cert, f"--tls_key={certs / 'server.pem'}"),
         f"--tls_key '{certs / 'server.pem'}' holds no PEM private key"),
        ((cert, key, f"--tls_client_ca={certs / 'client.key'}"),
         f"--tls_client_ca '{certs / 'client.key'}' holds no PEM certificate"),
    ]  # fmt: skip
    for args, message in cases:
        code, err = refused(launcher, *args)
        assert code == 1, args
        assert f"ERROR: {message}\n" in err, (args, err)


def test_a_bare_ipv6_loopback_address_is_served(launcher, pb, clean_env):
    """--host=::1 (no brackets) listens on ::1 only, as --host=[::1] does."""
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    proc = launcher.launch("--host=::1")
    port = proc.wait_for_port()
    channel, _, _ = launcher.connect(f"[::1]:{port}")
    assert get_version(stub_for(launcher, channel), pb).service_version == "0.2.5"
    assert all(is_loopback(address) for address in listening_addresses(port))
    assert proc.terminate() == 0
