package io.memlock.store;

import io.memlock.protocol.Key;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the keys of the names in use, so that an acquisition and its release do not build the
 * same four keys again (each a check of the name, a concatenation, a UTF-8 encoding and a scan).
 * Bounded: when it holds {@value #MAX_NAMES} names it starts over.
 */
public final class CachedKeys implements ItemKeys {
  /** How many names it remembers at most. */
  public static final int MAX_NAMES = 8192;

  private final ItemKeys keys;
  private final ConcurrentHashMap<String, NameKeys> cache = new ConcurrentHashMap<>();

  /** The keys of one name. */
  private record NameKeys(Key lock, Key fence, Key waiter, Key placement) {}

  /**
   * Wraps a key family.
   *
   * @param keys the keys to remember
   */
  public CachedKeys(ItemKeys keys) {
    this.keys = keys;
  }

  private NameKeys of(String name) {
    NameKeys k = cache.get(name);
    if (k == null) {
      Key lock = keys.lockKey(name);
      Key placement = keys.placementKey(name);
      k =
          new NameKeys(
              lock,
              keys.fenceKey(name),
              keys.waiterKey(name),
              placement.equals(lock) ? lock : placement);
      if (cache.size() >= MAX_NAMES) {
        cache.clear();
      }
      cache.put(name, k);
    }
    return k;
  }

  @Override
  public Key lockKey(String name) {
    return of(name).lock();
  }

  @Override
  public Key fenceKey(String name) {
    return of(name).fence();
  }

  @Override
  public Key waiterKey(String name) {
    return of(name).waiter();
  }

  @Override
  public Key placementKey(String name) {
    return of(name).placement();
  }
}
