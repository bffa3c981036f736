// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's UNAUTHENTICATED: a ServiceError (status {@code CGYM_UNAUTHENTICATED}; parent: {@link ServiceException}). */
public class UnauthenticatedException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public UnauthenticatedException(String message) {
    this(Status.UNAUTHENTICATED, message);
  }

  protected UnauthenticatedException(int code, String message) {
    super(code, message);
  }
}
