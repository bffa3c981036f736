// SPDX-License-Identifier: MIT
package org.libcgym;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/** Runs a {@link ServiceDefinition}: as a service process, or in this process. */
public final class Service {
  private Service() {}

  static {
    Native.load();
  }

  /** Service data of in-process registrations: kept for the life of the process, since envs
   * connected to a registration keep using it after it is replaced or unregistered. */
  private static final List<Long> REGISTERED = new ArrayList<>();

  /**
   * Registers the definition as the in-process service {@code name}, for
   * {@code CompilerEnv.connect("inproc:" + name)}. Registering a name again replaces it (envs
   * already connected keep the old one). Throws {@link InvalidArgumentException} for an empty
   * name or a definition without action or observation spaces.
   */
  public static void registerInProcess(String name, ServiceDefinition definition) {
    long[] handles = definition.toNative();
    try {
      Native.serviceRegister(name, handles[0]);
    } catch (RuntimeException | Error e) {
      Native.serviceDataFree(handles[1]);
      throw e;
    } finally {
      Native.serviceDefFree(handles[0]);
    }
    synchronized (REGISTERED) {
      REGISTERED.add(handles[1]);
    }
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
   * signal to the service, which then stops as a CompilerGym service does. Do not run the JVM
   * with {@code -Xrs}.
   */
  public static int run(ServiceDefinition definition, String[] args) {
    long[] handles = definition.toNative();
    String[] argv = new String[args.length + 1];
    argv[0] = "cgym-java-service";
    System.arraycopy(args, 0, argv, 1, args.length);
    try {
      forwardSignal("TERM", 15);
      forwardSignal("INT", 2);
      return Native.serviceRun(handles[0], argv);
    } finally {
      Native.serviceDefFree(handles[0]);
      Native.serviceDataFree(handles[1]);
    }
  }

  /** Installs a handler of the JVM for a signal that forwards it to the running service.
   * sun.misc.Signal (module jdk.unsupported) is used through reflection, since javac warns
   * about it as internal API. */
  private static void forwardSignal(String name, int number) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(),
          new Class<?>[] {handlerClass}, (proxy, method, arguments) -> {
            if (method.getName().equals("handle")) {
              Native.serviceSignal(number);
              return null;
            }
            if (method.getName().equals("hashCode")) return System.identityHashCode(proxy);
            if (method.getName().equals("equals")) return proxy == arguments[0];
            return "cgym signal forwarder";
          });
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new UnimplementedException(
          "cannot forward SIG" + name + " to the service (is the JVM run with -Xrs?): " + e);
    }
  }
}
