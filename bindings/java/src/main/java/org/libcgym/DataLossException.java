// SPDX-License-Identifier: MIT
package org.libcgym;

/** gRPC's DATA_LOSS: a ServiceError (status {@code CGYM_DATA_LOSS}; parent: {@link ServiceException}). */
public class DataLossException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public DataLossException(String message) {
    this(Status.DATA_LOSS, message);
  }

  protected DataLossException(int code, String message) {
    super(code, message);
  }
}
