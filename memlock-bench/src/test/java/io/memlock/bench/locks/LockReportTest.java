package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The markdown tables; no benchmark runs. */
class LockReportTest {
  @Test
  void rendersOneTablePerScenarioWithRatios() {
    String md = LockReport.render(ResultsFixture.sample());

    assertThat(md)
        .contains("- cpu: Test CPU, 2 cores")
        .contains("| memlock | 240 | 600 | 260 | 2.00 |")
        .contains("| raw limit | 120 | 400 | – | 1.00 |")
        .contains("| Redisson RLock | 500 | – | – | 4.17 |")
        .contains(
            "| contender | 1 thread | 16 threads | 64 threads |"
                + " bytes allocated per lock + unlock (1 thread) |")
        .contains("| memlock | 3,000 | 48,000 | 192,000 | 1,234 |")
        .contains("| memlock, quorum of 3 | 2,000 | 24,000 | – | – |")
        .contains("| *memlock ÷ raw limit* | 0.50 | 0.50 | 0.50 | |")
        .contains("| *memlock ÷ ShedLock-style* | 1.50 | 1.50 | 1.50 | |")
        .contains("| *memlock ÷ Redisson RLock* | 3.00 | 3.00 | 3.00 | |")
        .contains("#### 3. One hot name, 16 threads in one JVM")
        .contains("| memlock | 90,000 | 60.00 |")
        .contains(
            "| memlock | 4 | 600 | – | – | 2,500 | – | – | – | 12,000 | 0.90 | – |"
                + " 100 / 101 / 102 / 103 |")
        .contains("| memlock | 6 | 10,000 | – | 5,000 | – | 12.5 | – | – |")
        .contains("| 2 | uncontended lock + unlock, 1 thread: memlock p50 ≤ 1.2 × raw limit p50 |")
        .contains("| **not met** |")
        .contains(
            "| 4 | one hot name, 16 threads in one JVM: memlock ≥ 50 × Redisson RLock |"
                + " 60.0 × (90,000 / 1,500 ops/s) | met |")
        .contains(
            "| 6 | quorum of 3 (replicas(3)): uncontended p50 ≤ 1.3 × single-server memlock's |");
    assertThat(md.indexOf("#### 1.")).isLessThan(md.indexOf("#### 2."));
    assertThat(md.indexOf("#### 4.")).isLessThan(md.indexOf("#### 5."));
    assertThat(md).doesNotContain("mutual exclusion broken");
  }

  @Test
  void flagsOverlappingHoldings() {
    Results r = new Results();
    r.add(Measurement.of(4, Contenders.RAW, 2, LockReport.ACQ_PER_S, 100, "1/s"));
    r.add(Measurement.of(4, Contenders.RAW, 2, LockReport.OVERLAPS, 3, "1"));
    assertThat(LockReport.render(r)).contains("3 overlapping holdings: mutual exclusion broken");
  }

  @Test
  void leavesOutScenariosThatDidNotRun() {
    Results r = new Results();
    r.add(Measurement.of(3, Contenders.MEMLOCK, 16, Measurement.OPS, 5, "1/s"));
    String md = LockReport.render(r);
    assertThat(md).contains("#### 3.").doesNotContain("#### 1.").doesNotContain("#### 2.");
    assertThat(md).contains("#### Goals");
  }

  @Test
  void formatsMissingValuesAndRatiosAsDashes() {
    assertThat(LockReport.num(OptionalDouble.empty(), "%.1f")).isEqualTo("–");
    assertThat(LockReport.num(OptionalDouble.of(Double.NaN), "%.1f")).isEqualTo("–");
    assertThat(LockReport.num(OptionalDouble.of(1234.5), "%,.0f")).isEqualTo("1,235");
    assertThat(LockReport.ratio(OptionalDouble.of(3), OptionalDouble.of(0))).isEqualTo("–");
    assertThat(LockReport.ratio(OptionalDouble.of(3), OptionalDouble.of(4))).isEqualTo("0.75");
  }
}
