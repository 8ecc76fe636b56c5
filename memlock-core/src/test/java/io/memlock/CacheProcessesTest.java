package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Three processes of eight threads each read one stampede-safe cache. */
class CacheProcessesTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private static List<ChildJvm> start(String... args) throws IOException {
    List<ChildJvm> children = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      children.add(ChildJvm.start(CacheWorker.class, args));
    }
    StartSignal.release(children, STARTUP);
    return children;
  }

  @Test
  void eachMissIsLoadedOnceAcrossProcesses(@TempDir Path dir) throws Exception {
    Path loads = Files.createFile(dir.resolve("loads"));
    int rounds = 5;
    List<ChildJvm> children = new ArrayList<>();
    try {
      children =
          start("miss", memcached.serverList(), Integer.toString(rounds), "8", loads.toString());
      List<List<String>> seen = new ArrayList<>();
      for (ChildJvm c : children) {
        c.awaitLine(l -> l.startsWith("round " + (rounds - 1) + " "), STARTUP);
        assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
        assertThat(c.lines()).doesNotContain("MISMATCH");
        seen.add(c.lines().stream().filter(l -> l.startsWith("round ")).toList());
      }
      // Every process got the same value in every round: the one loaded value.
      assertThat(seen.get(1)).isEqualTo(seen.get(0));
      assertThat(seen.get(2)).isEqualTo(seen.get(0));
    } finally {
      children.forEach(ChildJvm::close);
    }
    List<String> lines = Files.readAllLines(loads);
    assertThat(lines.stream().map(l -> l.split(" ")[0]).collect(Collectors.toList()))
        .as("one load per round, among 24 threads of 3 processes: %s", lines)
        .containsExactlyInAnyOrder("0", "1", "2", "3", "4");
  }

  @Test
  void aHotKeyIsReloadedOncePerExpiryAcrossProcesses(@TempDir Path dir) throws Exception {
    Path loads = Files.createFile(dir.resolve("loads"));
    long millis = 6000;
    List<ChildJvm> children = new ArrayList<>();
    long reads = 0;
    long readEnd = Long.MAX_VALUE;
    try {
      children = start("hot", memcached.serverList(), "8", Long.toString(millis), loads.toString());
      for (ChildJvm c : children) {
        String line = c.awaitLine(l -> l.startsWith("reads "), STARTUP);
        assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
        String[] f = line.split(" ");
        reads += Long.parseLong(f[1]);
        readEnd = Math.min(readEnd, Long.parseLong(f[3]));
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    List<Long> starts =
        Files.readAllLines(loads).stream()
            .map(l -> Long.parseLong(l.split(" ")[0]))
            .sorted()
            .toList();
    System.out.printf(
        "hot key, 3 processes x 8 threads: %d reads, %d loads, at %s ms%n",
        reads, starts.size(), starts.stream().map(s -> s - starts.get(0)).toList());
    // A value is due between 1 s and 2 s after it was stored: reloads are about 1 s apart or more
    // (300 ms leaves a margin for a late tick of memcached's clock), while a second load for the
    // same expiry would follow within milliseconds.
    for (int i = 1; i < starts.size(); i++) {
      assertThat(starts.get(i) - starts.get(i - 1))
          .as("ms between loads %d and %d", i, i + 1)
          .isGreaterThan(300);
    }
    // The process that loaded first read on until at least readEnd. In that time the value
    // expired at least once every 2.5 s (2 s TTL, plus a margin for the load and a late clock
    // tick), and each expiry was reloaded once.
    long expiries = (readEnd - starts.get(0)) / 2500;
    assertThat(starts.size()).isBetween(1 + (int) expiries, 1 + (int) (millis / 700));
  }
}
