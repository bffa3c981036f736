// SPDX-License-Identifier: MIT
package org.libcgym;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * <p>{@link Cgym#make(String, String, Options)} makes an env by id (e.g. "llvm-ic-v0"), as
 * CompilerGym's gym.make.
 *
 * <p>The endpoint decides the transport: the path of a service binary (a managed service,
 * launched now, owned by this env and its forks), "HOST:PORT" or "unix:PATH" (an unmanaged
 * service), or "inproc:NAME" (a service registered with {@link Service#registerInProcess}).
 *
 * <p>An env must not be used by two threads at once; different envs (forks included) may be
 * used from different threads. {@link #close()} frees the native env (idempotent); a
 * {@link Cleaner} frees it if the env becomes unreachable without being closed. Any method of
 * a closed env throws {@link ServiceIsClosedException}.
 *
 * <p>An env of a {@link VecEnv} ({@link VecEnv#envAt(int)}) is borrowed: the vector env owns
 * the native env. Closing (or dropping) the borrowed object only ends this view of it, and
 * every method throws {@link ServiceIsClosedException} once the vector env is closed.
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
  /** Null for a borrowed env. */
  private final Cleaner.Cleanable cleanable;
  /** The vector env that owns a borrowed env (kept reachable while the view is); else null. */
  private final VecEnv owner;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Whether a {@link StepQueue} holds a step of this env: close() then only frees the env,
   * which abandons the step (cgym_env_close would refuse a busy env). */
  volatile boolean inFlight;

  static {
    Native.load();
  }

  private CompilerEnv(long handle) {
    this.handle = handle;
    this.cleanable = CLEANER.register(this, new Free(handle));
    this.owner = null;
  }

  private CompilerEnv(long handle, VecEnv owner) {
    this.handle = handle;
    this.cleanable = null;
    this.owner = owner;
  }

  /** A view of an env that `owner` owns (cgym_vec_env_at): never freed by this object. */
  static CompilerEnv borrowed(long handle, VecEnv owner) {
    return new CompilerEnv(handle, owner);
  }

  /** Connects to a service with the default options. */
  public static CompilerEnv connect(String endpoint) {
    return connect(endpoint, null);
  }

  /**
   * Connects to a service. Throws {@link InvalidArgumentException} for an empty endpoint,
   * {@link NotFoundException} for a missing binary or unregistered in-process name,
   * {@link ServiceInitException} if the service fails to start, {@link DeadlineExceededException}
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

  /** Cgym.make: cgym_make (endpoint null for a managed service). */
  static CompilerEnv make(String id, String endpoint, Options options) {
    long o = options != null ? options.toNative() : 0;
    try {
      return new CompilerEnv(Native.make(id, endpoint, o));
    } finally {
      Native.optionsFree(o);
    }
  }

  /** The native env, for the calls of this package ({@link StepQueue}). */
  long handle() {
    if (closed.get()) throw new ServiceIsClosedException("CompilerEnv is closed");
    if (owner != null && owner.isClosed()) {
      throw new ServiceIsClosedException("The VecEnv of this CompilerEnv is closed");
    }
    return handle;
  }

  /** Starts an episode; returns the default observation space's observation, or null. Each
   * call to the service has CompilerGym's deadline ({@link #DEFAULT_TIMEOUT_SECONDS}). */
  public Event reset() {
    return reset(false, 0);
  }

  /**
   * reset() with a deadline for each call to the service, in seconds:
   * {@code Double.POSITIVE_INFINITY} for none; 0 expires at once (an expired deadline counts
   * as a failed attempt: the service is replaced and the reset retried, up to
   * init_max_attempts). {@link InvalidArgumentException} for NaN or a negative value.
   */
  public Event reset(double timeoutSeconds) {
    return reset(true, timeoutSeconds);
  }

  private Event reset(boolean hasTimeout, double timeoutSeconds) {
    long env = handle();
    long observation =
        RewardBridge.run(() -> Native.envReset(env, hasTimeout, timeoutSeconds));
    if (observation == 0) return null;
    try {
      return Event.fromNative(observation);
    } finally {
      Native.eventFree(observation);
    }
  }

  /** Applies one action given as an index, with the default spaces. */
  public StepResult step(long action) {
    return step(List.of(Event.ofLong(action)), null, null);
  }

  /** Applies one action given by its name in the current (named discrete) action space. */
  public StepResult step(String actionName) {
    int index = actionSpace().actionNames().indexOf(actionName);
    if (index < 0) throw new NotFoundException("Unknown action: " + actionName);
    return step(index);
  }

  /** Applies one action, with the default spaces. */
  public StepResult step(Event action) {
    return step(List.of(action), null, null);
  }

  /** step(actions, observationSpaces, rewardSpaces, timeout) with CompilerGym's deadline
   * ({@link #DEFAULT_TIMEOUT_SECONDS}). */
  public StepResult step(List<Event> actions, List<String> observationSpaces,
      List<String> rewardSpaces) {
    return step(actions, observationSpaces, rewardSpaces, false, 0);
  }

  /**
   * Applies actions, then computes observations and rewards. A null space list means the
   * default space (if any); otherwise the named spaces (possibly none). Each call to the
   * service has a deadline of {@code timeoutSeconds} ({@code Double.POSITIVE_INFINITY}: none);
   * a step whose deadline passes is a failed step: done, with error type "TimeoutError".
   * Throws {@link SessionNotFoundException} before reset, {@link InvalidArgumentException} for
   * an action the service rejects (the episode goes on) or a NaN or negative timeout,
   * {@link NotFoundException} for an unknown space.
   */
  public StepResult step(List<Event> actions, List<String> observationSpaces,
      List<String> rewardSpaces, double timeoutSeconds) {
    return step(actions, observationSpaces, rewardSpaces, true, timeoutSeconds);
  }

  private StepResult step(List<Event> actions, List<String> observationSpaces,
      List<String> rewardSpaces, boolean hasTimeout, double timeoutSeconds) {
    long env = handle();
    long[] events = new long[actions.size()];
    String[] observations =
        observationSpaces == null ? null : observationSpaces.toArray(new String[0]);
    String[] rewards = rewardSpaces == null ? null : rewardSpaces.toArray(new String[0]);
    long result = 0;
    try {
      for (int i = 0; i < events.length; ++i) events[i] = actions.get(i).toNative();
      result = RewardBridge.run(() -> Native.step(env, events, observations, rewards, hasTimeout,
          timeoutSeconds));
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

  /** Computes one observation now, as a double (any scalar numeric observation;
   * {@link FailedPreconditionException} otherwise). */
  public double observeDouble(String space) {
    return Native.envObserveDouble(handle(), space);
  }

  /** Computes one observation now, as int64 values (an INT64 scalar or INT64_TENSOR;
   * {@link FailedPreconditionException} otherwise). */
  public long[] observeLongs(String space) {
    return Native.envObserveInt64s(handle(), space);
  }

  /** Computes one observation now, as a string (a STRING observation). */
  public String observeString(String space) {
    return Native.envObserveString(handle(), space);
  }

  /** Computes one reward now. */
  public double reward(String space) {
    long env = handle();
    return RewardBridge.run(() -> Native.envReward(env, space));
  }

  /** A new env in the same state (ForkSession, or a replay if the service cannot fork). The
   * fork gets a {@link Reward#copy()} of each reward written in Java. */
  public CompilerEnv fork() {
    long env = handle();
    return new CompilerEnv(RewardBridge.run(() -> Native.fork(env)));
  }

  /**
   * Adds (or replaces) a reward space computed on the client by a reward written in Java (see
   * {@link Reward}). Throws {@link NotFoundException} if an observation space of the spec is
   * unknown. The env owns the reward from this call on, whether it succeeds or fails: it
   * calls {@link Reward#close()} when the reward is dropped (at once if the call fails).
   */
  public void addReward(RewardSpec spec, Reward reward) {
    if (reward == null) throw new InvalidArgumentException("reward is null");
    long env;
    try {
      if (spec == null) throw new InvalidArgumentException("spec is null");
      env = handle();
    } catch (CgymException e) {
      RewardBridge.destroy(reward);
      throw e;
    }
    Native.envAddReward(env, spec.name(), spec.observationSpaces().toArray(new String[0]),
        spec.defaultValue(), spec.defaultNegatesReturns(), spec.deterministic(), reward,
        reward.hasCopy());
  }

  /**
   * Adds (or replaces) reward space {@code name}, the decrease of the scalar observation
   * {@code costSpace} (CompilerGym's CostFunctionReward family; see {@link CostRewardKind}),
   * computed on the client. C0 is read from {@code initialCostSpace} and, for
   * {@link CostRewardKind#BASELINE}, Cb from {@code baselineCostSpace} (null otherwise), once per
   * benchmark. A failed step's reward is 0 minus the episode's reward so far. Envs of
   * {@link Cgym#make} have twelve such rewards already, e.g. IrInstructionCountOz is
   * {@code addCostReward("IrInstructionCountOz", "IrInstructionCount", "IrInstructionCountO0",
   * "IrInstructionCountOz", CostRewardKind.BASELINE, true, false)}.
   *
   * @throws NotFoundException for an unknown observation space
   * @throws InvalidArgumentException for a BASELINE reward without baseline space
   */
  public void addCostReward(String name, String costSpace, String initialCostSpace,
      String baselineCostSpace, CostRewardKind kind, boolean deterministic,
      boolean platformDependent) {
    if (name == null || costSpace == null || initialCostSpace == null || kind == null) {
      throw new InvalidArgumentException("name, costSpace, initialCostSpace and kind are needed");
    }
    Native.envAddCostReward(handle(), name, costSpace, initialCostSpace, baselineCostSpace,
        kind.value(), deterministic, platformDependent);
  }

  /** Sends a session parameter and returns the service's reply. */
  public String sendParam(String key, String value) {
    return Native.sendParam(handle(), key, value, false);
  }

  /** Sends a session parameter, also after every later reset if resendOnReset. */
  public String sendParam(String key, String value, boolean resendOnReset) {
    return Native.sendParam(handle(), key, value, resendOnReset);
  }

  /** Sends parameters in one call (in the map's iteration order) and returns the service's
   * replies, in the same order. */
  public List<String> sendParams(Map<String, String> parameters) {
    return sendParams(parameters, false);
  }

  /** sendParams, also after every later reset if resendOnReset. */
  public List<String> sendParams(Map<String, String> parameters, boolean resendOnReset) {
    long env = handle();
    String[] keys = new String[parameters.size()];
    String[] values = new String[parameters.size()];
    int i = 0;
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      keys[i] = e.getKey();
      values[i] = e.getValue();
      ++i;
    }
    return List.of(Native.sendParams(env, keys, values, resendOnReset));
  }

  /** The benchmark for the next reset. */
  public void setBenchmark(String uri) {
    Native.envSetBenchmark(handle(), uri, null);
  }

  public void setBenchmark(String uri, byte[] program) {
    Native.envSetBenchmark(handle(), uri, program);
  }

  /** The benchmark for the next reset, with its program (e.g. from
   * {@link Cgym#makeBenchmark}). */
  public void setBenchmark(Benchmark benchmark) {
    if (benchmark == null) throw new InvalidArgumentException("benchmark is null");
    Native.envSetBenchmark(handle(), benchmark.uri(), benchmark.bitcodeBytes());
  }

  /** The current episode's benchmark URI ("" before the first reset). */
  public String benchmark() {
    return Native.envBenchmark(handle());
  }

  /** The default observation space (null or "": none). */
  public void setObservationSpace(String name) {
    Native.envSetSpace(handle(), NativeConstants.ENV_OBSERVATION_SPACE, name);
  }

  /** The default reward space (null or "": none). A new reward space restarts the episode's
   * reward. */
  public void setRewardSpace(String name) {
    Native.envSetSpace(handle(), NativeConstants.ENV_REWARD_SPACE, name);
  }

  /** The action space for the next reset. */
  public void setActionSpace(String name) {
    Native.envSetSpace(handle(), NativeConstants.ENV_ACTION_SPACE, name);
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
    long env = handle();
    RewardBridge.run(() -> {
      Native.envApplyState(env, json);
      return null;
    });
  }

  /** Validates the current state by replaying it in a fork (cgym_env_validate). */
  public ValidationResult validate() {
    return validate(null);
  }

  /** Validates a state given as JSON (null: the current state) by replaying it in a fork. */
  public ValidationResult validate(String stateJson) {
    long env = handle();
    boolean[] okay = new boolean[1];
    String json = RewardBridge.run(() -> Native.envValidate(env, stateJson, okay));
    return new ValidationResult(okay[0], json);
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

  /** The actions taken this episode, in order. */
  public List<Event> actions() {
    long env = handle();
    int n = Native.envActionCount(env);
    List<Event> actions = new ArrayList<>(n);
    for (int i = 0; i < n; ++i) actions.add(Event.fromNative(Native.envActionAt(env, i)));
    return List.copyOf(actions);
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

  /** Whether this env was closed (or, for a borrowed env, its vector env). */
  public boolean isClosed() {
    return closed.get() || (owner != null && owner.isClosed());
  }

  /** Whether this env is borrowed from a {@link VecEnv}. */
  public boolean isBorrowed() {
    return owner != null;
  }

  /**
   * Ends the episode, releases the service and frees the native env. Idempotent. Throws
   * {@link ServiceException} if a managed service exited badly (the env is freed anyway). A
   * step of the env still in a {@link StepQueue} is abandoned: it comes out with status
   * {@link Status#CANCELLED}. For a borrowed env, only ends this view: the vector env still
   * owns, and closes, the native env.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    if (owner != null) return;
    try {
      if (!inFlight) Native.envClose(handle);
    } finally {
      cleanable.clean();
    }
  }
}
