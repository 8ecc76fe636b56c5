package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LockBasicsTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock a;
  private MemLock b;

  @BeforeEach
  void clients() {
    a =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(5))
            .build();
    b =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void lockExcludesAnotherClientUntilUnlocked() {
    DistributedLock la = a.lock("orders");
    DistributedLock lb = b.lock("orders");
    la.lock();
    try {
      assertThat(la.isHeldByCurrentThread()).isTrue();
      assertThat(lb.tryLock()).isFalse();
    } finally {
      la.unlock();
    }
    assertThat(la.isHeldByCurrentThread()).isFalse();
    assertThat(lb.tryLock()).isTrue();
    lb.unlock();
  }

  @Test
  void fencesIncreaseAcrossHolders() {
    long previous = -1;
    for (int i = 0; i < 5; i++) {
      DistributedLock l = (i % 2 == 0 ? a : b).lock("fenced");
      l.lock();
      long fence = l.fencingToken();
      l.unlock();
      assertThat(fence).isGreaterThan(previous);
      previous = fence;
    }
  }

  @Test
  void reentrancyCountsHolds() {
    DistributedLock l = a.lock("reentrant");
    l.lock();
    assertThat(l.tryLock()).isTrue();
    l.lock();
    assertThat(l.getHoldCount()).isEqualTo(3);
    long fence = l.fencingToken();
    l.unlock();
    l.unlock();
    assertThat(l.getHoldCount()).isEqualTo(1);
    assertThat(l.fencingToken()).isEqualTo(fence);
    assertThat(b.lock("reentrant").tryLock()).isFalse();
    l.unlock();
    assertThat(l.getHoldCount()).isZero();
    assertThat(b.lock("reentrant").tryLock()).isTrue();
    b.lock("reentrant").unlock();
  }

  @Test
  void unlockByANonOwnerThrows() throws Exception {
    DistributedLock l = a.lock("owned");
    assertThatThrownBy(l::unlock)
        .isInstanceOf(IllegalMonitorStateException.class)
        .isNotInstanceOf(LockLostException.class)
        .hasMessageContaining("not held by thread");
    l.lock();
    AtomicReference<Throwable> other = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                l.unlock();
              } catch (Throwable e) {
                other.set(e);
              }
            });
    t.start();
    t.join();
    assertThat(other.get()).isInstanceOf(IllegalMonitorStateException.class);
    assertThat(l.isHeldByCurrentThread()).isTrue();
    assertThatThrownBy(() -> b.lock("owned").unlock())
        .isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(() -> b.lock("owned").fencingToken())
        .isInstanceOf(IllegalMonitorStateException.class);
    l.unlock();
  }

  @Test
  void handleIsReleasedFromAnotherThread() throws Exception {
    LockHandle h = a.lock("handle").acquire(Duration.ZERO);
    assertThat(h.isHeld()).isTrue();
    assertThat(h.leaseLeft()).isPositive();
    CompletableFuture.runAsync(h::release).get(5, TimeUnit.SECONDS);
    assertThat(h.isHeld()).isFalse();
    assertThat(h.ended()).succeedsWithin(Duration.ofSeconds(5));
    assertThatThrownBy(h::release).isInstanceOf(IllegalStateException.class);
    h.close();
    assertThat(b.lock("handle").tryAcquire()).isPresent().get().satisfies(LockHandle::close);
  }

  @Test
  void busyLockReportsItsHolder() throws Exception {
    try (LockHandle h = a.lock("busy").acquire(Duration.ZERO)) {
      assertThat(b.lock("busy").tryAcquire()).isEmpty();
      long start = System.nanoTime();
      assertThatThrownBy(() -> b.lock("busy").acquire(Duration.ofMillis(300)))
          .isInstanceOf(LockBusyException.class)
          .hasMessageContaining("lock 'busy' is held by ")
          .hasMessageContaining("/" + ProcessHandle.current().pid() + "/")
          .hasMessageContaining("gave up after 300 ms")
          .satisfies(
              e -> {
                LockBusyException busy = (LockBusyException) e;
                assertThat(busy.holder()).isPresent();
                assertThat(busy.holderLeaseLeft()).isPresent();
              });
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(waitedMs).isBetween(290L, 2000L);
      assertThat(h.isHeld()).isTrue();
    }
  }

  @Test
  void tryLockWithTimeoutWaitsForTheRelease() throws Exception {
    DistributedLock la = a.lock("wait");
    la.lock();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Boolean> got =
        CompletableFuture.supplyAsync(
            () -> {
              waiting.countDown();
              try {
                boolean ok = b.lock("wait").tryLock(10, TimeUnit.SECONDS);
                if (ok) {
                  b.lock("wait").unlock();
                }
                return ok;
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    waiting.await();
    la.unlock();
    assertThat(got.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void acquireWithoutAWaitWaitsAsLongAsItTakes() throws Exception {
    LockHandle first = a.lock("forever").acquire(Duration.ZERO);
    CompletableFuture<LockHandle> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return b.lock("forever").acquire();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(second).isNotDone();
    first.release();
    LockHandle h = second.get(10, TimeUnit.SECONDS);
    assertThat(h.fencingToken()).isGreaterThan(first.fencingToken());
    h.release();
  }

  @Test
  void buildReturnsAtOnceWhenTheServerRefuses() {
    long start = System.nanoTime();
    try (MemLock down =
        MemLock.builder()
            .restartGrace(false)
            .servers("127.0.0.1:1")
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
      assertThat(down.lock("x").tryLock()).isFalse();
      assertThatThrownBy(() -> down.lock("x").acquire(Duration.ZERO))
          .isInstanceOf(LockUnavailableException.class)
          .hasMessageContaining("127.0.0.1:1");
    }
  }

  @Test
  void lockInterruptiblyHonoursInterrupts() throws Exception {
    LockHandle h = a.lock("interrupt").acquire(Duration.ZERO);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              started.countDown();
              try {
                b.lock("interrupt").lockInterruptibly();
                outcome.set(new AssertionError("acquired"));
              } catch (Throwable e) {
                outcome.set(e);
              }
            });
    t.start();
    started.await();
    t.interrupt();
    t.join(5000);
    assertThat(t.isAlive()).isFalse();
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    h.release();
    // The interrupted acquisition's last attempt may still be in flight and hold b's local queue
    // for one round trip: the lock must not be stuck, so a bounded wait gets it.
    assertThat(b.lock("interrupt").tryLock(5, TimeUnit.SECONDS)).isTrue();
    b.lock("interrupt").unlock();
  }

  @Test
  void alreadyInterruptedThreadIsNotLocked() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> a.lock("pre-interrupted").lockInterruptibly())
        .isInstanceOf(InterruptedException.class);
    assertThat(a.lock("pre-interrupted").isHeldByCurrentThread()).isFalse();
  }

  @Test
  void lockIgnoresInterruptsButKeepsTheFlag() throws Exception {
    LockHandle h = a.lock("uninterruptible").acquire(Duration.ZERO);
    AtomicReference<Boolean> flag = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              started.countDown();
              DistributedLock l = b.lock("uninterruptible");
              l.lock();
              flag.set(Thread.currentThread().isInterrupted());
              l.unlock();
            });
    t.start();
    started.await();
    t.interrupt();
    h.release();
    t.join(10_000);
    assertThat(flag.get()).isTrue();
  }

  @Test
  void asyncAcquisitionCompletesAndCanBeCancelled() throws Exception {
    LockHandle h = a.lock("async").acquireAsync(Duration.ZERO).get(5, TimeUnit.SECONDS);
    CompletableFuture<LockHandle> waiting = b.lock("async").acquireAsync();
    assertThat(waiting).isNotDone();
    waiting.cancel(true);
    h.release();
    // The cancelled acquisition may still finish its attempt in flight; then it steps aside.
    b.lock("async").acquire(Duration.ofSeconds(5)).release();
    CompletableFuture<LockHandle> busy;
    try (LockHandle held = a.lock("async").acquire(Duration.ZERO)) {
      busy = b.lock("async").acquireAsync(Duration.ofMillis(100));
      assertThat(busy)
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(LockBusyException.class);
    }
  }

  @Test
  void fixedLeaseIsNotRenewed() throws Exception {
    LockHandle h = a.lock("fixed").acquire(Duration.ZERO, Duration.ofSeconds(3));
    CountDownLatch lost = new CountDownLatch(1);
    h.onLost((handle, e) -> lost.countDown());
    assertThat(lost.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(h.isHeld()).isFalse();
    assertThatThrownBy(h::release).isInstanceOf(LockLostException.class);
    // The item itself expires up to two seconds after the lease's trusted validity.
    b.lock("fixed").acquire(Duration.ofSeconds(5)).close();
  }

  @Test
  void badInput() {
    assertThatThrownBy(() -> a.lock(null)).hasMessage("lock name is null");
    assertThatThrownBy(() -> a.lock("")).hasMessage("lock name is empty");
    assertThatThrownBy(() -> a.lock("x").acquire(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.lock("x").acquire(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> a.lock("x").acquire(Duration.ZERO, Duration.ofMillis(1500)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> a.lock("x").acquire(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("at least 3 s");
    assertThatThrownBy(() -> a.lock("x").acquire(Duration.ZERO, Duration.ofDays(31)))
        .hasMessageContaining("at most 30 days");
    assertThatThrownBy(() -> a.lock("x").acquire(Duration.ZERO, Duration.ofSeconds(61)))
        .hasMessageContaining("longer than maxLeaseTime");
    assertThatThrownBy(() -> a.lock("x").newCondition())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> MemLock.builder().leaseTime(Duration.ofMillis(500)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> MemLock.builder().restartGrace(false).servers("nohost"))
        .hasMessageContaining("must be host:port");
    assertThatThrownBy(() -> MemLock.builder().restartGrace(false).servers("h:0"))
        .hasMessageContaining("ports are 1 to 65535");
    assertThatThrownBy(() -> MemLock.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                MemLock.builder()
                    .restartGrace(false)
                    .servers("127.0.0.1:1")
                    .leaseTime(Duration.ofSeconds(120))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("longer than maxLeaseTime");
    assertThatThrownBy(() -> MemLock.builder().namespace("a b"))
        .hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> MemLock.builder().drift(0.7)).hasMessageContaining("drift");
    assertThatThrownBy(() -> MemLock.builder().cohortHandoffs(128))
        .hasMessageContaining("0 to 127");
  }

  @Test
  void longAndOddNamesWork() throws Exception {
    for (String name : new String[] {"x".repeat(10_000), "with space", "zażółć\n", "#"}) {
      try (LockHandle h = a.lock(name).acquire(Duration.ZERO)) {
        assertThat(b.lock(name).tryAcquire()).isEmpty();
        assertThat(a.inspect(name)).isPresent();
      }
      assertThat(a.inspect(name)).isEmpty();
    }
  }

  @Test
  void closingTheClientReleasesItsLocksAndEndsItsFutures() throws Exception {
    MemLock c = MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
    LockHandle h = c.lock("closing").acquire(Duration.ZERO);
    CompletableFuture<Void> ended = h.ended();
    try (LockHandle other = a.lock("held-elsewhere").acquire(Duration.ZERO)) {
      CompletableFuture<LockHandle> waiting =
          c.lock("held-elsewhere").acquireAsync(Duration.ofSeconds(60));
      c.close();
      assertThat(waiting).failsWithin(Duration.ofSeconds(5));
    }
    assertThat(ended).succeedsWithin(Duration.ofSeconds(5));
    assertThat(b.lock("closing").tryAcquire()).isPresent().get().satisfies(LockHandle::close);
    assertThatThrownBy(() -> c.lock("x")).isInstanceOf(ClientClosedException.class);
  }
}
