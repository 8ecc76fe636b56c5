package io.memlock.recipes;

import io.memlock.MemLockException;
import io.memlock.MemLockTimeoutException;
import io.memlock.RateLimiter;
import io.memlock.Ticker;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaRequest;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.SetMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * GCRA over one memcached item ({@code <namespace>:rate:<name>}) holding the theoretical arrival
 * time in wall-clock microseconds as decimal ASCII. An admission writes the new TAT with {@code ms
 * C<cas>} ({@code ms ME} when the item is missing) and a pipelined {@code mg v c}, whose reply
 * supplies the next attempt after a lost compare-and-set. The last state seen is kept: the TAT only
 * grows while its item lives, so a request refused on that state would be refused by the server
 * too, and costs no round trip.
 */
final class RateLimiterImpl implements RateLimiter {
  /**
   * Compare-and-set attempts of one call before giving up (also bounded by twice the request
   * timeout). Each lost attempt is another client's admission, so a call only runs out of attempts
   * while other clients keep taking permits faster than it can, and permits remain.
   */
  static final int MAX_ATTEMPTS = 10_000;

  /** The pause after the k-th lost race in a row is random, up to k times this (at most 20 k). */
  private static final long BACKOFF_STEP_NANOS = 25_000;

  private static final Duration LONGEST_WAIT = Duration.ofDays(365);

  /** Far beyond any wall clock (year ~146 000), far below overflow in the arithmetic. */
  private static final long MAX_TAT = 1L << 62;

  private final ItemStore store;
  private final Key key;
  private final String name;
  private final long permits;
  private final Duration per;
  private final Gcra gcra;
  private final Clock clock;
  private final Ticker ticker;
  private final long turnWaitNanos;

  /** One round trip at a time per object, so that threads of this process do not contend. */
  private final ReentrantLock turn = new ReentrantLock(true);

  private volatile @Nullable Snapshot last;

  /** The item as last seen: its TAT ({@link Long#MIN_VALUE} when unreadable) and CAS. */
  private record Snapshot(boolean exists, long tat, long cas) {
    static final Snapshot MISSING = new Snapshot(false, Long.MIN_VALUE, 0);
  }

  RateLimiterImpl(
      ItemStore store,
      Key key,
      String name,
      long permits,
      Duration per,
      Gcra gcra,
      Clock clock,
      Ticker ticker,
      Duration requestTimeout) {
    this.store = store;
    this.key = key;
    this.name = name;
    this.permits = permits;
    this.per = per;
    this.gcra = gcra;
    this.clock = clock;
    this.ticker = ticker;
    this.turnWaitNanos = requestTimeout.toNanos() * 2;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long permits() {
    return permits;
  }

  @Override
  public Duration per() {
    return per;
  }

  @Override
  public long burst() {
    return gcra.burst();
  }

  @Override
  public boolean tryAcquire() {
    return tryAcquireOrRetryAfter(1).isZero();
  }

  @Override
  public boolean tryAcquire(int n) {
    return tryAcquireOrRetryAfter(n).isZero();
  }

  @Override
  public Duration tryAcquireOrRetryAfter(int n) {
    Duration wait = decide(n);
    store.listeners.rateLimited(name, wait.isZero());
    return wait;
  }

  /** Takes the permits if the limit allows, else says how long until it would. */
  private Duration decide(int n) {
    checkPermits(n);
    store.checkOpen();
    Snapshot seen = last;
    if (seen != null) {
      Gcra.Decision d = gcra.decide(seen.tat(), nowMicros(), n);
      if (!d.admitted()) {
        return wait(d);
      }
    }
    takeTurn();
    try {
      return attempt(n);
    } finally {
      turn.unlock();
    }
  }

  @Override
  public boolean tryAcquire(int n, Duration maxWait) throws InterruptedException {
    checkPermits(n);
    if (maxWait == null) {
      throw new IllegalArgumentException("maxWait is null");
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
    // Past a year, waiting is waiting forever (and toNanos would overflow past 292 years).
    long waitNanos = maxWait.compareTo(LONGEST_WAIT) > 0 ? Long.MAX_VALUE / 4 : maxWait.toNanos();
    long deadline = ticker.read() + waitNanos;
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      Duration wait = decide(n);
      if (wait.isZero()) {
        store.listeners.rateLimited(name, true);
        return true;
      }
      long left = deadline - ticker.read();
      if (wait.toNanos() > left) {
        store.listeners.rateLimited(name, false);
        return false;
      }
      TimeUnit.NANOSECONDS.sleep(wait.toNanos());
    }
  }

  private void checkPermits(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("permits to take must be positive, got " + n);
    }
    if (n > gcra.burst()) {
      throw new IllegalArgumentException(
          "cannot take "
              + n
              + " permits at once from rate limiter '"
              + name
              + "': its burst capacity is "
              + gcra.burst());
    }
  }

  private void takeTurn() {
    try {
      if (!turn.tryLock(turnWaitNanos, TimeUnit.NANOSECONDS)) {
        throw new MemLockTimeoutException(
            "rate limiter '"
                + name
                + "': earlier calls of this process did not finish within "
                + Duration.ofNanos(turnWaitNanos));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemLockException("interrupted while waiting for rate limiter '" + name + "'", e);
    }
  }

  private Duration attempt(int n) {
    long deadline = ticker.read() + turnWaitNanos;
    Snapshot s = last;
    if (s == null) {
      s = snapshot(store.call(key, MetaGet.of(key).returnValue().returnCas()));
    }
    for (int i = 0; i < MAX_ATTEMPTS; i++) {
      if (i > 0) {
        if (ticker.read() - deadline > 0) {
          break;
        }
        long pause = ThreadLocalRandom.current().nextLong(BACKOFF_STEP_NANOS * Math.min(i, 20));
        LockSupport.parkNanos(pause);
      }
      long now = nowMicros();
      Gcra.Decision d = gcra.decide(s.tat(), now, n);
      if (!d.admitted()) {
        last = s;
        return wait(d);
      }
      MetaSet write =
          MetaSet.of(key, Long.toString(d.newTat()).getBytes(StandardCharsets.US_ASCII))
              .ttl(Gcra.ttlSeconds(d.newTat(), now))
              .returnCas();
      if (s.exists()) {
        write.compareCas(s.cas());
      } else {
        write.mode(SetMode.ADD);
      }
      List<MetaRequest> requests = List.of(write, MetaGet.of(key).returnValue().returnCas());
      List<MetaResponse> replies = store.pipeline(key, requests);
      if (replies.get(0).status() == MetaStatus.HD) {
        last = new Snapshot(true, d.newTat(), replies.get(0).cas());
        return Duration.ZERO;
      }
      s = snapshot(replies.get(1));
    }
    last = null;
    throw new MemLockTimeoutException(
        "rate limiter '"
            + name
            + "': every compare-and-set for "
            + Duration.ofNanos(turnWaitNanos)
            + " lost to other clients taking permits");
  }

  private static Snapshot snapshot(MetaResponse r) {
    if (r.status() != MetaStatus.VA) {
      return Snapshot.MISSING;
    }
    long tat;
    try {
      tat = Long.parseLong(r.valueAsString());
    } catch (NumberFormatException e) {
      tat = Long.MIN_VALUE;
    }
    if (tat < 0 || tat > MAX_TAT) {
      tat = Long.MIN_VALUE; // not a TAT memlock writes: overwrite it as if the item were empty
    }
    return new Snapshot(true, tat, r.cas());
  }

  private static Duration wait(Gcra.Decision d) {
    return Duration.ofNanos(Math.multiplyExact(d.waitMicros(), 1000L));
  }

  private long nowMicros() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  @Override
  public String toString() {
    return "RateLimiter[" + name + ": " + permits + " per " + per + ", burst " + burst() + "]";
  }
}
