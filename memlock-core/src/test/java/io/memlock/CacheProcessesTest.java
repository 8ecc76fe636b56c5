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
    List<String[]> lines =
        Files.readAllLines(loads).stream()
            .map(l -> l.split(" "))
            .sorted(java.util.Comparator.comparingLong(f -> Long.parseLong(f[0])))
            .toList();
    List<Long> starts = lines.stream().map(f -> Long.parseLong(f[0])).toList();
    System.out.printf(
        "hot key, 3 processes x 8 threads: %d reads, %d loads, at %s ms%n",
        reads, starts.size(), starts.stream().map(s -> s - starts.get(0)).toList());
    // Once per expiry: the first load filled the placeholder and every later load replaced the
    // value of the load before it (values are <pid>:<millis>). Two loads for one expiry would
    // replace the same value.
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i);
      String previous = i == 0 ? "-" : lines.get(i - 1)[1] + ":" + lines.get(i - 1)[0];
      assertThat(f[2])
          .as("value replaced by load %d of %s", i + 1, lines.size())
          .isEqualTo(previous);
    }
    // The process that loaded first read on until at least readEnd; a value stored at a load is
    // due within its 2 s TTL (plus a second of margin for memcached's clock): so many expiries.
    long expiries = (readEnd - starts.get(0)) / 3000;
    assertThat(starts.size()).isGreaterThanOrEqualTo(1 + (int) expiries);
  }
}
