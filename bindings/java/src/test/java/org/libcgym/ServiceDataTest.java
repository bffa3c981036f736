// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.libcgym.example.ExampleSession;

/**
 * A ServiceDefinition handed to libcgym is held by a JNI global reference that the session
 * vtable's service_data_free releases once nothing uses it: after unregistering the service
 * and closing the envs connected to it, the definition can be collected.
 */
class ServiceDataTest {
  /** Collects (a bounded number of times, no time threshold) until `ref` is cleared. */
  private static void collect(WeakReference<?> ref) throws InterruptedException {
    for (int i = 0; i < 500 && ref.get() != null; ++i) {
      System.gc();
      Thread.sleep(10);
    }
  }

  private static WeakReference<ServiceDefinition> register(String name) {
    ServiceDefinition definition = ExampleSession.definition();
    Service.registerInProcess(name, definition);
    return new WeakReference<>(definition);
  }

  @Test
  void unregisteredDefinitionIsReleased() throws InterruptedException {
    WeakReference<ServiceDefinition> ref = register("released");
    Service.unregister("released");
    collect(ref);
    assertNull(ref.get());
    assertThrows(NotFoundException.class, () -> Service.unregister("released"));
  }

  @Test
  void connectedEnvKeepsTheDefinition() throws InterruptedException {
    WeakReference<ServiceDefinition> ref = register("kept");
    CompilerEnv env = CompilerEnv.connect("inproc:kept", TestSupport.options());
    Service.unregister("kept");
    for (int i = 0; i < 20; ++i) System.gc();
    assertNotNull(ref.get(), "the env's service still uses the definition");
    env.reset();
    assertEquals("Hello, world! b", obsAfter(env, "b"));
    env.close();
    collect(ref);
    assertNull(ref.get());
  }

  private static String obsAfter(CompilerEnv env, String action) {
    env.step(action);
    return env.observe("ir").asString();
  }

  @Test
  void failedDefinitionIsReleased() throws InterruptedException {
    // No spaces: registering fails, and the definition is released all the same.
    WeakReference<ServiceDefinition> ref = registerEmpty();
    collect(ref);
    assertNull(ref.get());
  }

  private static WeakReference<ServiceDefinition> registerEmpty() {
    ServiceDefinition empty = new ServiceDefinition("0", java.util.List.of(),
        java.util.List.of(), (a, b, p) -> new ExampleSession());
    assertThrows(InvalidArgumentException.class, () -> Service.registerInProcess("empty", empty));
    return new WeakReference<>(empty);
  }
}
