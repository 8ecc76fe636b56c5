package io.memlock.engine;

import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.LockLostListener;
import io.memlock.store.LockConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** One local holder of a lease: the first holder of a fresh lease or one it was handed off to. */
public final class LockHandleImpl implements LockHandle {
  public final Hold hold;
  final int index;
  private final long fence;

  /** How the hold ended; completed on any thread, and only memlock waits on it. */
  private final CompletableFuture<Void> endedInternally = new CompletableFuture<>();

  /** The public {@link #ended()}: completed on the callback executor or a releasing caller. */
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  /**
   * Whether {@link #ended()} was ever called. Until it is, nobody can wait on the public future, so
   * the end of the hold wakes no callback thread to complete it; {@link #ended()} completes it
   * itself when the hold is over by then.
   */
  private volatile boolean endedAsked;

  /** The release under way or done, once one started. */
  private volatile @Nullable CompletableFuture<Void> releaseFuture;

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
    if (!releasing.compareAndSet(false, true)) {
      throw new IllegalStateException("lock '" + name() + "' hold was already released");
    }
    finish(startRelease());
  }

  @Override
  public CompletableFuture<Void> releaseAsync() {
    if (!releasing.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("lock '" + name() + "' hold was already released"));
    }
    CompletableFuture<Void> internal = startRelease();
    CompletableFuture<Void> out = new CompletableFuture<>();
    if (internal.isDone()) {
      // Done already (a hand-off, or a lease lost before): finish on the caller's thread.
      publish(internal, out);
    } else {
      // Completes on an I/O thread: the caller's continuations run on the callback executor.
      internal.whenComplete((v, t) -> hold.engine.callbacks.execute(() -> publish(internal, out)));
    }
    return out;
  }

  /** Releases for the engine: no user code waits on the future, which completes on any thread. */
  CompletableFuture<Void> releaseInternally() {
    if (!releasing.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    return startRelease();
  }

  private CompletableFuture<Void> startRelease() {
    CompletableFuture<Void> f = hold.state.release(this);
    releaseFuture = f;
    return f;
  }

  /** Completes {@link #ended} and then {@code out} as the release {@code internal} did. */
  private void publish(CompletableFuture<Void> internal, CompletableFuture<Void> out) {
    publishEnded();
    Throwable t = failure(internal);
    if (t == null) {
      out.complete(null);
    } else {
      out.completeExceptionally(t);
    }
  }

  @Override
  public void close() {
    if (releasing.compareAndSet(false, true)) {
      finish(startRelease());
      return;
    }
    CompletableFuture<Void> f = releaseFuture;
    if (f != null) {
      // Released already, or being released: wait until it is over, whatever the outcome.
      f.exceptionally(t -> null).join();
      publishEnded();
    }
  }

  /**
   * Waits for a release (it needs no callback thread), completes {@link #ended} on this thread,
   * then returns or throws as the release did.
   */
  private void finish(CompletableFuture<Void> internal) {
    Throwable t = failure(internal);
    publishEnded();
    rethrow(t);
  }

  /** Throws {@code t} as it is if unchecked, wrapped otherwise; returns if it is null. */
  private static void rethrow(@Nullable Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new CompletionException(t);
    }
  }

  /** The failure of a completed future, unwrapped; null if it completed normally. */
  private static @Nullable Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause() != null ? e.getCause() : e;
    } catch (CancellationException e) {
      return e;
    }
  }

  @Override
  public void onLost(LockLostListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    listeners.add(listener);
    if (endedInternally.isCompletedExceptionally()) {
      LockLostException ex = hold.lostBecause();
      if (ex != null && listeners.remove(listener)) {
        notify(listener, ex);
      }
    }
  }

  @Override
  public CompletableFuture<Void> ended() {
    if (!endedAsked) {
      endedAsked = true;
      // The hold may have ended before anyone asked (end() then dispatched nothing): complete the
      // future here, on the caller's thread, where a continuation added later would run anyway.
      publishEnded();
    }
    return ended;
  }

  /**
   * The client closes while this hold is current: release it, unless its owner already is. Returns
   * null if the owner is releasing it.
   */
  @Nullable CompletableFuture<Void> closeByClient() {

    if (releasing.compareAndSet(false, true)) {
      return startRelease();
    }
    return null;
  }

  /**
   * The client's close is over: completes {@link #ended} on the closing thread, as released if the
   * release it started has not finished (the item then expires with its TTL).
   */
  void closed() {
    endedInternally.complete(null);
    publishEnded();
  }

  public boolean isReleasing() {
    return releasing.get();
  }

  /**
   * The hold ended by release (null) or by loss (the exception). Called on any thread: the public
   * {@link #ended} completes on the callback executor, unless a blocking release or the client's
   * close completes it on its own thread first.
   */
  void end(@Nullable Throwable t) {
    boolean first =
        t == null ? endedInternally.complete(null) : endedInternally.completeExceptionally(t);
    // Read after completing endedInternally, as ended() reads endedInternally after setting
    // endedAsked: one of the two sees the other and completes the public future.
    if (first && endedAsked) {
      hold.engine.callbacks.execute(this::publishEnded);
    }
  }

  /** Completes the public {@link #ended} as the hold ended, if it has. */
  private void publishEnded() {
    if (!endedInternally.isDone() || ended.isDone()) {
      return;
    }
    Throwable t = failure(endedInternally);
    if (t == null) {
      ended.complete(null);
    } else {
      ended.completeExceptionally(t);
    }
  }

  /** The lease was lost while this handle owned it. */
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // copy-on-write: iterates a snapshot
  void lost(LockLostException ex) {

    end(ex);
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
    CompletableFuture<Void> f = hold.state.release(this, keep);
    releaseFuture = f;
    finish(f);
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
    CompletableFuture<Void> f = hold.extend(ttl);
    f.exceptionally(t -> null).join();
    rethrow(failure(f));
  }

  @Override
  public String toString() {
    return "LockHandle[" + name() + ", fence " + fence + (isHeld() ? ", held]" : "]");
  }
}
