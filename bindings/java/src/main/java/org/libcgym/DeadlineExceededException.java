// SPDX-License-Identifier: MIT
package org.libcgym;

/** A time limit expired (Python: TimeoutError) (status {@code CGYM_DEADLINE_EXCEEDED}; parent: {@link CgymException}). */
public class DeadlineExceededException extends CgymException {
  private static final long serialVersionUID = 1L;

  public DeadlineExceededException(String message) {
    this(Status.DEADLINE_EXCEEDED, message);
  }

  protected DeadlineExceededException(int code, String message) {
    super(code, message);
  }
}
