package io.memlock.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.MemLock;
import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/**
 * Spring Integration's {@link LockRegistryLeaderInitiator} on a {@link MemLockRegistry}: one leader
 * at a time across processes, failover after the leader's process is killed, and revocation when
 * the leader's lease is lost.
 */
class LeaderElectionTest {
  private static final int LEASE_SECONDS = 4;

  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  /** One leadership term of one process, in epoch milliseconds. */
  private record Term(String who, long from, long to) {}

  private static ChildJvm worker(String id) {
    return ChildJvm.start(
        LeaderWorker.class,
        memcached.serverList(),
        "cluster-leader",
        Integer.toString(LEASE_SECONDS),
        id);
  }

  private static long stamp(String line) {
    return Long.parseLong(line.substring(line.indexOf(' ') + 1));
  }

  private static boolean granted(ChildJvm c) {
    return c.lines().stream().anyMatch(l -> l.startsWith("granted"));
  }

  /** Lets the processes run for a while: an observation window, not synchronization. */
  private static void observe(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static void send(ChildJvm c, String line) throws IOException {
    OutputStream in = c.process().getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  @Test
  void oneLeaderAtATimeAcrossProcessesAndFailoverWithinLeasePlusTwoSeconds() throws Exception {
    List<Term> terms = new ArrayList<>();
    try (ChildJvm a = worker("a");
        ChildJvm b = worker("b")) {
      a.awaitLine(l -> l.equals("started"), Duration.ofSeconds(60));
      b.awaitLine(l -> l.equals("started"), Duration.ofSeconds(60));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!granted(a) && !granted(b) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      ChildJvm leader = granted(a) ? a : b;
      ChildJvm follower = leader == a ? b : a;
      long leaderFrom = stamp(leader.awaitLine(l -> l.startsWith("granted"), Duration.ZERO));
      // Both run their heartbeats (every 500 ms) for several renewals of the 4 s lease.
      observe(Duration.ofSeconds(6));
      assertThat(granted(follower))
          .as("the follower was never granted while the leader lived")
          .isFalse();
      assertThat(leader.lines()).noneMatch(l -> l.startsWith("revoked"));

      long killAt = System.currentTimeMillis();
      leader.kill();
      long dead = System.currentTimeMillis();
      terms.add(new Term("first leader", leaderFrom, dead));
      long followerFrom =
          stamp(follower.awaitLine(l -> l.startsWith("granted"), Duration.ofSeconds(60)));
      long failoverMs = followerFrom - killAt;
      System.out.printf(
          "leader SIGKILLed: the other process was granted %d ms later (lease %d s)%n",
          failoverMs, LEASE_SECONDS);
      assertThat(failoverMs).isLessThanOrEqualTo(LEASE_SECONDS * 1000L + 2000);

      // A third process joins; the second leader stops gracefully and hands over.
      try (ChildJvm c = worker("c")) {
        c.awaitLine(l -> l.equals("started"), Duration.ofSeconds(60));
        observe(Duration.ofSeconds(3));
        assertThat(granted(c)).as("the newcomer waits while the leader lives").isFalse();
        long stopAt = System.currentTimeMillis();
        send(follower, "stop");
        long followerTo =
            stamp(follower.awaitLine(l -> l.startsWith("revoked"), Duration.ofSeconds(60)));
        follower.awaitLine(l -> l.equals("stopped"), Duration.ofSeconds(60));
        terms.add(new Term("second leader", followerFrom, followerTo));
        long cFrom = stamp(c.awaitLine(l -> l.startsWith("granted"), Duration.ofSeconds(60)));
        terms.add(new Term("third leader", cFrom, Long.MAX_VALUE));
        System.out.printf(
            "leader stopped: the other process was granted %d ms after the stop%n", cFrom - stopAt);
      }
    }
    // No two terms overlap: each begins after the previous one ended.
    for (int i = 1; i < terms.size(); i++) {
      assertThat(terms.get(i).from())
          .as(terms.get(i).who() + " begins after " + terms.get(i - 1).who() + " ended")
          .isGreaterThanOrEqualTo(terms.get(i - 1).to());
    }
    System.out.println("terms: " + terms);
  }

  @Test
  void aLeaderWhoseLeaseIsLostIsRevokedAndElectedAgain() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (MemLock memlock =
            MemLock.builder()
                .restartGrace(false)
                .servers(memcached.serverList())
                .leaseTime(Duration.ofSeconds(3))
                .build();
        MemLock operator =
            MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
        GenericApplicationContext context = new GenericApplicationContext()) {
      context.registerBean(MemLockRegistry.class, () -> new MemLockRegistry(memlock, "leader"));
      context.registerBean(
          LockRegistryLeaderInitiator.class,
          () ->
              new LockRegistryLeaderInitiator(
                  context.getBean(MemLockRegistry.class),
                  new DefaultCandidate("solo", "lost-lease") {
                    @Override
                    public void onGranted(Context ctx) {
                      events.add("granted " + System.nanoTime());
                    }

                    @Override
                    public void onRevoked(Context ctx) {
                      events.add("revoked " + System.nanoTime());
                    }
                  }));
      context.refresh();
      assertThat(events.poll(30, TimeUnit.SECONDS)).startsWith("granted");
      LockRegistryLeaderInitiator initiator = context.getBean(LockRegistryLeaderInitiator.class);
      assertThat(initiator.getContext().isLeader()).isTrue();

      long broken = System.nanoTime();
      assertThat(operator.forceRelease("leader:lost-lease")).isPresent();
      String revoked = events.poll(30, TimeUnit.SECONDS);
      assertThat(revoked).as("revoked after the lease was lost").startsWith("revoked");
      long revokeMs = TimeUnit.NANOSECONDS.toMillis(stamp(revoked) - broken);
      System.out.printf(
          "lease lost: the leader was revoked %d ms after the item was deleted%n", revokeMs);
      // The watchdog notices at its next renewal (a third of the 3 s lease), the initiator at its
      // next heartbeat (500 ms).
      assertThat(revokeMs).isLessThan(10_000);
      // Nobody else runs, so it is elected again with a fresh lease.
      assertThat(events.poll(30, TimeUnit.SECONDS)).startsWith("granted");
      assertThat(operator.inspect("leader:lost-lease")).isPresent();
    }
  }
}
