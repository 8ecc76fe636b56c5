package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LockHandle#release(Duration)} (a release that keeps the lock taken by nobody) and {@link
 * LockHandle#extend(Duration)} (a new fixed lease), as ShedLock's lockAtLeastFor and extend need.
 */
class KeepAndExtendTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.servers(3);

  private MemLock client(String servers, int replicas) {
    return MemLock.builder().restartGrace(false).servers(servers).replicas(replicas).build();
  }

  private MemLock single() {
    return client(memcached.server(0).host() + ":" + memcached.server(0).port(), 1);
  }

  /** The TTL memcached reports for a lock item, or -2 if there is none. */
  private static long ttl(MemcachedServer server, String name) {
    String r = RawMemcached.command(server, "mg memlock:L:" + name + " t v");
    if (!r.startsWith("VA")) {
      return -2;
    }
    return Long.parseLong(r.split("\n")[0].replaceAll(".* t(-?\\d+).*", "$1"));
  }

  private static String value(MemcachedServer server, String name) {
    String r = RawMemcached.command(server, "mg memlock:L:" + name + " v");
    return r.startsWith("VA") ? r.split("\n", 2)[1] : r;
  }

  @Test
  void releaseWithKeepLeavesAnOwnerlessItemThatNobodyCanTakeUntilItExpires() throws Exception {
    try (MemLock a = single();
        MemLock b = single()) {
      LockHandle h = a.lock("kept").acquire(Duration.ZERO, Duration.ofSeconds(20));
      // 1.2 s rounds up to 2 s, plus 1 s for memcached's expiry clock.
      h.release(Duration.ofMillis(1200));
      assertThat(h.isHeld()).isFalse();
      assertThat(h.ended()).succeedsWithin(Duration.ofSeconds(5));
      long ttl = ttl(memcached.server(0), "kept");
      assertThat(ttl).isBetween(1L, 3L);
      assertThat(value(memcached.server(0), "kept")).contains("(released, kept by nobody)");
      assertThat(b.lock("kept").tryAcquire()).isEmpty();
      // Not even the releasing client takes it back.
      assertThat(a.lock("kept").tryAcquire()).isEmpty();
      assertThat(a.lock("kept").tryLock()).isFalse();
      // It frees itself with its TTL.
      LockHandle next = b.lock("kept").acquire(Duration.ofSeconds(10));
      next.release();
    }
  }

  @Test
  void releaseWithZeroKeepDeletesAtOnce() throws Exception {
    try (MemLock a = single();
        MemLock b = single()) {
      LockHandle h = a.lock("zero").acquire(Duration.ZERO, Duration.ofSeconds(20));
      h.release(Duration.ZERO);
      assertThat(ttl(memcached.server(0), "zero")).isEqualTo(-2);
      b.lock("zero").acquire(Duration.ZERO).release();
    }
  }

  @Test
  void releaseWithKeepOfAWatchdogHoldDoesNotHandTheLockToALocalWaiter() throws Exception {
    try (MemLock a = single()) {
      DistributedLock lock = a.lock("no-handoff");
      LockHandle h = lock.acquire(Duration.ZERO);
      java.util.concurrent.CompletableFuture<LockHandle> waiter =
          lock.acquireAsync(Duration.ofSeconds(30));
      h.release(Duration.ofSeconds(2));
      assertThat(value(memcached.server(0), "no-handoff")).contains("kept by nobody");
      // The waiter gets the lock only once the kept item expired: a fresh lease, not a hand-off.
      LockHandle next = waiter.get(30, TimeUnit.SECONDS);
      assertThat(next.fencingToken()).isGreaterThan(h.fencingToken() + 1);
      next.release();
    }
  }

  @Test
  void quorumKeepsTheOwnerlessItemOnEveryReplica() throws Exception {
    try (MemLock a = client(memcached.serverList(), 3);
        MemLock b = client(memcached.serverList(), 3)) {
      // Equal fence counters on the replicas: a replica won after the majority then joins the
      // lease as its reply is handled, without first raising its counter to the lease's fence.
      for (MemcachedServer s : memcached.servers()) {
        RawMemcached.set(s, "memlock:F:kept-q", "1000", 0);
      }
      LockHandle h = a.lock("kept-q").acquire(Duration.ZERO, Duration.ofSeconds(20));
      // The acquisition returns with a majority; the third replica joins the lease when its
      // replies are handled. Wait until its item is there, then make one more round trip to every
      // replica on the same connections (a.waiters): replies are handled in order, so the late
      // replica has joined by the time it returns, and the lease spans every replica.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (memcached.servers().stream().anyMatch(s -> ttl(s, "kept-q") < 0)) {
        assertThat(System.nanoTime()).as("all replicas hold the item").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      a.waiters("kept-q");
      h.release(Duration.ofSeconds(5));
      for (MemcachedServer s : memcached.servers()) {
        assertThat(value(s, "kept-q")).contains("(released, kept by nobody)");
        assertThat(ttl(s, "kept-q")).isBetween(4L, 6L);
      }
      assertThat(b.lock("kept-q").tryAcquire()).isEmpty();
    }
  }

  @Test
  void releaseWithKeepChecksItsArgumentAndTheHold() throws Exception {
    try (MemLock a = single()) {
      LockHandle h = a.lock("args").acquire(Duration.ZERO, Duration.ofSeconds(20));
      assertThatThrownBy(() -> h.release(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keepFor must not be negative");
      assertThatThrownBy(() -> h.release(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keepFor is null");
      assertThatThrownBy(() -> h.release(Duration.ofDays(31)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("30 days");
      assertThat(h.isHeld()).isTrue();
      a.forceRelease("args");
      assertThatThrownBy(() -> h.release(Duration.ofSeconds(3)))
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("args");
      assertThatThrownBy(() -> h.release(Duration.ofSeconds(3)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already released");
    }
  }

  @Test
  void extendRewritesTheTtlAndTheValidity() throws Exception {
    try (MemLock a = single();
        MemLock b = single()) {
      LockHandle h = a.lock("ext").acquire(Duration.ZERO, Duration.ofSeconds(3));
      assertThat(ttl(memcached.server(0), "ext")).isLessThanOrEqualTo(3);
      h.extend(Duration.ofSeconds(30));
      assertThat(ttl(memcached.server(0), "ext")).isBetween(28L, 30L);
      assertThat(h.leaseLeft()).isGreaterThan(Duration.ofSeconds(20));
      assertThat(b.lock("ext").tryAcquire()).isEmpty();
      // A shorter lease shortens the hold.
      h.extend(Duration.ofSeconds(4));
      assertThat(ttl(memcached.server(0), "ext")).isBetween(2L, 4L);
      assertThat(h.leaseLeft()).isLessThan(Duration.ofSeconds(4));
      h.release();
      assertThatThrownBy(() -> h.extend(Duration.ofSeconds(5)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("released");
    }
  }

  @Test
  void extendOfALostOrRunOutHoldThrowsLockLost() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    try (MemLock a =
            MemLock.builder()
                .restartGrace(false)
                .servers(memcached.serverList())
                .ticker(now::get)
                .build();
        MemLock b = client(memcached.serverList(), 1)) {
      LockHandle lost = a.lock("lost").acquire(Duration.ZERO, Duration.ofSeconds(20));
      b.forceRelease("lost");
      assertThatThrownBy(() -> lost.extend(Duration.ofSeconds(20)))
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("lost");
      LockHandle ranOut = a.lock("ran-out").acquire(Duration.ZERO, Duration.ofSeconds(20));
      now.addAndGet(TimeUnit.SECONDS.toNanos(20));
      // memcached still has the item, but past its validity the holder must not extend it.
      assertThatThrownBy(() -> ranOut.extend(Duration.ofSeconds(20)))
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("ran out");
    }
  }

  @Test
  void extendRefusesWatchdogHoldsAndBadLeases() throws Exception {
    try (MemLock a = single()) {
      LockHandle w = a.lock("wd").acquire(Duration.ZERO);
      assertThatThrownBy(() -> w.extend(Duration.ofSeconds(5)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("watchdog");
      w.release();
      LockHandle f = a.lock("fixed").acquire(Duration.ZERO, Duration.ofSeconds(5));
      assertThatThrownBy(() -> f.extend(Duration.ofMillis(2500)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("whole seconds");
      assertThatThrownBy(() -> f.extend(Duration.ofHours(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxLeaseTime");
      f.release();
    }
  }
}
