// SPDX-License-Identifier: MIT
package org.libcgym;

/** Not supported (Python: NotImplementedError) (status {@code CGYM_UNIMPLEMENTED}; parent: {@link CgymException}). */
public class UnimplementedException extends CgymException {
  private static final long serialVersionUID = 1L;

  public UnimplementedException(String message) {
    this(Status.UNIMPLEMENTED, message);
  }

  protected UnimplementedException(int code, String message) {
    super(code, message);
  }
}
