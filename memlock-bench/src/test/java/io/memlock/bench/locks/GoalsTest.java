package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The goal verdicts and ratios; no benchmark runs. */
class GoalsTest {
  @Test
  void judgesEachGoalWithItsRatio() {
    List<Goals.Verdict> v = Goals.judge(ResultsFixture.sample());

    assertThat(v).extracting(Goals.Verdict::number).containsExactly(1, 2, 3, 4);
    assertThat(v.get(0).met()).isFalse();
    assertThat(v.get(0).measured()).isEqualTo("2.00 × (240 / 120 µs); p99 1.50 ×");
    assertThat(v.get(1).met()).isTrue();
    assertThat(v.get(1).measured()).isEqualTo("3.00 × at 16 threads, 3.00 × at 64 threads");
    assertThat(v.get(2).met()).isTrue();
    assertThat(v.get(2).measured()).isEqualTo("40.0 × (60,000 / 1,500 ops/s)");
    assertThat(v.get(3).met()).isFalse();
    assertThat(v.get(3).measured()).isEqualTo("1.50 ms with 2 processes, 2.50 ms with 4 processes");
    assertThat(v.get(3).word()).isEqualTo("NOT met");
  }

  @Test
  void theLatencyGoalAllowsExactlyOnePointTwoTimes() {
    Results r = new Results();
    r.add(Measurement.of(1, Contenders.MEMLOCK, 1, Measurement.P50, 120, "µs"));
    r.add(Measurement.of(1, Contenders.RAW, 1, Measurement.P50, 100, "µs"));
    assertThat(Goals.judge(r).get(0).met()).isTrue();
  }

  @Test
  void theThroughputGoalNeedsEveryThreadCountFromSixteenUp() {
    Results r = new Results();
    r.add(Measurement.of(2, Contenders.MEMLOCK, 4, Measurement.OPS, 100, "1/s"));
    r.add(Measurement.of(2, Contenders.REDISSON, 4, Measurement.OPS, 100, "1/s"));
    r.add(Measurement.of(2, Contenders.MEMLOCK, 16, Measurement.OPS, 300, "1/s"));
    r.add(Measurement.of(2, Contenders.REDISSON, 16, Measurement.OPS, 100, "1/s"));
    r.add(Measurement.of(2, Contenders.MEMLOCK, 64, Measurement.OPS, 150, "1/s"));
    r.add(Measurement.of(2, Contenders.REDISSON, 64, Measurement.OPS, 100, "1/s"));
    Goals.Verdict v = Goals.judge(r).get(1);
    assertThat(v.met()).isFalse();
    assertThat(v.measured()).isEqualTo("3.00 × at 16 threads, 1.50 × at 64 threads");
  }

  @Test
  void noCrossProcessHandOffMissesTheHandOffGoal() {
    Results r = new Results();
    r.add(Measurement.of(4, Contenders.MEMLOCK, 2, Goals.CROSS_P50, Double.NaN, "µs"));
    Goals.Verdict v = Goals.judge(r).get(3);
    assertThat(v.met()).isFalse();
    assertThat(v.measured()).isEqualTo("no hand-off to another process with 2 processes");
  }

  @Test
  void unmeasuredGoalsSaySo() {
    List<Goals.Verdict> v = Goals.judge(new Results());
    assertThat(v).allSatisfy(g -> assertThat(g.met()).isNull());
    assertThat(v).allSatisfy(g -> assertThat(g.word()).isEqualTo("not measured"));
  }
}
