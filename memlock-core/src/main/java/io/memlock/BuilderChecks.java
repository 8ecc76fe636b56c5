package io.memlock;

import io.memlock.store.LockConfig;
import io.memlock.store.LockKeys;
import java.time.Duration;

/**
 * The checks of {@link MemLock.Builder}'s options, each returning the value it accepted: a bad
 * value throws {@link IllegalArgumentException} naming the option, and a conflict between options
 * throws {@link IllegalStateException} from {@link #conflicts}.
 */
final class BuilderChecks {
  private BuilderChecks() {}

  static Duration lease(String what, Duration lease) {
    LockConfig.leaseSeconds(what, lease);
    return lease;
  }

  static Duration positive(String what, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  static <T> T notNull(String what, T value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    return value;
  }

  static int range(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  static String namespace(String namespace) {
    new LockKeys(namespace);
    return namespace;
  }

  static double drift(double drift) {
    if (!(drift >= 0 && drift < 0.5)) {
      throw new IllegalArgumentException("drift must be in [0, 0.5), got " + drift);
    }
    return drift;
  }

  /** Checks a retry delay's range; returns its maximum. */
  static Duration retryMax(Duration min, Duration max) {
    positive("retry min", min);
    positive("retry max", max);
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("retry max " + max + " is below retry min " + min);
    }
    return max;
  }

  /**
   * The checks {@link MemLock.Builder#build()} makes: options set, and agreeing with each other.
   */
  static void conflicts(MemLock.Builder b) {
    if (b.servers == null) {
      throw new IllegalStateException("no memcached servers: call servers(\"host:port,...\")");
    }
    if (b.leaseTime.compareTo(b.maxLeaseTime) > 0) {
      throw new IllegalStateException(
          "leaseTime " + b.leaseTime + " is longer than maxLeaseTime " + b.maxLeaseTime);
    }
    if (b.replicas > b.servers.size()) {
      throw new IllegalStateException(
          "replicas(" + b.replicas + ") needs at least as many servers, got " + b.servers.size());
    }
  }
}
