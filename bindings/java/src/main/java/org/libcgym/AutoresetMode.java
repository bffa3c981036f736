// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * What a {@link VecEnv} does with an env whose episode ends (gymnasium's AutoresetMode;
 * cgym.h's CGYM_AUTORESET_*, whose values ConstantsTest checks against the JNI layer's table).
 */
public enum AutoresetMode {
  /**
   * The default: an env whose episode ended at one step is reset at the next step instead of
   * stepped (its action is ignored); that step's result is the reset's.
   */
  NEXT_STEP(0),
  /**
   * An env whose episode ends is reset in the same step: its result is the reset's, and the
   * step's own result is {@link VecEnv#finalResult(int)}.
   */
  SAME_STEP(1),
  /** Nothing is reset by a step: reset ended envs with {@link VecEnv#reset(boolean[])}. */
  DISABLED(2);

  private final int value;

  AutoresetMode(int value) {
    this.value = value;
  }

  /** The C constant. */
  public int value() {
    return value;
  }

  /** The mode of a C constant ({@link InvalidArgumentException} for an unknown one). */
  static AutoresetMode of(int value) {
    for (AutoresetMode mode : values()) {
      if (mode.value == value) return mode;
    }
    throw new InvalidArgumentException("unknown autoreset mode " + value);
  }
}
