// SPDX-License-Identifier: MIT
package org.libcgym;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Runs a {@link ServiceDefinition}: as a service process, or in this process; and registers
 * session plugins (services written in C, in a shared library of their own) in this process.
 */
public final class Service {
  private Service() {}

  static {
    Native.load();
  }

  /**
   * Registers the definition as the in-process service {@code name}, for
   * {@code CompilerEnv.connect("inproc:" + name)}. Registering a name again replaces it (envs
   * already connected keep the old one). Throws {@link InvalidArgumentException} for an empty
   * name or a definition without action or observation spaces.
   */
  public static void registerInProcess(String name, ServiceDefinition definition) {
    long def = definition.toNative();
    try {
      Native.serviceRegister(name, def);
    } finally {
      // The registration holds its own copy; libcgym releases the definition's global
      // reference once no registration, service or env uses it.
      Native.serviceDefFree(def);
    }
  }

  /**
   * Loads the session plugin at {@code path} (a shared library built on cgym.h that exports
   * {@code cgym_plugin_service_def}, such as {@code libcgym-example-plugin.so}) and registers
   * its service as the in-process service {@code name}, for
   * {@code CompilerEnv.connect("inproc:" + name)} (cgym_service_register_plugin). Registering a
   * name again replaces it. The library stays loaded until the process exits.
   *
   * @throws NotFoundException if there is no file at {@code path}
   * @throws ServiceInitException if the file is not a loadable session plugin (the dynamic
   *     loader's message, or the missing entry point)
   * @throws InvalidArgumentException for an empty name or path
   * @throws CgymException the plugin's own error, if its entry point fails
   */
  public static void registerPlugin(String name, Path path) {
    Objects.requireNonNull(name, "name");
    Native.serviceRegisterPlugin(name, Objects.requireNonNull(path, "path").toString());
  }

  /** Unregisters an in-process service; {@link NotFoundException} if there is none. */
  public static void unregister(String name) {
    Native.serviceUnregister(name);
  }

  /**
   * Runs a CompilerGym service process of this definition until SIGTERM (cgym_service_run),
   * with the flags {@code --working_dir}, {@code --port}, {@code --host} and glog's logging
   * flags in {@code args} (a Java main's arguments: no program name). Returns the exit code for
   * {@code System.exit}: 0 after SIGTERM with no sessions left, 6 with sessions left, 1 on bad
   * arguments. Call it once per process, typically from {@code main}.
   *
   * <p>The JVM owns SIGTERM and SIGINT: while the service runs, this method replaces the JVM's
   * handlers for them (which would start the JVM's shutdown) with handlers that forward the
   * signal to the service, which then stops as a CompilerGym service does; it restores the
   * JVM's handlers when the service has stopped. Do not run the JVM with {@code -Xrs}. From
   * another thread, {@link #stop()} stops the service in the same way.
   */
  public static int run(ServiceDefinition definition, String[] args) {
    long def = definition.toNative();
    String[] argv = new String[args.length + 1];
    argv[0] = "cgym-java-service";
    System.arraycopy(args, 0, argv, 1, args.length);
    Object previousTerm = null;
    Object previousInt = null;
    try {
      previousTerm = forwardSignal("TERM", NativeConstants.SIGNAL_TERM);
      previousInt = forwardSignal("INT", NativeConstants.SIGNAL_INT);
      return Native.serviceRun(def, argv);
    } finally {
      Native.serviceDefFree(def);
      // The JVM's own handlers again (e.g. for a JVM that goes on after the service).
      restoreSignal("TERM", previousTerm);
      restoreSignal("INT", previousInt);
    }
  }

  /**
   * Asks every {@link #run} of this process to stop, as SIGTERM does (cgym_service_stop): it
   * stops accepting calls, ends its sessions and returns its exit code. Callable from any
   * thread. A run that starts after this call is not affected.
   */
  public static void stop() {
    Native.serviceStop();
  }

  /** Installs a handler of the JVM for a signal that forwards it to the running service, and
   * returns the previous handler. sun.misc.Signal (module jdk.unsupported) is used through
   * reflection, since javac warns about it as internal API. */
  private static Object forwardSignal(String name, int which) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(),
          new Class<?>[] {handlerClass}, (proxy, method, arguments) -> {
            if (method.getName().equals("handle")) {
              Native.serviceSignal(which);
              return null;
            }
            if (method.getName().equals("hashCode")) return System.identityHashCode(proxy);
            if (method.getName().equals("equals")) return proxy == arguments[0];
            return "cgym signal forwarder";
          });
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      return handle.invoke(null, signal, handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new UnimplementedException(
          "cannot forward SIG" + name + " to the service (is the JVM run with -Xrs?): " + e);
    }
  }

  private static void restoreSignal(String name, Object previous) {
    if (previous == null) return;
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, previous);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // The forwarder stays: it only forwards to a service that runs.
    }
  }
}
