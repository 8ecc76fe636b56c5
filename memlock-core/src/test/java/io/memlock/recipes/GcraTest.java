package io.memlock.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The GCRA arithmetic alone: no server, time given by hand in microseconds. */
class GcraTest {
  private static final long NOW = 1_700_000_000_000_000L;
  private static final long NONE = Long.MIN_VALUE;

  @Test
  void aFullBurstThenOnePermitPerInterval() {
    Gcra g = new Gcra(10, Duration.ofSeconds(1), 10);
    assertThat(g.windowMicros()).isEqualTo(1_000_000);
    long tat = NONE;
    for (int i = 1; i <= 10; i++) {
      Gcra.Decision d = g.decide(tat, NOW, 1);
      assertThat(d.admitted()).as("permit %d of the burst", i).isTrue();
      assertThat(d.newTat()).isEqualTo(NOW + i * 100_000L);
      tat = d.newTat();
    }
    Gcra.Decision refused = g.decide(tat, NOW, 1);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.newTat()).isEqualTo(tat);
    assertThat(refused.waitMicros()).isEqualTo(100_000);
    // One interval later exactly one more permit, not two.
    Gcra.Decision next = g.decide(tat, NOW + 100_000, 1);
    assertThat(next.admitted()).isTrue();
    assertThat(g.decide(next.newTat(), NOW + 100_000, 1).admitted()).isFalse();
    // After a quiet spell longer than the window, the burst is back, and no more.
    long later = NOW + 5_000_000;
    assertThat(g.decide(next.newTat(), later, 10).admitted()).isTrue();
    assertThat(g.decide(next.newTat(), later, 10).newTat()).isEqualTo(later + 1_000_000);
  }

  @Test
  void severalPermitsAtOnceAndTheWaitForThem() {
    Gcra g = new Gcra(4, Duration.ofSeconds(2), 4); // one permit per 500 ms
    Gcra.Decision three = g.decide(NONE, NOW, 3);
    assertThat(three.admitted()).isTrue();
    assertThat(three.newTat()).isEqualTo(NOW + 1_500_000);
    Gcra.Decision twoMore = g.decide(three.newTat(), NOW, 2);
    assertThat(twoMore.admitted()).isFalse();
    assertThat(twoMore.waitMicros()).isEqualTo(500_000); // one permit left, one to wait for
    assertThat(g.decide(three.newTat(), NOW + 499_999, 2).admitted()).isFalse();
    assertThat(g.decide(three.newTat(), NOW + 500_000, 2).admitted()).isTrue();
    assertThat(g.decide(three.newTat(), NOW, 1).admitted()).isTrue();
  }

  @Test
  void aBurstOfOneSpacesPermitsEvenly() {
    Gcra g = new Gcra(100, Duration.ofSeconds(1), 1);
    Gcra.Decision first = g.decide(NONE, NOW, 1);
    assertThat(first.admitted()).isTrue();
    assertThat(g.decide(first.newTat(), NOW + 9_999, 1).waitMicros()).isEqualTo(1);
    assertThat(g.decide(first.newTat(), NOW + 10_000, 1).admitted()).isTrue();
  }

  @Test
  void intervalsRoundUpSoThatRoundingNeverAdmitsMore() {
    Gcra g = new Gcra(3, Duration.ofSeconds(1), 3); // 333 333.3 µs each
    assertThat(g.intervalOf(1)).isEqualTo(333_334);
    assertThat(g.intervalOf(2)).isEqualTo(666_667);
    assertThat(g.intervalOf(3)).isEqualTo(1_000_000);
    assertThat(g.windowMicros()).isEqualTo(1_000_000);
    // Over 10 s of steady demand, exactly burst + 10 s × rate get in.
    long tat = NONE;
    int admitted = 0;
    for (long t = NOW; t <= NOW + 10_000_000; t += 1_000) {
      Gcra.Decision d = g.decide(tat, t, 1);
      if (d.admitted()) {
        admitted++;
        tat = d.newTat();
      }
    }
    assertThat(admitted).isBetween(32, 33);
  }

  @Test
  void aClockThatGoesBackIsTreatedLikeAnEarlierCaller() {
    Gcra g = new Gcra(10, Duration.ofSeconds(1), 2);
    long tat = g.decide(NONE, NOW, 2).newTat();
    assertThat(g.decide(tat, NOW - 1_000_000, 1).admitted()).isFalse();
    assertThat(g.decide(tat, NOW - 1_000_000, 1).waitMicros()).isEqualTo(1_100_000);
  }

  @Test
  void itemTtlOutlastsTheTatByTenSecondsForALateServerClock() {
    assertThat(Gcra.ttlSeconds(NONE, NOW)).isEqualTo(10);
    assertThat(Gcra.ttlSeconds(NOW - 5, NOW)).isEqualTo(10);
    assertThat(Gcra.ttlSeconds(NOW + 1, NOW)).isEqualTo(11);
    assertThat(Gcra.ttlSeconds(NOW + 1_000_000, NOW)).isEqualTo(11);
    assertThat(Gcra.ttlSeconds(NOW + 1_000_001, NOW)).isEqualTo(12);
    assertThat(Gcra.ttlSeconds(NOW + 3_600_000_000L, NOW)).isEqualTo(3610);
  }

  @Test
  void badParametersAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new Gcra(0, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be positive, got 0");
    assertThatThrownBy(() -> new Gcra(-5, Duration.ofSeconds(1), 1))
        .hasMessage("permits must be positive, got -5");
    assertThatThrownBy(() -> new Gcra(2_000_000_000L, Duration.ofDays(1), 1))
        .hasMessageContaining("permits must be at most 1000000000");
    assertThatThrownBy(() -> new Gcra(1, null, 1)).hasMessage("per is null");
    assertThatThrownBy(() -> new Gcra(1, Duration.ZERO, 1))
        .hasMessage("per must be positive, got PT0S");
    assertThatThrownBy(() -> new Gcra(1, Duration.ofSeconds(-1), 1))
        .hasMessage("per must be positive, got PT-1S");
    assertThatThrownBy(() -> new Gcra(1, Duration.ofDays(31), 1))
        .hasMessage("per must be at most 30 days, got PT744H");
    assertThatThrownBy(() -> new Gcra(1, Duration.ofNanos(1500), 1))
        .hasMessageContaining("whole microseconds");
    assertThatThrownBy(() -> new Gcra(1001, Duration.ofMillis(1), 1))
        .hasMessageContaining("at most one permit per microsecond");
    assertThatThrownBy(() -> new Gcra(10, Duration.ofSeconds(1), 0))
        .hasMessage("burst must be positive, got 0");
    assertThatThrownBy(() -> new Gcra(10, Duration.ofSeconds(1), 1L << 31))
        .hasMessageContaining("burst must be at most 2147483647");
    assertThatThrownBy(() -> new Gcra(1, Duration.ofDays(1), 31))
        .hasMessageContaining("spans more than 30 days");
    assertThat(new Gcra(1, Duration.ofDays(1), 29).windowMicros()).isEqualTo(29 * 86_400_000_000L);
    assertThat(new Gcra(1_000_000, Duration.ofSeconds(1), 1).intervalOf(1)).isEqualTo(1);
  }
}
