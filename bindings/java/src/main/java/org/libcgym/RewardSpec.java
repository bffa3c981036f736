// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.List;
import java.util.Objects;

/**
 * How a reward space written in Java is declared (the arguments of
 * {@code cgym_env_add_reward}, CompilerGym's Reward attributes): its name, the observation
 * spaces its {@link Reward#update} receives, its reward_on_error ({@link #defaultValue()},
 * {@link #defaultNegatesReturns()}) and whether it is deterministic. Immutable; the
 * {@code with*} methods return changed copies.
 */
public final class RewardSpec {
  private final String name;
  private final List<String> observationSpaces;
  private final double defaultValue;
  private final boolean defaultNegatesReturns;
  private final boolean deterministic;

  private RewardSpec(String name, List<String> observationSpaces, double defaultValue,
      boolean defaultNegatesReturns, boolean deterministic) {
    this.name = Objects.requireNonNull(name);
    this.observationSpaces = List.copyOf(observationSpaces);
    this.defaultValue = defaultValue;
    this.defaultNegatesReturns = defaultNegatesReturns;
    this.deterministic = deterministic;
  }

  /** A reward space {@code name} computed from these observation spaces; reward_on_error 0,
   * deterministic. */
  public static RewardSpec of(String name, String... observationSpaces) {
    return new RewardSpec(name, List.of(observationSpaces), 0, false, true);
  }

  /** The reward of a failed step. */
  public RewardSpec withDefaultValue(double value) {
    return new RewardSpec(name, observationSpaces, value, defaultNegatesReturns, deterministic);
  }

  /** A failed step's reward negates the episode's returns instead. */
  public RewardSpec withDefaultNegatesReturns(boolean value) {
    return new RewardSpec(name, observationSpaces, defaultValue, value, deterministic);
  }

  public RewardSpec withDeterministic(boolean value) {
    return new RewardSpec(name, observationSpaces, defaultValue, defaultNegatesReturns, value);
  }

  public String name() {
    return name;
  }

  public List<String> observationSpaces() {
    return observationSpaces;
  }

  public double defaultValue() {
    return defaultValue;
  }

  public boolean defaultNegatesReturns() {
    return defaultNegatesReturns;
  }

  public boolean deterministic() {
    return deterministic;
  }

  @Override
  public String toString() {
    return "RewardSpec(" + name + ", " + observationSpaces + ")";
  }
}
