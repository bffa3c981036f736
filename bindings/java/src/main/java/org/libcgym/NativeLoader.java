// SPDX-License-Identifier: MIT
package org.libcgym;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Loads libcgym.so.1 and the JNI layer libcgym_jni.so for {@link Native}, from the first of:
 * <ol>
 *   <li>{@code -Dcgym.jni.library=FILE}: that JNI library (libcgym through its rpath);
 *   <li>{@code -Dcgym.native.dir=DIR}: DIR/libcgym.so.1 if there, then DIR/libcgym_jni.so;
 *   <li>a libcgym_jni.so in a directory of {@code java.library.path};
 *   <li>the natives the jar carries for this platform ({@value #RESOURCE_ROOT}linux-x86_64/:
 *       the two libraries, the LLVM service and plugin, the LLVM dataset), extracted once per
 *       user and content into {@code <cache>/<version>-<hash>/} in the layout libcgym searches
 *       (lib/, libexec/cgym/, share/cgym/llvm/dataset/). The cache is
 *       {@code -Dcgym.native.cache=DIR}, else $XDG_CACHE_HOME/libcgym-java, else
 *       ~/.cache/libcgym-java.
 * </ol>
 * Extraction is safe against other users and concurrent JVMs: the cache directory must belong
 * to this user and not be a symbolic link (it is made mode 0700); a tree is written into a
 * temporary directory beside it and renamed into place, so that a JVM sees a complete tree or
 * none. A tree already there is reused when each file has its indexed size (and exec bit),
 * else it is replaced.
 */
final class NativeLoader {
  private NativeLoader() {}

  static final String RESOURCE_ROOT = "org/libcgym/native/";
  /** The bundle's index, beside its files: see {@link Bundle#parse}. */
  static final String INDEX = "files.txt";
  static final String SUPPORTED_PLATFORMS = "linux-x86_64";
  static final String JNI_LIBRARY = "libcgym_jni.so";
  static final String CORE_LIBRARY = "libcgym.so.1";

  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final Set<PosixFilePermission> PRIVATE_EXECUTABLE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> PRIVATE_FILE =
      PosixFilePermissions.fromString("rw-------");

  /** Opens a file of a bundle by its path in the bundle; null if it has none. */
  interface Resources {
    InputStream open(String path) throws IOException;
  }

  static void load() {
    String jni = System.getProperty("cgym.jni.library");
    if (jni != null && !jni.isEmpty()) {
      loadFile(Path.of(jni).toAbsolutePath());
      return;
    }
    String dir = System.getProperty("cgym.native.dir");
    if (dir != null && !dir.isEmpty()) {
      loadFrom(Path.of(dir).toAbsolutePath());
      return;
    }
    String libraryPath = System.getProperty("java.library.path", "");
    if (onLibraryPath(libraryPath)) {
      System.loadLibrary("cgym_jni");
      return;
    }
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    String platform = platform(os, arch);
    if (platform == null) throw unsupportedPlatform(os, arch);
    ClassLoader loader = NativeLoader.class.getClassLoader();
    String prefix = RESOURCE_ROOT + platform + "/";
    Resources resources = path -> loader.getResourceAsStream(prefix + path);
    Path cache = null;
    Path tree;
    try {
      byte[] index;
      try (InputStream in = resources.open(INDEX)) {
        if (in == null) {
          throw new UnsatisfiedLinkError("Cannot find " + JNI_LIBRARY + ": not on "
              + "java.library.path (" + libraryPath + "), and the class path has no natives "
              + "of libcgym-java (no " + prefix + INDEX + ": `bash bindings/java/build.sh "
              + "install` builds a jar that has them); set -Dcgym.native.dir=DIR to the "
              + "directory of " + JNI_LIBRARY);
        }
        index = in.readAllBytes();
      }
      cache = cacheRoot(System.getProperty("cgym.native.cache"), System.getenv("XDG_CACHE_HOME"),
          System.getProperty("user.home"));
      tree = extract(cache, Bundle.parse(index, platform), resources);
    } catch (IOException e) {
      UnsatisfiedLinkError error = new UnsatisfiedLinkError("Cannot extract libcgym's native "
          + "libraries from the jar" + (cache == null ? "" : " into " + cache) + ": " + e
          + " (set -Dcgym.native.cache=DIR to a directory of yours)");
      error.initCause(e);
      throw error;
    }
    loadFrom(tree.resolve("lib"));
  }

  /** DIR/libcgym.so.1 when there, by absolute path, so that the JNI library's dependency is
   * this one; then DIR/libcgym_jni.so. */
  private static void loadFrom(Path dir) {
    Path core = dir.resolve(CORE_LIBRARY);
    if (Files.exists(core)) loadFile(core);
    loadFile(dir.resolve(JNI_LIBRARY));
  }

  private static void loadFile(Path file) {
    try {
      System.load(file.toString());
    } catch (UnsatisfiedLinkError e) {
      // The JVM's message is dlerror()'s, which says what but not what to do.
      String message = String.valueOf(e.getMessage());
      String hint = "";
      if (message.contains("cannot open shared object file")) {
        hint = " (a library that libcgym needs is not installed: see bindings/java/README.md)";
      } else if (message.contains("failed to map segment")) {
        hint = " (on a file system mounted noexec? set -Dcgym.native.cache=DIR elsewhere)";
      }
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError("Cannot load " + file + ": " + message + hint);
      error.initCause(e);
      throw error;
    }
  }

  /** Whether a directory of {@code libraryPath} (java.library.path) holds libcgym_jni.so. */
  static boolean onLibraryPath(String libraryPath) {
    for (String dir : libraryPath.split(Pattern.quote(File.pathSeparator))) {
      if (dir.isEmpty()) continue;
      try {
        if (Files.isRegularFile(Path.of(dir, JNI_LIBRARY))) return true;
      } catch (InvalidPathException e) {
        // Not a path: nothing to load from there.
      }
    }
    return false;
  }

  /** The bundle directory name of a JVM's os.name and os.arch, or null if the jar has none. */
  static String platform(String os, String arch) {
    if (!"Linux".equals(os)) return null;
    if ("amd64".equals(arch) || "x86_64".equals(arch)) return "linux-x86_64";
    return null;
  }

  static UnsatisfiedLinkError unsupportedPlatform(String os, String arch) {
    return new UnsatisfiedLinkError("libcgym-java carries native libraries for "
        + SUPPORTED_PLATFORMS + " only, not for " + os + " " + arch + ": build libcgym and "
        + JNI_LIBRARY + " (bindings/java/README.md) and set -Dcgym.native.dir=DIR");
  }

  /** The cache: {@code configured} (-Dcgym.native.cache) if set, else $XDG_CACHE_HOME (when
   * absolute, as the XDG specification wants) or HOME/.cache, with libcgym-java appended. */
  static Path cacheRoot(String configured, String xdgCacheHome, String home) throws IOException {
    if (configured != null && !configured.isEmpty()) return Path.of(configured).toAbsolutePath();
    if (xdgCacheHome != null && xdgCacheHome.startsWith("/")) {
      return Path.of(xdgCacheHome, "libcgym-java");
    }
    if (home == null || !home.startsWith("/")) {
      throw new IOException("no home directory (user.home is " + home + ") and no "
          + "XDG_CACHE_HOME");
    }
    return Path.of(home, ".cache", "libcgym-java");
  }

  /** One file of a bundle. */
  record Entry(String path, String sha256, long size, boolean executable) {}

  /** A bundle's index: the files to extract, and the directory name of this content. */
  record Bundle(String version, String digest, List<Entry> files) {
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PATH =
        Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]*(/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)*");

    /** {@code <version>-<16 hex digits of the index's SHA-256>}: a new build of the same
     * version gets a directory of its own. */
    String directoryName() {
      return version + "-" + digest.substring(0, 16);
    }

    /**
     * Parses an index, as bindings/java/build.sh writes it (UTF-8, one item a line):
     * <pre>
     * libcgym-java-natives 1
     * version 0.6.0
     * platform linux-x86_64
     * file SHA256 SIZE x|- PATH     (x: executable; PATH relative, no "." or ".." part)
     * </pre>
     */
    static Bundle parse(byte[] index, String platform) throws IOException {
      String[] lines = new String(index, StandardCharsets.UTF_8).split("\n");
      if (lines.length < 3 || !lines[0].equals("libcgym-java-natives 1")) {
        throw new IOException("bad " + INDEX + ": not a version 1 index");
      }
      String version = field(lines[1], "version");
      if (!VERSION.matcher(version).matches()) throw bad("version", lines[1]);
      if (!field(lines[2], "platform").equals(platform)) {
        throw new IOException("bad " + INDEX + ": for " + lines[2] + ", not " + platform);
      }
      List<Entry> files = new ArrayList<>();
      for (int i = 3; i < lines.length; ++i) {
        if (lines[i].isEmpty()) continue;
        String[] parts = field(lines[i], "file").split(" ", -1);
        if (parts.length != 4 || !SHA256.matcher(parts[0]).matches()
            || !parts[1].matches("[0-9]{1,15}") || !(parts[2].equals("x") || parts[2].equals("-"))
            || !PATH.matcher(parts[3]).matches()) {
          throw bad("file", lines[i]);
        }
        files.add(new Entry(parts[3], parts[0], Long.parseLong(parts[1]), parts[2].equals("x")));
      }
      if (files.isEmpty()) throw new IOException("bad " + INDEX + ": no files");
      return new Bundle(version, HexFormat.of().formatHex(sha256().digest(index)),
          List.copyOf(files));
    }

    private static String field(String line, String name) throws IOException {
      if (!line.startsWith(name + " ")) throw bad(name, line);
      return line.substring(name.length() + 1);
    }

    private static IOException bad(String what, String line) {
      return new IOException("bad " + INDEX + ": malformed " + what + " line: " + line);
    }
  }

  /**
   * The bundle's tree in {@code root}, extracted from {@code resources} unless already there
   * and complete. {@code root} is made (mode 0700) if missing; it must belong to this user and
   * not be a symbolic link, and is set to mode 0700.
   *
   * @throws IOException if {@code root} or the tree is a symbolic link or another user's, or a
   *     file cannot be read from the jar or written, or differs from the index
   */
  static Path extract(Path root, Bundle bundle, Resources resources) throws IOException {
    makePrivateDirectory(root);
    Path tree = root.resolve(bundle.directoryName());
    if (isComplete(tree, bundle)) return tree;
    Path temp = Files.createTempDirectory(root, ".tmp-" + bundle.directoryName() + "-");
    try {
      for (Entry entry : bundle.files()) write(temp, entry, resources);
      // A broken tree (a file deleted or cut short) cannot be renamed over: set it aside first.
      // Checked again, since another JVM may have replaced it meanwhile.
      if (Files.exists(tree, LinkOption.NOFOLLOW_LINKS) && !isComplete(tree, bundle)) {
        Path aside = root.resolve(".old-" + bundle.directoryName() + "-" + UUID.randomUUID());
        try {
          Files.move(tree, aside, StandardCopyOption.ATOMIC_MOVE);
          deleteTree(aside);
        } catch (NoSuchFileException e) {
          // Another JVM set it aside first.
        }
      }
      try {
        Files.move(temp, tree, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        // Another JVM renamed its complete tree into place first: use that one.
        if (!isComplete(tree, bundle)) throw e;
      }
      if (!isComplete(tree, bundle)) throw new IOException(tree + " is incomplete");
      return tree;
    } finally {
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) deleteTree(temp);
    }
  }

  /** Makes {@code dir} mode 0700 if missing (its parents as the umask says), and checks it. */
  private static void makePrivateDirectory(Path dir) throws IOException {
    Path parent = dir.getParent();
    if (parent != null) Files.createDirectories(parent);
    try {
      Files.createDirectory(dir, PRIVATE_DIRECTORY);
    } catch (FileAlreadyExistsException e) {
      // Checked below, whoever made it.
    }
    PosixFileAttributes attributes = checkOurs(dir);
    if (attributes == null) throw new NoSuchFileException(dir.toString());
    if (!attributes.isDirectory()) throw new IOException(dir + " is not a directory");
    if (!attributes.permissions().equals(PRIVATE_EXECUTABLE)) {
      Files.setPosixFilePermissions(dir, PRIVATE_EXECUTABLE);
    }
  }

  /** The attributes of {@code path}, or null if there is nothing there; an IOException if it
   * is a symbolic link or belongs to another user. */
  private static PosixFileAttributes checkOurs(Path path) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, PosixFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (attributes.isSymbolicLink()) {
      throw new IOException(path + " is a symbolic link: refusing to use it");
    }
    int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int self = currentUid();
    if (owner != self) {
      throw new IOException(path + " belongs to uid " + owner + ", not to this user (uid " + self
          + "): refusing to use it");
    }
    return attributes;
  }

  /** Whether {@code tree} holds each file of the bundle with its size (and exec bit). Our own
   * non-directory there is an incomplete tree (replaced like one). */
  private static boolean isComplete(Path tree, Bundle bundle) throws IOException {
    PosixFileAttributes attributes = checkOurs(tree);
    if (attributes == null || !attributes.isDirectory()) return false;
    for (Entry entry : bundle.files()) {
      PosixFileAttributes file;
      try {
        file = Files.readAttributes(tree.resolve(entry.path()), PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
      } catch (FileSystemException e) {
        return false;  // missing, or a part of its path is not a directory
      }
      if (!file.isRegularFile() || file.size() != entry.size()) return false;
      if (entry.executable() && !file.permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  /** Copies one file from the jar into {@code dir}, checking its size and SHA-256. */
  private static void write(Path dir, Entry entry, Resources resources) throws IOException {
    Path file = dir.resolve(entry.path());
    Files.createDirectories(file.getParent(), PRIVATE_DIRECTORY);
    MessageDigest digest = sha256();
    long size = 0;
    try (InputStream in = resources.open(entry.path())) {
      if (in == null) throw new IOException("the jar has no " + entry.path() + " (in its index)");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) != -1; ) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
          size += n;
        }
      }
    }
    String sha256 = HexFormat.of().formatHex(digest.digest());
    if (size != entry.size() || !sha256.equals(entry.sha256())) {
      throw new IOException("the jar's " + entry.path() + " is corrupt: " + size + " bytes, "
          + "SHA-256 " + sha256 + "; the index says " + entry.size() + " bytes, "
          + entry.sha256());
    }
    if (entry.executable()) Files.setPosixFilePermissions(file, PRIVATE_EXECUTABLE);
  }

  /** Deletes a tree without following symbolic links. */
  private static void deleteTree(Path tree) throws IOException {
    Files.walkFileTree(tree, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
          throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
        if (error != null) throw error;
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static int currentUid() throws IOException {
    // /proc/self is the directory of this process, which belongs to its effective uid.
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);  // every JVM has it
    }
  }
}
