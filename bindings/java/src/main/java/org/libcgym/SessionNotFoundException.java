// SPDX-License-Identifier: MIT
package org.libcgym;

/** No episode: reset first (status {@code CGYM_SESSION_NOT_FOUND}; parent: {@link ServiceException}). */
public class SessionNotFoundException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public SessionNotFoundException(String message) {
    this(Status.SESSION_NOT_FOUND, message);
  }

  protected SessionNotFoundException(int code, String message) {
    super(code, message);
  }
}
