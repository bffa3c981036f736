// SPDX-License-Identifier: MIT
package org.libcgym;

/** The environment is not supported (status {@code CGYM_ENVIRONMENT_NOT_SUPPORTED}; parent: {@link ServiceInitError}). */
public class EnvironmentNotSupported extends ServiceInitError {
  private static final long serialVersionUID = 1L;

  public EnvironmentNotSupported(String message) {
    this(Status.ENVIRONMENT_NOT_SUPPORTED, message);
  }

  protected EnvironmentNotSupported(int code, String message) {
    super(code, message);
  }
}
