package io.memlock.bench.list;

import io.memlock.LockHandle;
import io.memlock.LockListing;
import io.memlock.MemLock;
import io.memlock.testing.MemcachedServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times {@code MemLock.list("")} on one memcached holding {@code --items} unrelated items (default
 * 1,000,000, stored with pipelined quiet {@code ms ... q} over one socket) and {@code --locks} held
 * locks (default 1,000). Each run dumps every item with the LRU crawler and confirms each lock
 * found with {@code mg}; the runner checks that every run finds exactly the held locks, and prints
 * the fastest, median and slowest of {@code --runs} runs after one warm-up.
 *
 * <p>usage: {@code ListBenchRunner [--items N] [--locks N] [--runs N]}
 */
public final class ListBenchRunner {
  private ListBenchRunner() {}

  /**
   * Runs the benchmark.
   *
   * @param args options, see the class comment
   * @throws Exception if memcached cannot be started or a run fails
   */
  public static void main(String[] args) throws Exception {
    int items = 1_000_000;
    int locks = 1_000;
    int runs = 5;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(value.replace("_", ""));
        case "--locks" -> locks = Integer.parseInt(value.replace("_", ""));
        case "--runs" -> runs = Integer.parseInt(value);
        default -> {
          System.err.println("unknown option " + args[i] + "; use --items N --locks N --runs N");
          System.exit(2);
        }
      }
      i++;
    }
    try (MemcachedServer memcached =
        MemcachedServer.builder().memoryMegabytes(1024).threads(2).start()) {
      System.out.println(
          "# memcached "
              + memcached.stats().getOrDefault("version", "?")
              + " on "
              + memcached.hostAndPort()
              + " (-m 1024 -t 2)");
      long t0 = System.nanoTime();
      load(memcached, items);
      System.out.printf(
          "loaded %,d unrelated items in %.1f s (pipelined quiet sets)%n",
          items, (System.nanoTime() - t0) / 1e9);
      try (MemLock memlock =
          MemLock.builder()
              .servers(memcached.hostAndPort())
              .restartGrace(false)
              .leaseTime(Duration.ofMinutes(5))
              .maxLeaseTime(Duration.ofMinutes(5))
              .requestTimeout(Duration.ofSeconds(5))
              .build()) {
        List<LockHandle> held = new ArrayList<>(locks);
        t0 = System.nanoTime();
        for (int i = 0; i < locks; i++) {
          held.add(memlock.lock(String.format("bench-list-%05d", i)).acquire(Duration.ZERO));
        }
        System.out.printf(
            "took %,d locks in %.1f s; memcached holds %s items%n",
            locks, (System.nanoTime() - t0) / 1e9, memcached.stats().get("curr_items"));
        double[] seconds = new double[runs];
        for (int run = -1; run < runs; run++) {
          long start = System.nanoTime();
          LockListing listing = memlock.list("");
          double s = (System.nanoTime() - start) / 1e9;
          if (listing.items().size() != locks || !listing.isComplete()) {
            throw new IllegalStateException(
                "run "
                    + run
                    + " listed "
                    + listing.items().size()
                    + " locks, expected "
                    + locks
                    + "; unlisted: "
                    + listing.unlisted());
          }
          System.out.printf(
              "%s: %.3f s for %,d locks%n", run < 0 ? "warm-up" : "run " + (run + 1), s, locks);
          if (run >= 0) {
            seconds[run] = s;
          }
        }
        Arrays.sort(seconds);
        System.out.printf(
            "RESULT list of %,d held locks among %,d items: fastest %.3f s, median %.3f s,"
                + " slowest %.3f s over %d runs%n",
            locks, items, seconds[0], seconds[runs / 2], seconds[runs - 1], runs);
        held.forEach(LockHandle::release);
      }
    }
  }

  /** Stores {@code count} one-byte items without expiry, in one pipelined stream of quiet sets. */
  private static void load(MemcachedServer memcached, int count) throws IOException {
    try (Socket s = new Socket(memcached.host(), memcached.port())) {
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      for (int i = 0; i < count; i++) {
        out.write(("ms other:item:" + i + " 1 T0 q\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.write("mn\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(4);
      String text = new String(reply, StandardCharsets.US_ASCII);
      if (!text.equals("MN\r\n")) {
        throw new IOException("loading the items: memcached answered " + text + "...");
      }
    }
  }
}
