// SPDX-License-Identifier: MIT
package org.libcgym;

/** Makes the session of a new episode: the init slot of a service written in Java. */
@FunctionalInterface
public interface SessionFactory {
  /**
   * A new session for an episode in action space {@code actionSpace} on the benchmark
   * {@code benchmarkUri}, with its program if the client sent it (null otherwise). An
   * exception fails the reset (see {@link CompilationSession} for how it maps to a status).
   */
  CompilationSession create(ActionSpace actionSpace, String benchmarkUri, byte[] program)
      throws Exception;
}
