package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Semaphores against real memcached: never more holders than permits, leases, bad input. */
class SemaphoreTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock a;
  private MemLock b;

  @BeforeEach
  void clients() {
    // Long leases: on a loaded machine a short one can run out while a test is still holding.
    a = client(10);
    b = client(10);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private static MemLock client(int leaseSeconds) {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .leaseTime(Duration.ofSeconds(leaseSeconds))
        .build();
  }

  @Test
  void threeProcessesOfFourThreadsNeverHoldMoreThanThePermits(@TempDir Path dir) throws Exception {
    int permits = 3;
    Path file = dir.resolve("counters");
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(
            ChildJvm.start(
                SyncWorker.class,
                "semaphore",
                memcached.serverList(),
                "pool",
                Integer.toString(permits),
                "4",
                "25",
                file.toString()));
      }
      for (ChildJvm c : children) {
        c.awaitLine("done"::equals, Duration.ofSeconds(90));
        assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    long[] counters = new SharedCounters(file, 2).read();
    assertThat(counters[0]).as("holders inside at the end").isZero();
    // 12 threads wanted 3 permits: the semaphore was full at times, never over.
    assertThat(counters[1]).as("most holders inside at once").isEqualTo(permits);
  }

  @Test
  void tryAcquireIsEmptyWhenAllPermitsAreTakenAndAPermitIsReleasedFromAnotherThread()
      throws Exception {
    DistributedSemaphore sa = a.semaphore("two", 2);
    DistributedSemaphore sb = b.semaphore("two", 2);
    assertThat(sb.availablePermits()).isEqualTo(2);
    LockHandle first = sa.acquire(Duration.ZERO);
    LockHandle second = sb.tryAcquire().orElseThrow();
    assertThat(first.name()).isNotEqualTo(second.name()).startsWith("two (permit ");
    assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
    assertThat(sa.tryAcquire()).isEmpty();
    assertThat(sb.tryAcquire()).isEmpty();
    assertThat(sa.availablePermits()).isZero();
    assertThatThrownBy(() -> sb.acquire(Duration.ofMillis(200)))
        .isInstanceOf(LockBusyException.class)
        .hasMessageContaining("semaphore 'two': all 2 permits are held")
        .hasMessageContaining("gave up after 200 ms");

    CompletableFuture<LockHandle> waiting = sb.acquireAsync(Duration.ofSeconds(20));
    assertThat(waiting).isNotDone();
    CompletableFuture.runAsync(first::release).get(5, TimeUnit.SECONDS);
    assertThat(first.isHeld()).isFalse();
    LockHandle third = waiting.get(10, TimeUnit.SECONDS);
    assertThat(third.isHeld()).isTrue();
    assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
    second.release();
    third.release();
    assertThat(sa.availablePermits()).isEqualTo(2);
  }

  @Test
  void threadsOfOneClientShareThePermitsWithoutExceedingThem() throws Exception {
    DistributedSemaphore s = a.semaphore("local", 2);
    Set<String> inside = new HashSet<>();
    int[] most = {0};
    SyncWorker.run(
        6,
        () -> {
          for (int i = 0; i < 10; i++) {
            try (LockHandle permit = s.acquire(Duration.ofSeconds(30))) {
              synchronized (inside) {
                assertThat(inside.add(permit.name())).as("slot held twice").isTrue();
                most[0] = Math.max(most[0], inside.size());
              }
              SyncWorker.pause(2);
              synchronized (inside) {
                inside.remove(permit.name());
              }
            }
          }
        });
    assertThat(most[0]).isEqualTo(2);
  }

  @Test
  void aKilledHoldersPermitComesBackWithinItsLease() throws Exception {
    int lease = 4;
    try (ChildJvm child =
            ChildJvm.start(
                SyncWorker.class,
                "permit",
                memcached.serverList(),
                "crash",
                "2",
                Integer.toString(lease));
        MemLock survivor = client(10)) {
      child.awaitLine(l -> l.startsWith("held "), Duration.ofSeconds(30));
      DistributedSemaphore s = survivor.semaphore("crash", 2);
      LockHandle mine = s.acquire(Duration.ZERO);
      assertThat(s.tryAcquire()).isEmpty();
      child.kill();
      long killed = System.nanoTime();
      LockHandle back = s.acquire(Duration.ofSeconds(lease + 3));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      assertThat(waitedMs).isLessThanOrEqualTo((lease + 3) * 1000L);
      assertThat(back.name()).isNotEqualTo(mine.name());
      back.release();
      mine.release();
    }
  }

  @Test
  void aFixedLeasePermitFreesItselfAndReportsTheLoss() throws Exception {
    DistributedSemaphore s = a.semaphore("fixed", 1);
    LockHandle h = s.acquire(Duration.ZERO, Duration.ofSeconds(3));
    CompletableFuture<Void> ended = h.ended();
    assertThat(b.semaphore("fixed", 1).tryAcquire()).isEmpty();
    assertThat(ended)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(LockLostException.class);
    assertThatThrownBy(h::release).isInstanceOf(LockLostException.class);
    b.semaphore("fixed", 1).acquire(Duration.ofSeconds(5)).release();
  }

  /**
   * Regression: when a permit's lease ran out by its holder's clock, the watchdog deleted the item
   * of a lock of that name instead of the permit's slot, so the permit stayed taken until its TTL.
   */
  @Test
  void aPermitWhoseLeaseRanOutByItsHoldersClockIsFreedAtOnce() throws Exception {
    AtomicLong now = new AtomicLong(System.nanoTime());
    try (MemLock slow =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(60))
            .ticker(now::get)
            .build()) {
      LockHandle h = slow.semaphore("ran-out", 1).acquire(Duration.ZERO);
      CompletableFuture<Void> ended = h.ended();
      // The holder's clock jumps past its trusted lease; the item still has about 60 s to live.
      now.addAndGet(TimeUnit.SECONDS.toNanos(60));
      assertThat(ended)
          .failsWithin(Duration.ofSeconds(30))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(LockLostException.class)
          .withMessageContaining("ran out");
      long lost = System.nanoTime();
      // The holder deletes its item, so another client gets the permit at once, not in 60 s.
      LockHandle next = b.semaphore("ran-out", 1).acquire(Duration.ofSeconds(20));
      assertThat(System.nanoTime() - lost).isLessThan(TimeUnit.SECONDS.toNanos(10));
      next.release();
    }
  }

  @Test
  void closingTheClientReleasesItsPermitsAndFailsWaiters() throws Exception {
    MemLock c = client(3);
    DistributedSemaphore s = c.semaphore("closing", 1);
    s.acquire(Duration.ZERO);
    CompletableFuture<LockHandle> waiting = s.acquireAsync();
    c.close();
    assertThat(waiting)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(ClientClosedException.class);
    assertThat(a.semaphore("closing", 1).tryAcquire())
        .isPresent()
        .get()
        .satisfies(LockHandle::close);
  }

  @Test
  void interruptStopsAWaitingAcquisition() throws Exception {
    DistributedSemaphore s = a.semaphore("interrupt", 1);
    LockHandle held = s.acquire(Duration.ZERO);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                s.acquire();
                outcome.complete(new AssertionError("acquired"));
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    t.start();
    SyncTests.awaitParked(t);
    t.interrupt();
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    held.release();
    assertThat(s.tryAcquire()).isPresent().get().satisfies(LockHandle::close);
  }

  @Test
  void badInput() throws Exception {
    assertThatThrownBy(() -> a.semaphore(null, 1)).hasMessage("semaphore name is null");
    assertThatThrownBy(() -> a.semaphore("", 1)).hasMessage("semaphore name is empty");
    assertThatThrownBy(() -> a.semaphore("x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be 1 to 256, got 0");
    assertThatThrownBy(() -> a.semaphore("x", -3)).hasMessage("permits must be 1 to 256, got -3");
    assertThatThrownBy(() -> a.semaphore("x", 257)).hasMessage("permits must be 1 to 256, got 257");
    DistributedSemaphore s = a.semaphore("x", 256);
    assertThatThrownBy(() -> s.acquire(null)).hasMessage("wait is null");
    assertThatThrownBy(() -> s.acquire(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.acquire(Duration.ZERO, Duration.ofMillis(2500)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> s.acquireAsync(null)).hasMessage("wait is null");

    // Another client opens the same semaphore with another count.
    LockHandle h = s.acquire(Duration.ZERO);
    DistributedSemaphore other = b.semaphore("x", 3);
    assertThatThrownBy(other::tryAcquire)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("semaphore 'x' has 256 permits")
        .hasMessageContaining("opened it with 3");
    assertThatThrownBy(() -> other.acquire(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(other::availablePermits).isInstanceOf(IllegalStateException.class);
    assertThat(other.acquireAsync(Duration.ofSeconds(1)))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(b.semaphore("x", 256).tryAcquire()).isPresent().get().satisfies(LockHandle::close);
    h.release();
    Optional<LockHandle> again = a.semaphore("x", 256).tryAcquire();
    assertThat(again).isPresent();
    again.get().release();

    MemLock closed = client(3);
    closed.close();
    assertThatThrownBy(() -> closed.semaphore("x", 1)).isInstanceOf(ClientClosedException.class);
  }
}
