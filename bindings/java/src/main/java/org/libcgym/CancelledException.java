// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's CANCELLED: a ServiceError (status {@code CGYM_CANCELLED}; parent: {@link ServiceException}). */
public class CancelledException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public CancelledException(String message) {
    this(Status.CANCELLED, message);
  }

  protected CancelledException(int code, String message) {
    super(code, message);
  }
}
