package io.memlock.lock;

import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.LockLostListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** One local holder of a lease: the first holder of a fresh lease or one it was handed off to. */
final class LockHandleImpl implements LockHandle {
  final Hold hold;
  final int index;
  private final long fence;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final List<LockLostListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean releasing = new AtomicBoolean();

  LockHandleImpl(Hold hold, int index) {
    this.hold = hold;
    this.index = index;
    this.fence = hold.fenceFor(index);
  }

  @Override
  public String name() {
    return hold.name();
  }

  @Override
  public long fencingToken() {
    return fence;
  }

  @Override
  public boolean isHeld() {
    return !releasing.get() && hold.isValid(hold.engine.config.ticker().read());
  }

  @Override
  public Duration leaseLeft() {
    if (releasing.get()) {
      return Duration.ZERO;
    }
    long left = hold.validUntil() - hold.engine.config.ticker().read();
    return left <= 0 || hold.status() != Hold.Status.HELD ? Duration.ZERO : Duration.ofNanos(left);
  }

  @Override
  public void release() {
    if (releasing.get()) {
      throw new IllegalStateException("lock '" + name() + "' hold was already released");
    }
    join(releaseAsync());
  }

  @Override
  public CompletableFuture<Void> releaseAsync() {
    if (!releasing.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("lock '" + name() + "' hold was already released"));
    }
    return hold.state.release(this);
  }

  @Override
  public void close() {
    if (releasing.compareAndSet(false, true)) {
      join(hold.state.release(this));
    }
  }

  private static void join(CompletableFuture<Void> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public void onLost(LockLostListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    listeners.add(listener);
    if (ended.isCompletedExceptionally()) {
      LockLostException ex = hold.lostBecause();
      if (ex != null && listeners.remove(listener)) {
        notify(listener, ex);
      }
    }
  }

  @Override
  public CompletableFuture<Void> ended() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    ended.whenCompleteAsync(
        (v, t) -> {
          if (t == null) {
            f.complete(null);
          } else {
            f.completeExceptionally(t instanceof CompletionException c ? c.getCause() : t);
          }
        },
        hold.engine.callbacks);
    return f;
  }

  /** The client closes while this hold is current: release it, unless its owner already is. */
  CompletableFuture<Void> closeByClient() {
    if (releasing.compareAndSet(false, true)) {
      return hold.state.release(this);
    }
    return CompletableFuture.completedFuture(null);
  }

  boolean isReleasing() {
    return releasing.get();
  }

  /** The hold ended by release (null) or by loss (the exception). */
  void end(Throwable t) {
    if (t == null) {
      ended.complete(null);
    } else {
      ended.completeExceptionally(t);
    }
  }

  /** The lease was lost while this handle owned it. */
  void lost(LockLostException ex) {
    ended.completeExceptionally(ex);
    for (LockLostListener l : listeners) {
      if (listeners.remove(l)) {
        notify(l, ex);
      }
    }
  }

  private void notify(LockLostListener l, LockLostException ex) {
    hold.engine.callbacks.execute(
        () -> {
          try {
            l.lockLost(this, ex);
          } catch (RuntimeException e) {
            LockEngine.LOG.log(
                System.Logger.Level.WARNING, "lock lost listener of '" + name() + "' failed", e);
          }
        });
  }

  @Override
  public void release(Duration keepFor) {
    long keep = LockConfig.keepSeconds(keepFor);
    if (!releasing.compareAndSet(false, true)) {
      throw new IllegalStateException("lock '" + name() + "' hold was already released");
    }
    join(hold.state.release(this, keep));
  }

  @Override
  public void extend(Duration lease) {
    if (hold.watchdog) {
      throw new IllegalStateException(
          "lock '" + name() + "' hold is renewed by the watchdog; only fixed leases are extended");
    }
    long ttl = hold.engine.config.fixedLeaseSeconds(lease);
    if (releasing.get()) {
      throw new IllegalStateException("lock '" + name() + "' hold was already released");
    }
    join(hold.extend(ttl));
  }

  @Override
  public String toString() {
    return "LockHandle[" + name() + ", fence " + fence + (isHeld() ? ", held]" : "]");
  }
}
