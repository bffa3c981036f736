// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * The kinds of a {@link Space} (cgym.h's CGYM_SPACE_*; the values are the C constants, which
 * ConstantsTest checks against the JNI layer's table).
 */
public enum SpaceKind {
  NONE(0), LIST(3), DICT(4), DISCRETE(5), NAMED_DISCRETE(6), BOOL_RANGE(7), INT64_RANGE(8),
  FLOAT_RANGE(9), DOUBLE_RANGE(10), STRING(11), BOOL_SEQUENCE(12), BYTE_SEQUENCE(13),
  BYTES_SEQUENCE(14), INT64_SEQUENCE(15), FLOAT_SEQUENCE(16), DOUBLE_SEQUENCE(17),
  STRING_SEQUENCE(18), BOOL_BOX(19), BYTE_BOX(20), INT64_BOX(21), FLOAT_BOX(22), DOUBLE_BOX(23),
  ANY(24), SPACE_SEQUENCE(25), SPACE_UNION(26);

  private final int value;

  SpaceKind(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static SpaceKind of(int value) {
    for (SpaceKind kind : values()) {
      if (kind.value == value) return kind;
    }
    throw new FailedPreconditionException("unknown space kind " + value);
  }

  /** BOOL_RANGE, INT64_RANGE, FLOAT_RANGE or DOUBLE_RANGE. */
  public boolean isRange() {
    return this == BOOL_RANGE || this == INT64_RANGE || this == FLOAT_RANGE
        || this == DOUBLE_RANGE;
  }

  /** BOOL_BOX, BYTE_BOX, INT64_BOX, FLOAT_BOX or DOUBLE_BOX. */
  public boolean isBox() {
    return this == BOOL_BOX || this == BYTE_BOX || this == INT64_BOX || this == FLOAT_BOX
        || this == DOUBLE_BOX;
  }

  /** A *_SEQUENCE kind, SPACE_SEQUENCE included. */
  public boolean isSequence() {
    return hasScalarRange() || this == BYTES_SEQUENCE || this == STRING_SEQUENCE
        || this == SPACE_SEQUENCE;
  }

  /** A sequence with a scalar range of its elements: BOOL, BYTE, INT64, FLOAT or DOUBLE
   * _SEQUENCE. */
  public boolean hasScalarRange() {
    return this == BOOL_SEQUENCE || this == BYTE_SEQUENCE || this == INT64_SEQUENCE
        || this == FLOAT_SEQUENCE || this == DOUBLE_SEQUENCE;
  }

  /** LIST, DICT or SPACE_UNION: filled with subspaces. */
  public boolean isComposite() {
    return this == LIST || this == DICT || this == SPACE_UNION;
  }

  /** A kind whose int64 bounds libcgym reads exactly: INT64_RANGE, INT64_SEQUENCE,
   * BYTE_SEQUENCE. */
  boolean hasInt64Range() {
    return this == INT64_RANGE || this == INT64_SEQUENCE || this == BYTE_SEQUENCE;
  }
}
