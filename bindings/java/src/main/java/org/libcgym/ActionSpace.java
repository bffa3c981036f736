// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.List;
import java.util.Objects;

/** A named action space (CompilerGym's ActionSpace): immutable. */
public final class ActionSpace {
  private final String name;
  private final Space space;

  public ActionSpace(String name, Space space) {
    this.name = Objects.requireNonNull(name);
    this.space = Objects.requireNonNull(space);
  }

  public String name() {
    return name;
  }

  public Space space() {
    return space;
  }

  /** The action names of a named discrete space (empty otherwise). */
  public List<String> actionNames() {
    return space.names();
  }

  static ActionSpace fromNative(long handle) {
    return new ActionSpace(Native.actionSpaceName(handle),
        Space.fromNative(Native.actionSpaceSpace(handle)));
  }

  long toNative() {
    long s = space.toNative();
    try {
      return Native.actionSpaceNew(name, s);
    } finally {
      Native.spaceFree(s);
    }
  }

  /** Serialized compiler_gym.ActionSpace bytes (cgym_action_space_serialize). */
  public byte[] serialize() {
    long handle = toNative();
    try {
      return Native.actionSpaceSerialize(handle);
    } finally {
      Native.actionSpaceFree(handle);
    }
  }

  /** An action space parsed from serialized compiler_gym.ActionSpace bytes;
   * {@link InvalidArgumentException} if they are malformed. */
  public static ActionSpace parse(byte[] data) {
    long handle = Native.actionSpaceParse(Objects.requireNonNull(data));
    try {
      return fromNative(handle);
    } finally {
      Native.actionSpaceFree(handle);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActionSpace && name.equals(((ActionSpace) o).name)
        && space.equals(((ActionSpace) o).space);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, space);
  }

  @Override
  public String toString() {
    return "ActionSpace(" + name + ", " + space + ")";
  }
}
