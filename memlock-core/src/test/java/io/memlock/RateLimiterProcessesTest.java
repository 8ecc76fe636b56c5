package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Three processes share one rate limiter: the documented bound holds, and it is nearly reached. */
class RateLimiterProcessesTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private static int admitted(ChildJvm c) {
    String line = c.awaitLine(l -> l.startsWith("admitted "), STARTUP);
    assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
    return Integer.parseInt(line.substring("admitted ".length()));
  }

  @Test
  void onAFrozenClockThreeProcessesGetExactlyTheBurst() throws Exception {
    int burst = 400;
    long frozenAt = 1_900_000_000L;
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(
            ChildJvm.start(
                RateWorker.class,
                "frozen",
                memcached.serverList(),
                "frozen-procs",
                Long.toString(frozenAt),
                Integer.toString(burst),
                "4"));
      }
      StartSignal.release(children, STARTUP);
      int total = 0;
      for (ChildJvm c : children) {
        total += admitted(c);
      }
      // No admission lost (fewer) or counted twice (more) under cross-process CAS contention.
      assertThat(total).isEqualTo(burst);
    } finally {
      children.forEach(ChildJvm::close);
    }
    String item = RawMemcached.meta(memcached.server(0), "mg memlock:rate:frozen-procs v");
    assertThat(item.substring(item.indexOf('\n') + 1))
        .isEqualTo(Long.toString((frozenAt + 3600) * 1_000_000L));
  }

  /** One admission: the wall clock just before and just after the call, in microseconds. */
  private record Admission(long before, long after) {}

  @Test
  void threeProcessesStayWithinTheBoundAndNearIt(@TempDir Path dir) throws Exception {
    long permits = 200;
    long perMicros = 1_000_000;
    long burst = 20;
    List<ChildJvm> children = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Path out = dir.resolve("admissions-" + i);
        outputs.add(out);
        children.add(
            ChildJvm.start(
                RateWorker.class,
                "hammer",
                memcached.serverList(),
                "hammered",
                Long.toString(permits),
                Long.toString(perMicros / 1000),
                Long.toString(burst),
                "4",
                "3000",
                out.toString()));
      }
      StartSignal.release(children, STARTUP);
      for (ChildJvm c : children) {
        admitted(c);
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    List<Admission> all = new ArrayList<>();
    for (Path p : outputs) {
      for (String line : Files.readAllLines(p)) {
        String[] f = line.split(" ");
        all.add(new Admission(Long.parseLong(f[0]), Long.parseLong(f[1])));
      }
    }
    all.sort(Comparator.comparingLong(Admission::before));
    // All processes read the same system clock, so the skew allowance is 0. The limiter read its
    // clock somewhere inside [before, after] of each admitted call, so admissions i..j happened
    // within a window no longer than max(after) - before(i): check every such window.
    long worstExcess = Long.MIN_VALUE;
    for (int i = 0; i < all.size(); i++) {
      long maxAfter = Long.MIN_VALUE;
      for (int j = i; j < all.size(); j++) {
        maxAfter = Math.max(maxAfter, all.get(j).after());
        long window = maxAfter - all.get(i).before();
        double bound = burst + (double) permits * window / perMicros;
        int count = j - i + 1;
        // + 1 for the interval's rounding up to whole microseconds (it can only make fewer)
        assertThat((double) count)
            .as("admissions %d..%d within %d µs", i, j, window)
            .isLessThanOrEqualTo(bound + 1);
        worstExcess = Math.max(worstExcess, count - (long) Math.floor(bound));
      }
    }
    long span = all.get(all.size() - 1).after() - all.get(0).before();
    double allowed = burst + (double) permits * span / perMicros;
    System.out.printf(
        "rate limiter, 3 processes x 4 threads: %d admitted in %d ms, bound %.1f (%.0f%%),"
            + " closest window %d from its bound%n",
        all.size(), span / 1000, allowed, 100.0 * all.size() / allowed, -worstExcess);
    // Not just refusing: demand far exceeds the rate, so most of the allowance is used.
    assertThat((double) all.size()).isGreaterThan(0.5 * allowed);
  }
}
