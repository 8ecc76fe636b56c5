package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.FaultProxy;
import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorum mode under faults, with real processes: three memcached servers, each behind a fault
 * proxy, and three JVMs contending for one lock. One server is SIGKILLed and restarted, another
 * SIGSTOPped beyond the TTL, the third slowed down and its connections cut, replies are cut in the
 * middle, and a contending JVM is SIGKILLed. No two valid holds overlap, fences follow the order of
 * holds, and the lock is never stuck past its TTL.
 */
class QuorumFaultTest {
  private static final int LEASE = 4;
  private static final int MAX_LEASE = 4;

  @TempDir Path dir;

  /** One logged hold. */
  record Hold(long fence, long start, long end, boolean ok, int worker) {}

  private List<Hold> holds(int workers) throws IOException {
    List<Hold> all = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      for (String line : Files.readAllLines(dir.resolve("holds-" + w))) {
        String[] f = line.split(" ");
        if (f.length == 4) {
          all.add(
              new Hold(
                  Long.parseLong(f[0]),
                  Long.parseLong(f[1]),
                  Long.parseLong(f[2]),
                  f[3].equals("ok"),
                  w));
        }
      }
    }
    all.sort(Comparator.comparingLong(Hold::start));
    return all;
  }

  private final List<ChildJvm> workers = new ArrayList<>();

  /** A fault injected, for the diagnostics. */
  record Event(String what, long at) {
    @Override
    public String toString() {
      return what;
    }
  }

  private final List<Event> events = new ArrayList<>();

  private void event(String what) {
    events.add(new Event(what, System.nanoTime()));
  }

  /** Waits until {@code more} holds beyond the current count are logged. */
  private void awaitProgress(int workers, int more, Duration timeout) throws Exception {
    int target = holds(workers).size() + more;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (holds(workers).size() < target) {
      assertThat(System.nanoTime())
          .as(
              "%d more holds within %s: the lock must not stay stuck; the workers said %s",
              more, timeout, this.workers.stream().map(w -> tail(w.lines())).toList())
          .isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50); // polling with a deadline
    }
  }

  private static List<String> tail(List<String> lines) {
    return lines.subList(Math.max(0, lines.size() - 3), lines.size());
  }

  /**
   * The restart grace in quorum mode, where a random fault run may not notice it gone: a holder
   * that won on servers 0 and 1 (it could not reach server 2) loses its item on server 0 to a
   * restart. Server 0 must not count toward another majority (0 and 2) until its grace ends, so the
   * next holder gets in only after the first holder's trusted lease ended.
   */
  @Test
  void aRestartedReplicaDoesNotCountTowardAMajorityDuringItsGrace() throws Exception {
    int lease = 6;
    List<MemcachedServer> servers = new ArrayList<>();
    List<FaultProxy> proxies = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(MemcachedServer.startNew());
      }
      // The first holder reaches the servers through proxies, and server 2 refuses it throughout.
      for (int i = 0; i < 3; i++) {
        proxies.add(FaultProxy.start(servers.get(i).address()));
      }
      proxies.get(2).refuse(true);
      try (MemLock first =
              quorumClient(
                  String.join(",", proxies.stream().map(FaultProxy::hostAndPort).toList()), lease);
          MemLock second =
              quorumClient(
                  String.join(",", servers.stream().map(MemcachedServer::hostAndPort).toList()),
                  lease)) {
        // Fresh servers: both wait out the grace first. A fixed lease: no renewal tells the
        // first holder that its item on server 0 is gone.
        LockHandle h =
            first.lock("regrace").acquire(Duration.ofSeconds(30), Duration.ofSeconds(lease));
        long fence = h.fencingToken();
        long trustedUntil = System.nanoTime() + h.leaseLeft().toNanos();
        assertThat(RawMemcached.exists(servers.get(2), "memlock:L:regrace")).isFalse();
        servers.get(0).restart();
        try (LockHandle next = second.lock("regrace").acquire(Duration.ofSeconds(30))) {
          long acquired = System.nanoTime();
          assertThat(acquired)
              .as(
                  "second holder got in %d ms after the first holder's trusted lease ended",
                  (acquired - trustedUntil) / 1_000_000)
              .isGreaterThan(trustedUntil);
          assertThat(h.isHeld()).isFalse();
          assertThat(next.fencingToken()).isGreaterThan(fence);
        }
      }
    } finally {
      proxies.forEach(FaultProxy::close);
      servers.forEach(MemcachedServer::close);
    }
  }

  private static MemLock quorumClient(String servers, int lease) {
    return MemLock.builder()
        .servers(servers)
        .replicas(3)
        .leaseTime(Duration.ofSeconds(lease))
        .maxLeaseTime(Duration.ofSeconds(lease))
        .build();
  }

  @Test
  void noOverlappingHoldsAndNoStuckLockUnderServerProcessAndNetworkFaults() throws Exception {
    List<MemcachedServer> servers = new ArrayList<>();
    List<FaultProxy> proxies = new ArrayList<>();
    Path stop = dir.resolve("stop");
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(MemcachedServer.startNew());
        proxies.add(FaultProxy.start(servers.get(i).address()));
      }
      String list = String.join(",", proxies.stream().map(FaultProxy::hostAndPort).toList());
      for (int w = 0; w < 3; w++) {
        Files.writeString(dir.resolve("holds-" + w), "");
        workers.add(
            ChildJvm.start(
                QuorumWorker.class,
                list,
                "contended",
                Integer.toString(LEASE),
                Integer.toString(MAX_LEASE),
                dir.resolve("holds-" + w).toString(),
                stop.toString()));
      }
      for (ChildJvm w : workers) {
        w.awaitLine("ready"::equals, Duration.ofSeconds(60));
      }
      Duration patience = Duration.ofSeconds(30);
      // The servers are fresh: the restart grace (4 s + 3 s of slack) passes first.
      awaitProgress(3, 15, patience);

      // A server crashes and comes back empty: it sits out its restart grace, the other two go on.
      event("restart 0");
      servers.get(0).kill();
      servers.get(0).start();
      awaitProgress(3, 15, patience);
      long regraced = System.nanoTime();

      // Another stalls beyond the TTL (once the first is past its grace, so two are usable).
      while (System.nanoTime() - regraced < TimeUnit.SECONDS.toNanos(MAX_LEASE + 4)) {
        awaitProgress(3, 1, patience);
      }
      event("pause 1");
      servers.get(1).pause();
      awaitProgress(3, 15, patience);
      long paused = System.nanoTime();
      while (System.nanoTime() - paused < TimeUnit.SECONDS.toNanos(LEASE + 1)) {
        awaitProgress(3, 1, patience);
      }
      servers.get(1).resume();
      event("resume 1");

      // The network: latency on one server, connections cut on another, replies cut short.
      event("latency 2, cut 0");
      proxies.get(2).latency(Duration.ofMillis(150));
      proxies.get(0).dropConnections();
      awaitProgress(3, 15, patience);
      proxies.get(2).latency(Duration.ZERO);
      event("cut replies 1");
      for (int i = 0; i < 3; i++) {
        proxies.get(1).cutNextReply(7);
        awaitProgress(3, 5, patience);
      }

      // A contender dies, perhaps holding the lock: the others get it within its TTL.
      event("kill worker 0");
      workers.get(0).kill();
      long killed = System.nanoTime();
      awaitProgress(3, 15, patience);

      Files.writeString(stop, "stop");
      for (int w = 1; w < 3; w++) {
        workers.get(w).awaitLine("done"::equals, Duration.ofSeconds(30));
      }

      List<Hold> all = holds(3);
      List<Hold> ok = all.stream().filter(Hold::ok).toList();
      assertThat(ok.size()).isGreaterThanOrEqualTo(75);
      for (int i = 1; i < ok.size(); i++) {
        Hold prev = ok.get(i - 1);
        Hold next = ok.get(i);
        assertThat(next.start())
            .as("hold %s starts after %s ended", next, prev)
            .isGreaterThan(prev.end());
        assertThat(next.fence()).as("fence of %s after %s", next, prev).isGreaterThan(prev.fence());
      }
      // Never stuck: between one hold and the next, at most the TTL (a dead holder's lease) plus
      // the waiters' polling and the slow requests of the faults.
      long maxGap = 0;
      long gapAt = 0;
      for (int i = 1; i < all.size(); i++) {
        long gap = all.get(i).start() - all.get(i - 1).end();
        if (gap > maxGap) {
          maxGap = gap;
          gapAt = all.get(i - 1).end();
        }
      }
      System.out.printf(
          "holds: %d, valid: %d, lost: %d, longest gap: %d ms, from %d ms after the first hold;"
              + " faults at %s ms%n",
          all.size(),
          ok.size(),
          all.size() - ok.size(),
          maxGap / 1_000_000,
          (gapAt - all.get(0).start()) / 1_000_000,
          events.stream().map(e -> e + "=" + (e.at() - all.get(0).start()) / 1_000_000).toList());
      long gapStart = gapAt;
      long gapEnd = gapAt + maxGap;
      assertThat(Duration.ofNanos(maxGap))
          .as(
              "longest time without a holder; meanwhile the workers said %s",
              workers.stream()
                  .flatMap(w -> w.lines().stream())
                  .filter(l -> l.startsWith("waiting "))
                  .filter(
                      l -> {
                        long t = Long.parseLong(l.substring(8, l.indexOf(':')));
                        return t > gapStart && t < gapEnd;
                      })
                  .toList())
          .isLessThan(Duration.ofSeconds(LEASE + 4));
      long firstAfterKill =
          all.stream()
              .filter(h -> h.start() > killed && h.worker() != 0)
              .findFirst()
              .orElseThrow()
              .start();
      System.out.printf(
          "first hold after a contender was killed: %d ms%n",
          (firstAfterKill - killed) / 1_000_000);
      assertThat(Duration.ofNanos(firstAfterKill - killed))
          .isLessThan(Duration.ofSeconds(LEASE + 2));
    } finally {
      Files.writeString(stop, "stop");
      workers.forEach(ChildJvm::close);
      proxies.forEach(FaultProxy::close);
      servers.forEach(MemcachedServer::close);
    }
  }
}
