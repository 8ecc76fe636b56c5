package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.LockHandle;
import io.memlock.MemLock;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code memlock list} and {@code memlock watch} as processes, against real memcached. */
class ListWatchTest {
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

  private static void kill(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -s %s %d", signal, pid).isEqualTo(0);
  }

  @Test
  void listPrintsATableAndJson() throws Exception {
    String pid = "/" + ProcessHandle.current().pid() + "/";
    try (LockHandle a = memlock.lock("jobs/a").acquire(Duration.ZERO);
        LockHandle r = memlock.readWriteLock("jobs/rw").readLock().acquire(Duration.ZERO);
        LockHandle o = memlock.lock("other name").acquire(Duration.ZERO)) {
      CliProcess all = CliProcess.run(dir, "list", servers());
      assertThat(all.exit()).as("%s", all).isEqualTo(0);
      String[] lines = all.out().split("\n");
      assertThat(lines[0]).startsWith("NAME").contains("KIND", "HOLDER", "FENCE", "LEASE LEFT");
      assertThat(lines).hasSize(4);
      assertThat(all.out()).contains("jobs/a", "other name", pid).containsPattern("read \\d+");

      CliProcess jobs = CliProcess.run(dir, "list", servers(), "jobs/");
      assertThat(jobs.exit()).as("%s", jobs).isEqualTo(0);
      assertThat(jobs.out()).contains("jobs/a", "jobs/rw").doesNotContain("other name");

      CliProcess json = CliProcess.run(dir, "list", "--json", servers(), "jobs/a");
      assertThat(json.exit()).as("%s", json).isEqualTo(0);
      assertThat(json.out())
          .startsWith("{\"items\":[")
          .contains("\"name\":\"jobs/a\"", "\"kind\":\"lock\"", "\"nameHashed\":false")
          .containsPattern("\"leaseLeftSeconds\":\\d+")
          .contains("\"servers\":[\"" + memcached.serverList() + "\"]")
          .contains("\"unlisted\":{}");

      CliProcess none = CliProcess.run(dir, "list", servers(), "nothing/");
      assertThat(none.exit()).as("%s", none).isEqualTo(0);
      assertThat(none.out().trim()).isEqualTo("no lock whose name starts with 'nothing/' is held");
    }
  }

  @Test
  void listNamesAServerItCouldNotList() throws Exception {
    try (LockHandle a = memlock.lock("here").acquire(Duration.ZERO);
        MemcachedServer gone = MemcachedServer.startNew()) {
      String goneAddress = gone.hostAndPort();
      gone.stop();
      CliProcess cli =
          CliProcess.run(dir, "list", "--servers=" + memcached.serverList() + "," + goneAddress);
      assertThat(cli.exit()).as("%s", cli).isEqualTo(1);
      assertThat(cli.err()).contains("memlock: could not list " + goneAddress);
      assertThat(cli.err()).doesNotContain("Exception");
    }
  }

  @Test
  void listWithADisabledCrawlerExits69WithTheFix() {
    try (MemcachedServer noCrawler =
        MemcachedServer.builder().args("-o", "no_lru_crawler").start()) {
      CliProcess cli = CliProcess.run(dir, "list", "--servers=" + noCrawler.hostAndPort());
      assertThat(cli.exit()).as("%s", cli).isEqualTo(69);
      assertThat(cli.err()).contains("crawler is disabled", "no_lru_crawler");
      assertThat(cli.err()).doesNotContain("Exception");
    }
  }

  @Test
  void watchShowsHolderAndWaitersUntilSigint() throws Exception {
    try (MemLock other =
            MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
        LockHandle held = memlock.lock("watched").acquire(Duration.ZERO);
        CliProcess cli = CliProcess.start(dir, "watch", servers(), "--interval=200ms", "watched")) {
      Poll.until(
          "a line showing the holder",
          Duration.ofSeconds(30),
          () -> cli.out().contains("watched: held by "));
      CompletableFuture<Boolean> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return other.lock("watched").tryLock(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  return false;
                }
              });
      Poll.until(
          "a line showing the polling waiter",
          Duration.ofSeconds(30),
          () -> cli.out().contains("another process is polling"));
      held.release();
      assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
      kill("INT", cli.process().pid());
      assertThat(cli.waitFor(Duration.ofSeconds(30))).as("%s", cli).isEqualTo(130);
      assertThat(cli.err()).doesNotContain("Exception");
      assertThat(cli.out()).containsPattern("fence (\\d+|not yet published)");
    }
  }

  @Test
  void watchEndsOnSigtermWith143() throws Exception {
    try (CliProcess cli = CliProcess.start(dir, "watch", servers(), "--interval=200ms", "free")) {
      Poll.until(
          "a line", Duration.ofSeconds(30), () -> cli.out().contains("free: free; waiters: none"));
      kill("TERM", cli.process().pid());
      assertThat(cli.waitFor(Duration.ofSeconds(30))).as("%s", cli).isEqualTo(143);
      assertThat(cli.err()).doesNotContain("Exception");
    }
  }

  @Test
  void badUsageExits64NamingTheProblem() {
    CliProcess noName = CliProcess.run(dir, "watch", servers());
    assertThat(noName.exit()).isEqualTo(64);
    assertThat(noName.err()).contains("NAME");
    CliProcess fast = CliProcess.run(dir, "watch", servers(), "--interval=10ms", "x");
    assertThat(fast.exit()).isEqualTo(64);
    assertThat(fast.err()).contains("--interval 10ms is shorter than 100ms");
    CliProcess two = CliProcess.run(dir, "list", servers(), "a", "b");
    assertThat(two.exit()).isEqualTo(64);
    assertThat(two.err()).contains("'b'");
  }
}
