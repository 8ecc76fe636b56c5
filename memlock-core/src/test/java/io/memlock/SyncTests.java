package io.memlock;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Small waits of the synchronizer tests: polling with a deadline, never sleeping to synchronize.
 */
final class SyncTests {
  private SyncTests() {}

  /** Waits until a thread blocks (it is then waiting inside an acquisition). */
  static void awaitParked(Thread t) {
    awaitTrue(
        () -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING,
        Duration.ofSeconds(10),
        t.getName() + " never blocked");
  }

  /** Polls a condition until it holds, failing after {@code timeout}. */
  static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + " (waited " + timeout + ")");
      }
      LockSupportPause.pause(Duration.ofMillis(5));
    }
  }
}
