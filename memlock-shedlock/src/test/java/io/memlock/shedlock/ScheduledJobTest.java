package io.memlock.shedlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code @Scheduled} + {@code @SchedulerLock} job in two application contexts in two processes,
 * locked through {@link MemLockProvider}: each schedule slot runs at most once.
 */
class ScheduledJobTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  /** One run: which process, when. */
  private record Run(String who, long at) {}

  private static void send(ChildJvm c, String line) throws IOException {
    OutputStream in = c.process().getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Lets the jobs run for a while: an observation window, not synchronization. */
  private static void observe(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  /** Runs the job in two processes for {@code window} and returns every run, in time order. */
  private List<Run> runTwoProcesses(String cron, String atLeast, Duration window)
      throws IOException {
    List<Run> runs = new ArrayList<>();
    try (ChildJvm a = ChildJvm.start(ScheduledWorker.class, memcached.serverList(), cron, atLeast);
        ChildJvm b = ChildJvm.start(ScheduledWorker.class, memcached.serverList(), cron, atLeast)) {
      a.awaitLine(l -> l.equals("ready"), Duration.ofSeconds(60));
      b.awaitLine(l -> l.equals("ready"), Duration.ofSeconds(60));
      observe(window);
      send(a, "stop");
      send(b, "stop");
      a.awaitLine(l -> l.equals("stopped"), Duration.ofSeconds(60));
      b.awaitLine(l -> l.equals("stopped"), Duration.ofSeconds(60));
      for (ChildJvm c : List.of(a, b)) {
        String who = c == a ? "a" : "b";
        c.lines().stream()
            .filter(l -> l.startsWith("run "))
            .forEach(l -> runs.add(new Run(who, Long.parseLong(l.substring(4)))));
      }
    }
    runs.sort((x, y) -> Long.compare(x.at(), y.at()));
    return runs;
  }

  /**
   * The slot a run belongs to: the scheduled instant at or before it (a run starts a little after
   * its slot; 250 ms of tolerance for a timer that fires a little early).
   */
  private static long slot(Run r, long periodMs) {
    return Math.floorDiv(r.at() + 250, periodMs);
  }

  private static void assertOncePerSlot(
      List<Run> runs, long periodMs, long atLeastMs, String what) {
    Map<Long, List<Run>> bySlot = new TreeMap<>();
    for (Run r : runs) {
      bySlot.computeIfAbsent(slot(r, periodMs), s -> new ArrayList<>()).add(r);
    }
    long first = bySlot.keySet().stream().findFirst().orElse(0L);
    long last = bySlot.keySet().stream().reduce((x, y) -> y).orElse(0L);
    long aRuns = runs.stream().filter(r -> r.who().equals("a")).count();
    System.out.printf(
        "%s: %d runs (process a %d, b %d) in %d slots from the first run to the last; "
            + "no slot twice: %s%n",
        what,
        runs.size(),
        aRuns,
        runs.size() - aRuns,
        last - first + 1,
        bySlot.values().stream().allMatch(l -> l.size() == 1));
    assertThat(runs).as("the job ran").isNotEmpty();
    bySlot.forEach((s, l) -> assertThat(l).as("runs of slot %d", s).hasSize(1));
    // The guarantee underneath: consecutive runs are at least lockAtLeastFor apart.
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).at() - runs.get(i - 1).at())
          .as("runs %s and %s", runs.get(i - 1), runs.get(i))
          .isGreaterThanOrEqualTo(atLeastMs);
    }
  }

  @Test
  void everySecondWithLockAtLeastForHalfASecond() throws Exception {
    List<Run> runs = runTwoProcesses("* * * * * *", "PT0.5S", Duration.ofSeconds(12));
    assertOncePerSlot(runs, 1000, 500, "cron every 1 s, lockAtLeastFor 0.5 s");
  }

  @Test
  void everyThreeSecondsWithLockAtLeastForOneSecondRunsEverySlotOnce() throws Exception {
    List<Run> runs = runTwoProcesses("*/3 * * * * *", "PT1S", Duration.ofSeconds(15));
    assertOncePerSlot(runs, 3000, 1000, "cron every 3 s, lockAtLeastFor 1 s");
    // The kept item (1 s rounded, plus 1 s) expires before the next slot: no slot is skipped.
    long first = slot(runs.get(0), 3000);
    long last = slot(runs.get(runs.size() - 1), 3000);
    assertThat(runs).hasSize((int) (last - first + 1));
  }
}
