// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A service written in Java: its compiler version, its action and observation spaces (their
 * order gives their indices) and the factory of its sessions. Immutable once built.
 */
public final class ServiceDefinition {
  private final String compilerVersion;
  private final List<ActionSpace> actionSpaces;
  private final List<ObservationSpace> observationSpaces;
  private final SessionFactory factory;

  public ServiceDefinition(String compilerVersion, List<ActionSpace> actionSpaces,
      List<ObservationSpace> observationSpaces, SessionFactory factory) {
    this.compilerVersion = Objects.requireNonNull(compilerVersion);
    this.actionSpaces = List.copyOf(actionSpaces);
    List<ObservationSpace> indexed = new ArrayList<>();
    for (int i = 0; i < observationSpaces.size(); ++i) {
      indexed.add(observationSpaces.get(i).withIndex(i));
    }
    this.observationSpaces = List.copyOf(indexed);
    this.factory = Objects.requireNonNull(factory);
  }

  public String compilerVersion() {
    return compilerVersion;
  }

  public List<ActionSpace> actionSpaces() {
    return actionSpaces;
  }

  public List<ObservationSpace> observationSpaces() {
    return observationSpaces;
  }

  public SessionFactory factory() {
    return factory;
  }

  /** A native cgym_service_def_t, which the caller frees (Native.serviceDefFree). It holds
   * this definition through a JNI global reference that libcgym releases (the vtable's
   * service_data_free) once no copy of the def, registration, service or env uses it. */
  long toNative() {
    long def = Native.serviceDefNew(this, true);
    try {
      for (ActionSpace space : actionSpaces) {
        long s = space.toNative();
        try {
          Native.serviceDefAddActionSpace(def, s);
        } finally {
          Native.actionSpaceFree(s);
        }
      }
      for (ObservationSpace space : observationSpaces) {
        long s = space.toNative();
        try {
          Native.serviceDefAddObservationSpace(def, s);
        } finally {
          Native.observationSpaceFree(s);
        }
      }
      return def;
    } catch (RuntimeException | Error e) {
      Native.serviceDefFree(def);
      throw e;
    }
  }
}
