// SPDX-License-Identifier: MIT
package org.libcgym;

/** The environment is not supported (status {@code CGYM_ENVIRONMENT_NOT_SUPPORTED}; parent: {@link ServiceInitException}). */
public class EnvironmentNotSupportedException extends ServiceInitException {
  private static final long serialVersionUID = 1L;

  public EnvironmentNotSupportedException(String message) {
    this(Status.ENVIRONMENT_NOT_SUPPORTED, message);
  }

  protected EnvironmentNotSupportedException(int code, String message) {
    super(code, message);
  }
}
