// SPDX-License-Identifier: MIT
package org.libcgym;

/** The service failed to start (status {@code CGYM_SERVICE_INIT}; parent: {@link ServiceError}). */
public class ServiceInitError extends ServiceError {
  private static final long serialVersionUID = 1L;

  public ServiceInitError(String message) {
    this(Status.SERVICE_INIT, message);
  }

  protected ServiceInitError(int code, String message) {
    super(code, message);
  }
}
