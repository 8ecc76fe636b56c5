package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals sent to {@code memlock run}: which reach the command, and what the command gets when
 * memlock itself is SIGKILLed. The command is a shell that writes each signal it gets to a file.
 */
class RunSignalsTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  /** Records every signal it gets, one line each, until the file $1.stop appears. */
  private static final String RECORDER =
      "for s in HUP INT QUIT USR1 USR2 TERM; do trap \"echo $s >> $1\" $s; done;"
          + " echo $$ > $1.pid; echo ready >> $1;"
          + " while [ ! -f $1.stop ]; do sleep 0.05; done";

  /** Records SIGUSR1, and SIGTERM on which it exits; runs until then. */
  private static final String EXITS_ON_TERM =
      "trap 'echo USR1 >> $1' USR1; trap 'echo TERM >> $1; exit 0' TERM; echo $$ > $1.pid;"
          + " echo ready >> $1; while :; do sleep 0.05; done";

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private MemLock memlock;
  private final List<Long> commands = new ArrayList<>();

  @BeforeEach
  void connect() {
    memlock = MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
  }

  @AfterEach
  void close() {
    memlock.close();
    // A command whose memlock was killed is no longer memlock's descendant.
    commands.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void hupUsr1Usr2IntAndTermArePassedToTheCommand() throws Exception {
    Path record = dir.resolve("signals");
    try (CliProcess cli = start(Map.of(), "sigs", RECORDER, record)) {
      List<String> expected = new ArrayList<>(List.of("ready"));
      awaitLines(record, expected);
      for (String signal : List.of("HUP", "USR1", "USR2", "INT", "TERM")) {
        kill(signal, cli.process().pid());
        expected.add(signal);
        awaitLines(record, expected);
      }
      Files.createFile(stopFile(record));
      assertThat(cli.waitFor(PATIENCE)).as("%s", cli).isEqualTo(0);
      assertThat(memlock.inspect("sigs")).isEmpty();
    }
  }

  /** HotSpot keeps SIGQUIT for itself: memlock dumps its threads and does not pass it on. */
  @Test
  void quitDumpsMemlocksThreadsAndIsNotPassedOn() throws Exception {
    Path record = dir.resolve("signals");
    try (CliProcess cli = start(Map.of(), "quit", RECORDER, record)) {
      awaitLines(record, List.of("ready"));
      kill("QUIT", cli.process().pid());
      Poll.until("the thread dump", PATIENCE, () -> cli.out().contains("Full thread dump"));
      kill("HUP", cli.process().pid());
      awaitLines(record, List.of("ready", "HUP"));
      Files.createFile(stopFile(record));
      assertThat(cli.waitFor(PATIENCE)).as("%s", cli).isEqualTo(0);
    }
  }

  @Test
  void sigkilledMemlocksCommandGetsSigtermAtOnce() throws Exception {
    Path record = dir.resolve("signals");
    try (CliProcess cli = start(Map.of(), "killed", EXITS_ON_TERM, record)) {
      awaitArmed(cli, record);
      cli.process().destroyForcibly();
      // Within the lease (30 s): before, the command ran on and nobody signalled it.
      awaitLines(record, List.of("ready", "USR1", "TERM"));
      assertThat(cli.err()).doesNotContain("setpriv");
    }
  }

  @Test
  void withoutSetprivAHelperShellSendsTheSigterm() throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("sleep"), sleepBinary());
    Path record = dir.resolve("signals");
    try (CliProcess cli = start(Map.of("PATH", bin.toString()), "helper", EXITS_ON_TERM, record)) {
      awaitArmed(cli, record);
      assertThat(cli.err()).contains("setpriv (util-linux) is not on the PATH");
      cli.process().destroyForcibly();
      awaitLines(record, List.of("ready", "USR1", "TERM"));
    }
  }

  private CliProcess start(Map<String, String> env, String name, String script, Path record) {
    return CliProcess.start(
        dir,
        env,
        "run",
        "--servers=" + memcached.serverList(),
        name,
        "--",
        "/bin/sh",
        "-c",
        script,
        "sh",
        record.toString());
  }

  /**
   * Waits until memlock has set up everything for its command: a relayed SIGUSR1 arrives only after
   * memlock has started the command and set its parent-death guard.
   */
  private void awaitArmed(CliProcess cli, Path record) throws Exception {
    awaitLines(record, List.of("ready"));
    commands.add(pid(record));
    kill("USR1", cli.process().pid());
    awaitLines(record, List.of("ready", "USR1"));
  }

  private static Path stopFile(Path record) {
    return record.resolveSibling(record.getFileName() + ".stop");
  }

  private static long pid(Path record) throws IOException {
    Path file = record.resolveSibling(record.getFileName() + ".pid");
    return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
  }

  private static Path sleepBinary() {
    for (String p : List.of("/bin/sleep", "/usr/bin/sleep")) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    throw new AssertionError("no sleep binary");
  }

  private static void awaitLines(Path file, List<String> expected) {
    Poll.until(
        "lines " + expected + " in " + file,
        PATIENCE,
        () -> {
          try {
            return Files.exists(file)
                && Files.readAllLines(file, StandardCharsets.US_ASCII).equals(expected);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static void kill(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -s %s %d", signal, pid).isEqualTo(0);
  }
}
