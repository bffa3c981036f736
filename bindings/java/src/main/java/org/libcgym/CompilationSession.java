// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * One episode of a compiler written in Java (the slots of cgym_session_vtable_t). A
 * {@link SessionFactory} makes one per episode; the runtime calls the methods of one session
 * one at a time (never concurrently), possibly from threads that are not Java threads of
 * yours; different sessions run in parallel, so state they share must be synchronised.
 *
 * <p>An exception thrown by a method becomes the status the client sees, with the exception's
 * message: a {@link CgymException} gives its own code; {@link IllegalArgumentException}
 * INVALID_ARGUMENT (the client's step throws {@link InvalidArgumentException} and the episode
 * goes on); {@link IllegalStateException} FAILED_PRECONDITION;
 * {@link UnsupportedOperationException} UNIMPLEMENTED; {@link java.util.NoSuchElementException}
 * and {@link IndexOutOfBoundsException} NOT_FOUND; {@link java.util.concurrent.TimeoutException}
 * DEADLINE_EXCEEDED; anything else CALLBACK_ERROR, which reaches the client as a failure of the
 * service (INTERNAL: a step ends the episode with error_type "ServiceError"). No exception ever
 * crosses into C.
 */
public abstract class CompilationSession {
  /** The definition that made this session (set before the factory's session is used). */
  ServiceDefinition definition;

  /** Applies one action; report the episode's end, no effect or a new action space in
   * {@code result}. */
  public abstract void applyAction(Event action, ActionResult result) throws Exception;

  /** Computes an observation of {@code space} (its {@link ObservationSpace#index()} is its
   * position in the definition's list). */
  public abstract Event getObservation(ObservationSpace space) throws Exception;

  /** A new session in the same state (ForkSession). The default throws
   * UnsupportedOperationException: clients then replay the episode's actions instead. */
  public CompilationSession fork() throws Exception {
    throw new UnsupportedOperationException("fork");
  }

  /** Called once per step after the actions and observations; may end the episode or change
   * the action space. The default does nothing. */
  public void endOfStep(boolean actionHadNoEffect, ActionResult result) throws Exception {}

  /** Handles a session parameter: the reply, or null for a key the session does not know
   * (the runtime then tries its built-in parameters). */
  public String handleSessionParameter(String key, String value) throws Exception {
    return null;
  }

  /** Releases the session: called exactly once when the episode ends, the service stops or
   * the env is freed. Exceptions are ignored. */
  public void close() throws Exception {}
}
