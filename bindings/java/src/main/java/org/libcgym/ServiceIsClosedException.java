// SPDX-License-Identifier: MIT
package org.libcgym;

/** The service is gone, or the env is closed (status {@code CGYM_SERVICE_IS_CLOSED}; parent: {@link ServiceException}). */
public class ServiceIsClosedException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public ServiceIsClosedException(String message) {
    this(Status.SERVICE_IS_CLOSED, message);
  }

  protected ServiceIsClosedException(int code, String message) {
    super(code, message);
  }
}
