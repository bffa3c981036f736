// SPDX-License-Identifier: MIT
package org.libcgym;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A queue of steps in flight (cgym_step_queue): one thread submits steps of many envs and takes
 * their results as they complete, keeping many sessions busy (on one service or several)
 * without a thread per env.
 *
 * <pre>{@code
 * try (StepQueue queue = new StepQueue()) {
 *   for (int i = 0; i < envs.size(); ++i) queue.submit(envs.get(i), 0, i);
 *   while (queue.size() > 0) {
 *     StepQueue.Completed done = queue.next(Double.POSITIVE_INFINITY);
 *     StepResult result = done.result(); // throws the step's error, if any
 *   }
 * }
 * }</pre>
 *
 * <p>An env has at most one step in flight. From {@link #submit} until its result is taken by
 * {@link #next}, the env belongs to the queue: any other call with it throws
 * {@link FailedPreconditionException} ("The env has a step in flight"). Closing an env with a
 * step in flight abandons the step: its result still comes out of the queue, with status
 * {@link Status#CANCELLED}. A queue is used by one thread at a time, as an env is.
 * {@link #close()} waits for the steps still in flight and drops their results; a
 * {@link Cleaner} does the same if the queue becomes unreachable without being closed.
 */
public final class StepQueue implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  static {
    Native.load();
  }

  /** Frees the native queue exactly once (from close() or from the Cleaner). */
  private static final class Free implements Runnable {
    private final long handle;

    Free(long handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      Native.stepQueueFree(handle);
    }
  }

  /** A submitted step: the caller's tag and the env (kept reachable while in flight). */
  private record Pending(CompilerEnv env, long tag) {}

  /** A completed step: its tag, its env and its result. */
  public static final class Completed {
    private final long tag;
    private final CompilerEnv env;
    private final StepResult result;

    Completed(long tag, CompilerEnv env, StepResult result) {
      this.tag = tag;
      this.env = env;
      this.result = result;
    }

    /** The tag given to {@link StepQueue#submit}. */
    public long tag() {
      return tag;
    }

    /** The env that was stepped (free again). */
    public CompilerEnv env() {
      return env;
    }

    /**
     * The step's result, as {@link CompilerEnv#step} would have returned it; throws the
     * exception {@link CompilerEnv#step} would have thrown (e.g.
     * {@link InvalidArgumentException} for an action the service rejects,
     * {@link CancelledException} for a step abandoned by closing its env).
     */
    public StepResult result() {
      return result.orThrow();
    }

    /** The step's result without throwing: a failed step's has no observations or rewards,
     * and its {@link StepResult#status()} says why. */
    public StepResult rawResult() {
      return result;
    }

    /** The step's error (see {@link #result()}), or null if it succeeded. */
    public CgymException error() {
      return result.error();
    }

    @Override
    public String toString() {
      return "Completed(tag=" + tag + ", result=" + result + ")";
    }
  }

  private final long handle;
  private final Cleaner.Cleanable cleanable;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The steps in flight by their native tag (a sequence number of this queue). */
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextId;

  /** An empty queue. */
  public StepQueue() {
    this.handle = Native.stepQueueNew();
    this.cleanable = CLEANER.register(this, new Free(handle));
  }

  private long handle() {
    if (closed.get()) throw new ServiceIsClosedException("StepQueue is closed");
    return handle;
  }

  /** Submits a step of one action given as an index, with the default spaces. */
  public void submit(CompilerEnv env, long action, long tag) {
    submit(env, List.of(Event.ofLong(action)), null, null, tag);
  }

  /** Submits a step with the default spaces and CompilerGym's deadline. */
  public void submit(CompilerEnv env, List<Event> actions, long tag) {
    submit(env, actions, null, null, tag);
  }

  /** Submits a step with CompilerGym's deadline ({@link CompilerEnv#DEFAULT_TIMEOUT_SECONDS}). */
  public void submit(CompilerEnv env, List<Event> actions, List<String> observationSpaces,
      List<String> rewardSpaces, long tag) {
    submit(env, actions, observationSpaces, rewardSpaces, false, 0, tag);
  }

  /**
   * Submits a step of {@code env}, with the arguments of
   * {@link CompilerEnv#step(List, List, List, double)}, and returns without waiting for it;
   * {@code tag} comes back with its result. The errors a step finds before sending anything
   * are thrown here, and nothing is queued: {@link InvalidArgumentException},
   * {@link NotFoundException} for an unknown space, {@link SessionNotFoundException} before
   * reset; {@link FailedPreconditionException} if the env already has a step in flight. A step
   * of an in-process service runs here, on the calling thread.
   */
  public void submit(CompilerEnv env, List<Event> actions, List<String> observationSpaces,
      List<String> rewardSpaces, double timeoutSeconds, long tag) {
    submit(env, actions, observationSpaces, rewardSpaces, true, timeoutSeconds, tag);
  }

  private void submit(CompilerEnv env, List<Event> actions, List<String> observationSpaces,
      List<String> rewardSpaces, boolean hasTimeout, double timeoutSeconds, long tag) {
    if (env == null) throw new InvalidArgumentException("env is null");
    if (actions == null) throw new InvalidArgumentException("actions is null");
    long queue = handle();
    long envHandle = env.handle();
    long[] events = new long[actions.size()];
    String[] observations =
        observationSpaces == null ? null : observationSpaces.toArray(new String[0]);
    String[] rewards = rewardSpaces == null ? null : rewardSpaces.toArray(new String[0]);
    long id = nextId++;
    try {
      for (int i = 0; i < events.length; ++i) events[i] = actions.get(i).toNative();
      // An in-process step runs here, with the env's rewards written in Java.
      RewardBridge.run(() -> {
        Native.stepSubmit(queue, envHandle, events, observations, rewards, hasTimeout,
            timeoutSeconds, id);
        return null;
      });
      pending.put(id, new Pending(env, tag));
      env.inFlight = true;
    } finally {
      for (long event : events) Native.eventFree(event);
    }
  }

  /** The number of steps submitted and not yet taken. */
  public int size() {
    return closed.get() ? 0 : (int) Native.stepQueueSize(handle);
  }

  /**
   * Takes the result of a completed step, in the order they complete, waiting up to
   * {@code timeoutSeconds} (0: no wait; {@code Double.POSITIVE_INFINITY}: until one completes).
   * The env is free again. A step that failed where {@link CompilerEnv#step} would have thrown
   * still comes out: {@link Completed#result()} throws its exception.
   *
   * @throws OutOfRangeException if the queue is empty ("No step in the queue")
   * @throws DeadlineExceededException if no step completed in time
   * @throws InvalidArgumentException for a NaN or negative timeout
   */
  public Completed next(double timeoutSeconds) {
    long queue = handle();
    long[] id = new long[1];
    long result = RewardBridge.run(() -> Native.stepQueueNext(queue, timeoutSeconds, id));
    try {
      Pending step = pending.remove(id[0]);
      if (step != null) step.env().inFlight = false;
      StepResult copy = StepResult.fromNative(result);
      return step == null ? new Completed(id[0], null, copy)
                          : new Completed(step.tag(), step.env(), copy);
    } finally {
      Native.stepResultFree(result);
    }
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Waits for the steps still in flight, drops their results (their envs are free again) and
   * frees the queue. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      cleanable.clean();
    } finally {
      for (Pending step : pending.values()) step.env().inFlight = false;
      pending.clear();
    }
  }
}
