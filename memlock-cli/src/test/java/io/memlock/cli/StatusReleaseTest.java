package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.LockHandle;
import io.memlock.MemLock;
import io.memlock.testing.MemcachedExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class StatusReleaseTest {
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
  void statusExits0WhenAllHeldAnd1WhenAnyIsFree() throws Exception {
    try (LockHandle a = memlock.lock("a").acquire(Duration.ZERO);
        LockHandle b = memlock.lock("b").acquire(Duration.ZERO)) {
      assertThat(a.isHeld() && b.isHeld()).isTrue();
      CliProcess held = CliProcess.run(dir, "status", servers(), "a", "b");
      assertThat(held.exit()).as("%s", held).isEqualTo(0);
      assertThat(held.out())
          .contains("a: held by ")
          .contains("b: held by ")
          .contains("/" + ProcessHandle.current().pid() + "/")
          .containsPattern("fence (\\d+|not yet published)")
          .containsPattern("lease ends in \\d+ s");

      CliProcess mixed = CliProcess.run(dir, "status", servers(), "a", "free-one");
      assertThat(mixed.exit()).as("%s", mixed).isEqualTo(1);
      assertThat(mixed.out()).contains("a: held by ").contains("free-one: free");
    }
    CliProcess free = CliProcess.run(dir, "status", servers(), "a");
    assertThat(free.exit()).as("%s", free).isEqualTo(1);
    assertThat(free.out().trim()).isEqualTo("a: free");
  }

  @Test
  void statusShowsThePublishedFence() throws Exception {
    try (LockHandle a = memlock.lock("a").acquire(Duration.ZERO)) {
      // The holder publishes its fence at its first renewal, within a second.
      Poll.until(
          "the fence to be published",
          Duration.ofSeconds(10),
          () -> memlock.inspect("a").orElseThrow().fencingToken().isPresent());
      CliProcess cli = CliProcess.run(dir, "status", servers(), "a");
      assertThat(cli.out()).contains("fence " + a.fencingToken());
    }
  }

  @Test
  void releaseForcePrintsWhatItRemoved() throws Exception {
    memlock.lock("stuck").acquire(Duration.ZERO);
    CliProcess cli = CliProcess.run(dir, "release", "--force", servers(), "stuck");
    assertThat(cli.exit()).as("%s", cli).isEqualTo(0);
    assertThat(cli.out())
        .startsWith("stuck: removed; it was held by ")
        .contains("/" + ProcessHandle.current().pid() + "/");
    assertThat(memlock.inspect("stuck")).isEmpty();

    CliProcess again = CliProcess.run(dir, "release", "--force", servers(), "stuck");
    assertThat(again.exit()).isEqualTo(0);
    assertThat(again.out().trim()).isEqualTo("stuck: was not held; nothing removed");
  }

  @Test
  void releaseWithoutForceRefuses() throws Exception {
    try (LockHandle held = memlock.lock("stuck").acquire(Duration.ZERO)) {
      assertThat(held.isHeld()).isTrue();
      CliProcess cli = CliProcess.run(dir, "release", servers(), "stuck");
      assertThat(cli.exit()).as("%s", cli).isEqualTo(64);
      assertThat(cli.err()).contains("add --force").doesNotContain("Exception");
      assertThat(memlock.inspect("stuck")).isPresent();
    }
  }
}
