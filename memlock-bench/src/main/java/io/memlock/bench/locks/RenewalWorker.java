package io.memlock.bench.locks;

import io.memlock.LockHandle;
import io.memlock.MemLock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * One process of scenario 5: takes {@code count} locks with the library's watchdog (no explicit
 * lease, so the watchdog renews them), lets the renewals settle, then measures over a window this
 * process's CPU time and the server's counters, and prints one line {@code result key=value ...}.
 *
 * <p>The locks are taken at an even pace over one renewal interval (a third of the lease), as locks
 * of an application are taken at different times. Taken all at once, they would renew in one burst
 * per interval, and a window of a few intervals would count one burst more or less depending on
 * where it started (and on the few milliseconds by which a renewal period exceeds the interval);
 * spread over the interval, every window of the same length counts the same.
 *
 * <ul>
 *   <li>{@code held}, {@code lost}: locks still held after the window, and lost during it;
 *   <li>{@code renewals}: renewal requests the server received in the window (memcached: {@code
 *       cmd_set}, every renewal is an {@code ms … C<cas>}; Redis: calls of {@code EVAL}, {@code
 *       EVALSHA} and {@code FCALL}, with which Redisson renews);
 *   <li>{@code commands}: all commands the server counted (Redis counts the commands a script runs
 *       too);
 *   <li>{@code clientCpuNanos}, {@code serverCpuMicros}, {@code windowNanos}.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.locks.RenewalWorker memlock|redisson memcached redis \
 *     count leaseSeconds windowMillis [settleMillis]
 * </pre>
 */
public final class RenewalWorker {
  private static final int IN_FLIGHT = 500;

  /**
   * The wait between the last acquisition and the window: two renewal intervals (so every lock has
   * renewed, and the renewal path is compiled, before measuring), at least 1.5 s (memlock's first
   * renewal comes within 1 s of acquiring) and at most 5 s.
   *
   * @param lease the lease
   * @return milliseconds
   */
  static long settleMillis(Duration lease) {
    return Math.max(1500, Math.min(5000, lease.toMillis() * 2 / 3));
  }

  private RenewalWorker() {}

  /**
   * Runs the measurement.
   *
   * @param args contender, memcached and Redis {@code host:port}, lock count, lease seconds, window
   *     milliseconds, optionally the settle time in milliseconds (default {@link #settleMillis})
   * @throws Exception if anything fails (the parent reports it)
   */
  public static void main(String[] args) throws Exception {
    String contender = args[0];
    String memcached = args[1];
    String redis = args[2];
    int count = Integer.parseInt(args[3]);
    Duration lease = Duration.ofSeconds(Long.parseLong(args[4]));
    long windowMillis = Long.parseLong(args[5]);
    long settle = args.length > 6 ? Long.parseLong(args[6]) : settleMillis(lease);
    try {
      String result =
          switch (contender) {
            case Contenders.MEMLOCK -> memlock(memcached, count, lease, windowMillis, settle);
            case Contenders.REDISSON -> redisson(redis, count, lease, windowMillis, settle);
            default -> throw new IllegalArgumentException("no watchdog to measure: " + contender);
          };
      System.out.println("result " + result);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.out.println("error " + e.toString().replace('\n', ' '));
    }
    System.out.flush();
    System.exit(0);
  }

  private static List<String> names(String prefix, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(String.format(Locale.ROOT, "%s-%05d", prefix, i));
    }
    return names;
  }

  private static String memlock(
      String server, int count, Duration lease, long windowMillis, long settle) throws Exception {
    AtomicInteger lost = new AtomicInteger();
    // The harness starts this memcached for itself: no lock can predate its start.
    try (MemLock client =
        MemLock.builder().servers(server).restartGrace(false).leaseTime(lease).build()) {
      List<LockHandle> handles = new ArrayList<>(count);
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      List<CompletableFuture<LockHandle>> futures = new ArrayList<>(count);
      Pace pace = new Pace(count, lease);
      for (String name : names("bench-renew-" + lease.toSeconds(), count)) {
        pace.next();
        inFlight.acquire();
        CompletableFuture<LockHandle> f = client.lock(name).acquireAsync(Duration.ofSeconds(30));
        f.whenComplete((h, t) -> inFlight.release());
        futures.add(f);
      }
      for (CompletableFuture<LockHandle> f : futures) {
        LockHandle h = f.get(60, TimeUnit.SECONDS);
        h.onLost((x, e) -> lost.incrementAndGet());
        handles.add(h);
      }
      Thread.sleep(settle);
      Map<String, String> before = ServerStats.memcached(server);
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(windowMillis);
      long window = System.nanoTime() - t0;
      long cpu = processCpuNanos() - cpu0;
      Map<String, String> after = ServerStats.memcached(server);
      long held = handles.stream().filter(LockHandle::isHeld).count();
      // Counted now: a release below that fails is not a lease lost while held.
      int lostHeld = lost.get();
      long renewals = delta(before, after, "cmd_set");
      long commands =
          renewals
              + delta(before, after, "cmd_get")
              + delta(before, after, "cmd_touch")
              + delta(before, after, "delete_hits")
              + delta(before, after, "delete_misses")
              + delta(before, after, "incr_hits")
              + delta(before, after, "incr_misses");
      long serverCpuMicros =
          micros(after, "rusage_user")
              + micros(after, "rusage_system")
              - micros(before, "rusage_user")
              - micros(before, "rusage_system");
      // Released at the acquisitions' pace limit: 100,000 releases at once would exceed the
      // connection's outstanding-request limit and time out, leaving items behind for the next run.
      List<CompletableFuture<Void>> releases = new ArrayList<>(count);
      for (LockHandle h : handles) {
        inFlight.acquire();
        CompletableFuture<Void> r = h.releaseAsync().exceptionally(t -> null);
        r.whenComplete((v, t) -> inFlight.release());
        releases.add(r);
      }
      CompletableFuture.allOf(releases.toArray(new CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);
      return line(held, lostHeld, renewals, commands, cpu, serverCpuMicros, window);
    }
  }

  private static String redisson(
      String redis, int count, Duration lease, long windowMillis, long settle) throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://" + redis);
    config.setLockWatchdogTimeout(lease.toMillis());
    RedissonClient client = Redisson.create(config);
    try {
      long threadId = 1;
      List<RLock> locks = new ArrayList<>(count);
      List<RFuture<Void>> futures = new ArrayList<>(count);
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      Pace pace = new Pace(count, lease);
      for (String name : names("bench-renew-" + lease.toSeconds(), count)) {
        pace.next();
        RLock lock = client.getLock(name);
        locks.add(lock);
        inFlight.acquire();
        RFuture<Void> f = lock.lockAsync(threadId);
        f.whenComplete((v, t) -> inFlight.release());
        futures.add(f);
      }
      for (RFuture<Void> f : futures) {
        f.toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      Thread.sleep(settle);
      Map<String, String> before = ServerStats.redisInfo(redis, "commandstats");
      Map<String, String> cpuBefore = ServerStats.redisInfo(redis, "cpu");
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(windowMillis);
      long window = System.nanoTime() - t0;
      long cpu = processCpuNanos() - cpu0;
      Map<String, String> cpuAfter = ServerStats.redisInfo(redis, "cpu");
      Map<String, String> after = ServerStats.redisInfo(redis, "commandstats");
      long renewals = 0;
      long commands = 0;
      for (String key : after.keySet()) {
        long d = calls(after.get(key)) - calls(before.getOrDefault(key, ""));
        if (key.equals("cmdstat_info")) {
          continue;
        }
        commands += d;
        if (key.equals("cmdstat_eval")
            || key.equals("cmdstat_evalsha")
            || key.equals("cmdstat_fcall")) {
          renewals += d;
        }
      }
      long serverCpuMicros =
          Math.round(
              1e6
                  * (seconds(cpuAfter, "used_cpu_user")
                      + seconds(cpuAfter, "used_cpu_sys")
                      - seconds(cpuBefore, "used_cpu_user")
                      - seconds(cpuBefore, "used_cpu_sys")));
      List<CompletableFuture<Boolean>> checks = new ArrayList<>(count);
      for (RLock lock : locks) {
        inFlight.acquire();
        CompletableFuture<Boolean> c = lock.isLockedAsync().toCompletableFuture();
        c.whenComplete((v, t) -> inFlight.release());
        checks.add(c);
      }
      long held = 0;
      for (CompletableFuture<Boolean> c : checks) {
        held += c.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      List<CompletableFuture<Void>> releases = new ArrayList<>(count);
      for (RLock lock : locks) {
        inFlight.acquire();
        CompletableFuture<Void> r =
            lock.unlockAsync(threadId).toCompletableFuture().exceptionally(t -> null);
        r.whenComplete((v, t) -> inFlight.release());
        releases.add(r);
      }
      CompletableFuture.allOf(releases.toArray(new CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);
      return line(held, count - held, renewals, commands, cpu, serverCpuMicros, window);
    } finally {
      client.shutdown(0, 5, TimeUnit.SECONDS);
    }
  }

  /** Spreads {@code count} acquisitions evenly over one renewal interval (a third of the lease). */
  static final class Pace {
    private final long start = System.nanoTime();
    private final long stepNanos;
    private long i;

    Pace(int count, Duration lease) {
      this.stepNanos = lease.toNanos() / 3 / count;
    }

    /**
     * Returns when the next acquisition is due; sleeps once per 100 acquisitions at most.
     *
     * @throws InterruptedException if interrupted
     */
    void next() throws InterruptedException {
      long due = start + i++ * stepNanos;
      long wait = due - System.nanoTime();
      if (wait > TimeUnit.MILLISECONDS.toNanos(5)) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }

  private static String line(
      long held, long lost, long renewals, long commands, long cpu, long serverCpu, long window) {
    return "held="
        + held
        + " lost="
        + lost
        + " renewals="
        + renewals
        + " commands="
        + commands
        + " clientCpuNanos="
        + cpu
        + " serverCpuMicros="
        + serverCpu
        + " windowNanos="
        + window;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long delta(Map<String, String> before, Map<String, String> after, String key) {
    return Long.parseLong(after.getOrDefault(key, "0"))
        - Long.parseLong(before.getOrDefault(key, "0"));
  }

  private static long micros(Map<String, String> stats, String key) {
    return Math.round(Double.parseDouble(stats.getOrDefault(key, "0")) * 1e6);
  }

  private static double seconds(Map<String, String> info, String key) {
    return Double.parseDouble(info.getOrDefault(key, "0"));
  }

  /**
   * Reads {@code calls=N} from a Redis commandstats value such as {@code
   * calls=5,usec=20,usec_per_call=4.00,...}.
   *
   * @param stat the value
   * @return N, or 0 if absent
   */
  static long calls(String stat) {
    for (String part : stat.split(",")) {
      if (part.startsWith("calls=")) {
        return Long.parseLong(part.substring(6));
      }
    }
    return 0;
  }

  /**
   * Parses a result line's {@code key=value} pairs.
   *
   * @param line {@code result key=value ...}
   * @return the pairs
   */
  static Map<String, Long> parse(String line) {
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    for (String part : line.trim().split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
      }
    }
    return m;
  }
}
