package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsUnitsSumsAndIso() {
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("200us")).isEqualTo(Duration.ofNanos(200_000));
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("has no unit");
    assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Durations.parse("3 s")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("5x")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("PT-5S")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Durations.parse("PTxS")).hasMessageContaining("ISO-8601");
  }

  @Test
  void formatsShortly() {
    assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
  }
}
