// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's UNKNOWN: a ServiceError (status {@code CGYM_UNKNOWN}; parent: {@link ServiceException}). */
public class UnknownException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public UnknownException(String message) {
    this(Status.UNKNOWN, message);
  }

  protected UnknownException(int code, String message) {
    super(code, message);
  }
}
