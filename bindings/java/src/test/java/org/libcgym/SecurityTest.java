// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services for other hosts: a token (the service's --token_file) and TLS (--tls_cert,
 * --tls_key, --tls_client_ca) through {@link Options#token}, {@link Options#tls()},
 * {@link Options#tlsRootCerts} and {@link Options#tlsClientCert}, against the C example service
 * that each test starts on loopback and stops. Certificates are self-signed, made by the openssl
 * command at test time.
 */
class SecurityTest {
  private static final String TOKEN =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir static Path pki;
  @TempDir Path dir;

  private static Path serverCert;
  private static Path serverKey;
  private static Path clientCert;
  private static Path clientKey;
  private final List<Process> services = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    Path[] server = makeCertificate(pki, "localhost");
    serverCert = server[0];
    serverKey = server[1];
    Path[] client = makeCertificate(pki, "cgym-test-client");
    clientCert = client[0];
    clientKey = client[1];
  }

  @AfterEach
  void stopServices() throws InterruptedException {
    for (Process p : services) {
      p.destroy(); // SIGTERM
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  /** A self-signed certificate for localhost and 127.0.0.1 (usable as its own CA), its key. */
  private static Path[] makeCertificate(Path directory, String name) throws Exception {
    Path cert = directory.resolve(name + "-cert.pem");
    Path key = directory.resolve(name + "-key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(),
        "-out", cert.toString()).redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes());
    if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
      fail("openssl failed: " + output);
    }
    return new Path[] {cert, key};
  }

  private Path tokenFile() throws IOException {
    Path path = dir.resolve("token.txt");
    Files.writeString(path, TOKEN + "\n");
    return path;
  }

  /** The C example service with these flags on loopback; its endpoint, localhost:PORT. */
  private String start(String... flags) throws Exception {
    Path workingDir = dir.resolve("service" + services.size());
    List<String> command = new ArrayList<>();
    command.add(TestSupport.exampleServiceC());
    command.add("--working_dir=" + workingDir);
    command.addAll(List.of(flags));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("service" + services.size() + ".log").toFile())
        .redirectErrorStream(true);
    // A managed launch's variables would override --host and the token.
    builder.environment().remove("CGYM_SERVICE_HOST");
    builder.environment().remove("CGYM_SERVICE_TOKEN");
    Process process = builder.start();
    services.add(process);
    // port.txt is written through a rename: once it exists, it is complete.
    Path portFile = workingDir.resolve("port.txt");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(portFile)) {
      if (!process.isAlive()) fail("the service exited with " + process.exitValue());
      if (System.nanoTime() > deadline) fail("the service did not listen within 60 s");
      Thread.sleep(20);
    }
    return "localhost:" + Files.readString(portFile).trim();
  }

  /** A reset and a step with these options. */
  private static void episode(String endpoint, Options options) {
    options.benchmark(TestSupport.BENCHMARK);
    try (CompilerEnv env = CompilerEnv.connect(endpoint, options)) {
      env.reset();
      assertFalse(env.step(0).done());
      assertEquals(1, env.actionCount());
    }
  }

  /**
   * Options for connections meant to fail: one attempt of 2 s instead of CompilerGym's 5 of 3 s
   * (a failed TLS handshake is retried until the attempt's time is up).
   */
  private static Options failing() {
    return new Options().initMaxAttempts(1).rpcInitMaxSeconds(2).rpcMaxRetries(0);
  }

  /**
   * The service refused the client: UNAUTHENTICATED "Missing or invalid token", at once
   * (connecting does not retry a refused token, which no retry can cure).
   */
  private static void expectUnauthenticated(String endpoint, Options options) {
    UnauthenticatedException e =
        assertThrows(UnauthenticatedException.class, () -> episode(endpoint, options));
    assertEquals(Status.UNAUTHENTICATED, e.code());
    assertTrue(e.getMessage().contains("Missing or invalid token"), e.getMessage());
  }

  /** Failing to connect (TLS that does not verify, plaintext to TLS). */
  private static void expectNoConnection(String endpoint, Options options) {
    ServiceInitException e =
        assertThrows(ServiceInitException.class, () -> episode(endpoint, options));
    assertEquals(Status.SERVICE_INIT, e.code());
  }

  @Test
  void token() throws Exception {
    String endpoint = start("--token_file=" + tokenFile());
    episode(endpoint, new Options().token(TOKEN));
    expectUnauthenticated(endpoint, failing());
    expectUnauthenticated(endpoint, failing().token(TOKEN.substring(1) + "0"));
    expectUnauthenticated(endpoint, failing().token(""));
  }

  @Test
  void tokenOnEveryCall() throws Exception {
    String endpoint = start("--token_file=" + tokenFile());
    Options options = new Options().token(TOKEN).benchmark(TestSupport.BENCHMARK);
    try (CompilerEnv env = CompilerEnv.connect(endpoint, options)) {
      env.reset();
      env.step(1);
      try (CompilerEnv fork = env.fork()) {
        fork.step(2);
        assertEquals(2, fork.actionCount());
      }
      String size = env.sendParam("service.benchmark_cache.get_max_size_in_bytes", "");
      assertTrue(Long.parseLong(size) > 0);
      assertEquals(1, env.actionCount());
    }
  }

  @Test
  void tls() throws Exception {
    String endpoint = start("--tls_cert=" + serverCert, "--tls_key=" + serverKey);
    assertTrue(new Options().tlsRootCerts(serverCert).usesTls());
    assertFalse(new Options().token(TOKEN).usesTls());
    episode(endpoint, new Options().tlsRootCerts(serverCert));
    episode(endpoint, new Options().tls().tlsRootCerts(serverCert));
    // Plaintext to a TLS service; TLS that trusts only the system's roots, or another
    // certificate, which did not sign the service's.
    expectNoConnection(endpoint, failing());
    expectNoConnection(endpoint, failing().tls());
    expectNoConnection(endpoint, failing().tlsRootCerts(clientCert));
  }

  @Test
  void tlsToAPlaintextServiceFails() throws Exception {
    String endpoint = start();
    episode(endpoint, new Options());
    expectNoConnection(endpoint, failing().tlsRootCerts(serverCert));
  }

  @Test
  void tlsAndToken() throws Exception {
    String endpoint = start("--tls_cert=" + serverCert, "--tls_key=" + serverKey,
        "--token_file=" + tokenFile());
    episode(endpoint, new Options().tlsRootCerts(serverCert).token(TOKEN));
    expectUnauthenticated(endpoint, failing().tlsRootCerts(serverCert));
  }

  @Test
  void clientCertificates() throws Exception {
    String endpoint = start("--tls_cert=" + serverCert, "--tls_key=" + serverKey,
        "--tls_client_ca=" + clientCert);
    episode(endpoint, new Options().tlsRootCerts(serverCert).tlsClientCert(clientCert, clientKey));
    expectNoConnection(endpoint, failing().tlsRootCerts(serverCert));
    // A certificate the CA did not sign: the service's own.
    expectNoConnection(endpoint,
        failing().tlsRootCerts(serverCert).tlsClientCert(serverCert, serverKey));
  }

  @Test
  void invalidOptions() throws Exception {
    String endpoint = start();
    // A client certificate without its key, and the reverse.
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> episode(endpoint, failing().tlsClientCert(clientCert, null)));
    assertEquals(Status.INVALID_ARGUMENT, e.code());
    assertThrows(InvalidArgumentException.class,
        () -> episode(endpoint, failing().tlsClientCert(null, clientKey)));
    // A file that cannot be read is named.
    Path missing = dir.resolve("no-such-file.pem");
    for (Options options : List.of(failing().tlsRootCerts(missing),
             failing().tlsClientCert(missing, clientKey),
             failing().tlsClientCert(clientCert, missing))) {
      e = assertThrows(InvalidArgumentException.class, () -> episode(endpoint, options));
      assertTrue(e.getMessage().contains("no-such-file.pem"), e.getMessage());
    }
    // A token that cannot be sent as gRPC metadata, and one that cannot cross the C ABI.
    assertThrows(InvalidArgumentException.class,
        () -> episode(endpoint, failing().token("line\nbreak")));
    assertThrows(InvalidArgumentException.class,
        () -> episode(endpoint, failing().token("nul\0byte")));
  }
}
