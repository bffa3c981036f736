// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A dataset of benchmarks by name (cgym_dataset_*): "benchmark://cgym-v0" (the bundled
 * programs), the generators "generator://csmith-v0" and "generator://llvm-stress-v0" (a random
 * program per seed), or a directory of the user's sources, "file:///ABSOLUTE/DIR" (its .c, .cc,
 * .cpp, .cxx, .ll and .bc files by name). {@link Cgym#datasets(String)} lists an environment's.
 *
 * <p>Iterating gives the benchmarks' URIs in order; a generator's ({@link #size()} 0, as
 * CompilerGym reports them) never end on their own, so take a bounded number, e.g.
 * {@code dataset.benchmarkUris().limit(10)}.
 */
public final class Dataset implements Iterable<String> {
  private final String name;
  private final String description;

  static {
    Native.load();
  }

  /**
   * The dataset of this name. {@link NotFoundException} for an unknown dataset or a missing
   * directory.
   */
  public Dataset(String name) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Native.datasetInfo(name, new long[1]);
  }

  /** The name, e.g. "benchmark://cgym-v0". */
  public String name() {
    return name;
  }

  /** A sentence about the dataset ("" if it has none). */
  public String description() {
    return description != null ? description : "";
  }

  /** The number of benchmarks; 0 for a generator, whose benchmarks never end. Read now (a
   * directory's files may change). */
  public long size() {
    long[] size = new long[1];
    Native.datasetInfo(name, size);
    return size[0];
  }

  /** Whether the benchmarks never end (a generator): {@link #size()} is 0. */
  public boolean isEndless() {
    return size() == 0;
  }

  /**
   * The URI of the index-th benchmark: the bundled programs in a fixed order, a directory's
   * files by name, a generator's seed {@code index} (e.g. "generator://csmith-v0/5").
   * {@link OutOfRangeException} for a negative index or one past the end (past 2^32-1 for a
   * generator).
   */
  public String benchmarkAt(long index) {
    if (index < 0) throw new OutOfRangeException("negative benchmark index " + index);
    return Native.datasetBenchmarkAt(name, index);
  }

  /**
   * A benchmark drawn uniformly with a generator seeded by {@code seed} (taken as an unsigned
   * 64-bit value): the same URI for the same seed, in every language of libcgym.
   */
  public String randomBenchmark(long seed) {
    return Native.datasetRandomBenchmark(name, seed);
  }

  /** The benchmarks' URIs in order; endless for a generator. */
  @Override
  public Iterator<String> iterator() {
    final long size = size();
    return new Iterator<>() {
      private long index;
      private String next;
      private boolean ended;

      @Override
      public boolean hasNext() {
        if (next != null) return true;
        if (ended) return false;
        if (size > 0 && index >= size) {
          ended = true;
          return false;
        }
        try {
          next = benchmarkAt(index);
        } catch (OutOfRangeException e) {
          // A generator past its last seed, or a directory that lost files since.
          ended = true;
          return false;
        }
        ++index;
        return true;
      }

      @Override
      public String next() {
        if (!hasNext()) throw new NoSuchElementException();
        String uri = next;
        next = null;
        return uri;
      }
    };
  }

  /** The benchmarks' URIs as an ordered stream; endless for a generator (use limit). */
  public Stream<String> benchmarkUris() {
    long size = size();
    int characteristics = Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT;
    Spliterator<String> spliterator = size > 0
        ? Spliterators.spliterator(iterator(), size, characteristics)
        : Spliterators.spliteratorUnknownSize(iterator(), characteristics);
    return StreamSupport.stream(spliterator, false);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Dataset && ((Dataset) other).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "Dataset(" + name + ")";
  }
}
