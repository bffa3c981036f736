# SPDX-License-Identifier: MIT
"""Two threads, each stepping its own env, make progress at the same time: calls into libcgym
release the GIL, and the service runs sessions written in Python in parallel.

The session's action 1 waits at a barrier shared by all sessions of the service process, so a
step can only return once the other thread's step has reached the service too. No wall-clock
thresholds: the barrier's timeout only turns a deadlock into a failure."""

import threading

import pytest

import cgym
from cgym.runtime import ActionSpace, CompilationSession, ObservationSpace
from cgym.spaces import Discrete, Scalar
from conftest import c_service_binary, register_inproc, write_launcher

DEADLOCK_GUARD_SECONDS = 60


class BarrierSession(CompilationSession):
    compiler_version = "barrier"
    action_spaces = [ActionSpace("default", Discrete(2, name="default"))]
    observation_spaces = [ObservationSpace("arrived", Scalar(name="arrived", dtype=float))]
    barrier = threading.Barrier(2, timeout=DEADLOCK_GUARD_SECONDS)
    arrived = 0

    def apply_action(self, action):
        if action == 1:
            type(self).arrived += 1
            type(self).barrier.wait()  # raises BrokenBarrierError (-> INTERNAL) on timeout
        return False, None, False

    def get_observation(self, observation_space):
        return float(type(self).arrived)


def _step_in_threads(envs, action):
    results, errors = [None] * len(envs), []

    def run(i):
        try:
            results[i] = envs[i].step(action)
        except BaseException as e:  # noqa: B902
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(envs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLOCK_GUARD_SECONDS * 2)
    assert not any(t.is_alive() for t in threads), "steps deadlocked"
    assert not errors, errors
    return results


@pytest.fixture(params=["unmanaged", "inproc"])
def barrier_endpoint(request, tmp_path, unmanaged_service):
    if request.param == "inproc":
        return register_inproc(BarrierSession, "barrier")
    return unmanaged_service(
        write_launcher(tmp_path, "test_threads", "BarrierSession", "barrier-service")
    )


def test_two_threads_step_concurrently(barrier_endpoint):
    envs = [cgym.CompilerEnv(barrier_endpoint, benchmark="benchmark://barrier/x") for _ in range(2)]
    try:
        for env in envs:
            env.reset()
        for _ in range(3):
            results = _step_in_threads(envs, 1)
            for _observation, _reward, done, info in results:
                assert not done, info  # a broken barrier would end the episode with an error
    finally:
        for env in envs:
            env.close()


def test_threads_with_c_service():
    """Each thread drives its own env of the C example service to completion."""
    envs = [
        cgym.CompilerEnv(
            str(c_service_binary()),
            benchmark="benchmark://example-compiler-v0/foo",
            observation_space="features",
        )
        for _ in range(2)
    ]
    try:
        for env in envs:
            env.reset()
        for _ in range(20):
            for observation, _reward, done, _info in _step_in_threads(envs, 0):
                assert not done and observation.tolist() == [0, 0, 0]
    finally:
        for env in envs:
            env.close()
