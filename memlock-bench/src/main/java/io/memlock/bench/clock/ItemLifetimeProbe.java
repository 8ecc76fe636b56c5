package io.memlock.bench.clock;

import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long items really live on a real memcached: each of several keys, written at random
 * instants (so that writes land at every phase of the server's one-second clock tick), is set with
 * {@code ms <key> 1 T<ttl>} and then read with {@code mg <key>} every few milliseconds until it is
 * gone. A lifetime runs from the instant before the {@code ms} was written ({@link
 * System#nanoTime()}) to the instant before the first {@code mg} that missed; the item certainly
 * lived at least until the last {@code mg} that hit was sent (the strict lower bound, also
 * reported). Lifetimes below {@code ttl − 1 s} are the server clock's skips (its {@code
 * current_time} jumping by 2); every lifetime is checked against the holder's trusted bound {@code
 * (ttl − 2 s)(1 − drift)}. Each batch of requests also reads a long-lived clock item's seconds left
 * ({@code mg <item> t}) to time the server's ticks ({@link ClockTicks}): the intervals between them
 * and the skips seen directly.
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.clock.ItemLifetimeProbe
 *     [--minutes 30] [--ttl 3] [--servers 4] [--keys 10] [--poll-ms 2] [--drift 0.01] [--csv FILE]
 * </pre>
 *
 * <p>It starts its own memcached (memlock-testing's {@link MemcachedServer}). The CSV has one row
 * per lifetime: wall-clock milliseconds of the write, key, the lifetime to the missing {@code mg},
 * its lower and upper bounds (to the reply of the missing {@code mg}), and the phase of the write
 * and of the miss within the monotonic second (memcached's clock and {@code nanoTime} are both
 * {@code CLOCK_MONOTONIC} on Linux), all in nanoseconds.
 */
public final class ItemLifetimeProbe {
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private ItemLifetimeProbe() {}

  /** One measured lifetime; all durations in nanoseconds from the instant before the write. */
  record Sample(
      long wallMillis,
      int server,
      int key,
      long toMiss,
      long lower,
      long upper,
      long writePhase,
      long missPhase) {}

  /**
   * Runs the probe.
   *
   * @param args the options above
   * @throws Exception if memcached fails or answers something unexpected
   */
  public static void main(String[] args) throws Exception {
    double minutes = 30;
    int ttl = 3;
    int keys = 10;
    int servers = 4;
    long pollNanos = TimeUnit.MILLISECONDS.toNanos(2);
    double drift = 0.01;
    Path csv = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(require(args[i], value));
        case "--ttl" -> ttl = Integer.parseInt(require(args[i], value));
        case "--keys" -> keys = Integer.parseInt(require(args[i], value));
        case "--servers" -> servers = Integer.parseInt(require(args[i], value));
        case "--poll-ms" ->
            pollNanos = (long) (Double.parseDouble(require(args[i], value)) * 1_000_000);
        case "--drift" -> drift = Double.parseDouble(require(args[i], value));
        case "--csv" -> csv = Path.of(require(args[i], value));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (ttl < 2 || keys < 1 || servers < 1 || pollNanos <= 0 || minutes <= 0) {
      throw new IllegalArgumentException(
          "need --ttl >= 2, --keys >= 1, --servers >= 1, --poll-ms > 0, --minutes > 0");
    }
    long runNanos = (long) (minutes * 60 * SECOND);
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<ClockTicks.Interval> ticks = new ConcurrentLinkedQueue<>();
    System.out.printf(
        Locale.ROOT,
        "# ItemLifetimeProbe: ttl %d s, %d servers x %d keys, mg every %.1f ms, %.1f minutes;"
            + " load average %s%n",
        ttl,
        servers,
        keys,
        pollNanos / 1e6,
        minutes,
        loadAverage());
    List<MemcachedServer> started = new ArrayList<>();
    try {
      for (int s = 0; s < servers; s++) {
        MemcachedServer server = MemcachedServer.builder().threads(1).start();
        started.add(server);
        System.out.println("# memcached " + server.hostAndPort() + ", pid " + server.pid());
        // a fraction of a second between starts: the servers' ticks begin at different phases
        LockSupport.parkNanos(SECOND / servers + ThreadLocalRandom.current().nextLong(SECOND / 4));
      }
      long end = System.nanoTime() + runNanos;
      List<Thread> workers = new ArrayList<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      for (int s = 0; s < servers; s++) {
        MemcachedServer server = started.get(s);
        int index = s;
        int keyCount = keys;
        int itemTtl = ttl;
        long poll = pollNanos;
        Thread t =
            new Thread(
                () -> {
                  try (MetaConnection c = new MetaConnection(server.address(), TIMEOUT_MILLIS)) {
                    measure(c, index, keyCount, itemTtl, poll, end, samples, ticks);
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                },
                "lifetime-" + s);
        t.setDaemon(true);
        workers.add(t);
        t.start();
      }
      long nextReport = System.nanoTime() + 60 * SECOND;
      for (Thread t : workers) {
        while (t.isAlive()) {
          t.join(1000);
          if (System.nanoTime() >= nextReport) {
            nextReport += 60 * SECOND;
            report("progress", samples, ttl, drift);
          }
        }
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException(failures.size() + " workers failed", failures.get(0));
      }
    } finally {
      started.forEach(MemcachedServer::close);
    }
    System.out.println("# load average after the run: " + loadAverage());
    report("result", samples, ttl, drift);
    System.out.println(ClockTicks.summary(ticks));
    if (csv != null) {
      writeCsv(csv, samples);
      System.out.println("# samples written to " + csv);
    }
  }

  /**
   * Drives {@code keys} keys on one server from one thread: every {@code pollNanos} it writes, in
   * one pipelined batch, the {@code ms} of each key whose write is due and an {@code mg} of each
   * key that is alive; a key whose {@code mg} misses is recorded and written again after a random
   * delay below a second, so that writes land at every phase of the server's tick.
   */
  private static void measure(
      MetaConnection c,
      int server,
      int keys,
      int ttl,
      long pollNanos,
      long end,
      ConcurrentLinkedQueue<Sample> samples,
      ConcurrentLinkedQueue<ClockTicks.Interval> ticks)
      throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String clock = "lifetime-probe-clock-" + server;
    if (!c.set(clock, 86_400, "").equals("HD")) {
      throw new IOException("cannot write " + clock);
    }
    ClockTicks clockTicks = new ClockTicks(ticks);
    String[] names = new String[keys];
    long[] writeDue = new long[keys]; // 0 while the key is alive
    long[] written = new long[keys]; // nanoTime before the batch holding the ms was written
    long[] writtenWall = new long[keys];
    long[] lastHit = new long[keys];
    long now = System.nanoTime();
    for (int k = 0; k < keys; k++) {
      names[k] = "lifetime-probe-" + server + "-" + k;
      writeDue[k] = now + k * SECOND / keys + random.nextLong(SECOND / keys);
    }
    StringBuilder batch = new StringBuilder();
    int[] order = new int[2 * keys]; // key index per reply; negative (-k-1) for an ms reply
    long next = now;
    while (true) {
      next += pollNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime(); // fell behind (a loaded machine): do not burst to catch up
      }
      batch.setLength(0);
      batch.append("mg ").append(clock).append(" t\r\n");
      int replies = 0;
      long t = System.nanoTime();
      boolean running = t < end;
      for (int k = 0; k < keys; k++) {
        if (writeDue[k] == 0) {
          batch.append("mg ").append(names[k]).append("\r\n");
          order[replies++] = k;
        } else if (running && t >= writeDue[k]) {
          batch.append("ms ").append(names[k]).append(" 1 T").append(ttl).append("\r\nx\r\n");
          order[replies++] = -k - 1;
        }
      }
      if (replies == 0 && !running) {
        return;
      }
      long wall = System.currentTimeMillis();
      long sent = System.nanoTime();
      c.sendRaw(batch);
      clockTicks.observe(ClockTicks.remaining(c.readLine()), sent, System.nanoTime());
      for (int i = 0; i < replies; i++) {
        String reply = c.readLine();
        int k = order[i];
        if (k < 0) {
          k = -k - 1;
          if (!reply.equals("HD")) {
            throw new IOException("ms " + names[k] + " answered " + reply);
          }
          writeDue[k] = 0;
          written[k] = sent;
          writtenWall[k] = wall;
          lastHit[k] = sent;
        } else if (reply.equals("HD")) {
          lastHit[k] = sent;
        } else if (reply.equals("EN")) {
          long replied = System.nanoTime();
          samples.add(
              new Sample(
                  writtenWall[k],
                  server,
                  k,
                  sent - written[k],
                  lastHit[k] - written[k],
                  replied - written[k],
                  Math.floorMod(written[k], SECOND),
                  Math.floorMod(sent, SECOND)));
          writeDue[k] = sent + random.nextLong(SECOND);
        } else {
          throw new IOException("mg " + names[k] + " answered " + reply);
        }
      }
    }
  }

  private static void report(
      String label, ConcurrentLinkedQueue<Sample> samples, int ttl, double drift) {
    List<Sample> all = new ArrayList<>(samples);
    long[] toMiss = all.stream().mapToLong(Sample::toMiss).toArray();
    long[] lower = all.stream().mapToLong(Sample::lower).toArray();
    Distribution d = new Distribution(toMiss);
    Distribution lo = new Distribution(lower);
    long skipLimit = (ttl - 1) * SECOND;
    long trusted = (long) ((ttl - 2) * SECOND * (1 - drift));
    System.out.printf(
        Locale.ROOT,
        "%s: lifetime %s; strict lower bound min %s; below ttl-1 s (skips): %d; below the trusted"
            + " (ttl-2 s)(1-%.2f) = %s: %d%n",
        label,
        d.summary(),
        Distribution.seconds(lo.min()),
        d.countBelow(skipLimit),
        drift,
        Distribution.seconds(trusted),
        lo.countBelow(trusted));
    System.out.flush();
  }

  private static void writeCsv(Path csv, ConcurrentLinkedQueue<Sample> samples) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
      w.println("wall_ms,server,key,to_miss_ns,lower_ns,upper_ns,write_phase_ns,miss_phase_ns");
      for (Sample s : samples) {
        w.printf(
            Locale.ROOT,
            "%d,%d,%d,%d,%d,%d,%d,%d%n",
            s.wallMillis(),
            s.server(),
            s.key(),
            s.toMiss(),
            s.lower(),
            s.upper(),
            s.writePhase(),
            s.missPhase());
      }
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
