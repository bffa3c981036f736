// SPDX-License-Identifier: MIT
package org.libcgym;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A vector environment (cgym_vec_env): N envs of one kind, stepped together, all at once, with
 * gymnasium's autoreset modes ({@link AutoresetMode}).
 *
 * <pre>{@code
 * try (VecEnv vec = VecEnv.make("llvm-autophase-ic-v0", 8, 2, null)) {
 *   vec.reset(null);
 *   vec.step(new long[] {0, 1, 2, 3, 4, 5, 6, 7});
 *   double[] rewards = vec.rewards();
 *   long[][] autophase = vec.observationsLong();
 * }
 * }</pre>
 *
 * <p>The envs are made but not reset: call {@link #reset(boolean[])} first. {@link #envAt(int)}
 * gives a borrowed {@link CompilerEnv}, to set its benchmark or spaces, observe it or fork it
 * between steps. A vector env is used by one thread at a time. {@link #close()} closes every
 * env and frees the vector env (idempotent); a {@link Cleaner} frees it if it becomes
 * unreachable without being closed. Any method of a closed vector env throws
 * {@link ServiceIsClosedException}.
 */
public final class VecEnv implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  static {
    Native.load();
  }

  /** Frees the native vector env exactly once (from close() or from the Cleaner). */
  private static final class Free implements Runnable {
    private final long handle;

    Free(long handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      Native.vecEnvFree(handle);
    }
  }

  private final long handle;
  private final Cleaner.Cleanable cleanable;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VecEnv(long handle) {
    this.handle = handle;
    this.cleanable = CLEANER.register(this, new Free(handle));
  }

  private static VecEnv create(String id, String endpoint, int numEnvs, int numServices,
      Options options) {
    if (numEnvs < 0) throw new InvalidArgumentException("numEnvs is negative");
    if (numServices < 0) throw new InvalidArgumentException("numServices is negative");
    long o = options != null ? options.toNative() : 0;
    try {
      return new VecEnv(Native.vecEnvNew(id, endpoint, numEnvs, numServices, o));
    } finally {
      Native.optionsFree(o);
    }
  }

  /** {@link #make(String, String, int, int, Options)} on managed services, one per core. */
  public static VecEnv make(String id, int numEnvs) {
    return make(id, null, numEnvs, 0, null);
  }

  /** {@link #make(String, String, int, int, Options)} on managed services. */
  public static VecEnv make(String id, int numEnvs, int numServices, Options options) {
    return make(id, null, numEnvs, numServices, options);
  }

  /**
   * {@code numEnvs} envs (at least 1), each what {@link Cgym#make(String, String, Options)}
   * makes.
   *
   * @param endpoint null or "" for managed services: the envs are spread over
   *     {@code numServices} services (0: one per core; never more than numEnvs), env i on
   *     service i % numServices; {@link Cgym#INPROC} for one service in this process;
   *     "HOST:PORT" and "unix:PATH" services, several separated by commas: env i on the
   *     (i % count)-th of them
   * @param numServices ignored unless the service is managed
   * @param options may be null
   * @throws InvalidArgumentException for numEnvs 0 or an empty item in the list of endpoints;
   *     otherwise the errors of {@link Cgym#make(String, String, Options)} (the envs made so
   *     far are closed)
   */
  public static VecEnv make(String id, String endpoint, int numEnvs, int numServices,
      Options options) {
    if (id == null) throw new InvalidArgumentException("id is null");
    return create(id, endpoint, numEnvs, numServices, options);
  }

  /**
   * {@code numEnvs} envs (at least 1), each what {@link CompilerEnv#connect(String, Options)}
   * makes: {@code endpoint} is a service binary's path (managed services, as
   * {@link #make(String, String, int, int, Options)} spreads them), "inproc:NAME", or a list of
   * "HOST:PORT" and "unix:PATH" services separated by commas. Errors as
   * {@link #make(String, String, int, int, Options)}, or those of {@link CompilerEnv#connect}.
   */
  public static VecEnv connect(String endpoint, int numEnvs, int numServices, Options options) {
    if (endpoint == null) throw new InvalidArgumentException("endpoint is null");
    return create(null, endpoint, numEnvs, numServices, options);
  }

  private long handle() {
    if (closed.get()) throw new ServiceIsClosedException("VecEnv is closed");
    return handle;
  }

  /** The number of envs. */
  public int numEnvs() {
    return (int) Native.vecEnvNumEnvs(handle());
  }

  /** The number of services the envs run on. */
  public int numServices() {
    return (int) Native.vecEnvNumServices(handle());
  }

  /**
   * Env {@code index}, borrowed: the vector env owns it. Closing the returned object (or
   * dropping it) leaves the env alone; it is unusable once the vector env is closed.
   * {@link OutOfRangeException} past the end.
   */
  public CompilerEnv envAt(int index) {
    return CompilerEnv.borrowed(Native.vecEnvAt(handle(), index), this);
  }

  /** What happens to envs whose episode ends ({@link AutoresetMode#NEXT_STEP} at first). */
  public void setAutoreset(AutoresetMode mode) {
    if (mode == null) throw new InvalidArgumentException("mode is null");
    Native.vecEnvSetAutoreset(handle(), mode.value());
  }

  public AutoresetMode autoreset() {
    return AutoresetMode.of(Native.vecEnvAutoreset(handle()));
  }

  /**
   * Resets the envs whose {@code mask[i]} is true (mask null: all of them; otherwise one entry
   * per env, {@link InvalidArgumentException} if not), as {@link CompilerEnv#reset()} does. Each
   * reset env's result is then its reset's: the default observation (if a default observation
   * space is set), reward 0, not done. Every env asked for is reset even if one fails; the
   * first failure is thrown, its message prefixed "env I: ", and that env's
   * {@link #result(int)} holds the error.
   */
  public void reset(boolean[] mask) {
    reset(mask, false, 0);
  }

  /** {@link #reset(boolean[])} with a deadline for each call to a service, in seconds. */
  public void reset(boolean[] mask, double timeoutSeconds) {
    reset(mask, true, timeoutSeconds);
  }

  private void reset(boolean[] mask, boolean hasTimeout, double timeoutSeconds) {
    long vec = handle();
    RewardBridge.run(() -> {
      Native.vecEnvReset(vec, mask, hasTimeout, timeoutSeconds);
      return null;
    });
  }

  /**
   * Steps every env, all at once, with one action each: {@code actions[i]} is an index into
   * env i's action space; each step computes env i's default observation and reward spaces.
   * What happens to envs whose episode ends is the autoreset mode's. An error of one env (an
   * action its service rejects, a session never reset, a service that died) does not throw:
   * that env's episode is over, its result is done and holds the error
   * ({@link StepResult#status()}, {@link StepResult#errorType()}).
   *
   * @throws InvalidArgumentException if there is not one action per env (nothing is sent)
   */
  public void step(long[] actions) {
    step(actions, false, 0);
  }

  /** {@link #step(long[])} with a deadline for each call to a service, in seconds. */
  public void step(long[] actions, double timeoutSeconds) {
    step(actions, true, timeoutSeconds);
  }

  private void step(long[] actions, boolean hasTimeout, double timeoutSeconds) {
    if (actions == null) throw new InvalidArgumentException("actions is null");
    long vec = handle();
    RewardBridge.run(() -> {
      Native.vecEnvStep(vec, actions, hasTimeout, timeoutSeconds);
      return null;
    });
  }

  /**
   * Env {@code index}'s latest result (copied), of the last {@link #step} or {@link #reset}
   * that touched it; null before any. {@link OutOfRangeException} past the end.
   */
  public StepResult result(int index) {
    long result = Native.vecEnvResult(handle(), index, false);
    return result == 0 ? null : StepResult.fromNative(result);
  }

  /**
   * With {@link AutoresetMode#SAME_STEP}, the result of the step that ended env
   * {@code index}'s episode in the last {@link #step} (copied); null if its episode did not
   * end then. {@link OutOfRangeException} past the end.
   */
  public StepResult finalResult(int index) {
    long result = Native.vecEnvResult(handle(), index, true);
    return result == 0 ? null : StepResult.fromNative(result);
  }

  /** The default reward of every env's latest result (0 where there is none). */
  public double[] rewards() {
    return Native.vecEnvRewards(handle());
  }

  /** Whether every env's latest result is done. */
  public boolean[] dones() {
    return Native.vecEnvDones(handle());
  }

  /**
   * The first observation of every env's latest result as int64 values (INT64 scalars and
   * tensors; {@link FailedPreconditionException} for other types): row i for env i, every row
   * as long as the longest observation (shorter ones padded with zeros).
   * {@link FailedPreconditionException} if an env has no result or its result has no
   * observation.
   */
  public long[][] observationsLong() {
    long[] width = new long[1];
    long[] values = Native.vecEnvObservationsInt64s(handle(), width);
    int rows = numEnvs();
    int w = (int) width[0];
    long[][] matrix = new long[rows][];
    for (int i = 0; i < rows; ++i) {
      matrix[i] = Arrays.copyOfRange(values, i * w, (i + 1) * w);
    }
    return matrix;
  }

  /** {@link #observationsLong()} as doubles (any numeric scalar or tensor). */
  public double[][] observationsDouble() {
    long[] width = new long[1];
    double[] values = Native.vecEnvObservationsDoubles(handle(), width);
    int rows = numEnvs();
    int w = (int) width[0];
    double[][] matrix = new double[rows][];
    for (int i = 0; i < rows; ++i) {
      matrix[i] = Arrays.copyOfRange(values, i * w, (i + 1) * w);
    }
    return matrix;
  }

  /** The width of {@link #observationsLong()} and {@link #observationsDouble()}: the longest
   * observation's length. */
  public int observationWidth() {
    long[] width = new long[1];
    Native.vecEnvObservationsDoubles(handle(), width);
    return (int) width[0];
  }

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Closes every env and frees the vector env. Idempotent. Throws the first env's error, its
   * message prefixed "env I: " (the vector env is freed anyway).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      Native.vecEnvClose(handle);
    } finally {
      cleanable.clean();
    }
  }
}
