package io.memlock.cli;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes. */
final class Poll {
  private static final long INTERVAL_NANOS = 10_000_000;

  private Poll() {}

  /**
   * Waits until the condition holds.
   *
   * @param what what is awaited, for the failure message
   * @param timeout the deadline
   * @param condition the condition
   * @throws AssertionError if it does not hold in time
   */
  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }
}
