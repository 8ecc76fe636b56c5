package io.memlock.bench.clock;

import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reproduces the early end of an item written while memcached is stopped (SIGSTOP) for less than a
 * request timeout: a write sent during the stop is served right after SIGCONT, possibly before
 * memcached's clock ticks, so its expiry is counted from the frozen clock, while a holder trusts
 * {@code (ttl − 2 s)(1 − drift)} from the instant before it sent the write.
 *
 * <p>Each cycle stops memcached for {@code --stop-ms} (0.9 s) at a random instant; a holder
 * connection writes {@code --writes} keys with {@code ms <key> 1 T<ttl>} (ttl drawn from 3 to 5 s,
 * as a renewal would) at random instants from 0.25 s before the stop to 0.15 s after its end,
 * pipelined (it does not wait for a reply before its next write), recording the instant before each
 * write; once every write is answered, a poller connection tries {@code ms <key> 1 T<ttl> ME} (add)
 * on every key every {@code --poll-ms} (2 ms) until it wins. A win answered before the holder's
 * trusted end is an overlap: two holders. Its size is reported as the trusted end minus the reply
 * of the winning add (the item was certainly gone by then: a lower bound) and minus the last losing
 * add's send (the item certainly lived until then: an upper bound). The overlaps against the
 * trusted end memlock used before, {@code (ttl − 1 s)(1 − drift)}, are reported too.
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.clock.SigstopOverlapProbe
 *     [--minutes 5] [--stop-ms 900] [--writes 8] [--poll-ms 2] [--drift 0.01] [--csv FILE]
 * </pre>
 */
public final class SigstopOverlapProbe {
  private static final int TIMEOUT_MILLIS = 20_000;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  private SigstopOverlapProbe() {}

  /** One holder write; instants in nanoseconds relative to the confirmed start of the stop. */
  record Write(
      int cycle,
      int key,
      int ttl,
      long send,
      long reply,
      long lastLoss,
      long winReply,
      long trustedEnd,
      long stopLength) {
    long earlyLower() {
      return trustedEnd - winReply;
    }

    long earlyUpper() {
      return trustedEnd - lastLoss;
    }
  }

  /**
   * Runs the probe.
   *
   * @param args the options above
   * @throws Exception if memcached fails or answers something unexpected
   */
  public static void main(String[] args) throws Exception {
    double minutes = 5;
    long stopNanos = 900 * MILLI;
    int writes = 8;
    long pollNanos = 2 * MILLI;
    double drift = 0.01;
    Path csv = null;
    for (int i = 0; i < args.length; i++) {
      String value = ItemLifetimeProbe.require(args[i], i + 1 < args.length ? args[i + 1] : null);
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(value);
        case "--stop-ms" -> stopNanos = Long.parseLong(value) * MILLI;
        case "--writes" -> writes = Integer.parseInt(value);
        case "--poll-ms" -> pollNanos = (long) (Double.parseDouble(value) * MILLI);
        case "--drift" -> drift = Double.parseDouble(value);
        case "--csv" -> csv = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (minutes <= 0 || stopNanos <= 0 || writes < 1 || pollNanos <= 0) {
      throw new IllegalArgumentException(
          "need --minutes > 0, --stop-ms > 0, --writes >= 1, --poll-ms > 0");
    }
    System.out.printf(
        Locale.ROOT,
        "# SigstopOverlapProbe: stops of %d ms, %d writes per stop, add every %.1f ms, %.1f"
            + " minutes; load average %s%n",
        stopNanos / MILLI,
        writes,
        pollNanos / 1e6,
        minutes,
        ItemLifetimeProbe.loadAverage());
    List<Write> all = new ArrayList<>();
    try (MemcachedServer server = MemcachedServer.builder().threads(2).start();
        MetaConnection holder = new MetaConnection(server.address(), TIMEOUT_MILLIS);
        MetaConnection poller = new MetaConnection(server.address(), TIMEOUT_MILLIS)) {
      System.out.println("# memcached " + server.hostAndPort() + ", pid " + server.pid());
      long end = System.nanoTime() + (long) (minutes * 60 * SECOND);
      long nextReport = System.nanoTime() + 60 * SECOND;
      for (int cycle = 0; System.nanoTime() < end; cycle++) {
        all.addAll(cycle(server, holder, poller, cycle, writes, stopNanos, pollNanos, drift));
        if (System.nanoTime() >= nextReport) {
          nextReport += 60 * SECOND;
          report("progress", all, drift);
        }
      }
    }
    System.out.println("# load average after the run: " + ItemLifetimeProbe.loadAverage());
    report("result", all, drift);
    if (csv != null) {
      writeCsv(csv, all);
      System.out.println("# writes written to " + csv);
    }
  }

  private static List<Write> cycle(
      MemcachedServer server,
      MetaConnection holder,
      MetaConnection poller,
      int cycle,
      int writes,
      long stopNanos,
      long pollNanos,
      double drift)
      throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String[] keys = new String[writes];
    int[] ttls = new int[writes];
    long[] offsets = new long[writes]; // planned, relative to the planned stop
    for (int k = 0; k < writes; k++) {
      keys[k] = "sigstop-" + cycle + "-" + k;
      ttls[k] = 3 + random.nextInt(3);
      offsets[k] = -SECOND / 4 + random.nextLong(stopNanos + SECOND * 2 / 5);
    }
    Arrays.sort(offsets);
    // the stop at a random phase of memcached's tick
    long plannedStop = System.nanoTime() + SECOND / 2 + random.nextLong(SECOND);
    long[] stop = new long[3]; // pause() called, pause() returned (stopped), resume() returned
    CompletableFuture<Void> controller =
        CompletableFuture.runAsync(
            () -> {
              parkUntil(plannedStop);
              stop[0] = System.nanoTime();
              server.pause();
              stop[1] = System.nanoTime();
              parkUntil(stop[1] + stopNanos);
              server.resume();
              stop[2] = System.nanoTime();
            });
    long[] sends = new long[writes];
    long[] replies = new long[writes];
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int k = 0; k < writes; k++) {
                  String reply = holder.readLine();
                  replies[k] = System.nanoTime();
                  if (!reply.equals("HD")) {
                    throw new IOException("ms " + keys[k] + " answered " + reply);
                  }
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    for (int k = 0; k < writes; k++) {
      parkUntil(plannedStop + offsets[k]);
      sends[k] = System.nanoTime();
      holder.sendRaw("ms " + keys[k] + " 1 T" + ttls[k] + "\r\nx\r\n");
    }
    reader.get(60, TimeUnit.SECONDS);
    controller.get(60, TimeUnit.SECONDS);
    long[] lastLoss = sends.clone();
    long[] winReply = new long[writes];
    int left = writes;
    StringBuilder batch = new StringBuilder();
    int[] order = new int[writes];
    for (long next = System.nanoTime(); left > 0; ) {
      next += pollNanos;
      parkUntil(next);
      batch.setLength(0);
      int n = 0;
      for (int k = 0; k < writes; k++) {
        if (winReply[k] == 0) {
          batch.append("ms ").append(keys[k]).append(" 1 T3 ME\r\nx\r\n");
          order[n++] = k;
        }
      }
      long sent = System.nanoTime();
      poller.sendRaw(batch);
      for (int i = 0; i < n; i++) {
        String reply = poller.readLine();
        int k = order[i];
        if (reply.equals("NS")) {
          lastLoss[k] = sent;
        } else if (reply.equals("HD")) {
          winReply[k] = System.nanoTime();
          left--;
        } else {
          throw new IOException("add " + keys[k] + " answered " + reply);
        }
      }
    }
    List<Write> result = new ArrayList<>();
    long origin = stop[1];
    for (int k = 0; k < writes; k++) {
      long trusted = sends[k] + (long) ((ttls[k] - 2) * SECOND * (1 - drift));
      result.add(
          new Write(
              cycle,
              k,
              ttls[k],
              sends[k] - origin,
              replies[k] - origin,
              lastLoss[k] - origin,
              winReply[k] - origin,
              trusted - origin,
              stop[2] - stop[1]));
    }
    return result;
  }

  private static void report(String label, List<Write> all, double drift) {
    long overlaps = all.stream().filter(w -> w.earlyLower() > 0).count();
    // the trusted end memlock used before issue 10: (ttl - 1 s)(1 - drift), 1 s (1 - drift) later
    long oldExtra = (long) (SECOND * (1 - drift));
    long oldOverlaps = all.stream().filter(w -> w.earlyLower() + oldExtra > 0).count();
    long oldWorst = all.stream().mapToLong(w -> w.earlyLower() + oldExtra).max().orElse(0);
    long[] early = all.stream().mapToLong(Write::earlyLower).toArray();
    Distribution d = new Distribution(early);
    Write worst =
        all.stream().max((a, b) -> Long.compare(a.earlyLower(), b.earlyLower())).orElse(null);
    System.out.printf(
        Locale.ROOT,
        "%s: %d writes, %d overlaps (a poller won before the holder's trusted end); trusted end"
            + " minus the win: max %s, median %s%s%n",
        label,
        all.size(),
        overlaps,
        Distribution.seconds(d.max()),
        Distribution.seconds(d.quantile(0.5)),
        worst == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; worst: ttl %d, sent %s after the stop began, answered %s after it, item gone"
                    + " between %s and %s before the trusted end",
                worst.ttl(),
                Distribution.seconds(worst.send()),
                Distribution.seconds(worst.reply()),
                Distribution.seconds(worst.earlyLower()),
                Distribution.seconds(worst.earlyUpper())));
    System.out.printf(
        Locale.ROOT,
        "%s: against the former trusted end (ttl - 1 s)(1 - drift): %d overlaps, worst %s%n",
        label,
        oldOverlaps,
        Distribution.seconds(oldWorst));
    System.out.flush();
  }

  private static void writeCsv(Path csv, List<Write> all) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
      w.println(
          "cycle,key,ttl,send_ns,reply_ns,last_loss_ns,win_reply_ns,trusted_end_ns,stop_ns,"
              + "early_lower_ns,early_upper_ns");
      for (Write x : all) {
        w.printf(
            Locale.ROOT,
            "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n",
            x.cycle(),
            x.key(),
            x.ttl(),
            x.send(),
            x.reply(),
            x.lastLoss(),
            x.winReply(),
            x.trustedEnd(),
            x.stopLength(),
            x.earlyLower(),
            x.earlyUpper());
      }
    }
  }

  private static void parkUntil(long deadline) {
    for (long wait; (wait = deadline - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(wait);
    }
  }
}
