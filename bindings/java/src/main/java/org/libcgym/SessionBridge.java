// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

/**
 * The Java side of the session trampolines of src/main/c/jni_session.c. Each method catches every
 * Throwable, records it as the thread's last cgym error (cgym_set_error) and returns its
 * status, so that no exception is left pending for C. Not public API.
 */
final class SessionBridge {
  private SessionBridge() {}

  /** The status code that a session's exception becomes. */
  static int statusOf(Throwable t) {
    if (t instanceof CgymException) {
      int code = ((CgymException) t).code();
      return code == Status.OK ? Status.CALLBACK_ERROR : code;
    }
    if (t instanceof IllegalArgumentException) return Status.INVALID_ARGUMENT;
    if (t instanceof IllegalStateException) return Status.FAILED_PRECONDITION;
    if (t instanceof UnsupportedOperationException) return Status.UNIMPLEMENTED;
    if (t instanceof NoSuchElementException || t instanceof IndexOutOfBoundsException) {
      return Status.NOT_FOUND;
    }
    if (t instanceof TimeoutException) return Status.DEADLINE_EXCEEDED;
    return Status.CALLBACK_ERROR;
  }

  /** The message the client sees. */
  static String messageOf(Throwable t, int code) {
    String message = t.getMessage();
    if (code == Status.CALLBACK_ERROR && !(t instanceof CgymException)) return t.toString();
    return message != null ? message : t.getClass().getName();
  }

  private static int fail(Throwable t) {
    try {
      int code = statusOf(t);
      Native.setError(code, messageOf(t, code));
      return code;
    } catch (Throwable again) {
      return Status.CALLBACK_ERROR;
    }
  }

  static int init(Object definition, String actionSpaceName, String benchmarkUri, byte[] program,
      Object[] out) {
    try {
      ServiceDefinition def = (ServiceDefinition) definition;
      ActionSpace actionSpace = null;
      for (ActionSpace space : def.actionSpaces()) {
        if (space.name().equals(actionSpaceName)) actionSpace = space;
      }
      CompilationSession session = def.factory().create(actionSpace, benchmarkUri, program);
      if (session == null) throw new CallbackException("the session factory returned null");
      session.definition = def;
      out[0] = session;
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  static int fork(Object session, Object[] out) {
    try {
      CompilationSession parent = (CompilationSession) session;
      CompilationSession copy = parent.fork();
      if (copy == null) throw new CallbackException("fork returned null");
      if (copy == parent) throw new CallbackException("fork returned the session itself");
      copy.definition = parent.definition;
      out[0] = copy;
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  private static void writeFlags(ActionResult result, int[] flags) {
    flags[NativeConstants.FLAG_END_OF_EPISODE] = result.endOfEpisode ? 1 : 0;
    flags[NativeConstants.FLAG_ACTION_HAD_NO_EFFECT] = result.actionHadNoEffect ? 1 : 0;
    flags[NativeConstants.FLAG_NEW_ACTION_SPACE] = result.newActionSpace;
  }

  static int applyAction(Object session, long action, int[] flags) {
    try {
      ActionResult result = new ActionResult();
      ((CompilationSession) session).applyAction(Event.fromNative(action), result);
      writeFlags(result, flags);
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  static int getObservation(Object session, int index, long observation) {
    try {
      CompilationSession s = (CompilationSession) session;
      Event value = s.getObservation(s.definition.observationSpaces().get(index));
      if (value == null) throw new CallbackException("getObservation returned null");
      value.writeTo(observation);
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  static int endOfStep(Object session, boolean actionHadNoEffect, int[] flags) {
    try {
      ActionResult result = new ActionResult();
      result.endOfEpisode = flags[NativeConstants.FLAG_END_OF_EPISODE] != 0;
      result.newActionSpace = flags[NativeConstants.FLAG_NEW_ACTION_SPACE];
      ((CompilationSession) session).endOfStep(actionHadNoEffect, result);
      writeFlags(result, flags);
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  static int handleParameter(Object session, String key, String value, Object[] out) {
    try {
      out[0] = ((CompilationSession) session).handleSessionParameter(key, value);
      return Status.OK;
    } catch (Throwable t) {
      return fail(t);
    }
  }

  static void destroy(Object session) {
    try {
      ((CompilationSession) session).close();
    } catch (Throwable t) {
      // A destroy slot never fails: the exception is dropped.
    }
  }

  static String compilerVersion(Object definition) {
    try {
      return ((ServiceDefinition) definition).compilerVersion();
    } catch (Throwable t) {
      return "";
    }
  }
}
