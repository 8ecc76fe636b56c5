package io.memlock.spring.integration;

import io.memlock.LockBusyException;
import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.MemLock;
import io.memlock.MemLockException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.integration.support.locks.DistributedLock;

/**
 * One key's lock of a {@link MemLockRegistry}: a local {@link ReentrantLock} for the owning thread
 * and its hold count, and one memlock hold, taken by the first acquisition and released by the last
 * unlock.
 */
final class RegistryLock implements DistributedLock {
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
  private static final Duration MIN_LEASE = Duration.ofSeconds(3);

  private final MemLock memlock;
  private final String key;
  private final String name;
  private final ReentrantLock local = new ReentrantLock();
  private volatile long lastUsed = System.currentTimeMillis();

  // Read and written only by the thread that holds `local`.
  private LockHandle hold;
  private Duration fixedLease;

  RegistryLock(MemLock memlock, String key, String name) {
    this.memlock = memlock;
    this.key = key;
    this.name = name;
  }

  /** A TTL as a memlock lease: rounded up to whole seconds, at least 3 s. */
  static Duration leaseOf(Duration ttl) {
    if (ttl == null) {
      throw new IllegalArgumentException("ttl is null");
    }
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    Duration s = Duration.ofSeconds(ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0));
    return s.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : s;
  }

  long lastUsed() {
    return lastUsed;
  }

  boolean isAcquiredInThisProcess() {
    return local.isLocked();
  }

  @Override
  public void lock() {
    lockUninterruptibly(null);
  }

  @Override
  public void lock(Duration ttl) {
    lockUninterruptibly(leaseOf(ttl));
  }

  private void lockUninterruptibly(Duration lease) {
    local.lock();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (!acquire(FOREVER, lease)) {
            throw new CannotAcquireLockException("Failed to lock '" + key + "'");
          }
          return;
        } catch (InterruptedException e) {
          // lock() is not interruptible: keep waiting, and restore the status at the end.
          interrupted = true;
        }
      }
    } catch (RuntimeException e) {
      local.unlock();
      throw translate(e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    local.lockInterruptibly();
    try {
      if (!acquire(FOREVER, null)) {
        throw new CannotAcquireLockException("Failed to lock '" + key + "'");
      }
    } catch (InterruptedException e) {
      local.unlock();
      throw e;
    } catch (RuntimeException e) {
      local.unlock();
      throw translate(e);
    }
  }

  @Override
  public boolean tryLock() {
    if (!local.tryLock()) {
      return false;
    }
    try {
      boolean ok = acquire(Duration.ZERO, null);
      if (!ok) {
        local.unlock();
      }
      return ok;
    } catch (InterruptedException e) {
      local.unlock();
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      local.unlock();
      throw translate(e);
    }
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return tryLockFor(Duration.ofNanos(Math.max(0, unit.toNanos(time))), null);
  }

  @Override
  public boolean tryLock(Duration waitTime, Duration ttl) throws InterruptedException {
    if (waitTime == null) {
      throw new IllegalArgumentException("waitTime is null");
    }
    return tryLockFor(waitTime.isNegative() ? Duration.ZERO : waitTime, leaseOf(ttl));
  }

  private boolean tryLockFor(Duration wait, Duration lease) throws InterruptedException {
    long start = System.nanoTime();
    long waitNanos = toNanos(wait);
    if (!local.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
      return false;
    }
    try {
      long left = Math.max(0, waitNanos - (System.nanoTime() - start));
      boolean ok = acquire(Duration.ofNanos(left), lease);
      if (!ok) {
        local.unlock();
      }
      return ok;
    } catch (InterruptedException e) {
      local.unlock();
      throw e;
    } catch (RuntimeException e) {
      local.unlock();
      throw translate(e);
    }
  }

  /**
   * Called with {@code local} just taken: takes the memlock hold on the first hold count; on a
   * reentrant one, checks that the hold is still valid (never re-entering a lost lease) and, for a
   * fixed lease asked with a TTL, extends it as the Redis and JDBC registries do.
   */
  private boolean acquire(Duration wait, Duration lease) throws InterruptedException {
    if (local.getHoldCount() > 1) {
      LockHandle h = hold;
      if (!h.isHeld()) {
        throw lost();
      }
      if (lease != null && fixedLease != null) {
        h.extend(lease);
        fixedLease = lease;
      }
      lastUsed = System.currentTimeMillis();
      return true;
    }
    LockHandle h;
    try {
      h =
          lease == null
              ? memlock.lock(name).acquire(wait)
              : memlock.lock(name).acquire(wait, lease);
    } catch (LockBusyException e) {
      return false;
    }
    hold = h;
    fixedLease = lease;
    lastUsed = System.currentTimeMillis();
    return true;
  }

  @Override
  public void unlock() {
    if (!local.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException(
          "the current thread does not hold lock '" + key + "' (memlock name '" + name + "')");
    }
    if (local.getHoldCount() > 1) {
      local.unlock();
      return;
    }
    LockHandle h = hold;
    hold = null;
    fixedLease = null;
    try {
      h.release();
    } finally {
      local.unlock();
    }
  }

  /** Renews the current thread's hold; see {@link MemLockRegistry#renewLock(Object, Duration)}. */
  void renew(Duration lease) {
    LockHandle h = ownHold();
    if (!h.isHeld()) {
      throw lost();
    }
    if (fixedLease == null) {
      if (lease != null) {
        throw new IllegalStateException(
            "lock '"
                + key
                + "' was taken without a TTL: memlock's watchdog renews it; renewLock with a TTL"
                + " applies to locks taken with lock(ttl) or tryLock(wait, ttl)");
      }
      return;
    }
    Duration next = lease != null ? lease : fixedLease;
    h.extend(next);
    fixedLease = next;
    lastUsed = System.currentTimeMillis();
  }

  long fencingToken() {
    return ownHold().fencingToken();
  }

  private LockHandle ownHold() {
    if (!local.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException(
          "the current thread does not hold lock '" + key + "' (memlock name '" + name + "')");
    }
    return hold;
  }

  private LockLostException lost() {
    return new LockLostException(
        name,
        "lease of lock '"
            + key
            + "' (memlock name '"
            + name
            + "') was lost: it ran out, or its item was deleted or evicted; the hold is not"
            + " re-entered, unlock() to end it");
  }

  private RuntimeException translate(RuntimeException e) {
    if (e instanceof MemLockException) {
      return new CannotAcquireLockException(
          "Failed to lock '" + key + "' (memlock name '" + name + "'): " + e.getMessage(), e);
    }
    return e;
  }

  private static long toNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("conditions are not supported by distributed locks");
  }

  @Override
  public String toString() {
    return "MemLockRegistry.Lock[" + name + (local.isLocked() ? ", locked]" : "]");
  }
}
