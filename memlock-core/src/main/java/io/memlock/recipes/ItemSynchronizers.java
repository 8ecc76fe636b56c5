package io.memlock.recipes;

import io.memlock.RateLimiter;
import io.memlock.RefreshingCache;
import io.memlock.cluster.Cluster;
import io.memlock.store.LockConfig;
import io.memlock.store.LockKeys;

/**
 * The synchronizers of one client that live in a single memcached item per name rather than on
 * locks: rate limiters and stampede-safe caches. They hold no threads; every call runs on the
 * caller's thread, and closing the cluster fails calls under way.
 */
public final class ItemSynchronizers {
  private final ItemStore store;
  private final LockKeys keys;
  private final LockConfig config;

  /**
   * Creates the synchronizers over a cluster, which stays owned by its lock engine.
   *
   * @param cluster the servers
   * @param config the settings: namespace, request timeout, wall clock and ticker
   */
  public ItemSynchronizers(Cluster cluster, LockConfig config) {
    this.store = new ItemStore(cluster, config.requestTimeout());
    this.keys = new LockKeys(config.namespace());
    this.config = config;
  }

  /**
   * Returns a rate limiter; see {@link io.memlock.MemLock#rateLimiter(String, long,
   * java.time.Duration, long)}.
   *
   * @param name the name
   * @param permits permits per period
   * @param per the period
   * @param burst the burst capacity
   * @return the limiter
   * @throws IllegalArgumentException for bad arguments
   * @throws io.memlock.ClientClosedException if closed
   */
  public RateLimiter rateLimiter(String name, long permits, java.time.Duration per, long burst) {
    store.checkOpen();
    if (name == null) {
      throw new IllegalArgumentException("rate limiter name is null");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("rate limiter name is empty");
    }
    LockKeys.checkWellFormed("rate limiter name", name);
    Gcra gcra = new Gcra(permits, per, burst);
    return new RateLimiterImpl(
        store,
        keys.key("rate", name),
        name,
        permits,
        per,
        gcra,
        config.wallClock(),
        config.ticker(),
        config.requestTimeout());
  }

  /**
   * Returns a stampede-safe cache with the default stale grace and load timeout.
   *
   * @param name the cache's name
   * @return the cache
   * @throws IllegalArgumentException for a bad name
   * @throws io.memlock.ClientClosedException if closed
   */
  public RefreshingCache cache(String name) {
    store.checkOpen();
    return new RefreshingCacheImpl(
        store,
        keys,
        RefreshingCacheImpl.checkName(name),
        RefreshingCacheImpl.DEFAULT_GRACE.toSeconds(),
        RefreshingCacheImpl.DEFAULT_LOAD_TIMEOUT.toSeconds(),
        config.ticker());
  }

  /** Fails every later call with {@link io.memlock.ClientClosedException}. Idempotent. */
  public void close() {
    store.close();
  }
}
