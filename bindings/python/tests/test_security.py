# SPDX-License-Identifier: MIT
"""Services for other hosts, from Python: a token (the service's --token_file) and TLS (its
--tls_cert, --tls_key, --tls_client_ca) through ConnectionOpts(token=, tls=, tls_root_certs=,
tls_client_cert=, tls_client_key=), against the C example service that each test starts on
loopback and stops. Certificates are self-signed, made by the openssl command at test time.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import cgym
from cgym import errors
from cgym.service import ConnectionOpts
from conftest import c_service_binary

BENCHMARK = "benchmark://example-compiler-v0/foo"
TOKEN = "0123456789abcdef" * 4
# For connections meant to fail: one attempt of 2 s instead of CompilerGym's 5 of 3 s (a
# failed TLS handshake is retried until the attempt's time is up). Connections meant to work
# keep the defaults.
FAIL_FAST = dict(init_max_attempts=1, rpc_init_max_seconds=2, rpc_max_retries=0)


def make_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (also usable as its own CA) and
    its key: (cert.pem, key.pem)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("the openssl command is needed to make test certificates")
    cert, key = directory / f"{name}-cert.pem", directory / f"{name}-key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={name}",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The service's certificate and a client's, each self-signed."""
    directory = tmp_path_factory.mktemp("pki")
    server = make_certificate(directory, "localhost")
    client = make_certificate(directory, "cgym-test-client")
    return {"server": server, "client": client}


class Service:
    """The C example service with these flags, on loopback, reached as localhost:PORT."""

    def __init__(self, working_dir: Path, *flags: str):
        self.working_dir = working_dir
        environment = dict(os.environ)
        # The variables of a managed launch would override --host and the token.
        environment.pop("CGYM_SERVICE_HOST", None)
        environment.pop("CGYM_SERVICE_TOKEN", None)
        self.log = working_dir.parent / (working_dir.name + ".log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(c_service_binary()), f"--working_dir={working_dir}", *flags],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
            )
        port_file = working_dir / "port.txt"
        deadline = time.monotonic() + 60
        while not port_file.is_file() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the service did not start: {self.log.read_text()}")
            time.sleep(0.05)
        self.endpoint = f"localhost:{int(port_file.read_text())}"

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def start(tmp_path):
    services = []

    def launch(*flags):
        s = Service(tmp_path / f"service{len(services)}", *flags)
        services.append(s)
        return s.endpoint

    yield launch
    for s in services:
        s.stop()


@pytest.fixture
def token_file(tmp_path) -> Path:
    path = tmp_path / "token.txt"
    path.write_text(TOKEN + "\n")
    path.chmod(0o600)
    return path


def episode(endpoint: str, opts: ConnectionOpts) -> None:
    """A reset and a step on the service, as a client with these options."""
    with cgym.CompilerEnv(endpoint, benchmark=BENCHMARK, connection_settings=opts) as env:
        env.reset()
        _, _, done, info = env.step(0)
        assert not done, info
        assert env.episode_actions() == [0]


def expect_unauthenticated(endpoint: str, opts: ConnectionOpts) -> BaseException:
    """The service refuses the client: UNAUTHENTICATED "Missing or invalid token", at once
    (connecting does not retry a refused token, which no retry can cure)."""
    with pytest.raises(cgym.ServiceError) as failure:
        episode(endpoint, opts)
    e = failure.value
    assert e.code == errors.UNAUTHENTICATED, errors.status_name(e.code)
    assert not isinstance(e, cgym.ServiceInitError)
    assert "Missing or invalid token" in str(e)
    return e


# ---- A token --------------------------------------------------------------------------------


def test_token(start, token_file):
    endpoint = start(f"--token_file={token_file}")
    episode(endpoint, ConnectionOpts(token=TOKEN))
    expect_unauthenticated(endpoint, ConnectionOpts(**FAIL_FAST))
    expect_unauthenticated(endpoint, ConnectionOpts(token=TOKEN[:-1] + "0", **FAIL_FAST))
    expect_unauthenticated(endpoint, ConnectionOpts(token=TOKEN + "0", **FAIL_FAST))
    expect_unauthenticated(endpoint, ConnectionOpts(token="", **FAIL_FAST))


def test_token_on_every_call(start, token_file):
    """Every call of an env carries the token: forks, parameters and the session's end too."""
    endpoint = start(f"--token_file={token_file}")
    opts = ConnectionOpts(token=TOKEN)
    with cgym.CompilerEnv(endpoint, benchmark=BENCHMARK, connection_settings=opts) as env:
        env.reset()
        env.step(1)
        with env.fork() as fork:
            fork.step(2)
            assert fork.episode_actions() == [1, 2]
        key = "service.benchmark_cache.get_max_size_in_bytes"
        assert int(env.send_param(key, "")) > 0
        assert env.episode_actions() == [1]


def test_the_token_is_not_in_repr():
    opts = ConnectionOpts(token=TOKEN, tls=True)
    assert TOKEN not in repr(opts)
    assert "tls=True" in repr(opts)


# ---- TLS ------------------------------------------------------------------------------------


def test_tls(start, pki):
    cert, key = pki["server"]
    endpoint = start(f"--tls_cert={cert}", f"--tls_key={key}")
    episode(endpoint, ConnectionOpts(tls_root_certs=cert))
    episode(endpoint, ConnectionOpts(tls=True, tls_root_certs=str(cert)))
    # Plaintext to a TLS service, and TLS that trusts only the system's roots (which did not
    # sign this certificate), fail to connect (ServiceInitError, as any failure to connect).
    with pytest.raises(cgym.ServiceInitError):
        episode(endpoint, ConnectionOpts(**FAIL_FAST))
    with pytest.raises(cgym.ServiceInitError):
        episode(endpoint, ConnectionOpts(tls=True, **FAIL_FAST))
    # Another certificate as the root does not verify the service either.
    with pytest.raises(cgym.ServiceInitError):
        episode(endpoint, ConnectionOpts(tls_root_certs=pki["client"][0], **FAIL_FAST))


def test_tls_to_a_plaintext_service_fails(start, pki):
    endpoint = start()
    episode(endpoint, ConnectionOpts())
    with pytest.raises(cgym.ServiceInitError):
        episode(endpoint, ConnectionOpts(tls_root_certs=pki["server"][0], **FAIL_FAST))


def test_tls_and_token(start, pki, token_file):
    """The setup for other hosts: TLS, and a token in it."""
    cert, key = pki["server"]
    endpoint = start(f"--tls_cert={cert}", f"--tls_key={key}", f"--token_file={token_file}")
    episode(endpoint, ConnectionOpts(token=TOKEN, tls_root_certs=cert))
    expect_unauthenticated(endpoint, ConnectionOpts(tls_root_certs=cert, **FAIL_FAST))


def test_vector_env_over_secured_services(start, pki, token_file):
    """docs/scale-out.md's cluster without Ray: a vector env over two services with TLS and a
    token (here both on loopback)."""
    cert, key = pki["server"]
    flags = (f"--tls_cert={cert}", f"--tls_key={key}", f"--token_file={token_file}")
    endpoints = ",".join(start(*flags) for _ in range(2))
    opts = ConnectionOpts(tls_root_certs=cert, token=TOKEN)
    with cgym.VecEnv(
        endpoint=endpoints,
        num_envs=4,
        benchmark=BENCHMARK,
        observation_space="features",
        connection_settings=opts,
    ) as envs:
        assert envs.num_services == 2
        observations, _ = envs.reset()
        assert observations.shape == (4, 3)
        observations, _, terminated, _, infos = envs.step([0, 1, 2, 0])
        assert not terminated.any(), infos
    with pytest.raises(cgym.ServiceError, match="Missing or invalid token") as failure:
        cgym.VecEnv(
            endpoint=endpoints,
            num_envs=2,
            benchmark=BENCHMARK,
            connection_settings=ConnectionOpts(tls_root_certs=cert, **FAIL_FAST),
        )
    assert failure.value.code == errors.UNAUTHENTICATED


def test_client_certificates(start, pki):
    """A service started with --tls_client_ca takes only clients with a certificate it
    signed (here the client's self-signed one)."""
    cert, key = pki["server"]
    client_cert, client_key = pki["client"]
    endpoint = start(f"--tls_cert={cert}", f"--tls_key={key}", f"--tls_client_ca={client_cert}")
    episode(
        endpoint,
        ConnectionOpts(tls_root_certs=cert, tls_client_cert=client_cert, tls_client_key=client_key),
    )
    with pytest.raises(cgym.ServiceInitError):
        episode(endpoint, ConnectionOpts(tls_root_certs=cert, **FAIL_FAST))
    # A certificate the CA did not sign: the service's own.
    with pytest.raises(cgym.ServiceInitError):
        episode(
            endpoint,
            ConnectionOpts(
                tls_root_certs=cert, tls_client_cert=cert, tls_client_key=key, **FAIL_FAST
            ),
        )


# ---- Invalid options ------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["tls_client_cert", "tls_client_key"])
def test_client_certificate_without_its_key(start, pki, given):
    endpoint = start()
    path = pki["client"][0 if given == "tls_client_cert" else 1]
    with pytest.raises(ValueError) as failure:
        episode(endpoint, ConnectionOpts(**{given: path}, **FAIL_FAST))
    assert failure.value.code == errors.INVALID_ARGUMENT


def test_unreadable_files_name_the_file(start, tmp_path, pki):
    endpoint = start()
    missing = tmp_path / "no-such-file.pem"
    for settings in (
        {"tls_root_certs": missing},
        {"tls_client_cert": missing, "tls_client_key": pki["client"][1]},
        {"tls_client_cert": pki["client"][0], "tls_client_key": missing},
    ):
        with pytest.raises(ValueError, match="no-such-file.pem") as failure:
            episode(endpoint, ConnectionOpts(**settings, **FAIL_FAST))
        assert failure.value.code == errors.INVALID_ARGUMENT


def test_token_that_cannot_be_sent(start):
    endpoint = start()
    with pytest.raises(ValueError) as failure:
        episode(endpoint, ConnectionOpts(token="line\nbreak", **FAIL_FAST))
    assert failure.value.code == errors.INVALID_ARGUMENT


def test_options_reach_the_c_api():
    """The setters raise INVALID_ARGUMENT as every other setter for a NULL options handle."""
    C = cgym._cgym
    with pytest.raises(ValueError):
        C.cgym_options_set_token(None, TOKEN)
    with pytest.raises(ValueError):
        C.cgym_options_set_tls(None, None, None, None)
    options = ConnectionOpts(token=TOKEN, tls=True).to_options()
    C.cgym_options_free(options)
