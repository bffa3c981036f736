// SPDX-License-Identifier: MIT
package org.libcgym;

/** The transport failed (status {@code CGYM_SERVICE_TRANSPORT}; parent: {@link ServiceError}). */
public class ServiceTransportError extends ServiceError {
  private static final long serialVersionUID = 1L;

  public ServiceTransportError(String message) {
    this(Status.SERVICE_TRANSPORT, message);
  }

  protected ServiceTransportError(int code, String message) {
    super(code, message);
  }
}
