// SPDX-License-Identifier: MIT
package org.libcgym;

/** The benchmark failed to initialise (Python: BenchmarkInitError, a ValueError) (status {@code CGYM_BENCHMARK_INIT}; parent: {@link InvalidArgumentException}). */
public class BenchmarkInitException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  public BenchmarkInitException(String message) {
    this(Status.BENCHMARK_INIT, message);
  }

  protected BenchmarkInitException(int code, String message) {
    super(code, message);
  }
}
