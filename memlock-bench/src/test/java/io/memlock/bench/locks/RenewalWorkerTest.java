package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Parsing of Redis's commandstats and of the worker's result line; nothing starts. */
class RenewalWorkerTest {
  @Test
  void readsCallsFromACommandstatsValue() {
    assertThat(
            RenewalWorker.calls(
                "calls=1234,usec=5678,usec_per_call=4.60,rejected_calls=0,failed_calls=0"))
        .isEqualTo(1234);
    assertThat(RenewalWorker.calls("usec=5")).isZero();
    assertThat(RenewalWorker.calls("")).isZero();
  }

  @Test
  void parsesTheResultLine() {
    assertThat(RenewalWorker.parse(" held=10000 lost=0 renewals=20000 windowNanos=20000000000"))
        .containsEntry("held", 10_000L)
        .containsEntry("lost", 0L)
        .containsEntry("renewals", 20_000L)
        .containsEntry("windowNanos", 20_000_000_000L)
        .hasSize(4);
  }

  @Test
  void settlesForTwoRenewalIntervalsBetweenOneAndAHalfAndFiveSeconds() {
    assertThat(RenewalWorker.settleMillis(Duration.ofSeconds(6))).isEqualTo(4000);
    assertThat(RenewalWorker.settleMillis(Duration.ofSeconds(2))).isEqualTo(1500);
    assertThat(RenewalWorker.settleMillis(Duration.ofSeconds(30))).isEqualTo(5000);
  }
}
