// SPDX-License-Identifier: MIT
package org.libcgym.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.libcgym.Cgym;
import org.libcgym.CompilerEnv;
import org.libcgym.Options;
import org.libcgym.StepResult;

/**
 * A greedy search for a pass sequence on llvm-ic-v0, in-process: at each step it tries every
 * pass on a fork of the env and keeps the one that removes the most instructions, until no pass
 * helps (or a step or time limit). Prints the best commandline and its ratio to -Oz: the
 * episode's summed IrInstructionCountOz reward, where 1.0 is as good as -Oz and more is better.
 *
 * <pre>
 * bash bindings/java/build.sh run org.libcgym.examples.LlvmSearch [BENCHMARK] [MAX_STEPS]
 * </pre>
 *
 * BENCHMARK is a URI (default benchmark://cgym-v0/fibonacci, one of the bundled programs:
 * {@code Cgym.datasets("llvm-ic-v0")}) or the path of a C/C++ source or LLVM file, made into a
 * benchmark with {@link Cgym#makeBenchmark}. MAX_STEPS defaults to 12.
 */
public final class LlvmSearch {
  private LlvmSearch() {}

  /** Stops looking for a further pass after this long, so the example stays short. */
  private static final long BUDGET_NANOS = 25_000_000_000L;

  public static void main(String[] args) {
    int maxSteps = 12;
    try {
      if (args.length > 1) maxSteps = Integer.parseInt(args[1]);
    } catch (NumberFormatException e) {
      System.err.println("usage: LlvmSearch [BENCHMARK] [MAX_STEPS]");
      System.exit(2);
    }
    try {
      search(args.length > 0 ? args[0] : "benchmark://cgym-v0/fibonacci", maxSteps);
    } catch (RuntimeException e) {
      System.err.println("LlvmSearch: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void search(String benchmark, int maxSteps) {
    long start = System.nanoTime();
    Options options = new Options();
    if (!benchmark.contains("://") && Files.isRegularFile(Path.of(benchmark))) {
      options.benchmark(Cgym.makeBenchmark(Path.of(benchmark)));
    } else {
      options.benchmark(benchmark);
    }
    try (CompilerEnv env = Cgym.make("llvm-ic-v0", Cgym.INPROC, options)) {
      env.reset();
      List<String> names = env.actionSpace().actionNames();
      long initial = env.observe("IrInstructionCount").asLong();
      long oz = env.observe("IrInstructionCountOz").asLong();
      List<String> best = new ArrayList<>();
      while (best.size() < maxSteps && System.nanoTime() - start < BUDGET_NANOS) {
        int bestAction = -1;
        double bestReward = 0;
        for (int action = 0; action < names.size(); ++action) {
          // A large program may not get through every pass in time: keep the best so far.
          if (System.nanoTime() - start >= BUDGET_NANOS) break;
          try (CompilerEnv fork = env.fork()) {
            StepResult result = fork.step(action);
            // A pass that fails (the step ends the episode) is just not a candidate.
            if (!result.errorType().isEmpty()) continue;
            if (result.reward() > bestReward) {
              bestReward = result.reward();
              bestAction = action;
            }
          }
        }
        if (bestAction < 0) break;  // no pass removes an instruction: a local optimum
        env.step(bestAction);
        best.add(names.get(bestAction));
        System.out.printf("step %d: %s (reward %.4f)%n", best.size(), names.get(bestAction),
            bestReward);
      }
      long count = env.observe("IrInstructionCount").asLong();
      System.out.println("benchmark: " + env.benchmark());
      System.out.println("best commandline: opt " + String.join(" ", best)
          + " input.bc -o output.bc");
      System.out.printf("instructions: %d -> %d (-Oz: %d)%n", initial, count, oz);
      System.out.printf("ratio to -Oz (summed IrInstructionCountOz reward): %.4f%n",
          env.episodeReward());
      System.out.printf("search time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
  }
}
