// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libcgym.examples.LlvmRewardsEpisode;

/**
 * Environments by name ({@link Cgym#make}), their twelve cost rewards, datasets and benchmarks
 * made from sources, through the public API: every id managed and in-process, the rewards
 * computed by hand from the observations they are made of, the datasets' URIs, clang's errors,
 * validation.
 *
 * <p>LLVM is optional: the tests are skipped when the environment is not installed (no
 * CGYM_LLVM_SERVICE and no cgym-llvm-service next to libcgym); a CGYM_LLVM_SERVICE naming a
 * missing file fails them (a typo must not pass as a skip). LlvmMakeFoundTest and
 * LlvmMakeNotInstalledTest run in JVMs of their own, without these variables and with missing
 * files.
 */
class LlvmMakeTest {
  private static final List<String> IDS = List.of("llvm-v0", "llvm-ic-v0", "llvm-codesize-v0",
      "llvm-autophase-ic-v0", "llvm-autophase-codesize-v0");
  private static final List<String> DATASETS =
      List.of("benchmark://cgym-v0", "generator://csmith-v0", "generator://llvm-stress-v0");
  private static final String FIBONACCI = "benchmark://cgym-v0/fibonacci";
  /** The endpoints of make: a managed service (null) and in-process. */
  private static final List<String> ENDPOINTS = Arrays.asList(null, Cgym.INPROC);

  /** A family of cost rewards: its reward names' prefix and the cost observation. */
  private record Family(String prefix, String cost) {
    /** The plain (delta) reward's name: the family's prefix, or its cost for the sizes. */
    String plain() {
      return prefix.equals("IrInstructionCount") ? prefix : cost;
    }

    List<String> rewards() {
      return List.of(plain(), prefix + "Norm", prefix + "O3", prefix + "Oz");
    }
  }

  private static final List<Family> FAMILIES =
      List.of(new Family("IrInstructionCount", "IrInstructionCount"),
          new Family("ObjectTextSize", "ObjectTextSizeBytes"),
          new Family("TextSize", "TextSizeBytes"));
  private static final List<String> REWARDS =
      FAMILIES.stream().flatMap(f -> f.rewards().stream()).collect(Collectors.toList());

  @BeforeAll
  static void llvmInstalled() {
    String service = System.getenv("CGYM_LLVM_SERVICE");
    if (service != null && !service.isEmpty()) {
      if (!Files.isExecutable(Path.of(service))) {
        fail("CGYM_LLVM_SERVICE is not executable: " + service);
      }
      return;
    }
    try {
      Cgym.servicePath("llvm-v0");
    } catch (EnvironmentNotSupportedException e) {
      assumeTrue(false, "the LLVM environment is not installed: " + e.getMessage());
    }
  }

  /** Bounded waits for managed services. */
  private static Options timings() {
    return new Options().localServiceExitMaxSeconds(30).localServicePortInitMaxSeconds(60)
        .initMaxSeconds(60);
  }

  private static Options on(String benchmark) {
    return timings().benchmark(benchmark);
  }

  private static long actionIndex(CompilerEnv env, String name) {
    int index = env.actionSpace().actionNames().indexOf(name);
    assertTrue(index >= 0, name);
    return index;
  }

  /** The reward of a cost that went from prev to now, of each kind, by hand. */
  private static double expected(String reward, Family family, double prev, double now,
      double o0, double o3, double oz) {
    double delta = prev - now;
    if (reward.equals(family.plain())) return delta;
    if (reward.endsWith("Norm")) return delta / o0;
    return delta / Math.max(o0 - (reward.endsWith("O3") ? o3 : oz), 1);
  }

  @Test
  void envIds() {
    assertEquals(IDS, Cgym.envIds());
  }

  /** Every id, managed and in-process: its default spaces, the twelve rewards, one step. */
  @Test
  void everyIdWithItsDefaults() {
    for (String id : IDS) {
      for (String endpoint : ENDPOINTS) {
        String where = id + " at " + endpoint;
        try (CompilerEnv env = Cgym.make(id, endpoint, timings())) {
          assertTrue(env.rewardSpaces().containsAll(REWARDS), where + ": " + env.rewardSpaces());
          Event observation = env.reset();
          assertEquals("benchmark://cgym-v0/sorting", env.benchmark(), where);
          boolean autophase = id.startsWith("llvm-autophase-");
          if (autophase) {
            assertNotNull(observation, where);
            assertEquals(56, observation.longs().length, where);
          } else {
            assertNull(observation, where);
          }

          StepResult result = env.step("-mem2reg");
          assertFalse(result.done(), where + ": " + result);
          assertEquals("", result.errorType(), where);
          assertFalse(result.actionHadNoEffect(), where);
          if (autophase) {
            assertEquals(env.observe("Autophase"), result.observation(), where);
          } else {
            assertNull(result.observation(), where);
          }
          Family family = id.endsWith("-ic-v0") ? FAMILIES.get(0)
              : id.endsWith("-codesize-v0") ? FAMILIES.get(1) : null;
          if (family == null) {
            assertTrue(Double.isNaN(result.reward()), where + ": no reward space");
            assertTrue(Double.isNaN(env.episodeReward()), where);
            continue;
          }
          String prefix = family.prefix();
          double o0 = env.observeDouble(prefix + "O0");
          double now = env.observeDouble(family.cost());
          double oz = env.observeDouble(prefix + "Oz");
          assertNotEquals(o0, now, where + ": -mem2reg changes the cost");
          assertEquals((o0 - now) / Math.max(o0 - oz, 1), result.reward(), where);
          assertEquals(result.reward(), env.episodeReward(), where);
        }
      }
    }
  }

  @Test
  void unknownIdIsNotFound() {
    for (String endpoint : ENDPOINTS) {
      NotFoundException e =
          assertThrows(NotFoundException.class, () -> Cgym.make("llvm-v1", endpoint, null));
      assertEquals(Status.NOT_FOUND, e.code());
      for (String id : IDS) assertTrue(e.getMessage().contains(id), e.getMessage());
    }
    assertThrows(NotFoundException.class, () -> Cgym.make(""));
    assertThrows(NotFoundException.class, () -> Cgym.servicePath("llvm-v1"));
    assertThrows(NotFoundException.class, () -> Cgym.pluginPath("llvm-v1"));
    assertThrows(NotFoundException.class, () -> Cgym.datasets("llvm-v1"));
    assertThrows(InvalidArgumentException.class, () -> Cgym.make(null));
    assertThrows(InvalidArgumentException.class, () -> Cgym.make("llvm\0-v0"));
  }

  /** The twelve rewards of a short episode, each checked against the costs observed in the
   * same step. */
  private static void checkRewardsByHand(String endpoint) {
    try (CompilerEnv env = Cgym.make("llvm-v0", endpoint, on(FIBONACCI))) {
      env.reset();
      int n = FAMILIES.size();
      double[] o0 = new double[n];
      double[] o3 = new double[n];
      double[] oz = new double[n];
      double[] prev = new double[n];
      List<String> costs = new ArrayList<>();
      for (int f = 0; f < n; ++f) {
        Family family = FAMILIES.get(f);
        o0[f] = env.observeDouble(family.prefix() + "O0");
        o3[f] = env.observeDouble(family.prefix() + "O3");
        oz[f] = env.observeDouble(family.prefix() + "Oz");
        // C(prev) of the first step is C0, the unmodified benchmark's cost.
        prev[f] = env.observeDouble(family.cost());
        assertEquals(o0[f], prev[f], family.cost() + " at the start is its O0");
        assertTrue(o0[f] > 0 && o3[f] > 0 && oz[f] > 0, family.prefix());
        costs.add(family.cost());
      }
      // The last step repeats -mem2reg: no effect, so every reward is 0.
      List<String> actions = List.of("-mem2reg", "-instcombine", "-simplifycfg", "-mem2reg");
      boolean changed = false;
      for (String action : actions) {
        StepResult result = env.step(List.of(Event.ofLong(actionIndex(env, action))), costs,
            REWARDS);
        assertEquals("", result.errorType(), action + ": " + result);
        double[] rewards = result.rewards();
        assertEquals(REWARDS.size(), rewards.length);
        for (int f = 0; f < n; ++f) {
          Family family = FAMILIES.get(f);
          double now = result.observations().get(f).asDouble();
          changed |= now != prev[f];
          for (int r = 0; r < 4; ++r) {
            String reward = family.rewards().get(r);
            assertEquals(expected(reward, family, prev[f], now, o0[f], o3[f], oz[f]),
                rewards[4 * f + r], action + ": " + reward);
          }
          prev[f] = now;
        }
      }
      assertTrue(changed, "the episode changed the costs");
      assertTrue(Arrays.stream(env.step(List.of(Event.ofLong(actionIndex(env, "-mem2reg"))),
          List.of(), REWARDS).rewards()).allMatch(r -> r == 0), "no effect, no reward");
    }
  }

  @Test
  void twelveRewardsByHandInProcess() {
    checkRewardsByHand(Cgym.INPROC);
  }

  @Test
  void twelveRewardsByHandManaged() {
    checkRewardsByHand(null);
  }

  @Test
  void forksContinueTheirParentsRewards() {
    try (CompilerEnv env = Cgym.make("llvm-ic-v0", Cgym.INPROC, on(FIBONACCI))) {
      env.reset();
      env.step("-mem2reg");
      try (CompilerEnv fork = env.fork()) {
        StepResult parent = env.step("-instcombine");
        StepResult child = fork.step("-instcombine");
        assertNotEquals(0, parent.reward());
        assertEquals(parent.reward(), child.reward());
        assertEquals(env.episodeReward(), fork.episodeReward());
      }
    }
  }

  @Test
  void addCostReward() {
    try (CompilerEnv env = Cgym.make("llvm-v0", Cgym.INPROC, on(FIBONACCI))) {
      env.addCostReward("MyOz", "IrInstructionCount", "IrInstructionCountO0",
          "IrInstructionCountOz", CostRewardKind.BASELINE, true, false);
      env.addCostReward("MyDelta", "IrInstructionCount", "IrInstructionCountO0", null,
          CostRewardKind.DELTA, true, false);
      env.addCostReward("MyNorm", "ObjectTextSizeBytes", "ObjectTextSizeO0", null,
          CostRewardKind.NORMALIZED, true, true);
      assertTrue(env.rewardSpaces().containsAll(List.of("MyOz", "MyDelta", "MyNorm")),
          env.rewardSpaces().toString());
      env.reset();
      List<Double> rewards = new ArrayList<>();
      List<String> actions = List.of("-mem2reg", "-instcombine");
      for (String action : actions) {
        StepResult result = env.step(List.of(Event.ofLong(actionIndex(env, action))), null,
            List.of("MyOz", "IrInstructionCountOz", "MyDelta", "IrInstructionCount", "MyNorm",
                "ObjectTextSizeNorm"));
        double[] r = result.rewards();
        assertEquals(r[1], r[0], action);
        assertEquals(r[3], r[2], action);
        assertEquals(r[5], r[4], action);
        rewards.add(r[0]);
      }
      assertNotEquals(0, rewards.get(0) + rewards.get(1));

      // As the default reward space, in a new episode: the same rewards, summed.
      env.setRewardSpace("MyOz");
      env.reset();
      for (int i = 0; i < actions.size(); ++i) {
        assertEquals(rewards.get(i), env.step(actions.get(i)).reward(), actions.get(i));
      }
      assertEquals(rewards.get(0) + rewards.get(1), env.episodeReward());

      assertThrows(NotFoundException.class, () -> env.addCostReward("Bad", "NoSuchSpace",
          "IrInstructionCountO0", null, CostRewardKind.DELTA, true, false));
      assertThrows(NotFoundException.class, () -> env.addCostReward("Bad", "IrInstructionCount",
          "IrInstructionCountO0", "NoSuchSpace", CostRewardKind.BASELINE, true, false));
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> env.addCostReward("Bad", "IrInstructionCount", "IrInstructionCountO0", null,
              CostRewardKind.BASELINE, true, false));
      assertSame(InvalidArgumentException.class, e.getClass());
      assertThrows(InvalidArgumentException.class, () -> env.addCostReward("Bad",
          "IrInstructionCount", "IrInstructionCountO0", null, null, true, false));
      assertFalse(env.rewardSpaces().contains("Bad"));
    }
  }

  @Test
  void datasets() {
    for (String id : IDS) {
      assertEquals(DATASETS, Cgym.datasets(id).stream().map(Dataset::name).toList(), id);
    }
    List<Dataset> datasets = Cgym.datasets("llvm-v0");
    for (Dataset dataset : datasets) {
      assertFalse(dataset.description().isEmpty(), dataset.name());
      assertEquals(dataset, new Dataset(dataset.name()));
    }

    Dataset bundled = datasets.get(0);
    assertEquals(22, bundled.size());
    assertFalse(bundled.isEndless());
    List<String> uris = bundled.benchmarkUris().toList();
    assertEquals(22, uris.size());
    assertEquals(22, new HashSet<>(uris).size());
    for (int i = 0; i < uris.size(); ++i) {
      assertTrue(uris.get(i).startsWith("benchmark://cgym-v0/"), uris.get(i));
      assertEquals(uris.get(i), bundled.benchmarkAt(i));
    }
    assertTrue(uris.containsAll(List.of(FIBONACCI, "benchmark://cgym-v0/sorting")), "" + uris);
    List<String> iterated = new ArrayList<>();
    for (String uri : bundled) iterated.add(uri);
    assertEquals(uris, iterated);
    OutOfRangeException e = assertThrows(OutOfRangeException.class, () -> bundled.benchmarkAt(22));
    assertEquals(Status.OUT_OF_RANGE, e.code());
    assertThrows(OutOfRangeException.class, () -> bundled.benchmarkAt(-1));

    for (Dataset generator : datasets.subList(1, 3)) {
      String name = generator.name();
      assertEquals(0, generator.size(), name);
      assertTrue(generator.isEndless(), name);
      assertEquals(name + "/5", generator.benchmarkAt(5));
      assertEquals(name + "/4294967295", generator.benchmarkAt(0xFFFFFFFFL));
      assertThrows(OutOfRangeException.class, () -> generator.benchmarkAt(1L << 32));
      assertEquals(List.of(name + "/0", name + "/1", name + "/2"),
          generator.benchmarkUris().limit(3).toList());
      Iterator<String> endless = generator.iterator();
      for (int i = 0; i < 100; ++i) assertEquals(name + "/" + i, endless.next());
      assertTrue(endless.hasNext());
    }
    assertEquals("generator://csmith-v0/5", datasets.get(1).benchmarkAt(5));

    assertThrows(NotFoundException.class, () -> new Dataset("benchmark://no-such-v0"));
  }

  @Test
  void randomBenchmarkIsDeterministicPerSeed() {
    for (Dataset dataset : Cgym.datasets("llvm-v0")) {
      Set<String> drawn = new HashSet<>();
      for (long seed = 0; seed < 20; ++seed) {
        String uri = dataset.randomBenchmark(seed);
        assertEquals(uri, dataset.randomBenchmark(seed), "seed " + seed);
        assertEquals(uri, new Dataset(dataset.name()).randomBenchmark(seed));
        assertTrue(uri.startsWith(dataset.name() + "/"), uri);
        drawn.add(uri);
      }
      assertTrue(drawn.size() > 1, dataset.name() + ": " + drawn);
      assertEquals(dataset.randomBenchmark(-1), dataset.randomBenchmark(-1), "seed 2^64-1");
    }
    Dataset bundled = new Dataset("benchmark://cgym-v0");
    List<String> uris = bundled.benchmarkUris().toList();
    String uri = bundled.randomBenchmark(7);
    assertTrue(uris.contains(uri), uri);
    try (CompilerEnv env = Cgym.make("llvm-ic-v0", Cgym.INPROC, on(uri))) {
      env.reset();
      assertEquals(uri, env.benchmark());
      assertTrue(env.observe("IrInstructionCount").asLong() > 0);
    }
  }

  @Test
  void directoryDataset(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("b.c"), "int b(void) { return 2; }\n");
    Files.writeString(dir.resolve("a.c"), "int a(void) { return 1; }\n");
    Files.writeString(dir.resolve("notes.txt"), "not a source\n");
    Dataset dataset = new Dataset("file://" + dir.toAbsolutePath());
    assertEquals(2, dataset.size());
    List<String> uris = dataset.benchmarkUris().toList();
    assertEquals(2, uris.size());
    assertTrue(uris.get(0).endsWith("a.c"), uris.toString());
    assertTrue(uris.get(1).endsWith("b.c"), uris.toString());
    assertThrows(OutOfRangeException.class, () -> dataset.benchmarkAt(2));
    assertThrows(NotFoundException.class,
        () -> new Dataset("file://" + dir.resolve("missing").toAbsolutePath()));
  }

  @Test
  void makeBenchmarkFromAFile(@TempDir Path dir) throws IOException {
    Path source = dir.resolve("square.c");
    Files.writeString(source,
        "int square(int x) { return x * VALUE; }\nint main(void) { return square(3); }\n");
    // VALUE comes from the compiler options: they reach clang.
    Benchmark benchmark = Cgym.makeBenchmark(List.of(source), List.of("-DVALUE=3"));
    assertTrue(benchmark.uri().startsWith("benchmark://user-v0/"), benchmark.uri());
    byte[] bitcode = benchmark.bitcode();
    assertArrayEquals(new byte[] {'B', 'C', (byte) 0xc0, (byte) 0xde},
        Arrays.copyOf(bitcode, 4), "LLVM bitcode");
    assertEquals(bitcode.length, benchmark.size());

    try (CompilerEnv env = Cgym.make("llvm-ic-v0", Cgym.INPROC, timings().benchmark(benchmark))) {
      env.reset();
      assertEquals(benchmark.uri(), env.benchmark());
      assertTrue(env.observe("IrInstructionCount").asLong() > 0);
      assertTrue(env.observeString("Ir").contains("@square"));
      assertEquals("", env.step("-mem2reg").errorType());

      // The same benchmark set on an env, for its next reset.
      Benchmark other = Cgym.makeBenchmarkFromSource("int cube(int x) { return x * x * x; }",
          "c", null);
      env.setBenchmark(other);
      env.reset();
      assertEquals(other.uri(), env.benchmark());
      assertTrue(env.observeString("Ir").contains("@cube"));
      assertTrue(env.observe("IrInstructionCount").asLong() > 0);
    }
  }

  @Test
  void makeBenchmarkLinksSeveralFiles(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a.c");
    Path b = dir.resolve("b.cc");
    Files.writeString(a, "int from_c(int x) { return x + 1; }\n");
    Files.writeString(b, "extern \"C\" int from_c(int);\n"
        + "template <typename T> T twice(T x) { return 2 * x; }\n"
        + "int main() { return twice(from_c(1)); }\n");
    Benchmark benchmark = Cgym.makeBenchmark(List.of(a, b), List.of());
    try (CompilerEnv env = Cgym.make("llvm-v0", Cgym.INPROC, timings().benchmark(benchmark))) {
      env.reset();
      String ir = env.observeString("Ir");
      assertTrue(ir.contains("define") && ir.contains("@from_c") && ir.contains("@main"), ir);
    }
  }

  @Test
  void makeBenchmarkFromSource() {
    Benchmark c = Cgym.makeBenchmarkFromSource("int f(void) { return 1; }", "c", List.of());
    assertTrue(c.uri().startsWith("benchmark://user-v0/"), c.uri());
    Benchmark cpp = Cgym.makeBenchmarkFromSource(
        "template <int N> int g() { return N; }\nint h() { return g<3>(); }", "c++", List.of());
    assertNotEquals(c.uri(), cpp.uri());
    assertTrue(cpp.size() > 4);

    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> Cgym.makeBenchmarkFromSource("int f;", "fortran", List.of()));
    assertSame(InvalidArgumentException.class, e.getClass());
    BenchmarkInitException syntax = assertThrows(BenchmarkInitException.class,
        () -> Cgym.makeBenchmarkFromSource("int f( { return 1; }", "c", List.of()));
    assertEquals(Status.BENCHMARK_INIT, syntax.code());
    assertTrue(syntax.getMessage().contains("error:"), syntax.getMessage());
    assertThrows(InvalidArgumentException.class,
        () -> Cgym.makeBenchmarkFromSource(null, "c", List.of()));
  }

  @Test
  void makeBenchmarkErrors(@TempDir Path dir) throws IOException {
    NotFoundException missing = assertThrows(NotFoundException.class,
        () -> Cgym.makeBenchmark(List.of(dir.resolve("missing.c")), List.of()));
    assertEquals(Status.NOT_FOUND, missing.code());

    Path bad = dir.resolve("bad.c");
    Files.writeString(bad, "int main(void) { return 0 }\n");
    BenchmarkInitException e = assertThrows(BenchmarkInitException.class,
        () -> Cgym.makeBenchmark(List.of(bad), List.of()));
    assertEquals(Status.BENCHMARK_INIT, e.code());
    // clang's diagnostic: the file, the line and what it expected.
    assertTrue(e.getMessage().contains("bad.c:1:"), e.getMessage());
    assertTrue(e.getMessage().contains("error: expected ';'"), e.getMessage());

    // Without the option that defines VALUE, the file of makeBenchmarkFromAFile fails.
    Path needsOption = dir.resolve("value.c");
    Files.writeString(needsOption, "int v(void) { return VALUE; }\n");
    assertThrows(BenchmarkInitException.class,
        () -> Cgym.makeBenchmark(List.of(needsOption), List.of()));

    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a source\n");
    InvalidArgumentException type = assertThrows(InvalidArgumentException.class,
        () -> Cgym.makeBenchmark(List.of(text), List.of()));
    assertSame(InvalidArgumentException.class, type.getClass());
    InvalidArgumentException none = assertThrows(InvalidArgumentException.class,
        () -> Cgym.makeBenchmark(List.of(), List.of()));
    assertSame(InvalidArgumentException.class, none.getClass());
    assertThrows(InvalidArgumentException.class, () -> Cgym.makeBenchmark(null, List.of()));
  }

  /** The cross-language printer: 120 lines in the agreed format, whose values are the
   * rewards of the same episode stepped here. */
  @Test
  void rewardsEpisodePrinter() {
    List<String> actions = List.of("-mem2reg", "-sroa", "-instcombine", "-simplifycfg", "-gvn",
        "-licm", "-loop-unroll", "-inline", "-dce", "-globaldce");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LlvmRewardsEpisode.main(new String[0]);
    } finally {
      System.setOut(stdout);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), text);
    String[] lines = text.split("\n", -1);
    assertEquals(121, lines.length, "120 lines, each ending in a newline");

    try (CompilerEnv env = Cgym.make("llvm-v0", Cgym.INPROC, on(FIBONACCI))) {
      env.reset();
      int line = 0;
      for (int step = 0; step < actions.size(); ++step) {
        String action = actions.get(step);
        double[] rewards = env.step(List.of(Event.ofLong(actionIndex(env, action))), List.of(),
            REWARDS).rewards();
        for (int r = 0; r < REWARDS.size(); ++r) {
          String expected = (step + 1) + "\t" + action + "\t" + REWARDS.get(r) + "\t"
              + String.format("%016x", Double.doubleToRawLongBits(rewards[r]));
          assertEquals(expected, lines[line++]);
        }
      }
    }
  }

  @Test
  void validate() {
    try (CompilerEnv env = Cgym.make("llvm-ic-v0", Cgym.INPROC, on(FIBONACCI))) {
      env.reset();
      env.step("-mem2reg");
      env.step("-instcombine");
      assertNotEquals(0, env.episodeReward());
      ValidationResult good = env.validate();
      assertTrue(good.okay(), good.json());
      // A deterministic reward is replayed and compared, and fibonacci is runnable: its
      // behaviour is compared with the unoptimised program's.
      assertTrue(good.json().matches("(?s).*\"reward_validated\":\\s*true.*"), good.json());
      assertTrue(good.json().matches("(?s).*\"benchmark_semantics_validated\":\\s*true.*"),
          good.json());

      String state = env.stateJson();
      String wrong = state.replaceFirst("\"reward\":\\s*[-+0-9.eE]+", "\"reward\": 1234.5");
      assertNotEquals(state, wrong, state);
      ValidationResult bad = env.validate(wrong);
      assertFalse(bad.okay(), bad.json());
      assertTrue(bad.json().matches("(?s).*\"reward_validation_failed\":\\s*true.*"), bad.json());
      assertTrue(bad.json().contains("Reward validation failed"), bad.json());
    }
  }
}
