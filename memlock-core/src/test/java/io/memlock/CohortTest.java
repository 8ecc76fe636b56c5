package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Threads of one client pass the lock among themselves, at most 64 times in a row. */
class CohortTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  @Test
  void localHandOffsAreBoundedAndCarryIncreasingFences() throws Exception {
    List<Long> fences = Collections.synchronizedList(new ArrayList<>());
    try (MemLock memlock =
        MemLock.builder().restartGrace(false).servers(memcached.serverList()).build()) {
      DistributedLock lock = memlock.lock("cohort");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    lock.lock();
                    try {
                      fences.add(lock.fencingToken());
                    } finally {
                      lock.unlock();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
    }
    assertThat(fences).hasSize(800).isSorted().doesNotHaveDuplicates();
    long handOffs = fences.stream().filter(f -> f % 128 != 0).count();
    long maxIndex = fences.stream().mapToLong(f -> f % 128).max().orElse(0);
    assertThat(handOffs).as("hand-offs without a round trip").isGreaterThan(400);
    assertThat(maxIndex).as("longest run of hand-offs").isLessThanOrEqualTo(64);
  }

  /**
   * Mutant killed: handing a lease to a local waiter when it has (almost) nothing left. With less
   * than the hand-off margin (a quarter of the trusted lease) left, the waiter must get a fresh
   * lease, with a new counter value; with plenty left it takes the lease over. The lease's clock is
   * moved by hand.
   */
  @Test
  void aLeaseIsHandedToALocalWaiterOnlyWithEnoughOfItLeft() throws Exception {
    AtomicLong now = new AtomicLong(System.nanoTime());
    // 60 s: trusted for 57.42 s, hand-off margin 14.355 s, renewed every 20 s.
    try (MemLock memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(60))
            .ticker(now::get)
            .build()) {
      // Plenty left: the waiter takes the lease over, with the next hand-off index.
      LockHandle first = memlock.lock("margin").acquire(Duration.ZERO);
      CompletableFuture<LockHandle> waiter =
          memlock.lock("margin").acquireAsync(Duration.ofSeconds(30));
      first.release();
      LockHandle second = waiter.get(10, TimeUnit.SECONDS);
      assertThat(second.fencingToken()).isEqualTo(first.fencingToken() + 1);

      // Wait for the first renewal (it publishes the fence): the next one is 20 s away, so the
      // clock moved by hand decides alone what is left of the lease.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (memlock.inspect("margin").orElseThrow().fencingToken().isEmpty()) {
        assertThat(System.nanoTime()).as("fence published within 10 s").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(20); // polling with a deadline
      }
      // 10 s of the trusted lease left: still held, but less than the margin.
      now.addAndGet(second.leaseLeft().toNanos() - TimeUnit.SECONDS.toNanos(10));
      assertThat(second.isHeld()).isTrue();
      CompletableFuture<LockHandle> late =
          memlock.lock("margin").acquireAsync(Duration.ofSeconds(30));
      second.release();
      LockHandle third = late.get(10, TimeUnit.SECONDS);
      try {
        assertThat(third.fencingToken() / 128)
            .as("a fresh lease, with a new counter value")
            .isGreaterThan(second.fencingToken() / 128);
        assertThat(third.fencingToken() % 128).isZero();
        assertThat(third.leaseLeft()).isGreaterThan(Duration.ofSeconds(50));
      } finally {
        third.release();
      }
    }
  }

  /**
   * Mutant killed: the waiter taking over a kept lease without checking what is left of it. The
   * lease had plenty left when its holder let go, but time passed (a pause, say) before the
   * waiter's turn: the waiter must get a fresh lease. The clock moved by hand jumps, once the
   * waiter queued, for the reads its turn makes, and only for them.
   */
  @Test
  void aKeptLeaseThatRanShortBeforeTheWaitersTurnIsNotHandedOver() throws Exception {
    long base = System.nanoTime();
    long jump = TimeUnit.SECONDS.toNanos(50);
    AtomicBoolean paused = new AtomicBoolean();
    try (MemLock memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(60))
            .ticker(() -> base + (paused.get() && onTheWaitersTurn() ? jump : 0))
            .build()) {
      LockHandle first = memlock.lock("pause").acquire(Duration.ZERO);
      CompletableFuture<LockHandle> waiter =
          memlock.lock("pause").acquireAsync(Duration.ofSeconds(30));
      // From now on, the waiter's turn comes 50 s later (by the lease's clock) than the release.
      paused.set(true);
      first.release();
      LockHandle second = waiter.get(10, TimeUnit.SECONDS);
      try {
        assertThat(second.fencingToken() / 128)
            .as("a fresh lease, with a new counter value")
            .isGreaterThan(first.fencingToken() / 128);
        assertThat(second.fencingToken() % 128).isZero();
      } finally {
        second.release();
      }
    }
  }

  /** Whether the clock is read for a waiter's turn at the lock (internal: see Acquisition). */
  private static boolean onTheWaitersTurn() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames.anyMatch(
                    f ->
                        f.getClassName().equals("io.memlock.engine.Acquisition")
                            && f.getMethodName().equals("onBaton")));
  }

  @Test
  void anotherClientGetsTurnsWhileThreadsOfOneClientContend() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger busyTurns = new AtomicInteger();
    AtomicInteger otherTurns = new AtomicInteger();
    try (MemLock busy =
            MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
        MemLock other =
            MemLock.builder().restartGrace(false).servers(memcached.serverList()).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(5);
      CountDownLatch running = new CountDownLatch(5);
      for (int t = 0; t < 5; t++) {
        // Four threads of one client and one thread of another, all in tight loops.
        DistributedLock lock = (t < 4 ? busy : other).lock("starve");
        AtomicInteger turns = t < 4 ? busyTurns : otherTurns;
        pool.submit(
            () -> {
              running.countDown();
              while (!stop.get()) {
                lock.lock();
                turns.incrementAndGet();
                lock.unlock();
              }
              return null;
            });
      }
      running.await();
      long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < end) {
        LockSupportPause.pause(Duration.ofMillis(100));
      }
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
    System.out.printf(
        "turns: four-thread client %d, one-thread client %d%n", busyTurns.get(), otherTurns.get());
    // Neither client starves the other: each gets a share of the turns.
    assertThat(busyTurns.get()).as("turns of the four-thread client").isGreaterThan(50);
    assertThat(otherTurns.get()).as("turns of the one-thread client").isGreaterThan(10);
  }
}
