package io.memlock.lock;

import io.memlock.LockLostException;
import java.util.concurrent.CompletableFuture;

/**
 * One remote lease: the lock item this client wrote, its CAS (inside the store's lease), its fence
 * and its validity. Renewals and the release are serialized: a release asked for while a renewal is
 * under way waits for it, so that it compares the renewed CAS.
 */
final class Hold {
  enum Status {
    HELD,
    RELEASING,
    RELEASED,
    LOST
  }

  final LockEngine engine;
  final LockState state;
  final LeaseStore.Lease lease;
  final long counter;
  final long ttlSeconds;
  final boolean watchdog;
  private LockValue value;

  // Guarded by this.
  private Status status = Status.HELD;
  private boolean busy;
  private long validUntil;
  private CompletableFuture<Void> releaseFuture;
  private LockHandleImpl owner;
  private int handoffIndex;
  private LockLostException lostBecause;
  private Throwable lastRenewError;

  /** Written by the registering thread before the watchdog takes the hold in, then by it. */
  long nextRenewal;

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

  synchronized LockLostException lostBecause() {
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
      value = value.withFence(fenceFor(handoffIndex));
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

  synchronized Throwable lastRenewError() {
    return lastRenewError;
  }

  // ---- release ----

  /**
   * Releases the lease remotely. Completes normally when the item was deleted, or when the server
   * could not be reached (the item then expires with its TTL); with {@link LockLostException} when
   * the lease had been lost or ran out before the release.
   */
  CompletableFuture<Void> release() {
    synchronized (this) {
      if (status == Status.LOST) {
        return CompletableFuture.failedFuture(lostBecause);
      }
      if (releaseFuture != null) {
        return releaseFuture;
      }
      status = Status.RELEASING;
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
    synchronized (this) {
      ranOut = validUntil - now <= 0;
    }
    state
        .store
        .release(name(), lease, value)
        .whenComplete(
            (outcome, t) -> {
              LeaseStore.Report report = outcome != null ? outcome : LeaseStore.Report.failed(t);
              engine.watchdog.forget(this);
              if (report.result() == LeaseStore.Result.LOST) {
                lose(report.detail());
                return;
              }
              if (report.result() == LeaseStore.Result.FAILED) {
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
                f = releaseFuture;
              }
              f.complete(null);
            });
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
