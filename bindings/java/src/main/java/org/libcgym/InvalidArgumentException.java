// SPDX-License-Identifier: MIT
package org.libcgym;

/** A bad input, or an action the service rejects (Python: ValueError) (status {@code CGYM_INVALID_ARGUMENT}; parent: {@link CgymException}). */
public class InvalidArgumentException extends CgymException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message) {
    this(Status.INVALID_ARGUMENT, message);
  }

  protected InvalidArgumentException(int code, String message) {
    super(code, message);
  }
}
