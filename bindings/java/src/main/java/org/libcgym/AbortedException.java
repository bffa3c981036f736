// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's ABORTED: a ServiceError (status {@code CGYM_ABORTED}; parent: {@link ServiceException}). */
public class AbortedException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public AbortedException(String message) {
    this(Status.ABORTED, message);
  }

  protected AbortedException(int code, String message) {
    super(code, message);
  }
}
