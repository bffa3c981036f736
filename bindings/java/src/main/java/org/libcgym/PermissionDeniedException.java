// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's PERMISSION_DENIED: a ServiceError (status {@code CGYM_PERMISSION_DENIED}; parent: {@link ServiceException}). */
public class PermissionDeniedException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    this(Status.PERMISSION_DENIED, message);
  }

  protected PermissionDeniedException(int code, String message) {
    super(code, message);
  }
}
