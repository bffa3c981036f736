// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * With CGYM_LLVM_SERVICE and CGYM_LLVM_PLUGIN naming missing files, the LLVM environment is not
 * installed: {@link Cgym#make} throws {@link EnvironmentNotSupportedException} (CompilerGym's
 * EnvironmentNotSupported), whose message says what to set. Runs in a JVM of its own with these
 * variables (the pom's execution "llvm-not-installed").
 */
class LlvmMakeNotInstalledTest {
  private static void missing(String variable) {
    String value = System.getenv(variable);
    assertNotNull(value, "run with " + variable + " naming a missing file");
    assertFalse(Files.exists(Path.of(value)), variable + " names a file: " + value);
  }

  private static void check(Executable call, String variable) {
    EnvironmentNotSupportedException e =
        assertThrows(EnvironmentNotSupportedException.class, call);
    assertEquals(Status.ENVIRONMENT_NOT_SUPPORTED, e.code());
    assertTrue(e instanceof ServiceInitException, "CompilerGym's hierarchy");
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }

  @Test
  void makeThrowsEnvironmentNotSupported() {
    missing("CGYM_LLVM_SERVICE");
    missing("CGYM_LLVM_PLUGIN");
    for (String id : Cgym.envIds()) {
      check(() -> Cgym.make(id), "CGYM_LLVM_SERVICE");
      check(() -> Cgym.make(id, "", null), "CGYM_LLVM_SERVICE");
      check(() -> Cgym.make(id, Cgym.INPROC, null), "CGYM_LLVM_PLUGIN");
    }
    check(() -> Cgym.servicePath("llvm-v0"), "CGYM_LLVM_SERVICE");
    check(() -> Cgym.pluginPath("llvm-v0"), "CGYM_LLVM_PLUGIN");
    // An unknown id is still NOT_FOUND: the id is checked first.
    assertThrows(NotFoundException.class, () -> Cgym.make("llvm-v1"));
  }
}
