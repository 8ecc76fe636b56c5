package io.memlock.shedlock;

import io.memlock.LockBusyException;
import io.memlock.LockHandle;
import io.memlock.MemLock;
import java.time.Duration;
import java.util.Optional;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@link net.javacrumbs.shedlock.core.LockProvider} whose locks are memlock locks kept
 * in memcached, with ShedLock's semantics:
 *
 * <ul>
 *   <li>{@code lockAtMostFor} is the lease: the lock is taken with a fixed lease that nothing
 *       renews, so it frees itself when a holder dies. memcached counts whole seconds: the lease is
 *       {@code lockAtMostFor} rounded <em>up</em> to whole seconds and at least 3 s (memlock's
 *       shortest lease), so a lock may outlive {@code lockAtMostFor} by up to a second, or up to 2
 *       s when {@code lockAtMostFor} is under 2 s. A {@code lockAtMostFor} above the client's
 *       {@code maxLeaseTime} is refused with {@link IllegalArgumentException}: raise {@code
 *       maxLeaseTime}.
 *   <li>{@code lockAtLeastFor}: {@link SimpleLock#unlock()} before {@code lockAtLeastUntil} does
 *       not free the lock; it leaves the lock item owned by nobody for the remaining time (rounded
 *       up to whole seconds, plus one for memcached's once-a-second expiry clock; see {@link
 *       LockHandle#release(Duration)}).
 *   <li>{@link SimpleLock#extend(Duration, Duration)} rewrites the lease to the new {@code
 *       lockAtMostFor} from now and returns a new lock; it returns empty when the lease was lost or
 *       memcached could not be asked. Unlocking or extending a lock that was already unlocked or
 *       extended throws {@link IllegalStateException}.
 * </ul>
 *
 * <p>A lock that cannot be taken because memcached is unreachable, or because a restarted server is
 * in its restart grace, is reported as not acquired (empty), like a held one: the job is skipped.
 * Lock names are {@code <prefix>:<name>}, {@code shedlock:<name>} by default.
 */
public final class MemLockProvider implements ExtensibleLockProvider {
  private static final System.Logger LOG = System.getLogger(MemLockProvider.class.getName());
  private static final Duration MIN_LEASE = Duration.ofSeconds(3);

  private final MemLock memlock;
  private final String prefix;

  /**
   * Creates a provider whose lock names are {@code shedlock:<name>}.
   *
   * @param memlock the client; the provider does not close it
   * @throws IllegalArgumentException if {@code memlock} is null
   */
  public MemLockProvider(MemLock memlock) {
    this(memlock, "shedlock");
  }

  /**
   * Creates a provider whose lock names are {@code <prefix>:<name>}.
   *
   * @param memlock the client; the provider does not close it
   * @param prefix the prefix of lock names, e.g. one per environment
   * @throws IllegalArgumentException if {@code memlock} is null or {@code prefix} null or empty
   */
  public MemLockProvider(MemLock memlock, String prefix) {
    if (memlock == null) {
      throw new IllegalArgumentException("memlock is null");
    }
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix is null or empty");
    }
    this.memlock = memlock;
    this.prefix = prefix;
  }

  /**
   * Takes the lock if it is free now, with a lease of {@code lockAtMostFor}.
   *
   * @param config the lock's name and times
   * @return the lock, or empty if it is held (or memcached cannot be used)
   * @throws IllegalArgumentException if {@code lockAtMostFor} exceeds the client's {@code
   *     maxLeaseTime}
   */
  @Override
  public Optional<SimpleLock> lock(LockConfiguration config) {
    String name = prefix + ":" + config.getName();
    LockHandle h;
    try {
      h = memlock.lock(name).acquire(Duration.ZERO, leaseOf(config));
    } catch (LockBusyException e) {
      return Optional.empty();
    } catch (io.memlock.MemLockException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ShedLock lock '" + config.getName() + "' not taken: " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(new MemLockSimpleLock(config, h));
  }

  /** {@code lockAtMostUntil} from now as a lease: whole seconds rounded up, at least 3 s. */
  static Duration leaseOf(LockConfiguration config) {
    Duration d = Duration.between(ClockProvider.now(), config.getLockAtMostUntil());
    Duration s = Duration.ofSeconds(d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
    return s.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : s;
  }

  @Override
  public String toString() {
    return "MemLockProvider[" + prefix + ", " + memlock.servers() + "]";
  }
}
