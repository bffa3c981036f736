// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * The result of {@link CompilerEnv#validate}: whether replaying the state failed in nothing,
 * and CompilerGym's ValidationResult as JSON (its state, walltime, reward_validated,
 * actions_replay_failed, reward_validation_failed, benchmark_semantics_validated,
 * benchmark_semantics_validation_failed and errors).
 */
public final class ValidationResult {
  private final boolean okay;
  private final String json;

  ValidationResult(boolean okay, String json) {
    this.okay = okay;
    this.json = json;
  }

  /** Whether nothing failed. */
  public boolean okay() {
    return okay;
  }

  /** The ValidationResult as JSON. */
  public String json() {
    return json;
  }

  @Override
  public String toString() {
    return "ValidationResult(okay=" + okay + ", " + json + ")";
  }
}
