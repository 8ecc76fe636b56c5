package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.LockHandle;
import io.memlock.MemLock;
import io.memlock.testing.MemcachedExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memlock elect} as processes against a real memcached. Each command appends {@code start
 * LABEL TERM} to a shared file when it starts and {@code stop LABEL TERM} when it gets SIGTERM, so
 * the file shows whether two commands ever ran at once.
 */
class ElectCommandTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  /** $1: the record file, $2: the participant's label. Runs until SIGTERM. */
  private static final String RECORDER =
      "trap 'echo \"stop $2 $MEMLOCK_TERM\" >> \"$1\"; exit 0' TERM;"
          + " echo \"start $2 $MEMLOCK_TERM $MEMLOCK_FENCE\" >> \"$1\";"
          + " while :; do sleep 0.05; done";

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private MemLock memlock;
  private final List<CliProcess> clis = new ArrayList<>();

  @BeforeEach
  void connect() {
    memlock = MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
  }

  @AfterEach
  void close() {
    clis.forEach(CliProcess::close);
    memlock.close();
  }

  @Test
  void twoParticipantsRunOneCommandAtATimeAndTheOtherTakesOverWhenTheLeaderIsKilled() {
    Path record = dir.resolve("record");
    CliProcess a = elect("jobs", record, "A");
    CliProcess b = elect("jobs", record, "B");
    List<String> first = awaitLines(record, l -> l.size() == 1);
    String leader = first.get(0).split(" ")[1];
    CliProcess leaderCli = leader.equals("A") ? a : b;
    CliProcess other = leader.equals("A") ? b : a;
    String otherLabel = leader.equals("A") ? "B" : "A";

    long t0 = System.nanoTime();
    leaderCli.process().destroyForcibly(); // SIGKILL
    List<String> lines =
        awaitLines(record, l -> l.stream().anyMatch(s -> s.startsWith("start " + otherLabel)));
    Duration failover = Duration.ofNanos(System.nanoTime() - t0);
    System.out.println(
        "elect failover after SIGKILL of the leader's memlock (--ttl 3s): "
            + failover.toMillis()
            + " ms");

    // The killed leader's command got SIGTERM (parent-death signal) before the other one started.
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("start " + leader + " ");
    assertThat(lines.get(1)).startsWith("stop " + leader + " ");
    assertThat(lines.get(2)).startsWith("start " + otherLabel + " ");
    assertThat(term(lines.get(2))).isGreaterThan(term(lines.get(0)));
    // MEMLOCK_FENCE is the term.
    assertThat(lines.get(2).split(" ")[3]).isEqualTo(lines.get(2).split(" ")[2]);
    // The lease (3 s) plus slack for a loaded machine.
    assertThat(failover).isLessThan(Duration.ofSeconds(15));

    // SIGTERM to the new leader's memlock reaches its command, which exits 0: so does memlock.
    other.process().destroy();
    assertThat(other.waitFor(PATIENCE)).as("%s", other).isEqualTo(0);
    assertThat(readLines(record)).hasSize(4).last().asString().startsWith("stop " + otherLabel);
    assertThat(memlock.inspect("jobs")).isEmpty();
  }

  @Test
  void lostLeadershipStopsTheCommandAndRestartsItWhenLeaderAgain() {
    Path record = dir.resolve("record");
    CliProcess cli = elect("deleted", record, "A");
    awaitLines(record, l -> l.size() == 1);
    assertThat(memlock.forceRelease("deleted")).isPresent();
    List<String> lines = awaitLines(record, l -> l.size() == 3);
    assertThat(lines.get(0)).startsWith("start A ");
    assertThat(lines.get(1)).startsWith("stop A ");
    assertThat(lines.get(2)).startsWith("start A ");
    assertThat(term(lines.get(2))).isGreaterThan(term(lines.get(0)));
    assertThat(cli.err()).contains("lost the leadership of 'deleted'").contains("queueing");
    assertThat(cli.process().isAlive()).isTrue();
  }

  @Test
  void pausedMemcachedStopsTheCommandAndItRestartsAfterResume() {
    Path record = dir.resolve("record");
    elect("paused", record, "A");
    awaitLines(record, l -> l.size() == 1);
    memcached.server(0).pause();
    try {
      awaitLines(record, l -> l.size() == 2);
    } finally {
      memcached.server(0).resume();
    }
    List<String> lines = awaitLines(record, l -> l.size() == 3);
    assertThat(lines.get(1)).startsWith("stop A ");
    assertThat(lines.get(2)).startsWith("start A ");
  }

  @Test
  void onceExits76WhenLeadershipIsLost() {
    Path record = dir.resolve("record");
    CliProcess cli = elect("once", record, "A", "--once");
    awaitLines(record, l -> l.size() == 1);
    memlock.forceRelease("once");
    assertThat(cli.waitFor(PATIENCE)).as("%s", cli).isEqualTo(76);
    assertThat(readLines(record)).hasSize(2).last().asString().startsWith("stop A ");
    assertThat(cli.err()).contains("--once");
  }

  @Test
  void commandExitingOnItsOwnStepsDownWithItsStatus() {
    CliProcess cli = CliProcess.run(dir, "elect", servers(), "short", "--", "sh", "-c", "exit 3");
    assertThat(cli.exit()).as("%s", cli).isEqualTo(3);
    assertThat(cli.err()).contains("stepping down");
    assertThat(memlock.inspect("short")).isEmpty();
  }

  @Test
  void sigtermWhileWaitingToLeadExits143AndNeverStartsTheCommand() throws Exception {
    Path record = dir.resolve("record");
    try (LockHandle held = memlock.lock("taken").acquire(Duration.ZERO)) {
      CliProcess cli = elect("taken", record, "A");
      Poll.until("memlock to queue", PATIENCE, () -> cli.err().contains("waiting to lead"));
      cli.process().destroy(); // SIGTERM
      assertThat(cli.waitFor(PATIENCE)).as("%s", cli).isEqualTo(143);
      assertThat(record).doesNotExist();
      assertThat(cli.err()).contains("got a signal while waiting to lead 'taken'");
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  void usageErrorsExit64() {
    assertUsage(CliProcess.run(dir, "elect", "x", "true"), "put -- between NAME and COMMAND");
    assertUsage(CliProcess.run(dir, "elect", "x", "ls", "-l"), "put -- before the command");
    assertUsage(CliProcess.run(dir, "elect"), "Missing required parameters: 'NAME', 'COMMAND'");
    assertUsage(CliProcess.run(dir, "elect", "x", "--"), "Missing required parameter: 'COMMAND'");
    assertUsage(CliProcess.run(dir, "elect", "x", "--", " "), "COMMAND is empty");
    assertUsage(CliProcess.run(dir, "elect", "--ttl=5", "x", "--", "true"), "has no unit");
    assertUsage(
        CliProcess.run(dir, "elect", "--kill-after=soon", "x", "--", "true"), "is not a duration");
    assertUsage(
        CliProcess.run(dir, "elect", "--on-lost=ignore", "x", "--", "true"),
        "--on-lost ignore does not go with elect");
  }

  private static void assertUsage(CliProcess cli, String message) {
    assertThat(cli.exit()).as("%s", cli).isEqualTo(64);
    assertThat(cli.err()).contains(message).contains("Usage: memlock elect");
    assertThat(cli.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private String servers() {
    return "--servers=" + memcached.serverList();
  }

  private CliProcess elect(String name, Path record, String label, String... options) {
    List<String> args = new ArrayList<>(List.of("elect", servers(), "--ttl=3s"));
    args.addAll(List.of(options));
    args.addAll(List.of(name, "--", "/bin/sh", "-c", RECORDER, "sh", record.toString(), label));
    CliProcess cli = CliProcess.start(dir, args.toArray(String[]::new));
    clis.add(cli);
    return cli;
  }

  private static long term(String line) {
    return Long.parseLong(line.split(" ")[2]);
  }

  private static List<String> awaitLines(Path file, Predicate<List<String>> done) {
    List<List<String>> seen = new ArrayList<>();
    Poll.until(
        "lines in " + file,
        PATIENCE,
        () -> {
          List<String> lines = readLines(file);
          seen.add(lines);
          return done.test(lines);
        });
    return seen.get(seen.size() - 1);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
