package io.memlock.bench.locks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The wait between attempts of contenders that can only poll (the raw limit and ShedLock, which has
 * no blocking wait): the same capped exponential backoff with jitter as memlock's waiters. The n-th
 * wait is drawn uniformly from [b/2, b] with b = min(max, min × 2^(n-1)).
 *
 * @param minNanos the first wait's cap
 * @param maxNanos the cap of every wait
 */
public record Backoff(long minNanos, long maxNanos) {
  /** memlock's default: 1 ms doubling to 32 ms. */
  public static final Backoff DEFAULT =
      new Backoff(TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(32));

  /** Checks the bounds. */
  public Backoff {
    if (minNanos <= 0 || maxNanos < minNanos) {
      throw new IllegalArgumentException("bad backoff " + minNanos + " ns to " + maxNanos + " ns");
    }
  }

  /**
   * Returns the wait before attempt {@code attempt + 1}.
   *
   * @param attempt attempts made so far, at least 1
   * @return nanoseconds
   */
  public long delayNanos(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 20);
    long backoff = Math.min(maxNanos, minNanos << shift);
    return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
  }

  /**
   * Sleeps before attempt {@code attempt + 1}, never past {@code deadline}.
   *
   * @param attempt attempts made so far
   * @param deadline {@link System#nanoTime()} by which the caller gives up
   * @return false if the deadline has passed (no sleep then)
   * @throws InterruptedException if interrupted while sleeping
   */
  public boolean pause(int attempt, long deadline) throws InterruptedException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    TimeUnit.NANOSECONDS.sleep(Math.min(left, delayNanos(attempt)));
    return true;
  }
}
