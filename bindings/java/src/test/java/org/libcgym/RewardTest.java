// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libcgym.example.ExampleSession;

/** Rewards written in Java (cgym_env_add_reward) on envs of the Java example session. */
class RewardTest {
  @BeforeAll
  static void register() {
    Service.registerInProcess("java-example-rewards", ExampleSession.definition());
  }

  static CompilerEnv connect() {
    return CompilerEnv.connect("inproc:java-example-rewards", TestSupport.options());
  }

  /** +1 per action, plus the "runtime" observation, minus 10 for action index 2; throws
   * for action index 1 as configured. Counts live instances in `live`. */
  static final class Counting extends Reward {
    final AtomicInteger live;
    final List<String> resets = Collections.synchronizedList(new ArrayList<>());
    Exception failOnB;
    Error crashOnB;

    Counting(AtomicInteger live) {
      this.live = live;
      live.incrementAndGet();
    }

    @Override
    public void reset(String benchmarkUri) {
      resets.add(benchmarkUri);
    }

    @Override
    public double update(List<Event> actions, List<Event> observations) throws Exception {
      assertEquals(1, observations.size());
      double reward = observations.get(0).asDouble();
      for (Event action : actions) {
        if (action.asLong() == 1 && failOnB != null) throw failOnB;
        if (action.asLong() == 1 && crashOnB != null) throw crashOnB;
        reward += action.asLong() == 2 ? -10 : 1;
      }
      return reward;
    }

    @Override
    public Reward copy() {
      Counting copy = new Counting(live);
      copy.failOnB = failOnB;
      copy.crashOnB = crashOnB;
      return copy;
    }

    @Override
    public void close() {
      live.decrementAndGet();
    }
  }

  @Test
  void rewardsStepForkAndClose() {
    AtomicInteger live = new AtomicInteger();
    Counting reward = new Counting(live);
    try (CompilerEnv env = connect()) {
      env.addReward(RewardSpec.of("count", "runtime"), reward);
      assertEquals(List.of("count"), env.rewardSpaces());
      env.setRewardSpace("count");
      env.reset();
      assertEquals(List.of(TestSupport.BENCHMARK), reward.resets);
      assertEquals(0.0, env.episodeReward());
      // runtime is 1 after one action: 1 + 1.
      assertArrayEquals(new double[] {2.0}, env.step(0).rewards());
      StepResult two = env.step(List.of(Event.ofLong(0), Event.ofLong(2)), List.of("ir"),
          List.of("count"));
      assertArrayEquals(new double[] {3.0 + 1 - 10}, two.rewards());
      assertEquals(Event.ofString("Hello, world! a a c"), two.observation());
      assertEquals(3.0, env.reward("count")); // no actions: the observation only

      // A fork has its own copy of the reward.
      try (CompilerEnv fork = env.fork()) {
        assertEquals(2, live.get());
        assertEquals(List.of("count"), fork.rewardSpaces());
        assertArrayEquals(new double[] {4.0 + 1}, fork.step(0).rewards());
      }
      assertEquals(1, live.get());
      assertArrayEquals(new double[] {4.0 + 1}, env.step(0).rewards());
    }
    assertEquals(0, live.get(), "every reward was closed once");
  }

  @Test
  void rewardWithoutCopyIsSharedByForks() {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger closed = new AtomicInteger();
    Reward shared = new Reward() {
      @Override
      public double update(List<Event> actions, List<Event> observations) {
        calls.add("update");
        return observations.get(0).asDouble();
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
    try (CompilerEnv env = connect()) {
      env.addReward(RewardSpec.of("shared", "runtime"), shared);
      env.reset();
      env.step(List.of(Event.ofLong(0)), List.of(), List.of("shared"));
      try (CompilerEnv fork = env.fork()) {
        assertArrayEquals(new double[] {2.0},
            fork.step(List.of(Event.ofLong(0)), List.of(), List.of("shared")).rewards());
      }
      assertEquals(0, closed.get(), "the env still holds the shared reward");
      assertEquals(2, calls.size());
    }
    assertEquals(1, closed.get());
  }

  @Test
  void failingRewardFailsTheCallWithItsCodeAndCause() {
    AtomicInteger live = new AtomicInteger();
    Counting failing = new Counting(live);
    IllegalStateException cause = new IllegalStateException("reward refused b");
    failing.failOnB = cause;
    try (CompilerEnv env = connect()) {
      env.addReward(RewardSpec.of("failing", "runtime"), failing);
      env.reset();
      FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
          () -> env.step(List.of(Event.ofLong(1)), null, List.of("failing")));
      assertTrue(e.getMessage().contains("reward refused b"), e.getMessage());
      assertSame(cause, e.getCause());
      // The env still works.
      env.reset();
      assertArrayEquals(new double[] {2.0},
          env.step(List.of(Event.ofLong(0)), null, List.of("failing")).rewards());
    }
    assertEquals(0, live.get());
  }

  @Test
  void errorOfARewardIsRethrown() {
    AtomicInteger live = new AtomicInteger();
    Counting crashing = new Counting(live);
    AssertionError error = new AssertionError("reward crashed on purpose");
    crashing.crashOnB = error;
    try (CompilerEnv env = connect()) {
      env.addReward(RewardSpec.of("crashing", "runtime"), crashing);
      env.reset();
      AssertionError thrown = assertThrows(AssertionError.class,
          () -> env.step(List.of(Event.ofLong(1)), null, List.of("crashing")));
      assertSame(error, thrown);
      env.reset();
      assertFalse(env.step(0).done());
    }
    assertEquals(0, live.get());
  }

  @Test
  void failedAddRewardClosesTheReward() {
    AtomicInteger live = new AtomicInteger();
    try (CompilerEnv env = connect()) {
      assertThrows(NotFoundException.class,
          () -> env.addReward(RewardSpec.of("bad", "no-such-space"), new Counting(live)));
      assertEquals(0, live.get(), "libcgym released the reward of the failed call");
      // Failures before libcgym (a NUL in a name, no spec) close the reward too.
      assertThrows(InvalidArgumentException.class,
          () -> env.addReward(RewardSpec.of("bad\u0000name", "runtime"), new Counting(live)));
      assertThrows(InvalidArgumentException.class, () -> env.addReward(null, new Counting(live)));
      assertEquals(0, live.get());
      assertEquals(List.of(), env.rewardSpaces());
    }
    CompilerEnv closed = connect();
    closed.close();
    assertThrows(ServiceIsClosedException.class,
        () -> closed.addReward(RewardSpec.of("late", "runtime"), new Counting(live)));
    assertEquals(0, live.get());
  }

  @Test
  void rewardOnErrorAndSpec() {
    RewardSpec spec = RewardSpec.of("r", "runtime", "ir").withDefaultValue(-5)
        .withDefaultNegatesReturns(true).withDeterministic(false);
    assertEquals(List.of("runtime", "ir"), spec.observationSpaces());
    assertEquals(-5.0, spec.defaultValue());
    assertTrue(spec.defaultNegatesReturns());
    assertFalse(spec.deterministic());
  }
}
