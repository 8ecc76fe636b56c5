package io.memlock.shedlock;

import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.MemLockException;
import java.time.Duration;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * One ShedLock lock on a memlock hold. {@link AbstractSimpleLock} makes it single use: after unlock
 * or extend it throws {@link IllegalStateException}.
 */
final class MemLockSimpleLock extends AbstractSimpleLock {
  private static final System.Logger LOG = System.getLogger(MemLockSimpleLock.class.getName());

  private final LockHandle hold;

  MemLockSimpleLock(LockConfiguration config, LockHandle hold) {
    super(config);
    this.hold = hold;
  }

  @Override
  protected void doUnlock() {
    Duration keep = Duration.between(ClockProvider.now(), lockConfiguration.getLockAtLeastUntil());
    try {
      if (keep.isNegative() || keep.isZero()) {
        hold.release();
      } else {
        hold.release(keep);
      }
    } catch (LockLostException e) {
      // The lease ran out (lockAtMostFor passed) or the item was removed: ShedLock's unlock of an
      // expired lock is not an error, but the job ran longer than its lock protected it.
      LOG.log(
          System.Logger.Level.WARNING,
          "ShedLock lock '"
              + lockConfiguration.getName()
              + "' was lost before unlock: "
              + e.getMessage());
    }
  }

  @Override
  protected Optional<SimpleLock> doExtend(LockConfiguration newConfig) {
    try {
      hold.extend(MemLockProvider.leaseOf(newConfig));
    } catch (LockLostException e) {
      return Optional.empty();
    } catch (MemLockException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ShedLock lock '" + newConfig.getName() + "' not extended: " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(new MemLockSimpleLock(newConfig, hold));
  }

  @Override
  public String toString() {
    return "MemLockSimpleLock[" + lockConfiguration + ", " + hold + "]";
  }
}
