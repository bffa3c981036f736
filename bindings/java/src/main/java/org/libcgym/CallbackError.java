// SPDX-License-Identifier: MIT
package org.libcgym;

/** A callback (a session or a reward) failed (status {@code CGYM_CALLBACK_ERROR}; parent: {@link CgymException}). */
public class CallbackError extends CgymException {
  private static final long serialVersionUID = 1L;

  public CallbackError(String message) {
    this(Status.CALLBACK_ERROR, message);
  }

  protected CallbackError(int code, String message) {
    super(code, message);
  }
}
