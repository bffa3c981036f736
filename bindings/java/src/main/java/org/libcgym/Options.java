// SPDX-License-Identifier: MIT
package org.libcgym;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings for {@link CompilerEnv#connect(String, Options)} and
 * {@link Cgym#make(String, String, Options)}: CompilerGym's ConnectionOpts, the
 * first benchmark and the default spaces. A plain Java object (setters return this); it is
 * turned into a native cgym_options_t only for the duration of connect. Unset values keep
 * CompilerGym's defaults.
 *
 * <p>A service on another host may ask for a token and TLS (its {@code --token_file},
 * {@code --tls_cert}, {@code --tls_client_ca}): {@link #token} is sent as
 * {@code authorization: Bearer TOKEN} on every call; {@link #tls()} connects with TLS verifying
 * the service against the system's root certificates, {@link #tlsRootCerts} against a PEM file
 * instead; {@link #tlsClientCert} presents a client certificate. Connecting throws
 * {@link InvalidArgumentException} for a file that cannot be read or a certificate without its
 * key. A managed service gets a token of its own: set none for it.
 */
public final class Options {
  private String benchmark;
  private byte[] program;
  private String observationSpace;
  private String rewardSpace;
  private String actionSpace;
  private final List<String> scriptArgs = new ArrayList<>();
  private final Map<String, String> scriptEnv = new LinkedHashMap<>();
  private final Map<Integer, Integer> ints = new LinkedHashMap<>();
  private final Map<Integer, Double> doubles = new LinkedHashMap<>();
  private String token;
  private boolean tls;
  private Path tlsRootCerts;
  private Path tlsClientCert;
  private Path tlsClientKey;

  /** The benchmark of the first reset (a URI). */
  public Options benchmark(String uri) {
    return benchmark(uri, null);
  }

  /** The benchmark of the first reset: a URI and the program's bytes (may be null). */
  public Options benchmark(String uri, byte[] program) {
    this.benchmark = uri;
    this.program = program == null ? null : program.clone();
    return this;
  }

  /** The benchmark of the first reset, with its program (e.g. from
   * {@link Cgym#makeBenchmark}). */
  public Options benchmark(Benchmark benchmark) {
    if (benchmark == null) throw new InvalidArgumentException("benchmark is null");
    return benchmark(benchmark.uri(), benchmark.bitcodeBytes());
  }

  public Options observationSpace(String name) {
    this.observationSpace = name;
    return this;
  }

  public Options rewardSpace(String name) {
    this.rewardSpace = name;
    return this;
  }

  public Options actionSpace(String name) {
    this.actionSpace = name;
    return this;
  }

  /** Appends an argument to a managed service's command line. */
  public Options scriptArg(String arg) {
    scriptArgs.add(arg);
    return this;
  }

  /** Sets an environment variable for a managed service. */
  public Options scriptEnv(String key, String value) {
    scriptEnv.put(key, value);
    return this;
  }

  public Options rpcMaxRetries(int value) {
    ints.put(NativeConstants.OPTION_RPC_MAX_RETRIES, value);
    return this;
  }

  public Options initMaxAttempts(int value) {
    ints.put(NativeConstants.OPTION_INIT_MAX_ATTEMPTS, value);
    return this;
  }

  public Options alwaysSendBenchmarkOnReset(boolean value) {
    ints.put(NativeConstants.OPTION_ALWAYS_SEND_BENCHMARK_ON_RESET, value ? 1 : 0);
    return this;
  }

  public Options retryWaitSeconds(double value) {
    doubles.put(NativeConstants.OPTION_RETRY_WAIT_SECONDS, value);
    return this;
  }

  public Options retryWaitBackoffExponent(double value) {
    doubles.put(NativeConstants.OPTION_RETRY_WAIT_BACKOFF_EXPONENT, value);
    return this;
  }

  public Options initMaxSeconds(double value) {
    doubles.put(NativeConstants.OPTION_INIT_MAX_SECONDS, value);
    return this;
  }

  public Options localServicePortInitMaxSeconds(double value) {
    doubles.put(NativeConstants.OPTION_LOCAL_SERVICE_PORT_INIT_MAX_SECONDS, value);
    return this;
  }

  /** How long closing waits for a managed service to exit before killing it. */
  public Options localServiceExitMaxSeconds(double value) {
    doubles.put(NativeConstants.OPTION_LOCAL_SERVICE_EXIT_MAX_SECONDS, value);
    return this;
  }

  public Options rpcInitMaxSeconds(double value) {
    doubles.put(NativeConstants.OPTION_RPC_INIT_MAX_SECONDS, value);
    return this;
  }

  /** The token of a service started with one (sent as {@code authorization: Bearer}). */
  public Options token(String token) {
    this.token = token;
    return this;
  }

  /** Connects with TLS, verifying the service against the system's root certificates. */
  public Options tls() {
    this.tls = true;
    return this;
  }

  /**
   * Connects with TLS, verifying the service against the root certificates of this PEM file
   * (e.g. the service's self-signed certificate).
   */
  public Options tlsRootCerts(Path pem) {
    this.tlsRootCerts = pem;
    return this;
  }

  /**
   * Connects with TLS and presents this client certificate and its private key (PEM files,
   * both needed), for a service that requires client certificates.
   */
  public Options tlsClientCert(Path cert, Path key) {
    this.tlsClientCert = cert;
    this.tlsClientKey = key;
    return this;
  }

  /** Whether connections are made with TLS: {@link #tls()} or any TLS file set. */
  public boolean usesTls() {
    return tls || tlsRootCerts != null || tlsClientCert != null || tlsClientKey != null;
  }

  private static String pathString(Path path) {
    return path == null ? null : path.toString();
  }

  /** A new owned native cgym_options_t: the caller frees it with Native.optionsFree. */
  long toNative() {
    long o = Native.optionsNew();
    try {
      for (Map.Entry<Integer, Integer> e : ints.entrySet()) {
        Native.optionsSetInt(o, e.getKey(), e.getValue());
      }
      for (Map.Entry<Integer, Double> e : doubles.entrySet()) {
        Native.optionsSetDouble(o, e.getKey(), e.getValue());
      }
      if (observationSpace != null) Native.optionsSetString(o, NativeConstants.OPTION_OBSERVATION_SPACE, observationSpace);
      if (rewardSpace != null) Native.optionsSetString(o, NativeConstants.OPTION_REWARD_SPACE, rewardSpace);
      if (actionSpace != null) Native.optionsSetString(o, NativeConstants.OPTION_ACTION_SPACE, actionSpace);
      for (String arg : scriptArgs) Native.optionsSetString(o, NativeConstants.OPTION_SCRIPT_ARG, arg);
      for (Map.Entry<String, String> e : scriptEnv.entrySet()) {
        Native.optionsSetScriptEnv(o, e.getKey(), e.getValue());
      }
      if (benchmark != null) Native.optionsSetBenchmark(o, benchmark, program);
      if (token != null) Native.optionsSetToken(o, token);
      if (usesTls()) {
        Native.optionsSetTls(o, pathString(tlsRootCerts), pathString(tlsClientCert),
            pathString(tlsClientKey));
      }
      return o;
    } catch (RuntimeException | Error e) {
      Native.optionsFree(o);
      throw e;
    }
  }
}
