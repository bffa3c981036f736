// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.Objects;

/** A named observation space with its flags and default observation: immutable. */
public final class ObservationSpace {
  private final String name;
  private final Space space;
  private final boolean deterministic;
  private final boolean platformDependent;
  private final Event defaultObservation;
  private final int index;

  /** A space with no default observation, for a service definition. */
  public ObservationSpace(String name, Space space, boolean deterministic,
      boolean platformDependent) {
    this(name, space, deterministic, platformDependent, Event.none(), -1);
  }

  public ObservationSpace(String name, Space space, boolean deterministic,
      boolean platformDependent, Event defaultObservation) {
    this(name, space, deterministic, platformDependent, defaultObservation, -1);
  }

  private ObservationSpace(String name, Space space, boolean deterministic,
      boolean platformDependent, Event defaultObservation, int index) {
    this.name = Objects.requireNonNull(name);
    this.space = Objects.requireNonNull(space);
    this.deterministic = deterministic;
    this.platformDependent = platformDependent;
    this.defaultObservation = Objects.requireNonNull(defaultObservation);
    this.index = index;
  }

  public String name() {
    return name;
  }

  public Space space() {
    return space;
  }

  public boolean deterministic() {
    return deterministic;
  }

  public boolean platformDependent() {
    return platformDependent;
  }

  /** The default observation (an event of kind NONE if there is none). */
  public Event defaultObservation() {
    return defaultObservation;
  }

  /** The space's position in its service's list (-1 if not known). */
  public int index() {
    return index;
  }

  ObservationSpace withIndex(int index) {
    return new ObservationSpace(name, space, deterministic, platformDependent,
        defaultObservation, index);
  }

  static ObservationSpace fromNative(long handle, int index) {
    int flags = Native.observationSpaceFlags(handle);
    return new ObservationSpace(Native.observationSpaceName(handle),
        Space.fromNative(Native.observationSpaceSpace(handle)),
        (flags & NativeConstants.OBSERVATION_DETERMINISTIC) != 0,
        (flags & NativeConstants.OBSERVATION_PLATFORM_DEPENDENT) != 0, Event.fromNative(Native.observationSpaceDefault(handle)), index);
  }

  long toNative() {
    long s = space.toNative();
    long d = 0;
    try {
      if (defaultObservation.kind() != EventKind.NONE) d = defaultObservation.toNative();
      return Native.observationSpaceNew(name, s, deterministic, platformDependent, d);
    } finally {
      Native.eventFree(d);
      Native.spaceFree(s);
    }
  }

  /** Serialized compiler_gym.ObservationSpace bytes (cgym_observation_space_serialize). */
  public byte[] serialize() {
    long handle = toNative();
    try {
      return Native.observationSpaceSerialize(handle);
    } finally {
      Native.observationSpaceFree(handle);
    }
  }

  /** An observation space parsed from serialized compiler_gym.ObservationSpace bytes
   * (its index is unknown: -1); {@link InvalidArgumentException} if they are malformed. */
  public static ObservationSpace parse(byte[] data) {
    long handle = Native.observationSpaceParse(Objects.requireNonNull(data));
    try {
      return fromNative(handle, -1);
    } finally {
      Native.observationSpaceFree(handle);
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ObservationSpace)) return false;
    ObservationSpace o = (ObservationSpace) other;
    return name.equals(o.name) && space.equals(o.space) && deterministic == o.deterministic
        && platformDependent == o.platformDependent
        && defaultObservation.equals(o.defaultObservation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, space, deterministic, platformDependent);
  }

  @Override
  public String toString() {
    return "ObservationSpace(" + name + ", " + space + ")";
  }
}
