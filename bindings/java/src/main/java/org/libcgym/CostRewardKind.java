// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * Kinds of cost reward ({@link CompilerEnv#addCostReward}; cgym.h's CGYM_COST_REWARD_*, whose
 * values ConstantsTest checks against the JNI layer's table). With C the cost after a step, C0
 * the cost of the unmodified benchmark and Cb the baseline's cost:
 *
 * <ul>
 *   <li>{@link #DELTA}: r = C(prev) - C(now);
 *   <li>{@link #NORMALIZED}: r = (C(prev) - C(now)) / C0;
 *   <li>{@link #BASELINE}: r = (C(prev) - C(now)) / max(C0 - Cb, 1).
 * </ul>
 *
 * Before the first step of an episode C(prev) is C0.
 */
public enum CostRewardKind {
  DELTA(0), NORMALIZED(1), BASELINE(2);

  private final int value;

  CostRewardKind(int value) {
    this.value = value;
  }

  /** The C constant. */
  public int value() {
    return value;
  }
}
