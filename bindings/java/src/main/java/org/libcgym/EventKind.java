// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * The kinds of an {@link Event} (cgym.h's CGYM_EVENT_*; the values are the C constants, which
 * ConstantsTest checks against the JNI layer's table).
 */
public enum EventKind {
  NONE(0), LIST(2), DICT(3), BOOL(4), INT64(5), FLOAT(6), DOUBLE(7), STRING(8),
  BOOL_TENSOR(9), BYTE_TENSOR(10), INT64_TENSOR(11), FLOAT_TENSOR(12), DOUBLE_TENSOR(13),
  STRING_TENSOR(14), ANY(15);

  private final int value;

  EventKind(int value) {
    this.value = value;
  }

  /** The C constant. */
  public int value() {
    return value;
  }

  /** The kind of a C constant. */
  public static EventKind of(int value) {
    for (EventKind kind : values()) {
      if (kind.value == value) return kind;
    }
    throw new FailedPreconditionException("unknown event kind " + value);
  }

  /** Whether this kind is a tensor (numeric or string). */
  public boolean isTensor() {
    switch (this) {
      case BOOL_TENSOR:
      case BYTE_TENSOR:
      case INT64_TENSOR:
      case FLOAT_TENSOR:
      case DOUBLE_TENSOR:
      case STRING_TENSOR:
        return true;
      default:
        return false;
    }
  }
}
