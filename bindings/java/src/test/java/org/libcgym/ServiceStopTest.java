// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libcgym.example.ExampleSession;

/**
 * Service.run in this JVM (on a thread of its own), driven over gRPC as an unmanaged service,
 * then stopped from another thread with Service.stop() (cgym_service_stop): the run returns
 * exit code 0, as after SIGTERM.
 */
class ServiceStopTest {
  @TempDir Path workingDir;

  @Test
  void stopEndsARunningService() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> run = thread.submit(() -> Service.run(ExampleSession.definition(),
          new String[] {"--working_dir=" + workingDir}));
      Path portFile = workingDir.resolve("port.txt");
      // The service writes port.txt once it serves; a stop before that would not reach it.
      while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
        assertTrue(!run.isDone(), "Service.run returned early");
        Thread.sleep(20);
      }
      String port = Files.readString(portFile).trim();
      try (CompilerEnv env = CompilerEnv.connect("127.0.0.1:" + port, TestSupport.options())) {
        env.reset();
        env.step("c");
        assertEquals("Hello, world! c", env.observe("ir").asString());
      }
      Service.stop();
      assertEquals(0, run.get());
    } finally {
      thread.shutdownNow();
    }
  }
}
