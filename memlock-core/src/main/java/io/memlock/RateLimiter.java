package io.memlock;

import java.time.Duration;

/**
 * A rate limit shared by every client of the same memcached servers: at most {@code permits} per
 * {@code per} on average, with bursts of up to {@link #burst()} permits after a quiet spell. Get
 * one from {@link MemLock#rateLimiter(String, long, Duration)}.
 *
 * <pre>{@code
 * RateLimiter api = memlock.rateLimiter("partner-api", 100, Duration.ofSeconds(1));
 * Duration wait = api.tryAcquireOrRetryAfter(1);
 * if (!wait.isZero()) {
 *   return tooManyRequests(wait);               // e.g. HTTP 429 with Retry-After
 * }
 * callPartner();
 * }</pre>
 *
 * <p>The algorithm is GCRA (the generic cell rate algorithm): one memcached item per name holds the
 * theoretical arrival time, updated by compare-and-set. Time comes from the clients' wall clocks:
 * over any window of length W, the limiter admits at most {@code burst + permits × (W + δ) / per}
 * permits, where δ is the largest difference between the wall clocks of the clients sharing the
 * limit plus the longest request latency. See docs/SYNCHRONIZERS.md.
 *
 * <p>Thread-safe. Calls of one {@code RateLimiter} object run one round trip at a time, so that the
 * threads of one process do not contend with each other for the item: share one object per name.
 * When memcached cannot be reached, calls throw a {@link MemLockException} (the limiter fails
 * closed); catch it to fail open instead.
 */
public interface RateLimiter {
  /**
   * Returns the limiter's name.
   *
   * @return the name given to {@link MemLock#rateLimiter(String, long, Duration)}
   */
  String name();

  /**
   * Returns how many permits the limiter grants per {@link #per()}.
   *
   * @return the permits
   */
  long permits();

  /**
   * Returns the period of {@link #permits()}.
   *
   * @return the period
   */
  Duration per();

  /**
   * Returns the largest number of permits granted at once after a quiet spell (the bucket size).
   *
   * @return the burst capacity
   */
  long burst();

  /**
   * Takes one permit if one is available now.
   *
   * @return true if taken
   * @throws MemLockException if memcached cannot be asked (the limiter fails closed), or the thread
   *     is interrupted (its interrupt flag is set again)
   * @throws ClientClosedException if the client is closed
   */
  boolean tryAcquire();

  /**
   * Takes {@code n} permits if they are all available now; takes nothing otherwise.
   *
   * @param n how many permits, from 1 to {@link #burst()}
   * @return true if taken
   * @throws IllegalArgumentException if {@code n} is below 1 or above the burst capacity
   * @throws MemLockException if memcached cannot be asked (the limiter fails closed), or the thread
   *     is interrupted (its interrupt flag is set again)
   * @throws ClientClosedException if the client is closed
   */
  boolean tryAcquire(int n);

  /**
   * Takes {@code n} permits if they are all available now, or tells how long until they will be.
   *
   * @param n how many permits, from 1 to {@link #burst()}
   * @return {@link Duration#ZERO} if the permits were taken; otherwise, having taken nothing, the
   *     time until {@code n} permits are available if no other caller takes any (always positive; a
   *     lower bound when other clients keep taking permits)
   * @throws IllegalArgumentException if {@code n} is below 1 or above the burst capacity
   * @throws MemLockException if memcached cannot be asked (the limiter fails closed), or the thread
   *     is interrupted (its interrupt flag is set again)
   * @throws ClientClosedException if the client is closed
   */
  Duration tryAcquireOrRetryAfter(int n);

  /**
   * Takes {@code n} permits, waiting for them for at most {@code maxWait}. Returns false at once,
   * without waiting, when the permits cannot be available within {@code maxWait}.
   *
   * @param n how many permits, from 1 to {@link #burst()}
   * @param maxWait the longest wait; zero behaves like {@link #tryAcquire(int)}
   * @return true if taken
   * @throws IllegalArgumentException if {@code n} is out of range or {@code maxWait} is null or
   *     negative
   * @throws InterruptedException if the thread is interrupted while waiting
   * @throws MemLockException if memcached cannot be asked (the limiter fails closed)
   * @throws ClientClosedException if the client is closed
   */
  boolean tryAcquire(int n, Duration maxWait) throws InterruptedException;
}
