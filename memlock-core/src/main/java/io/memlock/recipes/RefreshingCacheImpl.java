package io.memlock.recipes;

import io.memlock.CacheValueTooLargeException;
import io.memlock.MemLockException;
import io.memlock.MemLockTimeoutException;
import io.memlock.MemcachedErrorException;
import io.memlock.RefreshingCache;
import io.memlock.Ticker;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaDelete;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.store.LockConfig;
import io.memlock.store.LockKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The stampede-safe cache: every read is {@code mg <key> v c f N<loadTimeout> R<grace + 1>}.
 *
 * <ul>
 *   <li>{@code W} (won): this caller loads and stores with {@code ms C<cas> T<ttl + grace> F<1|2>}.
 *       The value it won with is a stale value ({@code F1}/{@code F2}: past its TTL, or {@code X}
 *       after an invalidation) or the empty placeholder that {@code N} created.
 *   <li>Otherwise, a value ({@code F1}; {@code F2} is a cached null) is returned at once, fresh or
 *       stale ({@code Z}: someone else is reloading it).
 *   <li>The empty placeholder with {@code Z}: someone is loading; poll with backoff.
 * </ul>
 *
 * <p>A failed load gives the win back: the placeholder is deleted ({@code md C<cas>}) or the stale
 * value marked stale again ({@code md C<cas> I}), which clears memcached's "win sent" mark, so the
 * next reader wins at once.
 */
final class RefreshingCacheImpl implements RefreshingCache {
  static final System.Logger LOG = System.getLogger("io.memlock");

  /** Client flags of an item holding a value. */
  static final long VALUE_FLAG = 1;

  /** Client flags of an item holding a cached null (empty data). */
  static final long NULL_FLAG = 2;

  /** The largest value memlock reads back (the transport's default reply limit). */
  static final int MAX_VALUE_BYTES = 1024 * 1024;

  static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
  static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(10);
  private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ItemStore store;
  private final LockKeys keys;
  private final String name;
  private final long graceSeconds;
  private final long loadTimeoutSeconds;
  private final Ticker ticker;

  RefreshingCacheImpl(
      ItemStore store,
      LockKeys keys,
      String name,
      long graceSeconds,
      long loadTimeoutSeconds,
      Ticker ticker) {
    this.store = store;
    this.keys = keys;
    this.name = name;
    this.graceSeconds = graceSeconds;
    this.loadTimeoutSeconds = loadTimeoutSeconds;
    this.ticker = ticker;
  }

  static String checkName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("cache name is null");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("cache name is empty");
    }
    if (name.length() > 64) {
      throw new IllegalArgumentException(
          "cache name must be at most 64 characters, got " + name.length());
    }
    if (name.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "cache name must not contain ':' (it separates the name from the key): '" + name + "'");
    }
    return LockKeys.checkWellFormed("cache name", name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration staleGrace() {
    return Duration.ofSeconds(graceSeconds);
  }

  @Override
  public Duration loadTimeout() {
    return Duration.ofSeconds(loadTimeoutSeconds);
  }

  @Override
  public RefreshingCache withStaleGrace(Duration grace) {
    long s = wholeSeconds("staleGrace", grace, 1);
    return new RefreshingCacheImpl(store, keys, name, s, loadTimeoutSeconds, ticker);
  }

  @Override
  public RefreshingCache withLoadTimeout(Duration timeout) {
    // Not a trusted lease: a load slot that ends early only lets a second loader in, so the
    // locks' 3 s minimum (memcached's clock skip) does not apply.
    long s = wholeSeconds("loadTimeout", timeout, 2);
    return new RefreshingCacheImpl(store, keys, name, graceSeconds, s, ticker);
  }

  private static long wholeSeconds(String what, Duration d, long min) {
    if (d == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    if (d.getNano() != 0) {
      throw new IllegalArgumentException(
          what
              + " must be whole seconds (memcached TTLs are seconds), got "
              + d.toMillis()
              + " ms");
    }
    if (d.getSeconds() < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + " s, got " + d);
    }
    if (d.getSeconds() > LockConfig.MAX_TTL_SECONDS) {
      throw new IllegalArgumentException(
          what + " must be at most 30 days (memcached's longest relative TTL), got " + d);
    }
    return d.getSeconds();
  }

  private long checkTtl(Duration ttl) {
    long s = wholeSeconds("ttl", ttl, 1);
    if (s + graceSeconds > LockConfig.MAX_TTL_SECONDS) {
      throw new IllegalArgumentException(
          "ttl "
              + ttl
              + " plus the stale grace of "
              + graceSeconds
              + " s exceeds 30 days, memcached's longest relative TTL");
    }
    return s;
  }

  private Key itemKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("cache key is null");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("cache key is empty");
    }
    LockKeys.checkWellFormed("cache key", key);
    return keys.key("cache", name + ":" + key);
  }

  @Override
  public @Nullable String getString(String key, Duration ttl, Callable<String> loader) {
    if (loader == null) {
      throw new IllegalArgumentException("loader is null");
    }
    byte[] v =
        get(
            key,
            ttl,
            () -> {
              String s = loader.call();
              return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
            });
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  @Override
  public byte @Nullable [] get(String key, Duration ttl, Callable<byte[]> loader) {
    Key k = itemKey(key);
    long ttlSeconds = checkTtl(ttl);
    if (loader == null) {
      throw new IllegalArgumentException("loader is null");
    }
    long start = ticker.read();
    long maxWaitNanos = TimeUnit.SECONDS.toNanos(loadTimeoutSeconds * 2);
    long pause = FIRST_POLL_NANOS;
    while (true) {
      MetaResponse r =
          store.call(
              k,
              MetaGet.of(k)
                  .returnValue()
                  .returnCas()
                  .returnClientFlags()
                  .vivify(loadTimeoutSeconds)
                  .recacheBelow(graceSeconds + 1));
      long flags = r.status() == MetaStatus.VA ? r.clientFlags() : -1;
      boolean isValue = flags == VALUE_FLAG || flags == NULL_FLAG;
      if (r.hasFlag('W')) {
        store.listeners.cacheLookup(name, false);
        return load(key, k, r.cas(), isValue, ttlSeconds, loader);
      }
      if (isValue) {
        store.listeners.cacheLookup(name, true);
        return flags == NULL_FLAG ? null : r.value();
      }
      if (r.status() == MetaStatus.VA && !r.hasFlag('Z')) {
        // Not an item of this cache, and nobody is loading it: make way for a load.
        store.call(k, MetaDelete.of(k).compareCas(r.cas()));
        continue;
      }
      long waited = ticker.read() - start;
      if (waited >= maxWaitNanos) {
        throw new MemLockTimeoutException(
            "cache '"
                + name
                + "', key '"
                + key
                + "': another caller has been loading the value for more than "
                + Duration.ofNanos(maxWaitNanos)
                + " (twice the load timeout)");
      }
      long jittered = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
      pause(Math.min(jittered, maxWaitNanos - waited));
      pause = Math.min(pause * 2, MAX_POLL_NANOS);
    }
  }

  private void pause(long nanos) {
    long end = System.nanoTime() + nanos;
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new MemLockException(
            "interrupted while waiting for another caller to load a value of cache '" + name + "'");
      }
    }
  }

  /** This caller won the right to load: load, store if still entitled, give the win back if not. */
  private byte @Nullable [] load(
      String key, Key k, long cas, boolean hasStale, long ttlSeconds, Callable<byte[]> loader) {
    byte[] v;
    long t0 = ticker.read();
    try {
      v = loader.call();
    } catch (RuntimeException | Error e) {
      store.listeners.cacheLoaded(name, ticker.read() - t0, false);
      release(k, cas, hasStale, e);
      throw e;
    } catch (Exception e) {
      store.listeners.cacheLoaded(name, ticker.read() - t0, false);
      release(k, cas, hasStale, e);
      throw new CompletionException(e);
    }
    store.listeners.cacheLoaded(name, ticker.read() - t0, true);
    byte[] data = v == null ? new byte[0] : v;
    if (data.length > MAX_VALUE_BYTES) {
      CacheValueTooLargeException e =
          new CacheValueTooLargeException(
              "cache '"
                  + name
                  + "', key '"
                  + key
                  + "': the loaded value is "
                  + data.length
                  + " bytes, more than the "
                  + MAX_VALUE_BYTES
                  + " memlock reads back; it was not stored",
              data.length,
              null);
      release(k, cas, hasStale, e);
      throw e;
    }
    MetaSet write =
        MetaSet.of(k, data)
            .ttl(ttlSeconds + graceSeconds)
            .clientFlags(v == null ? NULL_FLAG : VALUE_FLAG)
            .compareCas(cas);
    try {
      // EX or NF: the entry was invalidated, deleted or expired meanwhile; this value is not stored
      // (a later reader loads a newer one) but is still this caller's answer.
      store.call(k, write);
    } catch (MemcachedErrorException e) {
      release(k, cas, hasStale, e);
      if (e.kind() == MemcachedErrorException.Kind.SERVER_ERROR
          && e.serverMessage().contains("too large")) {
        throw new CacheValueTooLargeException(
            "cache '"
                + name
                + "', key '"
                + key
                + "': memcached refused the loaded value of "
                + data.length
                + " bytes as larger than its item size limit (-I); it was not stored",
            data.length,
            e);
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "cache '" + name + "', key '" + key + "': the loaded value was not stored: " + e);
    } catch (MemLockException e) {
      // No reply: the value may or may not be stored. The caller still has its value.
      release(k, cas, hasStale, e);
      LOG.log(
          System.Logger.Level.WARNING,
          "cache '" + name + "', key '" + key + "': the loaded value may not be stored: " + e);
    }
    return v;
  }

  /**
   * Gives the win back after a failed load: deletes the placeholder, or marks the stale value stale
   * again, which clears memcached's "win sent" mark so that the next reader wins at once. Both
   * compare the CAS the win came with, so nothing newer is touched.
   */
  private void release(Key k, long cas, boolean hasStale, Throwable failure) {
    MetaDelete d = MetaDelete.of(k).compareCas(cas);
    if (hasStale) {
      d.invalidate();
    }
    try {
      store.call(k, d);
    } catch (MemLockException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public boolean invalidate(String key) {
    Key k = itemKey(key);
    MetaResponse r = store.call(k, MetaDelete.of(k).invalidate().ttl(graceSeconds));
    return r.status() == MetaStatus.HD;
  }

  @Override
  public String toString() {
    return "RefreshingCache["
        + name
        + ": stale grace "
        + graceSeconds
        + " s, load timeout "
        + loadTimeoutSeconds
        + " s]";
  }
}
