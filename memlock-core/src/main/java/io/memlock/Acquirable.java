package io.memlock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out leases held through {@link LockHandle}s, not tied to a thread: the holds of a {@link
 * DistributedLock} and the permits of a {@link DistributedSemaphore}. A handle's lease is renewed
 * in the background (the watchdog) until it is released, unless it was taken with a fixed lease,
 * and it can be released from any thread.
 *
 * <p>"Held" below means: the lock is held by another holder, or every permit of the semaphore is.
 */
public interface Acquirable {
  /**
   * Returns the name this lock or semaphore was opened with.
   *
   * @return the name
   */
  String name();

  /**
   * Acquires a hold, waiting as long as it takes.
   *
   * @return the hold
   * @throws InterruptedException if interrupted while waiting
   * @throws ClientClosedException if the client is closed
   */
  default LockHandle acquire() throws InterruptedException {
    return acquire(java.time.temporal.ChronoUnit.FOREVER.getDuration());
  }

  /**
   * Acquires a hold, waiting up to {@code wait}. A wait too long to count in nanoseconds (over 292
   * years) means forever.
   *
   * @param wait the longest wait; zero for one attempt
   * @return the hold, renewed by the watchdog until released
   * @throws IllegalArgumentException if {@code wait} is null or negative
   * @throws LockBusyException if it stayed held for the whole wait
   * @throws LockUnavailableException if memcached could not be used for the whole wait
   * @throws InterruptedException if interrupted while waiting
   */
  LockHandle acquire(Duration wait) throws InterruptedException;

  /**
   * Acquires a hold with a fixed lease that is not renewed: it frees itself after {@code lease}
   * even if the holder never releases it.
   *
   * @param wait the longest wait; zero for one attempt
   * @param lease the lease, whole seconds from 3 s to the client's maxLeaseTime
   * @return the hold
   * @throws IllegalArgumentException for a bad wait or lease
   * @throws LockBusyException if it stayed held for the whole wait
   * @throws LockUnavailableException if memcached could not be used for the whole wait
   * @throws InterruptedException if interrupted while waiting
   */
  LockHandle acquire(Duration wait, Duration lease) throws InterruptedException;

  /**
   * Acquires a hold if one can be had now, without waiting.
   *
   * @return the hold, or empty if it is held or memcached cannot be used
   */
  Optional<LockHandle> tryAcquire();

  /**
   * Acquires a hold without blocking the caller, waiting as long as it takes.
   *
   * @return completes with the hold, or with {@link ClientClosedException} if the client closes
   *     first; cancelling it abandons the attempt (a hold won meanwhile is released)
   */
  default CompletableFuture<LockHandle> acquireAsync() {
    return acquireAsync(java.time.temporal.ChronoUnit.FOREVER.getDuration());
  }

  /**
   * Acquires a hold without blocking the caller.
   *
   * @param wait the longest wait; zero for one attempt
   * @return completes with the hold, or with {@link LockBusyException} or {@link
   *     LockUnavailableException}; cancelling it abandons the attempt (a hold won meanwhile is
   *     released)
   * @throws IllegalArgumentException if {@code wait} is null or negative
   */
  CompletableFuture<LockHandle> acquireAsync(Duration wait);
}
