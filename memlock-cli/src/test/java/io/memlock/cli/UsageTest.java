package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors and unreachable servers: no memcached needed. */
class UsageTest {
  @TempDir Path dir;

  private void assertUsageError(CliProcess cli, String message) {
    assertThat(cli.exit()).as("%s", cli).isEqualTo(64);
    assertThat(cli.err()).contains(message).contains("Usage: memlock");
    assertThat(cli.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void unknownFlagExits64() {
    assertUsageError(
        CliProcess.run(dir, "run", "--bogus", "x", "--", "true"), "Unknown option: '--bogus'");
  }

  @Test
  void commandFlagsWithoutDashDashGetAHint() {
    CliProcess cli = CliProcess.run(dir, "run", "x", "ls", "-l");
    assertUsageError(cli, "Unknown option: '-l'");
    assertThat(cli.err()).contains("put -- before the command");
  }

  @Test
  void missingNameOrCommandExits64() {
    assertUsageError(CliProcess.run(dir, "run"), "Missing required parameters: 'NAME', 'COMMAND'");
    assertUsageError(CliProcess.run(dir, "run", "x"), "Missing required parameter: 'COMMAND'");
    assertUsageError(CliProcess.run(dir, "status"), "Missing required parameter: 'NAME'");
  }

  @Test
  void badDurationsExit64() {
    assertUsageError(CliProcess.run(dir, "run", "--ttl=5", "x", "--", "true"), "has no unit");
    assertUsageError(
        CliProcess.run(dir, "run", "--wait=soon", "x", "--", "true"), "is not a duration");
    assertUsageError(
        CliProcess.run(dir, "run", "--ttl=1500ms", "x", "--", "true"), "must be whole seconds");
  }

  @Test
  void waitAndNoWaitExcludeEachOther() {
    assertUsageError(
        CliProcess.run(dir, "run", "--wait=1s", "--no-wait", "x", "--", "true"),
        "mutually exclusive");
  }

  @Test
  void badServerListExits64() {
    assertUsageError(CliProcess.run(dir, "status", "--servers=nohost", "x"), "must be host:port");
  }

  @Test
  void emptyOrBlankNamesExit64() {
    assertUsageError(CliProcess.run(dir, "run", "", "--", "true"), "NAME is empty");
    assertUsageError(CliProcess.run(dir, "run", "  ", "--", "true"), "NAME '  ' is only blanks");
    assertUsageError(CliProcess.run(dir, "status", ""), "NAME is empty");
    assertUsageError(CliProcess.run(dir, "status", "a", " "), "NAME ' ' is only blanks");
    assertUsageError(CliProcess.run(dir, "release", "--force", ""), "NAME is empty");
    assertUsageError(CliProcess.run(dir, "run", "x", "--", ""), "COMMAND is empty");
  }

  @Test
  void emptySettingsAreRefusedNotDefaulted() {
    // Before: --servers "" fell back to 127.0.0.1:11211 (a lock on the wrong server).
    assertUsageError(
        CliProcess.run(dir, "status", "--servers=", "x"), "--servers is empty: give a value");
    assertUsageError(
        CliProcess.run(dir, "run", "--servers", " ", "x", "--", "true"), "--servers is empty");
    assertUsageError(CliProcess.run(dir, "doctor", "--servers="), "--servers is empty");
    assertUsageError(
        CliProcess.run(dir, "run", "--max-lease=", "x", "--", "true"), "--max-lease is empty");
    assertUsageError(
        CliProcess.run(dir, "run", "--replicas=", "x", "--", "true"), "--replicas is empty");
    CliProcess env = CliProcess.start(dir, Map.of("MEMLOCK_SERVERS", ""), "status", "x");
    env.waitFor(Duration.ofSeconds(60));
    assertUsageError(env, "MEMLOCK_SERVERS is set but empty");
  }

  @Test
  void badNumbersNameTheFlagNotTheBuilder() {
    CliProcess negative = CliProcess.run(dir, "run", "--replicas=-1", "x", "--", "true");
    assertUsageError(negative, "--replicas must be 1 to 15, got -1");
    assertThat(negative.err()).doesNotContain(": replicas must");
    CliProcess tooMany =
        CliProcess.run(dir, "status", "--replicas=3", "--servers=127.0.0.1:1,127.0.0.1:2", "x");
    assertUsageError(tooMany, "--replicas 3 needs at least 3 servers, got 2");
    assertThat(tooMany.err()).doesNotContain("replicas(");
    assertUsageError(
        CliProcess.run(dir, "run", "--wait=-1s", "x", "--", "true"), "'-1s' is negative");
    assertUsageError(
        CliProcess.run(dir, "run", "--ttl=0s", "x", "--", "true"), "--ttl must be positive");
  }

  @Test
  void unknownCommandSuggestsOne() {
    CliProcess cli = CliProcess.run(dir, "stauts", "x");
    assertThat(cli.exit()).isEqualTo(64);
    // picocli names the closest commands first ("memlock status or memlock list" since list).
    assertThat(cli.err()).contains("Did you mean: memlock status");
  }

  @Test
  void helpAndVersionExit0() {
    for (String command : new String[] {"demo", "run", "status", "release", "doctor"}) {
      CliProcess help = CliProcess.run(dir, command, "--help");
      assertThat(help.exit()).as("%s", help).isEqualTo(0);
      assertThat(help.out()).contains("Usage: memlock " + command).contains("--servers");
    }
    CliProcess version = CliProcess.run(dir, "--version");
    assertThat(version.exit()).isEqualTo(0);
    assertThat(version.out()).startsWith("memlock ");
  }

  @Test
  void unreachableServerExits69() throws IOException {
    String closed = "--servers=127.0.0.1:" + closedPort();
    CliProcess run = CliProcess.run(dir, "run", closed, "x", "--", "true");
    assertThat(run.exit()).as("%s", run).isEqualTo(69);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).doesNotContain("\tat ");

    CliProcess status = CliProcess.run(dir, "status", closed, "x");
    assertThat(status.exit()).as("%s", status).isEqualTo(69);

    CliProcess doctor = CliProcess.run(dir, "doctor", closed);
    assertThat(doctor.exit()).as("%s", doctor).isEqualTo(69);
    assertThat(doctor.out()).contains("unreachable").contains("verdict: FAIL");
  }

  @Test
  void verboseAddsTheStackTrace() throws IOException {
    CliProcess cli =
        CliProcess.run(dir, "status", "--verbose", "--servers=127.0.0.1:" + closedPort(), "x");
    assertThat(cli.exit()).isEqualTo(69);
    assertThat(cli.err()).contains("\tat ");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
