package io.memlock;

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
 * <p>Permits are acquired with the {@link Acquirable} methods; a permit is "held" there when every
 * permit of the semaphore is taken. Every client must open a semaphore with the same number of
 * permits: the first use records the count in memcached, and an acquisition (each {@code acquire},
 * {@code tryAcquire} and {@code acquireAsync}, the last through its future) or {@link
 * #availablePermits()} with another count fails with {@link IllegalStateException}. See
 * docs/SYNCHRONIZERS.md for the algorithm and its costs.
 */
public interface DistributedSemaphore extends Acquirable {
  /** The largest number of permits a semaphore may have. */
  int MAX_PERMITS = 256;

  /**
   * Returns the number of permits.
   *
   * @return the permits, 1 to {@link #MAX_PERMITS}
   */
  int permits();

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
