# SPDX-License-Identifier: MIT
import cgym

with cgym.make("llvm-ic-v0") as env:  # the package's own LLVM service
    env.reset()  # benchmark://cgym-v0/sorting
    for action in ["-mem2reg", "-sroa", "-instcombine", "-simplifycfg", "-gvn"]:
        # reward: the instructions cut, relative to -Oz (IrInstructionCountOz)
        observation, reward, done, info = env.step(action)
        print(f"{action}: reward {reward:g}")
        if done:
            break
    print(env.benchmark, env.observation["IrInstructionCount"], "instructions")
