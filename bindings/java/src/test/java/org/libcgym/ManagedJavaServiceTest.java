// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example session run as a service process with Service.run (a launcher script that
 * starts a JVM), driven as a managed service over gRPC: its sessions run on the service's
 * native threads, which the binding attaches to the JVM. Closing the last env stops the
 * service with SIGTERM, which must reach cgym_service_run (exit 0), not the JVM's shutdown:
 * close() throws if the service exited otherwise.
 */
class ManagedJavaServiceTest {
  @TempDir static Path bin;
  static String launcher;

  @BeforeAll
  static void writeLauncher() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes = System.getProperty("cgym.test.classes");
    String natives = System.getProperty("cgym.native.dir");
    assertNotNull(classes, "system property cgym.test.classes (set by the pom)");
    assertNotNull(natives, "system property cgym.native.dir (set by the pom)");
    Path script = bin.resolve("java-example-service");
    Files.writeString(script, "#!/bin/sh\n# SPDX-License-Identifier: MIT\n"
        + "exec '" + java + "' -Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + classes
        + "' '-Djava.library.path=" + natives + "' org.libcgym.example.ExampleSession \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    launcher = script.toString();
  }

  static CompilerEnv connect() {
    return CompilerEnv.connect(launcher, TestSupport.options());
  }

  @Test
  void episodeOverGrpc() {
    try (CompilerEnv env = connect()) {
      assertEquals("1.0.0-java", env.compilerVersion());
      assertEquals("0.2.5", env.serviceVersion());
      env.reset();
      env.step("b");
      env.step("c");
      assertEquals("Hello, world! b c", env.observe("ir").asString());
      assertEquals(Event.ofLongs(0, 1, 1), env.observe("features"));
      String json = env.stateJson();
      assertTrue(json.contains("\"commandline\": \"b c\""), json);
      // As CompilerGym's client, a rejected action is still appended to the env's actions.
      InvalidArgumentException e =
          assertThrows(InvalidArgumentException.class, () -> env.step(5));
      assertEquals("Out-of-range", e.getMessage());
      assertEquals("echo", env.sendParam("example.echo", "echo"));
      try (CompilerEnv fork = env.fork()) {
        fork.step("a");
        assertEquals(Event.ofLongs(1, 1, 1), fork.observe("features"));
        assertEquals(Event.ofLongs(0, 1, 1), env.observe("features"));
      }
    } // close() throws if the service did not exit with 0 after SIGTERM.
  }

  /** Forks stepped from several Java threads: sessions in parallel on the service's threads. */
  @Test
  void parallelSessions() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (CompilerEnv env = connect()) {
      env.reset();
      List<CompilerEnv> forks = new ArrayList<>();
      try {
        for (int t = 0; t < 3; ++t) forks.add(env.fork());
        List<Future<Event>> futures = new ArrayList<>();
        for (int t = 0; t < 3; ++t) {
          final CompilerEnv fork = forks.get(t);
          final int action = t;
          futures.add(pool.submit(() -> {
            for (int i = 0; i < 10; ++i) assertFalse(fork.step(action).done());
            return fork.observe("features");
          }));
        }
        for (int t = 0; t < 3; ++t) {
          long[] expected = new long[3];
          expected[t] = 10;
          assertEquals(Event.ofLongs(expected), futures.get(t).get(120, TimeUnit.SECONDS));
        }
      } finally {
        for (CompilerEnv fork : forks) fork.close();
      }
      assertEquals(Event.ofLongs(0, 0, 0), env.observe("features"));
    } finally {
      pool.shutdownNow();
    }
  }
}
