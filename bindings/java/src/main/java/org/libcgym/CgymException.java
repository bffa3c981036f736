// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * The root of the binding's exceptions: a failure reported by libcgym with a status code of
 * cgym.h ({@link #code()}) and its message ({@code cgym_last_error_message()}).
 *
 * <p>Each code has its own class, whose superclass is the class of the code's parent in
 * CompilerGym's hierarchy ({@code cgym_status_parent}): {@link ServiceException} (code INTERNAL)
 * is the base of CompilerGym's ServiceError family, {@link EnvironmentNotSupportedException} is a
 * {@link ServiceInitException}, {@link BenchmarkInitException} is an {@link InvalidArgumentException},
 * and the roots (INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, FAILED_PRECONDITION,
 * UNIMPLEMENTED, INTERNAL, CALLBACK_ERROR) extend this class directly. An instance of
 * CgymException itself stands for a code that cgym.h does not list.
 */
public class CgymException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** An exception with a code cgym.h does not list. */
  public CgymException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** The status code (cgym.h's CGYM_*). */
  public int code() {
    return code;
  }

  /** The code's name, e.g. "INVALID_ARGUMENT" (cgym_status_name). */
  public String codeName() {
    return Cgym.statusName(code);
  }

  @Override
  public String toString() {
    return getClass().getName() + " [" + codeName() + "]: " + getMessage();
  }

  private static final Map<Integer, BiFunction<Integer, String, CgymException>> FACTORIES =
      Map.ofEntries(
          Map.entry(Status.CANCELLED, (c, m) -> new CancelledException(m)),
          Map.entry(Status.UNKNOWN, (c, m) -> new UnknownException(m)),
          Map.entry(Status.INVALID_ARGUMENT, (c, m) -> new InvalidArgumentException(m)),
          Map.entry(Status.DEADLINE_EXCEEDED, (c, m) -> new DeadlineExceededException(m)),
          Map.entry(Status.NOT_FOUND, (c, m) -> new NotFoundException(m)),
          Map.entry(Status.ALREADY_EXISTS, (c, m) -> new AlreadyExistsException(m)),
          Map.entry(Status.PERMISSION_DENIED, (c, m) -> new PermissionDeniedException(m)),
          Map.entry(Status.RESOURCE_EXHAUSTED, (c, m) -> new ServiceOSException(m)),
          Map.entry(Status.FAILED_PRECONDITION, (c, m) -> new FailedPreconditionException(m)),
          Map.entry(Status.ABORTED, (c, m) -> new AbortedException(m)),
          Map.entry(Status.OUT_OF_RANGE, (c, m) -> new OutOfRangeException(m)),
          Map.entry(Status.UNIMPLEMENTED, (c, m) -> new UnimplementedException(m)),
          Map.entry(Status.INTERNAL, (c, m) -> new ServiceException(m)),
          Map.entry(Status.UNAVAILABLE, (c, m) -> new UnavailableException(m)),
          Map.entry(Status.DATA_LOSS, (c, m) -> new DataLossException(m)),
          Map.entry(Status.UNAUTHENTICATED, (c, m) -> new UnauthenticatedException(m)),
          Map.entry(Status.SESSION_NOT_FOUND, (c, m) -> new SessionNotFoundException(m)),
          Map.entry(Status.SERVICE_INIT, (c, m) -> new ServiceInitException(m)),
          Map.entry(Status.ENVIRONMENT_NOT_SUPPORTED, (c, m) -> new EnvironmentNotSupportedException(m)),
          Map.entry(Status.SERVICE_TRANSPORT, (c, m) -> new ServiceTransportException(m)),
          Map.entry(Status.SERVICE_IS_CLOSED, (c, m) -> new ServiceIsClosedException(m)),
          Map.entry(Status.BENCHMARK_INIT, (c, m) -> new BenchmarkInitException(m)),
          Map.entry(Status.CALLBACK_ERROR, (c, m) -> new CallbackException(m)));

  /**
   * The exception of a status code with this message: an instance of the code's class (a plain
   * CgymException for a code cgym.h does not list). Called by the JNI layer.
   */
  public static CgymException fromStatus(int code, String message) {
    BiFunction<Integer, String, CgymException> factory = FACTORIES.get(code);
    return factory != null ? factory.apply(code, message) : new CgymException(code, message);
  }

  /** The class of a status code's exceptions (CgymException for CGYM_OK and unknown codes). */
  public static Class<? extends CgymException> classOf(int code) {
    BiFunction<Integer, String, CgymException> factory = FACTORIES.get(code);
    return factory != null ? factory.apply(code, "").getClass() : CgymException.class;
  }
}
