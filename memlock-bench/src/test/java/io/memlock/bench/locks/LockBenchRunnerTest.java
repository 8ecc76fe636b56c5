package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's output files, written from fixed results; no server or benchmark starts. */
class LockBenchRunnerTest {
  @Test
  void jsonRoundTripsEveryMeasurementAndTheRunDescription() {
    Results r = ResultsFixture.sample();
    r.add(Measurement.of(4, Contenders.RAW, 2, Goals.CROSS_P50, Double.NaN, "µs"));

    Results back = LockBenchRunner.fromJson(LockBenchRunner.json(r));

    assertThat(back.run()).isEqualTo(r.run());
    assertThat(back.measurements()).hasSameSizeAs(r.measurements());
    for (int i = 0; i < r.measurements().size(); i++) {
      Measurement a = r.measurements().get(i);
      Measurement b = back.measurements().get(i);
      assertThat(b.scenario()).isEqualTo(a.scenario());
      assertThat(b.contender()).isEqualTo(a.contender());
      assertThat(b.n()).isEqualTo(a.n());
      assertThat(b.metric()).isEqualTo(a.metric());
      assertThat(b.unit()).isEqualTo(a.unit());
      assertThat(Double.compare(b.value(), a.value())).isZero();
      assertThat(Double.compare(b.error(), a.error())).isZero();
    }
  }

  @Test
  void csvHasAHeaderAndOneLinePerMeasurement() {
    Results r = new Results();
    r.add(new Measurement(2, Contenders.MEMLOCK, 16, Measurement.OPS, 12345.6789, 12.5, "1/s"));
    r.add(Measurement.of(4, Contenders.RAW, 2, Goals.CROSS_P50, Double.NaN, "µs"));

    assertThat(LockBenchRunner.csv(r))
        .isEqualTo(
            "scenario,contender,n,metric,value,error,unit\n"
                + "2,memlock,16,ops_per_s,12345.679,12.500,1/s\n"
                + "4,raw,2,cross_handoff_p50_us,,,µs\n");
  }

  @Test
  void writesMarkdownJsonCsvAndChart(@TempDir Path dir) throws Exception {
    LockBenchRunner.write(ResultsFixture.sample(), dir);

    assertThat(dir.resolve("bench-locks.md")).content().contains("#### Goals");
    assertThat(dir.resolve("bench-locks.json")).content().contains("\"measurements\"");
    assertThat(dir.resolve("bench-locks.csv")).content().startsWith("scenario,");
    assertThat(Files.size(dir.resolve("bench-locks.png"))).isGreaterThan(1000);
  }
}
