package io.memlock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore shared by every client of the same memcached servers: at most {@link
 * #permits()} holders at once, across threads and processes.
 *
 * <p>Each permit is a lease of its own, held through a {@link LockHandle}: renewed in the
 * background while its holder lives, freed within its TTL when the holder dies, released with
 * {@link LockHandle#release()} from any thread. A handle's {@link LockHandle#name()} is the
 * semaphore's name followed by the permit slot it holds, e.g. {@code "pool (permit 3)"}; its
 * fencing token increases across all permits of the semaphore.
 *
 * <pre>{@code
 * DistributedSemaphore pool = memlock.semaphore("reports", 4);
 * try (LockHandle permit = pool.acquire(Duration.ofSeconds(30))) {
 *   renderReport();
 * } catch (LockBusyException busy) {
 *   // all 4 permits stayed taken for 30 s
 * }
 * }</pre>
 *
 * <p>Every client must open a semaphore with the same number of permits: the first use records the
 * count in memcached, and an acquisition with another count fails with {@link
 * IllegalStateException}. See docs/SYNCHRONIZERS.md for the algorithm and its costs.
 */
public interface DistributedSemaphore {
  /** The largest number of permits a semaphore may have. */
  int MAX_PERMITS = 256;

  /**
   * Returns the semaphore's name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the number of permits.
   *
   * @return the permits, 1 to {@link #MAX_PERMITS}
   */
  int permits();

  /**
   * Acquires a permit, waiting as long as it takes.
   *
   * @return the permit
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the semaphore exists with another number of permits
   * @throws ClientClosedException if the client is closed
   */
  default LockHandle acquire() throws InterruptedException {
    return acquire(java.time.temporal.ChronoUnit.FOREVER.getDuration());
  }

  /**
   * Acquires a permit, waiting up to {@code wait}. A wait too long to count in nanoseconds (over
   * 292 years) means forever.
   *
   * @param wait the longest wait; zero for one try
   * @return the permit, renewed by the watchdog until released
   * @throws IllegalArgumentException if {@code wait} is null or negative
   * @throws LockBusyException if every permit stayed held for the whole wait
   * @throws LockUnavailableException if memcached could not be used for the whole wait
   * @throws IllegalStateException if the semaphore exists with another number of permits
   * @throws InterruptedException if interrupted while waiting
   */
  LockHandle acquire(Duration wait) throws InterruptedException;

  /**
   * Acquires a permit with a fixed lease that is not renewed: the permit frees itself after {@code
   * lease} even if its holder never releases it.
   *
   * @param wait the longest wait; zero for one try
   * @param lease the lease, whole seconds from 3 s to the client's maxLeaseTime
   * @return the permit
   * @throws IllegalArgumentException for a bad wait or lease
   * @throws LockBusyException if every permit stayed held for the whole wait
   * @throws LockUnavailableException if memcached could not be used for the whole wait
   * @throws IllegalStateException if the semaphore exists with another number of permits
   * @throws InterruptedException if interrupted while waiting
   */
  LockHandle acquire(Duration wait, Duration lease) throws InterruptedException;

  /**
   * Acquires a permit if one is free now, without waiting.
   *
   * @return the permit, or empty if every permit is held or memcached cannot be used
   * @throws IllegalStateException if the semaphore exists with another number of permits
   */
  Optional<LockHandle> tryAcquire();

  /**
   * Acquires a permit without blocking the caller, waiting as long as it takes.
   *
   * @return completes with the permit, or with {@link ClientClosedException} if the client closes
   *     first; cancelling it abandons the attempt (a permit won meanwhile is released)
   */
  default CompletableFuture<LockHandle> acquireAsync() {
    return acquireAsync(java.time.temporal.ChronoUnit.FOREVER.getDuration());
  }

  /**
   * Acquires a permit without blocking the caller.
   *
   * @param wait the longest wait; zero for one try
   * @return completes with the permit, or with {@link LockBusyException}, {@link
   *     LockUnavailableException} or {@link IllegalStateException}; cancelling it abandons the
   *     attempt (a permit won meanwhile is released)
   * @throws IllegalArgumentException if {@code wait} is null or negative
   */
  CompletableFuture<LockHandle> acquireAsync(Duration wait);

  /**
   * Reads how many permits are free now, as memcached sees them (one round trip). The answer may be
   * out of date as soon as it is returned.
   *
   * @return the free permits
   * @throws IllegalStateException if the semaphore exists with another number of permits
   * @throws MemLockException if memcached cannot be asked
   */
  int availablePermits();
}
