// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Without CGYM_LLVM_SERVICE and CGYM_LLVM_PLUGIN, {@link Cgym#make} finds the LLVM environment
 * next to libcgym: in a build tree, its services/llvm subdirectory. Runs in a JVM of its own
 * without these variables (the pom's execution "llvm-found-next-to-libcgym"); skipped when the
 * library directory has no LLVM environment (built without it).
 */
class LlvmMakeFoundTest {
  @Test
  void foundNextToLibcgym() throws IOException {
    assertNull(System.getenv("CGYM_LLVM_SERVICE"), "run without CGYM_LLVM_SERVICE");
    assertNull(System.getenv("CGYM_LLVM_PLUGIN"), "run without CGYM_LLVM_PLUGIN");
    Path llvm = Path.of(System.getProperty("cgym.library.dir"), "services", "llvm");
    Path service = llvm.resolve("cgym-llvm-service");
    Path plugin = llvm.resolve("libcgym-llvm.so");
    assumeTrue(Files.isExecutable(service), "no LLVM environment in " + llvm);

    assertTrue(Files.isSameFile(service, Cgym.servicePath("llvm-v0")),
        "" + Cgym.servicePath("llvm-v0"));
    assertTrue(Files.isSameFile(plugin, Cgym.pluginPath("llvm-v0")),
        "" + Cgym.pluginPath("llvm-v0"));
    Options options = new Options().localServiceExitMaxSeconds(30)
        .localServicePortInitMaxSeconds(60).initMaxSeconds(60);
    for (String endpoint : new String[] {null, Cgym.INPROC}) {
      try (CompilerEnv env = Cgym.make("llvm-ic-v0", endpoint, options)) {
        env.reset();
        StepResult result = env.step("-mem2reg");
        assertEquals("", result.errorType(), String.valueOf(endpoint));
        assertTrue(result.reward() > 0, result.toString());
      }
    }
  }
}
