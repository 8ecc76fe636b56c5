package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The polling contenders' backoff; draws delays, never sleeps. */
class BackoffTest {
  @Test
  void delaysDoubleFromTheMinimumUpToTheCapWithJitterInTheUpperHalf() {
    Backoff b = new Backoff(1000, 8000);
    for (int i = 0; i < 1000; i++) {
      assertThat(b.delayNanos(1)).isBetween(500L, 1000L);
      assertThat(b.delayNanos(2)).isBetween(1000L, 2000L);
      assertThat(b.delayNanos(4)).isBetween(4000L, 8000L);
      assertThat(b.delayNanos(60)).isBetween(4000L, 8000L);
    }
  }

  @Test
  void aDeadlineInThePastMeansNoPause() throws InterruptedException {
    assertThat(Backoff.DEFAULT.pause(1, System.nanoTime() - 1)).isFalse();
  }

  @Test
  void rejectsBadBounds() {
    assertThatThrownBy(() -> new Backoff(0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
