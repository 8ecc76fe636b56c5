package io.memlock.bench.locks;

/**
 * One measured number of the lock comparison.
 *
 * @param scenario 1 to 5, as in docs/BENCHMARKS.md
 * @param contender a contender id ({@link Contenders})
 * @param n what the scenario varies: benchmark threads (scenarios 1 to 3), processes (4) or the
 *     lease in seconds (5)
 * @param metric what was measured, e.g. {@code ops_per_s} or {@code p50_us}
 * @param value the number
 * @param error JMH's 99.9% confidence half-width, or NaN when there is none
 * @param unit the unit of {@code value}
 */
public record Measurement(
    int scenario, String contender, int n, String metric, double value, double error, String unit) {
  /** Throughput: lock + unlock pairs per second. */
  public static final String OPS = "ops_per_s";

  /** Median latency of lock + unlock, or of a hand-off, in microseconds. */
  public static final String P50 = "p50_us";

  /** 99th percentile latency in microseconds. */
  public static final String P99 = "p99_us";

  /** Checks the fields. */
  public Measurement {
    if (scenario < 1 || scenario > 5) {
      throw new IllegalArgumentException("scenario must be 1 to 5, not " + scenario);
    }
    if (contender == null || contender.isBlank() || metric == null || metric.isBlank()) {
      throw new IllegalArgumentException("contender and metric must not be empty");
    }
  }

  /**
   * Makes a measurement without an error estimate.
   *
   * @param scenario 1 to 5
   * @param contender the contender id
   * @param n threads, processes or lease seconds
   * @param metric the metric
   * @param value the number
   * @param unit its unit
   * @return the measurement
   */
  public static Measurement of(
      int scenario, String contender, int n, String metric, double value, String unit) {
    return new Measurement(scenario, contender, n, metric, value, Double.NaN, unit);
  }
}
