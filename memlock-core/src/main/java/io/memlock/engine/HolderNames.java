package io.memlock.engine;

import io.memlock.store.LockValue;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/**
 * The holder descriptions a client writes into its lease items: {@code host/pid/thread}, so that
 * others can see who holds a lock.
 */
final class HolderNames {
  private final String processDescription = hostName() + "/" + ProcessHandle.current().pid();

  /** The last description made on each thread, with the thread name it was made from. */
  private final ThreadLocal<String[]> descriptions = ThreadLocal.withInitial(() -> new String[2]);

  /** Host name and process id. */
  String process() {
    return processDescription;
  }

  /** Host name, process id and the current thread's name. */
  String holder() {
    String thread = Thread.currentThread().getName();
    String[] last = descriptions.get();
    if (!thread.equals(last[0])) {
      last[1] = LockValue.sanitizeHolder(processDescription + "/" + thread);
      last[0] = thread;
    }
    return last[1];
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception | Error e) {
      String jvm = ManagementFactory.getRuntimeMXBean().getName();
      int at = jvm.indexOf('@');
      return at >= 0 ? jvm.substring(at + 1) : "unknown-host";
    }
  }
}
