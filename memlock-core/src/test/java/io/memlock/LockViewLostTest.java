package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A thread whose {@code Lock}-view hold was lost and never unlocked must not reenter it: its next
 * lock or tryLock throws {@link LockLostException} once and drops the dead hold (issue 10, item 1).
 */
class LockViewLostTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  /** A client whose 3 s leases are renewed every second, so a loss is seen within about 2 s. */
  private MemLock client() {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .leaseTime(Duration.ofSeconds(3))
        .build();
  }

  private static DistributedLock view(MemLock m, String kind, String name) {
    return switch (kind) {
      case "plain" -> m.lock(name);
      case "fair" -> m.fairLock(name);
      case "read" -> m.readWriteLock(name).readLock();
      case "write" -> m.readWriteLock(name).writeLock();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Watches the holder's view until its watchdog has seen the loss (an observation loop). */
  private static void awaitLost(DistributedLock l) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (l.isHeldByCurrentThread()) {
      assertThat(System.nanoTime()).as("loss seen within 15 s").isLessThan(end);
      LockSupportPause.pause(Duration.ofMillis(20));
    }
  }

  /** The reported scenario: forceRelease, another client takes the lock, the old thread polls. */
  @ParameterizedTest
  @ValueSource(strings = {"plain", "fair", "write"})
  void aLostHoldIsNotReenteredAfterAnotherClientTookTheLock(String kind) throws Exception {
    try (MemLock a = client();
        MemLock b = client()) {
      DistributedLock l = view(a, kind, "leader");
      l.lock();
      long oldFence = l.fencingToken();
      if (kind.equals("write")) {
        assertThat(RawMemcached.meta(memcached.server(0), "md memlock:RW:leader")).isEqualTo("HD");
      } else {
        assertThat(b.forceRelease("leader")).isPresent();
      }
      awaitLost(l);
      // Lost but not unlocked: the count still says so, and the stale token is never given out.
      assertThat(l.getHoldCount()).isEqualTo(1);
      assertThatThrownBy(l::fencingToken).isInstanceOf(LockLostException.class);

      DistributedLock other = view(b, kind, "leader");
      assertThat(other.tryLock(10, TimeUnit.SECONDS)).isTrue();
      long otherFence = other.fencingToken();
      assertThat(otherFence).isGreaterThan(oldFence);

      // Old code: true, hold count 2, fencingToken() == oldFence. Two holders.
      assertThatThrownBy(l::tryLock)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("leader");
      assertThat(l.getHoldCount()).isZero();
      assertThat(l.isHeldByCurrentThread()).isFalse();
      assertThatThrownBy(l::unlock)
          .isInstanceOf(IllegalMonitorStateException.class)
          .isNotInstanceOf(LockLostException.class);
      // Once: the next call is a fresh acquisition, which finds the other holder.
      assertThat(l.tryLock()).isFalse();
      assertThat(l.getHoldCount()).isZero();

      other.unlock();
      assertThat(l.tryLock(10, TimeUnit.SECONDS)).isTrue();
      assertThat(l.getHoldCount()).isEqualTo(1);
      assertThat(l.fencingToken()).isGreaterThan(otherFence);
      l.unlock();
    }
  }

  /** Each way of locking throws once on a lost hold; the call after it acquires afresh. */
  @Test
  void everyLockMethodThrowsOnceThenAcquiresAfresh() throws Exception {
    List<String> methods = List.of("lock", "lockInterruptibly", "tryLock", "tryLockTimed");
    try (MemLock a = client();
        MemLock b = client()) {
      DistributedLock l = a.lock("methods");
      long lastFence = 0;
      for (String method : methods) {
        l.lock();
        l.lock();
        assertThat(l.fencingToken()).isGreaterThan(lastFence);
        lastFence = l.fencingToken();
        assertThat(b.forceRelease("methods")).isPresent();
        awaitLost(l);
        assertThat(l.getHoldCount()).as(method).isEqualTo(2);
        assertThatThrownBy(() -> call(l, method)).as(method).isInstanceOf(LockLostException.class);
        assertThat(l.getHoldCount()).as(method).isZero();
        call(l, method);
        assertThat(l.isHeldByCurrentThread()).as(method).isTrue();
        assertThat(l.getHoldCount()).as(method).isEqualTo(1);
        assertThat(l.fencingToken()).as(method).isGreaterThan(lastFence);
        lastFence = l.fencingToken();
        l.unlock();
      }
    }
  }

  private static void call(DistributedLock l, String method) throws InterruptedException {
    switch (method) {
      case "lock" -> l.lock();
      case "lockInterruptibly" -> l.lockInterruptibly();
      case "tryLock" -> assertThat(l.tryLock()).isTrue();
      case "tryLockTimed" -> assertThat(l.tryLock(10, TimeUnit.SECONDS)).isTrue();
      default -> throw new IllegalArgumentException(method);
    }
  }

  /** A lease that ran out by the holder's clock counts as lost for every view. */
  @ParameterizedTest
  @ValueSource(strings = {"plain", "fair", "read", "write"})
  void aHoldWhoseLeaseRanOutIsNotReentered(String kind) throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    try (MemLock a =
            MemLock.builder()
                .restartGrace(false)
                .servers(memcached.serverList())
                .leaseTime(Duration.ofSeconds(10))
                .ticker(now::get)
                .build();
        MemLock b = client()) {
      DistributedLock l = view(a, kind, "ran-out");
      l.lock();
      long oldFence = l.fencingToken();
      now.addAndGet(TimeUnit.MINUTES.toNanos(1));
      assertThat(l.isHeldByCurrentThread()).isFalse();
      assertThatThrownBy(l::fencingToken).isInstanceOf(LockLostException.class);
      assertThatThrownBy(l::tryLock).isInstanceOf(LockLostException.class);
      assertThat(l.getHoldCount()).isZero();
      // The dead hold's item was still ours and was deleted: others get in at once.
      DistributedLock other = view(b, kind, "ran-out");
      assertThat(other.tryLock(10, TimeUnit.SECONDS)).isTrue();
      // Readers may take other slots, whose fence counters are their own.
      boolean sameItem = !kind.equals("read");
      if (sameItem) {
        assertThat(other.fencingToken()).isGreaterThan(oldFence);
      }
      other.unlock();
      assertThat(l.tryLock(10, TimeUnit.SECONDS)).isTrue();
      if (sameItem) {
        assertThat(l.fencingToken()).isGreaterThan(oldFence);
      }
      l.unlock();
    }
  }

  /** Until the dead hold is dropped, each unlock of it reports the loss, as the count says. */
  @Test
  void everyUnlockOfAHoldWhoseLeaseRanOutThrows() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    try (MemLock a =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(10))
            .ticker(now::get)
            .build()) {
      DistributedLock l = a.lock("unlocks");
      l.lock();
      l.lock();
      now.addAndGet(TimeUnit.MINUTES.toNanos(1));
      assertThat(l.getHoldCount()).isEqualTo(2);
      assertThatThrownBy(l::unlock).isInstanceOf(LockLostException.class);
      assertThat(l.getHoldCount()).isEqualTo(1);
      assertThatThrownBy(l::unlock).isInstanceOf(LockLostException.class);
      assertThat(l.getHoldCount()).isZero();
      assertThatThrownBy(l::unlock).isNotInstanceOf(LockLostException.class);
      // The item of a lease that ran out is deleted in the background (if still ours): soon.
      assertThat(l.tryLock(5, TimeUnit.SECONDS)).isTrue();
      l.unlock();
    }
  }
}
