package io.memlock.cli;

import io.memlock.LockInfo;
import java.time.Duration;

/** Describes a lock holder in one line, for {@code status} and {@code release}. */
final class LockText {
  private LockText() {}

  /**
   * Describes who holds a lock: holder, fence and remaining lease.
   *
   * @param info what memcached holds for the lock
   * @return e.g. {@code host/123/main, fence 17325..., lease ends in 27 s (on 10.0.0.5:11211)}
   */
  static String holder(LockInfo info) {
    String fence =
        info.fencingToken().isPresent()
            ? "fence " + info.fencingToken().getAsLong()
            : "fence not yet published";
    return info.holder()
        + ", "
        + fence
        + ", "
        + lease(info.leaseLeft())
        + " (on "
        + info.server()
        + ")";
  }

  private static String lease(Duration left) {
    if (left.getSeconds() > 100L * 365 * 24 * 3600) {
      return "lease never ends";
    }
    return "lease ends in " + left.getSeconds() + " s";
  }
}
