// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LLVM environment (services/llvm) from Java: in-process through its session plugin
 * (libcgym-llvm.so loaded with {@link Service#registerPlugin}), and as a managed service
 * (cgym-llvm-service); the same episode through both gives the same observations.
 *
 * <p>The service binary comes from CGYM_LLVM_SERVICE; the plugin from CGYM_LLVM_PLUGIN, else
 * libcgym-llvm.so next to the service binary. LLVM is optional: with CGYM_LLVM_SERVICE unset
 * these tests are skipped; a variable naming a missing file fails them (a typo must not pass
 * as a skip).
 */
class LlvmTest {
  private static final String FIBONACCI = "benchmark://cgym-v0/fibonacci";
  private static final String INPROC = "inproc:java-llvm";
  private static final List<String> OBSERVED =
      List.of("Ir", "IrSha1", "InstCount", "Autophase", "IrInstructionCount");

  private static Path service;

  @BeforeAll
  static void registerPlugin() {
    String env = System.getenv("CGYM_LLVM_SERVICE");
    if (env == null || env.isEmpty()) return;
    service = Path.of(env);
    if (!Files.isExecutable(service)) fail("CGYM_LLVM_SERVICE is not executable: " + env);
    String pluginEnv = System.getenv("CGYM_LLVM_PLUGIN");
    Path plugin = pluginEnv != null && !pluginEnv.isEmpty() ? Path.of(pluginEnv)
        : service.resolveSibling("libcgym-llvm.so");
    if (!Files.isRegularFile(plugin)) {
      fail("The LLVM session plugin is not a file: " + plugin + " (set CGYM_LLVM_PLUGIN)");
    }
    Service.registerPlugin("java-llvm", plugin);
  }

  @AfterAll
  static void unregisterPlugin() {
    if (service != null) Service.unregister("java-llvm");
  }

  private static String serviceEndpoint() {
    assumeTrue(service != null, "CGYM_LLVM_SERVICE is not set (set it to cgym-llvm-service)");
    return service.toString();
  }

  private static String inproc() {
    serviceEndpoint();
    return INPROC;
  }

  private static CompilerEnv connect(String endpoint) {
    return CompilerEnv.connect(endpoint, new Options().benchmark(FIBONACCI)
        .localServiceExitMaxSeconds(30).localServicePortInitMaxSeconds(60).initMaxSeconds(60));
  }

  /** Reads a varint at pos[0] of a protobuf message. */
  private static long varint(byte[] message, int[] pos) {
    long value = 0;
    for (int shift = 0;; shift += 7) {
      int b = message[pos[0]++] & 0xff;
      value |= (long) (b & 0x7f) << shift;
      if (b < 0x80) return value;
    }
  }

  /** The length-delimited fields {@code number} of a protobuf message. */
  private static List<byte[]> fields(byte[] message, int number) {
    List<byte[]> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < message.length) {
      long key = varint(message, pos);
      switch ((int) (key & 7)) {
        case 0 -> varint(message, pos);
        case 1 -> pos[0] += 8;
        case 5 -> pos[0] += 4;
        case 2 -> {
          int length = (int) varint(message, pos);
          if (key >> 3 == number) {
            byte[] field = new byte[length];
            System.arraycopy(message, pos[0], field, 0, length);
            out.add(field);
          }
          pos[0] += length;
        }
        default -> fail("unexpected wire type " + (key & 7));
      }
    }
    return out;
  }

  /**
   * The flags of the PassesAll space. The environment sends a CommandlineSpace packed in the
   * space's any_value, which the binding shows as an opaque space: its names are read from the
   * serialized ActionSpace of the env's handle (space = 2, Space.any_value = 24, Any.value =
   * 2, CommandlineSpace.name = 1). A named discrete space, should the client unpack it, is
   * read directly.
   */
  private static List<String> actionNames(CompilerEnv env) throws Exception {
    ActionSpace space = env.actionSpace();
    assertEquals("PassesAll", space.name());
    if (!space.actionNames().isEmpty()) return space.actionNames();
    Method handle = CompilerEnv.class.getDeclaredMethod("handle");
    handle.setAccessible(true);
    byte[] message = Native.actionSpaceSerialize(Native.envActionSpace((long) handle.invoke(env)));
    for (int number : new int[] {2, 24, 2}) {
      List<byte[]> found = fields(message, number);
      assertEquals(1, found.size(), "no CommandlineSpace in the action space");
      message = found.get(0);
    }
    List<String> names = new ArrayList<>();
    for (byte[] name : fields(message, 1)) names.add(new String(name, StandardCharsets.UTF_8));
    return names;
  }

  private static Map<String, Event> observeAll(CompilerEnv env) {
    Map<String, Event> out = new LinkedHashMap<>();
    for (String name : OBSERVED) out.put(name, env.observe(name));
    return out;
  }

  /** The short episode on fibonacci, checked as it goes; returns what it observed at the
   * start, after -mem2reg and on the fork after -instcombine. */
  private static List<Map<String, Event>> runEpisode(String endpoint) throws Exception {
    List<Map<String, Event>> seen = new ArrayList<>();
    try (CompilerEnv env = connect(endpoint)) {
      assertNull(env.reset(), "no default observation space");
      List<String> names = actionNames(env);
      assertEquals(124, names.size());
      int mem2reg = names.indexOf("-mem2reg");
      int instcombine = names.indexOf("-instcombine");
      assertEquals(103, mem2reg, "CompilerGym's index");
      assertEquals(53, instcombine, "CompilerGym's index");

      seen.add(observeAll(env));
      long start = env.observe("IrInstructionCount").asLong();
      assertTrue(start > 10, "" + start);

      StepResult result = env.step(mem2reg);
      assertFalse(result.done(), result.toString());
      assertFalse(result.actionHadNoEffect());
      long after = env.observe("IrInstructionCount").asLong();
      assertTrue(after < start, after + " >= " + start);
      // Again: nothing left to promote.
      result = env.step(List.of(Event.ofLong(mem2reg)), List.of("IrInstructionCount"), List.of());
      assertFalse(result.done(), result.toString());
      assertTrue(result.actionHadNoEffect());
      assertEquals(after, result.observation().asLong());

      Map<String, Event> obs = observeAll(env);
      seen.add(obs);
      assertEquals(EventKind.INT64_TENSOR, obs.get("InstCount").kind());
      long[] instCount = env.observeLongs("InstCount");
      assertEquals(70, instCount.length);
      assertEquals(after, instCount[0], "InstCount[0] is IrInstructionCount");
      assertEquals(56, env.observeLongs("Autophase").length);
      String ir = env.observeString("Ir");
      assertTrue(ir.contains("define"), ir);
      String sha1 = env.observeString("IrSha1");
      assertTrue(sha1.matches("[0-9a-f]{40}"), sha1);

      assertEquals("60", env.sendParam("llvm.get_action_timeout_seconds", ""));

      try (CompilerEnv fork = env.fork()) {
        assertEquals(ir, fork.observeString("Ir"));
        result = fork.step(instcombine);
        assertFalse(result.done(), result.toString());
        assertFalse(result.actionHadNoEffect());
        seen.add(observeAll(fork));
        assertNotEquals(ir, fork.observeString("Ir"));
      }
      assertEquals(ir, env.observeString("Ir"), "the parent is unchanged");
      assertEquals(sha1, env.observeString("IrSha1"));
      assertEquals(List.of(Event.ofLong(mem2reg), Event.ofLong(mem2reg)), env.actions());
    }
    return seen;
  }

  @Test
  void inProcessEpisode() throws Exception {
    runEpisode(inproc());
  }

  @Test
  void serviceAndInProcessObserveTheSame() throws Exception {
    List<Map<String, Event>> inProcess = runEpisode(inproc());
    List<Map<String, Event>> byService = runEpisode(serviceEndpoint());
    List<String> stages = List.of("start", "mem2reg", "fork");
    assertEquals(stages.size(), inProcess.size());
    assertEquals(stages.size(), byService.size());
    for (int i = 0; i < stages.size(); ++i) {
      for (String name : OBSERVED) {
        assertEquals(inProcess.get(i).get(name), byService.get(i).get(name),
            stages.get(i) + "/" + name);
      }
    }
  }

  private static void checkErrors(String endpoint) throws Exception {
    try (CompilerEnv env = connect(endpoint)) {
      env.reset();
      for (long action : new long[] {124, -1}) {
        InvalidArgumentException e =
            assertThrows(InvalidArgumentException.class, () -> env.step(action));
        assertEquals(Status.INVALID_ARGUMENT, e.code());
        assertEquals("Action out of range: " + action, e.getMessage());
      }
      // The episode goes on.
      assertFalse(env.step(actionNames(env).indexOf("-mem2reg")).done());

      // A program that does not parse: INVALID_ARGUMENT with LLVM's diagnostic, not its
      // subclass BenchmarkInitException (which CompilerGym's own client would raise), and no
      // episode.
      env.setBenchmark("benchmark://test/bad", "not LLVM".getBytes(StandardCharsets.UTF_8));
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, env::reset);
      assertSame(InvalidArgumentException.class, e.getClass());
      assertEquals(Status.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().contains("expected top-level entity"), e.getMessage());
      assertFalse(env.inEpisode());
    }
  }

  @Test
  void errorsInProcess() throws Exception {
    checkErrors(inproc());
  }

  @Test
  void errorsThroughTheService() throws Exception {
    checkErrors(serviceEndpoint());
  }
}
