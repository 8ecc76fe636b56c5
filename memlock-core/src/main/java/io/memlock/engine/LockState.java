package io.memlock.engine;

import io.memlock.store.LeaseStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The local side of one lock name: the baton that queues this client's threads, the current local
 * holder, and a lease kept for hand-off to the next local holder (lock cohorting: Dice, Marathe and
 * Shavit, PPoPP 2012).
 */
public final class LockState {
  final LockEngine engine;
  public final String name;

  /** Where this lock's items live: the store of user locks or of synchronizer items. */
  public final LeaseStore store;

  final Baton baton = new Baton();

  /** Until then (ticker time), local acquirers let waiters of other clients go first. */
  volatile long yieldUntil;

  /**
   * A release found that waiters of other clients poll for this lock: the next local acquisition
   * waits a little, longer than those waiters' longest poll interval, so one of them gets in.
   */
  void yieldToOthers() {
    yieldUntil = engine.config.ticker().read() + 2 * engine.config.retryMax().toNanos();
  }

  // Guarded by this.
  private @Nullable Hold retained;
  private int handoffs;
  private @Nullable LockHandleImpl current;

  LockState(LockEngine engine, String name, LeaseStore store) {
    this.engine = engine;
    this.name = name;
    this.store = store;
  }

  /** Records a fresh lease won by an acquisition holding the baton. */
  LockHandleImpl newHold(Hold hold) {
    LockHandleImpl h = new LockHandleImpl(hold, 0);
    synchronized (this) {
      handoffs = 0;
      current = h;
      hold.assign(h, 0);
    }
    return h;
  }

  /** Takes the lease the previous local holder left, if any; the caller holds the baton. */
  synchronized @Nullable Hold takeRetained() {

    Hold r = retained;
    retained = null;
    return r;
  }

  /** Hands a retained lease to the next local holder, who holds the baton. */
  LockHandleImpl handOff(Hold hold) {
    synchronized (this) {
      handoffs++;
      LockHandleImpl h = new LockHandleImpl(hold, handoffs);
      current = h;
      hold.assign(h, handoffs);
      return h;
    }
  }

  long handoffMargin(Hold hold) {
    return engine.config.validityNanos(hold.ttlSeconds) / 4;
  }

  /**
   * Ends a local hold: passes the lease to the next local waiter when there is one, the lease has
   * time left and the hand-off limit is not reached; otherwise deletes the lock item.
   */
  CompletableFuture<Void> release(LockHandleImpl h) {
    return release(h, 0);
  }

  /** As {@link #release(LockHandleImpl)}; with {@code keep > 0}, no hand-off: see Hold#release. */
  CompletableFuture<Void> release(LockHandleImpl h, long keep) {
    Hold hold = h.hold;
    boolean handoff;
    synchronized (this) {
      if (current != h) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("lock '" + name + "' hold is not current"));
      }
      current = null;
      hold.unassign(h);
      long now = engine.config.ticker().read();
      handoff =
          hold.watchdog
              && keep == 0
              && handoffs < engine.config.maxHandoffs()
              && baton.hasWaiters()
              && hold.isValidFor(now, handoffMargin(hold));
      if (handoff) {
        retained = hold;
      }
    }
    if (handoff) {
      h.end(null);
      baton.release();
      checkOrphan();
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    hold.release(keep)
        .whenComplete(
            (v, t) -> {
              Throwable cause = t instanceof CompletionException c ? c.getCause() : t;
              h.end(cause);
              baton.release();
              if (cause == null) {
                done.complete(null);
              } else {
                done.completeExceptionally(cause);
              }
            });
    return done;
  }

  /** A lease kept for hand-off whose taker gave up: release it if nobody waits. */
  void checkOrphan() {
    if (!baton.tryAcquire()) {
      return;
    }
    Hold r;
    synchronized (this) {
      r = retained;
      retained = null;
    }
    baton.release();
    if (r != null) {
      r.release();
    }
  }

  /**
   * The client closes: releases the current and the retained lease; their handles end. A handle
   * whose release this starts is added to {@code closed}.
   */
  CompletableFuture<Void> releaseAllOnClose(List<LockHandleImpl> closed) {
    LockHandleImpl h;
    Hold r;
    synchronized (this) {
      h = current;
      r = retained;
      retained = null;
    }
    CompletableFuture<Void> a = h == null ? null : h.closeByClient();
    if (a != null) {
      synchronized (closed) {
        closed.add(h);
      }
    } else {
      a = CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> b = r == null ? CompletableFuture.completedFuture(null) : r.release();
    return CompletableFuture.allOf(a.exceptionally(t -> null), b.exceptionally(t -> null));
  }

  synchronized void holdLost(Hold h) {
    if (retained == h) {
      retained = null;
    }
  }

  /** Retires the state if nobody holds, waits for or keeps a lease of it; see {@link Baton}. */
  /**
   * A look without the lock: false if this state has a holder or a retained lease, so {@link
   * #retireIfIdle} would keep it. A stale answer is harmless: true only leads to that check.
   */
  boolean mayBeIdle() {
    return current == null && retained == null;
  }

  synchronized boolean retireIfIdle() {
    return current == null && retained == null && baton.retireIfIdle();
  }

  synchronized @Nullable LockHandleImpl current() {
    return current;
  }
}
