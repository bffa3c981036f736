// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Shared settings of the tests. */
final class TestSupport {
  private TestSupport() {}

  static final String BENCHMARK = "benchmark://example-compiler-v0/foo";

  /** The C example service binary: CGYM_EXAMPLE_SERVICE_C must name it (the test fails, it
   * is not skipped, if it does not). */
  static String exampleServiceC() {
    String path = System.getenv("CGYM_EXAMPLE_SERVICE_C");
    if (path == null || path.isEmpty()) {
      fail("CGYM_EXAMPLE_SERVICE_C is not set: it must name the C example service binary");
    }
    if (!Files.isExecutable(Path.of(path))) fail("CGYM_EXAMPLE_SERVICE_C is not executable: " + path);
    return path;
  }

  /** The C example session as a session plugin: CGYM_EXAMPLE_PLUGIN, else
   * libcgym-example-plugin.so next to the C example service (the build puts both in
   * services/example/). The test fails if it is not a file. */
  static Path examplePlugin() {
    String env = System.getenv("CGYM_EXAMPLE_PLUGIN");
    Path path = env != null && !env.isEmpty() ? Path.of(env)
        : Path.of(exampleServiceC()).resolveSibling("libcgym-example-plugin.so");
    if (!Files.isRegularFile(path)) {
      fail("The example session plugin is not a file: " + path + " (set CGYM_EXAMPLE_PLUGIN)");
    }
    return path;
  }

  /** Options for the tests: the example benchmark and bounded waits for managed services. */
  static Options options() {
    return new Options().benchmark(BENCHMARK).localServiceExitMaxSeconds(10)
        .localServicePortInitMaxSeconds(60).initMaxSeconds(60);
  }
}
