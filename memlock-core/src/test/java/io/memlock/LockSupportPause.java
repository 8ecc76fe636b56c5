package io.memlock;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Paces an observation loop in a test; never used to wait for something to happen. */
final class LockSupportPause {
  private LockSupportPause() {}

  static void pause(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
