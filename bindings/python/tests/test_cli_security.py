# SPDX-License-Identifier: MIT
"""`cgym serve` for other hosts and the client side of `cgym` (run as processes): TLS, a
token, client certificates and --insecure passed to the service; the service's refusal of an
address other hosts reach without them; what the printed connection line tells a client; and
--token-file, $CGYM_TOKEN, --tls-ca and the client certificate options of the commands that
take --endpoint.

`cgym serve --env llvm-v0` runs the service that $CGYM_LLVM_SERVICE names: here the C example
service, so that these tests need no LLVM (the protocol and the flags are the same).
"""

import os
import re
import signal
import subprocess
import sys

import pytest

from conftest import c_service_binary
from test_cli import LineReader
from test_security import TOKEN, make_certificate

TIMEOUT = 120  # seconds for one command: generous, each takes about a second


@pytest.fixture(scope="module")
def cli_env() -> dict:
    env = dict(os.environ)
    env["CGYM_LLVM_SERVICE"] = str(c_service_binary())
    env["COLUMNS"] = "250"
    for name in ("CGYM_TOKEN", "CGYM_SERVICE_HOST", "CGYM_SERVICE_TOKEN"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    token = directory / "token.txt"
    token.write_text(TOKEN + "\n")
    token.chmod(0o600)
    return {
        "server": make_certificate(directory, "localhost"),
        "client": make_certificate(directory, "cgym-test-client"),
        "token": token,
    }


def run_cli(env, *args, timeout=TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cgym.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


class Serve:
    """`cgym serve ARGS` in the background: its address once it listens, and its stop."""

    def __init__(self, env, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cgym.cli", "serve", "--port", "0", *map(str, args)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self.stdout = LineReader(self.process.stdout)
        self.stderr = LineReader(self.process.stderr)
        self.address = self.stdout.wait_for(r"^(\S+:\d+)$").group(1)
        self.port = int(self.address.rsplit(":", 1)[1])
        self.stderr.wait_for(r"^Serving ")
        self.stderr.wait_for(r"^Ctrl-C stops")
        # What it says about connecting, on one line.
        self.line = " ".join(line.strip() for line in self.stderr.seen if line is not None)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def serve(cli_env):
    started = []

    def start(*args):
        s = Serve(cli_env, *args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def spaces(env, endpoint, *args):
    """`cgym spaces llvm-v0 --endpoint ENDPOINT ARGS`: a client command (it connects and lists
    the example service's spaces)."""
    return run_cli(env, "spaces", "llvm-v0", "--endpoint", endpoint, *args)


def check_listed(result):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Observation spaces" in result.stdout and "features" in result.stdout


# ---- Refusals ------------------------------------------------------------------------------


def test_serve_refuses_plaintext_on_an_address_other_hosts_reach(cli_env, tmp_path):
    result = run_cli(cli_env, "serve", "--host", "0.0.0.0", "--working-dir", tmp_path / "wd")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Refusing to serve plaintext on 0.0.0.0" in result.stderr
    assert "--insecure" in result.stderr
    assert result.stdout == ""


def test_serve_refuses_tls_without_a_token_on_an_address_other_hosts_reach(cli_env, tmp_path, pki):
    cert, key = pki["server"]
    result = run_cli(
        cli_env,
        "serve",
        "--host",
        "0.0.0.0",
        "--tls-cert",
        cert,
        "--tls-key",
        key,
        "--working-dir",
        tmp_path / "wd",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Refusing to serve 0.0.0.0 without a token" in result.stderr


def test_serve_insecure(serve, cli_env):
    """--insecure serves plaintext without a token on every interface (reached here over
    loopback), and says so."""
    service = serve("--host", "0.0.0.0", "--insecure")
    assert service.address == f"127.0.0.1:{service.port}"
    assert "Clients need" not in service.line
    assert "with --insecure" in service.line  # the service's warning, passed on
    check_listed(spaces(cli_env, service.address))
    assert service.stop() == 0


# ---- TLS and a token -----------------------------------------------------------------------


def test_serve_with_tls_and_a_token(serve, cli_env, pki):
    cert, key = pki["server"]
    token = pki["token"]
    service = serve(
        "--host", "127.0.0.1", "--tls-cert", cert, "--tls-key", key, "--token-file", token
    )
    # The connection line says what a client needs, in Python and on the command line.
    line = service.line
    assert "Clients need TLS" in line and f"the token of {token}" in line
    assert f'tls_root_certs="{cert}"' in line
    assert f"--tls-ca {cert}" in line and f"--token-file {token}" in line
    assert TOKEN not in line

    endpoint = f"localhost:{service.port}"
    check_listed(spaces(cli_env, endpoint, "--tls-ca", cert, "--token-file", token))
    # $CGYM_TOKEN in place of --token-file.
    check_listed(spaces(dict(cli_env, CGYM_TOKEN=TOKEN), endpoint, "--tls-ca", cert))

    result = spaces(cli_env, endpoint, "--tls-ca", cert)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Missing or invalid token" in result.stderr
    result = spaces(dict(cli_env, CGYM_TOKEN="not-the-token"), endpoint, "--tls-ca", cert)
    assert result.returncode == 1 and "Missing or invalid token" in result.stderr
    # Plaintext to the TLS service fails, and nothing hangs.
    result = spaces(cli_env, endpoint, "--token-file", token)
    assert result.returncode == 1, result.stdout + result.stderr
    assert service.stop() == 0


def test_serve_with_client_certificates(serve, cli_env, pki):
    cert, key = pki["server"]
    client_cert, client_key = pki["client"]
    service = serve(
        "--host",
        "127.0.0.1",
        "--tls-cert",
        cert,
        "--tls-key",
        key,
        "--tls-client-ca",
        client_cert,
    )
    assert f"a client certificate signed by {client_cert}" in service.line
    endpoint = f"localhost:{service.port}"
    check_listed(
        spaces(
            cli_env,
            endpoint,
            "--tls-ca",
            cert,
            "--tls-client-cert",
            client_cert,
            "--tls-client-key",
            client_key,
        )
    )
    result = spaces(cli_env, endpoint, "--tls-ca", cert)
    assert result.returncode == 1, result.stdout + result.stderr


# ---- Usage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        # Client options only for a service someone else runs.
        ["spaces", "llvm-v0", "--token-file", "TOKEN"],
        ["spaces", "llvm-v0", "--endpoint", "inproc", "--tls-ca", "CERT"],
        ["replay", "STATES", "--tls"],
        # A client certificate needs its key; a server certificate too.
        ["spaces", "llvm-v0", "--endpoint", "localhost:1", "--tls-client-cert", "CERT"],
        ["serve", "--tls-cert", "CERT"],
        ["serve", "--tls-key", "KEY"],
        ["serve", "--tls-client-ca", "CERT"],
        # A token is never an argument.
        ["spaces", "llvm-v0", "--endpoint", "localhost:1", "--token", TOKEN],
        ["serve", "--token", TOKEN],
    ],
)
def test_usage_errors(cli_env, pki, tmp_path, args):
    states = tmp_path / "states.csv"
    states.write_text("benchmark,reward,walltime,commandline\n")
    files = {"TOKEN": pki["token"], "CERT": pki["server"][0], "KEY": pki["server"][1]}
    files["STATES"] = states
    result = run_cli(cli_env, *[files.get(a, a) for a in args])
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Usage:" in result.stderr or "Error:" in result.stderr


@pytest.mark.parametrize("command", ["envs", "spaces", "random-search", "greedy", "replay"])
def test_client_help_says_why_no_token_argument(cli_env, command):
    result = run_cli(cli_env, command, "--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for option in ("--token-file", "--tls-ca", "--tls-client-cert", "--tls-client-key"):
        assert option in text
    assert "CGYM_TOKEN" in text
    assert re.search(r"Never give a token on the command line", text)


def test_serve_help(cli_env):
    result = run_cli(cli_env, "serve", "--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for option in ("--tls-cert", "--tls-key", "--tls-client-ca", "--token-file", "--insecure"):
        assert option in text
    assert "Never give a token on the command line" in text


def test_empty_token_file(cli_env, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    result = spaces(cli_env, "localhost:1", "--token-file", empty)
    assert result.returncode == 1
    assert f"The token file {empty} is empty" in result.stderr
