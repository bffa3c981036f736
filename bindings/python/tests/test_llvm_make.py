# SPDX-License-Identifier: MIT
"""cgym.make(): the LLVM environment by id (cgym_make), managed and in-process, with each id's
default spaces; the ids registered with gymnasium; unknown ids and a missing service; the
twelve cost rewards computed by hand from observations."""

import math

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import cgym
from llvm_support import ENDPOINTS, FIBONACCI, IDS, SORTING


def endpoint_id(endpoint):
    return "managed" if endpoint is None else endpoint


def test_env_ids():
    assert cgym.env_ids() == list(IDS)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
@pytest.mark.parametrize("env_id", list(IDS))
def test_make_has_the_ids_defaults(llvm, env_id, endpoint):
    observation_space, reward_space = IDS[env_id]
    with cgym.make(env_id, endpoint) as env:
        assert isinstance(env, cgym.LlvmEnv) and isinstance(env, cgym.CompilerEnv)
        assert env.env_id == env_id
        assert str(env.benchmark) == SORTING
        assert env.action_space.name == "PassesAll"
        assert isinstance(env.action_space, cgym.spaces.NamedDiscrete)
        assert len(env.action_space.names) == 124
        if observation_space is None:
            assert env.observation_space_spec is None and env.observation_space is None
        else:
            assert env.observation_space_spec.id == observation_space
        if reward_space is None:
            assert env.reward_space is None
        else:
            assert env.reward_space.name == reward_space
        # The twelve cost rewards are there whatever the id.
        assert {"IrInstructionCountOz", "ObjectTextSizeNorm", "TextSizeBytes"} <= set(
            env.reward.spaces
        )
        assert isinstance(env.reward.spaces["IrInstructionCountOz"], cgym.CostReward)

        observation = env.reset()
        assert str(env.benchmark) == SORTING
        if observation_space is None:
            assert observation is None
        else:
            assert observation.dtype == np.int64 and observation.shape == (56,)
        observation, reward, done, info = env.step("-mem2reg")
        assert not done, info
        if reward_space is None:
            assert reward is None
        else:
            assert isinstance(reward, float) and math.isfinite(reward)
            assert env.episode_reward == pytest.approx(reward)
        assert env.actions == [env.action_space["-mem2reg"]]
        assert env.commandline_to_actions(env.commandline()) == [env.action_space["-mem2reg"]]


def test_make_with_spaces_and_benchmark(llvm):
    with cgym.make(
        "llvm-autophase-ic-v0",
        "inproc",
        benchmark="cgym-v0/fibonacci",
        observation_space="IrInstructionCount",
        reward_space=None,
    ) as env:
        assert str(env.benchmark) == FIBONACCI
        count = env.reset()
        assert isinstance(count, int) and count > 0
        assert env.reward_space is None
        _, reward, done, _ = env.step("-mem2reg")
        assert reward is None and not done
    # None for a space means none, also for an id whose default has one.
    with cgym.make("llvm-autophase-ic-v0", "inproc", observation_space=None) as env:
        assert env.reset() is None
        assert env.reward_space.name == "IrInstructionCountOz"


def test_make_with_a_benchmark_of_program_bytes(llvm):
    benchmark = cgym.make_benchmark_from_source("int cube(int x) { return x * x * x; }\n")
    assert benchmark.program
    with cgym.make("llvm-v0", "inproc", benchmark=benchmark) as env:
        assert env.benchmark is benchmark
        env.reset()
        assert str(env.benchmark) == benchmark.uri
        assert "cube" in env.observation["Ir"]


def test_make_with_a_service_someone_else_runs(llvm, unmanaged_service):
    endpoint = unmanaged_service(cgym.env_service_path("llvm-ic-v0"))
    assert endpoint.startswith("127.0.0.1:")
    with cgym.make("llvm-ic-v0", endpoint, benchmark=FIBONACCI) as env:
        assert env.service_endpoint == endpoint
        env.reset()
        _, reward, done, _ = env.step("-mem2reg")
        assert reward > 0 and not done


def test_cost_reward_descriptions(llvm):
    with cgym.make("llvm-codesize-v0", "inproc") as env:
        rewards = env.reward.spaces
        oz = rewards["ObjectTextSizeOz"]
        assert env.reward_space is oz
        assert (oz.cost_space, oz.initial_cost_space, oz.baseline_cost_space) == (
            "ObjectTextSizeBytes",
            "ObjectTextSizeO0",
            "ObjectTextSizeOz",
        )
        assert oz.kind == cgym.reward.COST_REWARD_BASELINE and oz.success_threshold == 1
        assert oz.deterministic and oz.platform_dependent
        ir = rewards["IrInstructionCount"]
        assert ir.kind == cgym.reward.COST_REWARD_DELTA and ir.success_threshold is None
        assert ir.deterministic and not ir.platform_dependent
        assert rewards["TextSizeNorm"].kind == cgym.reward.COST_REWARD_NORMALIZED


def test_datasets_module_is_also_the_function():
    assert [d.name for d in cgym.datasets("llvm-v0")][0] == "benchmark://cgym-v0"
    assert cgym.datasets.Benchmark is cgym.Benchmark
    from cgym.datasets import Dataset

    assert Dataset is cgym.Dataset


def test_make_forks_are_llvm_envs(llvm):
    with cgym.make("llvm-ic-v0", "inproc", benchmark=FIBONACCI) as env:
        env.reset()
        env.step("-mem2reg")
        fork = env.fork()
        try:
            assert isinstance(fork, cgym.LlvmEnv) and fork.env_id == "llvm-ic-v0"
            assert fork.reward_space.name == "IrInstructionCountOz"
            assert fork.observation["IrSha1"] == env.observation["IrSha1"]
        finally:
            fork.close()


def test_unknown_benchmark_of_a_dataset_is_a_lookup_error(llvm):
    with pytest.raises(LookupError, match="cgym-v0/no-such-program"):
        cgym.make("llvm-v0", "inproc", benchmark="cgym-v0/no-such-program")


def test_unknown_id():
    with pytest.raises(FileNotFoundError) as caught:
        cgym.make("llvm-nope-v0")
    assert caught.value.code == cgym.errors.NOT_FOUND
    # The message lists the ids.
    assert "llvm-autophase-codesize-v0" in str(caught.value)
    with pytest.raises(FileNotFoundError):
        cgym.datasets("llvm-nope-v0")
    with pytest.raises(gymnasium.error.Error):
        gymnasium.make("llvm-nope-v0")


def test_missing_service_is_environment_not_supported(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-service"
    monkeypatch.setenv("CGYM_LLVM_SERVICE", str(missing))
    with pytest.raises(cgym.EnvironmentNotSupported) as caught:
        cgym.make("llvm-v0")
    assert caught.value.code == cgym.errors.ENVIRONMENT_NOT_SUPPORTED
    assert isinstance(caught.value, cgym.ServiceInitError)
    assert "CGYM_LLVM_SERVICE" in str(caught.value)
    with pytest.raises(cgym.EnvironmentNotSupported):
        cgym.env_service_path("llvm-v0")


# ---- gymnasium -------------------------------------------------------------------------------


@pytest.mark.parametrize("env_id", list(IDS))
def test_gymnasium_make(llvm, env_id):
    observation_space, reward_space = IDS[env_id]
    env = gymnasium.make(env_id, endpoint="inproc", benchmark=FIBONACCI)
    try:
        assert isinstance(env, gymnasium.Env)
        assert isinstance(env.unwrapped, cgym.wrappers.GymnasiumEnv)
        assert str(env.unwrapped.env.benchmark) == FIBONACCI
        observation, info = env.reset(seed=0)
        assert info == {}
        if observation_space is None:
            assert observation is None and env.observation_space is None
        else:
            assert env.observation_space.contains(observation)
        result = env.step(env.action_space["-mem2reg"])
        assert len(result) == 5
        observation, reward, terminated, truncated, info = result
        assert isinstance(reward, float)
        if reward_space is None:
            assert reward == 0.0
        assert terminated is False and truncated is False
        assert info["action_had_no_effect"] is False
    finally:
        env.close()


@pytest.mark.parametrize("env_id", ["llvm-autophase-ic-v0", "llvm-autophase-codesize-v0"])
def test_gymnasium_env_checker(llvm, env_id):
    env = gymnasium.make(env_id, endpoint="inproc", benchmark=FIBONACCI)
    try:
        check_env(env.unwrapped, skip_render_check=True)
    finally:
        env.close()


def test_gymnasium_make_managed(llvm):
    env = gymnasium.make("llvm-autophase-ic-v0")
    try:
        observation, _ = env.reset(options={"benchmark": FIBONACCI})
        assert observation.shape == (56,)
        assert str(env.unwrapped.env.benchmark) == FIBONACCI
        _, reward, terminated, _, _ = env.step(env.action_space["-mem2reg"])
        assert reward > 0 and not terminated
    finally:
        env.close()


def test_gymnasium_registration_keeps_an_existing_id():
    spec = gymnasium.spec("llvm-ic-v0")
    assert spec.entry_point == "cgym.wrappers:make_gymnasium_env"
    assert spec.kwargs == {"env_id": "llvm-ic-v0"}
    cgym.llvm.register_gymnasium_envs()  # again: nothing changes
    assert gymnasium.spec("llvm-ic-v0") is spec


# ---- Rewards ---------------------------------------------------------------------------------

GROUPS = {
    # cost observation: (plain reward, prefix of the other rewards and of the O0/O3/Oz spaces)
    "IrInstructionCount": ("IrInstructionCount", "IrInstructionCount"),
    "ObjectTextSizeBytes": ("ObjectTextSizeBytes", "ObjectTextSize"),
    "TextSizeBytes": ("TextSizeBytes", "TextSize"),
}
REWARDS = [
    name
    for plain, prefix in GROUPS.values()
    for name in (plain, prefix + "Norm", prefix + "O3", prefix + "Oz")
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
def test_rewards_from_observations(llvm, endpoint):
    """The twelve rewards of each step equal what the observations give: delta = prev - now,
    Norm = delta / O0, O3 and Oz = delta / max(O0 - baseline, 1), with prev = O0 before the
    first step."""
    with cgym.make("llvm-v0", endpoint, benchmark=FIBONACCI) as env:
        env.reset()
        initial, previous = {}, {}
        for cost, (_, prefix) in GROUPS.items():
            initial[cost] = {level: env.observation[prefix + level] for level in ("O0", "O3", "Oz")}
            previous[cost] = initial[cost]["O0"]
        for action in ("-mem2reg", "-instcombine", "-simplifycfg", "-dce"):
            costs, rewards, done, info = env.step(
                action, observation_spaces=list(GROUPS), reward_spaces=REWARDS
            )
            assert not done, info
            got = dict(zip(REWARDS, rewards))
            for cost, now in zip(GROUPS, costs):
                plain, prefix = GROUPS[cost]
                o0, o3, oz = (initial[cost][level] for level in ("O0", "O3", "Oz"))
                delta = previous[cost] - now
                assert got[plain] == delta, (action, plain)
                # Exact: one division of integers held exactly in doubles.
                assert got[prefix + "Norm"] == delta / o0, (action, prefix)
                assert got[prefix + "O3"] == delta / max(o0 - o3, 1), (action, prefix)
                assert got[prefix + "Oz"] == delta / max(o0 - oz, 1), (action, prefix)
                previous[cost] = now
        # The instruction count did go down on the way.
        assert previous["IrInstructionCount"] < initial["IrInstructionCount"]["O0"]


def test_add_cost_reward(llvm):
    with cgym.make("llvm-v0", "inproc", benchmark=FIBONACCI) as env:
        env.add_cost_reward(
            "Mine",
            "IrInstructionCount",
            "IrInstructionCountO0",
            "IrInstructionCountOz",
            cgym.reward.COST_REWARD_BASELINE,
            deterministic=True,
            platform_dependent=False,
        )
        assert env.reward.spaces["Mine"].success_threshold == 1
        env.reset(reward_space="Mine")
        _, reward, _, _ = env.step("-mem2reg", reward_spaces=["Mine", "IrInstructionCountOz"])
        assert reward[0] == reward[1]
        with pytest.raises(FileNotFoundError):
            env.add_cost_reward("Bad", "NoSuchSpace", "IrInstructionCountO0")
        with pytest.raises(ValueError):
            env.add_cost_reward(
                "Bad", "IrInstructionCount", "IrInstructionCountO0", None, 2
            )  # a baseline kind without its baseline space
