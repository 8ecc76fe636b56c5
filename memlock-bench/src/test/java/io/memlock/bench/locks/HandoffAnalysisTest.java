package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.memlock.bench.locks.HandoffAnalysis.Holding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-off gaps, waits and fairness from recorded holdings; pure arithmetic, no processes. */
class HandoffAnalysisTest {
  private static final long MS = 1_000_000;

  @Test
  void handOffIsFromThePreviousReleaseToTheNextAcquisitionAndCrossOnlyBetweenProcesses() {
    // p0 holds 0-1 ms; p1 acquires at 3 ms (2 ms after p0's release: cross), releases at 3.5 ms and
    // acquires again at 4 ms (0.5 ms: same process); p0 acquires at 10 ms (5.5 ms: cross).
    // Holdings are given out of order on purpose.
    List<Holding> h =
        List.of(
            new Holding(1, 3 * MS / 2, 3 * MS, 3 * MS + MS / 2),
            new Holding(0, 0, 0, MS),
            new Holding(0, 5 * MS, 10 * MS, 10 * MS),
            new Holding(1, 3 * MS + MS / 2, 4 * MS, 4 * MS + MS / 2));
    HandoffAnalysis.Summary s = HandoffAnalysis.summarise(2, h, 0, 20 * MS);

    assertThat(s.holdings()).isEqualTo(4);
    assertThat(s.perProcess()).containsExactly(2, 2);
    assertThat(s.overlaps()).isZero();
    // Gaps 0.5, 2 and 5.5 ms; cross 2 and 5.5 ms.
    assertThat(s.handoffP50Micros()).isEqualTo(2000.0);
    assertThat(s.handoffP99Micros()).isEqualTo(5500.0);
    assertThat(s.crossP50Micros()).isEqualTo(2000.0);
    assertThat(s.crossP99Micros()).isEqualTo(5500.0);
    assertThat(s.crossFraction()).isCloseTo(2.0 / 3, within(1e-9));
    // Waits: 0, 1.5, 0.5, 5 ms.
    assertThat(s.waitP50Micros()).isEqualTo(500.0);
    assertThat(s.waitP99Micros()).isEqualTo(5000.0);
    assertThat(s.jain()).isEqualTo(1.0);
    assertThat(s.perSecond()).isCloseTo(200.0, within(1e-9));
  }

  @Test
  void holdingsBeforeTheWindowOnlyServeAsPredecessors() {
    List<Holding> h =
        List.of(
            new Holding(0, 0, 0, MS), // warm-up
            new Holding(1, MS, 2 * MS, 2 * MS), // in the window: 1 ms after the warm-up holding
            new Holding(0, 2 * MS, 30 * MS, 30 * MS)); // after the window
    HandoffAnalysis.Summary s = HandoffAnalysis.summarise(2, h, 2 * MS, 10 * MS);

    assertThat(s.holdings()).isEqualTo(1);
    assertThat(s.perProcess()).containsExactly(0, 1);
    assertThat(s.handoffP50Micros()).isEqualTo(1000.0);
    assertThat(s.crossFraction()).isEqualTo(1.0);
  }

  @Test
  void anAcquisitionBeforeThePreviousReleaseIsAnOverlapNotAHandOff() {
    List<Holding> h = List.of(new Holding(0, 0, 0, 5 * MS), new Holding(1, 0, 3 * MS, 4 * MS));
    HandoffAnalysis.Summary s = HandoffAnalysis.summarise(2, h, 0, 10 * MS);

    assertThat(s.overlaps()).isEqualTo(1);
    assertThat(s.handoffP50Micros()).isNaN();
    assertThat(s.crossP50Micros()).isNaN();
  }

  @Test
  void onlyOneProcessEverHoldingMeansNoCrossHandOffAndLowestFairness() {
    List<Holding> h = List.of(new Holding(0, 0, 0, MS), new Holding(0, MS, 2 * MS, 3 * MS));
    HandoffAnalysis.Summary s = HandoffAnalysis.summarise(4, h, 0, 10 * MS);

    assertThat(s.crossP50Micros()).isNaN();
    assertThat(s.crossFraction()).isZero();
    assertThat(s.jain()).isEqualTo(0.25);
  }

  @Test
  void jainsIndexIsOneWhenEqualAndOneOverNWhenOneTakesAll() {
    assertThat(HandoffAnalysis.jain(new long[] {7, 7, 7})).isEqualTo(1.0);
    assertThat(HandoffAnalysis.jain(new long[] {10, 0})).isEqualTo(0.5);
    assertThat(HandoffAnalysis.jain(new long[] {3, 1})).isCloseTo(0.8, within(1e-9));
    assertThat(HandoffAnalysis.jain(new long[] {0, 0})).isNaN();
  }

  @Test
  void percentilesAreNearestRank() {
    List<Long> v = List.of(5000L, 1000L, 4000L, 2000L, 3000L);
    assertThat(HandoffAnalysis.percentileMicros(v, 50)).isEqualTo(3.0);
    assertThat(HandoffAnalysis.percentileMicros(v, 99)).isEqualTo(5.0);
    assertThat(HandoffAnalysis.percentileMicros(v, 0)).isEqualTo(1.0);
    assertThat(HandoffAnalysis.percentileMicros(List.of(), 50)).isNaN();
  }

  @Test
  void rejectsAnEmptyWindowAndUnknownProcesses() {
    assertThatThrownBy(() -> HandoffAnalysis.summarise(2, List.of(), 5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
    assertThatThrownBy(() -> HandoffAnalysis.summarise(2, List.of(new Holding(2, 0, 1, 2)), 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process index");
  }
}
