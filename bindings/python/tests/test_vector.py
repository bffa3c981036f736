# SPDX-License-Identifier: MIT
"""cgym.vector: VecEnv (a gymnasium.vector.VectorEnv over cgym_vec_env_t) and StepQueue
(cgym_step_queue_t), through the public API.

The C example service never ends an episode by itself: an action it rejects (3, out of range)
does, in a vector env (in a plain env it raises ValueError and the episode goes on). For
observations that change and episodes that end normally, CountingSession (below, in-process)
counts the actions of each kind and ends an episode after as many actions as the number that
ends its benchmark URI."""

import gymnasium
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import cgym
from cgym.runtime import ActionSpace, CompilationSession, ObservationSpace
from cgym.spaces import Box, NamedDiscrete, Scalar
from conftest import c_service_binary, register_inproc
from example_session import RuntimeReward, make_example_env

FOO = "benchmark://example-compiler-v0/foo"


class CountingSession(CompilationSession):
    """counts: how many a, b and c actions; score: 1.5 per c action (its default reward, the
    change of score, is 1.5 for a c action, else 0). The episode ends after N actions, N the
    last part of the benchmark URI."""

    compiler_version = "1.0.0"
    action_spaces = [ActionSpace("default", NamedDiscrete(["a", "b", "c"], name="default"))]
    observation_spaces = [
        ObservationSpace(
            "counts", Box(low=0, high=1000, shape=(3,), dtype=np.int64, name="counts")
        ),
        ObservationSpace("score", Scalar(name="score", min=0, max=None, dtype=np.float64)),
    ]

    def __init__(self, working_directory, action_space, benchmark):
        super().__init__(working_directory, action_space, benchmark)
        self.length = int(str(benchmark.uri).rsplit("/", 1)[-1])
        self.counts = [0, 0, 0]

    def apply_action(self, action):
        if not isinstance(action, int) or not 0 <= action < 3:
            raise ValueError("Out-of-range")
        self.counts[action] += 1
        return sum(self.counts) >= self.length, None, False

    def get_observation(self, observation_space):
        if observation_space.name == "counts":
            return np.array(self.counts, dtype=np.int64)
        return 1.5 * self.counts[2]


def score_reward() -> cgym.Reward:
    """The reward of CountingSession envs: the change of score (computed in Python)."""
    return cgym.DefaultRewardFromObservation("score")


def counting_vec(lengths, **kwargs) -> cgym.VecEnv:
    """A VecEnv of len(lengths) CountingSession envs in-process, env i ending its episodes
    after lengths[i] actions, with the score reward added to each (borrowed) env."""
    kwargs.setdefault("observation_space", "counts")
    envs = cgym.VecEnv(
        endpoint=register_inproc(CountingSession, "counting"),
        num_envs=len(lengths),
        benchmark=[f"benchmark://counting-v0/{n}" for n in lengths],
        **kwargs,
    )
    for env in envs.envs:
        env.add_reward(score_reward())
        env.reward_space = "score"
    return envs


def counting_env(endpoint, length) -> cgym.CompilerEnv:
    return cgym.CompilerEnv(
        endpoint,
        rewards=[score_reward()],
        benchmark=cgym.Benchmark(f"benchmark://counting-v0/{length}"),
        observation_space="counts",
        reward_space="score",
    )


def example_vec(num_envs=8, **kwargs) -> cgym.VecEnv:
    kwargs.setdefault("observation_space", "features")
    return cgym.VecEnv(
        endpoint=c_service_binary(), num_envs=num_envs, num_services=2, benchmark=FOO, **kwargs
    )


# ---- VecEnv over the C example service ------------------------------------------------------


def test_spaces_and_attributes():
    with example_vec() as envs:
        assert isinstance(envs, gymnasium.vector.VectorEnv)
        assert envs.num_envs == 8 and envs.num_services == 2
        single = envs.single_observation_space
        assert single is envs.env_at(0).observation_space  # the "features" Box
        assert single.shape == (3,) and single.dtype == np.int64
        batched = envs.observation_space
        assert batched.shape == (8, 3) and batched.dtype == np.int64
        assert (batched.low == -100).all() and (batched.high == 100).all()
        assert isinstance(envs.single_action_space, gymnasium.spaces.Discrete)
        assert envs.single_action_space.n == 3
        assert envs.action_space == gymnasium.spaces.MultiDiscrete([3] * 8)
        assert envs.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP
        assert len(envs.envs) == 8 and envs.env_at(3) is envs.envs[3]
        assert str(envs.env_at(0).benchmark) == FOO


def test_steps_equal_plain_envs_one_by_one():
    """8 envs over 2 services, a Python reward added to each borrowed env: the same values as
    the same steps of 8 plain envs, one by one."""
    rng = np.random.default_rng(7)
    actions = rng.integers(0, 3, size=(6, 8))
    plain = [
        make_example_env(c_service_binary(), observation_space="features", reward_space="runtime")
        for _ in range(8)
    ]
    try:
        with example_vec() as envs:
            for env in envs.envs:
                env.add_reward(RuntimeReward())
                env.reward_space = "runtime"
            observations, infos = envs.reset()
            assert observations.dtype == np.int64 and observations.shape == (8, 3)
            assert infos == {}
            expected = np.stack([env.reset() for env in plain])
            np.testing.assert_array_equal(observations, expected)
            for row in actions:
                observations, rewards, terminations, truncations, infos = envs.step(row)
                results = [env.step(int(a)) for env, a in zip(plain, row)]
                np.testing.assert_array_equal(observations, np.stack([r[0] for r in results]))
                assert rewards.dtype == np.float64
                assert rewards.tolist() == [r[1] for r in results]
                assert terminations.tolist() == [r[2] for r in results]
                assert truncations.tolist() == [False] * 8
                assert infos["action_had_no_effect"].tolist() == [
                    r[3]["action_had_no_effect"] for r in results
                ]
                assert infos["_action_had_no_effect"].all()
            for env, p in zip(envs.envs, plain):
                assert env.episode_actions() == p.episode_actions() == env.actions
                assert env.state.commandline == p.state.commandline
                assert env.episode_reward == p.episode_reward
    finally:
        for env in plain:
            env.close()


def test_rejected_action_ends_the_episode_with_an_error():
    with example_vec(num_envs=2) as envs:
        envs.reset()
        observations, rewards, terminations, truncations, infos = envs.step([3, 0])
        assert terminations.tolist() == [True, False]
        assert truncations.tolist() == [False, False]
        assert infos["_error_type"].tolist() == [True, False]
        assert infos["error_type"][0] == "ValueError"
        assert infos["error_details"][0] == "Out-of-range"
        assert infos["_error_details"].tolist() == [True, False]
        # NEXT_STEP: the ended env is reset at the next step, its action ignored.
        observations, rewards, terminations, truncations, infos = envs.step([3, 0])
        assert terminations.tolist() == [False, False]
        assert "error_type" not in infos
        assert observations.tolist() == [[0, 0, 0], [0, 0, 0]]


def test_without_observation_space():
    with example_vec(num_envs=2, observation_space=None) as envs:
        observations, _ = envs.reset()
        assert observations.shape == (2, 0)
        observations, rewards, *_ = envs.step([0, 1])
        assert observations.shape == (2, 0) and rewards.tolist() == [0.0, 0.0]


def test_reset_mask_and_benchmarks():
    with example_vec(num_envs=4) as envs:
        envs.reset()
        envs.step([0, 1, 2, 0])
        mask = np.array([True, False, True, False])
        bar = "benchmark://example-compiler-v0/bar"
        observations, infos = envs.reset(options={"reset_mask": mask, "benchmark": bar})
        assert observations.shape == (4, 3) and infos == {}
        assert [str(e.benchmark) for e in envs.envs] == [bar, FOO, bar, FOO]
        assert [len(e.episode_actions()) for e in envs.envs] == [0, 1, 0, 1]
        assert [e.actions for e in envs.envs] == [[], [1], [], [0]]
        with pytest.raises(TypeError, match="numpy array"):
            envs.reset(options={"reset_mask": [True] * 4})
        with pytest.raises(ValueError, match="shape"):
            envs.reset(options={"reset_mask": np.ones(3, dtype=bool)})
        with pytest.raises(TypeError, match="dtype"):
            envs.reset(options={"reset_mask": np.ones(4, dtype=np.int64)})
        with pytest.raises(ValueError, match="at least one"):
            envs.reset(options={"reset_mask": np.zeros(4, dtype=bool)})
        envs.reset(seed=3, options={"benchmark": [FOO, bar, FOO, bar]})
        assert [str(e.benchmark) for e in envs.envs] == [FOO, bar, FOO, bar]


def test_wrong_number_of_actions_and_no_envs():
    with example_vec(num_envs=2) as envs:
        envs.reset()
        with pytest.raises(ValueError):
            envs.step([0, 1, 2])
        with pytest.raises(ValueError):
            envs.step([0])
        # Nothing was sent: the envs go on.
        _, _, terminations, _, _ = envs.step([0, 1])
        assert terminations.tolist() == [False, False]
    with pytest.raises(ValueError):
        cgym.VecEnv(endpoint=c_service_binary(), num_envs=0, benchmark=FOO)
    with pytest.raises(TypeError, match="No endpoint"):
        cgym.VecEnv(num_envs=2)


def test_step_before_reset_fails_each_env():
    with example_vec(num_envs=2) as envs:
        _, _, terminations, _, infos = envs.step([0, 0])
        assert terminations.tolist() == [True, True]
        assert infos["_error_type"].all()


def test_borrowed_envs_are_not_freed_by_python_and_close_with_the_vector_env():
    envs = example_vec(num_envs=2)
    envs.reset()
    env = envs.env_at(1)
    env.close()  # does nothing: the vector env owns it
    del env
    import gc

    gc.collect()
    observations, *_ = envs.step([0, 0])
    assert observations.shape == (2, 3)
    borrowed = envs.env_at(0)
    forked = borrowed.fork()  # an ordinary env of its own
    try:
        assert type(forked) is cgym.CompilerEnv
        assert forked.episode_actions() == borrowed.episode_actions()
    finally:
        forked.close()
    assert borrowed.observation["features"].tolist() == [0, 0, 0]
    envs.close()
    assert envs.closed
    envs.close()  # idempotent
    with pytest.raises(cgym.ServiceIsClosed):
        borrowed.observation["features"]
    with pytest.raises(cgym.ServiceIsClosed):
        envs.step([0, 0])


# ---- Autoreset modes (gymnasium's semantics), with episodes that end -------------------------


def test_next_step_autoreset():
    with counting_vec([3, 2]) as envs:
        assert envs.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP
        assert envs.single_observation_space.dtype == np.int64
        observations, _ = envs.reset()
        assert observations.tolist() == [[0, 0, 0], [0, 0, 0]]
        obs, rew, term, trunc, _ = envs.step([0, 2])
        assert obs.tolist() == [[1, 0, 0], [0, 0, 1]] and rew.tolist() == [0.0, 1.5]
        assert term.tolist() == [False, False] and trunc.tolist() == [False, False]
        obs, rew, term, _, _ = envs.step([2, 2])
        assert obs.tolist() == [[1, 0, 1], [0, 0, 2]] and rew.tolist() == [1.5, 1.5]
        assert term.tolist() == [False, True]
        # Env 1 ended: this step resets it (its action ignored): the reset's observation,
        # reward 0, not terminated.
        obs, rew, term, _, infos = envs.step([1, 2])
        assert obs.tolist() == [[1, 1, 1], [0, 0, 0]] and rew.tolist() == [0.0, 0.0]
        assert term.tolist() == [True, False]
        assert "final_obs" not in infos
        obs, rew, term, _, _ = envs.step([2, 2])
        assert obs.tolist() == [[0, 0, 0], [0, 0, 1]] and rew.tolist() == [0.0, 1.5]
        assert term.tolist() == [False, False]
        assert envs.envs[0].actions == [] and envs.envs[1].actions == [2]


def test_same_step_autoreset():
    with counting_vec([3, 2], autoreset_mode=AutoresetMode.SAME_STEP) as envs:
        assert envs.metadata["autoreset_mode"] is AutoresetMode.SAME_STEP
        envs.reset()
        obs, rew, term, _, infos = envs.step([0, 2])
        assert "final_obs" not in infos and "final_info" not in infos
        # Env 1 ends and is reset in the same step: its row is the reset's observation, the
        # ended step's observation and info are in final_obs and final_info.
        obs, rew, term, _, infos = envs.step([2, 2])
        assert obs.tolist() == [[1, 0, 1], [0, 0, 0]]
        assert rew.tolist() == [1.5, 1.5] and term.tolist() == [False, True]
        assert infos["_final_obs"].tolist() == [False, True]
        assert infos["final_obs"][0] is None
        assert infos["final_obs"][1].tolist() == [0, 0, 2]
        assert infos["_final_info"].tolist() == [False, True]
        assert infos["final_info"]["action_had_no_effect"].tolist() == [False, False]
        assert infos["final_info"]["_action_had_no_effect"].tolist() == [False, True]
        # The reset env is stepped normally at the next step.
        obs, rew, term, _, infos = envs.step([1, 1])
        assert obs.tolist() == [[0, 0, 0], [0, 1, 0]] and term.tolist() == [True, False]
        assert infos["final_obs"][0].tolist() == [1, 1, 1]
        assert infos["_final_obs"].tolist() == [True, False]
        assert envs.envs[0].actions == [] and envs.envs[1].actions == [1]


def test_disabled_autoreset_and_reset_mask():
    with counting_vec([3, 2], autoreset_mode="Disabled") as envs:
        assert envs.metadata["autoreset_mode"] is AutoresetMode.DISABLED
        envs.reset()
        envs.step([0, 2])
        obs, rew, term, _, infos = envs.step([2, 2])
        assert obs.tolist() == [[1, 0, 1], [0, 0, 2]] and term.tolist() == [False, True]
        assert "final_obs" not in infos
        # The ended env is reset by the caller; the other keeps its last observation.
        obs, infos = envs.reset(options={"reset_mask": np.array([False, True])})
        assert obs.tolist() == [[1, 0, 1], [0, 0, 0]] and infos == {}
        obs, rew, term, _, _ = envs.step([1, 1])
        assert obs.tolist() == [[1, 1, 1], [0, 1, 0]] and term.tolist() == [True, False]
        assert rew.tolist() == [0.0, 0.0]


def test_autoreset_mode_can_change():
    with counting_vec([2, 2]) as envs:
        envs.autoreset_mode = AutoresetMode.SAME_STEP
        assert envs.metadata["autoreset_mode"] is AutoresetMode.SAME_STEP
        envs.reset()
        envs.step([0, 0])
        obs, _, term, _, infos = envs.step([0, 0])
        assert term.tolist() == [True, True] and obs.tolist() == [[0, 0, 0]] * 2
        assert infos["_final_obs"].all()
        with pytest.raises(ValueError):
            envs.autoreset_mode = "Sometimes"


def test_scalar_observation_space():
    with counting_vec([5, 5], observation_space="score") as envs:
        assert envs.single_observation_space.shape == ()
        obs, _ = envs.reset()
        assert obs.dtype == np.float64 and obs.shape == (2,)
        obs, *_ = envs.step([2, 0])
        assert obs.tolist() == [1.5, 0.0]


def test_values_equal_plain_envs_with_episodes_that_end():
    lengths = [2, 3, 4, 5]
    endpoint = register_inproc(CountingSession, "counting")
    plain = [counting_env(endpoint, n) for n in lengths]
    try:
        with counting_vec(lengths, autoreset_mode=AutoresetMode.SAME_STEP) as envs:
            obs, _ = envs.reset()
            np.testing.assert_array_equal(obs, np.stack([e.reset() for e in plain]))
            rng = np.random.default_rng(0)
            for _ in range(12):
                actions = rng.integers(0, 3, size=4)
                obs, rew, term, _, infos = envs.step(actions)
                for i, (env, a) in enumerate(zip(plain, actions)):
                    o, r, d, _ = env.step(int(a))
                    assert rew[i] == r and term[i] == d
                    if d:
                        np.testing.assert_array_equal(infos["final_obs"][i], o)
                        o = env.reset()
                    np.testing.assert_array_equal(obs[i], o)
    finally:
        for env in plain:
            env.close()


# ---- StepQueue --------------------------------------------------------------------------------


def test_step_queue_results_and_tags():
    endpoint = register_inproc(CountingSession, "counting")
    envs = [counting_env(endpoint, 10) for _ in range(3)]
    try:
        for env in envs:
            env.reset()
        with cgym.StepQueue() as queue:
            assert len(queue) == 0
            for i, env in enumerate(envs):
                queue.submit(env, i, tag=100 + i)
            assert len(queue) == 3
            results = {}
            while len(queue):
                tag, observation, reward, done, info = queue.next(timeout=60)
                results[tag] = (observation.tolist(), reward, done, info)
            assert results == {
                100: (
                    [1, 0, 0],
                    0.0,
                    False,
                    {"action_had_no_effect": False, "new_action_space": False},
                ),
                101: (
                    [0, 1, 0],
                    0.0,
                    False,
                    {"action_had_no_effect": False, "new_action_space": False},
                ),
                102: (
                    [0, 0, 1],
                    1.5,
                    False,
                    {"action_had_no_effect": False, "new_action_space": False},
                ),
            }
            # A list of actions, by name, with named spaces: lists back, as env.step gives.
            queue.submit(
                envs[0], ["c", "c"], observation_spaces=["score"], reward_spaces=["score"], tag=7
            )
            tag, observations, rewards, done, _ = queue.next()
            assert tag == 7 and observations == [3.0] and rewards == [3.0] and done is False
            assert envs[0].actions == [0, 2, 2]
            assert envs[0].episode_actions() == [0, 2, 2]
    finally:
        for env in envs:
            env.close()


def test_step_queue_same_results_as_env_step():
    a = make_example_env(c_service_binary(), observation_space="features")
    b = make_example_env(c_service_binary(), observation_space="features")
    try:
        a.reset()
        b.reset()
        with cgym.StepQueue() as queue:
            queue.submit(a, "b", reward_spaces=["runtime"])
            _, observation, rewards, done, info = queue.next()
        expected = b.step("b", reward_spaces=["runtime"])
        assert observation.tolist() == expected[0].tolist()
        assert (rewards, done, info) == expected[1:]
        assert a.actions == b.actions == [1]
    finally:
        a.close()
        b.close()


def test_step_queue_errors():
    with cgym.StepQueue() as queue:
        # An empty queue: OUT_OF_RANGE, a ServiceError.
        with pytest.raises(cgym.ServiceError, match="No step in the queue") as caught:
            queue.next(timeout=0)
        assert caught.value.code == cgym.errors.OUT_OF_RANGE
        with make_example_env(c_service_binary(), observation_space="features") as env:
            # Before reset: the error comes at once, nothing is queued.
            with pytest.raises(cgym.SessionNotFound):
                queue.submit(env, 0)
            assert len(queue) == 0
            env.reset()
            with pytest.raises(cgym.SpaceNotFoundError):
                queue.submit(env, 0, observation_spaces=["nope"])
            queue.submit(env, 0, tag=1)
            # The env is busy: another step, or any other call with it, fails.
            with pytest.raises(TypeError, match="step in flight"):
                queue.submit(env, 0, tag=2)
            with pytest.raises(TypeError, match="step in flight"):
                env.step(0)
            assert len(queue) == 1
            assert queue.next(timeout=60)[0] == 1
            # An action the service rejects: raised from next(), with the tag, once the env
            # is free again; the episode goes on, as with env.step.
            queue.submit(env, 5, tag=42)
            with pytest.raises(ValueError, match="Out-of-range") as caught:
                queue.next(timeout=60)
            assert caught.value.tag == 42
            assert env.step(1)[2] is False
            queue.submit(env, 0, tag=3)
            for bad in (-1.0, float("nan")):
                with pytest.raises(ValueError):
                    queue.next(timeout=bad)
            assert queue.next()[0] == 3
    queue.close()
    assert len(queue) == 0
    with pytest.raises(ValueError, match="closed"):
        queue.next()


# ---- gymnasium ----------------------------------------------------------------------------------


def test_gymnasium_make_vec_of_llvm(llvm):
    envs = gymnasium.make_vec(
        "llvm-autophase-ic-v0", num_envs=2, vectorization_mode="vector_entry_point"
    )
    try:
        assert isinstance(envs, cgym.VecEnv)
        assert envs.single_observation_space.shape == (56,)
        observations, infos = envs.reset()
        assert observations.dtype == np.int64 and observations.shape == (2, 56)
        assert envs.observation_space.contains(observations)
        observations, rewards, terminations, truncations, infos = envs.step(
            envs.action_space.sample()
        )
        assert observations.shape == (2, 56) and rewards.dtype == np.float64
        assert terminations.tolist() == [False, False]
        assert isinstance(envs.env_at(0), cgym.LlvmEnv)
        assert envs.env_at(0).env_id == "llvm-autophase-ic-v0"
        assert str(envs.env_at(1).benchmark) == "benchmark://cgym-v0/sorting"
    finally:
        envs.close()


def test_make_vec_of_every_llvm_id(llvm):
    for env_id in cgym.env_ids():
        with cgym.make_vec(env_id, 1, endpoint="inproc") as envs:
            observations, _ = envs.reset()
            assert observations.shape[0] == 1
            assert gymnasium.spec(env_id).vector_entry_point == (
                "cgym.vector:make_gymnasium_vec_env"
            )
