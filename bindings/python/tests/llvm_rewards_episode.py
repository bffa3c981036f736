#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The cross-language reward episode: llvm-v0 in this process on benchmark://cgym-v0/fibonacci,
one step per action below asking for the twelve cost rewards, and one line per reward:
<step from 1>\\t<action>\\t<reward>\\t<the double's IEEE-754 bits as 16 lowercase hex digits>.
Every language's binding prints exactly the same 120 lines. Any error goes to stderr, exit 1.

    python bindings/python/tests/llvm_rewards_episode.py
"""

import struct
import sys

ACTIONS = [
    "-mem2reg",
    "-sroa",
    "-instcombine",
    "-simplifycfg",
    "-gvn",
    "-licm",
    "-loop-unroll",
    "-inline",
    "-dce",
    "-globaldce",
]
REWARDS = [
    "IrInstructionCount",
    "IrInstructionCountNorm",
    "IrInstructionCountO3",
    "IrInstructionCountOz",
    "ObjectTextSizeBytes",
    "ObjectTextSizeNorm",
    "ObjectTextSizeO3",
    "ObjectTextSizeOz",
    "TextSizeBytes",
    "TextSizeNorm",
    "TextSizeO3",
    "TextSizeOz",
]


def bits(value: float) -> str:
    return struct.pack(">d", value).hex()


def main() -> int:
    try:
        import cgym

        lines = []
        with cgym.make("llvm-v0", "inproc", benchmark="benchmark://cgym-v0/fibonacci") as env:
            env.reset()
            for step, action in enumerate(ACTIONS, start=1):
                _, rewards, _, info = env.step(action, reward_spaces=REWARDS)
                if info.get("error_details"):
                    raise RuntimeError(
                        f"step {step} ({action}) failed: {info.get('error_type')}: "
                        f"{info['error_details']}"
                    )
                for name, reward in zip(REWARDS, rewards):
                    lines.append(f"{step}\t{action}\t{name}\t{bits(float(reward))}\n")
    except Exception as e:  # noqa: BLE001 (any error: reported, exit 1)
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
