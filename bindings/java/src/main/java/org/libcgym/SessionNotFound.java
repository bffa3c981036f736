// SPDX-License-Identifier: MIT
package org.libcgym;

/** No episode: reset first (status {@code CGYM_SESSION_NOT_FOUND}; parent: {@link ServiceError}). */
public class SessionNotFound extends ServiceError {
  private static final long serialVersionUID = 1L;

  public SessionNotFound(String message) {
    this(Status.SESSION_NOT_FOUND, message);
  }

  protected SessionNotFound(int code, String message) {
    super(code, message);
  }
}
