package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leader election across three JVMs against real memcached: a SIGKILLed leader is replaced within
 * its lease + 2 s, a SIGSTOPped one is replaced likewise and revoked when it resumes, a memcached
 * restart revokes the leader and a new one leads after the restart grace, and quorum mode fails
 * over with a server down. Throughout, the windows in which each process believed it led (its
 * {@code isLeader()} polls) never overlap, and terms increase from leader to leader.
 */
class ElectionProcessesTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  private static final int LEASE = 3;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long FAILOVER_LIMIT_MILLIS = (LEASE + 2) * 1000L;

  private record Grant(int child, long term, long seenNanos) {}

  private static List<ChildJvm> start(int n, String servers, String name, int maxLease, int r) {
    List<ChildJvm> children = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      children.add(
          ChildJvm.start(
              ElectionWorker.class,
              servers,
              name,
              Integer.toString(LEASE),
              Integer.toString(maxLease),
              Integer.toString(r)));
    }
    for (ChildJvm c : children) {
      c.awaitLine(l -> l.startsWith("ready "), WAIT);
    }
    return children;
  }

  private static List<String> granted(ChildJvm c) {
    return c.lines().stream().filter(l -> l.startsWith("granted ")).toList();
  }

  /** Waits for a child other than {@code except} to print a granted line after {@code before}. */
  private static Grant awaitGrant(List<ChildJvm> children, int[] before, List<Integer> except)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < children.size(); i++) {
        List<String> g = granted(children.get(i));
        if (!except.contains(i) && g.size() > before[i]) {
          return new Grant(i, Long.parseLong(g.get(before[i]).split(" ")[1]), System.nanoTime());
        }
      }
      TimeUnit.MILLISECONDS.sleep(5); // polling the children's output with a deadline
    }
    throw new AssertionError("no new leader within " + WAIT);
  }

  private static int[] grantCounts(List<ChildJvm> children) {
    return children.stream().mapToInt(c -> granted(c).size()).toArray();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  /**
   * Checks that the windows in which the children believed they led do not overlap and that their
   * terms increase in the order of the windows. A killed child's window ends at its kill.
   */
  private static void assertOneLeaderAtATime(List<ChildJvm> children, long[] killedAtMillis) {
    record Window(int child, long term, long from, long to) {}
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      Long from = null;
      long term = -1;
      for (String line : children.get(i).lines()) {
        String[] f = line.split(" ");
        if (f[0].equals("leader")) {
          term = Long.parseLong(f[1]);
          from = Long.parseLong(f[2]);
        } else if (f[0].equals("follower") && from != null) {
          windows.add(new Window(i, term, from, Long.parseLong(f[1])));
          from = null;
        }
      }
      if (from != null) {
        long to = killedAtMillis[i] > 0 ? killedAtMillis[i] : Long.MAX_VALUE;
        windows.add(new Window(i, term, from, to));
      }
    }
    windows.sort(Comparator.comparingLong(Window::from));
    System.out.println("leadership windows: " + windows);
    for (int k = 1; k < windows.size(); k++) {
      Window prev = windows.get(k - 1);
      Window next = windows.get(k);
      assertThat(next.from()).as("%s starts after %s ended", next, prev).isGreaterThan(prev.to());
      assertThat(next.term())
          .as("terms increase: %s after %s", next, prev)
          .isGreaterThan(prev.term());
    }
  }

  @Test
  void aKilledLeaderIsReplacedAndAPausedOneIsRevokedWhenItResumes() throws Exception {
    List<ChildJvm> children = start(3, memcached.server(0).hostAndPort(), "kill-pause", LEASE, 1);
    long[] killedAt = new long[3];
    try {
      Grant first = awaitGrant(children, new int[3], List.of());

      int[] before = grantCounts(children);
      long killed = System.nanoTime();
      children.get(first.child()).kill();
      killedAt[first.child()] = System.currentTimeMillis();
      Grant second = awaitGrant(children, before, List.of(first.child()));
      long afterKill = TimeUnit.NANOSECONDS.toMillis(second.seenNanos() - killed);
      System.out.println("failover after SIGKILL: " + afterKill + " ms (lease " + LEASE + " s)");
      assertThat(afterKill).isLessThan(FAILOVER_LIMIT_MILLIS);
      assertThat(second.term()).isGreaterThan(first.term());

      ChildJvm paused = children.get(second.child());
      before = grantCounts(children);
      long stopped = System.nanoTime();
      paused.pause();
      Grant third = awaitGrant(children, before, List.of(first.child(), second.child()));
      long afterStop = TimeUnit.NANOSECONDS.toMillis(third.seenNanos() - stopped);
      System.out.println("failover after SIGSTOP: " + afterStop + " ms (lease " + LEASE + " s)");
      assertThat(afterStop).isLessThan(FAILOVER_LIMIT_MILLIS);
      assertThat(third.term()).isGreaterThan(second.term());

      long resumed = System.nanoTime();
      paused.resume();
      paused.awaitLine(l -> l.startsWith("revoked "), WAIT);
      paused.awaitLine(l -> l.startsWith("follower "), WAIT);
      System.out.println("paused leader revoked " + millisSince(resumed) + " ms after SIGCONT");
      assertOneLeaderAtATime(children, killedAt);
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void aMemcachedRestartRevokesTheLeaderAndANewOneLeadsAfterTheGrace() throws Exception {
    int maxLease = 4;
    List<ChildJvm> children = start(2, memcached.server(0).hostAndPort(), "restart", maxLease, 1);
    try {
      Grant first = awaitGrant(children, new int[2], List.of());
      int[] before = grantCounts(children);
      long restarted = System.nanoTime();
      memcached.server(0).restart();
      children.get(first.child()).awaitLine(l -> l.startsWith("revoked "), WAIT);
      long revoked = millisSince(restarted);
      Grant next = awaitGrant(children, before, List.of());
      long led = TimeUnit.NANOSECONDS.toMillis(next.seenNanos() - restarted);
      System.out.println(
          "memcached restart: leader revoked after "
              + revoked
              + " ms, new leader after "
              + led
              + " ms (restart grace "
              + maxLease
              + " s)");
      assertThat(led).isGreaterThanOrEqualTo(maxLease * 1000L);
      assertThat(next.term()).isGreaterThan(first.term());
      assertOneLeaderAtATime(children, new long[2]);
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void quorumModeFailsOverWithAServerDown() throws Exception {
    List<ChildJvm> children = start(3, memcached.serverList(), "quorum", LEASE, 3);
    long[] killedAt = new long[3];
    try {
      Grant first = awaitGrant(children, new int[3], List.of());
      memcached.server(2).kill(); // two of three replicas still make a majority
      int[] before = grantCounts(children);
      long killed = System.nanoTime();
      children.get(first.child()).kill();
      killedAt[first.child()] = System.currentTimeMillis();
      Grant second = awaitGrant(children, before, List.of(first.child()));
      long afterKill = TimeUnit.NANOSECONDS.toMillis(second.seenNanos() - killed);
      System.out.println(
          "quorum failover after SIGKILL, one of 3 servers down: "
              + afterKill
              + " ms (lease "
              + LEASE
              + " s)");
      assertThat(afterKill).isLessThan(FAILOVER_LIMIT_MILLIS);
      assertThat(second.term()).isGreaterThan(first.term());
      assertThat(granted(children.get(first.child()))).hasSize(1);
      assertOneLeaderAtATime(children, killedAt);
    } finally {
      children.forEach(ChildJvm::close);
    }
  }
}
