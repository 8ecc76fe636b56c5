package io.memlock.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.LockInfo;
import io.memlock.LockLostException;
import io.memlock.MemLock;
import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.integration.support.locks.DistributedLock;

/** The registry's contract, as the Redis and JDBC registries keep it, against real memcached. */
class MemLockRegistryTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock client1;
  private MemLock client2;
  private MemLockRegistry registry1;
  private MemLockRegistry registry2;

  @BeforeEach
  void start() {
    client1 = client();
    client2 = client();
    registry1 = new MemLockRegistry(client1, "orders");
    registry2 = new MemLockRegistry(client2, "orders");
  }

  @AfterEach
  void stop() {
    client1.close();
    client2.close();
  }

  private MemLock client() {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .leaseTime(Duration.ofSeconds(3))
        .build();
  }

  /** Runs on another thread and returns its result. */
  private static <T> T onOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(task.call());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            });
    t.start();
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void obtainCachesOneLockPerStringKey() {
    assertThat(registry1.obtain("a")).isSameAs(registry1.obtain("a"));
    assertThat(registry1.obtain("a")).isNotSameAs(registry1.obtain("b"));
    assertThatThrownBy(() -> registry1.obtain(42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a String, got java.lang.Integer");
    assertThatThrownBy(() -> registry1.obtain(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got null");
    assertThatThrownBy(() -> registry1.obtain(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> new MemLockRegistry(client1, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix is empty");
  }

  @Test
  void locksExcludeAcrossRegistriesAndPrefixesSeparateThem() throws Exception {
    Lock a = registry1.obtain("42");
    a.lock();
    try {
      assertThat(client1.inspect("orders:42")).isPresent();
      assertThat(onOtherThread(() -> registry2.obtain("42").tryLock())).isFalse();
      // Another thread of the same process waits on the local lock.
      assertThat(onOtherThread(() -> a.tryLock(200, TimeUnit.MILLISECONDS))).isFalse();
      // Another prefix is another lock.
      assertThat(new MemLockRegistry(client2, "invoices").obtain("42").tryLock()).isTrue();
    } finally {
      a.unlock();
    }
    assertThat(client1.inspect("orders:42")).isEmpty();
    DistributedLock b = registry2.obtain("42");
    assertThat(b.tryLock()).isTrue();
    b.unlock();
  }

  @Test
  void reentrantHoldsReleaseTheLockOnTheLastUnlock() throws Exception {
    Lock a = registry1.obtain("re");
    a.lock();
    assertThat(a.tryLock()).isTrue();
    a.lockInterruptibly();
    a.unlock();
    a.unlock();
    assertThat(onOtherThread(() -> registry2.obtain("re").tryLock())).isFalse();
    a.unlock();
    assertThatThrownBy(a::unlock)
        .isInstanceOf(IllegalMonitorStateException.class)
        .hasMessageContaining("does not hold lock 're'");
    assertThat(onOtherThread(() -> tryAndUnlock(registry2.obtain("re")))).isTrue();
  }

  private static boolean tryAndUnlock(Lock l) {
    if (!l.tryLock()) {
      return false;
    }
    l.unlock();
    return true;
  }

  @Test
  void unlockByAnotherThreadThrowsIllegalMonitorState() throws Exception {
    Lock a = registry1.obtain("owner");
    a.lock();
    try {
      assertThatThrownBy(
              () ->
                  onOtherThread(
                      () -> {
                        a.unlock();
                        return null;
                      }))
          .hasCauseInstanceOf(IllegalMonitorStateException.class)
          .hasMessageContaining("does not hold lock 'owner'");
      assertThat(client1.inspect("orders:owner")).isPresent();
    } finally {
      a.unlock();
    }
  }

  @Test
  void executeLockedRunsTheTaskUnderTheLock() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    registry1.executeLocked("job", () -> runs.incrementAndGet());
    String r =
        registry1.executeLocked(
            "job",
            () -> {
              assertThat(client2.inspect("orders:job")).isPresent();
              return "done";
            });
    assertThat(r).isEqualTo("done");
    assertThat(runs).hasValue(1);
    Lock held = registry2.obtain("job");
    held.lock();
    try {
      assertThatThrownBy(
              () ->
                  registry1.executeLocked(
                      "job", Duration.ofMillis(300), () -> runs.incrementAndGet()))
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("job");
    } finally {
      held.unlock();
    }
    registry1.executeLocked("job", Duration.ofSeconds(5), () -> runs.incrementAndGet());
    assertThat(runs).hasValue(2);
  }

  @Test
  void tryLockWaitsForARelease() throws Exception {
    Lock held = registry2.obtain("wait");
    held.lock();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Boolean> got =
        CompletableFuture.supplyAsync(
            () -> {
              waiting.countDown();
              try {
                Lock l = registry1.obtain("wait");
                boolean ok = l.tryLock(20, TimeUnit.SECONDS);
                if (ok) {
                  l.unlock();
                }
                return ok;
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    waiting.await();
    held.unlock();
    assertThat(got.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void expireUnusedOlderThanDropsOnlyLocksNobodyHolds() throws Exception {
    DistributedLock held = registry1.obtain("held");
    DistributedLock idle = registry1.obtain("idle");
    held.lock();
    try {
      registry1.expireUnusedOlderThan(0);
      assertThat(registry1.obtain("held")).isSameAs(held);
      assertThat(registry1.obtain("idle")).isNotSameAs(idle);
      DistributedLock fresh = registry1.obtain("idle");
      registry1.expireUnusedOlderThan(TimeUnit.HOURS.toMillis(1));
      assertThat(registry1.obtain("idle")).isSameAs(fresh);
    } finally {
      held.unlock();
    }
    registry1.expireUnusedOlderThan(0);
    assertThat(registry1.obtain("held")).isNotSameAs(held);
  }

  @Test
  void aLostLeaseIsNotReenteredAndUnlockSaysItWasLost() throws Exception {
    DistributedLock a = registry1.obtain("lost");
    a.lock();
    assertThat(client2.forceRelease("orders:lost")).isPresent();
    // The watchdog finds the item gone at its next renewal (a third of the 3 s lease); until then
    // a reentrant acquisition still succeeds. Poll at a steady pace: observation, not sync.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    LockLostException reentry = null;
    while (reentry == null && System.nanoTime() < deadline) {
      try {
        assertThat(a.tryLock()).isTrue();
        a.unlock();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      } catch (LockLostException e) {
        reentry = e;
      }
    }
    assertThat(reentry).as("reentry into the lost lease").isNotNull();
    assertThat(reentry).hasMessageContaining("'lost'").hasMessageContaining("was lost");
    assertThatThrownBy(a::unlock)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("lost");
    // The hold is over: the next acquisition takes a fresh lease.
    assertThatThrownBy(a::unlock).isInstanceOf(IllegalMonitorStateException.class);
    assertThat(a.tryLock()).isTrue();
    a.unlock();
  }

  @Test
  void lockWithTtlTakesAFixedLeaseRoundedUpToWholeSeconds() throws Exception {
    DistributedLock a = registry1.obtain("ttl");
    a.lock(Duration.ofMillis(4500));
    try {
      LockInfo info = client1.inspect("orders:ttl").orElseThrow();
      assertThat(info.leaseLeft()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
      // A reentrant acquisition with a TTL re-arms the lease, as Redis and JDBC do.
      a.lock(Duration.ofSeconds(20));
      a.unlock();
      assertThat(client1.inspect("orders:ttl").orElseThrow().leaseLeft())
          .isGreaterThan(Duration.ofSeconds(15));
      registry1.renewLock("ttl", Duration.ofSeconds(30));
      assertThat(client1.inspect("orders:ttl").orElseThrow().leaseLeft())
          .isGreaterThan(Duration.ofSeconds(25));
      registry1.renewLock("ttl");
      assertThat(client1.inspect("orders:ttl").orElseThrow().leaseLeft())
          .isGreaterThan(Duration.ofSeconds(25));
      assertThatThrownBy(
              () ->
                  onOtherThread(
                      () -> {
                        registry1.renewLock("ttl");
                        return null;
                      }))
          .hasCauseInstanceOf(IllegalMonitorStateException.class);
    } finally {
      a.unlock();
    }
    assertThat(a.tryLock(Duration.ZERO, Duration.ofMillis(100))).isTrue();
    try {
      // Under memlock's 3 s minimum, the lease is 3 s.
      assertThat(client1.inspect("orders:ttl").orElseThrow().leaseLeft())
          .isLessThanOrEqualTo(Duration.ofSeconds(3));
    } finally {
      a.unlock();
    }
    assertThatThrownBy(() -> a.lock(Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLeaseTime");
    assertThatThrownBy(() -> a.lock(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl must be positive");
    assertThat(a.tryLock()).isTrue();
    a.unlock();
  }

  @Test
  void aFixedLeaseThatRanOutMakesUnlockThrow() throws Exception {
    DistributedLock a = registry1.obtain("short");
    a.lock(Duration.ofSeconds(3));
    // Trusted for (3 - 2) s × 0.99 by the client; memcached drops it within 3 s.
    LockInfo info;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    do {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      info = client2.inspect("orders:short").orElse(null);
    } while (info != null && System.nanoTime() < deadline);
    assertThat(info).as("the item expired").isNull();
    assertThatThrownBy(a::unlock)
        .isInstanceOf(LockLostException.class)
        .hasMessageContaining("ran out");
  }

  @Test
  void renewLockChecksTheHold() throws Exception {
    assertThatThrownBy(() -> registry1.renewLock("nobody"))
        .isInstanceOf(IllegalMonitorStateException.class);
    DistributedLock a = registry1.obtain("renew");
    assertThatThrownBy(() -> registry1.renewLock("renew"))
        .isInstanceOf(IllegalMonitorStateException.class);
    a.lock();
    try {
      registry1.renewLock("renew");
      assertThatThrownBy(() -> registry1.renewLock("renew", Duration.ofSeconds(10)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("watchdog");
      long fence = registry1.fencingToken("renew");
      assertThat(fence).isPositive();
      client2.forceRelease("orders:renew");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      LockLostException lost = null;
      while (lost == null && System.nanoTime() < deadline) {
        try {
          registry1.renewLock("renew");
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        } catch (LockLostException e) {
          lost = e;
        }
      }
      assertThat(lost).isNotNull();
    } finally {
      assertThatThrownBy(a::unlock).isInstanceOf(LockLostException.class);
    }
    a.lock();
    try {
      assertThat(registry1.fencingToken("renew")).isGreaterThan(0);
    } finally {
      a.unlock();
    }
  }

  @Test
  void fencingTokensGrowFromHolderToHolder() throws Exception {
    long previous = 0;
    for (int i = 0; i < 4; i++) {
      MemLockRegistry r = i % 2 == 0 ? registry1 : registry2;
      DistributedLock l = r.obtain("fence");
      l.lock();
      try {
        long f = r.fencingToken("fence");
        assertThat(f).isGreaterThan(previous);
        previous = f;
      } finally {
        l.unlock();
      }
    }
  }

  @Test
  void failuresToReachMemcachedAreCannotAcquireLock() {
    MemLock closed = client();
    MemLockRegistry r = new MemLockRegistry(closed);
    DistributedLock l = r.obtain("closed");
    closed.close();
    assertThatThrownBy(l::lock)
        .isInstanceOf(CannotAcquireLockException.class)
        .hasMessageContaining("closed");
    // The local lock was given back.
    assertThatThrownBy(l::unlock).isInstanceOf(IllegalMonitorStateException.class);
  }
}
