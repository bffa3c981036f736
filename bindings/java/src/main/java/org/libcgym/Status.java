// SPDX-License-Identifier: MIT
package org.libcgym;

/** The status codes of cgym.h (CGYM_*), pinned forever. */
public final class Status {
  private Status() {}

  public static final int OK = 0;
  public static final int CANCELLED = 1;
  public static final int UNKNOWN = 2;
  public static final int INVALID_ARGUMENT = 3;
  public static final int DEADLINE_EXCEEDED = 4;
  public static final int NOT_FOUND = 5;
  public static final int ALREADY_EXISTS = 6;
  public static final int PERMISSION_DENIED = 7;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int FAILED_PRECONDITION = 9;
  public static final int ABORTED = 10;
  public static final int OUT_OF_RANGE = 11;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int DATA_LOSS = 15;
  public static final int UNAUTHENTICATED = 16;
  public static final int SESSION_NOT_FOUND = 100;
  public static final int SERVICE_INIT = 101;
  public static final int ENVIRONMENT_NOT_SUPPORTED = 102;
  public static final int SERVICE_TRANSPORT = 103;
  public static final int SERVICE_IS_CLOSED = 104;
  public static final int BENCHMARK_INIT = 105;
  public static final int CALLBACK_ERROR = 106;

  /** Every code cgym.h lists, OK included. */
  public static final int[] ALL = {OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED,
      NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION,
      ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED,
      SESSION_NOT_FOUND, SERVICE_INIT, ENVIRONMENT_NOT_SUPPORTED, SERVICE_TRANSPORT,
      SERVICE_IS_CLOSED, BENCHMARK_INIT, CALLBACK_ERROR};
}
