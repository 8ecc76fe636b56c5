package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.FaultProxy;
import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * User code never runs on memlock's I/O or scheduler threads, and no release needs a free callback
 * thread, so callbacks that block cannot stall the client (issue 10, item 7).
 */
class CallbackThreadsTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private static final Predicate<String> INTERNAL =
      t -> t.startsWith("memlock-io") || t.startsWith("memlock-scheduler");

  private MemLock.Builder builder() {
    return MemLock.builder().restartGrace(false).servers(memcached.serverList());
  }

  /** The continuation of the report: some work, then a blocking release. */
  private static void work(LockHandle h, Set<String> threads, Duration busy) {
    threads.add(Thread.currentThread().getName());
    LockSupportPause.pause(busy); // the workload, not synchronization
    h.release();
  }

  private static void startAll(
      MemLock m, List<CompletableFuture<Void>> all, Set<String> threads, Duration busy) {
    for (int i = 0; i < 200; i++) {
      all.add(m.lock("distinct-" + i).acquireAsync().thenAccept(h -> work(h, threads, busy)));
    }
    for (int i = 0; i < 20; i++) {
      all.add(m.lock("shared").acquireAsync().thenAccept(h -> work(h, threads, busy)));
    }
  }

  @Test
  void twoHundredContinuationsThatBlockAndReleaseAllComplete() throws Exception {
    try (MemLock m = builder().build()) {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      startAll(m, all, threads, Duration.ofMillis(200));
      // About 4 s of work (the shared name's 20 holds one after another); old code: never.
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      assertThat(threads).isNotEmpty().noneMatch(INTERNAL);
      assertThat(m.lock("shared").tryAcquire()).isPresent().get().satisfies(LockHandle::release);
    }
  }

  @Test
  void aBoundedExecutorThatRejectsLosesNoCallback() throws Exception {
    ThreadPoolExecutor tiny =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
    try (MemLock m = builder().callbackExecutor(tiny).build()) {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      startAll(m, all, threads, Duration.ofMillis(50));
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      assertThat(threads).isNotEmpty().noneMatch(INTERNAL);
    } finally {
      tiny.shutdownNow();
    }
  }

  @Test
  void releaseAsyncEndedAndListenersRunOffTheIoAndSchedulerThreads() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(memcached.server(0).address());
        MemLock m =
            builder().servers(proxy.hostAndPort()).leaseTime(Duration.ofSeconds(3)).build();
        MemLock other = builder().build()) {
      LockHandle h = m.lock("where").acquire(Duration.ZERO);
      // A slow reply: the continuations are in place before the release completes.
      proxy.latency(Duration.ofMillis(100));
      CompletableFuture<String> endedOn =
          h.ended().thenApply(v -> Thread.currentThread().getName());
      CompletableFuture<String> releasedOn =
          h.releaseAsync().thenApply(v -> Thread.currentThread().getName());
      assertThat(releasedOn.get(10, TimeUnit.SECONDS)).doesNotMatch("memlock-(io|scheduler).*");
      assertThat(endedOn.get(10, TimeUnit.SECONDS)).doesNotMatch("memlock-(io|scheduler).*");
      proxy.latency(Duration.ZERO);

      // A loss found by the watchdog (scheduler and I/O threads) reaches the user elsewhere.
      LockHandle lost = m.lock("where-lost").acquire(Duration.ZERO);
      CountDownLatch heard = new CountDownLatch(1);
      Set<String> threads = ConcurrentHashMap.newKeySet();
      lost.onLost(
          (hold, e) -> {
            threads.add(Thread.currentThread().getName());
            heard.countDown();
          });
      CompletableFuture<String> lostOn =
          lost.ended().handle((v, t) -> Thread.currentThread().getName());
      assertThat(other.forceRelease("where-lost")).isPresent();
      assertThat(heard.await(15, TimeUnit.SECONDS)).isTrue();
      threads.add(lostOn.get(15, TimeUnit.SECONDS));
      assertThat(threads).noneMatch(INTERNAL);
    }
  }
}
