package io.memlock;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * A cache in memcached that protects the loader from stampedes: when a value is missing or has
 * expired, exactly one caller among all clients runs the loader, while the others get the previous
 * (stale) value at once or, when there is none, wait for the new one. Get one from {@link
 * MemLock#cache(String)}.
 *
 * <pre>{@code
 * RefreshingCache prices = memlock.cache("prices");
 * String price = prices.getString("sku-42", Duration.ofSeconds(30), () -> database.price("sku-42"));
 * }</pre>
 *
 * <p>It is built on memcached's meta-protocol anti-stampede flags: {@code mg} with {@code N}
 * (vivify on miss) and {@code R} (win the recache right when the remaining TTL is low) hands the
 * "win" ({@code W}) to one caller; the others see {@code Z} (a load is under way) and, after an
 * {@link #invalidate(String)}, {@code X} (stale). A value is stored for its TTL plus a stale grace
 * ({@link #withStaleGrace}): after the TTL the first reader reloads it while the others are served
 * the stale value, for at most the grace. See docs/SYNCHRONIZERS.md for the rules in full.
 *
 * <p>Immutable and thread-safe; {@code withStaleGrace} and {@code withLoadTimeout} return new views
 * of the same entries.
 */
public interface RefreshingCache {
  /**
   * Returns the cache's name, the first part of its keys in memcached.
   *
   * @return the name
   */
  String name();

  /**
   * Returns how long after its TTL a value may still be served while one caller reloads it.
   *
   * @return the stale grace (default 30 s)
   */
  Duration staleGrace();

  /**
   * Returns how long a caller that won the right to load may take before another caller may start
   * loading, and, doubled, how long callers wait for a value that is being loaded.
   *
   * @return the load timeout (default 10 s)
   */
  Duration loadTimeout();

  /**
   * Returns a view of this cache with another stale grace.
   *
   * @param grace whole seconds, at least 1 s; the TTL plus the grace may be at most 30 days
   * @return the view
   * @throws IllegalArgumentException for null, zero, negative, fractional or too long values
   */
  RefreshingCache withStaleGrace(Duration grace);

  /**
   * Returns a view of this cache with another load timeout. Loaders should finish well within it:
   * once it has passed, memcached lets another caller load too, and the first loader's value is not
   * stored.
   *
   * @param timeout whole seconds, from 2 s to 30 days
   * @return the view
   * @throws IllegalArgumentException for null, too short, fractional or too long values
   */
  RefreshingCache withLoadTimeout(Duration timeout);

  /**
   * Returns the value of a key, loading it if it is missing or older than {@code ttl}.
   *
   * <ul>
   *   <li>A fresh value is returned at once.
   *   <li>A value older than {@code ttl} (or invalidated) but within the stale grace: the first
   *       caller runs the loader on its own thread, stores and returns the new value; every other
   *       caller meanwhile gets the stale value at once.
   *   <li>No value: the first caller loads; the others wait (polling) for its value, at most twice
   *       the load timeout, then throw {@link MemLockTimeoutException}. If the loader fails, one of
   *       them loads instead.
   * </ul>
   *
   * <p>A loader's {@code null} is cached like a value (for {@code ttl}) and returned as {@code
   * null}. When the loader throws, nothing is stored, the right to load passes to the next caller
   * at once, and the exception propagates: unchecked exceptions and errors as they are, checked
   * ones wrapped in a {@link CompletionException}.
   *
   * @param key any non-empty string
   * @param ttl how long a loaded value is fresh: whole seconds, at least 1 s (memcached's 1-second
   *     clock makes a value due between {@code ttl - 1 s} and {@code ttl} after it was stored, or
   *     {@code ttl - 2 s} when that clock skips a second)
   * @param loader computes the value; runs on the calling thread
   * @return the value (the array is the caller's own), or null if the loader returned null
   * @throws IllegalArgumentException for a null or empty key, a null loader or a bad ttl
   * @throws CacheValueTooLargeException if the loaded value is larger than memcached accepts
   * @throws MemLockTimeoutException if another caller's load did not finish in time
   * @throws MemLockException if memcached cannot be asked, or the thread is interrupted while
   *     waiting (its interrupt flag is set again)
   * @throws ClientClosedException if the client is closed
   */
  byte @Nullable [] get(String key, Duration ttl, Callable<byte[]> loader);

  /**
   * Like {@link #get(String, Duration, Callable)} for text, stored as UTF-8.
   *
   * @param key any non-empty string
   * @param ttl how long a loaded value is fresh: whole seconds, at least 1 s
   * @param loader computes the value; runs on the calling thread
   * @return the value, or null if the loader returned null
   * @throws IllegalArgumentException for a null or empty key, a null loader or a bad ttl
   * @throws CacheValueTooLargeException if the loaded value is larger than memcached accepts
   * @throws MemLockTimeoutException if another caller's load did not finish in time
   * @throws MemLockException if memcached cannot be asked, or the thread is interrupted while
   *     waiting
   * @throws ClientClosedException if the client is closed
   */
  @Nullable String getString(String key, Duration ttl, Callable<String> loader);

  /**
   * Marks a key's value stale: the next reader reloads it while the others are still served the
   * stale value, for at most the stale grace. A load under way when this is called does not store
   * its result. Does nothing for a missing key.
   *
   * @param key any non-empty string
   * @return true if there was an entry to invalidate
   * @throws IllegalArgumentException for a null or empty key
   * @throws MemLockException if memcached cannot be asked
   * @throws ClientClosedException if the client is closed
   */
  boolean invalidate(String key);
}
