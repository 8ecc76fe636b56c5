package io.memlock;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A process that takes one quorum lock over and over until a stop file appears, and logs each hold
 * as {@code <fence> <start> <end> ok|lost} with {@link System#nanoTime()} instants, which are
 * comparable between processes of one Linux machine. {@code end} is taken while the hold is still
 * valid (checked), or the hold is logged as lost.
 */
public final class QuorumWorker {
  private QuorumWorker() {}

  /**
   * Runs the worker.
   *
   * @param args {@code SERVERS NAME LEASE_SECONDS MAX_LEASE_SECONDS LOG STOP_FILE}
   */
  public static void main(String[] args) throws Exception {
    String servers = args[0];
    String name = args[1];
    Duration lease = Duration.ofSeconds(Long.parseLong(args[2]));
    Duration maxLease = Duration.ofSeconds(Long.parseLong(args[3]));
    Path log = Path.of(args[4]);
    Path stop = Path.of(args[5]);
    try (MemLock memlock =
            MemLock.builder()
                .servers(servers)
                .replicas(3)
                .leaseTime(lease)
                .maxLeaseTime(maxLease)
                .requestTimeout(Duration.ofMillis(500))
                .build();
        PrintWriter out =
            new PrintWriter(
                Files.newBufferedWriter(
                    log, StandardCharsets.US_ASCII, StandardOpenOption.APPEND))) {
      DistributedLock lock = memlock.lock(name);
      System.out.println("ready");
      long lastReport = 0;
      while (!Files.exists(stop)) {
        LockHandle h;
        try {
          h = lock.acquire(Duration.ofSeconds(1));
        } catch (MemLockException e) {
          // Why it is not getting the lock, at most once a second, for the test's diagnostics.
          if (System.nanoTime() - lastReport > 1_000_000_000L) {
            System.out.println("waiting " + System.nanoTime() + ": " + e.getMessage());
            lastReport = System.nanoTime();
          }
          continue;
        }
        long start = System.nanoTime();
        long fence = h.fencingToken();
        // The critical section: long enough for another holder to overlap if exclusion failed.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        long end = System.nanoTime();
        boolean valid = h.isHeld();
        try {
          h.release();
        } catch (LockLostException e) {
          valid = false;
        }
        out.println(fence + " " + start + " " + end + " " + (valid ? "ok" : "lost"));
        out.flush();
      }
    }
    System.out.println("done");
  }
}
