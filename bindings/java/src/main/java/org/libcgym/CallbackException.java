// SPDX-License-Identifier: MIT
package org.libcgym;

/** A callback (a session or a reward) failed (status {@code CGYM_CALLBACK_ERROR}; parent: {@link CgymException}). */
public class CallbackException extends CgymException {
  private static final long serialVersionUID = 1L;

  public CallbackException(String message) {
    this(Status.CALLBACK_ERROR, message);
  }

  protected CallbackException(int code, String message) {
    super(code, message);
  }
}
