package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  @TempDir Path dir;

  @Test
  void demoRunsEndToEndAndTheLockPhaseOversellsNothing() {
    CliProcess cli = CliProcess.start(dir, "demo", "--workers=2", "--orders=200");
    try (cli) {
      assertThat(cli.waitFor(Duration.ofSeconds(90))).as("%s", cli).isEqualTo(0);
    }
    String out = cli.out();
    assertThat(row(out, "orders")).containsExactly(200L, 200L);
    long[] sold = row(out, "sold");
    long[] left = row(out, "stock left");
    assertThat(sold[1]).isEqualTo(100);
    assertThat(left[1]).isEqualTo(0);
    assertThat(row(out, "oversold")[1]).isEqualTo(0);
    assertThat(row(out, "lost updates")[1]).isEqualTo(0);
    assertThat(out).contains("acquire p50").contains("acquire p99").contains("200 distinct");
    assertThat(cli.err()).contains("starting a private memcached").contains("with memlock");
  }

  private static long[] row(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + label + " +(\\d+) +(\\d+)$").matcher(out);
    assertThat(m.find()).as("row %s in %s", label, out).isTrue();
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }
}
