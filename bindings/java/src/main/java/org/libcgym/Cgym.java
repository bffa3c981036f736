// SPDX-License-Identifier: MIT
package org.libcgym;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Versions of the loaded libcgym and its status codes; environments by name
 * ({@link #make(String)}, CompilerGym's gym.make), their datasets and benchmarks made from the
 * user's sources.
 */
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

  /** The endpoint of {@link #make(String, String, Options)} that runs the compiler in this
   * process (the environment's session plugin). */
  public static final String INPROC = "inproc";

  /** The ids {@link #make(String)} accepts, in order: "llvm-v0", "llvm-ic-v0",
   * "llvm-codesize-v0", "llvm-autophase-ic-v0", "llvm-autophase-codesize-v0". */
  public static List<String> envIds() {
    return List.of(Native.envIds());
  }

  /** {@link #make(String, String, Options)} with a managed service and the id's defaults. */
  public static CompilerEnv make(String id) {
    return make(id, null, null);
  }

  /**
   * A ready environment by id, as CompilerGym's gym.make: the LLVM environment with the id's
   * default observation space (none, or "Autophase" for llvm-autophase-*) and reward space (none
   * for llvm-v0, "IrInstructionCountOz" for *-ic-v0, "ObjectTextSizeOz" for *-codesize-v0), the
   * twelve cost rewards (IrInstructionCount, IrInstructionCountNorm, IrInstructionCountO3,
   * IrInstructionCountOz, and the same for ObjectTextSize and TextSize, see
   * {@link CompilerEnv#addCostReward}), and the benchmark "benchmark://cgym-v0/sorting".
   *
   * @param endpoint where the compiler runs: null or "" for a managed service (the installed
   *     cgym-llvm-service, launched now and owned by the env and its forks); {@link #INPROC}
   *     for this process (the installed libcgym-llvm.so plugin); "HOST:PORT" or "unix:PATH"
   *     for a service someone else runs; anything else as {@link CompilerEnv#connect}. The
   *     service and the plugin are CGYM_LLVM_SERVICE and CGYM_LLVM_PLUGIN if set, else found
   *     next to libcgym ({@link #servicePath}, {@link #pluginPath}).
   * @param options may be null; its spaces and benchmark replace the id's defaults ("" for
   *     none)
   * @throws NotFoundException for an unknown id (the message lists the ids)
   * @throws EnvironmentNotSupportedException if the service or plugin is not installed (the
   *     message names the places searched and the variable to set)
   */
  public static CompilerEnv make(String id, String endpoint, Options options) {
    if (id == null) throw new InvalidArgumentException("id is null");
    return CompilerEnv.make(id, endpoint, options);
  }

  /** The service binary that {@link #make(String)} launches for env id {@code id}.
   * {@link NotFoundException} for an unknown id; {@link EnvironmentNotSupportedException} if it
   * is not installed. */
  public static Path servicePath(String id) {
    if (id == null) throw new InvalidArgumentException("id is null");
    return Path.of(Native.envServicePath(id, false));
  }

  /** The session plugin that {@code make(id, "inproc", options)} loads; errors as
   * {@link #servicePath}. */
  public static Path pluginPath(String id) {
    if (id == null) throw new InvalidArgumentException("id is null");
    return Path.of(Native.envServicePath(id, true));
  }

  /** The datasets of env id {@code envId}, in order: "benchmark://cgym-v0",
   * "generator://csmith-v0", "generator://llvm-stress-v0". {@link NotFoundException} for an
   * unknown id. A directory of sources is a dataset too: {@code new Dataset("file:///DIR")}. */
  public static List<Dataset> datasets(String envId) {
    if (envId == null) throw new InvalidArgumentException("envId is null");
    List<Dataset> datasets = new ArrayList<>();
    for (String name : Native.datasets(envId)) datasets.add(new Dataset(name));
    return List.copyOf(datasets);
  }

  /**
   * A benchmark made from the user's files, as CompilerGym's make_benchmark: each .c, .cc, .cpp
   * or .cxx file is compiled with clang (unoptimised bitcode, the host compiler's system include
   * directories, then {@code copts}), .ll files are assembled, .bc files taken as they are;
   * several inputs are linked into one module. The URI is "benchmark://user-v0/...". clang is
   * CGYM_CLANG if set, else the clang of the LLVM libcgym was built with.
   *
   * @param copts compiler options (may be null: none)
   * @throws NotFoundException for a missing file
   * @throws InvalidArgumentException for no input or an unknown file type
   * @throws BenchmarkInitException with the compiler's message for a source that does not
   *     compile
   * @throws DeadlineExceededException after 600 seconds
   */
  public static Benchmark makeBenchmark(List<Path> paths, List<String> copts) {
    if (paths == null) throw new InvalidArgumentException("paths is null");
    String[] files = new String[paths.size()];
    for (int i = 0; i < files.length; ++i) {
      Path path = paths.get(i);
      if (path == null) throw new InvalidArgumentException("null path");
      files[i] = path.toString();
    }
    String[] uri = new String[1];
    byte[] bitcode = Native.makeBenchmark(files, strings(copts), uri);
    return new Benchmark(uri[0], bitcode);
  }

  /** {@link #makeBenchmark} of one file. */
  public static Benchmark makeBenchmark(Path path, String... copts) {
    return makeBenchmark(List.of(path), List.of(copts));
  }

  /**
   * A benchmark made from a string of source code in {@code language} "c" or "c++"
   * ({@link InvalidArgumentException} otherwise); otherwise as {@link #makeBenchmark}.
   */
  public static Benchmark makeBenchmarkFromSource(String source, String language,
      List<String> copts) {
    if (source == null) throw new InvalidArgumentException("source is null");
    if (language == null) throw new InvalidArgumentException("language is null");
    String[] uri = new String[1];
    byte[] bitcode = Native.makeBenchmarkFromSource(source, language, strings(copts), uri);
    return new Benchmark(uri[0], bitcode);
  }

  private static String[] strings(List<String> list) {
    if (list == null) return new String[0];
    String[] array = list.toArray(new String[0]);
    for (String item : array) {
      if (item == null) throw new InvalidArgumentException("null compiler option");
    }
    return array;
  }
}
