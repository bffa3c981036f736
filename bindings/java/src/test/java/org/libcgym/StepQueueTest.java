// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pipelined steps (cgym_step_queue) of envs of managed C example services. */
class StepQueueTest {
  static final double FOREVER = Double.POSITIVE_INFINITY;

  @Test
  void submitAndTakeEveryStepWithItsTag() {
    try (VecEnv vec = VecEnv.connect(TestSupport.exampleServiceC(), 4, 2, TestSupport.options());
         StepQueue queue = new StepQueue()) {
      vec.reset(null);
      assertEquals(0, queue.size());
      List<CompilerEnv> envs = new ArrayList<>();
      for (int i = 0; i < 4; ++i) envs.add(vec.envAt(i));
      for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 4; ++i) queue.submit(envs.get(i), i % 3, 100 * round + i);
        assertEquals(4, queue.size());
        Map<Long, StepQueue.Completed> taken = new HashMap<>();
        while (queue.size() > 0) {
          StepQueue.Completed done = queue.next(FOREVER);
          assertNull(taken.put(done.tag(), done), "each tag once");
        }
        assertEquals(4, taken.size());
        for (int i = 0; i < 4; ++i) {
          StepQueue.Completed done = taken.get(100L * round + i);
          assertSame(envs.get(i), done.env());
          assertNull(done.error());
          assertFalse(done.result().done());
          assertEquals(Status.OK, done.rawResult().status());
        }
      }
      for (int i = 0; i < 4; ++i) {
        assertEquals(3, envs.get(i).actionCount());
        assertEquals(Event.ofLong(i % 3), envs.get(i).actions().get(2));
      }
    }
  }

  @Test
  void oneEnvsStepsComeOutInOrder() {
    try (CompilerEnv env = CompilerEnv.connect(TestSupport.exampleServiceC(),
             TestSupport.options());
         StepQueue queue = new StepQueue()) {
      env.reset();
      for (long tag = 7; tag < 12; ++tag) {
        queue.submit(env, List.of(Event.ofLong(tag % 3)), List.of("features", "ir"), List.of(),
            tag);
        StepQueue.Completed done = queue.next(FOREVER);
        assertEquals(tag, done.tag());
        StepResult result = done.result();
        assertEquals(List.of(Event.ofLongs(0, 0, 0), Event.ofString("Hello, world!")),
            result.observations());
        assertEquals(0, result.rewards().length);
      }
      assertEquals(5, env.actionCount());
      // A negative tag is a 64-bit value as any other.
      queue.submit(env, 0, -1);
      assertEquals(-1, queue.next(FOREVER).tag());
    }
  }

  @Test
  void errors() {
    try (CompilerEnv env = CompilerEnv.connect(TestSupport.exampleServiceC(),
             TestSupport.options());
         StepQueue queue = new StepQueue()) {
      OutOfRangeException empty = assertThrows(OutOfRangeException.class, () -> queue.next(0));
      assertEquals(Status.OUT_OF_RANGE, empty.code());
      assertTrue(empty.getMessage().contains("No step in the queue"), empty.getMessage());
      assertThrows(OutOfRangeException.class, () -> queue.next(FOREVER));

      // Before reset: nothing is queued.
      assertThrows(SessionNotFoundException.class, () -> queue.submit(env, 0, 1));
      assertEquals(0, queue.size());
      env.reset();
      assertThrows(NotFoundException.class,
          () -> queue.submit(env, List.of(Event.ofLong(0)), List.of("nope"), null, 1));
      assertThrows(InvalidArgumentException.class, () -> queue.submit(null, 0, 1));
      assertThrows(InvalidArgumentException.class,
          () -> queue.submit(env, List.of(Event.ofLong(0)), null, null, -1.0, 1));
      assertEquals(0, queue.size());

      // A busy env: a second step, or any other call, is FAILED_PRECONDITION.
      queue.submit(env, 1, 10);
      FailedPreconditionException busy =
          assertThrows(FailedPreconditionException.class, () -> queue.submit(env, 1, 11));
      assertTrue(busy.getMessage().contains("step in flight"), busy.getMessage());
      assertThrows(FailedPreconditionException.class, () -> env.step(0));
      assertThrows(FailedPreconditionException.class, env::actionCount);
      assertEquals(1, queue.size());
      assertThrows(InvalidArgumentException.class, () -> queue.next(-1));
      assertThrows(InvalidArgumentException.class, () -> queue.next(Double.NaN));
      assertEquals(10, queue.next(FOREVER).tag());
      assertEquals(1, env.actionCount(), "free again");

      // An action the service rejects comes out of the queue with its error; the episode
      // goes on.
      queue.submit(env, 3, 20);
      StepQueue.Completed rejected = queue.next(FOREVER);
      assertEquals(20, rejected.tag());
      InvalidArgumentException e =
          assertThrows(InvalidArgumentException.class, rejected::result);
      assertTrue(e.getMessage().contains("Out-of-range"), e.getMessage());
      assertInstanceOf(InvalidArgumentException.class, rejected.error());
      assertEquals(Status.INVALID_ARGUMENT, rejected.rawResult().status());
      assertTrue(rejected.rawResult().observations().isEmpty());
      assertTrue(env.inEpisode());
      assertFalse(env.step(0).done());
    }
  }

  @Test
  void closingAnEnvAbandonsItsStep() {
    try (StepQueue queue = new StepQueue()) {
      CompilerEnv env = CompilerEnv.connect(TestSupport.exampleServiceC(), TestSupport.options());
      env.reset();
      queue.submit(env, 0, 5);
      env.close();
      StepQueue.Completed abandoned = queue.next(FOREVER);
      assertEquals(5, abandoned.tag());
      assertThrows(CancelledException.class, abandoned::result);
      assertEquals(Status.CANCELLED, abandoned.rawResult().status());
      assertEquals(0, queue.size());
    }
  }

  @Test
  void closingTheQueueFreesItsEnvs() {
    try (CompilerEnv env = CompilerEnv.connect(TestSupport.exampleServiceC(),
             TestSupport.options())) {
      env.reset();
      StepQueue queue = new StepQueue();
      queue.submit(env, 0, 1);
      queue.close();
      queue.close(); // idempotent
      assertTrue(queue.isClosed());
      assertEquals(0, queue.size());
      assertThrows(ServiceIsClosedException.class, () -> queue.next(0));
      assertThrows(ServiceIsClosedException.class, () -> queue.submit(env, 0, 2));
      // The step was waited for, its result dropped: the env is free.
      assertFalse(env.step(1).done());
      assertEquals(2, env.actionCount());
    }
  }
}
