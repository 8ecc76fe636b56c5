package io.memlock.bench.locks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One process of scenario 4, driven by {@link HandoffScenario} through stdin, one command a line:
 *
 * <ul>
 *   <li>{@code open <contender>}: connects the contender; answers {@code opened}.
 *   <li>{@code run <start> <warm> <measure> <file>}: waits until {@link System#nanoTime()} reaches
 *       {@code start}, then locks and unlocks the hot name in a loop, with nothing in between,
 *       until {@code start + warm + measure}; writes each holding ({@code called acquired released}
 *       nanoTimes and the polls counted meanwhile, -1 if not counted; one a line) to {@code file};
 *       answers {@code done <holdings>}.
 *   <li>{@code close}: disconnects the contender; answers {@code closed}.
 * </ul>
 *
 * <p>A failure answers {@code error <message>}. The worker exits at the end of its stdin.
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.locks.HandoffWorker memcachedHostPort [redisHostPort]
 * </pre>
 */
public final class HandoffWorker {
  private final Servers servers;
  private LockContender lock;

  private HandoffWorker(Servers servers) {
    this.servers = servers;
  }

  /**
   * Runs the worker.
   *
   * @param args memcached's {@code host:port}, then Redis's (may be empty)
   * @throws IOException if stdin fails
   */
  public static void main(String[] args) throws IOException {
    HandoffWorker w = new HandoffWorker(new Servers(args[0], args.length > 1 ? args[1] : ""));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      try {
        System.out.println(w.handle(line.trim().split(" ")));
      } catch (Exception | Error e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        System.err.println(trace);
        System.out.println("error " + e.toString().replace('\n', ' '));
      }
      System.out.flush();
    }
    w.closeLock();
    System.exit(0);
  }

  private String handle(String[] cmd) throws Exception {
    switch (cmd[0]) {
      case "open" -> {
        closeLock();
        lock =
            Contenders.open(
                cmd[1],
                servers,
                List.of("bench-handoff-" + cmd[1]),
                Contenders.Settings.COUNT_POLLS);
        return "opened";
      }
      case "run" -> {
        long start = Long.parseLong(cmd[1]);
        long end = start + Long.parseLong(cmd[2]) + Long.parseLong(cmd[3]);
        return "done " + run(start, end, Path.of(cmd[4]));
      }
      case "close" -> {
        closeLock();
        return "closed";
      }
      default -> throw new IllegalArgumentException("unknown command " + cmd[0]);
    }
  }

  private int run(long start, long end, Path file) throws InterruptedException, IOException {
    if (lock == null) {
      throw new IllegalStateException("run before open");
    }
    long[] called = new long[1 << 14];
    long[] acquired = new long[1 << 14];
    long[] released = new long[1 << 14];
    long[] polls = new long[1 << 14];
    int n = 0;
    for (long wait = start - System.nanoTime(); wait > 0; wait = start - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
    // The untimed lock() an application writes. Every worker stops locking at the end, so whoever
    // still waits then gets the lock soon after and stops too.
    for (long c = System.nanoTime(); c - end < 0; c = System.nanoTime()) {
      long p0 = lock.polls();
      lock.lock(0, LockContender.FOREVER);
      long a = System.nanoTime();
      long r = System.nanoTime();
      lock.unlock(0);
      if (n == acquired.length) {
        called = Arrays.copyOf(called, n * 2);
        acquired = Arrays.copyOf(acquired, n * 2);
        released = Arrays.copyOf(released, n * 2);
        polls = Arrays.copyOf(polls, n * 2);
      }
      called[n] = c;
      acquired[n] = a;
      released[n] = r;
      // (memlock's count arrives through its listener thread, a little late: the sum is exact.)
      polls[n] = p0 < 0 ? -1 : lock.polls() - p0;
      n++;
    }
    StringBuilder out = new StringBuilder(n * 48);
    for (int i = 0; i < n; i++) {
      out.append(called[i]).append(' ').append(acquired[i]).append(' ').append(released[i]);
      out.append(' ').append(polls[i]).append('\n');
    }
    Files.writeString(file, out);
    return n;
  }

  private void closeLock() {
    if (lock != null) {
      LockContender l = lock;
      lock = null;
      l.close();
    }
  }
}
