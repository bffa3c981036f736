// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Java session that throws: the client sees the right exception class and message. */
class SessionErrorsTest {
  /** action index -> the exception the session throws. */
  static final List<Supplier<Exception>> RAISED = List.of(
      () -> new IllegalArgumentException("bad value"),
      () -> new IllegalStateException("wrong state"),
      () -> new UnsupportedOperationException("not here"),
      () -> new NoSuchElementException("no such thing"),
      () -> new TimeoutException("too slow"),
      () -> new BenchmarkInitException("bad benchmark"),
      () -> new RuntimeException("boom"),
      () -> new SessionNotFoundException("gone"));

  static final class RaisingSession extends CompilationSession {
    static volatile int closed;

    RaisingSession(String benchmark) {
      if (benchmark.endsWith("/bad-init")) {
        throw new IllegalArgumentException("Cannot init with this benchmark");
      }
      if (benchmark.endsWith("/crash-init")) throw new ArithmeticException("/ by zero");
    }

    @Override
    public void applyAction(Event action, ActionResult result) throws Exception {
      long index = action.asLong();
      if (index < RAISED.size()) throw RAISED.get((int) index).get();
      if (index == RAISED.size()) result.endEpisode();
      if (index == RAISED.size() + 1) result.noEffect();
    }

    @Override
    public Event getObservation(ObservationSpace space) {
      if (space.name().equals("fails")) throw new NoSuchElementException("no observation today");
      if (space.name().equals("null")) return null;
      return Event.ofDouble(1.0);
    }

    @Override
    public String handleSessionParameter(String key, String value) throws Exception {
      switch (key) {
        case "raise": throw new IllegalStateException(value);
        case "crash": throw new Error(value);
        case "echo": return value;
        default: return null;
      }
    }

    @Override
    public void close() {
      closed++;
      throw new IllegalStateException("close failures are ignored");
    }
  }

  @BeforeAll
  static void register() {
    Service.registerInProcess("raising", new ServiceDefinition("raising",
        List.of(new ActionSpace("default", Space.discrete(RAISED.size() + 2))),
        List.of(new ObservationSpace("value", Space.range(SpaceKind.DOUBLE_RANGE, 0, 1), true,
                    false),
            new ObservationSpace("fails", Space.range(SpaceKind.DOUBLE_RANGE, 0, 1), true, false),
            new ObservationSpace("null", Space.range(SpaceKind.DOUBLE_RANGE, 0, 1), true, false)),
        (actionSpace, benchmark, program) -> new RaisingSession(benchmark)));
  }

  static CompilerEnv connect(String benchmark) {
    return CompilerEnv.connect("inproc:raising",
        TestSupport.options().benchmark("benchmark://raising/" + benchmark));
  }

  private static <T extends CgymException> T assertStepThrows(Class<T> cls, long action,
      String message) {
    try (CompilerEnv env = connect("x")) {
      env.reset();
      T e = assertThrows(cls, () -> env.step(action));
      assertEquals(cls, e.getClass());
      assertEquals(message, e.getMessage());
      assertTrue(env.inEpisode(), "the episode goes on after " + cls.getSimpleName());
      assertFalse(env.step(RAISED.size() + 1).done());
      return e;
    }
  }

  @Test
  void mappedExceptionsReachTheClient() {
    assertStepThrows(InvalidArgumentException.class, 0, "bad value");
    assertStepThrows(FailedPreconditionException.class, 1, "wrong state");
    assertStepThrows(UnimplementedException.class, 2, "not here");
    assertStepThrows(NotFoundException.class, 3, "no such thing");
  }

  /** DEADLINE_EXCEEDED, codes of the ServiceError family and the C ABI's own codes are failures
   * of the service: the step is done, with error_type and error_details, and the episode is
   * over (CompilerGym's raw_step). */
  @Test
  void serviceFailuresEndTheEpisode() {
    for (long action : new long[] {4, 5, 6, 7}) {
      try (CompilerEnv env = connect("x")) {
        env.reset();
        StepResult result = env.step(action);
        assertTrue(result.done(), "action " + action);
        assertFalse(env.inEpisode());
        // Codes from 100 (BENCHMARK_INIT, SESSION_NOT_FOUND, CALLBACK_ERROR) reach the client as
        // INTERNAL with their message (cgym.h, session vtable).
        assertEquals(action == 4 ? "TimeoutError" : "ServiceError", result.errorType(),
            result.toString());
        String expected = action == 4 ? "too slow" : action == 5 ? "bad benchmark"
            : action == 6 ? "java.lang.RuntimeException: boom" : "gone";
        assertTrue(result.errorDetails().contains(expected), result.toString());
        assertEquals(result.errorType(), result.info().get("error_type"));
        // A new episode works.
        env.reset();
        assertFalse(env.step(RAISED.size() + 1).done());
      }
    }
  }

  @Test
  void endOfEpisodeAndNoEffect() {
    try (CompilerEnv env = connect("x")) {
      env.reset();
      StepResult result = env.step(RAISED.size() + 1);
      assertTrue(result.actionHadNoEffect());
      assertFalse(result.done());
      assertTrue(env.step(RAISED.size()).done());
    }
  }

  @Test
  void observationFailures() {
    try (CompilerEnv env = connect("x")) {
      env.reset();
      assertEquals(1.0, env.observe("value").asDouble());
      NotFoundException e = assertThrows(NotFoundException.class, () -> env.observe("fails"));
      assertEquals("no observation today", e.getMessage());
      ServiceException n = assertThrows(ServiceException.class, () -> env.observe("null"));
      assertTrue(n.getMessage().contains("getObservation returned null"), n.getMessage());
    }
  }

  @Test
  void initFailures() {
    try (CompilerEnv env = connect("bad-init")) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, env::reset);
      assertTrue(e.getMessage().contains("Cannot init with this benchmark"), e.getMessage());
      assertFalse(env.inEpisode());
    }
    try (CompilerEnv env = CompilerEnv.connect("inproc:raising", TestSupport.options()
        .benchmark("benchmark://raising/crash-init").initMaxAttempts(1))) {
      CgymException e = assertThrows(CgymException.class, env::reset);
      assertTrue(e instanceof ServiceException, e.toString());
      assertTrue(e.getMessage().contains("/ by zero"), e.getMessage());
    }
  }

  @Test
  void parameterFailures() {
    try (CompilerEnv env = connect("x")) {
      env.reset();
      assertEquals("hi", env.sendParam("echo", "hi"));
      FailedPreconditionException e =
          assertThrows(FailedPreconditionException.class, () -> env.sendParam("raise", "nope"));
      assertEquals("nope", e.getMessage());
      ServiceException crash = assertThrows(ServiceException.class, () -> env.sendParam("crash", "bang"));
      assertTrue(crash.getMessage().contains("java.lang.Error: bang"), crash.getMessage());
    }
  }

  @Test
  void sessionsAreClosed() {
    int before = RaisingSession.closed;
    try (CompilerEnv env = connect("x")) {
      env.reset();
      env.reset();
    }
    assertEquals(before + 2, RaisingSession.closed);
  }

  @Test
  void forkUnimplementedFallsBackToReplay() {
    try (CompilerEnv env = connect("x")) {
      env.reset();
      env.step(RAISED.size() + 1);
      try (CompilerEnv fork = env.fork()) {
        assertEquals(1, fork.actionCount());
        assertFalse(fork.step(RAISED.size() + 1).done());
      }
    }
  }
}
