package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
  @TempDir Path dir;

  @Test
  void freshServerIsInItsGracePeriod() {
    try (MemcachedServer server = MemcachedServer.startNew()) {
      CliProcess cli = CliProcess.run(dir, "doctor", "--servers=" + server.hostAndPort());
      assertThat(cli.exit()).as("%s", cli).isEqualTo(1);
      assertThat(cli.out())
          .contains("memcached " + server.hostAndPort())
          .containsPattern("version +1\\.6\\.\\d+ +ok")
          .containsPattern("uptime +\\d+ s +WARN: below the restart grace period of 60 s")
          .containsPattern("evictions +on +NOTE")
          .containsPattern("evicted +0 items +ok")
          .containsPattern("memory +[\\d.]+ [KMB]+ of 64\\.0 MB")
          .containsPattern("clock +[+-]\\d s +ok")
          .contains("verdict: WARN (" + server.hostAndPort() + ": uptime");
    }
  }

  @Test
  void serverPastItsGracePeriodWithoutEvictionsIsOk() {
    try (MemcachedServer server = MemcachedServer.builder().args("-M").start()) {
      Poll.until(
          "uptime of 6 s (3 s + memcached's 3 s of slack)",
          Duration.ofSeconds(10),
          () -> Long.parseLong(server.stats().get("uptime")) >= 6);
      CliProcess cli =
          CliProcess.run(dir, "doctor", "--max-lease=3s", "--servers=" + server.hostAndPort());
      assertThat(cli.exit()).as("%s", cli).isEqualTo(0);
      assertThat(cli.out())
          .containsPattern("uptime +\\d+ s +ok")
          .containsPattern("evictions +off +ok")
          .contains("verdict: OK");
    }
  }
}
