# SPDX-License-Identifier: MIT
"""A random agent on the Python binding (`cgym`): episodes of random actions against a
service, printing each step, then a fork. Usage: random_agent.py SERVICE [EPISODES [STEPS]]"""

import sys

import cgym


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint = sys.argv[1]
    episodes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with cgym.CompilerEnv(
        endpoint, benchmark="benchmark://example-compiler-v0/foo", observation_space="features"
    ) as env:
        env.action_space.seed(0)
        print(
            f"Python agent on {endpoint}: compiler {env.compiler_version}, "
            f"action space {env.action_space.name}"
        )
        for episode in range(episodes):
            observation = env.reset()
            print(f"Episode {episode}: reset -> {observation.tolist()}")
            for step in range(steps):
                action = env.action_space.sample()
                observation, _, done, _ = env.step(action)
                print(
                    f"  step {step}: action {env.action_space.names[action]} -> "
                    f"{observation.tolist()}{' (done)' if done else ''}"
                )
                if done:
                    break
            print(f"  state: {env.state}")
        fork = env.fork()
        print(f"Forked the last episode: {len(fork.actions)} actions on the fork")
        fork.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
