# SPDX-License-Identifier: MIT
"""Trains a phase-ordering policy on llvm-autophase-ic-v0 through a cgym.VecEnv.

The policy is linear and softmax: from an episode's Autophase features (56 counts, normalised
as log(1 + x) / log(1 + max x), plus a bias) it draws each action (an LLVM pass) with
probability softmax(W x). Its weights W are searched by CMA-ES, an evolution strategy: each
iteration, CMA-ES proposes a population of weight vectors, each is scored by the reward of
its episodes (IrInstructionCountOz: the instructions saved, as a fraction of what -Oz saves),
and CMA-ES moves its search distribution towards the best. The episodes of a population run
on the VecEnv's envs at once, one candidate per env, all stepped together in C.

Library: `cma` (pycma), the reference implementation of CMA-ES by its author, maintained since
2008: pure Python over numpy, so it installs in seconds. The deep-RL libraries (RLlib,
stable-baselines3) need torch, whose wheels pull gigabytes of CUDA packages. A separable
(diagonal) CMA-ES keeps the search linear in the number of weights (57 per action).

    python examples/python/rl_autophase.py --iterations 10 --num-envs 4 --episode-length 10

prints, per iteration, the mean and best episode reward of the population. Deterministic for
a given --seed (the benchmarks are deterministic; actions are drawn from a seeded generator).
"""

import argparse
import sys
import warnings

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # pycma warns that matplotlib (for its plots) is missing
    import cma

import cgym
from cgym.vector import AutoresetMode


def features(observations: np.ndarray) -> np.ndarray:
    """Normalised Autophase features with a bias column: log(1 + x) scaled to [0, 1] per row
    (programs differ in size by orders of magnitude; the proportions are what matters)."""
    x = np.log1p(np.maximum(observations, 0).astype(np.float64))
    x /= np.maximum(x.max(axis=1, keepdims=True), 1.0)
    return np.hstack([x, np.ones((x.shape[0], 1))])


def softmax_actions(weights: np.ndarray, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One action per row of x, drawn from softmax(W x) with that row's weights."""
    logits = np.einsum("nad,nd->na", weights, x)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    u = rng.random((len(x), 1))
    return np.minimum((p.cumsum(axis=1) < u).sum(axis=1), p.shape[1] - 1)


def evaluate(envs: cgym.VecEnv, candidates, benchmarks, episode_length, rng) -> np.ndarray:
    """The mean episode reward of each candidate over the benchmarks: the candidates run in
    rounds of num_envs, one per env, their episodes stepped together."""
    n, num_actions = envs.num_envs, envs.single_action_space.n
    scores = np.zeros(len(candidates))
    for benchmark in benchmarks:
        for start in range(0, len(candidates), n):
            chosen = list(range(start, min(start + n, len(candidates))))
            # Envs without a candidate this round replay the first one (their rewards unused).
            slots = chosen + [chosen[0]] * (n - len(chosen))
            weights = np.stack([candidates[k].reshape(num_actions, -1) for k in slots])
            observations, _ = envs.reset(options={"benchmark": benchmark})
            total = np.zeros(n)
            running = np.ones(n, dtype=bool)
            for _ in range(episode_length):
                actions = softmax_actions(weights, features(observations), rng)
                observations, rewards, terminated, truncated, _ = envs.step(actions)
                total += np.where(running, rewards, 0.0)
                running &= ~(terminated | truncated)
                if not running.any():
                    break
            scores[chosen] += total[: len(chosen)] / len(benchmarks)
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=10, help="CMA-ES iterations")
    parser.add_argument("--num-envs", type=int, default=4, help="envs of the VecEnv")
    parser.add_argument("--episode-length", type=int, default=10, help="steps per episode")
    parser.add_argument("--population", type=int, default=8, help="candidates per iteration")
    parser.add_argument("--sigma", type=float, default=0.5, help="CMA-ES initial step size")
    parser.add_argument("--seed", type=int, default=0, help="seed of CMA-ES and of the actions")
    parser.add_argument(
        "--benchmark",
        action="append",
        help="benchmark to train on (repeatable; default: cgym-v0/sorting)",
    )
    parser.add_argument(
        "--endpoint",
        default=None,
        help='where the compiler runs (default: managed services; "inproc")',
    )
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.num_envs < 1 or args.episode_length < 1 or args.population < 2:
        parser.error(
            "--iterations, --num-envs and --episode-length must be >= 1, --population >= 2"
        )
    benchmarks = args.benchmark or ["benchmark://cgym-v0/sorting"]
    rng = np.random.default_rng(args.seed)

    with cgym.make_vec(
        "llvm-autophase-ic-v0",
        args.num_envs,
        endpoint=args.endpoint,
        autoreset_mode=AutoresetMode.DISABLED,  # each episode is reset by evaluate()
        benchmark=benchmarks[0],
    ) as envs:
        num_actions = envs.single_action_space.n
        width = envs.single_observation_space.shape[0] + 1
        print(
            f"CMA-ES over a linear softmax policy: {num_actions} actions x {width} features, "
            f"population {args.population}, {envs.num_envs} envs on {envs.num_services} "
            f"services, benchmarks {', '.join(map(str, benchmarks))}"
        )
        strategy = cma.CMAEvolutionStrategy(
            np.zeros(num_actions * width),
            args.sigma,
            {
                "popsize": args.population,
                "seed": args.seed + 1,  # pycma draws a random seed for 0
                "CMA_diagonal": True,
                "verbose": -9,
            },
        )
        for iteration in range(1, args.iterations + 1):
            candidates = strategy.ask()
            scores = evaluate(envs, candidates, benchmarks, args.episode_length, rng)
            strategy.tell(candidates, (-scores).tolist())  # CMA-ES minimises
            print(
                f"iteration {iteration}: mean episode reward {scores.mean():.6f}, "
                f"best {scores.max():.6f}",
                flush=True,
            )
        best = evaluate(envs, [strategy.result.xfavorite], benchmarks, args.episode_length, rng)
        print(f"final policy (the search's mean): episode reward {best[0]:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
