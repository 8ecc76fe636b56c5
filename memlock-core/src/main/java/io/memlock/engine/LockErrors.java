package io.memlock.engine;

import io.memlock.LockBusyException;
import io.memlock.LockLostException;
import io.memlock.LockUnavailableException;
import io.memlock.MemLockException;
import io.memlock.MemLockTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The exceptions a {@link DistributedLockImpl} throws, with messages that name the lock, the thread
 * and, where known, the holder and what was tried: not held, hold lost, not acquired; and the error
 * an {@link Acquisition} records when its win came too late.
 */
final class LockErrors {
  private LockErrors() {}

  /** The current thread does not hold lock {@code name}. */
  static IllegalMonitorStateException notHeld(String name) {
    return new IllegalMonitorStateException(
        "lock '" + name + "' is not held by thread " + Thread.currentThread().getName());
  }

  /** The exception for the current thread's hold {@code h} that is no longer valid. */
  static LockLostException lostHold(String name, LockHandleImpl h, String consequence) {
    LockLostException lost = h.hold.lostBecause();
    return lostHold(
        name,
        lost != null
            ? lost.getMessage()
            : h.isReleasing() ? "the client was closed" : "its lease ran out",
        consequence);
  }

  /** The exception for the current thread's hold, lost because of {@code why}. */
  static LockLostException lostHold(String name, @Nullable String why, String consequence) {

    return new LockLostException(
        name,
        "the hold of lock '"
            + name
            + "' by thread "
            + Thread.currentThread().getName()
            + " was lost ("
            + why
            + ")"
            + consequence);
  }

  /** The exception of an acquisition that gave up: the lock was busy or unavailable. */
  static MemLockException notAcquired(String name, LockAttempt a, Duration wait) {
    Throwable error = a.lastError();
    String holder = a.lastHolder();
    if (error != null && holder == null) {
      return new LockUnavailableException(
          "lock '"
              + name
              + "' is unavailable: "
              + error.getMessage()
              + (wait.isZero() ? "" : "; gave up after " + describe(wait)),
          error);
    }
    long ttl = a.lastTtl();
    Duration left = ttl >= 0 ? Duration.ofSeconds(ttl) : null;
    StringBuilder sb = new StringBuilder("lock '").append(name).append("' is held");
    if (holder != null) {
      sb.append(" by ").append(holder);
    } else {
      sb.append(" by another thread of this process");
    }
    if (left != null) {
      sb.append(" (lease ends within ").append(ttl).append(" s)");
    }
    if (!wait.isZero()) {
      sb.append("; gave up after ").append(describe(wait));
    }
    return new LockBusyException(name, holder, left, sb.toString());
  }

  /**
   * The error of an acquisition whose add won, but whose reply came after the lease's validity (the
   * lease was given back).
   */
  static MemLockTimeoutException wonTooLate(long tookNanos, long validityNanos) {
    return new MemLockTimeoutException(
        "the lock item was won, but the reply took "
            + TimeUnit.NANOSECONDS.toMillis(tookNanos)
            + " ms, longer than the lease's validity of "
            + TimeUnit.NANOSECONDS.toMillis(validityNanos)
            + " ms; it was given back");
  }

  /** A wait as people write it: whole seconds in s, anything finer in ms. */
  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
