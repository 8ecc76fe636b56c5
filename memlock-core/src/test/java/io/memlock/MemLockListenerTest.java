package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The statistics hook: what listeners hear, and that they cannot break a lock. */
class MemLockListenerTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private static MemLock client() {
    return MemLock.builder().servers(memcached.serverList()).restartGrace(false).build();
  }

  @Test
  void listenersHearOutcomesAndAThrowingListenerBreaksNothing() throws Exception {
    try (MemLock memlock = client();
        MemLock other = client()) {
      List<String> heard = new CopyOnWriteArrayList<>();
      AtomicInteger requests = new AtomicInteger();
      MemLockListener throwing =
          new MemLockListener() {
            @Override
            public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
              throw new IllegalStateException("a broken listener");
            }

            @Override
            public void serverRequest(String server, long nanos, boolean success) {
              throw new IllegalStateException("a broken listener");
            }
          };
      MemLockListener recording =
          new MemLockListener() {
            @Override
            public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
              heard.add(name + " " + outcome);
            }

            @Override
            public void serverRequest(String server, long nanos, boolean success) {
              requests.incrementAndGet();
            }
          };
      memlock.addListener(throwing);
      memlock.addListener(recording);

      DistributedLock a = memlock.lock("a");
      a.lock();
      assertThat(memlock.heldLockCount()).isEqualTo(1);
      other.lock("b").lock();
      assertThat(memlock.lock("b").tryLock()).isFalse();
      try (LockHandle permit = memlock.semaphore("s", 2).acquire(Duration.ofSeconds(5))) {
        assertThat(memlock.heldLockCount()).isEqualTo(2);
      }
      a.unlock();
      assertThat(memlock.heldLockCount()).isZero();
      // Each is heard as its future completes, which may be just after the caller resumed.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (heard.size() < 3 && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      assertThat(heard)
          .containsExactlyInAnyOrder("a ACQUIRED", "b BUSY", "a permit of semaphore 's' ACQUIRED");
      assertThat(requests.get()).isPositive();

      assertThat(memlock.removeListener(recording)).isTrue();
      assertThat(memlock.removeListener(recording)).isFalse();
      memlock.lock("c").tryLock();
      assertThat(heard).hasSize(3);
      assertThat(memlock.serverStatus())
          .singleElement()
          .satisfies(s -> assertThat(s.state()).isEqualTo(ServerStatus.State.UP))
          .satisfies(s -> assertThat(s.address()).isEqualTo(memcached.server(0).hostAndPort()));
    }
  }

  @Test
  void aWaiterThatFindsTheLockHeldIsHeardPollingUntilItGetsIn() throws Exception {
    try (MemLock memlock = client();
        MemLock other = client()) {
      List<String> polls = new CopyOnWriteArrayList<>();
      CountDownLatch threePolls = new CountDownLatch(3);
      CountDownLatch freeAcquired = new CountDownLatch(1);
      memlock.addListener(
          new MemLockListener() {
            @Override
            public void lockPolled(String name) {
              polls.add(name);
              threePolls.countDown();
            }

            @Override
            public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
              if (name.equals("free")) {
                freeAcquired.countDown();
              }
            }
          });
      LockHandle held = other.lock("polled").acquire();
      // A try without a wait is not a poll: it never retries.
      assertThat(memlock.lock("polled").tryAcquire()).isEmpty();
      var waiting = memlock.lock("polled").acquireAsync(Duration.ofSeconds(30));
      assertThat(threePolls.await(30, TimeUnit.SECONDS)).as("polls heard: %s", polls).isTrue();
      held.release();
      waiting.get(30, TimeUnit.SECONDS).release();
      memlock.lock("free").acquire(Duration.ofSeconds(5)).release();
      // Events arrive in order on one thread: once the free lock's acquisition is heard, any poll
      // of it would have been heard before.
      assertThat(freeAcquired.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(polls).as("only the held lock was polled").isNotEmpty().allMatch("polled"::equals);
    }
  }

  /** Notes, for every call, the thread it came on and what it heard. */
  private static final class Recording implements MemLockListener {
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<String> heard = new CopyOnWriteArrayList<>();
    final CountDownLatch renewed = new CountDownLatch(1);
    final CountDownLatch lost = new CountDownLatch(1);

    private void note(String event) {
      threads.add(Thread.currentThread().getName());
      heard.add(event);
    }

    @Override
    public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
      note("acquire " + name + " " + outcome);
    }

    @Override
    public void leaseRenewed(String name, RenewalOutcome outcome) {
      note("renewal " + name + " " + outcome);
      if (outcome == RenewalOutcome.RENEWED) {
        renewed.countDown();
      }
    }

    @Override
    public void leaseLost(String name) {
      note("lost " + name);
      lost.countDown();
    }

    @Override
    public void serverRequest(String server, long nanos, boolean success) {
      note("request " + server);
    }
  }

  @Test
  void listenersRunOnlyOnTheEventsThreadAndHearEachHoldInOrder() throws Exception {
    try (MemLock memlock =
            MemLock.builder()
                .servers(memcached.serverList())
                .restartGrace(false)
                .leaseTime(Duration.ofSeconds(3))
                .build();
        MemLock operator = client()) {
      Recording recording = new Recording();
      memlock.addListener(recording);
      // Acquired by the caller, renewed by the scheduler (every second), requests completed on I/O
      // threads, lost when the renewal after the operator's force-release finds the item gone.
      LockHandle hold = memlock.lock("t").acquire(Duration.ofSeconds(10));
      assertThat(recording.renewed.await(30, TimeUnit.SECONDS)).isTrue();
      operator.forceRelease("t");
      assertThat(recording.lost.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(hold.isHeld()).isFalse();

      assertThat(recording.threads)
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t).startsWith("memlock-events-"))
          .noneSatisfy(t -> assertThat(t).startsWith("memlock-io"))
          .noneSatisfy(t -> assertThat(t).startsWith("memlock-scheduler"));
      assertThat(recording.threads.stream().distinct()).hasSize(1);
      List<String> heard = recording.heard;
      assertThat(heard).contains("request " + memcached.server(0).hostAndPort());
      int acquired = heard.indexOf("acquire t ACQUIRED");
      int renewed = heard.indexOf("renewal t RENEWED");
      int lost = heard.indexOf("lost t");
      assertThat(acquired).isNotNegative().isLessThan(renewed);
      assertThat(renewed).isLessThan(lost);
    }
  }

  @Test
  void aBlockedListenerDoesNotStopLocks() throws Exception {
    ExecutorService worker = Executors.newSingleThreadExecutor();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch unblock = new CountDownLatch(1);
    AtomicInteger acquisitions = new AtomicInteger();
    try (MemLock memlock = client();
        MemLock other = client()) {
      memlock.addListener(
          new MemLockListener() {
            private void block() {
              entered.countDown();
              try {
                unblock.await(120, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }

            @Override
            public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
              acquisitions.incrementAndGet();
              block();
            }

            @Override
            public void serverRequest(String server, long nanos, boolean success) {
              block();
            }
          });
      // The first event stops the listener until the end of the test...
      try {
        assertThat(memlock.lock("first").tryLock(10, TimeUnit.SECONDS)).isTrue();
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        // ...yet another thread still takes and releases locks, and they are really exclusive.
        Future<?> locking =
            worker.submit(
                () -> {
                  DistributedLock lock = memlock.lock("busy");
                  for (int i = 0; i < 20; i++) {
                    if (!lock.tryLock(10, TimeUnit.SECONDS)) {
                      throw new AssertionError("not acquired while a listener is blocked");
                    }
                    assertThat(other.lock("busy").tryLock()).isFalse();
                    lock.unlock();
                  }
                  return null;
                });
        locking.get(60, TimeUnit.SECONDS);
      } finally {
        unblock.countDown(); // before close: on a synchronous listener close would wait for it
      }
      // Once unblocked it hears all 21: 'first' and 20 of 'busy' ('other' is another client).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (acquisitions.get() < 21 && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      assertThat(acquisitions.get()).isEqualTo(21);
    } finally {
      unblock.countDown();
      worker.shutdownNow();
    }
  }

  @Test
  void closeDeliversWhatIsQueuedAndStopsTheEventsThread() throws Exception {
    AtomicReference<Thread> eventsThread = new AtomicReference<>();
    AtomicInteger acquired = new AtomicInteger();
    MemLock memlock = client();
    try {
      memlock.addListener(
          new MemLockListener() {
            @Override
            public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
              eventsThread.set(Thread.currentThread());
              acquired.incrementAndGet();
            }
          });
      for (int i = 0; i < 5; i++) {
        assertThat(memlock.lock("c" + i).tryLock()).isTrue();
      }
    } finally {
      memlock.close();
    }
    // Every acquisition was queued before close returned (its I/O threads were stopped first).
    assertThat(acquired.get()).isEqualTo(5);
    assertThat(eventsThread.get().getName()).startsWith("memlock-events-");
    assertThat(eventsThread.get().isAlive()).isFalse();
  }
}
