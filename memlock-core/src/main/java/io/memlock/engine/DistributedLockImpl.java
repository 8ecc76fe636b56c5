package io.memlock.engine;

import io.memlock.DistributedLock;
import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.MemLockException;
import io.memlock.store.LockConfig;
import io.memlock.store.LockValue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.jspecify.annotations.Nullable;

/**
 * The public lock of one name: a thin view over the engine's state for that name. The
 * synchronizers' locks (fair, read, write) extend it, replacing how a hold is acquired ({@link
 * #start}) and where the current thread's hold is kept ({@link #viewKey()}).
 */
public class DistributedLockImpl implements DistributedLock {
  public final LockEngine engine;
  public final String name;

  public DistributedLockImpl(LockEngine engine, String name) {
    this.engine = engine;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  // ---- the Lock view ----

  /** The key of this lock's entry in {@link LockEngine#views}: the name for user locks. */
  public Object viewKey() {
    return name;
  }

  /** Returns the current thread's hold of the view, or null. */
  public LockEngine.@Nullable ViewHold mine() {
    LockEngine.ViewHold v = engine.views.get(viewKey());
    return v != null && v.owner == Thread.currentThread() ? v : null;
  }

  /**
   * Reenters if the current thread owns the view and its lease is still valid; returns true if it
   * did. A view hold whose lease was lost is never reentered: it is dropped (its lease given back)
   * and {@link LockLostException} thrown, once; the next call starts a fresh acquisition.
   */
  private boolean reenter() {
    LockEngine.ViewHold v = mine();
    if (v == null) {
      return false;
    }
    if (v.handle.isHeld()) {
      v.holds++;
      return true;
    }
    throw dropLost(v);
  }

  /** Drops the current thread's view hold whose lease is over; returns the exception to throw. */
  private RuntimeException dropLost(LockEngine.ViewHold v) {
    engine.views.remove(viewKey(), v);
    LockHandleImpl h = v.handle;
    if (h.isReleasing()) {
      // Only the client's close releases a view hold behind its owner's back.
      engine.checkOpen();
    }
    LockLostException lost = null;
    try {
      // Gives the local queue back; deletes the item if it is still ours (a lease that ran out).
      h.release();
    } catch (LockLostException e) {
      lost = e;
    } catch (RuntimeException e) {
      // The release could not reach memcached: the item expires with its TTL.
    }
    return lostHold(
        lost != null ? lost.getMessage() : "its lease ran out",
        " and was never unlocked; it is dropped now, and the next lock or tryLock starts a fresh"
            + " acquisition");
  }

  private void own(LockHandleImpl h) {
    engine.views.put(viewKey(), new LockEngine.ViewHold(h));
  }

  private IllegalMonitorStateException notHeld() {
    return LockErrors.notHeld(name);
  }

  @Override
  public void lock() {
    if (reenter()) {
      return;
    }
    LockAttempt a = start(0, true, engine.config.leaseSeconds(), true);
    boolean interrupted = false;
    LockHandleImpl h;
    while (true) {
      try {
        h = a.result().get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        throw rethrow(e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    own(h);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (reenter()) {
      return;
    }
    own(await(start(0, true, engine.config.leaseSeconds(), true)));
  }

  @Override
  public boolean tryLock() {
    if (reenter()) {
      return true;
    }
    LockAttempt a = start(0, false, engine.config.leaseSeconds(), true);
    LockHandleImpl h = Blocking.join(a.result());
    if (h == null) {
      return false;
    }
    own(h);
    return true;
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (reenter()) {
      return true;
    }
    LockHandleImpl h = await(start(unit.toNanos(time), false, engine.config.leaseSeconds(), true));
    if (h == null) {
      return false;
    }
    own(h);
    return true;
  }

  @Override
  public void unlock() {
    LockEngine.ViewHold v = mine();
    if (v == null) {
      throw notHeld();
    }
    LockHandleImpl h = v.handle;
    if (--v.holds > 0) {
      if (h.hold.lostBecause() != null) {
        throw h.hold.lostBecause();
      }
      if (!h.isReleasing() && !h.isHeld()) {
        throw lostHold(h, "");
      }
      return;
    }
    engine.views.remove(viewKey(), v);
    if (h.isReleasing() && engine.isClosed()) {
      return;
    }
    h.release();
  }

  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException(
        "memlock locks have no conditions: memcached cannot wake waiters");
  }

  @Override
  public long fencingToken() {
    LockEngine.ViewHold v = mine();
    if (v == null) {
      throw notHeld();
    }
    if (!v.handle.isHeld()) {
      throw lostHold(v.handle, "; its fencing token is stale");
    }
    return v.handle.fencingToken();
  }

  private LockLostException lostHold(LockHandleImpl h, String consequence) {
    return LockErrors.lostHold(name, h, consequence);
  }

  private LockLostException lostHold(@Nullable String why, String consequence) {
    return LockErrors.lostHold(name, why, consequence);
  }

  @Override
  public boolean isHeldByCurrentThread() {
    LockEngine.ViewHold v = mine();
    return v != null && v.handle.isHeld();
  }

  @Override
  public int getHoldCount() {
    LockEngine.ViewHold v = mine();
    return v == null ? 0 : v.holds;
  }

  // ---- handles ----

  @Override
  public LockHandle acquire(Duration wait) throws InterruptedException {
    return acquire(wait, null);
  }

  @Override
  public LockHandle acquire(Duration wait, @Nullable Duration lease) throws InterruptedException {
    long waitNanos = checkWait(wait);
    boolean watchdog = lease == null;
    long ttl = lease == null ? engine.config.leaseSeconds() : checkLease(lease);

    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    LockAttempt a = start(waitNanos, waitNanos == Long.MAX_VALUE, ttl, watchdog);
    LockHandleImpl h = await(a);
    if (h == null) {
      throw notAcquired(a, wait);
    }
    return h;
  }

  @Override
  public Optional<LockHandle> tryAcquire() {
    return Optional.ofNullable(
        Blocking.join(start(0, false, engine.config.leaseSeconds(), true).result()));
  }

  @Override
  public CompletableFuture<LockHandle> acquireAsync(Duration wait) {
    long waitNanos = checkWait(wait);
    return acquireAsync(
        wait, start(waitNanos, waitNanos == Long.MAX_VALUE, engine.config.leaseSeconds(), true));
  }

  /** Like {@link #acquireAsync(Duration)}, writing {@code holder} as the holder's description. */
  public CompletableFuture<LockHandle> acquireAsync(Duration wait, String holder) {
    long waitNanos = checkWait(wait);
    boolean forever = waitNanos == Long.MAX_VALUE;
    return acquireAsync(
        wait,
        engine.acquire(
            name,
            clampWait(waitNanos, forever),
            forever,
            engine.config.leaseSeconds(),
            true,
            LockValue.sanitizeHolder(holder)));
  }

  private CompletableFuture<LockHandle> acquireAsync(Duration wait, LockAttempt a) {
    CompletableFuture<LockHandle> out = new CompletableFuture<>();
    a.result()
        .whenCompleteAsync(
            (h, t) -> {
              if (t != null) {
                out.completeExceptionally(t);
              } else if (h == null) {
                out.completeExceptionally(notAcquired(a, wait));
              } else if (!out.complete(h)) {
                h.releaseInternally();
              }
            },
            engine.callbacks);
    out.whenComplete(
        (h, t) -> {
          if (t instanceof CancellationException) {
            LockHandleImpl won = a.abandon();
            if (won != null) {
              won.releaseInternally();
            }
          }
        });
    return out;
  }

  public static long checkWait(Duration wait) {
    if (wait == null) {
      throw new IllegalArgumentException("wait is null");
    }
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, got " + wait);
    }
    try {
      return wait.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // forever
    }
  }

  public long checkLease(Duration lease) {
    long s = LockConfig.leaseSeconds("lease", lease);
    if (s > engine.config.maxLeaseSeconds()) {
      throw new IllegalArgumentException(
          "lease "
              + lease
              + " is longer than maxLeaseTime "
              + Duration.ofSeconds(engine.config.maxLeaseSeconds()));
    }
    return s;
  }

  /**
   * Starts acquiring a hold.
   *
   * @param waitNanos the longest wait (ignored when {@code forever}); 0 for one attempt
   * @param forever wait as long as it takes
   * @param ttl the lease's TTL in seconds
   * @param watchdog renew the lease while held
   * @return the attempt under way
   */
  public LockAttempt start(long waitNanos, boolean forever, long ttl, boolean watchdog) {
    return engine.acquire(name, clampWait(waitNanos, forever), forever, ttl, watchdog);
  }

  /** A wait that deadline arithmetic cannot overflow. */
  public static long clampWait(long waitNanos, boolean forever) {
    return forever ? 0 : Math.min(waitNanos, Long.MAX_VALUE / 4);
  }

  public static LockHandleImpl await(LockAttempt a) throws InterruptedException {
    try {
      return a.result().get();
    } catch (InterruptedException e) {
      LockHandleImpl won = a.abandon();
      if (won != null) {
        won.releaseInternally();
      }
      throw e;
    } catch (ExecutionException e) {
      throw rethrow(e);
    }
  }

  private static RuntimeException rethrow(ExecutionException e) {
    if (e.getCause() instanceof RuntimeException r) {
      return r;
    }
    return new MemLockException("lock acquisition failed", e.getCause());
  }

  /** The exception of an acquisition that gave up: the lock was busy or unavailable. */
  public MemLockException notAcquired(LockAttempt a, Duration wait) {
    return LockErrors.notAcquired(name, a, wait);
  }

  public static String describe(Duration d) {
    return LockErrors.describe(d);
  }

  @Override
  public String toString() {
    return "DistributedLock[" + name + "]";
  }
}
