// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session plugins: the C example session loaded from libcgym-example-plugin.so with
 * {@link Service#registerPlugin} and driven in this process, and a bad plugin's errors. */
class PluginTest {
  @Test
  void examplePluginRunsInProcess() {
    Service.registerPlugin("java-plugin", TestSupport.examplePlugin());
    try (CompilerEnv env = CompilerEnv.connect("inproc:java-plugin", TestSupport.options())) {
      assertEquals("1.0.0", env.compilerVersion());
      assertNull(env.reset());
      assertFalse(env.step("b").done());
      assertFalse(env.step(2).done());
      assertEquals(2, env.actionCount());
      assertEquals("Hello, world!", env.observeString("ir"));
      assertArrayEquals(new long[] {0, 0, 0}, env.observeLongs("features"));
      assertEquals(0.0, env.observeDouble("runtime"));
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> env.step(3));
      assertEquals("Out-of-range", e.getMessage());
      // An env keeps its service after the registration is gone.
      Service.unregister("java-plugin");
      assertFalse(env.step(0).done());
    }
    assertThrows(NotFoundException.class,
        () -> CompilerEnv.connect("inproc:java-plugin", TestSupport.options()));
  }

  @Test
  void registeringAgainReplacesTheService() {
    Service.registerPlugin("java-plugin-twice", TestSupport.examplePlugin());
    Service.registerPlugin("java-plugin-twice", TestSupport.examplePlugin());
    try (CompilerEnv env = CompilerEnv.connect("inproc:java-plugin-twice", TestSupport.options())) {
      env.reset();
      assertFalse(env.step(1).done());
    } finally {
      Service.unregister("java-plugin-twice");
    }
  }

  @Test
  void missingPluginIsNotFound(@TempDir Path dir) {
    Path missing = dir.resolve("libno-such-plugin.so");
    NotFoundException e = assertThrows(NotFoundException.class,
        () -> Service.registerPlugin("java-plugin-missing", missing));
    assertEquals(Status.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void aFileThatIsNotALibraryIsServiceInit(@TempDir Path dir) throws Exception {
    Path fake = Files.writeString(dir.resolve("fake.so"), "not a shared library\n");
    ServiceInitException e = assertThrows(ServiceInitException.class,
        () -> Service.registerPlugin("java-plugin-fake", fake));
    assertEquals(Status.SERVICE_INIT, e.code());
    assertTrue(e.getMessage().contains("Cannot load the session plugin"), e.getMessage());
  }

  @Test
  void badArguments() {
    assertThrows(InvalidArgumentException.class,
        () -> Service.registerPlugin("", TestSupport.examplePlugin()));
    assertThrows(InvalidArgumentException.class,
        () -> Service.registerPlugin("java-plugin-bad", Path.of("")));
    assertThrows(NullPointerException.class,
        () -> Service.registerPlugin("java-plugin-bad", null));
  }
}
