// SPDX-License-Identifier: MIT
package org.libcgym;

/** The service failed to start (status {@code CGYM_SERVICE_INIT}; parent: {@link ServiceException}). */
public class ServiceInitException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public ServiceInitException(String message) {
    this(Status.SERVICE_INIT, message);
  }

  protected ServiceInitException(int code, String message) {
    super(code, message);
  }
}
