// SPDX-License-Identifier: MIT
package org.libcgym;

/** The transport failed (status {@code CGYM_SERVICE_TRANSPORT}; parent: {@link ServiceException}). */
public class ServiceTransportException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public ServiceTransportException(String message) {
    this(Status.SERVICE_TRANSPORT, message);
  }

  protected ServiceTransportException(int code, String message) {
    super(code, message);
  }
}
