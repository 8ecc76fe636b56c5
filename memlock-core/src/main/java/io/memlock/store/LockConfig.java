package io.memlock.store;

import io.memlock.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The lock layer's settings, checked by the public builder.
 *
 * @param leaseSeconds TTL of lock items held with the watchdog
 * @param maxLeaseSeconds the longest lease any client of the cluster takes
 * @param drift the assumed bound on clock rate error, e.g. 0.01
 * @param namespace prefix of every key
 * @param requestTimeout how long one request may take
 * @param retryMin first wait between attempts on a busy lock
 * @param retryMax cap of the wait between attempts
 * @param maxHandoffs local hand-offs of one lease in a row (0 disables the cohort)
 * @param ticker monotonic clock for leases
 * @param wallClock wall clock for seeding fence counters
 * @param callbacks where listeners and public futures run
 */
public record LockConfig(
    long leaseSeconds,
    long maxLeaseSeconds,
    double drift,
    String namespace,
    Duration requestTimeout,
    Duration retryMin,
    Duration retryMax,
    int maxHandoffs,
    Ticker ticker,
    Clock wallClock,
    Executor callbacks) {

  /** The largest hand-off index that fits a fence: fences are counter × 128 + index. */
  public static final int FENCE_SCALE = 128;

  /**
   * The shortest lease: an item with a TTL of T s can live only T − 2 s (memcached's clock ticks
   * once a second and now and then skips one), so 3 s leaves one second to trust.
   */
  public static final long MIN_TTL_SECONDS = 3;

  /** memcached reads TTLs above 30 days as Unix times. */
  public static final long MAX_TTL_SECONDS = 30L * 24 * 3600;

  /**
   * Checks a lease and turns it into whole seconds.
   *
   * @param what the option's name, for messages
   * @param lease the lease
   * @return seconds
   * @throws IllegalArgumentException for null, zero, negative, sub-second, fractional, too short or
   *     too long leases
   */
  public static long leaseSeconds(String what, Duration lease) {
    if (lease == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (lease.isZero() || lease.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, got " + lease);
    }
    if (lease.getNano() != 0) {
      throw new IllegalArgumentException(
          what
              + " must be whole seconds (memcached TTLs are seconds), got "
              + lease.toMillis()
              + " ms");
    }
    long s = lease.getSeconds();
    if (s < MIN_TTL_SECONDS) {
      throw new IllegalArgumentException(
          what
              + " must be at least "
              + MIN_TTL_SECONDS
              + " s, got "
              + s
              + " s: memcached's 1-second clock can skip a second, so an item with a TTL of T s"
              + " may live only T − 2 s, and a shorter lease leaves nothing to trust");
    }
    if (s > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException(
          what + " must be at most 30 days (memcached's longest relative TTL), got " + lease);
    }
    return s;
  }

  /**
   * Checks a fixed lease: whole seconds from 2 s to {@link #maxLeaseSeconds()}.
   *
   * @param lease the lease
   * @return its seconds
   * @throws IllegalArgumentException if out of range
   */
  public long fixedLeaseSeconds(Duration lease) {
    long s = leaseSeconds("lease", lease);
    if (s > maxLeaseSeconds) {
      throw new IllegalArgumentException(
          "lease " + lease + " is longer than maxLeaseTime " + Duration.ofSeconds(maxLeaseSeconds));
    }
    return s;
  }

  /**
   * Returns the TTL that keeps a released lock item at least {@code keepFor}: rounded up to whole
   * seconds, plus one for memcached's once-a-second expiry clock; 0 for a zero duration.
   *
   * @param keepFor how long to keep the item
   * @return the TTL in seconds, or 0
   * @throws IllegalArgumentException if null, negative or over 30 days
   */
  public static long keepSeconds(Duration keepFor) {
    if (keepFor == null) {
      throw new IllegalArgumentException("keepFor is null");
    }
    if (keepFor.isNegative()) {
      throw new IllegalArgumentException("keepFor must not be negative, got " + keepFor);
    }
    if (keepFor.isZero()) {
      return 0;
    }
    if (keepFor.compareTo(Duration.ofSeconds(MAX_TTL_SECONDS - 1)) > 0) {
      throw new IllegalArgumentException(
          "keepFor must be at most 30 days (memcached's longest relative TTL), got " + keepFor);
    }
    long s = keepFor.getSeconds() + (keepFor.getNano() > 0 ? 1 : 0);
    return s + 1;
  }

  /**
   * Returns how long a lease of {@code ttlSeconds} is valid from the instant before its request was
   * sent: {@code (ttl - 2 s) × (1 - drift)}. memcached's clock ticks once a second and sometimes
   * skips a second, so an item written just before such a skip lives only {@code ttl - 2 s} (plus a
   * little); see docs/SAFETY.md.
   *
   * @param ttlSeconds the TTL sent
   * @return validity in nanoseconds
   */
  public long validityNanos(long ttlSeconds) {
    return (long) ((ttlSeconds - 2) * 1_000_000_000.0 * (1.0 - drift));
  }

  /**
   * Returns the renewal interval of a watchdog lease: a third of its TTL, or for leases under 6 s
   * half of {@code ttl − 2 s}, so that a renewal comes well before the trusted lease ends (which,
   * with a drift below 0.5, is longer than half of {@code ttl − 2 s}).
   *
   * @param ttlSeconds the TTL
   * @return the interval in nanoseconds
   */
  public static long renewIntervalNanos(long ttlSeconds) {
    return Math.min(ttlSeconds * 1_000_000_000L / 3, (ttlSeconds - 2) * 1_000_000_000L / 2);
  }
}
