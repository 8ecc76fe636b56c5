package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
}
