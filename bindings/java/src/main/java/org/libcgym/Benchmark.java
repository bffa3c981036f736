// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.Objects;

/**
 * A benchmark given by its program: a URI and the LLVM bitcode, for
 * {@link CompilerEnv#setBenchmark(Benchmark)} and {@link Options#benchmark(Benchmark)}. This is
 * what {@link Cgym#makeBenchmark} and {@link Cgym#makeBenchmarkFromSource} make from the user's
 * sources (CompilerGym's make_benchmark). Immutable: the bytes are copied in and out.
 */
public final class Benchmark {
  private final String uri;
  private final byte[] bitcode;

  /** A benchmark of this URI and program (bitcode, or LLVM IR as text). */
  public Benchmark(String uri, byte[] bitcode) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.bitcode = Objects.requireNonNull(bitcode, "bitcode").clone();
  }

  /** The URI, e.g. "benchmark://user-v0/...". */
  public String uri() {
    return uri;
  }

  /** The program (a copy). */
  public byte[] bitcode() {
    return bitcode.clone();
  }

  /** The program's size in bytes. */
  public int size() {
    return bitcode.length;
  }

  /** The bytes without a copy, for the binding's calls (which copy them into C). */
  byte[] bitcodeBytes() {
    return bitcode;
  }

  @Override
  public String toString() {
    return "Benchmark(" + uri + ", " + bitcode.length + " bytes)";
  }
}
