// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * What a session's {@link CompilationSession#applyAction} or
 * {@link CompilationSession#endOfStep} reports besides success: the end of the episode, an
 * action without effect, a change of action space. Starts as false, false, -1.
 */
public final class ActionResult {
  boolean endOfEpisode;
  boolean actionHadNoEffect;
  int newActionSpace = -1;

  ActionResult() {}

  /** Ends the episode: no further action of the step is applied. */
  public void endEpisode() {
    endOfEpisode = true;
  }

  /** Says that the action changed nothing. */
  public void noEffect() {
    actionHadNoEffect = true;
  }

  /** Switches to the action space of this index. */
  public void setNewActionSpace(int index) {
    newActionSpace = index;
  }

  public boolean endOfEpisode() {
    return endOfEpisode;
  }

  public boolean actionHadNoEffect() {
    return actionHadNoEffect;
  }

  public int newActionSpace() {
    return newActionSpace;
  }
}
