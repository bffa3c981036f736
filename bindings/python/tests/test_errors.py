# SPDX-License-Identifier: MIT
"""The exception hierarchy: CompilerGym's classes with their parents, and the class raised for
each libcgym status code (docs/architecture.md's table, driven by cgym_status_parent)."""

import pytest

import cgym
from cgym import _cgym, errors
from cgym.errors import (
    BenchmarkInitError,
    EnvironmentNotSupported,
    ServiceError,
    ServiceInitError,
    ServiceIsClosed,
    ServiceOSError,
    ServiceTransportError,
    SessionNotFound,
)

# code -> (class raised, every class it must be an instance of)
EXPECTED = {
    errors.CANCELLED: (ServiceError, [ServiceError, Exception]),
    errors.UNKNOWN: (ServiceError, [ServiceError]),
    errors.INVALID_ARGUMENT: (ValueError, [ValueError]),
    errors.DEADLINE_EXCEEDED: (TimeoutError, [TimeoutError, OSError]),
    errors.NOT_FOUND: (FileNotFoundError, [FileNotFoundError, OSError]),
    errors.ALREADY_EXISTS: (ServiceError, [ServiceError]),
    errors.PERMISSION_DENIED: (ServiceError, [ServiceError]),
    errors.RESOURCE_EXHAUSTED: (ServiceOSError, [ServiceOSError, ServiceError, OSError]),
    errors.FAILED_PRECONDITION: (TypeError, [TypeError]),
    errors.ABORTED: (ServiceError, [ServiceError]),
    errors.OUT_OF_RANGE: (ServiceError, [ServiceError]),
    errors.UNIMPLEMENTED: (NotImplementedError, [NotImplementedError, RuntimeError]),
    errors.INTERNAL: (ServiceError, [ServiceError]),
    errors.UNAVAILABLE: (ServiceError, [ServiceError]),
    errors.DATA_LOSS: (ServiceError, [ServiceError]),
    errors.UNAUTHENTICATED: (ServiceError, [ServiceError]),
    errors.SESSION_NOT_FOUND: (SessionNotFound, [SessionNotFound, ServiceError]),
    errors.SERVICE_INIT: (ServiceInitError, [ServiceInitError, ServiceError, OSError]),
    errors.ENVIRONMENT_NOT_SUPPORTED: (
        EnvironmentNotSupported,
        [EnvironmentNotSupported, ServiceInitError, ServiceError, OSError],
    ),
    errors.SERVICE_TRANSPORT: (
        ServiceTransportError,
        [ServiceTransportError, ServiceError, OSError],
    ),
    errors.SERVICE_IS_CLOSED: (ServiceIsClosed, [ServiceIsClosed, ServiceError, TypeError]),
    errors.BENCHMARK_INIT: (BenchmarkInitError, [BenchmarkInitError, OSError, ValueError]),
    errors.CALLBACK_ERROR: (errors.CallbackError, [errors.CallbackError, ServiceError]),
}


def test_hierarchy_matches_compiler_gym():
    assert ServiceError.__bases__ == (Exception,)
    assert SessionNotFound.__bases__ == (ServiceError,)
    assert ServiceOSError.__bases__ == (ServiceError, OSError)
    assert ServiceInitError.__bases__ == (ServiceError, OSError)
    assert EnvironmentNotSupported.__bases__ == (ServiceInitError,)
    assert ServiceTransportError.__bases__ == (ServiceError, OSError)
    assert ServiceIsClosed.__bases__ == (ServiceError, TypeError)
    assert BenchmarkInitError.__bases__ == (OSError, ValueError)
    for cls in (
        ServiceError,
        SessionNotFound,
        ServiceOSError,
        ServiceInitError,
        EnvironmentNotSupported,
        ServiceTransportError,
        ServiceIsClosed,
        BenchmarkInitError,
    ):
        assert getattr(cgym, cls.__name__) is cls
        assert getattr(cgym.service, cls.__name__, cls) is cls


@pytest.mark.parametrize("code", sorted(EXPECTED), ids=lambda c: _cgym.cgym_status_name(c))
def test_each_code_raises_its_class(code):
    cls, parents = EXPECTED[code]
    message = f"message of {_cgym.cgym_status_name(code)}: ünïcode"
    with pytest.raises(BaseException) as info:
        _cgym.raise_status(code, message)
    assert type(info.value) is cls
    for parent in parents:
        assert isinstance(info.value, parent)
    assert str(info.value) == message
    assert info.value.code == code


def test_class_follows_status_parent():
    # Every ServiceError-family code's parent is INTERNAL (the root ServiceError) or another
    # code of the family, and the raised class is a subclass of the parent's class.
    for code in EXPECTED:
        parent = _cgym.status_parent(code)
        if parent != errors.OK:
            assert issubclass(errors.exception_class(code), errors.exception_class(parent))
        assert (
            bool(_cgym.cgym_status_is_service_error(code))
            == issubclass(errors.exception_class(code), ServiceError)
            or code == errors.CALLBACK_ERROR
        )


def test_unknown_code_is_service_error():
    with pytest.raises(ServiceError, match="strange"):
        _cgym.raise_status(12345, "strange")


def test_real_errors_from_the_library(tmp_path):
    with pytest.raises(FileNotFoundError, match="File not found"):
        cgym.CompilerEnv(str(tmp_path / "no-such-binary"))
    with pytest.raises(TypeError, match="No endpoint"):
        cgym.CompilerEnv("")
    with pytest.raises(FileNotFoundError):
        cgym.CompilerEnv("inproc:no-such-service")
    with pytest.raises(ValueError):
        _cgym.cgym_event_new_string(b"\xff\xfe")  # not UTF-8: INVALID_ARGUMENT
    event = _cgym.cgym_event_new_string("text")
    try:
        with pytest.raises(TypeError):  # FAILED_PRECONDITION: wrong kind
            _cgym.cgym_event_get_int64(event)
    finally:
        _cgym.cgym_event_free(event)
