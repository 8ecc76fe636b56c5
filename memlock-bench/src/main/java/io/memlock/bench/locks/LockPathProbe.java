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
 * A diagnostic, not a benchmark: runs uncontended lock + unlock in one thread for each contender
 * and reports, per operation, the wall time and the voluntary context switches (thread wake-ups)
 * and CPU time of each group of this process's threads (read from {@code /proc/self/task}), so that
 * the cost of a lock path can be attributed to the threads that pay it.
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.locks.LockPathProbe [operations] [contender...]
 * </pre>
 */
public final class LockPathProbe {
  private LockPathProbe() {}

  /**
   * Runs the probe against a memcached it starts.
   *
   * @param args operations per contender (default 20,000), then contender ids (default memlock,
   *     raw, raw-memlock-cmds)
   * @throws Exception if memcached or a contender fails
   */
  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    List<String> contenders =
        args.length > 1
            ? List.of(args).subList(1, args.length)
            : List.of(Contenders.MEMLOCK, Contenders.RAW, Contenders.RAW_MEMLOCK_COMMANDS);
    try (MemcachedServer mc = MemcachedServer.builder().threads(2).start()) {
      for (String c : contenders) {
        try (LockContender lock =
            LockContender.open(c, new Servers(mc.hostAndPort(), ""), LockNames.standard())) {
          loop(lock, ops); // warm-up
          Map<String, long[]> before = threads();
          long t0 = System.nanoTime();
          loop(lock, ops);
          long wall = System.nanoTime() - t0;
          Map<String, long[]> after = threads();
          System.out.printf(Locale.ROOT, "%s: %.1f µs per lock + unlock%n", c, wall / 1e3 / ops);
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

  private static void loop(LockContender lock, int ops) throws InterruptedException {
    for (int i = 0; i < ops; i++) {
      int name = i % LockNames.COUNT;
      lock.lock(name, LockContender.FOREVER);
      lock.unlock(name);
    }
  }

  /** Thread name (digits dropped) to {voluntary context switches, CPU ticks}, summed. */
  private static Map<String, long[]> threads() throws IOException {
    Map<String, long[]> groups = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "#");
          long switches = 0;
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              switches = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
          String[] stat = Files.readString(t.resolve("stat")).split("\\) ", 2)[1].split(" ");
          long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
          long[] g = groups.computeIfAbsent(name, k -> new long[2]);
          g[0] += switches;
          g[1] += ticks;
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return groups;
  }
}
