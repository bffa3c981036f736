// SPDX-License-Identifier: MIT
package org.libcgym;

/** No such file, space, action name or in-process service (Python: FileNotFoundError) (status {@code CGYM_NOT_FOUND}; parent: {@link CgymException}). */
public class NotFoundException extends CgymException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    this(Status.NOT_FOUND, message);
  }

  protected NotFoundException(int code, String message) {
    super(code, message);
  }
}
