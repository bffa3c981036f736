// SPDX-License-Identifier: MIT
package org.libcgym;

/** Versions of the loaded libcgym and its status codes. */
public final class Cgym {
  private Cgym() {}

  static {
    Native.load();
  }

  /** The loaded library's version as "MAJOR.MINOR.PATCH" (cgym_version_string). */
  public static String version() {
    return Native.versionString();
  }

  /** The loaded library's version as MAJOR * 10000 + MINOR * 100 + PATCH. */
  public static int versionNumber() {
    return Native.versionNumber();
  }

  /** The version of cgym.h this binding was compiled against. */
  public static int headerVersionNumber() {
    return Native.headerVersionNumber();
  }

  /** The CompilerGym protocol version the library speaks, e.g. "0.2.5". */
  public static String protocolVersion() {
    return Native.protocolVersionString();
  }

  /** A status code's name, e.g. "INVALID_ARGUMENT" ("UNKNOWN_CODE" for an unknown code). */
  public static String statusName(int code) {
    return Native.statusName(code);
  }

  /** The parent of a code in CompilerGym's hierarchy (cgym_status_parent). */
  public static int statusParent(int code) {
    return Native.statusParent(code);
  }

  /** Whether a code is INTERNAL or descends from it (CompilerGym: a ServiceError). */
  public static boolean isServiceError(int code) {
    return Native.statusIsServiceError(code);
  }
}
