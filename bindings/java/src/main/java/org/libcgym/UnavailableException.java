// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's UNAVAILABLE: a ServiceError (status {@code CGYM_UNAVAILABLE}; parent: {@link ServiceException}). */
public class UnavailableException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message) {
    this(Status.UNAVAILABLE, message);
  }

  protected UnavailableException(int code, String message) {
    super(code, message);
  }
}
