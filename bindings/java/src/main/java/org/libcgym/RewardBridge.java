// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The Java side of the reward trampolines of src/main/c/jni_reward.c. Each method catches
 * every Throwable and records it as the thread's last cgym error (cgym_set_error), so that no
 * exception is left pending for C; the Throwable itself is kept per thread, for the env call
 * that ran the reward to attach (or rethrow) when it returns. Not public API.
 */
final class RewardBridge {
  private RewardBridge() {}

  /** The Throwable of the last failed reward of this thread, until the env call takes it. */
  private static final ThreadLocal<Throwable> PENDING = new ThreadLocal<>();

  private static int fail(Throwable t) {
    PENDING.set(t);
    try {
      int code = SessionBridge.statusOf(t);
      Native.setError(code, SessionBridge.messageOf(t, code));
      return code;
    } catch (Throwable again) {
      return Status.CALLBACK_ERROR;
    }
  }

  private static List<Event> events(long[] handles) {
    List<Event> events = new ArrayList<>(handles.length);
    for (long handle : handles) events.add(Event.fromNative(handle));
    return Collections.unmodifiableList(events);
  }

  static int reset(Object reward, String benchmarkUri) {
    try {
      ((Reward) reward).reset(benchmarkUri);
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  static int update(Object reward, long[] actions, long[] observations, double[] out) {
    try {
      out[0] = ((Reward) reward).update(events(actions), events(observations));
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  /** The copy for a fork, or null (which fails the fork). */
  static Object copy(Object reward) {
    try {
      Reward copy = ((Reward) reward).copy();
      if (copy == reward) throw new CallbackException("copy returned the reward itself");
      if (copy == null) throw new CallbackException("copy returned null");
      return copy;
    } catch (Throwable t) {
      fail(t);
      return null;
    }
  }

  static void destroy(Object reward) {
    try {
      ((Reward) reward).close();
    } catch (Throwable t) {
      // A destroy slot never fails: the exception is dropped.
    }
  }

  /** Forgets a reward failure left by an earlier call of this thread. */
  static void clearPending() {
    PENDING.remove();
  }

  /**
   * Runs an env call that may run rewards: an Error thrown by a reward is rethrown as it is,
   * and a reward's exception becomes the cause of the CgymException the call throws.
   */
  static <T> T run(java.util.function.Supplier<T> call) {
    PENDING.remove();
    try {
      T result = call.get();
      Throwable cause = PENDING.get();
      if (cause instanceof Error) throw (Error) cause;
      return result;
    } catch (CgymException e) {
      Throwable cause = PENDING.get();
      if (cause instanceof Error) throw (Error) cause;
      if (cause != null && e.getCause() == null) e.initCause(cause);
      throw e;
    } finally {
      PENDING.remove();
    }
  }
}
