// SPDX-License-Identifier: MIT
package org.libcgym;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A compiler environment (CompilerGym's ClientServiceCompilerEnv) over a cgym_env_t.
 *
 * <pre>{@code
 * try (CompilerEnv env = CompilerEnv.connect("path/to/service",
 *     new Options().benchmark("benchmark://example-compiler-v0/foo"))) {
 *   env.reset();
 *   StepResult result = env.step(0);
 *   Event ir = env.observe("ir");
 * }
 * }</pre>
 *
 * <p>The endpoint decides the transport: the path of a service binary (a managed service,
 * launched now, owned by this env and its forks), "HOST:PORT" or "unix:PATH" (an unmanaged
 * service), or "inproc:NAME" (a service registered with {@link Service#registerInProcess}).
 *
 * <p>An env must not be used by two threads at once; different envs (forks included) may be
 * used from different threads. {@link #close()} frees the native env (idempotent); a
 * {@link Cleaner} frees it if the env becomes unreachable without being closed. Any method of
 * a closed env throws {@link ServiceIsClosed}.
 */
public final class CompilerEnv implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();
  /** CompilerGym's default deadline for each call to the service, in seconds. */
  public static final double DEFAULT_TIMEOUT_SECONDS = 300;

  /** Frees the native env exactly once (from close() or from the Cleaner). */
  private static final class Free implements Runnable {
    private final long handle;

    Free(long handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      Native.envFree(handle);
    }
  }

  private final long handle;
  private final Cleaner.Cleanable cleanable;
  private final AtomicBoolean closed = new AtomicBoolean();

  static {
    Native.load();
  }

  private CompilerEnv(long handle) {
    this.handle = handle;
    this.cleanable = CLEANER.register(this, new Free(handle));
  }

  /** Connects to a service with the default options. */
  public static CompilerEnv connect(String endpoint) {
    return connect(endpoint, null);
  }

  /**
   * Connects to a service. Throws {@link InvalidArgumentException} for an empty endpoint,
   * {@link NotFoundException} for a missing binary or unregistered in-process name,
   * {@link ServiceInitError} if the service fails to start, {@link DeadlineExceededException}
   * if it does not answer in time.
   */
  public static CompilerEnv connect(String endpoint, Options options) {
    if (endpoint == null) throw new InvalidArgumentException("endpoint is null");
    long o = options != null ? options.toNative() : 0;
    try {
      return new CompilerEnv(Native.connect(endpoint, o));
    } finally {
      Native.optionsFree(o);
    }
  }

  private long handle() {
    if (closed.get()) throw new ServiceIsClosed("CompilerEnv is closed");
    return handle;
  }

  /** Starts an episode; returns the default observation space's observation, or null. */
  public Event reset() {
    return reset(-1);
  }

  /** reset() with a deadline for each call to the service (<= 0: the default, 300 s). */
  public Event reset(double timeoutSeconds) {
    long observation = Native.envReset(handle(), timeoutSeconds);
    if (observation == 0) return null;
    try {
      return Event.fromNative(observation);
    } finally {
      Native.eventFree(observation);
    }
  }

  /** Applies one action given as an index, with the default spaces. */
  public StepResult step(long action) {
    return step(List.of(Event.ofLong(action)), null, null, DEFAULT_TIMEOUT_SECONDS);
  }

  /** Applies one action given by its name in the current (named discrete) action space. */
  public StepResult step(String actionName) {
    int index = actionSpace().actionNames().indexOf(actionName);
    if (index < 0) throw new NotFoundException("Unknown action: " + actionName);
    return step(index);
  }

  /** Applies one action, with the default spaces. */
  public StepResult step(Event action) {
    return step(List.of(action), null, null, DEFAULT_TIMEOUT_SECONDS);
  }

  /**
   * Applies actions, then computes observations and rewards. A null space list means the
   * default space (if any); otherwise the named spaces (possibly none). Throws
   * {@link SessionNotFound} before reset, {@link InvalidArgumentException} for an action the
   * service rejects (the episode goes on), {@link NotFoundException} for an unknown space.
   */
  public StepResult step(List<Event> actions, List<String> observationSpaces,
      List<String> rewardSpaces, double timeoutSeconds) {
    long env = handle();
    long[] events = new long[actions.size()];
    long result = 0;
    try {
      for (int i = 0; i < events.length; ++i) events[i] = actions.get(i).toNative();
      result = Native.step(env, events,
          observationSpaces == null ? null : observationSpaces.toArray(new String[0]),
          rewardSpaces == null ? null : rewardSpaces.toArray(new String[0]), timeoutSeconds);
      return StepResult.fromNative(result);
    } finally {
      Native.stepResultFree(result);
      for (long event : events) Native.eventFree(event);
    }
  }

  /** Computes one observation now. */
  public Event observe(String space) {
    long observation = Native.envObserve(handle(), space);
    try {
      return Event.fromNative(observation);
    } finally {
      Native.eventFree(observation);
    }
  }

  /** Computes one reward now. */
  public double reward(String space) {
    return Native.envReward(handle(), space);
  }

  /** A new env in the same state (ForkSession, or a replay if the service cannot fork). */
  public CompilerEnv fork() {
    return new CompilerEnv(Native.fork(handle()));
  }

  /** Sends a session parameter and returns the service's reply. */
  public String sendParam(String key, String value) {
    return Native.sendParam(handle(), key, value, false);
  }

  /** Sends a session parameter, also after every later reset if resendOnReset. */
  public String sendParam(String key, String value, boolean resendOnReset) {
    return Native.sendParam(handle(), key, value, resendOnReset);
  }

  /** The benchmark for the next reset. */
  public void setBenchmark(String uri) {
    Native.envSetBenchmark(handle(), uri, null);
  }

  public void setBenchmark(String uri, byte[] program) {
    Native.envSetBenchmark(handle(), uri, program);
  }

  /** The current episode's benchmark URI ("" before the first reset). */
  public String benchmark() {
    return Native.envBenchmark(handle());
  }

  /** The default observation space (null or "": none). */
  public void setObservationSpace(String name) {
    Native.envSetSpace(handle(), 0, name);
  }

  /** The default reward space (null or "": none). */
  public void setRewardSpace(String name) {
    Native.envSetSpace(handle(), 1, name);
  }

  /** The action space for the next reset. */
  public void setActionSpace(String name) {
    Native.envSetSpace(handle(), 2, name);
  }

  /** The episode's state as JSON: {"benchmark", "commandline", "walltime", "reward"}. */
  public String stateJson() {
    return Native.envStateJson(handle());
  }

  /** The state as CSV (benchmark,reward,walltime,commandline), with a header if asked. */
  public String stateCsv(boolean header) {
    return Native.envStateCsv(handle(), header);
  }

  /** Replays a state given as JSON. */
  public void applyState(String json) {
    Native.envApplyState(handle(), json);
  }

  public boolean inEpisode() {
    return Native.envInEpisode(handle());
  }

  /** The sum of the default reward space's rewards this episode; NaN without reward space. */
  public double episodeReward() {
    return Native.envEpisodeReward(handle());
  }

  public double episodeWalltime() {
    return Native.envEpisodeWalltime(handle());
  }

  /** The number of actions taken this episode. */
  public long actionCount() {
    return Native.envActionCount(handle());
  }

  /** The service's version (the protocol version for a libcgym service). */
  public String serviceVersion() {
    return Native.envVersion(handle())[0];
  }

  /** The compiler's version. */
  public String compilerVersion() {
    return Native.envVersion(handle())[1];
  }

  /** The service's action spaces. */
  public List<ActionSpace> actionSpaces() {
    long env = handle();
    int n = Native.envActionSpaceCount(env);
    List<ActionSpace> spaces = new ArrayList<>(n);
    for (int i = 0; i < n; ++i) spaces.add(ActionSpace.fromNative(Native.envActionSpaceAt(env, i)));
    return List.copyOf(spaces);
  }

  /** The action space in use. */
  public ActionSpace actionSpace() {
    long space = Native.envActionSpace(handle());
    if (space == 0) throw new FailedPreconditionException("no action space");
    return ActionSpace.fromNative(space);
  }

  /** The service's observation spaces. */
  public List<ObservationSpace> observationSpaces() {
    long env = handle();
    int n = Native.envObservationSpaceCount(env);
    List<ObservationSpace> spaces = new ArrayList<>(n);
    for (int i = 0; i < n; ++i) {
      spaces.add(ObservationSpace.fromNative(Native.envObservationSpaceAt(env, i), i));
    }
    return List.copyOf(spaces);
  }

  /** The names of the env's reward spaces. */
  public List<String> rewardSpaces() {
    return List.copyOf(Arrays.asList(Native.envRewardSpaceNames(handle())));
  }

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Ends the episode, releases the service and frees the native env. Idempotent. Throws
   * {@link ServiceError} if a managed service exited badly (the env is freed anyway).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      Native.envClose(handle);
    } finally {
      cleanable.clean();
    }
  }
}
