package io.memlock.bench.locks;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scenarios 1 to 3 with JMH ({@link LockBenchmark}), one JMH run per contender and thread count so
 * that each prints its result as it ends and a failing contender does not stop the others. JMH's
 * own output goes to a log file per trial.
 */
final class JmhScenarios {
  /** Scenario 2's thread counts of the quorum contender (goal 6 asks for 1 and 16). */
  static final List<Integer> QUORUM_THREADS = List.of(1, 16);

  private final RunOptions options;
  private final Servers servers;
  private final Path logs;

  JmhScenarios(RunOptions options, Servers servers, Path logs) {
    this.options = options;
    this.servers = servers;
    this.logs = logs;
  }

  /**
   * Scenario 1: uncontended lock + unlock at one thread, sample time: p50, p99, mean.
   *
   * @param results where to add the measurements
   */
  void latency(Results results) {
    for (String c : options.contenders(1)) {
      RunResult r = trial(1, c, "distinctNames", Mode.SampleTime, 1);
      if (r == null) {
        continue;
      }
      Result<?> p = r.getPrimaryResult();
      double p50 = p.getStatistics().getPercentile(50);
      double p99 = p.getStatistics().getPercentile(99);
      results.add(Measurement.of(1, c, 1, Measurement.P50, p50, "µs"));
      results.add(Measurement.of(1, c, 1, Measurement.P99, p99, "µs"));
      results.add(Measurement.of(1, c, 1, "mean_us", p.getScore(), "µs"));
      allocation(1, c, 1, r, results);
      System.out.printf(
          Locale.ROOT,
          "# scenario 1, %-18s p50 %,8.1f µs, p99 %,8.1f µs, mean %,8.1f µs%n",
          c,
          p50,
          p99,
          p.getScore());
    }
  }

  /**
   * Scenario 2: throughput over distinct names at each thread count.
   *
   * @param results where to add the measurements
   */
  void distinctNames(Results results) {
    for (int t : options.threads()) {
      for (String c : options.contenders(2)) {
        if (Contenders.needsQuorum(c) && !QUORUM_THREADS.contains(t)) {
          continue;
        }
        throughput(2, c, "distinctNames", t, results);
      }
    }
  }

  /**
   * Scenario 3: throughput on one hot name.
   *
   * @param results where to add the measurements
   */
  void hotName(Results results) {
    for (String c : options.contenders(3)) {
      throughput(3, c, "hotName", options.hotThreads(), results);
    }
  }

  private void throughput(int scenario, String c, String method, int threads, Results results) {
    RunResult r = trial(scenario, c, method, Mode.Throughput, threads);
    if (r == null) {
      return;
    }
    Result<?> p = r.getPrimaryResult();
    // Scores are in operations per µs.
    double ops = p.getScore() * 1e6;
    double error = Double.isNaN(p.getScoreError()) ? Double.NaN : p.getScoreError() * 1e6;
    results.add(new Measurement(scenario, c, threads, Measurement.OPS, ops, error, "1/s"));
    allocation(scenario, c, threads, r, results);
    System.out.printf(
        Locale.ROOT,
        "# scenario %d, %-18s %2d threads: %,10.0f lock+unlock/s%s%n",
        scenario,
        c,
        threads,
        ops,
        Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %,.0f", error));
  }

  /**
   * Adds the bytes the trial allocated per lock + unlock (JMH's GC profiler, {@code
   * gc.alloc.rate.norm}, over all threads of the benchmark's JVM: the client's I/O threads
   * included).
   */
  private static void allocation(
      int scenario, String c, int threads, RunResult r, Results results) {
    Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
    if (norm != null && !Double.isNaN(norm.getScore())) {
      results.add(Measurement.of(scenario, c, threads, Goals.ALLOC, norm.getScore(), "B"));
    }
  }

  private RunResult trial(int scenario, String c, String method, Mode mode, int threads) {
    Path log = logs.resolve("jmh-s" + scenario + "-" + c + "-t" + threads + ".log");
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include("\\." + LockBenchmark.class.getSimpleName() + "\\." + method + "$")
            .param("contender", c)
            .param("memcached", servers.memcached())
            .param("redis", servers.redis() == null ? "" : servers.redis())
            .param("quorum", servers.quorum() == null ? "" : servers.quorum())
            .mode(mode)
            .timeUnit(TimeUnit.MICROSECONDS)
            .threads(threads)
            .forks(options.forks())
            .warmupIterations(options.warmups())
            .warmupTime(TimeValue.milliseconds(options.warmup().toMillis()))
            .measurementIterations(options.iterations())
            .measurementTime(TimeValue.milliseconds(options.iteration().toMillis()))
            // Allocation per operation; it reads counters between iterations, not during them.
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .output(log.toString());
    try {
      Collection<RunResult> rs = new Runner(o.build()).run();
      if (rs.isEmpty()) {
        throw new RunnerException("no benchmark matched " + method);
      }
      return rs.iterator().next();
    } catch (RunnerException | RuntimeException e) {
      System.out.println(
          "# scenario "
              + scenario
              + ", "
              + c
              + ", "
              + threads
              + " threads: FAILED (see "
              + log
              + "): "
              + e.getMessage());
      return null;
    }
  }

  /**
   * The scenarios this class runs.
   *
   * @return 1, 2 and 3
   */
  static List<Integer> scenarios() {
    return List.of(1, 2, 3);
  }
}
