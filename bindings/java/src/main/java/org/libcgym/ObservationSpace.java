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
        Space.fromNative(Native.observationSpaceSpace(handle)), (flags & 1) != 0,
        (flags & 2) != 0, Event.fromNative(Native.observationSpaceDefault(handle)), index);
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

  @Override
  public String toString() {
    return "ObservationSpace(" + name + ", " + space + ")";
  }
}
