package io.memlock.cli;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Handles SIGINT and SIGTERM for {@code memlock run}: once the command runs, they are passed on to
 * it (memlock then exits with the command's status, after releasing the lock); before that, they
 * interrupt the thread waiting for the lock.
 *
 * <p>The handlers are {@code sun.misc.Signal}'s (module jdk.unsupported), reached by reflection so
 * that compiling against {@code --release 17} does not warn about an internal API.
 */
final class SignalRelay {
  private static final String[] SIGNALS = {"INT", "TERM"};
  private static final int[] NUMBERS = {2, 15};

  private final Thread waiter;
  private Process child;
  private int pending;

  private SignalRelay(Thread waiter) {
    this.waiter = waiter;
  }

  /**
   * Installs the handlers; signals that were ignored when memlock started stay ignored.
   *
   * @param waiter the thread to interrupt for a signal that comes before the command starts
   * @return the relay
   */
  static SignalRelay install(Thread waiter) {
    SignalRelay relay = new SignalRelay(waiter);
    for (int i = 0; i < SIGNALS.length; i++) {
      String name = SIGNALS[i];
      int number = NUMBERS[i];
      handle(name, () -> relay.received(name, number));
    }
    return relay;
  }

  /** Calls {@code sun.misc.Signal.handle(new Signal(name), s -> action.run())}. */
  private static void handle(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object proxy =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (self, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                  return objectMethod(self, method, args);
                }
                action.run();
                return null;
              });
      signal
          .getMethod("handle", signal, handler)
          .invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Ignored by whoever started us (e.g. SIGINT of a background job), or no such API:
      // the JVM's default applies.
    }
  }

  private static Object objectMethod(Object self, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      default -> "SignalRelay handler";
    };
  }

  private synchronized void received(String name, int number) {
    if (child != null) {
      send(child, name);
      return;
    }
    if (pending == 0) {
      pending = number;
    }
    waiter.interrupt();
  }

  /**
   * Returns the exit status for a signal that came before the command started: 128 + its number.
   *
   * @return the status, or 0 if no signal came
   */
  synchronized int pendingStatus() {
    return pending == 0 ? 0 : 128 + pending;
  }

  /**
   * Relays later signals to this command, and a signal that came meanwhile at once.
   *
   * @param process the command
   */
  synchronized void attach(Process process) {
    child = process;
    if (pending != 0) {
      send(process, pending == 2 ? "INT" : "TERM");
    }
  }

  /**
   * Sends a signal to a process.
   *
   * @param process the process
   * @param name the signal's name: INT, TERM or KILL
   */
  static void send(Process process, String name) {
    if (!process.isAlive()) {
      return;
    }
    switch (name) {
      case "TERM" -> process.destroy();
      case "KILL" -> process.destroyForcibly();
      default -> {
        try {
          new ProcessBuilder("/bin/sh", "-c", "kill -s " + name + " " + process.pid())
              .inheritIO()
              .start();
        } catch (IOException e) {
          process.destroy();
        }
      }
    }
  }
}
