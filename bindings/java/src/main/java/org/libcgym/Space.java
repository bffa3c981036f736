// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

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
    if (kind.isRange() || (kind.isSequence() && kind != SpaceKind.BYTES_SEQUENCE
        && kind != SpaceKind.STRING_SEQUENCE && kind != SpaceKind.SPACE_SEQUENCE)) {
      double[] range = Native.spaceRange(handle);
      min = range[0];
      hasMin = range[1] != 0;
      max = range[2];
      hasMax = range[3] != 0;
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
        s.add(fromNative(Native.spaceSubspace(handle, i)));
      }
      keys = Collections.unmodifiableList(k);
      subspaces = Collections.unmodifiableList(s);
    }
    return new Space(kind, typeId, n, names, shape, low, high, min, hasMin, max, hasMax,
        minLength, maxLength, keys, subspaces);
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
        throw new UnimplementedException("declaring a space of kind " + kind + " from Java");
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
        && minLength == o.minLength && maxLength == o.maxLength && keys.equals(o.keys)
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
