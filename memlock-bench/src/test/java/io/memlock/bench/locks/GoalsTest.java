package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The goal verdicts and ratios; no benchmark runs. */
class GoalsTest {
  @Test
  void judgesEachGoalWithItsRatios() {
    List<Goals.Verdict> v = Goals.judge(ResultsFixture.sample());

    assertThat(v).extracting(Goals.Verdict::number).containsExactly(1, 2, 3, 4, 5, 6);
    // Goal 1: 0.50 × raw misses it, though 4 threads were not measured.
    assertThat(v.get(0).met()).isFalse();
    assertThat(v.get(0).measured())
        .startsWith(
            "0.50 × raw at 16 threads; 0.50 × raw at 64 threads; 1.50 × ShedLock-style at 1")
        .contains("÷ ShedLock-style at 4 threads: not measured")
        .endsWith("memlock allocates 1,234 B per lock + unlock");
    assertThat(v.get(1).met()).isFalse();
    assertThat(v.get(1).measured()).isEqualTo("2.00 × (240 / 120 µs); p99 1.50 ×");
    assertThat(v.get(2).met()).isFalse();
    assertThat(v.get(2).measured())
        .startsWith("2: wait p99 12.0 ms, Jain 0.90, cross p50 1.50 ms")
        .contains("3 processes: not measured");
    assertThat(v.get(3).met()).isTrue();
    assertThat(v.get(3).measured()).isEqualTo("60.0 × (90,000 / 1,500 ops/s)");
    assertThat(v.get(4).met()).isTrue();
    assertThat(v.get(4).measured())
        .isEqualTo(
            "100,000 held, 0 lost, client CPU 4.5 %, 10,000 commands/s = 1.00 per lock per"
                + " interval");
    assertThat(v.get(5).met()).isTrue();
    assertThat(v.get(5).measured())
        .isEqualTo(
            "1.25 × (300 / 240 µs); distinct names at 1 thread: 2,000/s, 0.67 × memlock, 2.0 ×"
                + " Redisson; distinct names at 16 threads: 24,000/s, 0.50 × memlock, 1.5 ×"
                + " Redisson");
  }

  @Test
  void aGoalWhosePartsAllPassButOneIsMissingIsNotMeasured() {
    Results r = new Results();
    r.add(Measurement.of(2, Contenders.MEMLOCK, 16, Measurement.OPS, 100, "1/s"));
    r.add(Measurement.of(2, Contenders.RAW, 16, Measurement.OPS, 100, "1/s"));
    Goals.Verdict v = Goals.judge(r).get(0);
    assertThat(v.met()).isNull();
    assertThat(v.measured())
        .startsWith("1.00 × raw at 16 threads; ÷ raw at 64 threads: not measured")
        .contains("÷ ShedLock-style at 1 thread: not measured");
  }

  @Test
  void theLatencyGoalAllowsExactlyOnePointTwoTimes() {
    Results r = new Results();
    r.add(Measurement.of(1, Contenders.MEMLOCK, 1, Measurement.P50, 120, "µs"));
    r.add(Measurement.of(1, Contenders.RAW, 1, Measurement.P50, 100, "µs"));
    assertThat(Goals.judge(r).get(1).met()).isTrue();
  }

  @Test
  void theDistinctNamesGoalNeedsRawAndShedLockAtEveryThreadCount() {
    Results r = new Results();
    for (int t : new int[] {1, 4, 16, 64}) {
      r.add(Measurement.of(2, Contenders.MEMLOCK, t, Measurement.OPS, 100, "1/s"));
      r.add(Measurement.of(2, Contenders.SHEDLOCK, t, Measurement.OPS, t == 4 ? 101 : 90, "1/s"));
      r.add(Measurement.of(2, Contenders.RAW, t, Measurement.OPS, 125, "1/s"));
    }
    Goals.Verdict v = Goals.judge(r).get(0);
    assertThat(v.met()).isFalse();
    assertThat(v.measured()).contains("0.80 × raw at 16 threads", "0.99 × ShedLock-style at 4");
  }

  @Test
  void aMissingCrossProcessHandOffMissesTheHandOffGoal() {
    Results r = new Results();
    for (int p : new int[] {2, 3, 4}) {
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, Goals.CROSS_P50, Double.NaN, "µs"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.WAIT_P99, 5000, "µs"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.JAIN, 0.99, "1"));
    }
    Goals.Verdict v = Goals.judge(r).get(2);
    assertThat(v.met()).isFalse();
    assertThat(v.measured()).contains("cross p50 no hand-off to another process");
  }

  @Test
  void pollsAboveTheReferenceMissTheHandOffGoal() {
    Results r = new Results();
    for (int p : new int[] {2, 3, 4}) {
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, Goals.CROSS_P50, 500, "µs"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.WAIT_P99, 5000, "µs"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, LockReport.JAIN, 0.99, "1"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, Goals.POLLS_PER_S, p == 4 ? 90 : 40, "1/s"));
      r.add(Measurement.of(4, Contenders.MEMLOCK, p, Goals.POLLS_REFERENCE, 60, "1/s"));
    }
    Goals.Verdict v = Goals.judge(r).get(2);
    assertThat(v.met()).isFalse();
    assertThat(v.measured())
        .contains(
            "4: wait p99 5.0 ms, Jain 0.99, cross p50 0.50 ms, 90 polls/s (today's default 60)");
  }

  @Test
  void aLostLockOrTooMuchCpuMissesTheRenewalGoal() {
    Results r = new Results();
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.HELD, 99_999, "locks"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.LOST, 1, "locks"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.SERVER_CMDS, 10_000, "1/s"));
    r.add(Measurement.of(5, Contenders.MEMLOCK, 30, LockReport.CLIENT_CPU, 1, "%"));
    assertThat(Goals.judge(r).get(4).met()).isFalse();
  }

  @Test
  void unmeasuredGoalsSaySo() {
    List<Goals.Verdict> v = Goals.judge(new Results());
    assertThat(v).allSatisfy(g -> assertThat(g.met()).isNull());
    assertThat(v).allSatisfy(g -> assertThat(g.word()).isEqualTo("not measured"));
  }
}
