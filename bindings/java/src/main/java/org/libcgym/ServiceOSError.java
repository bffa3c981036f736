// SPDX-License-Identifier: MIT
package org.libcgym;

/** Out of a resource (Python: ServiceOSError) (status {@code CGYM_RESOURCE_EXHAUSTED}; parent: {@link ServiceError}). */
public class ServiceOSError extends ServiceError {
  private static final long serialVersionUID = 1L;

  public ServiceOSError(String message) {
    this(Status.RESOURCE_EXHAUSTED, message);
  }

  protected ServiceOSError(int code, String message) {
    super(code, message);
  }
}
