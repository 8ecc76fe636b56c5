package io.memlock.recipes;

import java.time.Duration;

/**
 * The arithmetic of the generic cell rate algorithm, in microseconds of wall-clock time.
 *
 * <p>The state is one number, the theoretical arrival time (TAT): when the limiter would be empty
 * again if nobody took more permits. Taking {@code n} permits at time {@code now} moves it to
 * {@code max(TAT, now) + n × interval}, where {@code interval = per / permits}; the request is
 * admitted when the new TAT lies at most {@code burst × interval} ahead of {@code now}. Intervals
 * are rounded up to whole microseconds, so rounding never admits more than the exact rate.
 */
final class Gcra {
  /** The longest burst window: its item's TTL must stay below memcached's 30-day limit. */
  static final long MAX_WINDOW_MICROS = (30L * 24 * 3600 - 20) * 1_000_000L;

  /** The most permits per period, so that {@code n × (per mod permits)} cannot overflow. */
  static final long MAX_PERMITS = 1_000_000_000L;

  private final long permits;
  private final long perMicros;
  private final long burst;
  private final long wholePart;
  private final long remainder;
  private final long windowMicros;

  /** The outcome of one request. */
  record Decision(boolean admitted, long newTat, long waitMicros) {}

  /**
   * Checks the parameters and prepares the arithmetic.
   *
   * @throws IllegalArgumentException for bad parameters
   */
  Gcra(long permits, Duration per, long burst) {
    if (permits <= 0) {
      throw new IllegalArgumentException("permits must be positive, got " + permits);
    }
    if (permits > MAX_PERMITS) {
      throw new IllegalArgumentException(
          "permits must be at most " + MAX_PERMITS + " per period, got " + permits);
    }
    if (per == null) {
      throw new IllegalArgumentException("per is null");
    }
    if (per.isZero() || per.isNegative()) {
      throw new IllegalArgumentException("per must be positive, got " + per);
    }
    if (per.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("per must be at most 30 days, got " + per);
    }
    if (per.toNanos() % 1000 != 0) {
      throw new IllegalArgumentException(
          "per must be whole microseconds (the limiter's resolution), got " + per);
    }
    this.permits = permits;
    this.perMicros = per.toNanos() / 1000;
    if (perMicros < permits) {
      throw new IllegalArgumentException(
          "at most one permit per microsecond: "
              + permits
              + " permits per "
              + per
              + " is faster than that");
    }
    if (burst <= 0) {
      throw new IllegalArgumentException("burst must be positive, got " + burst);
    }
    if (burst > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "burst must be at most " + Integer.MAX_VALUE + ", got " + burst);
    }
    if ((double) burst * perMicros / permits > MAX_WINDOW_MICROS) {
      throw new IllegalArgumentException(
          "burst "
              + burst
              + " at "
              + permits
              + " per "
              + per
              + " spans more than 30 days, memcached's longest TTL");
    }
    this.burst = burst;
    this.wholePart = perMicros / permits;
    this.remainder = perMicros % permits;
    // Exact now: burst × wholePart is at most about 30 days of microseconds, and burst ×
    // remainder below 2^31 × 10^9.
    long window = intervalOf(burst);
    if (window > MAX_WINDOW_MICROS) {
      throw new IllegalArgumentException(
          "burst " + burst + " at " + permits + " per " + per + " spans more than 30 days");
    }
    this.windowMicros = window;
  }

  /** {@code ceil(n × per / permits)} in microseconds, exact for n up to the burst. */
  long intervalOf(long n) {
    long whole = n * wholePart;
    long frac = n * remainder;
    return whole + frac / permits + (frac % permits == 0 ? 0 : 1);
  }

  long burst() {
    return burst;
  }

  /** The burst window, {@code ceil(burst × per / permits)}: how far the TAT may lead the clock. */
  long windowMicros() {
    return windowMicros;
  }

  /**
   * Decides a request for {@code n} permits.
   *
   * @param tat the stored TAT, or {@link Long#MIN_VALUE} when there is none
   * @param now the wall clock
   * @param n permits, from 1 to the burst
   */
  Decision decide(long tat, long now, long n) {
    long newTat = Math.max(tat, now) + intervalOf(n);
    long lead = newTat - now;
    if (lead <= windowMicros) {
      return new Decision(true, newTat, 0);
    }
    return new Decision(false, tat, lead - windowMicros);
  }

  /**
   * How long an item outlives its TAT. An item may vanish only once its TAT has passed (then a
   * missing item means the same), but memcached expires items on its own clock, which runs late
   * when the server is starved or paused and then jumps: an item written meanwhile can expire up to
   * that lag early. This margin absorbs lags of up to 10 s.
   */
  static final long TTL_MARGIN_SECONDS = 10;

  /**
   * The TTL of the item holding {@code tat}, written at {@code now}: the time until the TAT,
   * rounded up to seconds, plus {@link #TTL_MARGIN_SECONDS}. Never 0 (never expire).
   */
  static long ttlSeconds(long tat, long now) {
    long lead = tat <= now ? 0 : tat - now;
    return (lead + 999_999) / 1_000_000 + TTL_MARGIN_SECONDS;
  }
}
