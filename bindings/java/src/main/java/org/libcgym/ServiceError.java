// SPDX-License-Identifier: MIT
package org.libcgym;

/** The root of CompilerGym's ServiceError family; also the service's own failures (status {@code CGYM_INTERNAL}; parent: {@link CgymException}). */
public class ServiceError extends CgymException {
  private static final long serialVersionUID = 1L;

  public ServiceError(String message) {
    this(Status.INTERNAL, message);
  }

  protected ServiceError(int code, String message) {
    super(code, message);
  }
}
