// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vector envs (cgym_vec_env) through the Java API: on managed C example services (whose
 * episodes end only when a step fails: action 3 is out of range), and on an in-process Java
 * session whose episodes end at action "c", for the autoreset modes.
 */
class VecEnvTest {
  /** A reward of the action alone: 1 + 2 * index, so that each step's reward names its
   * action. */
  static final class ActionReward extends Reward {
    @Override
    public double update(List<Event> actions, List<Event> observations) {
      double reward = 0;
      for (Event action : actions) reward += 1 + 2 * action.asLong();
      return reward;
    }

    @Override
    public Reward copy() {
      return new ActionReward();
    }
  }

  /** Counts its actions ("features" = counts of a, b, c) and ends its episode at "c". */
  static final class EndingSession extends CompilationSession {
    private final long[] counts = new long[3];

    @Override
    public void applyAction(Event action, ActionResult result) {
      long choice = action.asLong();
      if (choice < 0 || choice > 2) throw new IllegalArgumentException("Out-of-range");
      counts[(int) choice]++;
      if (choice == 2) result.endEpisode();
    }

    @Override
    public Event getObservation(ObservationSpace space) {
      return Event.ofLongs(counts.clone());
    }
  }

  static final String ENDING = "inproc:java-vec-ending";

  @BeforeAll
  static void register() {
    Service.registerInProcess("java-vec-ending", new ServiceDefinition("1.0.0-vec",
        List.of(new ActionSpace("default", Space.namedDiscrete("a", "b", "c"))),
        List.of(new ObservationSpace("features", Space.box(SpaceKind.INT64_BOX, new long[] {3},
            new double[] {0, 0, 0}, new double[] {100, 100, 100}), true, false)),
        (actionSpace, benchmarkUri, program) -> new EndingSession()));
  }

  /** The example service's options with "features" as the default observation. */
  static Options features() {
    return TestSupport.options().observationSpace("features");
  }

  static VecEnv example(int numEnvs, int numServices) {
    return VecEnv.connect(TestSupport.exampleServiceC(), numEnvs, numServices, features());
  }

  static void addActionReward(CompilerEnv env) {
    env.addReward(RewardSpec.of("action"), new ActionReward());
    env.setRewardSpace("action");
  }

  @Test
  void stepsEqualPlainEnvs() {
    long[][] steps = {{0, 1, 2, 0, 1, 2, 0, 1}, {2, 2, 1, 1, 0, 0, 2, 1}};
    try (VecEnv vec = example(8, 2);
         CompilerEnv plain = CompilerEnv.connect(TestSupport.exampleServiceC(), features())) {
      assertEquals(8, vec.numEnvs());
      assertEquals(2, vec.numServices());
      assertEquals(AutoresetMode.NEXT_STEP, vec.autoreset());
      for (int i = 0; i < 8; ++i) {
        assertNull(vec.result(i), "no result before reset");
        addActionReward(vec.envAt(i));
      }
      addActionReward(plain);
      // Nothing to read before a reset.
      assertThrows(FailedPreconditionException.class, vec::observationsLong);

      vec.reset(null);
      assertArrayEquals(new double[8], vec.rewards());
      assertArrayEquals(new boolean[8], vec.dones());
      assertEquals(3, vec.observationWidth());
      assertArrayEquals(new long[8][3], vec.observationsLong());
      assertArrayEquals(new double[8][3], vec.observationsDouble());
      for (int i = 0; i < 8; ++i) {
        StepResult reset = vec.result(i);
        assertFalse(reset.done());
        assertEquals(Status.OK, reset.status());
        assertEquals(Event.ofLongs(0, 0, 0), reset.observation());
      }

      // Each env i of the vector env takes steps[k][i]; a plain env replays each column.
      double[][] expectedRewards = new double[steps.length][8];
      StepResult[][] expected = new StepResult[steps.length][8];
      for (int i = 0; i < 8; ++i) {
        plain.reset();
        for (int k = 0; k < steps.length; ++k) {
          expected[k][i] = plain.step(steps[k][i]);
          expectedRewards[k][i] = expected[k][i].reward();
        }
      }
      for (int k = 0; k < steps.length; ++k) {
        vec.step(steps[k]);
        assertArrayEquals(expectedRewards[k], vec.rewards());
        assertArrayEquals(new boolean[8], vec.dones());
        long[][] observations = vec.observationsLong();
        assertEquals(8, observations.length);
        for (int i = 0; i < 8; ++i) {
          assertEquals(1 + 2 * steps[k][i], vec.rewards()[i]);
          assertArrayEquals(expected[k][i].observation().longs(), observations[i]);
          StepResult result = vec.result(i);
          assertEquals(expected[k][i].done(), result.done());
          assertEquals(expected[k][i].observations(), result.observations());
          assertArrayEquals(expected[k][i].rewards(), result.rewards());
          assertNull(result.error());
          assertSame(result, result.orThrow());
          assertNull(vec.finalResult(i), "finalResult is SAME_STEP's");
        }
      }
      for (int i = 0; i < 8; ++i) {
        CompilerEnv env = vec.envAt(i);
        assertTrue(env.isBorrowed());
        assertEquals(2, env.actionCount());
        assertEquals(List.of(Event.ofLong(steps[0][i]), Event.ofLong(steps[1][i])), env.actions());
        assertEquals("Hello, world!", env.observe("ir").asString());
      }
    }
  }

  @Test
  void envsAreSpreadOverServices() {
    // numServices 0 is one per core, never more than numEnvs; 1 env needs 1 service.
    try (VecEnv one = example(1, 0)) {
      assertEquals(1, one.numEnvs());
      assertEquals(1, one.numServices());
    }
    try (VecEnv three = example(3, 5)) {
      assertEquals(3, three.numServices());
    }
  }

  @Test
  void failedStepEndsTheEpisodeAndNextStepResets() {
    try (VecEnv vec = example(2, 1)) {
      vec.reset(null);
      vec.step(new long[] {3, 0}); // 3 is out of range: env 0's step fails
      assertArrayEquals(new boolean[] {true, false}, vec.dones());
      StepResult failed = vec.result(0);
      assertTrue(failed.done());
      assertEquals(Status.INVALID_ARGUMENT, failed.status());
      assertTrue(failed.statusMessage().contains("Out-of-range"), failed.statusMessage());
      InvalidArgumentException e = assertInstanceOf(InvalidArgumentException.class,
          failed.error());
      assertEquals(Status.INVALID_ARGUMENT, e.code());
      assertThrows(InvalidArgumentException.class, failed::orThrow);
      assertEquals(Status.OK, vec.result(1).status());

      // NEXT_STEP: env 0 is reset instead of stepped (its action is ignored).
      vec.step(new long[] {1, 1});
      assertArrayEquals(new boolean[] {false, false}, vec.dones());
      assertEquals(Status.OK, vec.result(0).status());
      assertEquals(Event.ofLongs(0, 0, 0), vec.result(0).observation());
      assertEquals(0, vec.envAt(0).actionCount());
      assertEquals(2, vec.envAt(1).actionCount());
    }
  }

  @Test
  void autoresetNextStep() {
    try (VecEnv vec = VecEnv.connect(ENDING, 3, 0, features())) {
      assertEquals(1, vec.numServices(), "one in-process service");
      vec.setAutoreset(AutoresetMode.NEXT_STEP);
      vec.reset(null);
      vec.step(new long[] {0, 2, 1});
      assertArrayEquals(new boolean[] {false, true, false}, vec.dones());
      assertArrayEquals(new long[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}}, vec.observationsLong());
      assertEquals(Status.OK, vec.result(1).status());
      // Env 1 is reset, not stepped: its action 0 is ignored.
      vec.step(new long[] {0, 0, 2});
      assertArrayEquals(new boolean[] {false, false, true}, vec.dones());
      assertArrayEquals(new long[][] {{2, 0, 0}, {0, 0, 0}, {0, 1, 1}}, vec.observationsLong());
      assertEquals(0, vec.envAt(1).actionCount());
      vec.step(new long[] {1, 1, 1});
      assertArrayEquals(new long[][] {{2, 1, 0}, {0, 1, 0}, {0, 0, 0}}, vec.observationsLong());
      assertArrayEquals(new boolean[3], vec.dones());
    }
  }

  @Test
  void autoresetSameStep() {
    try (VecEnv vec = VecEnv.connect(ENDING, 2, 0, features())) {
      vec.setAutoreset(AutoresetMode.SAME_STEP);
      assertEquals(AutoresetMode.SAME_STEP, vec.autoreset());
      vec.reset(null);
      vec.step(new long[] {2, 1});
      // Env 0's episode ended and it was reset in the same step: its result is the reset's.
      assertArrayEquals(new long[][] {{0, 0, 0}, {0, 1, 0}}, vec.observationsLong());
      assertFalse(vec.result(0).done());
      // The batch reports the ended step's done, as gymnasium does.
      assertArrayEquals(new boolean[] {true, false}, vec.dones());
      assertEquals(0, vec.envAt(0).actionCount());
      StepResult last = vec.finalResult(0);
      assertNotNull(last);
      assertTrue(last.done());
      assertEquals(Event.ofLongs(0, 0, 1), last.observation());
      assertNull(vec.finalResult(1));
      vec.step(new long[] {0, 0});
      assertNull(vec.finalResult(0), "only of the last step");
      assertArrayEquals(new long[][] {{1, 0, 0}, {1, 1, 0}}, vec.observationsLong());
    }
  }

  @Test
  void autoresetDisabled() {
    try (VecEnv vec = VecEnv.connect(ENDING, 2, 0, features())) {
      vec.setAutoreset(AutoresetMode.DISABLED);
      vec.reset(null);
      vec.step(new long[] {2, 0});
      assertArrayEquals(new boolean[] {true, false}, vec.dones());
      assertNull(vec.finalResult(0));
      assertEquals(1, vec.envAt(0).actionCount(), "not reset by the step");
      // A masked reset resets env 0 alone.
      vec.reset(new boolean[] {true, false});
      assertArrayEquals(new boolean[] {false, false}, vec.dones());
      assertArrayEquals(new long[][] {{0, 0, 0}, {1, 0, 0}}, vec.observationsLong());
      assertEquals(0, vec.envAt(0).actionCount());
      assertEquals(1, vec.envAt(1).actionCount());
      vec.step(new long[] {1, 1});
      assertArrayEquals(new long[][] {{0, 1, 0}, {1, 1, 0}}, vec.observationsLong());
    }
  }

  @Test
  void errors() {
    String service = TestSupport.exampleServiceC();
    assertThrows(InvalidArgumentException.class, () -> VecEnv.connect(service, 0, 1, features()));
    assertThrows(InvalidArgumentException.class, () -> VecEnv.connect(service, -1, 1, null));
    assertThrows(InvalidArgumentException.class, () -> VecEnv.connect(null, 1, 1, null));
    assertThrows(InvalidArgumentException.class, () -> VecEnv.make(null, 1, 1, null));
    // An empty item in the list of endpoints.
    assertThrows(InvalidArgumentException.class,
        () -> VecEnv.connect("localhost:1,,localhost:2", 2, 0, features()));
    assertThrows(NotFoundException.class,
        () -> VecEnv.make("no-such-env-v0", 1, 1, null));
    try (VecEnv vec = example(2, 1)) {
      assertThrows(InvalidArgumentException.class, () -> vec.setAutoreset(null));
      vec.reset(null);
      InvalidArgumentException wrong =
          assertThrows(InvalidArgumentException.class, () -> vec.step(new long[] {0, 0, 0}));
      assertEquals(Status.INVALID_ARGUMENT, wrong.code());
      assertThrows(InvalidArgumentException.class, () -> vec.step(new long[] {0}));
      assertThrows(InvalidArgumentException.class, () -> vec.step(null));
      assertEquals(0, vec.envAt(0).actionCount(), "nothing was sent");
      assertThrows(InvalidArgumentException.class, () -> vec.reset(new boolean[] {true}));
      assertThrows(OutOfRangeException.class, () -> vec.envAt(2));
      assertThrows(OutOfRangeException.class, () -> vec.envAt(-1));
      assertThrows(OutOfRangeException.class, () -> vec.result(2));
      assertThrows(OutOfRangeException.class, () -> vec.finalResult(2));
      // The "ir" observation is a string: not a number matrix.
      vec.envAt(0).setObservationSpace("ir");
      vec.reset(null);
      assertThrows(FailedPreconditionException.class, vec::observationsLong);
      assertThrows(FailedPreconditionException.class, vec::observationsDouble);
    }
  }

  @Test
  void stepBeforeResetFailsThatEnvOnly() {
    try (VecEnv vec = example(2, 1)) {
      vec.reset(new boolean[] {false, true});
      vec.step(new long[] {0, 0});
      assertArrayEquals(new boolean[] {true, false}, vec.dones());
      assertEquals(Status.SESSION_NOT_FOUND, vec.result(0).status());
      assertInstanceOf(SessionNotFoundException.class, vec.result(0).error());
    }
  }

  @Test
  void borrowedEnvsAreNotFreed() {
    VecEnv vec = example(2, 1);
    CompilerEnv view;
    try {
      vec.reset(null);
      view = vec.envAt(0);
      view.close(); // ends the view only
      assertTrue(view.isClosed());
      assertThrows(ServiceIsClosedException.class, view::actionCount);
      for (int i = 0; i < 100; ++i) vec.envAt(i % 2); // views dropped to the garbage collector
      System.gc();
      System.runFinalization();
      vec.step(new long[] {1, 2});
      assertEquals(1, vec.envAt(0).actionCount());
      view = vec.envAt(1);
      // A fork of a borrowed env is the caller's own env.
      try (CompilerEnv fork = view.fork()) {
        assertFalse(fork.isBorrowed());
        assertEquals(1, fork.actionCount());
      }
      assertEquals(1, view.actionCount());
    } finally {
      vec.close();
    }
    assertTrue(vec.isClosed());
    assertTrue(view.isClosed());
    assertThrows(ServiceIsClosedException.class, view::actionCount);
    assertThrows(ServiceIsClosedException.class, vec::numEnvs);
    assertThrows(ServiceIsClosedException.class, () -> vec.step(new long[] {0, 0}));
    vec.close(); // idempotent
  }

  /** Bounded waits for managed LLVM services. */
  static Options llvmTimings() {
    return new Options().localServiceExitMaxSeconds(30).localServicePortInitMaxSeconds(60)
        .initMaxSeconds(60);
  }

  @Test
  void llvmAutophaseById() {
    LlvmMakeTest.llvmInstalled();
    try (VecEnv vec = VecEnv.make("llvm-autophase-ic-v0", 2, 0, llvmTimings())) {
      assertEquals(2, vec.numEnvs());
      vec.reset(null);
      assertEquals(56, vec.observationWidth());
      long[][] autophase = vec.observationsLong();
      assertEquals(2, autophase.length);
      assertEquals(56, autophase[0].length);
      assertArrayEquals(autophase[0], autophase[1], "same benchmark, same features");
      assertArrayEquals(autophase[0], vec.envAt(0).observeLongs("Autophase"));
      vec.step(new long[] {0, 1});
      autophase = vec.observationsLong();
      assertEquals(2, vec.rewards().length);
      for (int i = 0; i < 2; ++i) {
        assertArrayEquals(vec.envAt(i).observeLongs("Autophase"), autophase[i]);
        assertEquals(vec.result(i).reward(), vec.rewards()[i]);
      }
      double[][] doubles = vec.observationsDouble();
      for (int j = 0; j < 56; ++j) assertEquals((double) autophase[1][j], doubles[1][j]);
    }
  }

  @Test
  void llvmInProcess() {
    LlvmMakeTest.llvmInstalled();
    try (VecEnv vec = VecEnv.make("llvm-autophase-ic-v0", Cgym.INPROC, 2, 4, null)) {
      assertEquals(1, vec.numServices());
      vec.reset(null);
      assertEquals(56, vec.observationsLong()[1].length);
    }
  }
}
