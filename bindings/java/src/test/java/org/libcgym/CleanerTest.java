// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An env that is never closed is freed by its Cleaner once unreachable: its session is
 * destroyed exactly once. Closing an env and then dropping it does not free it twice. */
class CleanerTest {
  static final AtomicInteger CLOSED = new AtomicInteger();

  static final class CountingSession extends CompilationSession {
    @Override
    public void applyAction(Event action, ActionResult result) {}

    @Override
    public Event getObservation(ObservationSpace space) {
      return Event.ofLong(0);
    }

    @Override
    public void close() {
      CLOSED.incrementAndGet();
    }
  }

  @BeforeAll
  static void register() {
    Service.registerInProcess("counting", new ServiceDefinition("counting",
        List.of(new ActionSpace("default", Space.discrete(1))),
        List.of(new ObservationSpace("zero", Space.range(SpaceKind.INT64_RANGE, 0, 0), true,
            false)),
        (a, b, p) -> new CountingSession()));
  }

  private static void openAndDrop() {
    CompilerEnv env = CompilerEnv.connect("inproc:counting", TestSupport.options());
    env.reset();
    env.step(0);
  }

  @Test
  void unreachableEnvIsFreedOnce() throws InterruptedException {
    int before = CLOSED.get();
    openAndDrop();
    // Wait (a bounded number of collections, no time threshold) for the Cleaner.
    for (int i = 0; i < 500 && CLOSED.get() == before; ++i) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(before + 1, CLOSED.get());

    // A closed env that becomes unreachable is not freed again.
    CompilerEnv env = CompilerEnv.connect("inproc:counting", TestSupport.options());
    env.reset();
    env.close();
    assertEquals(before + 2, CLOSED.get());
    env = null;
    for (int i = 0; i < 20; ++i) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(before + 2, CLOSED.get());
  }
}
