package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.FaultProxy;
import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LockHandle#ended()} is one future per hold, complete when release, close or the client's
 * close returns (issue 10, item 12).
 */
class HandleEndedTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock client() {
    return MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
  }

  @Test
  void oneFuturePerHoldCompleteWhenReleaseOrCloseReturns() throws Exception {
    try (MemLock m = client()) {
      for (int i = 0; i < 20; i++) {
        LockHandle h = m.lock("ended-" + i).acquire(Duration.ZERO);
        CompletableFuture<Void> ended = h.ended();
        assertThat(h.ended()).isSameAs(ended);
        assertThat(ended).isNotDone();
        if (i % 2 == 0) {
          h.release();
        } else {
          h.close();
        }
        assertThat(ended).isCompleted();
        assertThat(h.ended()).isSameAs(ended);
      }
    }
  }

  @Test
  void completeBeforeTheFutureOfReleaseAsyncCompletes() throws Exception {
    try (MemLock m = client()) {
      LockHandle h = m.lock("ended-async").acquire(Duration.ZERO);
      CompletableFuture<Boolean> endedFirst =
          h.releaseAsync()
              .thenApply(v -> h.ended().isDone() && !h.ended().isCompletedExceptionally());
      assertThat(endedFirst.get(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void completeWithTheLossWhenReleaseThrowsLockLost() throws Exception {
    try (MemLock m = client();
        MemLock other = client()) {
      LockHandle h = m.lock("ended-lost").acquire(Duration.ZERO);
      CompletableFuture<Void> ended = h.ended();
      assertThat(other.forceRelease("ended-lost")).isPresent();
      assertThatThrownBy(h::release).isInstanceOf(LockLostException.class);
      assertThat(ended).isCompletedExceptionally();
      assertThatThrownBy(ended::join).hasCauseInstanceOf(LockLostException.class);
    }
  }

  @Test
  void completeNormallyWhenTheClientsCloseReturns() throws Exception {
    MemLock m = client();
    LockHandle before = m.lock("ended-close-1").acquire(Duration.ZERO);
    LockHandle after = m.lock("ended-close-2").acquire(Duration.ZERO);
    CompletableFuture<Void> ended = before.ended();
    m.close();
    assertThat(ended).isCompleted();
    // Asked for after the close: the same, completed future (old code: a new one, never done).
    assertThat(after.ended()).isCompleted();
    assertThat(before.ended()).isSameAs(ended);
    assertThat(after.isHeld()).isFalse();
    // The close released both: another client takes them at once.
    try (MemLock other = client()) {
      assertThat(other.lock("ended-close-1").tryAcquire()).isPresent();
      assertThat(other.lock("ended-close-2").tryAcquire()).isPresent();
    }
  }

  @Test
  void completeWhenTheClientClosesWithTheServerUnreachable() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(memcached.server(0).address())) {
      MemLock m =
          MemLock.builder()
              .restartGrace(false)
              .servers(proxy.hostAndPort())
              .requestTimeout(Duration.ofMillis(300))
              .build();
      LockHandle h = m.lock("ended-unreachable").acquire(Duration.ZERO);
      proxy.blackhole(true);
      m.close();
      // The release could not reach memcached; the item expires with its TTL, the hold is over.
      assertThat(h.ended()).isCompleted();
    }
  }

  @Test
  void lockAndUnlockRunNothingOnTheCallbackExecutorWhenNobodyAskedForEnded() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    ExecutorService pool = Executors.newCachedThreadPool();
    Executor counting =
        task -> {
          tasks.incrementAndGet();
          pool.execute(task);
        };
    try (MemLock m =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .callbackExecutor(counting)
            .build()) {
      DistributedLock lock = m.lock("ended-unasked");
      for (int i = 0; i < 20; i++) {
        lock.lock();
        lock.unlock();
        m.lock("ended-unasked-handle").acquire(Duration.ZERO).release();
      }
      // Old code: a task per release, to complete an ended() future nobody could wait on.
      assertThat(tasks).hasValue(0);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void askedForOnlyAfterTheLossItIsCompleteWithTheLoss() throws Exception {
    try (MemLock m = client();
        MemLock other = client()) {
      LockHandle h = m.lock("ended-lost-late").acquire(Duration.ZERO);
      CountDownLatch lost = new CountDownLatch(1);
      h.onLost((handle, why) -> lost.countDown());
      assertThat(other.forceRelease("ended-lost-late")).isPresent();
      // The first renewal (within a second, to publish the fence) finds the item gone.
      assertThat(lost.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> ended = h.ended();
      assertThat(ended).isCompletedExceptionally();
      assertThatThrownBy(ended::join).hasCauseInstanceOf(LockLostException.class);
      assertThat(h.ended()).isSameAs(ended);
    }
  }

  @Test
  void askedForOnlyAfterAReleaseItIsComplete() throws Exception {
    try (MemLock m = client()) {
      LockHandle h = m.lock("ended-late").acquire(Duration.ZERO);
      h.releaseAsync().get(10, TimeUnit.SECONDS);
      assertThat(h.ended()).isCompleted();
      LockHandle kept = m.lock("ended-late-kept").acquire(Duration.ZERO);
      kept.release(Duration.ofSeconds(1));
      assertThat(kept.ended()).isCompleted();
    }
  }
}
