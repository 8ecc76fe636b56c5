package io.memlock.bench.locks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RFencedLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redisson's {@link RLock} ({@code lock()}, {@code unlock()}) or {@link RFencedLock} ({@code
 * lockAndGetToken()}, {@code unlock()}) on one Redis server, with Redisson's defaults:
 * single-server config, its connection pool, pub/sub wake-up of waiters and its lock watchdog (30 s
 * unless set). One {@link RedissonClient} shared by all threads, one lock object per name made up
 * front.
 */
public final class RedissonContender implements LockContender {
  private final RedissonClient client;
  private final RLock[] locks;
  private final boolean fenced;

  /**
   * Connects to Redis.
   *
   * @param uri {@code redis://host:port}
   * @param names the lock names
   * @param fenced true for {@link RFencedLock}, false for {@link RLock}
   * @param watchdogTimeout Redisson's {@code lockWatchdogTimeout}, or null for its default (30 s);
   *     the watchdog renews every third of it
   */
  public RedissonContender(
      String uri, List<String> names, boolean fenced, Duration watchdogTimeout) {
    Config config = new Config();
    config.useSingleServer().setAddress(uri);
    if (watchdogTimeout != null) {
      config.setLockWatchdogTimeout(watchdogTimeout.toMillis());
    }
    client = Redisson.create(config);
    this.fenced = fenced;
    locks = new RLock[names.size()];
    for (int i = 0; i < locks.length; i++) {
      locks[i] = fenced ? client.getFencedLock(names.get(i)) : client.getLock(names.get(i));
    }
  }

  /**
   * Returns the client, for scenarios that use its asynchronous calls.
   *
   * @return the client
   */
  public RedissonClient client() {
    return client;
  }

  /**
   * Returns the lock object of a name.
   *
   * @param i the name's index
   * @return the lock
   */
  public RLock lockObject(int i) {
    return locks[i];
  }

  @Override
  public long lock(int i, long waitNanos) throws InterruptedException {
    if (fenced) {
      RFencedLock lock = (RFencedLock) locks[i];
      Long token =
          waitNanos == FOREVER
              ? lock.lockAndGetToken()
              : lock.tryLockAndGetToken(waitNanos, TimeUnit.NANOSECONDS);
      return token == null ? NOT_ACQUIRED : token;
    }
    if (waitNanos == FOREVER) {
      locks[i].lock();
      return 0;
    }
    return locks[i].tryLock(waitNanos, TimeUnit.NANOSECONDS) ? 0 : NOT_ACQUIRED;
  }

  @Override
  public void unlock(int i) {
    locks[i].unlock();
  }

  @Override
  public void close() {
    client.shutdown(0, 5, TimeUnit.SECONDS);
  }
}
