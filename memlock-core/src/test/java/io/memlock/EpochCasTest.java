package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 4: a CAS won before a reconnection is never sent after it. memcached's CAS counter
 * restarts with the server, so an old CAS can match another holder's item on the restarted server.
 */
class EpochCasTest {
  private static final Duration LEASE = Duration.ofSeconds(9);

  @Test
  void aRenewalAfterARestartNeverSendsTheOldCasThatNowNamesAnotherHoldersItem() throws Exception {
    AtomicLong clockA = new AtomicLong(1_000_000_000L);
    AtomicLong clockB = new AtomicLong(1_000_000_000L);
    try (MemcachedServer server = MemcachedServer.startNew();
        MemLock a = client(server, clockA)) {
      for (int i = 0; i < 5; i++) {
        writeFiller(server, "before-" + i);
      }
      // The clocks stand still: no renewal until the test moves them.
      LockHandle first = a.lock("cas").acquire(Duration.ofSeconds(5));
      long cas = casOf(server, "memlock:L:cas");
      assertThat(cas).isGreaterThan(1);

      server.kill();
      server.start();
      // A reconnects (a new connection epoch).
      CleanupRetryTest.awaitTrue(() -> reachable(a), Duration.ofSeconds(20));
      // Writes on the new server bring its CAS counter to just below the old CAS ...
      for (int i = 0; writeFiller(server, "after-" + i) < cas - 1; i++) {
        // each write takes the next CAS
      }
      try (MemLock b = client(server, clockB)) {
        // ... so that another client's lock item gets the very CAS the first holder still has.
        LockHandle second = b.lock("cas").acquire(Duration.ofSeconds(5));
        assertThat(casOf(server, "memlock:L:cas")).as("same CAS as before").isEqualTo(cas);
        String item = RawMemcached.command(server, "mg memlock:L:cas v c");

        // The first holder's renewal comes due.
        clockA.addAndGet(LEASE.toNanos() / 3 + TimeUnit.MILLISECONDS.toNanos(100));
        CleanupRetryTest.awaitTrue(
            () ->
                !first.isHeld()
                    || !item.equals(RawMemcached.command(server, "mg memlock:L:cas v c")),
            Duration.ofSeconds(15));
        assertThat(RawMemcached.command(server, "mg memlock:L:cas v c"))
            .as("the second holder's item is untouched")
            .isEqualTo(item);
        assertThat(first.isHeld()).isFalse();
        assertThatThrownBy(first::release)
            .isInstanceOf(LockLostException.class)
            .hasMessageContaining("re-established");
        assertThat(second.isHeld()).isTrue();
        second.release();
      }
    }
  }

  @Test
  void aQuorumReplicaRestartedUnderALeaseNeverGetsItsOldCasAndLeavesTheLease() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    List<MemcachedServer> three = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        three.add(MemcachedServer.startNew());
      }
      MemcachedServer restarted = three.get(0);
      for (int i = 0; i < 5; i++) {
        writeFiller(restarted, "before-" + i);
      }
      try (MemLock a =
          MemLock.builder()
              .servers(String.join(",", three.stream().map(MemcachedServer::hostAndPort).toList()))
              .replicas(3)
              .restartGrace(false)
              .leaseTime(LEASE)
              .maxLeaseTime(LEASE)
              .ticker(clock::get)
              .build()) {
        LockHandle h = a.lock("q").acquire(Duration.ofSeconds(5));
        long cas = casOf(restarted, "memlock:L:q");
        assertThat(cas).isGreaterThan(1);
        restarted.kill();
        restarted.start();
        CleanupRetryTest.awaitTrue(() -> reachable(a), Duration.ofSeconds(20));
        for (int i = 0; writeFiller(restarted, "after-" + i) < cas - 1; i++) {
          // each write takes the next CAS
        }
        // Someone else's item takes the very CAS the lease still has for this replica.
        RawMemcached.set(restarted, "memlock:L:q", "someone-else", 60);
        assertThat(casOf(restarted, "memlock:L:q")).isEqualTo(cas);
        String item = RawMemcached.command(restarted, "mg memlock:L:q v c");

        // Two renewals come due (the second would take the replica back if it were free).
        for (int i = 0; i < 2; i++) {
          String before = RawMemcached.command(three.get(1), "mg memlock:L:q c");
          clock.addAndGet(LEASE.toNanos() / 3 + TimeUnit.MILLISECONDS.toNanos(100));
          CleanupRetryTest.awaitTrue(
              () -> !before.equals(RawMemcached.command(three.get(1), "mg memlock:L:q c")),
              Duration.ofSeconds(15));
        }
        assertThat(RawMemcached.command(restarted, "mg memlock:L:q v c"))
            .as("the other item on the restarted replica is untouched")
            .isEqualTo(item);
        // The other two replicas still make a majority.
        assertThat(h.isHeld()).isTrue();
        h.release();
      }
    } finally {
      three.forEach(MemcachedServer::close);
    }
  }

  private static MemLock client(MemcachedServer server, AtomicLong clock) {
    return MemLock.builder()
        .servers(server.hostAndPort())
        .restartGrace(false)
        .leaseTime(LEASE)
        .maxLeaseTime(LEASE)
        .ticker(clock::get)
        .build();
  }

  private static boolean reachable(MemLock c) {
    try {
      c.inspect("cas");
      return true;
    } catch (MemLockException e) {
      return false;
    }
  }

  /** Writes a filler item and returns the CAS it got. */
  private static long writeFiller(MemcachedServer server, String filler) {
    String reply = RawMemcached.command(server, "ms " + filler + " 1 T0 c\r\nx");
    return Long.parseLong(reply.substring(reply.indexOf(" c") + 2).trim());
  }

  /** The CAS of an existing item. */
  private static long casOf(MemcachedServer server, String key) {
    String reply = RawMemcached.command(server, "mg " + key + " c");
    return Long.parseLong(reply.substring(reply.indexOf(" c") + 2).trim());
  }
}
