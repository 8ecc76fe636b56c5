package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Fair locks against real memcached: ticket order, dead waiters skipped, exclusion. */
class FairLockTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock a;
  private MemLock b;

  @BeforeEach
  void clients() {
    // Long leases: on a loaded machine a short one can run out while a test is still holding.
    // Waiters of these clients keep a 5 s presence in fair queues.
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

  /** The last ticket handed out for a fair lock, -1 before the first. */
  private static long lastTicket(String name) {
    return RawMemcached.number(memcached.server(0), "memlock:QT:" + name);
  }

  /** Waits until the ticket counter shows that the waiter just started holds ticket {@code t}. */
  private static void awaitTicket(String name, long t) {
    SyncTests.awaitTrue(
        () -> lastTicket(name) >= t, Duration.ofSeconds(30), "ticket " + t + " never taken");
    assertThat(lastTicket(name)).isEqualTo(t);
  }

  @Test
  void processesAcquireInTicketOrder(@TempDir Path dir) throws Exception {
    Path order = Files.writeString(dir.resolve("order"), "");
    DistributedLock fair = a.fairLock("fifo");
    fair.lock(); // ticket 0
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        children.add(
            ChildJvm.start(
                SyncWorker.class,
                "fair",
                memcached.serverList(),
                "fifo",
                Integer.toString(i),
                "5",
                order.toString()));
        awaitTicket("fifo", i + 1);
      }
      fair.unlock();
      for (ChildJvm c : children) {
        c.awaitLine("done"::equals, Duration.ofSeconds(60));
        assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    assertThat(Files.readAllLines(order)).containsExactly("0", "1", "2", "3");
  }

  @Test
  void threadsOfTwoClientsAcquireInTicketOrder() throws Exception {
    DistributedLock holder = a.fairLock("fifo-threads");
    holder.lock(); // ticket 0
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        int id = i;
        DistributedLock lock = (i % 2 == 0 ? a : b).fairLock("fifo-threads");
        futures.add(
            pool.submit(
                () -> {
                  lock.lock();
                  try {
                    order.add(id);
                  } finally {
                    lock.unlock();
                  }
                  return null;
                }));
        awaitTicket("fifo-threads", i + 1);
      }
      holder.unlock();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void killedWaitersAreSkippedWithinTheirPresenceTtl(@TempDir Path dir) throws Exception {
    Path order = Files.writeString(dir.resolve("order"), "");
    String servers = memcached.serverList();
    DistributedLock holder = a.fairLock("skip");
    holder.lock(); // ticket 0
    // Ticket 1 (the head, waiting for the lock item) and ticket 3 die; 2 and 4 must get their turn.
    String[] modes = {"fair-hold", "fair", "fair-hold", "fair"};
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < modes.length; i++) {
        children.add(
            modes[i].equals("fair")
                ? ChildJvm.start(
                    SyncWorker.class, "fair", servers, "skip", "t" + (i + 1), "5", order.toString())
                : ChildJvm.start(SyncWorker.class, "fair-hold", servers, "skip", "3"));
        awaitTicket("skip", i + 1);
      }
      children.get(0).kill();
      children.get(2).kill();
      long killed = System.nanoTime();
      holder.unlock();
      children.get(1).awaitLine("done"::equals, Duration.ofSeconds(30));
      long firstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      children.get(3).awaitLine("done"::equals, Duration.ofSeconds(30));
      long bothMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      System.out.println(
          "dead head skipped after " + firstMs + " ms, both dead waiters after " + bothMs + " ms");
      // The killed waiters' presence TTL (3 s) plus memcached's clock rounding (1 s) plus the
      // grace of one request timeout (1 s), with margin for a loaded machine; the second dead
      // waiter's presence has expired by then too.
      assertThat(firstMs).isLessThan(9000);
      assertThat(bothMs).isLessThan(12000);
    } finally {
      children.forEach(ChildJvm::close);
    }
    assertThat(Files.readAllLines(order)).containsExactly("t2", "t4");
  }

  @Test
  void mutualExclusionAndOrderedFencesUnderContention(@TempDir Path dir) throws Exception {
    Path counter = Files.writeString(dir.resolve("counter"), "0");
    List<Long> fences = Collections.synchronizedList(new ArrayList<>());
    int threads = 6;
    int iterations = 20;
    List<Integer> index = Collections.synchronizedList(new ArrayList<>());
    SyncWorker.run(
        threads,
        () -> {
          int t;
          synchronized (index) {
            t = index.size();
            index.add(t);
          }
          DistributedLock lock = (t % 2 == 0 ? a : b).fairLock("counter");
          for (int i = 0; i < iterations; i++) {
            lock.lock();
            try {
              int v = Integer.parseInt(Files.readString(counter));
              Files.writeString(counter, Integer.toString(v + 1));
              fences.add(lock.fencingToken());
            } finally {
              lock.unlock();
            }
          }
        });
    assertThat(Files.readString(counter)).isEqualTo(Integer.toString(threads * iterations));
    assertThat(fences).hasSize(threads * iterations).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void waitersThatGiveUpLeaveTheQueueAtOnce() throws Exception {
    // A presence lives 5 s: a waiter that gave up without withdrawing would hold the queue up
    // for 5 s plus the grace; withdrawn, it is skipped at the next poll.
    try (MemLock x = client(5);
        MemLock y = client(5);
        MemLock z = client(5)) {
      DistributedLock holder = x.fairLock("give-up");
      holder.lock(); // ticket 0; now serving moves on to 1

      // The head (ticket 1) gives up.
      assertThat(y.fairLock("give-up").tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
      CompletableFuture<Long> next = acquireAndRelease(z.fairLock("give-up"));
      awaitTicket("give-up", 2);
      long released = System.nanoTime();
      holder.unlock();
      long waitedMs = next.get(30, TimeUnit.SECONDS) - released;
      assertThat(TimeUnit.NANOSECONDS.toMillis(waitedMs)).isLessThan(3000);

      // A waiter behind the head (ticket 4, behind 3) gives up.
      holder.lock(); // ticket 3 is the head now... once it holds, serving moves to 4
      CompletableFuture<Long> head = acquireAndRelease(y.fairLock("give-up"));
      awaitTicket("give-up", 4);
      assertThat(z.fairLock("give-up").tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
      CompletableFuture<Long> last = acquireAndRelease(z.fairLock("give-up"));
      awaitTicket("give-up", 6);
      holder.unlock();
      long headReleased = head.get(30, TimeUnit.SECONDS);
      long lastWaitedMs =
          TimeUnit.NANOSECONDS.toMillis(last.get(30, TimeUnit.SECONDS) - headReleased);
      assertThat(lastWaitedMs).isLessThan(3000);
    }
  }

  /** Takes the lock on another thread, releases it, and completes with the release instant. */
  private static CompletableFuture<Long> acquireAndRelease(DistributedLock lock) {
    return CompletableFuture.supplyAsync(
        () -> {
          lock.lock();
          lock.unlock();
          return System.nanoTime();
        });
  }

  @Test
  void theFairLockIsTheLockOfTheSameNameAndTryLockDoesNotQueue() throws Exception {
    DistributedLock fair = a.fairLock("same");
    assertThat(fair.tryLock()).isTrue();
    assertThat(lastTicket("same")).as("tryLock() takes no ticket").isEqualTo(-1);
    assertThat(b.lock("same").tryLock()).isFalse();
    assertThat(b.fairLock("same").tryLock()).isFalse();
    assertThat(a.lock("same").getHoldCount()).isEqualTo(1);
    assertThat(a.inspect("same")).isPresent();
    fair.unlock();
    try (LockHandle h = b.lock("same").acquire(Duration.ZERO)) {
      assertThatThrownBy(() -> a.fairLock("same").acquire(Duration.ofMillis(300)))
          .isInstanceOf(LockBusyException.class)
          .hasMessageContaining("lock 'same' is held by ")
          .hasMessageContaining("/" + ProcessHandle.current().pid() + "/");
      assertThat(h.isHeld()).isTrue();
    }
  }

  @Test
  void interruptStopsAQueuedWaiter() throws Exception {
    LockHandle held = a.fairLock("interrupt").acquire(Duration.ofSeconds(5));
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                b.fairLock("interrupt").lockInterruptibly();
                outcome.complete(new AssertionError("acquired"));
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    t.start();
    awaitTicket("interrupt", 1);
    SyncTests.awaitParked(t);
    t.interrupt();
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    held.release();
    // The interrupted waiter withdrew: the next one is not held up.
    assertThat(b.fairLock("interrupt").tryLock(3, TimeUnit.SECONDS)).isTrue();
    b.fairLock("interrupt").unlock();
  }

  @Test
  void badInput() {
    assertThatThrownBy(() -> a.fairLock(null)).hasMessage("lock name is null");
    assertThatThrownBy(() -> a.fairLock("")).hasMessage("lock name is empty");
    DistributedLock fair = a.fairLock("x");
    assertThatThrownBy(() -> fair.acquire(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fair.acquire(null)).hasMessage("wait is null");
    assertThatThrownBy(() -> fair.acquire(Duration.ZERO, Duration.ofMillis(10)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(fair::unlock).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(fair::newCondition).isInstanceOf(UnsupportedOperationException.class);
    MemLock closed = client(5);
    closed.close();
    assertThatThrownBy(() -> closed.fairLock("x")).isInstanceOf(ClientClosedException.class);
  }
}
