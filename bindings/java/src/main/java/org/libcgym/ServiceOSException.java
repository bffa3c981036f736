// SPDX-License-Identifier: MIT
package org.libcgym;

/** Out of a resource (Python: ServiceOSError) (status {@code CGYM_RESOURCE_EXHAUSTED}; parent: {@link ServiceException}). */
public class ServiceOSException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public ServiceOSException(String message) {
    this(Status.RESOURCE_EXHAUSTED, message);
  }

  protected ServiceOSException(int code, String message) {
    super(code, message);
  }
}
