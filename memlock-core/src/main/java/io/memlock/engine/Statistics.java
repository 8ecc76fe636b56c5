package io.memlock.engine;

import io.memlock.MemLockListener.AcquireOutcome;
import io.memlock.MemLockListener.RenewalOutcome;
import io.memlock.store.LeaseStore;

/** Turns the lock layer's results into the outcomes the statistics listeners hear. */
final class Statistics {
  private Statistics() {}

  /**
   * An attempt that ended without a hold: unavailable if its last try could not reach the lock's
   * server(s), busy if it was one try, timeout if it waited (to its deadline, or until
   * interrupted); an exception (the client closed, a bug) is an error.
   */
  static AcquireOutcome outcome(LockAttempt a, LockHandleImpl h, Throwable t, boolean once) {
    if (h != null) {
      return AcquireOutcome.ACQUIRED;
    }
    if (t != null) {
      return AcquireOutcome.ERROR;
    }
    if (a.lastError() != null) {
      return AcquireOutcome.UNAVAILABLE;
    }
    return once ? AcquireOutcome.BUSY : AcquireOutcome.TIMEOUT;
  }

  static RenewalOutcome renewal(LeaseStore.Result result) {
    return switch (result) {
      case OK -> RenewalOutcome.RENEWED;
      case LOST -> RenewalOutcome.LOST;
      default -> RenewalOutcome.FAILED;
    };
  }
}
