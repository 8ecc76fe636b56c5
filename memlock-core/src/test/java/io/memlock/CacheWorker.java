package io.memlock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process reading one stampede-safe cache with many threads, for the multi-process tests.
 * It prints {@code ready}, waits for a line on stdin, and runs. Every loader call appends a line to
 * {@code <loadLog>} (one small append: atomic between processes) and then works for a while.
 *
 * <p>{@code miss <servers> <rounds> <threads> <loadLog>}: for each round, all threads read the key
 * {@code miss-<round>} (missing at first); prints {@code round <r> <value>}, or {@code MISMATCH} if
 * the threads got different values. Loader lines: {@code <round> <pid>}.
 *
 * <p>{@code hot <servers> <threads> <millis> <loadLog>}: all threads read one key with a 2 s TTL
 * for that long; prints {@code reads <n> until <epochMillis>}. Loader lines: {@code <epochMillis>
 * <pid>}.
 */
public final class CacheWorker {
  private static final long PID = ProcessHandle.current().pid();

  private CacheWorker() {}

  public static void main(String[] args) throws Exception {
    try (MemLock memlock = MemLock.builder().servers(args[1]).build()) {
      RefreshingCache cache = memlock.cache("procs");
      switch (args[0]) {
        case "miss" ->
            miss(cache, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
        case "hot" ->
            hot(
                cache,
                args[1],
                Integer.parseInt(args[2]),
                Long.parseLong(args[3]),
                Path.of(args[4]));
        default -> throw new IllegalArgumentException(args[0]);
      }
    }
  }

  private static void log(Path file, String line) throws Exception {
    Files.writeString(
        file,
        line + "\n",
        StandardCharsets.US_ASCII,
        StandardOpenOption.APPEND,
        StandardOpenOption.CREATE);
  }

  private static void work(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static void miss(RefreshingCache cache, int rounds, int threads, Path loadLog)
      throws Exception {
    StartSignal.awaitInChild();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int r = 0; r < rounds; r++) {
      int round = r;
      Callable<String> loader =
          () -> {
            log(loadLog, round + " " + PID);
            work(Duration.ofMillis(200));
            return round + ":" + PID;
          };
      List<Future<String>> values = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        values.add(
            pool.submit(() -> cache.getString("miss-" + round, Duration.ofMinutes(1), loader)));
      }
      Set<String> distinct = new HashSet<>();
      for (Future<String> f : values) {
        distinct.add(f.get(60, TimeUnit.SECONDS));
      }
      System.out.println(
          distinct.size() == 1 ? "round " + round + " " + distinct.iterator().next() : "MISMATCH");
    }
    pool.shutdown();
  }

  private static void hot(
      RefreshingCache cache, String server, int threads, long millis, Path loadLog)
      throws Exception {
    StartSignal.awaitInChild();
    Callable<String> loader =
        () -> {
          long now = System.currentTimeMillis();
          // What this load replaces: the expired value, still in memcached until the store.
          String reply = RawMemcached.meta(server, "mg memlock:cache:procs:hot v");
          int nl = reply.indexOf('\n');
          String expired = nl < 0 || nl == reply.length() - 1 ? "-" : reply.substring(nl + 1);
          log(loadLog, now + " " + PID + " " + expired);
          work(Duration.ofMillis(50));
          return PID + ":" + now;
        };
    long end = System.nanoTime() + millis * 1_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> counts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      counts.add(
          pool.submit(
              () -> {
                int reads = 0;
                while (System.nanoTime() - end < 0) {
                  cache.getString("hot", Duration.ofSeconds(2), loader);
                  reads++;
                  LockSupport.parkNanos(1_000_000); // pacing, so that three JVMs share two cores
                }
                return reads;
              }));
    }
    int reads = 0;
    for (Future<Integer> f : counts) {
      reads += f.get();
    }
    pool.shutdown();
    System.out.println("reads " + reads + " until " + System.currentTimeMillis());
  }
}
