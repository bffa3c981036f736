// SPDX-License-Identifier: MIT
package org.libcgym;

/** The kinds of a {@link Space} (cgym.h's CGYM_SPACE_*; the values are the C constants). */
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

  public boolean isRange() {
    return value >= 7 && value <= 10;
  }

  public boolean isBox() {
    return value >= 19 && value <= 23;
  }

  public boolean isSequence() {
    return (value >= 12 && value <= 18) || value == 25;
  }
}
