// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a step, copied out of libcgym: the observations and rewards asked for (in
 * order), done, and the info CompilerGym's step returns. A step that failed because the service
 * or the transport failed is done, with {@link #errorType()} and {@link #errorDetails()} set.
 *
 * <p>A result of {@link CompilerEnv#step} always has status {@link Status#OK}. A result of a
 * {@link StepQueue} or of a {@link VecEnv} may carry the error that {@link CompilerEnv#step}
 * would have thrown: {@link #status()}, {@link #statusMessage()}, {@link #error()}.
 */
public final class StepResult {
  private final List<Event> observations;
  private final double[] rewards;
  private final boolean done;
  private final boolean actionHadNoEffect;
  private final boolean newActionSpace;
  private final String errorType;
  private final String errorDetails;
  private final int status;
  private final String statusMessage;

  StepResult(List<Event> observations, double[] rewards, boolean done, boolean actionHadNoEffect,
      boolean newActionSpace, String errorType, String errorDetails, int status,
      String statusMessage) {
    this.observations = List.copyOf(observations);
    this.rewards = rewards;
    this.done = done;
    this.actionHadNoEffect = actionHadNoEffect;
    this.newActionSpace = newActionSpace;
    this.errorType = errorType;
    this.errorDetails = errorDetails;
    this.status = status;
    this.statusMessage = statusMessage;
  }

  /** The observations, one per space asked for. */
  public List<Event> observations() {
    return observations;
  }

  /** The first observation (the default space's), or null if none was computed. */
  public Event observation() {
    return observations.isEmpty() ? null : observations.get(0);
  }

  /** The rewards, one per reward space asked for. */
  public double[] rewards() {
    return rewards.clone();
  }

  /** The first reward, or NaN without reward space. */
  public double reward() {
    return rewards.length == 0 ? Double.NaN : rewards[0];
  }

  public boolean done() {
    return done;
  }

  public boolean actionHadNoEffect() {
    return actionHadNoEffect;
  }

  public boolean newActionSpace() {
    return newActionSpace;
  }

  /** The CompilerGym exception name of the failure that ended the episode, or "". */
  public String errorType() {
    return errorType;
  }

  public String errorDetails() {
    return errorDetails;
  }

  /** The error the step ended with ({@link Status#OK} if none; see the class comment). */
  public int status() {
    return status;
  }

  /** The message of {@link #status()} ("" for OK). */
  public String statusMessage() {
    return statusMessage;
  }

  /** The exception {@link CompilerEnv#step} would have thrown for this step (the class of
   * {@link #status()}, e.g. {@link InvalidArgumentException}), or null for OK. */
  public CgymException error() {
    return status == Status.OK ? null : CgymException.fromStatus(status, statusMessage);
  }

  /** Throws {@link #error()} if there is one; returns this result otherwise. */
  public StepResult orThrow() {
    CgymException e = error();
    if (e != null) throw e;
    return this;
  }

  /** CompilerGym's info dict: action_had_no_effect, new_action_space, and error_type and
   * error_details when the step failed. */
  public Map<String, Object> info() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("action_had_no_effect", actionHadNoEffect);
    info.put("new_action_space", newActionSpace);
    if (!errorType.isEmpty()) {
      info.put("error_type", errorType);
      info.put("error_details", errorDetails);
    }
    return info;
  }

  /** Copies a native result (which the caller still frees, if it owns it). */
  static StepResult fromNative(long handle) {
    int n = Native.stepResultObservationCount(handle);
    Event[] observations = new Event[n];
    for (int i = 0; i < n; ++i) {
      observations[i] = Event.fromNative(Native.stepResultObservationAt(handle, i));
    }
    int flags = Native.stepResultFlags(handle);
    return new StepResult(List.of(observations), Native.stepResultRewards(handle),
        (flags & NativeConstants.STEP_DONE) != 0,
        (flags & NativeConstants.STEP_ACTION_HAD_NO_EFFECT) != 0,
        (flags & NativeConstants.STEP_NEW_ACTION_SPACE) != 0,
        Native.stepResultErrorType(handle), Native.stepResultErrorDetails(handle),
        Native.stepResultStatus(handle), Native.stepResultStatusMessage(handle));
  }

  @Override
  public String toString() {
    return "StepResult(observations=" + observations + ", rewards="
        + java.util.Arrays.toString(rewards) + ", done=" + done + ", info=" + info()
        + (status == Status.OK ? "" : ", status=" + Cgym.statusName(status) + ": " + statusMessage)
        + ")";
  }
}
