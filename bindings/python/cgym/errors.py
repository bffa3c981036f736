# SPDX-License-Identifier: MIT
"""CompilerGym's exception hierarchy, and the mapping of libcgym status codes onto it.

The classes have CompilerGym's names and parents (compiler_gym/errors/service_errors.py). A
status code maps onto a class through cgym_status_parent(): gRPC's canonical codes with a
builtin meaning raise the builtin (ValueError, TimeoutError, FileNotFoundError, TypeError,
NotImplementedError), codes of the ServiceError family raise their CompilerGym class, and every
other code raises ServiceError. Every raised exception carries ``.code`` (the status code).
"""

from . import _cgym


class ServiceError(Exception):
    """Error raised from the service."""


class SessionNotFound(ServiceError):
    """Requested session ID not found in service."""


class ServiceOSError(ServiceError, OSError):
    """System error raised from the service."""


class ServiceInitError(ServiceError, OSError):
    """Error raised if the service fails to initialize."""


class EnvironmentNotSupported(ServiceInitError):
    """Error raised if the runtime requirements for an environment are not met on the current
    platform."""


class ServiceTransportError(ServiceError, OSError):
    """Error that is raised if communication with the service fails."""


class ServiceIsClosed(ServiceError, TypeError):
    """Error that is raised if trying to interact with a closed service."""


class BenchmarkInitError(OSError, ValueError):
    """Base class for errors raised if a benchmark fails to initialize."""


class CallbackError(ServiceError):
    """A callback (a reward or a session written in another language) failed."""


class SpaceNotFoundError(KeyError):
    """No observation or reward space of this name: ``env.observation["nope"]`` and the like.

    A KeyError, as CompilerGym raises (and so also a LookupError, as this package raised
    before); its str() is the message itself, without KeyError's quotes. ``name`` is the name
    asked for."""

    def __init__(self, message: str, name=None):
        super().__init__(message)
        self.name = name

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# Status codes (cgym.h).
OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16
SESSION_NOT_FOUND = 100
SERVICE_INIT = 101
ENVIRONMENT_NOT_SUPPORTED = 102
SERVICE_TRANSPORT = 103
SERVICE_IS_CLOSED = 104
BENCHMARK_INIT = 105
CALLBACK_ERROR = 106

# The class of each code that is not simply its parent's (docs/architecture.md; cgym.h names the
# class of each code in brackets). INTERNAL stands for the root, ServiceError.
_CLASS_OF_CODE = {
    INTERNAL: ServiceError,
    INVALID_ARGUMENT: ValueError,
    DEADLINE_EXCEEDED: TimeoutError,
    NOT_FOUND: FileNotFoundError,
    FAILED_PRECONDITION: TypeError,
    UNIMPLEMENTED: NotImplementedError,
    RESOURCE_EXHAUSTED: ServiceOSError,
    SESSION_NOT_FOUND: SessionNotFound,
    SERVICE_INIT: ServiceInitError,
    ENVIRONMENT_NOT_SUPPORTED: EnvironmentNotSupported,
    SERVICE_TRANSPORT: ServiceTransportError,
    SERVICE_IS_CLOSED: ServiceIsClosed,
    BENCHMARK_INIT: BenchmarkInitError,
    CALLBACK_ERROR: CallbackError,
}


def status_name(code: int) -> str:
    return _cgym.cgym_status_name(code)


def exception_class(code: int) -> type:
    """The class raised for a status code: its own, else (walking cgym_status_parent) its
    nearest ancestor's, else ServiceError."""
    seen = set()
    while code not in _CLASS_OF_CODE and code not in seen and code != OK:
        seen.add(code)
        code = _cgym.status_parent(code)
    return _CLASS_OF_CODE.get(code, ServiceError)


def make_exception(code: int, message: str) -> BaseException:
    """The exception instance for a failed call (registered with the low layer)."""
    exc = exception_class(code)(message)
    try:
        exc.code = code
    except AttributeError:  # pragma: no cover
        pass
    return exc


_cgym.set_error_factory(make_exception)

__all__ = [
    "ServiceError",
    "SessionNotFound",
    "ServiceOSError",
    "ServiceInitError",
    "EnvironmentNotSupported",
    "ServiceTransportError",
    "ServiceIsClosed",
    "BenchmarkInitError",
    "CallbackError",
    "SpaceNotFoundError",
    "exception_class",
    "make_exception",
    "status_name",
]
