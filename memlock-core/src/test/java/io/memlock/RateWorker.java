package io.memlock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A child process hammering one rate limiter, for the multi-process tests. It prints {@code ready},
 * waits for a line on stdin, runs, and prints {@code admitted <n>}.
 *
 * <p>{@code frozen <servers> <name> <epochSecond> <permits> <threads>}: on a wall clock stopped at
 * the given instant (the same in every process), threads take permits until refused; with time
 * standing still the first refusal is final. {@code hammer <servers> <name> <permits> <perMillis>
 * <burst> <threads> <millis> <outFile>}: threads take permits for that long on the system clock,
 * waiting up to 50 ms for each, and write one line per admission to the file: the wall clock in
 * microseconds just before and just after the call that admitted it.
 */
public final class RateWorker {
  private RateWorker() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "frozen" -> frozen(args);
      case "hammer" -> hammer(args);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void frozen(String[] args) throws Exception {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(Long.parseLong(args[3])), ZoneOffset.UTC);
    long permits = Long.parseLong(args[4]);
    int threads = Integer.parseInt(args[5]);
    try (MemLock memlock = MemLock.builder().servers(args[1]).wallClock(clock).build()) {
      RateLimiter limiter = memlock.rateLimiter(args[2], permits, Duration.ofHours(1));
      StartSignal.awaitInChild();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<Integer>> counts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        counts.add(
            pool.submit(
                () -> {
                  int n = 0;
                  while (limiter.tryAcquire()) {
                    n++;
                  }
                  return n;
                }));
      }
      int total = 0;
      for (Future<Integer> f : counts) {
        total += f.get();
      }
      pool.shutdown();
      System.out.println("admitted " + total);
    }
  }

  private static void hammer(String[] args) throws Exception {
    long permits = Long.parseLong(args[3]);
    Duration per = Duration.ofMillis(Long.parseLong(args[4]));
    long burst = Long.parseLong(args[5]);
    int threads = Integer.parseInt(args[6]);
    long millis = Long.parseLong(args[7]);
    Path out = Path.of(args[8]);
    try (MemLock memlock = MemLock.builder().servers(args[1]).build()) {
      RateLimiter limiter = memlock.rateLimiter(args[2], permits, per, burst);
      StartSignal.awaitInChild();
      long end = System.nanoTime() + millis * 1_000_000L;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<String> lines = new ArrayList<>();
                  while (System.nanoTime() - end < 0) {
                    long before = micros();
                    if (limiter.tryAcquire(1, Duration.ofMillis(50))) {
                      lines.add(before + " " + micros());
                    }
                  }
                  return lines;
                }));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : results) {
        all.addAll(f.get());
      }
      pool.shutdown();
      Files.write(out, all);
      System.out.println("admitted " + all.size());
    }
  }

  private static long micros() {
    Instant now = Clock.systemUTC().instant();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
