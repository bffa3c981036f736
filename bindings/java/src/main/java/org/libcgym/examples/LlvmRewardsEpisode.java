// SPDX-License-Identifier: MIT
package org.libcgym.examples;

import java.util.List;
import org.libcgym.Cgym;
import org.libcgym.CompilerEnv;
import org.libcgym.Event;
import org.libcgym.NotFoundException;
import org.libcgym.Options;
import org.libcgym.StepResult;

/**
 * The cross-language reward episode: llvm-v0 in-process on benchmark://cgym-v0/fibonacci, ten
 * actions by name, each step asking for the twelve cost rewards; prints one line per reward,
 * {@code <step from 1>\t<action>\t<reward>\t<16 hex digits of the double's bits>}, and nothing
 * else on stdout. Every language's printer prints the same 120 lines, so comparing them checks
 * the rewards bit for bit. Any error goes to stderr, with exit status 1.
 *
 * <pre>bash bindings/java/build.sh run org.libcgym.examples.LlvmRewardsEpisode</pre>
 */
public final class LlvmRewardsEpisode {
  private LlvmRewardsEpisode() {}

  static final String BENCHMARK = "benchmark://cgym-v0/fibonacci";
  static final List<String> ACTIONS = List.of("-mem2reg", "-sroa", "-instcombine", "-simplifycfg",
      "-gvn", "-licm", "-loop-unroll", "-inline", "-dce", "-globaldce");
  static final List<String> REWARDS = List.of("IrInstructionCount", "IrInstructionCountNorm",
      "IrInstructionCountO3", "IrInstructionCountOz", "ObjectTextSizeBytes", "ObjectTextSizeNorm",
      "ObjectTextSizeO3", "ObjectTextSizeOz", "TextSizeBytes", "TextSizeNorm", "TextSizeO3",
      "TextSizeOz");

  public static void main(String[] args) {
    // stdout carries only the reward lines: written in full, or not at all on error.
    StringBuilder out = new StringBuilder();
    try (CompilerEnv env = Cgym.make("llvm-v0", Cgym.INPROC, new Options().benchmark(BENCHMARK))) {
      env.reset();
      List<String> names = env.actionSpace().actionNames();
      for (int step = 0; step < ACTIONS.size(); ++step) {
        String action = ACTIONS.get(step);
        int index = names.indexOf(action);
        if (index < 0) throw new NotFoundException("Unknown action: " + action);
        StepResult result = env.step(List.of(Event.ofLong(index)), List.of(), REWARDS);
        if (!result.errorType().isEmpty()) {
          throw new IllegalStateException("step " + (step + 1) + " (" + action + ") failed: "
              + result.errorType() + ": " + result.errorDetails());
        }
        double[] rewards = result.rewards();
        for (int i = 0; i < REWARDS.size(); ++i) {
          out.append(step + 1).append('\t').append(action).append('\t').append(REWARDS.get(i))
              .append('\t')
              .append(String.format("%016x", Double.doubleToRawLongBits(rewards[i])))
              .append('\n');
        }
      }
    } catch (RuntimeException | LinkageError e) {
      System.err.println("LlvmRewardsEpisode: " + e);
      System.exit(1);
    }
    System.out.print(out);
    System.out.flush();
    if (System.out.checkError()) {
      System.err.println("LlvmRewardsEpisode: cannot write to stdout");
      System.exit(1);
    }
  }
}
