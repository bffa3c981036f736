// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.List;

/**
 * A reward written in Java, computed on the client from observations (CompilerGym's
 * {@code compiler_gym.spaces.Reward}); add it to an env with
 * {@link CompilerEnv#addReward(RewardSpec, Reward)}. libcgym calls it through
 * {@code cgym_reward_vtable_t}:
 *
 * <ul>
 *   <li>{@link #reset} at the start of every episode;
 *   <li>{@link #update} for every step that asks for this reward space (and for
 *       {@link CompilerEnv#reward}), with the step's actions and one observation per space of
 *       {@link RewardSpec#observationSpaces()}, in order;
 *   <li>{@link #copy} when the env is forked: the fork gets the copy. A reward that does not
 *       override {@code copy} is shared by the env and its forks (as in C without a clone slot):
 *       it must then be safe to call from the threads that use them;
 *   <li>{@link #close} once, when the env (or the fork) that holds it is freed, or at once if
 *       {@code addReward} fails.
 * </ul>
 *
 * <p>The calls of one env come from the thread that calls the env's method. An exception thrown
 * by {@code reset} or {@code update} fails that method with the status the exception maps to
 * (as for a {@link CompilationSession}: a {@link CgymException} its own code, an
 * {@link IllegalArgumentException} INVALID_ARGUMENT, ..., anything else CALLBACK_ERROR) and the
 * exception's message; the exception is the cause of the {@link CgymException} thrown. An
 * {@link Error} (e.g. a failed assertion) is rethrown as it is.
 */
public abstract class Reward {
  /** Called at the start of every episode. The default does nothing. */
  public void reset(String benchmarkUri) throws Exception {}

  /** The reward of a step's actions, given one observation per observation space of the
   * reward's spec, in order. */
  public abstract double update(List<Event> actions, List<Event> observations) throws Exception;

  /** A copy of this reward for a fork of its env; null fails the fork. The default (not
   * overridden) shares this reward with the fork. */
  public Reward copy() throws Exception {
    return null;
  }

  /** Releases the reward (once). Exceptions are ignored. The default does nothing. */
  public void close() throws Exception {}

  /** Whether the class overrides copy() (otherwise libcgym gets no clone slot). */
  final boolean hasCopy() {
    try {
      return getClass().getMethod("copy").getDeclaringClass() != Reward.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
