package io.memlock.cli;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handles the signals {@code memlock run} and {@code memlock elect} pass on: SIGHUP, SIGINT,
 * SIGTERM, SIGUSR1 and SIGUSR2 (and SIGQUIT where the JVM lets go of it; HotSpot keeps it for its
 * thread dump). While the command runs, each is sent on to it (memlock then exits with the
 * command's status, after releasing the lock); while none runs, they interrupt the thread waiting
 * for the lock or the leadership.
 *
 * <p>The handlers are {@code sun.misc.Signal}'s (module jdk.unsupported), reached by reflection so
 * that compiling against {@code --release 17} does not warn about an internal API.
 */
final class SignalRelay {
  /** The signals passed on, in the order of their numbers on Linux. */
  static final List<String> SIGNALS = List.of("HUP", "INT", "QUIT", "USR1", "USR2", "TERM");

  private final Thread waiter;
  private final Map<String, Integer> relayed = new LinkedHashMap<>();
  private Process child;
  private String pending;

  private SignalRelay(Thread waiter) {
    this.waiter = waiter;
  }

  /**
   * Installs the handlers; signals that were ignored when memlock started stay ignored, and those
   * the JVM keeps for itself (SIGQUIT on HotSpot) keep the JVM's behaviour.
   *
   * @param waiter the thread to interrupt for a signal that comes before the command starts
   * @return the relay
   */
  static SignalRelay install(Thread waiter) {
    SignalRelay relay = new SignalRelay(waiter);
    for (String name : SIGNALS) {
      int number = handle(name, () -> relay.received(name));
      if (number > 0) {
        synchronized (relay) {
          relay.relayed.put(name, number);
        }
      }
    }
    return relay;
  }

  /**
   * Calls {@code sun.misc.Signal.handle(new Signal(name), s -> action.run())}.
   *
   * @return the signal's number, or 0 if the handler could not be installed
   */
  private static int handle(String name, Runnable action) {
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
      Object sig = signal.getConstructor(String.class).newInstance(name);
      Object old = signal.getMethod("handle", signal, handler).invoke(null, sig, proxy);
      if (isIgnore(handler, old)) {
        // Ignored by whoever started us (nohup, a background job's SIGINT): put that back.
        signal.getMethod("handle", signal, handler).invoke(null, sig, old);
        return 0;
      }
      return (Integer) signal.getMethod("getNumber").invoke(sig);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Refused (SIGQUIT: "Signal already used by VM or OS"), or no such API: the JVM's
      // default applies.
      return 0;
    }
  }

  private static boolean isIgnore(Class<?> handler, Object old)
      throws ReflectiveOperationException {
    return old != null && old == handler.getField("SIG_IGN").get(null);
  }

  private static Object objectMethod(Object self, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      default -> "SignalRelay handler";
    };
  }

  private synchronized void received(String name) {
    if (child != null) {
      send(child, name);
      return;
    }
    if (pending == null) {
      pending = name;
    }
    waiter.interrupt();
  }

  /**
   * Returns the exit status for a signal that came before the command started: 128 + its number.
   *
   * @return the status, or 0 if no signal came
   */
  synchronized int pendingStatus() {
    return pending == null ? 0 : 128 + relayed.getOrDefault(pending, 0);
  }

  /**
   * Relays later signals to this command, and a signal that came meanwhile at once.
   *
   * @param process the command
   */
  synchronized void attach(Process process) {
    child = process;
    if (pending != null) {
      send(process, pending);
    }
  }

  /**
   * Stops relaying to a command that has ended: later signals interrupt the waiting thread again,
   * as before the command started.
   *
   * @param process the command
   */
  synchronized void detach(Process process) {
    if (child == process) {
      child = null;
    }
  }

  /**
   * Sends a signal to a process.
   *
   * @param process the process
   * @param name the signal's name without SIG, e.g. HUP
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
