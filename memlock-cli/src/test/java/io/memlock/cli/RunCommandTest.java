package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.LockHandle;
import io.memlock.MemLock;
import io.memlock.testing.MemcachedExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  @TempDir Path dir;

  private MemLock memlock;

  @BeforeEach
  void connect() {
    memlock = MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
  }

  @AfterEach
  void close() {
    memlock.close();
  }

  private String servers() {
    return "--servers=" + memcached.serverList();
  }

  @Test
  void concurrentRunsNeverOverlapAndFencesRiseInRunOrder() throws Exception {
    Path counter = Files.writeString(dir.resolve("counter"), "0\n");
    Path log = Files.createFile(dir.resolve("fences"));
    String script =
        "n=$(cat \"$1\"); sleep 0.05; echo $((n + 1)) > \"$1\";"
            + " echo \"$MEMLOCK_NAME $MEMLOCK_FENCE\" >> \"$2\"";
    int processes = 5;
    int iterations = 3;
    ExecutorService pool = Executors.newFixedThreadPool(processes);
    try {
      List<Future<List<CliProcess>>> results = new ArrayList<>();
      for (int p = 0; p < processes; p++) {
        results.add(
            pool.submit(
                () -> {
                  List<CliProcess> runs = new ArrayList<>();
                  for (int i = 0; i < iterations; i++) {
                    CliProcess cli =
                        CliProcess.run(
                            dir,
                            "run",
                            servers(),
                            "counter",
                            "--",
                            "sh",
                            "-c",
                            script,
                            "sh",
                            counter.toString(),
                            log.toString());
                    runs.add(cli);
                  }
                  return runs;
                }));
      }
      for (Future<List<CliProcess>> r : results) {
        for (CliProcess cli : r.get()) {
          assertThat(cli.exit()).as("%s", cli).isEqualTo(0);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.readString(counter).trim())
        .isEqualTo(Integer.toString(processes * iterations));
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(processes * iterations).allMatch(l -> l.startsWith("counter "));
    List<Long> fences = lines.stream().map(l -> Long.parseLong(l.split(" ")[1])).toList();
    for (int i = 1; i < fences.size(); i++) {
      assertThat(fences.get(i)).as("fence of run %d", i).isGreaterThan(fences.get(i - 1));
    }
  }

  @Test
  void exitsWithTheCommandsStatusAndReleases() {
    CliProcess cli = CliProcess.run(dir, "run", servers(), "job", "--", "sh", "-c", "exit 3");
    assertThat(cli.exit()).as("%s", cli).isEqualTo(3);
    assertThat(memlock.inspect("job")).isEmpty();
  }

  @Test
  void noWaitOnAHeldLockExits75AndNamesTheHolder() throws Exception {
    try (LockHandle held = memlock.lock("nightly").acquire(Duration.ZERO)) {
      assertThat(held.isHeld()).isTrue();
      CliProcess cli = CliProcess.run(dir, "run", "--no-wait", servers(), "nightly", "--", "true");
      assertThat(cli.exit()).as("%s", cli).isEqualTo(75);
      assertThat(cli.err())
          .contains("'nightly' is held by")
          .contains("/" + ProcessHandle.current().pid() + "/");
      assertThat(cli.err().lines()).hasSize(1);
    }
  }

  @Test
  void waitRunsOutWith75() throws Exception {
    try (LockHandle held = memlock.lock("nightly").acquire(Duration.ZERO)) {
      assertThat(held.isHeld()).isTrue();
      CliProcess cli = CliProcess.run(dir, "run", "--wait=1s", servers(), "nightly", "--", "true");
      assertThat(cli.exit()).as("%s", cli).isEqualTo(75);
      assertThat(cli.err()).contains("gave up after 1 s");
    }
  }

  @Test
  void deletedLockStopsTheCommandWithin1RenewalAndExits76() throws Exception {
    try (CliProcess cli =
        CliProcess.start(
            dir, "run", "--ttl=3s", "--on-lost=term", servers(), "deploy", "--", "sleep", "60")) {
      awaitHeld("deploy", cli);
      long t0 = System.nanoTime();
      assertThat(memlock.forceRelease("deploy")).isPresent();
      int exit = cli.waitFor(Duration.ofSeconds(20));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(exit).as("%s", cli).isEqualTo(76);
      // One renewal interval (1 s) plus slack for a busy machine.
      assertThat(took).isLessThan(Duration.ofSeconds(4));
      assertThat(cli.err()).contains("lost").contains("sending SIGTERM");
    }
  }

  @Test
  void commandIgnoringSigtermIsKilledAfterKillAfter() throws Exception {
    try (CliProcess cli =
        CliProcess.start(
            dir,
            "run",
            "--ttl=3s",
            "--kill-after=1s",
            servers(),
            "deploy",
            "--",
            "sh",
            "-c",
            "trap '' TERM; sleep 60")) {
      awaitHeld("deploy", cli);
      memlock.forceRelease("deploy");
      assertThat(cli.waitFor(Duration.ofSeconds(20))).as("%s", cli).isEqualTo(76);
      assertThat(cli.err()).contains("sending SIGKILL");
    }
  }

  @Test
  void onLostIgnoreLetsTheCommandFinishButExits76() throws Exception {
    Path stop = dir.resolve("stop");
    try (CliProcess cli =
        CliProcess.start(
            dir,
            "run",
            "--ttl=3s",
            "--on-lost=ignore",
            servers(),
            "report",
            "--",
            "sh",
            "-c",
            "while [ ! -f \"$1\" ]; do sleep 0.05; done; echo finished",
            "sh",
            stop.toString())) {
      awaitHeld("report", cli);
      memlock.forceRelease("report");
      Poll.until(
          "memlock to notice the loss",
          Duration.ofSeconds(20),
          () -> cli.err().contains("letting the command run"));
      assertThat(cli.process().isAlive()).isTrue();
      Files.createFile(stop);
      assertThat(cli.waitFor(Duration.ofSeconds(20))).as("%s", cli).isEqualTo(76);
      assertThat(cli.out()).isEqualTo("finished\n");
    }
  }

  @Test
  void sigtermIsPassedToTheCommandAndTheLockReleased() throws Exception {
    try (CliProcess cli =
        CliProcess.start(
            dir,
            "run",
            servers(),
            "backup",
            "--",
            "sh",
            "-c",
            "trap 'kill $!; exit 7' TERM; sleep 60 & wait")) {
      awaitHeld("backup", cli);
      awaitChildRunning(cli);
      cli.process().destroy(); // SIGTERM to memlock
      assertThat(cli.waitFor(Duration.ofSeconds(20))).as("%s", cli).isEqualTo(7);
      assertThat(memlock.inspect("backup")).isEmpty();
    }
  }

  @Test
  void missingCommandExits127() {
    CliProcess cli = CliProcess.run(dir, "run", servers(), "job", "--", "no-such-command-xyz");
    assertThat(cli.exit()).as("%s", cli).isEqualTo(127);
    assertThat(cli.err()).contains("cannot run 'no-such-command-xyz'");
    assertThat(memlock.inspect("job")).isEmpty();
  }

  private void awaitHeld(String name, CliProcess cli) {
    Poll.until(
        "lock " + name + " taken by " + cli,
        Duration.ofSeconds(20),
        () -> {
          assertThat(cli.process().isAlive()).as("%s", cli).isTrue();
          return memlock.inspect(name).isPresent();
        });
  }

  /** Waits until the command's sleep runs, so the shell's trap is set. */
  private static void awaitChildRunning(CliProcess cli) {
    Poll.until(
        "the command to start",
        Duration.ofSeconds(20),
        () ->
            cli.process()
                .descendants()
                .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
  }
}
