// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's OUT_OF_RANGE: a ServiceError (status {@code CGYM_OUT_OF_RANGE}; parent: {@link ServiceException}). */
public class OutOfRangeException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public OutOfRangeException(String message) {
    this(Status.OUT_OF_RANGE, message);
  }

  protected OutOfRangeException(int code, String message) {
    super(code, message);
  }
}
