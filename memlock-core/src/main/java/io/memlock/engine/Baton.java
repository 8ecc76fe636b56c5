package io.memlock.engine;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A fair, non-reentrant, asynchronous mutex: the local queue of one lock name. Whoever holds the
 * baton may talk to memcached for the name or take over a lease passed on by the previous local
 * holder. It is not tied to threads: any thread may release it.
 */
final class Baton {
  private static final CompletableFuture<Boolean> GRANTED = CompletableFuture.completedFuture(true);

  private final ArrayDeque<CompletableFuture<Boolean>> waiters = new ArrayDeque<>();
  private boolean held;
  private boolean retired;

  /**
   * Returns a future that completes with true when the baton is granted. Completing it with false
   * (or cancelling it) before then withdraws from the queue; see {@link #withdraw}.
   */
  synchronized @Nullable CompletableFuture<Boolean> acquire() {

    if (retired) {
      return null;
    }
    if (!held && waiters.isEmpty()) {
      held = true;
      return GRANTED;
    }
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    waiters.add(f);
    return f;
  }

  /** Takes the baton if nobody holds it or waits for it (never a retired one). */
  synchronized boolean tryAcquire() {
    if (!held && waiters.isEmpty() && !retired) {
      held = true;
      return true;
    }
    return false;
  }

  /**
   * Withdraws a waiter. Returns true if it left the queue without the baton; false if the baton had
   * already been granted to it, in which case the caller holds it and must release it.
   */
  @SuppressWarnings("CollectionUndefinedEquality") // the waiter itself: identity is what is meant
  boolean withdraw(CompletableFuture<Boolean> waiter) {

    if (waiter.complete(false) || waiter.isCancelled()) {
      synchronized (this) {
        waiters.remove(waiter);
      }
      return true;
    }
    return !Boolean.TRUE.equals(waiter.getNow(false));
  }

  /** Passes the baton to the next waiter, or frees it. */
  void release() {
    while (true) {
      CompletableFuture<Boolean> next;
      synchronized (this) {
        next = waiters.poll();
        if (next == null) {
          held = false;
          return;
        }
      }
      if (next.complete(true)) {
        return;
      }
      // The waiter withdrew at the same moment: try the next one.
    }
  }

  /** Tells whether somebody waits for the baton. */
  synchronized boolean hasWaiters() {
    return !waiters.isEmpty();
  }

  synchronized boolean isHeld() {
    return held;
  }

  /**
   * Retires the baton if nobody holds or waits for it: it then refuses every acquisition, so that
   * its lock state can be dropped without two states of one name being in use.
   */
  synchronized boolean retireIfIdle() {
    if (!held && waiters.isEmpty()) {
      retired = true;
    }
    return retired;
  }

  synchronized boolean isRetired() {
    return retired;
  }
}
