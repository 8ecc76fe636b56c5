package io.memlock.engine;

import io.memlock.LockLostException;
import io.memlock.store.LeaseStore;
import io.memlock.store.LockConfig;
import io.memlock.store.LockValue;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One remote lease: the lock item this client wrote, its CAS (inside the store's lease), its fence
 * and its validity. Renewals and the release are serialized: a release asked for while a renewal is
 * under way waits for it, so that it compares the renewed CAS.
 */
public final class Hold {
  enum Status {
    HELD,
    RELEASING,
    RELEASED,
    LOST
  }

  final LockEngine engine;
  public final LockState state;
  final LeaseStore.Lease lease;
  final long counter;
  public final long ttlSeconds;
  public final boolean watchdog;
  private LockValue value;

  // Guarded by this.
  private Status status = Status.HELD;
  private boolean busy;
  private long validUntil;
  private @Nullable CompletableFuture<Void> releaseFuture;
  private @Nullable LockHandleImpl owner;
  private int handoffIndex;
  private @Nullable LockLostException lostBecause;
  private @Nullable Throwable lastRenewError;

  private long keepSeconds;

  /** Written by the registering thread before the watchdog takes the hold in, then by it. */
  long nextRenewal;

  /**
   * The next renewal a finished renewal asks for, written before the hold is handed to the
   * scheduler thread (which copies it to {@link #nextRenewal}).
   */
  long renewedNext;

  /** The watchdog's current queue entry for this hold (scheduler thread only). */
  long entry;

  Hold(
      LockEngine engine,
      LockState state,
      LeaseStore.Lease lease,
      long counter,
      LockValue value,
      long ttlSeconds,
      boolean watchdog,
      long validUntil) {
    this.engine = engine;
    this.state = state;
    this.lease = lease;
    this.counter = counter;
    this.value = value;
    this.ttlSeconds = ttlSeconds;
    this.watchdog = watchdog;
    this.validUntil = validUntil;
    engine.held.incrementAndGet();
  }

  String name() {
    return state.name;
  }

  byte[] token() {
    return value.token();
  }

  synchronized long validUntil() {
    return validUntil;
  }

  synchronized boolean isValid(long now) {
    return status == Status.HELD && validUntil - now > 0;
  }

  /** Valid for at least {@code margin} more nanoseconds. */
  synchronized boolean isValidFor(long now, long margin) {
    return status == Status.HELD && validUntil - now > margin;
  }

  synchronized Status status() {
    return status;
  }

  public synchronized @Nullable LockLostException lostBecause() {
    return lostBecause;
  }

  /** Makes {@code handle} this hold's current owner, the {@code index}-th local holder. */
  synchronized void assign(LockHandleImpl handle, int index) {
    owner = handle;
    handoffIndex = index;
  }

  synchronized void unassign(LockHandleImpl handle) {
    if (owner == handle) {
      owner = null;
    }
  }

  synchronized boolean isOwnerless() {
    return owner == null;
  }

  long fenceFor(int index) {
    return counter * LockConfig.FENCE_SCALE + index;
  }

  // ---- renewal ----

  /** Starts a renewal unless one is under way or the hold is over; returns false if not started. */
  boolean renew() {
    LockValue v;
    synchronized (this) {
      if (status != Status.HELD || busy) {
        return false;
      }
      busy = true;
      long fence = fenceFor(handoffIndex);
      if (value.fence() != fence) {
        value = value.withFence(fence);
      }
      v = value;
    }
    long t0 = engine.config.ticker().read();
    state
        .store
        .renew(name(), lease, v, ttlSeconds)
        .whenComplete(
            (report, t) -> renewed(report != null ? report : LeaseStore.Report.failed(t), t0));
    return true;
  }

  private void renewed(LeaseStore.Report report, long t0) {
    engine.listeners.leaseRenewed(name(), Statistics.renewal(report.result()));
    boolean releaseNow;
    String lostDetail = null;
    synchronized (this) {
      busy = false;
      if (report.result() == LeaseStore.Result.OK) {
        validUntil = Math.max(validUntil, t0 + engine.config.validityNanos(ttlSeconds));
        lastRenewError = null;
      } else if (report.result() == LeaseStore.Result.LOST) {
        lostDetail = report.detail();
      } else {
        lastRenewError = report.error();
      }
      releaseNow = status == Status.RELEASING && lostDetail == null;
      if (releaseNow) {
        busy = true;
      }
    }
    if (lostDetail != null) {
      lose(lostDetail);
    } else if (releaseNow) {
      doRelease();
    } else {
      engine.watchdog.renewed(this, report.result() == LeaseStore.Result.OK, t0);
    }
  }

  synchronized @Nullable Throwable lastRenewError() {
    return lastRenewError;
  }

  // ---- release ----

  /**
   * Releases the lease remotely. Completes normally when the item was deleted, or when the server
   * could not be reached (the item then expires with its TTL); with {@link LockLostException} when
   * the lease had been lost or ran out before the release.
   */
  CompletableFuture<Void> release() {
    return release(0);
  }

  /**
   * Releases the lease remotely; with {@code keep > 0}, replaces the item (comparing its CAS) by an
   * ownerless one that expires in {@code keep} seconds instead of deleting it.
   */
  CompletableFuture<Void> release(long keep) {
    synchronized (this) {
      if (status == Status.LOST) {
        return CompletableFuture.failedFuture(lostBecause);
      }
      if (releaseFuture != null) {
        return releaseFuture;
      }
      status = Status.RELEASING;
      keepSeconds = keep;
      releaseFuture = new CompletableFuture<>();
      if (busy) {
        return releaseFuture;
      }
      busy = true;
    }
    doRelease();
    return releaseFuture;
  }

  private void doRelease() {
    long now = engine.config.ticker().read();
    boolean ranOut;
    long keep;
    synchronized (this) {
      ranOut = validUntil - now <= 0;
      keep = keepSeconds;
    }
    (keep > 0
            ? state.store.retire(name(), lease, ownerless(), keep)
            : state.store.release(name(), lease, value))
        .whenComplete(
            (outcome, t) -> {
              LeaseStore.Report report = outcome != null ? outcome : LeaseStore.Report.failed(t);
              engine.watchdog.forget(this);
              if (report.result() == LeaseStore.Result.LOST) {
                lose(report.lostDetail());
                return;
              }
              if (report.result() == LeaseStore.Result.FAILED && keep == 0) {
                // (After a failed keep, the item, if still ours, lasts its longer lease instead.)
                engine.releaseLater(this, report.error());
              }
              if (report.othersWaiting()) {
                state.yieldToOthers();
              }
              if (ranOut) {
                lose("the lease ran out before the release");
                return;
              }
              CompletableFuture<Void> f;
              synchronized (this) {
                status = Status.RELEASED;
                engine.held.decrementAndGet();
                busy = false;
                f = Objects.requireNonNull(releaseFuture, "released without a release future");
              }
              f.complete(null);
            });
  }

  /** The value a hold released with a keep time leaves: a fresh token nobody holds. */
  private LockValue ownerless() {
    return new LockValue(
        engine.newToken(),
        value.fence(),
        LockValue.sanitizeHolder("(released, kept by nobody) " + value.holder()));
  }

  // ---- extension of a fixed lease ----

  /**
   * Rewrites the lock item's TTL to {@code ttl} seconds from now, comparing its CAS, and sets the
   * validity from the instant before the request. Fails with {@link LockLostException} when the
   * lease was lost or ran out, with {@link IllegalStateException} when the hold is released or
   * being released.
   */
  CompletableFuture<Void> extend(long ttl) {
    long t0 = engine.config.ticker().read();
    LockValue v;
    synchronized (this) {
      if (status == Status.HELD && validUntil - t0 <= 0) {
        v = null;
      } else if (status == Status.LOST) {
        return CompletableFuture.failedFuture(lostBecause);
      } else if (status != Status.HELD) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "lock '" + name() + "' hold is released or being released; it cannot be extended"));
      } else if (busy) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "lock '"
                    + name()
                    + "' hold is being extended by another call; extend one at a time"));
      } else {
        busy = true;
        v = value;
      }
    }
    if (v == null) {
      lose("its fixed lease ran out before the extension");
      return CompletableFuture.failedFuture(lostBecause());
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    state
        .store
        .renew(name(), lease, v, ttl)
        .whenComplete(
            (r, t) -> {
              LeaseStore.Report report = r != null ? r : LeaseStore.Report.failed(t);
              boolean releaseNow;
              synchronized (this) {
                busy = false;
                if (report.result() == LeaseStore.Result.OK) {
                  validUntil = t0 + engine.config.validityNanos(ttl);
                }
                releaseNow =
                    status == Status.RELEASING && report.result() != LeaseStore.Result.LOST;
                if (releaseNow) {
                  busy = true;
                }
              }
              if (report.result() == LeaseStore.Result.LOST) {
                lose(report.lostDetail());
                done.completeExceptionally(lostBecause());
              } else if (report.result() == LeaseStore.Result.FAILED) {
                done.completeExceptionally(
                    new io.memlock.LockUnavailableException(
                        "could not extend lock '"
                            + name()
                            + "' on "
                            + lease.where()
                            + "; its lease is unchanged",
                        report.error()));
              } else {
                engine.watchdog.renewed(this, true, t0);
                done.complete(null);
              }
              if (releaseNow) {
                doRelease();
              }
            });
    return done;
  }

  // ---- loss ----

  /** Marks the lease lost and tells its owner; idempotent. */
  void lose(String detail) {
    LockLostException ex;
    LockHandleImpl current;
    CompletableFuture<Void> pendingRelease;
    synchronized (this) {
      if (status == Status.LOST || status == Status.RELEASED) {
        return;
      }
      status = Status.LOST;
      engine.held.decrementAndGet();
      busy = false;
      ex =
          new LockLostException(
              name(), "lease of lock '" + name() + "' on " + lease.where() + " lost: " + detail);
      lostBecause = ex;
      current = owner;
      pendingRelease = releaseFuture;
    }
    engine.watchdog.forget(this);
    engine.listeners.leaseLost(name());
    state.holdLost(this);
    if (current != null) {
      current.lost(ex);
    }
    if (pendingRelease != null) {
      pendingRelease.completeExceptionally(ex);
    }
  }
}
