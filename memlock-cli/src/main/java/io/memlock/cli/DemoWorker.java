package io.memlock.cli;

import io.memlock.DistributedLock;
import io.memlock.MemLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker process of {@code memlock demo}: sells orders from the stock count in memcached, with
 * or without the lock, and reports each order on stdout.
 *
 * <p>Arguments: {@code SERVERS STOCK_KEY LOCK_NAME|- ORDERS THINK_NANOS private|shared}. It prints
 * {@code READY} once connected, waits for {@code GO} on stdin, prints {@code O <sold 0|1> <acquire
 * ns> <fence>} per order and {@code DONE} at the end, or {@code ERROR <message>} on failure. It
 * exits when its stdin closes (the demo is gone).
 */
public final class DemoWorker {
  private DemoWorker() {}

  /**
   * Runs the worker.
   *
   * @param args {@code SERVERS STOCK_KEY LOCK_NAME|- ORDERS THINK_NANOS private|shared}
   */
  public static void main(String[] args) {
    QuietNetty.apply();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try {
      run(args, out);
      out.println("DONE");
      out.flush();
      System.exit(0);
    } catch (Exception e) {
      out.println("ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
      out.flush();
      System.exit(1);
    }
  }

  private static void run(String[] args, PrintStream out) throws IOException {
    String servers = args[0];
    String lockName = "-".equals(args[2]) ? null : args[2];
    int orders = Integer.parseInt(args[3]);
    long thinkNanos = Long.parseLong(args[4]);
    try (StockItem stock = StockItem.connect(servers, args[1]);
        MemLock memlock = lockName == null ? null : connect(servers, "private".equals(args[5]))) {
      DistributedLock lock = lockName == null ? null : memlock.lock(lockName);
      stock.read();
      out.println("READY");
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
      if (!"GO".equals(in.readLine())) {
        throw new IOException("the demo went away");
      }
      exitWhenClosed(in);
      for (int i = 0; i < orders; i++) {
        long t0 = System.nanoTime();
        long fence = -1;
        if (lock != null) {
          lock.lock();
          fence = lock.fencingToken();
        }
        long acquired = System.nanoTime() - t0;
        boolean sold;
        try {
          sold = sell(stock, thinkNanos);
        } finally {
          if (lock != null) {
            lock.unlock();
          }
        }
        out.println("O " + (sold ? 1 : 0) + " " + acquired + " " + fence);
        out.flush();
      }
    }
  }

  /**
   * A client for the demo's short critical sections: a 5 s lease is plenty. On the demo's own,
   * brand-new memcached no lock can have been held before, so the restart grace is off; on servers
   * given with --servers it is on, and short (maxLeaseTime 5 s).
   */
  private static MemLock connect(String servers, boolean privateServer) {
    Duration lease = Duration.ofSeconds(5);
    return MemLock.builder()
        .servers(servers)
        .leaseTime(lease)
        .maxLeaseTime(lease)
        .restartGrace(!privateServer)
        .build();
  }

  /** The read-modify-write the lock must protect: take one unit if there is one. */
  private static boolean sell(StockItem stock, long thinkNanos) {
    long left = stock.read();
    if (left <= 0) {
      return false;
    }
    // Checking the order, charging the card...: the window in which another worker can read the
    // same count.
    LockSupport.parkNanos(thinkNanos);
    stock.write(left - 1);
    return true;
  }

  private static void exitWhenClosed(BufferedReader in) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (in.readLine() != null) {
                  // nothing else is sent
                }
              } catch (IOException e) {
                // closed
              }
              System.exit(2);
            },
            "demo-stdin");
    t.setDaemon(true);
    t.start();
  }
}
