package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Read-write locks against real memcached: sharing, exclusion, writer preference, downgrade. */
class ReadWriteLockTest {
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
  void manyReadersOfTwoClientsHoldTheLockAtOnce() throws Exception {
    int readers = 6;
    CountDownLatch allInside = new CountDownLatch(readers);
    AtomicInteger entered = new AtomicInteger();
    SyncWorker.run(
        readers,
        () -> {
          DistributedLock read =
              (entered.getAndIncrement() % 2 == 0 ? a : b).readWriteLock("shared").readLock();
          read.lock();
          try {
            allInside.countDown();
            // Every reader waits inside for all the others: this only ends if they share the lock.
            assertThat(allInside.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(read.isHeldByCurrentThread()).isTrue();
          } finally {
            read.unlock();
          }
        });
    assertThat(a.readWriteLock("shared").writeLock().tryLock()).isTrue();
    a.readWriteLock("shared").writeLock().unlock();
  }

  @Test
  void threeProcessesReadAndWriteWithoutOverlap(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("counters");
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(
            ChildJvm.start(
                SyncWorker.class,
                "rw",
                memcached.serverList(),
                "rw-processes",
                "3",
                "30",
                file.toString()));
      }
      for (ChildJvm c : children) {
        c.awaitLine("done"::equals, Duration.ofSeconds(90));
        assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    long[] c = new SharedCounters(file, 4).read();
    assertThat(c[2]).as("a writer overlapped a reader or another writer").isZero();
    assertThat(c[3]).as("writes").isPositive();
    assertThat(c[0] + c[1]).as("holders inside at the end").isZero();
  }

  @Test
  void aWriterInAnotherProcessExcludesReadersAndWritersUntilItsLeaseEnds() throws Exception {
    int lease = 4;
    try (ChildJvm child =
        ChildJvm.start(
            SyncWorker.class,
            "write",
            memcached.serverList(),
            "guarded",
            Integer.toString(lease))) {
      child.awaitLine("holding write"::equals, Duration.ofSeconds(30));
      DistributedReadWriteLock rw = a.readWriteLock("guarded");
      assertThat(rw.readLock().tryLock()).isFalse();
      assertThat(rw.writeLock().tryLock()).isFalse();
      assertThatThrownBy(() -> rw.readLock().acquire(Duration.ofMillis(300)))
          .isInstanceOf(LockBusyException.class)
          .hasMessageContaining("lock 'guarded (read)' is held by writer ")
          .hasMessageContaining("/" + child.pid() + "/");
      child.kill();
      long killed = System.nanoTime();
      LockHandle r = rw.readLock().acquire(Duration.ofSeconds(lease + 3));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed))
          .isLessThanOrEqualTo((lease + 3) * 1000L);
      r.release();
    }
  }

  @Test
  void aKilledReadersSlotExpiresAndLetsAWriterIn() throws Exception {
    int lease = 4;
    try (ChildJvm child =
        ChildJvm.start(
            SyncWorker.class,
            "read",
            memcached.serverList(),
            "dead-reader",
            Integer.toString(lease))) {
      child.awaitLine("holding read"::equals, Duration.ofSeconds(30));
      DistributedReadWriteLock rw = a.readWriteLock("dead-reader");
      assertThat(rw.writeLock().tryLock()).isFalse();
      LockHandle alsoReading = rw.readLock().tryAcquire().orElseThrow();
      alsoReading.release();
      child.kill();
      long killed = System.nanoTime();
      assertThat(rw.writeLock().tryLock(lease + 3, TimeUnit.SECONDS)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed))
          .isLessThanOrEqualTo((lease + 3) * 1000L);
      rw.writeLock().unlock();
    }
  }

  @Test
  void aWriterIsNotStarvedByAContinuousStreamOfReaders() throws Exception {
    // Four readers go hand over hand: each takes its next read hold before releasing the current
    // one, so the number of readers never drops to zero unless new reads are refused. A writer
    // that waited for a moment without readers would wait forever; this one makes new reads back
    // off (their next hold fails after 50 ms, the current one is released) and gets in.
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> readers = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      DistributedLock read = (i % 2 == 0 ? a : b).readWriteLock("busy-readers").readLock();
      Thread t =
          new Thread(
              () -> {
                try {
                  LockHandle current = read.acquire(Duration.ofSeconds(30));
                  inside.incrementAndGet();
                  while (!stop.get()) {
                    SyncWorker.pause(20);
                    LockHandle next = null;
                    try {
                      next = read.acquire(Duration.ofMillis(50));
                      inside.incrementAndGet();
                    } catch (LockBusyException writerFirst) {
                      // A writer waits: let it in.
                    }
                    inside.decrementAndGet();
                    current.release();
                    reads.incrementAndGet();
                    if (next == null) {
                      next = read.acquire(Duration.ofSeconds(30));
                      inside.incrementAndGet();
                    }
                    current = next;
                  }
                  inside.decrementAndGet();
                  current.release();
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      t.start();
      readers.add(t);
    }
    try (MemLock writerClient = client(10)) {
      SyncTests.awaitTrue(() -> reads.get() >= 20, Duration.ofSeconds(20), "readers never ran");
      assertThat(inside.get()).as("readers inside while the stream runs").isPositive();
      DistributedLock write = writerClient.readWriteLock("busy-readers").writeLock();
      long start = System.nanoTime();
      assertThat(write.tryLock(20, TimeUnit.SECONDS)).isTrue();
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      try {
        assertThat(inside.get()).as("readers inside with the writer").isZero();
        int before = reads.get();
        SyncWorker.pause(300);
        assertThat(reads.get()).as("reads while the writer holds").isEqualTo(before);
      } finally {
        write.unlock();
      }
      System.out.println("writer waited " + waitedMs + " ms behind 4 hand-over-hand readers");
      int after = reads.get();
      SyncTests.awaitTrue(
          () -> reads.get() > after, Duration.ofSeconds(10), "readers never came back");
    } finally {
      stop.set(true);
      for (Thread t : readers) {
        t.join(40_000);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aWriterWaitingForReadersGivesUpAtItsDeadlineAndLetsReadersBackIn() throws Exception {
    DistributedReadWriteLock rwa = a.readWriteLock("slow-reader");
    DistributedReadWriteLock rwb = b.readWriteLock("slow-reader");
    LockHandle reading = rwb.readLock().acquire(Duration.ZERO);
    assertThatThrownBy(() -> rwa.writeLock().acquire(Duration.ofMillis(300)))
        .isInstanceOf(LockBusyException.class)
        .hasMessageContaining("lock 'slow-reader (write)' is held by 1 reader");
    // The writer item was released when the writer gave up.
    assertThat(rwb.readLock().tryAcquire()).isPresent().get().satisfies(LockHandle::close);
    reading.release();
    assertThat(rwa.writeLock().tryLock()).isTrue();
    rwa.writeLock().unlock();
  }

  @Test
  void downgradeThroughTheLockViews() {
    DistributedReadWriteLock rw = a.readWriteLock("views");
    rw.writeLock().lock();
    // While this thread holds the write lock, its read lock is granted at once.
    assertThat(rw.readLock().tryLock()).isTrue();
    rw.writeLock().unlock();
    assertThat(rw.writeLock().isHeldByCurrentThread()).isFalse();
    assertThat(rw.readLock().isHeldByCurrentThread()).isTrue();
    DistributedReadWriteLock other = b.readWriteLock("views");
    assertThat(other.writeLock().tryLock()).isFalse();
    assertThat(other.readLock().tryLock()).isTrue();
    other.readLock().unlock();
    rw.readLock().unlock();
    assertThat(other.writeLock().tryLock()).isTrue();
    other.writeLock().unlock();
  }

  @Test
  void downgradeAHandle() throws Exception {
    DistributedReadWriteLock rw = a.readWriteLock("handles");
    LockHandle w = rw.writeLock().acquire(Duration.ZERO);
    assertThat(w.name()).isEqualTo("handles (write)");
    LockHandle r = rw.downgrade(w, Duration.ofSeconds(5));
    assertThat(w.isHeld()).isFalse();
    assertThat(r.isHeld()).isTrue();
    assertThat(r.name()).startsWith("handles (read ");
    assertThat(r.fencingToken()).isGreaterThan(w.fencingToken());
    DistributedReadWriteLock other = b.readWriteLock("handles");
    assertThat(other.writeLock().tryAcquire()).isEmpty();
    assertThat(other.readLock().tryAcquire()).isPresent().get().satisfies(LockHandle::close);
    r.release();
    other.writeLock().acquire(Duration.ofSeconds(5)).release();
    assertThatThrownBy(() -> rw.downgrade(w, Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already released");
  }

  @Test
  void readHoldsAreReentrantAndCannotBeUpgraded() {
    DistributedReadWriteLock rw = a.readWriteLock("upgrade");
    assertThat(rw.readLock().name()).isEqualTo("upgrade (read)");
    rw.readLock().lock();
    rw.readLock().lock();
    assertThat(rw.readLock().getHoldCount()).isEqualTo(2);
    assertThatThrownBy(() -> rw.writeLock().lock())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be upgraded");
    assertThatThrownBy(() -> rw.writeLock().tryLock()).isInstanceOf(IllegalStateException.class);
    rw.readLock().unlock();
    rw.readLock().unlock();
    assertThat(rw.readLock().getHoldCount()).isZero();
    assertThat(rw.writeLock().tryLock()).isTrue();
    assertThat(rw.writeLock().tryLock()).isTrue();
    assertThat(rw.writeLock().getHoldCount()).isEqualTo(2);
    rw.writeLock().unlock();
    rw.writeLock().unlock();
  }

  @Test
  void readWriteLocksLiveApartFromPlainLocksOfTheSameName() {
    DistributedReadWriteLock rw = a.readWriteLock("apart");
    rw.writeLock().lock();
    try {
      assertThat(b.lock("apart").tryLock()).isTrue();
      b.lock("apart").unlock();
      assertThat(a.lock("apart (write)").tryLock()).isTrue();
      a.lock("apart (write)").unlock();
    } finally {
      rw.writeLock().unlock();
    }
  }

  @Test
  void badInput() throws Exception {
    assertThatThrownBy(() -> a.readWriteLock(null)).hasMessage("read-write lock name is null");
    assertThatThrownBy(() -> a.readWriteLock("")).hasMessage("read-write lock name is empty");
    DistributedReadWriteLock rw = a.readWriteLock("bad");
    assertThatThrownBy(() -> rw.downgrade(null, Duration.ZERO)).hasMessage("write hold is null");
    try (LockHandle plain = a.lock("bad").acquire(Duration.ZERO)) {
      assertThatThrownBy(() -> rw.downgrade(plain, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a write hold of read-write lock 'bad'");
    }
    try (LockHandle otherWrite = a.readWriteLock("bad2").writeLock().acquire(Duration.ZERO)) {
      assertThatThrownBy(() -> rw.downgrade(otherWrite, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> a.readWriteLock("bad2").downgrade(otherWrite, null))
          .hasMessage("wait is null");
    }
    assertThatThrownBy(() -> rw.readLock().unlock())
        .isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(() -> rw.writeLock().fencingToken())
        .isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(() -> rw.readLock().newCondition())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> rw.readLock().acquire(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rw.writeLock().acquire(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("at least 3 s");
    MemLock closed = client(3);
    closed.close();
    assertThatThrownBy(() -> closed.readWriteLock("x")).isInstanceOf(ClientClosedException.class);
  }
}
