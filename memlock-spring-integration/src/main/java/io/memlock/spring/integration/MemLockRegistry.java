package io.memlock.spring.integration;

import io.memlock.LockLostException;
import io.memlock.MemLock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * A Spring Integration {@link org.springframework.integration.support.locks.LockRegistry} whose
 * locks are memlock locks kept in memcached: one lock per key across every process that uses the
 * same memcached servers (and the same key prefix).
 *
 * <p>It behaves as Spring Integration's Redis and JDBC registries do. {@link #obtain(Object)} takes
 * a {@code String} key and returns the same lock object for the same key until {@link
 * #expireUnusedOlderThan(long)} drops it. Each lock pairs a local {@link
 * java.util.concurrent.locks.ReentrantLock} (which thread of this process holds it, how many times)
 * with one memlock hold (which process holds it). Only the thread that locked may unlock: another
 * thread's {@code unlock()} throws {@link IllegalMonitorStateException}.
 *
 * <p>Leases, where memlock differs from those registries:
 *
 * <ul>
 *   <li>{@code lock()}, {@code lockInterruptibly()} and {@code tryLock(...)} without a TTL take a
 *       lease that memlock's watchdog renews in the background (the client's {@code leaseTime}), so
 *       the lock lasts as long as the holder's process lives, and ends within that lease after the
 *       process dies. No renewal scheduler is needed; {@link #setRenewalTaskScheduler} is ignored.
 *   <li>{@link DistributedLock#lock(Duration)} and {@link DistributedLock#tryLock(Duration,
 *       Duration)} take a fixed lease that nothing renews but {@link #renewLock(Object, Duration)}
 *       or a reentrant acquisition with a TTL. memcached counts whole seconds: a TTL is rounded up
 *       to whole seconds, and to at least 3 s (memlock's shortest lease); one above the client's
 *       {@code maxLeaseTime} is refused with {@link IllegalArgumentException}.
 *   <li>When the lease is lost (it ran out, or the item was deleted or evicted), the holder's next
 *       reentrant acquisition throws {@link LockLostException} instead of silently taking a new
 *       lease, and its last {@code unlock()} throws {@link LockLostException} (an {@link
 *       IllegalMonitorStateException}) whose message says the lease was lost. The Redis and JDBC
 *       registries throw {@link java.util.ConcurrentModificationException} there.
 * </ul>
 *
 * <p>Failures to reach memcached while acquiring surface as Spring's {@link
 * org.springframework.dao.CannotAcquireLockException}, as in the other registries. The lock's
 * fencing token is available from {@link #fencingToken(Object)}.
 */
public final class MemLockRegistry
    implements ExpirableLockRegistry<DistributedLock>, RenewableLockRegistry<DistributedLock> {
  private final MemLock memlock;
  private final String keyPrefix;
  private final Map<String, RegistryLock> locks = new ConcurrentHashMap<>();

  /**
   * Creates a registry whose lock names are the keys themselves.
   *
   * @param memlock the client; the registry does not close it
   * @throws IllegalArgumentException if {@code memlock} is null
   */
  public MemLockRegistry(MemLock memlock) {
    this(memlock, null);
  }

  /**
   * Creates a registry whose lock names are {@code keyPrefix + ":" + key}, so that registries with
   * different prefixes do not share locks.
   *
   * @param memlock the client; the registry does not close it
   * @param keyPrefix the prefix, or null for none
   * @throws IllegalArgumentException if {@code memlock} is null or {@code keyPrefix} is empty
   */
  public MemLockRegistry(MemLock memlock, String keyPrefix) {
    if (memlock == null) {
      throw new IllegalArgumentException("memlock is null");
    }
    if (keyPrefix != null && keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("keyPrefix is empty; pass null for no prefix");
    }
    this.memlock = memlock;
    this.keyPrefix = keyPrefix;
  }

  /**
   * Returns the lock for a key: the same object for the same key while it is cached.
   *
   * @param lockKey the key, a non-empty {@code String}
   * @return the lock
   * @throws IllegalArgumentException if the key is not a non-empty {@code String}
   */
  @Override
  public DistributedLock obtain(Object lockKey) {
    String key = checkKey(lockKey);
    synchronized (locks) {
      return locks.computeIfAbsent(key, k -> new RegistryLock(memlock, k, nameOf(k)));
    }
  }

  /**
   * Drops cached locks that no thread of this process holds and that were last acquired (or
   * created) at least {@code age} milliseconds ago. Held locks are never dropped; nothing in
   * memcached changes.
   *
   * @param age the age in milliseconds
   */
  @Override
  public void expireUnusedOlderThan(long age) {
    long now = System.currentTimeMillis();
    synchronized (locks) {
      locks.values().removeIf(l -> now - l.lastUsed() >= age && !l.isAcquiredInThisProcess());
    }
  }

  /**
   * Renews the current thread's hold of a lock. A hold with a fixed lease gets that lease again
   * from now; a hold renewed by the watchdog needs nothing, and is only checked to be still valid.
   *
   * @param lockKey the key
   * @throws IllegalArgumentException if the key is not a non-empty {@code String}
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   * @throws LockLostException if the lease was lost
   */
  @Override
  public void renewLock(Object lockKey) {
    held(lockKey).renew(null);
  }

  /**
   * Renews the current thread's hold of a lock taken with a TTL ({@link
   * DistributedLock#lock(Duration)} or {@link DistributedLock#tryLock(Duration, Duration)}): its
   * fixed lease becomes {@code ttl} from now (rounded up to whole seconds, at least 3 s); a shorter
   * TTL shortens it.
   *
   * @param lockKey the key
   * @param ttl the new lease
   * @throws IllegalArgumentException if the key is not a non-empty {@code String}, or the TTL is
   *     null, not positive or above the client's {@code maxLeaseTime}
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   * @throws IllegalStateException if the hold was taken without a TTL: the watchdog renews it
   * @throws LockLostException if the lease was lost
   */
  @Override
  public void renewLock(Object lockKey, Duration ttl) {
    Duration lease = RegistryLock.leaseOf(ttl);
    held(lockKey).renew(lease);
  }

  /**
   * Returns the fencing token of the current thread's hold of a lock: greater than every earlier
   * holder's, so a resource can refuse writes from a holder that lost its lease unawares.
   *
   * @param lockKey the key
   * @return the token
   * @throws IllegalArgumentException if the key is not a non-empty {@code String}
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   */
  public long fencingToken(Object lockKey) {
    return held(lockKey).fencingToken();
  }

  private RegistryLock held(Object lockKey) {
    String key = checkKey(lockKey);
    RegistryLock lock = locks.get(key);
    if (lock == null) {
      throw new IllegalMonitorStateException(
          "the current thread does not hold lock '" + key + "' (not obtained from " + this + ")");
    }
    return lock;
  }

  private String nameOf(String key) {
    return keyPrefix == null ? key : keyPrefix + ":" + key;
  }

  private static String checkKey(Object lockKey) {
    if (!(lockKey instanceof String key)) {
      throw new IllegalArgumentException(
          "lock key must be a String, got "
              + (lockKey == null ? "null" : lockKey.getClass().getName()));
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("lock key is empty");
    }
    return key;
  }

  @Override
  public String toString() {
    return "MemLockRegistry["
        + (keyPrefix == null ? "" : "prefix " + keyPrefix + ", ")
        + memlock.servers()
        + "]";
  }
}
