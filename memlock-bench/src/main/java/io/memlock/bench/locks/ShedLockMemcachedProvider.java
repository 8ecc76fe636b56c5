package io.memlock.bench.locks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.support.LockException;
import net.javacrumbs.shedlock.support.Utils;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.ops.OperationStatus;
import net.spy.memcached.util.StringUtils;

/**
 * A stand-in for ShedLock's {@code shedlock-provider-memcached-spy} (its {@code
 * MemcachedLockProvider}), which is not available from the registry this project builds from. It
 * does what that provider does, on the same client library (spymemcached, text protocol):
 *
 * <ul>
 *   <li>lock: {@code add shedlock:<env>:<name>} with the value {@code ADDED:<ISO time>@<host>} and
 *       an expiry of the whole seconds until {@code lockAtMostUntil}; the lock is held if the add
 *       succeeded, otherwise it is busy and {@link #lock} returns empty at once (ShedLock never
 *       waits);
 *   <li>unlock: when {@code lockAtLeastUntil} has passed, {@code delete} the key (unconditionally:
 *       there is no CAS, so a holder whose lock expired deletes its successor's); otherwise {@code
 *       replace} it with an expiry of the whole seconds left until {@code lockAtLeastUntil}.
 * </ul>
 *
 * <p>Each call waits for its reply ({@code getStatus()}). There is no renewal and no fencing token.
 */
public final class ShedLockMemcachedProvider implements LockProvider {
  private static final String PREFIX = "shedlock";

  private final MemcachedClient client;
  private final String env;

  /**
   * Makes a provider over a spymemcached client.
   *
   * @param client the client
   * @param env the key's middle part, ShedLock's default is {@code default}
   */
  public ShedLockMemcachedProvider(MemcachedClient client, String env) {
    this.client = client;
    this.env = env;
  }

  @Override
  public Optional<SimpleLock> lock(LockConfiguration configuration) {
    String key = key(configuration.getName());
    int expiry = (int) secondsUntil(configuration.getLockAtMostUntil());
    OperationStatus status = client.add(key, expiry, value()).getStatus();
    if (!status.isSuccess()) {
      return Optional.empty();
    }
    return Optional.of(new Held(key, configuration));
  }

  /**
   * Returns the key of a lock name.
   *
   * @param name the lock name
   * @return {@code shedlock:<env>:<name>}
   * @throws IllegalArgumentException if memcached would not take it as a key
   */
  String key(String name) {
    String key = PREFIX + ":" + env + ":" + name;
    StringUtils.validateKey(key, false);
    return key;
  }

  private static long secondsUntil(Instant instant) {
    return Duration.between(ClockProvider.now(), instant).toMillis() / 1000;
  }

  private static String value() {
    return "ADDED:" + Utils.toIsoString(ClockProvider.now()) + "@" + Utils.getHostname();
  }

  /** A lock this provider holds. */
  private final class Held extends AbstractSimpleLock {
    private final String key;

    Held(String key, LockConfiguration configuration) {
      super(configuration);
      this.key = key;
    }

    @Override
    protected void doUnlock() {
      long keepFor = secondsUntil(lockConfiguration.getLockAtLeastUntil());
      OperationStatus status;
      if (keepFor <= 0) {
        status = client.delete(key).getStatus();
      } else {
        status = client.replace(key, (int) keepFor, value()).getStatus();
      }
      if (!status.isSuccess()) {
        throw new LockException("unlock of " + key + " failed: " + status.getMessage());
      }
    }
  }
}
