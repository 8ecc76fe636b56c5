package io.memlock.bench.locks;

/** A run's results as the tests need them, without running anything. */
final class ResultsFixture {
  private ResultsFixture() {}

  /** memlock misses goals 1 to 3, meets 4 and 5; the quorum contender meets goal 6 (1.25 ×). */
  static Results sample() {
    Results r = new Results();
    r.describe("cpu", "Test CPU, 2 cores");
    r.add(Measurement.of(1, Contenders.MEMLOCK, 1, Measurement.P50, 240, "µs"));
    r.add(Measurement.of(1, Contenders.MEMLOCK, 1, Measurement.P99, 600, "µs"));
    r.add(Measurement.of(1, Contenders.MEMLOCK, 1, "mean_us", 260, "µs"));
    r.add(Measurement.of(1, Contenders.RAW, 1, Measurement.P50, 120, "µs"));
    r.add(Measurement.of(1, Contenders.RAW, 1, Measurement.P99, 400, "µs"));
    r.add(Measurement.of(1, Contenders.REDISSON, 1, Measurement.P50, 500, "µs"));
    r.add(Measurement.of(1, Contenders.MEMLOCK_QUORUM, 1, Measurement.P50, 300, "µs"));
    for (int t : new int[] {1, 16, 64}) {
      r.add(new Measurement(2, Contenders.MEMLOCK, t, Measurement.OPS, 3000.0 * t, 10, "1/s"));
      r.add(Measurement.of(2, Contenders.RAW, t, Measurement.OPS, 6000.0 * t, "1/s"));
      r.add(Measurement.of(2, Contenders.REDISSON, t, Measurement.OPS, 1000.0 * t, "1/s"));
      r.add(Measurement.of(2, Contenders.SHEDLOCK, t, Measurement.OPS, 2000.0 * t, "1/s"));
    }
    r.add(Measurement.of(2, Contenders.MEMLOCK, 1, Goals.ALLOC, 1234, "B/op"));
    r.add(Measurement.of(2, Contenders.MEMLOCK_QUORUM, 1, Measurement.OPS, 2000, "1/s"));
    r.add(Measurement.of(2, Contenders.MEMLOCK_QUORUM, 16, Measurement.OPS, 24_000, "1/s"));
    r.add(Measurement.of(3, Contenders.MEMLOCK, 16, Measurement.OPS, 90_000, "1/s"));
    r.add(Measurement.of(3, Contenders.REDISSON, 16, Measurement.OPS, 1_500, "1/s"));
    for (int p : new int[] {2, 4}) {
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.ACQ_PER_S, 600, "1/s"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, Goals.CROSS_P50, p == 2 ? 1500 : 2500, "µs"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.JAIN, 0.9, "1"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.WAIT_P99, 12_000, "µs"));
      for (int i = 0; i < p; i++) {
        r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.PER_PROCESS + i, 100 + i, "1"));
      }
    }
    r.add(Measurement.of(5, Contenders.MEMLOCK, 6, LockReport.HELD, 10_000, "locks"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 6, LockReport.RENEWALS, 5_000, "1/s"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 6, LockReport.CLIENT_CPU, 12.5, "%"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.HELD, 100_000, "locks"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.LOST, 0, "locks"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.SERVER_CMDS, 10_000, "1/s"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.CLIENT_CPU, 4.5, "%"));
    return r;
  }
}
