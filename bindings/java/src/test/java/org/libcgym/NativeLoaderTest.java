// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extraction of the natives a jar carries (NativeLoader), on small made-up bundles: this
 * JVM has loaded its libraries already, so nothing is loaded here; tests/packaging/java.sh
 * loads a real jar's.
 */
class NativeLoaderTest {
  @TempDir Path temp;

  /** A bundle: its files (path to content; executables under lib/ and libexec/). */
  private static Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("lib/libcgym.so.1", bytes("the library"));
    files.put("lib/libcgym_jni.so", bytes("the JNI layer"));
    files.put("libexec/cgym/cgym-llvm-service", bytes("the service"));
    files.put("share/cgym/llvm/dataset/manifest.json", bytes("{\"programs\": []}"));
    return files;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The index of {@code files}, as build.sh writes it. */
  private static byte[] index(String version, Map<String, byte[]> files) throws Exception {
    StringBuilder text = new StringBuilder("libcgym-java-natives 1\nversion " + version
        + "\nplatform linux-x86_64\n");
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      String sha256 = HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(file.getValue()));
      boolean executable = !file.getKey().startsWith("share/");
      text.append("file ").append(sha256).append(' ').append(file.getValue().length)
          .append(executable ? " x " : " - ").append(file.getKey()).append('\n');
    }
    return bytes(text.toString());
  }

  private static NativeLoader.Bundle bundle(Map<String, byte[]> files) throws Exception {
    return NativeLoader.Bundle.parse(index("0.6.0", files), "linux-x86_64");
  }

  private static NativeLoader.Resources resources(Map<String, byte[]> files) {
    return path -> files.containsKey(path) ? new ByteArrayInputStream(files.get(path)) : null;
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path extract(Path root, Map<String, byte[]> files) throws Exception {
    return NativeLoader.extract(root, bundle(files), resources(files));
  }

  @Test
  void extractsOnceIntoAPrivateDirectoryAndReusesIt() throws Exception {
    Path root = temp.resolve("cache").resolve("libcgym-java");
    Map<String, byte[]> files = files();
    Path tree = extract(root, files);
    assertEquals(root.resolve(bundle(files).directoryName()), tree);
    assertTrue(tree.getFileName().toString().matches("0\\.6\\.0-[0-9a-f]{16}"), tree.toString());
    assertEquals("rwx------", mode(root));
    assertEquals("rwx------", mode(tree));
    assertEquals("rwx------", mode(tree.resolve("libexec/cgym")));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = tree.resolve(file.getKey());
      assertArrayEquals(file.getValue(), Files.readAllBytes(path), file.getKey());
      assertEquals(file.getKey().startsWith("share/") ? "rw-------" : "rwx------", mode(path));
    }
    assertEquals(List.of(tree.getFileName().toString()), entries(root));  // no temporary left

    // A second load finds it complete and leaves it as it is.
    Files.writeString(tree.resolve("marker"), "still here");
    assertEquals(tree, extract(root, files));
    assertTrue(Files.exists(tree.resolve("marker")));
  }

  @Test
  void newContentOfTheSameVersionGetsADirectoryOfItsOwn() throws Exception {
    Map<String, byte[]> other = files();
    other.put("lib/libcgym.so.1", bytes("a rebuilt library"));
    assertNotEquals(bundle(files()).directoryName(), bundle(other).directoryName());
  }

  @Test
  void replacesAnIncompleteTree() throws Exception {
    Path root = temp.resolve("libcgym-java");
    Map<String, byte[]> files = files();
    Path tree = extract(root, files);
    List<IoAction> damages = List.of(
        () -> Files.delete(tree.resolve("lib/libcgym_jni.so")),
        () -> Files.write(tree.resolve("lib/libcgym.so.1"), bytes("cut")),
        () -> Files.setPosixFilePermissions(tree.resolve("libexec/cgym/cgym-llvm-service"),
            PosixFilePermissions.fromString("rw-------")),
        () -> {
          Files.delete(tree.resolve("share/cgym/llvm/dataset/manifest.json"));
          Files.createDirectory(tree.resolve("share/cgym/llvm/dataset/manifest.json"));
        });
    for (IoAction damage : damages) {
      Files.writeString(tree.resolve("marker"), "the old tree");
      damage.run();
      assertEquals(tree, extract(root, files));
      assertFalse(Files.exists(tree.resolve("marker")), "not replaced");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        assertArrayEquals(file.getValue(), Files.readAllBytes(tree.resolve(file.getKey())));
      }
      assertEquals(List.of(tree.getFileName().toString()), entries(root));
    }
  }

  @Test
  void completesAPartialTreeAndReplacesAFileInItsPlace() throws Exception {
    Path root = temp.resolve("libcgym-java");
    Map<String, byte[]> files = files();
    Path tree = root.resolve(bundle(files).directoryName());
    // A tree left half-written (by a copy by hand, say).
    Files.createDirectories(tree.resolve("lib"));
    Files.write(tree.resolve("lib/libcgym.so.1"), files.get("lib/libcgym.so.1"));
    assertEquals(tree, extract(root, files));
    assertArrayEquals(files.get("lib/libcgym_jni.so"),
        Files.readAllBytes(tree.resolve("lib/libcgym_jni.so")));
    // Our own file where the tree goes.
    Path root2 = temp.resolve("second");
    Files.createDirectories(root2);
    Files.writeString(root2.resolve(bundle(files).directoryName()), "in the way");
    Path tree2 = extract(root2, files);
    assertTrue(Files.isDirectory(tree2));
  }

  @Test
  void refusesASymlinkedCacheDirectory() throws Exception {
    Path real = Files.createDirectory(temp.resolve("real"));
    Path link = Files.createSymbolicLink(temp.resolve("libcgym-java"), real);
    IOException error = assertThrows(IOException.class, () -> extract(link, files()));
    assertTrue(error.getMessage().contains("symbolic link"), error.getMessage());
    assertTrue(error.getMessage().contains(link.toString()), error.getMessage());
    assertEquals(List.of(), entries(real));
  }

  @Test
  void refusesASymlinkedTree() throws Exception {
    Path root = temp.resolve("libcgym-java");
    Map<String, byte[]> files = files();
    Path elsewhere = extract(temp.resolve("elsewhere"), files);
    Files.createDirectories(root);
    Path link = Files.createSymbolicLink(root.resolve(bundle(files).directoryName()), elsewhere);
    IOException error = assertThrows(IOException.class, () -> extract(root, files));
    assertTrue(error.getMessage().contains("symbolic link"), error.getMessage());
    assertTrue(Files.isSymbolicLink(link));
  }

  @Test
  void refusesAnotherUsersCacheDirectory() throws Exception {
    Path root = Files.createDirectory(temp.resolve("libcgym-java"));
    try {
      Files.setAttribute(root, "unix:uid", 4242);  // needs root (CI runs as root)
    } catch (IOException e) {
      assumeTrue(false, "cannot give a directory to another user: " + e);
    }
    IOException error = assertThrows(IOException.class, () -> extract(root, files()));
    assertTrue(error.getMessage().contains("belongs to uid 4242"), error.getMessage());
    assertEquals(List.of(), entries(root));
  }

  @Test
  void makesAnExistingCacheDirectoryPrivate() throws Exception {
    Path root = Files.createDirectory(temp.resolve("libcgym-java"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
    extract(root, files());
    assertEquals("rwx------", mode(root));
  }

  @Test
  void failsOnCorruptOrMissingContentLeavingNothing() throws Exception {
    Path root = temp.resolve("libcgym-java");
    Map<String, byte[]> files = files();
    NativeLoader.Bundle bundle = bundle(files);

    Map<String, byte[]> corrupt = new LinkedHashMap<>(files);
    corrupt.put("lib/libcgym_jni.so", bytes("the JNI layeR"));  // same size, other content
    IOException error = assertThrows(IOException.class,
        () -> NativeLoader.extract(root, bundle, resources(corrupt)));
    assertTrue(error.getMessage().contains("lib/libcgym_jni.so is corrupt"), error.getMessage());
    assertEquals(List.of(), entries(root));

    Map<String, byte[]> missing = new LinkedHashMap<>(files);
    missing.remove("libexec/cgym/cgym-llvm-service");
    error = assertThrows(IOException.class,
        () -> NativeLoader.extract(root, bundle, resources(missing)));
    assertTrue(error.getMessage().contains("has no libexec/cgym/cgym-llvm-service"),
        error.getMessage());
    assertEquals(List.of(), entries(root));
  }

  @Test
  void rejectsMalformedIndexes() throws Exception {
    String good = new String(index("0.6.0", files()), StandardCharsets.UTF_8);
    String sha = "0".repeat(64);
    List<String> bad = List.of(
        "",
        good.replace("libcgym-java-natives 1", "libcgym-java-natives 2"),
        good.replace("version 0.6.0", "version ../0.6.0"),
        "libcgym-java-natives 1\nversion 0.6.0\nplatform linux-x86_64\n",
        good + "file " + sha + " 1 x ../escape\n",
        good + "file " + sha + " 1 x /etc/passwd\n",
        good + "file " + sha + " 1 x lib/./x\n",
        good + "file " + sha + " 1 y lib/x\n",
        good + "file " + sha.substring(1) + " 1 x lib/x\n",
        good + "file " + sha + " -1 x lib/x\n",
        good + "something else\n");
    for (String index : bad) {
      assertThrows(IOException.class,
          () -> NativeLoader.Bundle.parse(bytes(index), "linux-x86_64"), index);
    }
    IOException error = assertThrows(IOException.class,
        () -> NativeLoader.Bundle.parse(bytes(good), "linux-aarch64"));
    assertTrue(error.getMessage().contains("not linux-aarch64"), error.getMessage());
    assertEquals(4, NativeLoader.Bundle.parse(bytes(good), "linux-x86_64").files().size());
  }

  @Test
  void concurrentExtractionsAgreeOnOneCompleteTree() throws Exception {
    Path root = temp.resolve("libcgym-java");
    Map<String, byte[]> files = files();
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Path>> tasks = new ArrayList<>();
    for (int i = 0; i < threads; ++i) {
      tasks.add(() -> {
        start.await();
        return extract(root, files);
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (Callable<Path> task : tasks) results.add(pool.submit(task));
      start.countDown();
      Path tree = root.resolve(bundle(files).directoryName());
      for (Future<Path> result : results) assertEquals(tree, result.get());
      assertEquals(List.of(tree.getFileName().toString()), entries(root));
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        assertArrayEquals(file.getValue(), Files.readAllBytes(tree.resolve(file.getKey())));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void platformsAndTheErrorForOthers() {
    assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
    assertEquals("linux-x86_64", NativeLoader.platform("Linux", "x86_64"));
    assertNull(NativeLoader.platform("Linux", "aarch64"));
    assertNull(NativeLoader.platform("Mac OS X", "aarch64"));
    assertNull(NativeLoader.platform("Windows 11", "amd64"));
    String message = NativeLoader.unsupportedPlatform("Mac OS X", "aarch64").getMessage();
    assertTrue(message.contains("for linux-x86_64 only, not for Mac OS X aarch64"), message);
    assertTrue(message.contains("-Dcgym.native.dir"), message);
  }

  @Test
  void cacheRootFromThePropertyXdgOrHome() throws Exception {
    assertEquals(Path.of("/c/mine"), NativeLoader.cacheRoot("/c/mine", "/x", "/home/u"));
    assertEquals(Path.of("/x/libcgym-java"), NativeLoader.cacheRoot(null, "/x", "/home/u"));
    assertEquals(Path.of("/x/libcgym-java"), NativeLoader.cacheRoot("", "/x", "/home/u"));
    // A relative XDG_CACHE_HOME is invalid, and ignored.
    assertEquals(Path.of("/home/u/.cache/libcgym-java"),
        NativeLoader.cacheRoot(null, "relative", "/home/u"));
    assertEquals(Path.of("/home/u/.cache/libcgym-java"),
        NativeLoader.cacheRoot(null, null, "/home/u"));
    assertThrows(IOException.class, () -> NativeLoader.cacheRoot(null, null, "?"));
  }

  @Test
  void findsTheJniLibraryOnTheLibraryPath() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("jni"));
    assertFalse(NativeLoader.onLibraryPath(dir.toString()));
    Files.writeString(dir.resolve("libcgym_jni.so"), "");
    assertTrue(NativeLoader.onLibraryPath("/nowhere::" + dir));
    assertFalse(NativeLoader.onLibraryPath(""));
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }
}
