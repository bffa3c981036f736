// SPDX-License-Identifier: MIT
package org.libcgym;

/** A value of the wrong kind, or the wrong state (Python: TypeError) (status {@code CGYM_FAILED_PRECONDITION}; parent: {@link CgymException}). */
public class FailedPreconditionException extends CgymException {
  private static final long serialVersionUID = 1L;

  public FailedPreconditionException(String message) {
    this(Status.FAILED_PRECONDITION, message);
  }

  protected FailedPreconditionException(int code, String message) {
    super(code, message);
  }
}
