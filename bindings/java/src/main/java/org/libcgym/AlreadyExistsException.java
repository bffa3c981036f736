// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's ALREADY_EXISTS: a ServiceError (status {@code CGYM_ALREADY_EXISTS}; parent: {@link ServiceException}). */
public class AlreadyExistsException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public AlreadyExistsException(String message) {
    this(Status.ALREADY_EXISTS, message);
  }

  protected AlreadyExistsException(int code, String message) {
    super(code, message);
  }
}
