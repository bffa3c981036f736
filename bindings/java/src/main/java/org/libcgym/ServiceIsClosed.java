// SPDX-License-Identifier: MIT
package org.libcgym;

/** The service is gone, or the env is closed (status {@code CGYM_SERVICE_IS_CLOSED}; parent: {@link ServiceError}). */
public class ServiceIsClosed extends ServiceError {
  private static final long serialVersionUID = 1L;

  public ServiceIsClosed(String message) {
    this(Status.SERVICE_IS_CLOSED, message);
  }

  protected ServiceIsClosed(int code, String message) {
    super(code, message);
  }
}
