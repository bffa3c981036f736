// SPDX-License-Identifier: MIT
package org.libcgym;

/** The root of CompilerGym's ServiceError family; also the service's own failures (status {@code CGYM_INTERNAL}; parent: {@link CgymException}). */
public class ServiceException extends CgymException {
  private static final long serialVersionUID = 1L;

  public ServiceException(String message) {
    this(Status.INTERNAL, message);
  }

  protected ServiceException(int code, String message) {
    super(code, message);
  }
}
