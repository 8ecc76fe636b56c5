package io.memlock.bench.locks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 4: one hot name, locked and unlocked in a loop by one thread in each of 2 to 4 worker
 * processes ({@link HandoffWorker}); hand-off latency and fairness from the holdings they record
 * ({@link HandoffAnalysis}). The workers are started once and kept for every contender and process
 * count; a round with fewer processes leaves the others idle.
 */
final class HandoffScenario {
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);
  private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  private final Servers servers;
  private final Path dir;
  private final long warmNanos;
  private final long measureNanos;

  /**
   * Prepares the scenario.
   *
   * @param servers where memcached and Redis listen
   * @param dir where the workers write their holdings and logs
   * @param warm each round's warm-up, not counted
   * @param measure each round's measurement window
   */
  HandoffScenario(Servers servers, Path dir, Duration warm, Duration measure) {
    this.servers = servers;
    this.dir = dir;
    this.warmNanos = warm.toNanos();
    this.measureNanos = measure.toNanos();
  }

  /**
   * Runs every contender at every process count.
   *
   * @param contenders contender ids
   * @param processCounts e.g. 2, 3, 4
   * @param results where to add the measurements
   * @throws IOException if a holdings file cannot be read
   */
  void run(List<String> contenders, List<Integer> processCounts, Results results)
      throws IOException {
    Files.createDirectories(dir);
    int max = processCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
    List<ChildProcess> workers = new ArrayList<>();
    try {
      for (int i = 0; i < max; i++) {
        workers.add(
            ChildProcess.start(
                "handoff-worker-" + i,
                HandoffWorker.class,
                dir,
                servers.memcached(),
                servers.redis() == null ? "" : servers.redis()));
      }
      for (String c : contenders) {
        try {
          runContender(c, workers, processCounts, results);
        } catch (RuntimeException e) {
          System.out.println("# scenario 4, " + c + ": FAILED: " + e.getMessage());
        }
      }
    } finally {
      for (ChildProcess w : workers) {
        w.close();
      }
    }
  }

  private void runContender(
      String c, List<ChildProcess> workers, List<Integer> processCounts, Results results)
      throws IOException {
    for (ChildProcess w : workers) {
      w.send("open " + c);
    }
    for (ChildProcess w : workers) {
      w.await("opened", OPEN_TIMEOUT);
    }
    try {
      for (int p : processCounts) {
        round(c, workers.subList(0, p), results);
      }
    } finally {
      for (ChildProcess w : workers) {
        w.send("close");
      }
      for (ChildProcess w : workers) {
        w.await("closed", OPEN_TIMEOUT);
      }
    }
  }

  private void round(String c, List<ChildProcess> active, Results results) throws IOException {
    int p = active.size();
    long start = System.nanoTime() + START_DELAY_NANOS;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < p; i++) {
      Path f = dir.resolve("holdings-" + c + "-p" + p + "-" + i + ".txt");
      files.add(f);
      active
          .get(i)
          .send("run " + start + " " + warmNanos + " " + measureNanos + " " + f.toAbsolutePath());
    }
    Duration timeout =
        Duration.ofNanos(START_DELAY_NANOS + warmNanos + measureNanos).plusSeconds(60);
    for (ChildProcess w : active) {
      w.await("done", timeout);
    }
    List<HandoffAnalysis.Holding> holdings = new ArrayList<>();
    for (int i = 0; i < p; i++) {
      for (String line : Files.readAllLines(files.get(i))) {
        String[] parts = line.split(" ");
        holdings.add(
            new HandoffAnalysis.Holding(
                i,
                Long.parseLong(parts[0]),
                Long.parseLong(parts[1]),
                Long.parseLong(parts[2]),
                parts.length > 3 ? Long.parseLong(parts[3]) : -1));
      }
      Files.deleteIfExists(files.get(i));
    }
    long from = start + warmNanos;
    HandoffAnalysis.Summary s = HandoffAnalysis.summarise(p, holdings, from, from + measureNanos);
    results.add(Measurement.of(4, c, p, LockReport.ACQ_PER_S, s.perSecond(), "1/s"));
    results.add(Measurement.of(4, c, p, LockReport.HANDOFF_P50, s.handoffP50Micros(), "µs"));
    results.add(Measurement.of(4, c, p, LockReport.HANDOFF_P99, s.handoffP99Micros(), "µs"));
    results.add(Measurement.of(4, c, p, Goals.CROSS_P50, s.crossP50Micros(), "µs"));
    results.add(Measurement.of(4, c, p, LockReport.CROSS_P99, s.crossP99Micros(), "µs"));
    results.add(Measurement.of(4, c, p, LockReport.CROSS_SHARE, s.crossFraction(), "1"));
    results.add(Measurement.of(4, c, p, LockReport.WAIT_P50, s.waitP50Micros(), "µs"));
    results.add(Measurement.of(4, c, p, LockReport.WAIT_P99, s.waitP99Micros(), "µs"));
    results.add(Measurement.of(4, c, p, LockReport.JAIN, s.jain(), "1"));
    if (!Double.isNaN(s.pollsPerWaitSecond())) {
      results.add(Measurement.of(4, c, p, LockReport.POLLS, s.pollsPerWaitSecond(), "1/s"));
    }
    results.add(Measurement.of(4, c, p, LockReport.OVERLAPS, s.overlaps(), "1"));
    for (int i = 0; i < p; i++) {
      results.add(Measurement.of(4, c, p, LockReport.PER_PROCESS + i, s.perProcess()[i], "1"));
    }
    System.out.printf(
        Locale.ROOT,
        "# scenario 4, %-18s %d processes: %,8.0f acquisitions/s, hand-off p50 %,8.0f µs"
            + " (to another process: p50 %,8.0f µs, share %.2f), wait p99 %,8.0f µs, Jain %.2f,"
            + " polls %,.0f/s per waiter%s%n",
        c,
        p,
        s.perSecond(),
        s.handoffP50Micros(),
        s.crossP50Micros(),
        s.crossFraction(),
        s.waitP99Micros(),
        s.jain(),
        s.pollsPerWaitSecond(),
        s.overlaps() > 0 ? ", " + s.overlaps() + " OVERLAPS" : "");
  }
}
