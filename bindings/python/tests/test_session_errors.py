# SPDX-License-Identifier: MIT
"""A session written in Python that raises each exception type: the client sees the status of
the reference's table 2.2 (FileNotFoundError -> NOT_FOUND, not CompilerGym's UNIMPLEMENTED),
with the exception's message. In-process and over gRPC (a managed service)."""

import pytest

import cgym
from cgym.runtime import ActionSpace, CompilationSession, ObservationSpace
from cgym.spaces import Discrete, Scalar
from conftest import register_inproc, write_launcher

# action -> (exception raised by the session, what the client raises)
RAISED = [
    (ValueError("bad value"), ValueError),
    (KeyError("key"), FileNotFoundError),  # LookupError -> NOT_FOUND
    (IndexError("index"), FileNotFoundError),
    (FileNotFoundError("no file"), FileNotFoundError),
    (NotImplementedError("not here"), NotImplementedError),
    (TypeError("wrong type"), TypeError),
    (TimeoutError("too slow"), TimeoutError),
    (RuntimeError("boom"), cgym.ServiceError),
    (ZeroDivisionError("zero"), cgym.ServiceError),
]


class RaisingSession(CompilationSession):
    compiler_version = "raising"
    action_spaces = [ActionSpace("default", Discrete(len(RAISED) + 1, name="default"))]
    observation_spaces = [
        ObservationSpace("value", Scalar(name="value", dtype=float)),
        ObservationSpace("fails", Scalar(name="fails", dtype=float)),
    ]

    def __init__(self, working_directory, action_space, benchmark):
        super().__init__(working_directory, action_space, benchmark)
        if benchmark.uri.endswith("/bad-init"):
            raise ValueError("Cannot init with this benchmark")

    def apply_action(self, action):
        if action < len(RAISED):
            raise RAISED[action][0]
        return False, None, False

    def get_observation(self, observation_space):
        if observation_space.name == "fails":
            raise LookupError("no such observation today")
        return 1.0

    def handle_session_parameter(self, key, value):
        if key == "raise":
            raise TypeError(value)
        if key == "crash":
            raise RuntimeError(value)
        if key == "slow":
            raise TimeoutError(value)
        if key == "echo":
            return value
        return None


@pytest.fixture(params=["inproc", "managed"])
def raising_env(request, tmp_path):
    if request.param == "inproc":
        endpoint = register_inproc(RaisingSession, "raising")
    else:
        endpoint = write_launcher(
            tmp_path, "test_session_errors", "RaisingSession", "raising-service"
        )
    with cgym.CompilerEnv(str(endpoint), benchmark="benchmark://raising/x") as env:
        env.reset()
        yield env


@pytest.mark.parametrize("action", range(len(RAISED)), ids=[type(r[0]).__name__ for r in RAISED])
def test_session_exception_reaches_client(raising_env, action):
    raised, expected = RAISED[action]
    if expected in (TimeoutError, cgym.ServiceError):
        # A failure of the service ends the episode gracefully (as CompilerGym's raw_step does).
        observation, reward, done, info = raising_env.step(action)
        assert done
        assert info["error_type"] == expected.__name__, info
        assert str(raised) in info["error_details"], info
        assert not raising_env.in_episode
        return
    with pytest.raises(expected) as info:
        raising_env.step(action)
    assert str(raised) in str(info.value)
    if expected is not cgym.ServiceError:
        assert type(info.value) is expected
        assert str(info.value) == str(raised)
    if expected in (ValueError, FileNotFoundError, NotImplementedError, TypeError):
        # An error of the call: the episode goes on.
        assert raising_env.in_episode
        raising_env.step(len(RAISED))


def test_observation_exception(raising_env):
    assert raising_env.observation["value"] == 1.0
    with pytest.raises(FileNotFoundError, match="no such observation today"):
        raising_env.observation["fails"]


def test_session_parameters(raising_env):
    assert raising_env.send_param("echo", "hello") == "hello"
    assert raising_env.send_params(("echo", "a"), ("echo", "b")) == ["a", "b"]
    with pytest.raises(TypeError, match="refused"):
        raising_env.send_param("raise", "refused")
    with pytest.raises(cgym.ServiceError, match="crashed") as info:
        raising_env.send_param("crash", "crashed")
    assert type(info.value) is cgym.ServiceError
    with pytest.raises(TimeoutError, match="slow one"):
        raising_env.send_param("slow", "slow one")
    with pytest.raises(ValueError, match="Unknown parameter: nope"):
        raising_env.send_param("nope", "x")


def test_init_exception(raising_env):
    with pytest.raises(ValueError, match="Cannot init with this benchmark"):
        raising_env.reset(benchmark="benchmark://raising/bad-init")


def test_fork_unimplemented_replays(raising_env):
    # The session has no fork(): the service answers UNIMPLEMENTED and the client replays.
    raising_env.step(len(RAISED))
    other = raising_env.fork()
    try:
        assert other.actions == [len(RAISED)]
        assert other.in_episode
    finally:
        other.close()
