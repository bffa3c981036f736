// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable description of a space (CompilerGym's Space message), read from libcgym or
 * built with the static factories to declare a service's spaces. Fields that do not apply to
 * the kind are empty ({@code null} arrays, NaN bounds).
 */
public final class Space {
  private final SpaceKind kind;
  private final String typeId;
  private final long n; // DISCRETE
  private final List<String> names; // NAMED_DISCRETE
  private final long[] shape; // boxes
  private final double[] low; // boxes
  private final double[] high; // boxes
  private final double min; // ranges and scalar sequences
  private final double max;
  private final boolean hasMin;
  private final boolean hasMax;
  private final long minInt64; // exact bounds of INT64_RANGE, INT64_SEQUENCE, BYTE_SEQUENCE
  private final long maxInt64;
  private final long minLength; // STRING and sequences
  private final long maxLength;
  private final List<String> keys; // LIST, DICT, SPACE_UNION, SPACE_SEQUENCE
  private final List<Space> subspaces;

  private Space(SpaceKind kind, String typeId, long n, List<String> names, long[] shape,
      double[] low, double[] high, double min, boolean hasMin, double max, boolean hasMax,
      long minLength, long maxLength, List<String> keys, List<Space> subspaces) {
    this.kind = kind;
    this.typeId = typeId;
    this.n = n;
    this.names = names;
    this.shape = shape;
    this.low = low;
    this.high = high;
    this.min = min;
    this.hasMin = hasMin;
    this.max = max;
    this.hasMax = hasMax;
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.keys = keys;
    this.subspaces = subspaces;
    this.minInt64 = hasMin ? (long) min : Long.MIN_VALUE;
    this.maxInt64 = hasMax ? (long) max : Long.MAX_VALUE;
  }

  private Space(Space other, long minInt64, long maxInt64) {
    this.kind = other.kind;
    this.typeId = other.typeId;
    this.n = other.n;
    this.names = other.names;
    this.shape = other.shape;
    this.low = other.low;
    this.high = other.high;
    this.min = other.min;
    this.hasMin = other.hasMin;
    this.max = other.max;
    this.hasMax = other.hasMax;
    this.minLength = other.minLength;
    this.maxLength = other.maxLength;
    this.keys = other.keys;
    this.subspaces = other.subspaces;
    this.minInt64 = minInt64;
    this.maxInt64 = maxInt64;
  }

  private static Space simple(SpaceKind kind) {
    return new Space(kind, null, 0, List.of(), null, null, null, Double.NaN, false, Double.NaN,
        false, 0, -1, List.of(), List.of());
  }

  /** A discrete space of n values. */
  public static Space discrete(long n) {
    return new Space(SpaceKind.DISCRETE, null, n, List.of(), null, null, null, Double.NaN, false,
        Double.NaN, false, 0, -1, List.of(), List.of());
  }

  /** A named discrete space (actions are indices into names). */
  public static Space namedDiscrete(String... names) {
    return new Space(SpaceKind.NAMED_DISCRETE, null, names.length, List.of(names), null, null,
        null, Double.NaN, false, Double.NaN, false, 0, -1, List.of(), List.of());
  }

  /** A scalar range of kind BOOL_RANGE, INT64_RANGE, FLOAT_RANGE or DOUBLE_RANGE; a NaN bound
   * is unbounded. */
  public static Space range(SpaceKind kind, double min, double max) {
    if (!kind.isRange()) throw new InvalidArgumentException(kind + " is not a range");
    return new Space(kind, null, 0, List.of(), null, null, null, min, !Double.isNaN(min), max,
        !Double.isNaN(max), 0, -1, List.of(), List.of());
  }

  /** A string space (maxLength < 0: unbounded). */
  public static Space string(long minLength, long maxLength) {
    return new Space(SpaceKind.STRING, null, 0, List.of(), null, null, null, Double.NaN, false,
        Double.NaN, false, minLength, maxLength, List.of(), List.of());
  }

  /** A box of kind BOOL_BOX, BYTE_BOX, INT64_BOX, FLOAT_BOX or DOUBLE_BOX. */
  public static Space box(SpaceKind kind, long[] shape, double[] low, double[] high) {
    if (!kind.isBox()) throw new InvalidArgumentException(kind + " is not a box");
    if (low.length != high.length) throw new InvalidArgumentException("bounds differ in length");
    return new Space(kind, null, 0, List.of(), shape.clone(), low.clone(), high.clone(),
        Double.NaN, false, Double.NaN, false, 0, -1, List.of(), List.of());
  }

  /**
   * A sequence space of kind BOOL, BYTE, INT64, FLOAT, DOUBLE, BYTES or STRING _SEQUENCE with
   * a length range (maxLength < 0: unbounded) and, for the kinds that have one, a scalar range
   * of its elements (a NaN bound is unbounded; ignored for BYTES and STRING).
   */
  public static Space sequence(SpaceKind kind, long minLength, long maxLength, double min,
      double max) {
    if (!kind.isSequence() || kind == SpaceKind.SPACE_SEQUENCE) {
      throw new InvalidArgumentException(kind + " is not a sequence of scalars");
    }
    boolean ranged = kind.hasScalarRange();
    return new Space(kind, null, 0, List.of(), null, null, null, ranged ? min : Double.NaN,
        ranged && !Double.isNaN(min), ranged ? max : Double.NaN, ranged && !Double.isNaN(max),
        minLength, maxLength, List.of(), List.of());
  }

  /** A SPACE_SEQUENCE of elements of {@code element} (maxLength < 0: unbounded). */
  public static Space spaceSequence(Space element, long minLength, long maxLength) {
    return new Space(SpaceKind.SPACE_SEQUENCE, null, 0, List.of(), null, null, null, Double.NaN,
        false, Double.NaN, false, minLength, maxLength, Collections.singletonList(null),
        List.of(Objects.requireNonNull(element)));
  }

  /** A LIST space of these subspaces. */
  public static Space list(List<Space> subspaces) {
    return composite(SpaceKind.LIST, subspaces);
  }

  /** A SPACE_UNION of these subspaces. */
  public static Space union(List<Space> subspaces) {
    return composite(SpaceKind.SPACE_UNION, subspaces);
  }

  private static Space composite(SpaceKind kind, List<Space> subspaces) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < subspaces.size(); ++i) keys.add(null);
    return new Space(kind, null, 0, List.of(), null, null, null, Double.NaN, false, Double.NaN,
        false, 0, -1, Collections.unmodifiableList(keys), List.copyOf(subspaces));
  }

  /** A DICT space; entries are kept in key order, as libcgym keeps them. */
  public static Space dict(Map<String, Space> entries) {
    List<String> keys = new ArrayList<>(new TreeMap<>(entries).keySet());
    List<Space> values = new ArrayList<>();
    for (String key : keys) values.add(Objects.requireNonNull(entries.get(key)));
    return new Space(SpaceKind.DICT, null, 0, List.of(), null, null, null, Double.NaN, false,
        Double.NaN, false, 0, -1, List.copyOf(keys), List.copyOf(values));
  }

  public SpaceKind kind() {
    return kind;
  }

  /** The optional type id ("permutation", ...), or null. */
  public String typeId() {
    return typeId;
  }

  /** The number of values of a DISCRETE or NAMED_DISCRETE space. */
  public long n() {
    return n;
  }

  /** The names of a NAMED_DISCRETE space (empty for other kinds). */
  public List<String> names() {
    return names;
  }

  public long[] shape() {
    return shape == null ? null : shape.clone();
  }

  public double[] low() {
    return low == null ? null : low.clone();
  }

  public double[] high() {
    return high == null ? null : high.clone();
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** The exact lower bound of an INT64_RANGE, INT64_SEQUENCE or BYTE_SEQUENCE space
   * (Long.MIN_VALUE if unbounded); for other kinds, min() as a long. */
  public long minInt64() {
    return minInt64;
  }

  /** The exact upper bound of an INT64_RANGE, INT64_SEQUENCE or BYTE_SEQUENCE space
   * (Long.MAX_VALUE if unbounded); for other kinds, max() as a long. */
  public long maxInt64() {
    return maxInt64;
  }

  public boolean hasMin() {
    return hasMin;
  }

  public boolean hasMax() {
    return hasMax;
  }

  public long minLength() {
    return minLength;
  }

  /** The maximum length of a STRING or sequence space; -1: unbounded. */
  public long maxLength() {
    return maxLength;
  }

  /** The keys of a DICT's subspaces (null entries for lists). */
  public List<String> keys() {
    return keys;
  }

  public List<Space> subspaces() {
    return subspaces;
  }

  /** Copies a borrowed native space. */
  static Space fromNative(long handle) {
    if (handle == 0) return simple(SpaceKind.NONE);
    SpaceKind kind = SpaceKind.of(Native.spaceKind(handle));
    String typeId = Native.spaceTypeId(handle);
    long n = 0;
    List<String> names = List.of();
    long[] shape = null;
    double[] low = null;
    double[] high = null;
    double min = Double.NaN;
    double max = Double.NaN;
    boolean hasMin = false;
    boolean hasMax = false;
    long minLength = 0;
    long maxLength = -1;
    List<String> keys = List.of();
    List<Space> subspaces = List.of();
    if (kind == SpaceKind.DISCRETE) n = Native.spaceDiscreteN(handle);
    if (kind == SpaceKind.NAMED_DISCRETE) {
      names = List.of(Native.spaceNames(handle));
      n = names.size();
    }
    if (kind.isBox()) {
      shape = Native.spaceBoxShape(handle);
      double[] bounds = Native.spaceBoxBounds(handle);
      low = Arrays.copyOfRange(bounds, 0, bounds.length / 2);
      high = Arrays.copyOfRange(bounds, bounds.length / 2, bounds.length);
    }
    if (kind.isRange() || kind.hasScalarRange()) {
      double[] range = Native.spaceRange(handle);
      min = range[NativeConstants.RANGE_MIN];
      hasMin = range[NativeConstants.RANGE_HAS_MIN] != 0;
      max = range[NativeConstants.RANGE_MAX];
      hasMax = range[NativeConstants.RANGE_HAS_MAX] != 0;
    }
    if (kind == SpaceKind.STRING || kind.isSequence()) {
      long[] lengths = Native.spaceLengthRange(handle);
      minLength = lengths[0];
      maxLength = lengths[1];
    }
    if (kind == SpaceKind.LIST || kind == SpaceKind.DICT || kind == SpaceKind.SPACE_UNION
        || kind == SpaceKind.SPACE_SEQUENCE) {
      int count = Native.spaceSubspaceCount(handle);
      List<String> k = new ArrayList<>(count);
      List<Space> s = new ArrayList<>(count);
      for (int i = 0; i < count; ++i) {
        k.add(Native.spaceSubspaceKey(handle, i));
        s.add(fromNative(Native.spaceSubspaceAt(handle, i)));
      }
      keys = Collections.unmodifiableList(k);
      subspaces = Collections.unmodifiableList(s);
    }
    Space space = new Space(kind, typeId, n, names, shape, low, high, min, hasMin, max, hasMax,
        minLength, maxLength, keys, subspaces);
    if (kind.hasInt64Range()) {
      long[] range = Native.spaceInt64Range(handle);
      space = new Space(space, range[NativeConstants.RANGE_MIN], range[NativeConstants.RANGE_MAX]);
    }
    return space;
  }

  /** A new owned native space: the caller frees it with Native.spaceFree. */
  long toNative() {
    switch (kind) {
      case DISCRETE: return Native.spaceNewDiscrete(n);
      case NAMED_DISCRETE: return Native.spaceNewNamedDiscrete(names.toArray(new String[0]));
      case STRING: return Native.spaceNewString(minLength, maxLength);
      default:
        if (kind.isRange()) {
          return Native.spaceNewRange(kind.value(), hasMin ? min : 0, hasMin, hasMax ? max : 0,
              hasMax);
        }
        if (kind.isBox()) return Native.spaceNewBox(kind.value(), shape, low, high);
        if (kind.isSequence() && kind != SpaceKind.SPACE_SEQUENCE) {
          return Native.spaceNewSequence(kind.value(), minLength, maxLength, hasMin ? min : 0,
              hasMin, hasMax ? max : 0, hasMax);
        }
        if (kind.isComposite() || kind == SpaceKind.SPACE_SEQUENCE) return compositeToNative();
        throw new UnimplementedException("declaring a space of kind " + kind + " from Java");
    }
  }

  private long compositeToNative() {
    long handle = kind == SpaceKind.SPACE_SEQUENCE
        ? Native.spaceNewSequence(kind.value(), minLength, maxLength, 0, false, 0, false)
        : Native.spaceNewComposite(kind.value());
    try {
      for (int i = 0; i < subspaces.size(); ++i) {
        long sub = subspaces.get(i).toNative();
        try {
          Native.spaceAdd(handle, keys.get(i), sub);
        } finally {
          Native.spaceFree(sub);
        }
      }
      return handle;
    } catch (RuntimeException | Error e) {
      Native.spaceFree(handle);
      throw e;
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Space)) return false;
    Space o = (Space) other;
    return kind == o.kind && Objects.equals(typeId, o.typeId) && n == o.n
        && names.equals(o.names) && Arrays.equals(shape, o.shape) && Arrays.equals(low, o.low)
        && Arrays.equals(high, o.high) && Double.compare(min, o.min) == 0
        && Double.compare(max, o.max) == 0 && hasMin == o.hasMin && hasMax == o.hasMax
        && minLength == o.minLength && maxLength == o.maxLength && minInt64 == o.minInt64
        && maxInt64 == o.maxInt64 && keys.equals(o.keys)
        && subspaces.equals(o.subspaces);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, typeId, n, names, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    switch (kind) {
      case DISCRETE: return "Discrete(" + n + ")";
      case NAMED_DISCRETE: return "NamedDiscrete(" + names + ")";
      default:
        if (kind.isBox()) {
          return kind + "(shape=" + Arrays.toString(shape) + ", low=" + Arrays.toString(low)
              + ", high=" + Arrays.toString(high) + ")";
        }
        if (kind.isRange()) return kind + "(" + (hasMin ? min : "-inf") + ", " + (hasMax ? max : "inf") + ")";
        return kind.toString();
    }
  }
}
