package io.memlock.bench.locks;

import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A diagnostic, not a benchmark: runs uncontended lock + unlock (each thread on its own share of
 * the {@value LockNames#COUNT} names) for each contender and reports, per operation, the wall time
 * and the voluntary context switches (thread wake-ups) and CPU time of each group of this process's
 * threads (read from {@code /proc/self/task}; CPU in 10 ms ticks), and of the memcached process it
 * started, so that the cost of a lock path can be attributed to the threads that pay it.
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.locks.LockPathProbe [threads] [operations] [contender...]
 * </pre>
 */
public final class LockPathProbe {
  private LockPathProbe() {}

  /**
   * Runs the probe against a memcached it starts.
   *
   * @param args threads (default 1), operations per contender (default 20,000), then contender ids
   *     (default memlock, raw, raw-memlock-cmds)
   * @throws Exception if memcached or a contender fails
   */
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    List<String> contenders =
        args.length > 2
            ? List.of(args).subList(2, args.length)
            : List.of(Contenders.MEMLOCK, Contenders.RAW, Contenders.RAW_MEMLOCK_COMMANDS);
    try (MemcachedServer mc = MemcachedServer.builder().threads(2).start()) {
      for (String c : contenders) {
        try (LockContender lock =
            LockContender.open(c, new Servers(mc.hostAndPort(), ""), LockNames.standard())) {
          for (int w = 0; w < 3; w++) {
            loop(lock, ops, threads, new long[2]); // warm-up: until the JIT compiled the path
          }
          Map<String, long[]> before = threads();
          long[] serverBefore = process(mc.pid());
          long[] callers = new long[2];
          long t0 = System.nanoTime();
          loop(lock, ops, threads, callers);
          long wall = System.nanoTime() - t0;
          Map<String, long[]> after = threads();
          after.put("(calling threads)", callers);
          long[] serverAfter = process(mc.pid());
          before.put("(memcached process)", serverBefore);
          after.put("(memcached process)", serverAfter);
          System.out.printf(
              Locale.ROOT,
              "%s, %d threads: %,.0f lock + unlock/s, %.1f µs wall per operation%n",
              c,
              threads,
              ops * 1e9 / wall,
              wall / 1e3 / ops * threads);
          for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            double switches = (e.getValue()[0] - b[0]) / (double) ops;
            double cpuMicros = (e.getValue()[1] - b[1]) * 10_000.0 / ops;
            if (switches >= 0.05 || cpuMicros >= 1) {
              System.out.printf(
                  Locale.ROOT,
                  "  %-28s %5.2f wake-ups, %6.1f µs CPU per operation%n",
                  e.getKey(),
                  switches,
                  cpuMicros);
            }
          }
        }
      }
    }
  }

  /**
   * Runs the operations on {@code threads} new threads; adds their voluntary context switches and
   * CPU ticks to {@code callers} (they are gone before the caller reads /proc again).
   */
  private static void loop(LockContender lock, int ops, int threads, long[] callers)
      throws InterruptedException {
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int first = t;
      workers[t] =
          new Thread(
              () -> {
                try {
                  long[] start = self();
                  int name = first;
                  for (int i = 0; i < ops / threads; i++) {
                    lock.lock(name, LockContender.FOREVER);
                    lock.unlock(name);
                    // Names first, first + threads, …: no two threads share one.
                    name = name + threads < LockNames.COUNT ? name + threads : first;
                  }
                  long[] end = self();
                  synchronized (callers) {
                    callers[0] += end[0] - start[0];
                    callers[1] += end[1] - start[1];
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "probe-caller");
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
  }

  /** Thread name (digits dropped) to {voluntary context switches, CPU ticks}, summed. */
  private static Map<String, long[]> threads() throws IOException {
    Map<String, long[]> groups = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "#");
          long[] c = counters(t);
          long[] g = groups.computeIfAbsent(name, k -> new long[2]);
          g[0] += c[0];
          g[1] += c[1];
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return groups;
  }

  /** Another process's {voluntary context switches of all its threads, CPU ticks}. */
  private static long[] process(long pid) throws IOException {
    long switches = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          switches += counters(t)[0];
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return new long[] {switches, counters(Path.of("/proc/" + pid))[1]};
  }

  /** This thread's {voluntary context switches, CPU ticks}. */
  private static long[] self() throws IOException {
    return counters(Path.of("/proc/thread-self"));
  }

  private static long[] counters(Path task) throws IOException {
    long switches = 0;
    for (String line : Files.readAllLines(task.resolve("status"))) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        switches = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    String[] stat = Files.readString(task.resolve("stat")).split("\\) ", 2)[1].split(" ");
    return new long[] {switches, Long.parseLong(stat[11]) + Long.parseLong(stat[12])};
  }
}
