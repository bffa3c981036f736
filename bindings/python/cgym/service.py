# SPDX-License-Identifier: MIT
"""Connections to services: CompilerGym's ConnectionOpts and CompilerGymServiceConnection."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from . import _cgym as C
from . import _convert
from .errors import (  # noqa
    EnvironmentNotSupported,
    ServiceError,
    ServiceInitError,
    ServiceIsClosed,
    ServiceOSError,
    ServiceTransportError,
    SessionNotFound,
)


@dataclass
class ConnectionOpts:
    """CompilerGym's connection options (ConnectionOpts), with its defaults, and libcgym's
    options for a service on another host (docs/security.md):

    - ``token``: sent as ``authorization: Bearer TOKEN`` on every call to a service started
      with ``--token_file`` (a managed service gets a token of its own: leave this None). Not
      shown by repr().
    - ``tls``: connect with TLS, verifying the service against the system's root
      certificates; ``tls_root_certs`` (a PEM file) verifies it against those instead.
    - ``tls_client_cert`` and ``tls_client_key`` (PEM files, both or neither): the client's
      certificate for a service started with ``--tls_client_ca``.

    Any ``tls_*`` set implies ``tls``. A file that cannot be read, or a client certificate
    without its key, raises ValueError when the connection is made."""

    rpc_max_retries: int = 5
    retry_wait_seconds: float = 0.1
    retry_wait_backoff_exponent: float = 1.5
    init_max_seconds: float = 30.0
    init_max_attempts: int = 5
    local_service_port_init_max_seconds: float = 30.0
    local_service_exit_max_seconds: float = 30.0
    rpc_init_max_seconds: float = 3.0
    always_send_benchmark_on_reset: bool = False
    script_args: list[str] = field(default_factory=list)
    script_env: dict[str, str] = field(default_factory=dict)
    # The token is a secret: kept out of repr(), which ends up in logs and tracebacks.
    token: Optional[str] = field(default=None, repr=False)
    tls: bool = False
    tls_root_certs: Optional[Union[str, os.PathLike]] = None
    tls_client_cert: Optional[Union[str, os.PathLike]] = None
    tls_client_key: Optional[Union[str, os.PathLike]] = None

    @property
    def uses_tls(self) -> bool:
        """Whether connections are made with TLS (``tls`` or any ``tls_*`` file set)."""
        return bool(self.tls) or any(
            p is not None for p in (self.tls_root_certs, self.tls_client_cert, self.tls_client_key)
        )

    def to_options(self):
        """A new owned cgym_options_t handle with these settings."""
        o = C.cgym_options_new()
        try:
            C.cgym_options_set_rpc_max_retries(o, int(self.rpc_max_retries))
            C.cgym_options_set_retry_wait_seconds(o, float(self.retry_wait_seconds))
            C.cgym_options_set_retry_wait_backoff_exponent(
                o, float(self.retry_wait_backoff_exponent)
            )
            C.cgym_options_set_init_max_seconds(o, float(self.init_max_seconds))
            C.cgym_options_set_init_max_attempts(o, int(self.init_max_attempts))
            C.cgym_options_set_local_service_port_init_max_seconds(
                o, float(self.local_service_port_init_max_seconds)
            )
            C.cgym_options_set_local_service_exit_max_seconds(
                o, float(self.local_service_exit_max_seconds)
            )
            C.cgym_options_set_rpc_init_max_seconds(o, float(self.rpc_init_max_seconds))
            C.cgym_options_set_always_send_benchmark_on_reset(
                o, int(bool(self.always_send_benchmark_on_reset))
            )
            for arg in self.script_args:
                C.cgym_options_add_script_arg(o, str(arg))
            for key, value in self.script_env.items():
                C.cgym_options_set_script_env(o, str(key), str(value))
            if self.token is not None:
                C.cgym_options_set_token(o, str(self.token))
            if self.uses_tls:
                C.cgym_options_set_tls(
                    o,
                    _path_or_none(self.tls_root_certs),
                    _path_or_none(self.tls_client_cert),
                    _path_or_none(self.tls_client_key),
                )
        except BaseException:
            C.cgym_options_free(o)
            raise
        return o


def _path_or_none(path) -> Optional[str]:
    return None if path is None else os.fspath(path)


def connect(endpoint: Union[str, Path], opts: ConnectionOpts = None, benchmark=None):
    """cgym_connect(): a new owned env handle."""
    endpoint = str(endpoint)
    if not endpoint:
        raise TypeError("No endpoint provided for service connection")
    o = (opts or ConnectionOpts()).to_options()
    try:
        if benchmark is not None:
            C.cgym_options_set_benchmark(o, benchmark[0], benchmark[1])
        return C.cgym_connect(endpoint, o)
    finally:
        C.cgym_options_free(o)


class CompilerGymServiceConnection:
    """A connection to a service: a binary path (managed), "host:port" (unmanaged) or
    "inproc:NAME" (in-process). It fetches the service's spaces on construction.

    libcgym has no connection object separate from an env: a connection holds a not-yet-reset
    env handle, which a CompilerEnv given ``service_connection=`` adopts."""

    def __init__(self, endpoint: Union[str, Path], opts: ConnectionOpts = None):
        self.endpoint = endpoint
        self.opts = opts or ConnectionOpts()
        self._env = connect(endpoint, self.opts)
        n = C.cgym_env_action_space_count(self._env)
        self.action_spaces = [
            _convert.space_to_py(C.cgym_action_space_space(a), C.cgym_action_space_name(a))
            for a in (C.cgym_env_action_space_at(self._env, i) for i in range(n))
        ]
        n = C.cgym_env_observation_space_count(self._env)
        self.observation_spaces = [
            C.cgym_observation_space_name(C.cgym_env_observation_space_at(self._env, i))
            for i in range(n)
        ]

    @property
    def closed(self) -> bool:
        return self._env is None

    def _take(self):
        env, self._env = self._env, None
        if env is None:
            raise ServiceIsClosed("RPC communication failed because channel is closed")
        return env

    def close(self):
        if self._env is not None:
            env, self._env = self._env, None
            try:
                C.cgym_env_close(env)
            finally:
                C.cgym_env_free(env)

    def restart(self):
        self.close()
        self._env = connect(self.endpoint, self.opts)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self):
        if self._env is None:
            return f"Connection to dead service at {self.endpoint}"
        return f"Connection to service at {self.endpoint}"


__all__ = [
    "ConnectionOpts",
    "CompilerGymServiceConnection",
    "connect",
    "ServiceError",
    "SessionNotFound",
    "ServiceOSError",
    "ServiceInitError",
    "EnvironmentNotSupported",
    "ServiceTransportError",
    "ServiceIsClosed",
]
