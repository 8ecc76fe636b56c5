package io.memlock.engine;

import io.memlock.store.LeaseStore;
import io.memlock.store.LockConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When an {@link Acquisition} tries again after an attempt that did not win: at once after the item
 * vanished (a few times in a row), else after a capped exponential backoff with jitter. Counts the
 * attempts and times the last one. Used under its acquisition's monitor, but for {@link #took}.
 */
final class Backoff {
  private static final int MAX_IMMEDIATE_RETRIES = 3;

  private final LockConfig config;
  private final long deadline;
  private final boolean forever;
  private int attempts;
  private int vanished;

  /** How long the last attempt took, from sending to its outcome. */
  private volatile long lastAttemptNanos;

  Backoff(LockConfig config, long deadline, boolean forever) {
    this.config = config;
    this.deadline = deadline;
    this.forever = forever;
  }

  /** Counts an attempt about to be sent; returns how many were sent before it. */
  int attempt() {
    return attempts++;
  }

  /** Returns how many attempts were sent. */
  int attempts() {
    return attempts;
  }

  /** Records how long the last attempt took, from sending to its outcome. */
  void took(long nanos) {
    lastAttemptNanos = nanos;
  }

  /** Whether to retry without a pause: the item vanished, and not too often in a row. */
  boolean retryAtOnce(LeaseStore.Attempt a) {
    return a.outcome() == LeaseStore.Outcome.VANISHED && vanished++ < MAX_IMMEDIATE_RETRIES;
  }

  /**
   * Capped exponential backoff with jitter, never past the holder's TTL or the deadline. The jitter
   * is at least as wide as twice the last attempt took: in quorum mode a slow replica makes
   * attempts long, and contenders retrying in step would split the replicas between them again.
   */
  long delay(LeaseStore.Attempt a, long now) {
    long min = config.retryMin().toNanos();
    long max = config.retryMax().toNanos();
    int shift = Math.min(attempts - 1, 20);
    long backoff = Math.max(Math.min(max, min << shift), 2 * lastAttemptNanos);
    long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    if (a.outcome() == LeaseStore.Outcome.BUSY && a.holderTtlSeconds() >= 0) {
      delay = Math.min(delay, Math.max(1, a.holderTtlSeconds()) * 1_000_000_000L);
    }
    if (!forever) {
      delay = Math.min(delay, deadline - now);
    }
    return Math.max(0, delay);
  }
}
