// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libcgym.example.ExampleSession;

/** The Java example session (org.libcgym.example) in-process, through the Java API. */
class JavaSessionTest {
  static final String ENDPOINT = "inproc:java-example";

  @BeforeAll
  static void register() {
    Service.registerInProcess("java-example", ExampleSession.definition());
  }

  static CompilerEnv connect() {
    return CompilerEnv.connect(ENDPOINT, TestSupport.options());
  }

  @Test
  void versionsAndSpaces() {
    try (CompilerEnv env = connect()) {
      assertEquals("0.2.5", env.serviceVersion());
      assertEquals("1.0.0-java", env.compilerVersion());
      assertEquals(List.of(new ActionSpace("default", Space.namedDiscrete("a", "b", "c"))),
          env.actionSpaces());
      List<ObservationSpace> spaces = env.observationSpaces();
      assertEquals(3, spaces.size());
      assertEquals("features", spaces.get(1).name());
      assertEquals(SpaceKind.INT64_BOX, spaces.get(1).space().kind());
      assertArrayEquals(new double[] {100, 100, 100}, spaces.get(1).space().high());
      assertEquals(SpaceKind.DOUBLE_RANGE, spaces.get(2).space().kind());
      assertFalse(spaces.get(2).space().hasMax());
    }
  }

  @Test
  void resetStepObserve() {
    try (CompilerEnv env = connect()) {
      env.reset();
      assertFalse(env.step("a").done());
      assertFalse(env.step(2).done());
      assertFalse(env.step(2).done());
      assertEquals("Hello, world! a c c", env.observe("ir").asString());
      assertEquals(Event.ofLongs(1, 0, 2), env.observe("features"));
      assertEquals(3.0, env.observe("runtime").asDouble());
      StepResult result = env.step(List.of(Event.ofLong(1), Event.ofLong(0)),
          List.of("features", "ir"), null, CompilerEnv.DEFAULT_TIMEOUT_SECONDS);
      assertEquals(List.of(Event.ofLongs(2, 1, 2), Event.ofString("Hello, world! a c c b a")),
          result.observations());
      // A new episode starts from scratch.
      env.reset();
      assertEquals(Event.ofLongs(0, 0, 0), env.observe("features"));
    }
  }

  @Test
  void outOfRangeActionAndStepBeforeReset() {
    try (CompilerEnv env = connect()) {
      assertThrows(SessionNotFoundException.class, () -> env.step(0));
      env.reset();
      InvalidArgumentException e =
          assertThrows(InvalidArgumentException.class, () -> env.step(7));
      assertEquals("Out-of-range", e.getMessage());
      assertTrue(env.inEpisode());
      assertThrows(NotFoundException.class, () -> env.observe("nope"));
    }
  }

  @Test
  void forkIsIndependent() {
    try (CompilerEnv env = connect()) {
      env.reset();
      env.step(0);
      try (CompilerEnv fork = env.fork()) {
        fork.step(1);
        fork.step(1);
        assertEquals(Event.ofLongs(1, 2, 0), fork.observe("features"));
        assertEquals(Event.ofLongs(1, 0, 0), env.observe("features"));
        env.step(2);
        assertEquals(Event.ofLongs(1, 2, 0), fork.observe("features"));
        assertEquals(Event.ofLongs(1, 0, 1), env.observe("features"));
      }
      assertEquals("Hello, world! a c", env.observe("ir").asString());
    }
  }

  @Test
  void stateJsonAndParameters() {
    try (CompilerEnv env = connect()) {
      env.reset();
      env.step("b");
      env.step("a");
      String json = env.stateJson();
      assertTrue(json.contains("\"commandline\": \"b a\""), json);
      assertTrue(json.contains("\"benchmark\": \"" + TestSupport.BENCHMARK + "\""), json);
      assertEquals("ping", env.sendParam("example.echo", "ping"));
      assertThrows(InvalidArgumentException.class, () -> env.sendParam("no.such.key", "x"));
    }
  }

  @Test
  void unregisteredNameIsNotFound() {
    Service.registerInProcess("java-example-temporary", ExampleSession.definition());
    try (CompilerEnv env = CompilerEnv.connect("inproc:java-example-temporary",
             TestSupport.options())) {
      Service.unregister("java-example-temporary");
      // An env already connected keeps its service.
      env.reset();
      assertFalse(env.step(0).done());
    }
    assertThrows(NotFoundException.class, () -> Service.unregister("java-example-temporary"));
    assertThrows(NotFoundException.class,
        () -> CompilerEnv.connect("inproc:java-example-temporary"));
  }

  @Test
  void badDefinitions() {
    ServiceDefinition noSpaces = new ServiceDefinition("0", List.of(), List.of(),
        (a, b, p) -> new ExampleSession());
    assertThrows(InvalidArgumentException.class,
        () -> Service.registerInProcess("no-spaces", noSpaces));
    assertThrows(InvalidArgumentException.class,
        () -> Service.registerInProcess("", ExampleSession.definition()));
  }

  /** Envs on their own threads, each stepping its own session at the same time. */
  @Test
  void envsOnManyThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Event>> futures = new ArrayList<>();
      for (int t = 0; t < 4; ++t) {
        final int action = t % 3;
        futures.add(pool.submit(() -> {
          try (CompilerEnv env = connect()) {
            env.reset();
            for (int i = 0; i < 20; ++i) env.step(action);
            return env.observe("features");
          }
        }));
      }
      for (int t = 0; t < 4; ++t) {
        long[] expected = new long[3];
        expected[t % 3] = 20;
        assertEquals(Event.ofLongs(expected), futures.get(t).get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
