// SPDX-License-Identifier: MIT
package org.libcgym.example;

import java.util.List;
import org.libcgym.ActionResult;
import org.libcgym.ActionSpace;
import org.libcgym.CompilationSession;
import org.libcgym.Event;
import org.libcgym.ObservationSpace;
import org.libcgym.Service;
import org.libcgym.ServiceDefinition;
import org.libcgym.Space;
import org.libcgym.SpaceKind;

/**
 * CompilerGym's example compiler service written in Java, with state:
 *
 * <pre>
 *   action space   "default": named discrete a, b, c (an action is an int64 index)
 *   observations   "ir"       a string: "Hello, world!" followed by the actions applied
 *                  "features" int64 box [3] in [0, 100]: how often each action was applied
 *                  "runtime"  a double >= 0: the number of actions applied
 *   compiler       version "1.0.0-java"
 * </pre>
 *
 * <p>Register it in-process with {@code Service.registerInProcess("example", ExampleSession.
 * definition())}, or run it as a service process with {@link #main}.
 */
public final class ExampleSession extends CompilationSession {
  private static final String[] ACTIONS = {"a", "b", "c"};

  private final StringBuilder applied;
  private final long[] counts;

  public ExampleSession() {
    this(new StringBuilder(), new long[ACTIONS.length]);
  }

  private ExampleSession(StringBuilder applied, long[] counts) {
    this.applied = applied;
    this.counts = counts;
  }

  /** The service definition: spaces and the session factory. */
  public static ServiceDefinition definition() {
    return new ServiceDefinition("1.0.0-java",
        List.of(new ActionSpace("default", Space.namedDiscrete(ACTIONS))),
        List.of(new ObservationSpace("ir", Space.string(0, -1), true, false),
            new ObservationSpace("features", Space.box(SpaceKind.INT64_BOX, new long[] {3},
                new double[] {0, 0, 0}, new double[] {100, 100, 100}), true, false),
            new ObservationSpace("runtime",
                Space.range(SpaceKind.DOUBLE_RANGE, 0, Double.NaN), false, true)),
        (actionSpace, benchmarkUri, program) -> new ExampleSession());
  }

  @Override
  public void applyAction(Event action, ActionResult result) {
    long choice = action.asLong();
    if (choice < 0 || choice >= ACTIONS.length) {
      throw new IllegalArgumentException("Out-of-range");
    }
    applied.append(' ').append(ACTIONS[(int) choice]);
    counts[(int) choice]++;
  }

  @Override
  public Event getObservation(ObservationSpace space) {
    switch (space.name()) {
      case "ir": return Event.ofString("Hello, world!" + applied);
      case "features": return Event.ofLongs(counts);
      case "runtime": return Event.ofDouble(applied.length() / 2);
      default: throw new java.util.NoSuchElementException(space.name());
    }
  }

  @Override
  public CompilationSession fork() {
    return new ExampleSession(new StringBuilder(applied), counts.clone());
  }

  @Override
  public String handleSessionParameter(String key, String value) {
    return key.equals("example.echo") ? value : null;
  }

  /** Runs the example as a service process (flags: --working_dir, --port, ...). */
  public static void main(String[] args) {
    System.exit(Service.run(definition(), args));
  }
}
