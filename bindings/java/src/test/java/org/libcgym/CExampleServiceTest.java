// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C example service (services/example) as a managed service, through the Java API. */
class CExampleServiceTest {
  private static CompilerEnv env;

  @BeforeAll
  static void connect() {
    env = CompilerEnv.connect(TestSupport.exampleServiceC(), TestSupport.options());
  }

  @AfterAll
  static void close() {
    if (env != null) env.close();
  }

  @Test
  void versions() {
    assertEquals("0.2.5", env.serviceVersion());
    assertEquals("1.0.0", env.compilerVersion());
  }

  @Test
  void spaces() {
    List<ActionSpace> actions = env.actionSpaces();
    assertEquals(1, actions.size());
    assertEquals("default", actions.get(0).name());
    assertEquals(SpaceKind.NAMED_DISCRETE, actions.get(0).space().kind());
    assertEquals(List.of("a", "b", "c"), actions.get(0).actionNames());
    assertEquals(3, actions.get(0).space().n());
    assertEquals("default", env.actionSpace().name());

    List<ObservationSpace> observations = env.observationSpaces();
    assertEquals(3, observations.size());
    ObservationSpace ir = observations.get(0);
    assertEquals("ir", ir.name());
    assertEquals(SpaceKind.STRING, ir.space().kind());
    assertTrue(ir.deterministic());
    assertFalse(ir.platformDependent());
    ObservationSpace features = observations.get(1);
    assertEquals("features", features.name());
    assertEquals(SpaceKind.INT64_BOX, features.space().kind());
    assertArrayEquals(new long[] {3}, features.space().shape());
    assertArrayEquals(new double[] {-100, -100, -100}, features.space().low());
    assertArrayEquals(new double[] {100, 100, 100}, features.space().high());
    ObservationSpace runtime = observations.get(2);
    assertEquals("runtime", runtime.name());
    assertEquals(SpaceKind.DOUBLE_RANGE, runtime.space().kind());
    assertTrue(runtime.space().hasMin());
    assertEquals(0.0, runtime.space().min());
    assertFalse(runtime.space().hasMax());
    assertFalse(runtime.deterministic());
    assertTrue(runtime.platformDependent());
    assertEquals(EventKind.NONE, runtime.defaultObservation().kind());
    assertEquals(2, runtime.index());
  }

  @Test
  void resetStepAndObservations() {
    assertNull(env.reset()); // no default observation space
    assertTrue(env.inEpisode());
    assertEquals(TestSupport.BENCHMARK, env.benchmark());
    StepResult result = env.step(0);
    assertFalse(result.done());
    assertTrue(result.observations().isEmpty());
    assertEquals(0, result.rewards().length);
    assertEquals("", result.errorType());
    result = env.step("c");
    assertFalse(result.done());
    assertEquals(2, env.actionCount());

    assertEquals(Event.ofString("Hello, world!"), env.observe("ir"));
    assertEquals("Hello, world!", env.observe("ir").asString());
    Event features = env.observe("features");
    assertEquals(EventKind.INT64_TENSOR, features.kind());
    assertArrayEquals(new long[] {3}, features.shape());
    assertArrayEquals(new long[] {0, 0, 0}, features.longs());
    Event runtime = env.observe("runtime");
    assertEquals(EventKind.DOUBLE, runtime.kind());
    assertEquals(0.0, runtime.asDouble());

    // Observations named in the step, in order.
    result = env.step(List.of(Event.ofLong(1)), List.of("runtime", "ir", "features"), List.of(),
        CompilerEnv.DEFAULT_TIMEOUT_SECONDS);
    assertEquals(List.of(Event.ofDouble(0), Event.ofString("Hello, world!"),
        Event.ofLongs(0, 0, 0)), result.observations());
    assertEquals(Event.ofDouble(0), result.observation());

    // A default observation space makes reset and step return it.
    env.setObservationSpace("ir");
    try {
      assertEquals(Event.ofString("Hello, world!"), env.reset());
      assertEquals(Event.ofString("Hello, world!"), env.step(2).observation());
    } finally {
      env.setObservationSpace(null);
    }
  }

  @Test
  void outOfRangeActionIsInvalidArgument() {
    env.reset();
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> env.step(3));
    assertEquals(Status.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("Out-of-range"), e.getMessage());
    assertTrue(env.inEpisode(), "the episode goes on");
    assertFalse(env.step(0).done());
    assertThrows(NotFoundException.class, () -> env.step("z"));
  }

  @Test
  void unknownSpaces() {
    env.reset();
    assertThrows(NotFoundException.class, () -> env.observe("nope"));
    assertThrows(NotFoundException.class, () -> env.setObservationSpace("nope"));
    assertThrows(NotFoundException.class, () -> env.step(List.of(Event.ofLong(0)),
        List.of("nope"), null, CompilerEnv.DEFAULT_TIMEOUT_SECONDS));
  }

  @Test
  void stepBeforeResetIsSessionNotFound() {
    try (CompilerEnv fresh =
             CompilerEnv.connect(TestSupport.exampleServiceC(), TestSupport.options())) {
      assertFalse(fresh.inEpisode());
      SessionNotFoundException e = assertThrows(SessionNotFoundException.class, () -> fresh.step(0));
      assertEquals(Status.SESSION_NOT_FOUND, e.code());
      assertTrue(e instanceof ServiceException);
      assertThrows(SessionNotFoundException.class, () -> fresh.observe("ir"));
    }
  }

  @Test
  void resetWithoutBenchmarkIsFailedPrecondition() {
    try (CompilerEnv fresh = CompilerEnv.connect(TestSupport.exampleServiceC(),
             new Options().localServiceExitMaxSeconds(10))) {
      assertThrows(FailedPreconditionException.class, fresh::reset);
    }
  }

  @Test
  void forkIsIndependent() {
    env.reset();
    env.step(0);
    try (CompilerEnv fork = env.fork()) {
      assertTrue(fork.inEpisode());
      assertEquals(1, fork.actionCount());
      fork.step(1);
      fork.step(2);
      assertEquals(3, fork.actionCount());
      assertEquals(1, env.actionCount());
      assertEquals("Hello, world!", fork.observe("ir").asString());
    }
    // The parent lives on after its fork is closed.
    assertFalse(env.step(2).done());
    assertEquals(2, env.actionCount());
  }

  @Test
  void stateJsonAndCsv() {
    env.reset();
    env.step(0);
    env.step(2);
    String json = env.stateJson();
    assertTrue(json.contains("\"benchmark\": \"" + TestSupport.BENCHMARK + "\""), json);
    assertTrue(json.contains("\"commandline\": \"a c\""), json);
    String csv = env.stateCsv(true);
    assertTrue(csv.startsWith("benchmark,reward,walltime,commandline"), csv);
    assertTrue(csv.contains(TestSupport.BENCHMARK), csv);
    // Replaying the state in a fresh env gives the same commandline.
    try (CompilerEnv other =
             CompilerEnv.connect(TestSupport.exampleServiceC(), TestSupport.options())) {
      other.applyState(json);
      assertEquals(2, other.actionCount());
      assertTrue(other.stateJson().contains("\"commandline\": \"a c\""));
    }
  }

  @Test
  void connectErrors(@TempDir Path dir) {
    InvalidArgumentException empty =
        assertThrows(InvalidArgumentException.class, () -> CompilerEnv.connect(""));
    assertEquals(Status.INVALID_ARGUMENT, empty.code());
    assertThrows(InvalidArgumentException.class, () -> CompilerEnv.connect(null));
    assertThrows(NotFoundException.class,
        () -> CompilerEnv.connect(dir.resolve("no-such-service").toString()));
    assertThrows(NotFoundException.class, () -> CompilerEnv.connect("inproc:no-such-service"));
    assertThrows(InvalidArgumentException.class, () -> CompilerEnv.connect(
        TestSupport.exampleServiceC(), new Options().localServiceExitMaxSeconds(-1)));
  }

  @Test
  void closeTwiceAndUseAfterClose() {
    CompilerEnv other = CompilerEnv.connect(TestSupport.exampleServiceC(), TestSupport.options());
    other.reset();
    other.close();
    assertTrue(other.isClosed());
    other.close(); // idempotent
    ServiceIsClosedException e = assertThrows(ServiceIsClosedException.class, other::reset);
    assertEquals(Status.SERVICE_IS_CLOSED, e.code());
    assertThrows(ServiceIsClosedException.class, () -> other.step(0));
    assertThrows(ServiceIsClosedException.class, other::fork);
  }
}
