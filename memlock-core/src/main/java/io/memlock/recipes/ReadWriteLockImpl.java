package io.memlock.recipes;

import io.memlock.DistributedLock;
import io.memlock.DistributedReadWriteLock;
import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.engine.DistributedLockImpl;
import io.memlock.engine.LockAttempt;
import io.memlock.engine.LockEngine;
import io.memlock.engine.LockHandleImpl;
import io.memlock.engine.ReplicaReads;
import io.memlock.engine.SyncAttempt;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaRequest;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaStatus;
import io.memlock.store.SyncKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A read-write lock: a writer item {@code NS:RW:name} and {@link #MAX_READERS} reader slots {@code
 * NS:RR<i>:name}, each an ordinary lock item (see {@link SyncKeys}), all on the server of the
 * writer item.
 *
 * <p>A reader reads the writer item and the slots, takes a free slot, then reads the writer item
 * again: if a writer appeared, it gives the slot back and waits. A writer takes the writer item,
 * then waits until every slot is empty. memcached runs the commands of one server one at a time, so
 * of a reader (add slot, then read writer) and a writer (add writer, then read slots) at least one
 * sees the other; see docs/SYNCHRONIZERS.md for the argument.
 */
final class ReadWriteLockImpl implements DistributedReadWriteLock {
  private final LockEngine engine;
  private final String name;
  private final ReadView read;
  private final WriteView write;

  /** The key of a read or write view in {@link LockEngine#views}. */
  private record ViewKey(String lock, String side, @Nullable Thread reader) {}

  ReadWriteLockImpl(LockEngine engine, String name) {
    this.engine = engine;
    this.name = name;
    this.read = new ReadView();
    this.write = new WriteView();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DistributedLock readLock() {
    return read;
  }

  @Override
  public DistributedLock writeLock() {
    return write;
  }

  @Override
  public LockHandle downgrade(LockHandle writeHold, Duration wait) throws InterruptedException {
    if (writeHold == null) {
      throw new IllegalArgumentException("write hold is null");
    }
    if (!(writeHold instanceof LockHandleImpl w)
        || w.hold.state.store != engine.syncStore
        || !w.hold.state.name.equals(SyncKeys.writeItem(name))) {
      throw new IllegalArgumentException(
          writeHold + " is not a write hold of read-write lock '" + name + "'");
    }
    long waitNanos = DistributedLockImpl.checkWait(wait);
    if (w.isReleasing()) {
      throw new IllegalStateException(
          "the write hold of read-write lock '" + name + "' was already released");
    }
    LockLostException lost = w.hold.lostBecause();
    if (lost != null) {
      throw lost;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    boolean forever = waitNanos == Long.MAX_VALUE;
    LockAttempt a =
        new ReadAttempt(
                w,
                DistributedLockImpl.clampWait(waitNanos, forever),
                forever,
                w.hold.ttlSeconds,
                w.hold.watchdog)
            .start();
    LockHandleImpl r = DistributedLockImpl.await(a);
    if (r == null) {
      throw read.notAcquired(a, wait);
    }
    try {
      w.release();
    } catch (LockLostException e) {
      SyncAttempt.releaseQuietly(r);
      throw e;
    }
    return r;
  }

  @Override
  public String toString() {
    return "DistributedReadWriteLock[" + name + "]";
  }

  // ---- views ----

  private final class ReadView extends DistributedLockImpl {
    ReadView() {
      super(ReadWriteLockImpl.this.engine, ReadWriteLockImpl.this.name + " (read)");
    }

    @Override
    public Object viewKey() {
      return new ViewKey(ReadWriteLockImpl.this.name, "read", Thread.currentThread());
    }

    @Override
    public LockAttempt start(long waitNanos, boolean forever, long ttl, boolean watchdog) {
      LockEngine.ViewHold w = write.mine();
      LockHandleImpl under = w != null && w.handle.isHeld() ? w.handle : null;
      return new ReadAttempt(under, clampWait(waitNanos, forever), forever, ttl, watchdog).start();
    }
  }

  private final class WriteView extends DistributedLockImpl {
    WriteView() {
      super(ReadWriteLockImpl.this.engine, ReadWriteLockImpl.this.name + " (write)");
    }

    @Override
    public Object viewKey() {
      return new ViewKey(ReadWriteLockImpl.this.name, "write", null);
    }

    @Override
    public LockAttempt start(long waitNanos, boolean forever, long ttl, boolean watchdog) {
      if (read.mine() != null && mine() == null) {
        throw new IllegalStateException(
            "thread "
                + Thread.currentThread().getName()
                + " holds the read lock of read-write lock '"
                + ReadWriteLockImpl.this.name
                + "': a read lock cannot be upgraded to the write lock (it would wait for"
                + " itself); release the read lock first");
      }
      return new WriteAttempt(clampWait(waitNanos, forever), forever, ttl, watchdog).start();
    }
  }

  // ---- memcached ----

  /**
   * Reads items of this lock: on its home server, or in quorum mode on a majority of its replicas,
   * where an item found on any of them counts as there.
   */
  private CompletableFuture<List<MetaResponse>> read(List<MetaRequest> requests) {
    return ReplicaReads.replicated(engine, engine.syncKeys.readWriteHome(name), requests);
  }

  private MetaGet writerRead() {
    return MetaGet.of(engine.syncKeys.readWriteHome(name)).returnValue().returnTtl();
  }

  private List<MetaRequest> slotReads(List<MetaRequest> into) {
    for (int i = 0; i < MAX_READERS; i++) {
      into.add(MetaGet.of(engine.syncKeys.readerSlot(name, i)).returnTtl().quiet());
    }
    return into;
  }

  // ---- attempts ----

  /**
   * Waits while a writer holds (unless {@code underWrite}, a write hold of this lock, is still
   * valid), takes a free reader slot, and checks the writer item once more.
   */
  private final class ReadAttempt extends SyncAttempt {
    private final @Nullable LockHandleImpl underWrite;

    ReadAttempt(
        @Nullable LockHandleImpl underWrite,
        long waitNanos,
        boolean forever,
        long ttl,
        boolean watchdog) {
      super(ReadWriteLockImpl.this.engine, waitNanos, forever, ttl, watchdog);
      this.underWrite = underWrite;
    }

    @Override
    public void begin() {
      scan();
    }

    private void scan() {
      List<MetaRequest> requests = new ArrayList<>(MAX_READERS + 1);
      requests.add(writerRead());
      read(slotReads(requests)).whenComplete((r, t) -> step(() -> scanned(r, t)));
    }

    private void scanned(List<MetaResponse> replies, Throwable t) {
      if (t != null) {
        unavailable(unwrap(t));
        retry(this::scan, 0);
        return;
      }
      MetaResponse writer = replies.get(0);
      if (writer.status() == MetaStatus.VA && underWrite == null) {
        busy("writer " + holderOf(writer), writer.ttl());
        retry(this::scan, seconds(writer.ttl()));
        return;
      }
      List<Integer> free = new ArrayList<>();
      long minTtl = -1;
      for (int i = 0; i < MAX_READERS; i++) {
        MetaResponse slot = replies.get(i + 1);
        if (slot.status() == MetaStatus.EN) {
          free.add(i);
        } else {
          minTtl = minTtl < 0 ? slot.ttl() : Math.min(minTtl, slot.ttl());
        }
      }
      if (free.isEmpty()) {
        busy(MAX_READERS + " readers (every reader slot)", minTtl);
        retry(this::scan, seconds(minTtl));
        return;
      }
      Collections.shuffle(free, ThreadLocalRandom.current());
      tryNext(free, 0);
    }

    private void tryNext(List<Integer> free, int index) {
      if (index == free.size()) {
        retry(this::scan, 0);
        return;
      }
      String item = SyncKeys.readItem(name, free.get(index));
      sub(
          engine.acquire(engine.syncStore, item, 0, false, ttlSeconds, watchdog),
          h -> {
            if (h == null) {
              tryNext(free, index + 1);
            } else {
              won(h);
            }
          });
    }

    private void won(LockHandleImpl h) {
      if (underWrite != null && underWrite.isHeld()) {
        // This lock's writer is the caller: no other writer can be in.
        finish(h);
        return;
      }
      read(List.of(writerRead())).whenComplete((r, t) -> step(() -> checked(h, r, t)));
    }

    private void checked(LockHandleImpl h, List<MetaResponse> replies, Throwable t) {
      if (t == null && replies.get(0).status() == MetaStatus.EN) {
        finish(h);
        return;
      }
      // A writer came (it goes first), or the check failed: give the slot back, then wait.
      long cap;
      if (t != null) {
        unavailable(unwrap(t));
        cap = 0;
      } else {
        MetaResponse writer = replies.get(0);
        busy("writer " + holderOf(writer), writer.ttl());
        cap = seconds(writer.ttl());
      }
      releaseQuietly(h)
          .whenComplete(
              (v, e) ->
                  step(
                      () -> {
                        holding(null);
                        retry(this::scan, cap);
                      }));
    }

    @Override
    public String describe() {
      return "the read lock of '" + name + "'";
    }
  }

  /** Takes the writer item (which stops new readers), then waits for the readers to leave. */
  private final class WriteAttempt extends SyncAttempt {
    WriteAttempt(long waitNanos, boolean forever, long ttl, boolean watchdog) {
      super(ReadWriteLockImpl.this.engine, waitNanos, forever, ttl, watchdog);
    }

    @Override
    public void begin() {
      takeWriter();
    }

    private void takeWriter() {
      sub(
          engine.acquire(
              engine.syncStore,
              SyncKeys.writeItem(name),
              waitLeft(),
              forever,
              ttlSeconds,
              watchdog),
          h -> {
            if (h == null) {
              finish(null);
            } else {
              drain(h);
            }
          });
    }

    private void drain(LockHandleImpl h) {
      read(slotReads(new ArrayList<>(MAX_READERS)))
          .whenComplete((r, t) -> step(() -> drained(h, r, t)));
    }

    private void drained(LockHandleImpl h, List<MetaResponse> replies, Throwable t) {
      if (!h.isHeld()) {
        // The writer item's lease was lost while readers left: start over.
        holding(null);
        releaseQuietly(h);
        if (outOfTime()) {
          finish(null);
        } else {
          later(this::takeWriter, 0);
        }
        return;
      }
      if (t != null) {
        unavailable(unwrap(t));
        retry(() -> drain(h), 0);
        return;
      }
      int readers = 0;
      long minTtl = -1;
      for (MetaResponse slot : replies) {
        if (slot.status() != MetaStatus.EN) {
          readers++;
          minTtl = minTtl < 0 ? slot.ttl() : Math.min(minTtl, slot.ttl());
        }
      }
      if (readers == 0) {
        finish(h);
        return;
      }
      busy(readers + (readers == 1 ? " reader" : " readers"), minTtl);
      retry(() -> drain(h), seconds(minTtl));
    }

    @Override
    public String describe() {
      return "the write lock of '" + name + "'";
    }
  }
}
