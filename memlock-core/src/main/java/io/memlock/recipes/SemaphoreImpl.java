package io.memlock.recipes;

import io.memlock.DistributedSemaphore;
import io.memlock.LockBusyException;
import io.memlock.LockHandle;
import io.memlock.LockUnavailableException;
import io.memlock.MemLockException;
import io.memlock.engine.Blocking;
import io.memlock.engine.DistributedLockImpl;
import io.memlock.engine.LockAttempt;
import io.memlock.engine.LockEngine;
import io.memlock.engine.ReplicaReads;
import io.memlock.engine.SyncAttempt;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaRequest;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.SetMode;
import io.memlock.store.SyncKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A semaphore of P permits: P slot items, each an ordinary lock item of its own ({@code
 * NS:S<i>:name}, see {@link SyncKeys}), so each permit is a lease with the engine's renewal, loss
 * detection and fencing. At most P holders, because each slot has at most one. An acquisition reads
 * the permit count and all slots in one round trip, then tries the free slots in random order.
 */
final class SemaphoreImpl implements DistributedSemaphore {
  /** The permit count item lives a day after its last use; every acquisition refreshes it. */
  static final long COUNT_TTL_SECONDS = 24 * 3600;

  private final LockEngine engine;
  private final String name;
  private final int permits;
  private final byte[] count;
  private final DistributedLockImpl handles;

  SemaphoreImpl(LockEngine engine, String name, int permits) {
    this.engine = engine;
    this.name = name;
    this.permits = permits;
    this.count = Integer.toString(permits).getBytes(StandardCharsets.US_ASCII);
    this.handles = new Permits();
  }

  /**
   * Checks a permit count.
   *
   * @param permits the count
   * @throws IllegalArgumentException unless 1 to {@link #MAX_PERMITS}
   */
  static void checkPermits(int permits) {
    if (permits < 1 || permits > MAX_PERMITS) {
      throw new IllegalArgumentException(
          "permits must be 1 to " + MAX_PERMITS + ", got " + permits);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int permits() {
    return permits;
  }

  @Override
  public LockHandle acquire(Duration wait) throws InterruptedException {
    return handles.acquire(wait);
  }

  @Override
  public LockHandle acquire(Duration wait, @Nullable Duration lease) throws InterruptedException {

    return handles.acquire(wait, lease);
  }

  @Override
  public Optional<LockHandle> tryAcquire() {
    return handles.tryAcquire();
  }

  @Override
  public CompletableFuture<LockHandle> acquireAsync(Duration wait) {
    return handles.acquireAsync(wait);
  }

  @Override
  public int availablePermits() {
    engine.checkOpen();
    return Blocking.await(readSlots(), engine.config.requestTimeout()).free().size();
  }

  @Override
  public String toString() {
    return "DistributedSemaphore[" + name + ", " + permits + " permits]";
  }

  // ---- the scan: permit count and slots in one round trip ----

  /** What a scan found: the free slots (shuffled) and the smallest TTL of a held one. */
  record Scan(List<Integer> free, long minTtlSeconds) {}

  private List<MetaRequest> scanRequests() {
    Key home = engine.syncKeys.semaphoreHome(name);
    List<MetaRequest> r = new ArrayList<>(permits + 2);
    r.add(MetaSet.of(home, count).mode(SetMode.ADD).ttl(COUNT_TTL_SECONDS));
    r.add(MetaGet.of(home).returnValue().touch(COUNT_TTL_SECONDS));
    for (int i = 0; i < permits; i++) {
      r.add(MetaGet.of(engine.syncKeys.permitSlot(name, i)).returnTtl().quiet());
    }
    return r;
  }

  CompletableFuture<Scan> readSlots() {
    return ReplicaReads.replicated(engine, engine.syncKeys.semaphoreHome(name), scanRequests())
        .thenApply(this::parse);
  }

  private Scan parse(List<MetaResponse> replies) {
    MetaResponse recorded = replies.get(1);
    if (recorded.status() == MetaStatus.VA) {
      String value = Objects.requireNonNullElse(recorded.valueAsString(), ""); // a VA has a value
      if (!value.equals(new String(count, StandardCharsets.US_ASCII))) {

        throw new IllegalStateException(
            "semaphore '"
                + name
                + "' has "
                + (value.matches("[0-9]{1,9}") ? value : "an unreadable count '" + value + "'")
                + " permits, recorded by the client that first used it; this client opened it"
                + " with "
                + permits
                + ": every client must use the same count (the record "
                + engine.syncKeys.semaphoreHome(name)
                + " expires a day after its last use)");
      }
    }
    List<Integer> free = new ArrayList<>();
    long minTtl = -1;
    for (int i = 0; i < permits; i++) {
      MetaResponse slot = replies.get(i + 2);
      if (slot.status() == MetaStatus.EN) {
        free.add(i);
      } else {
        long ttl = slot.ttl();
        minTtl = minTtl < 0 ? ttl : Math.min(minTtl, ttl);
      }
    }
    Collections.shuffle(free, ThreadLocalRandom.current());
    return new Scan(free, minTtl);
  }

  // ---- acquisition ----

  /** The handle methods of {@link DistributedLockImpl}, acquiring permits. */
  private final class Permits extends DistributedLockImpl {
    Permits() {
      super(SemaphoreImpl.this.engine, SemaphoreImpl.this.name);
    }

    @Override
    public LockAttempt start(long waitNanos, boolean forever, long ttl, boolean watchdog) {
      return new PermitAttempt(clampWait(waitNanos, forever), forever, ttl, watchdog).start();
    }

    @Override
    public MemLockException notAcquired(LockAttempt a, Duration wait) {
      String gaveUp = wait.isZero() ? "" : "; gave up after " + describe(wait);
      if (a.lastError() != null && a.lastHolder() == null) {
        return new LockUnavailableException(
            "semaphore '" + name + "' is unavailable: " + a.lastError().getMessage() + gaveUp,
            a.lastError());
      }
      long ttl = a.lastTtl();
      Duration left = ttl >= 0 ? Duration.ofSeconds(ttl) : null;
      return new LockBusyException(
          name,
          null,
          left,
          "semaphore '"
              + name
              + "': all "
              + permits
              + " permits are held"
              + (left == null ? "" : " (the first lease ends within " + ttl + " s)")
              + gaveUp);
    }
  }

  /** Scan, try the free slots, and wait when none is free. */
  private final class PermitAttempt extends SyncAttempt {
    PermitAttempt(long waitNanos, boolean forever, long ttl, boolean watchdog) {
      super(SemaphoreImpl.this.engine, waitNanos, forever, ttl, watchdog);
    }

    @Override
    public void begin() {
      scan();
    }

    private void scan() {
      readSlots().whenComplete((s, t) -> step(() -> scanned(s, t)));
    }

    private void scanned(Scan s, Throwable t) {
      if (t != null) {
        Throwable cause = unwrap(t);
        if (cause instanceof IllegalStateException mismatch) {
          fail(mismatch);
          return;
        }
        unavailable(cause);
        retry(this::scan, 0);
        return;
      }
      if (s.free().isEmpty()) {
        busy("all " + permits + " permits", s.minTtlSeconds());
        retry(this::scan, Math.max(1, s.minTtlSeconds()) * 1_000_000_000L);
        return;
      }
      tryNext(s.free(), 0);
    }

    private void tryNext(List<Integer> free, int index) {
      if (index == free.size()) {
        // Others took the free slots first.
        retry(this::scan, 0);
        return;
      }
      String item = SyncKeys.permitItem(name, free.get(index));
      sub(
          engine.acquire(engine.syncStore, item, 0, false, ttlSeconds, watchdog),
          h -> {
            if (h != null) {
              finish(h);
            } else {
              tryNext(free, index + 1);
            }
          });
    }

    @Override
    public String describe() {
      return "a permit of semaphore '" + name + "'";
    }
  }
}
