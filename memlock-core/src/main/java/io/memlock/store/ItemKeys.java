package io.memlock.store;

import io.memlock.protocol.Key;

/**
 * The keys of one family of lock items: user locks ({@link LockKeys}) or the items the
 * synchronizers build on locks ({@link SyncKeys}). A lease store asks it for the keys of a name,
 * and places all of a name's items on the server of its placement key.
 */
public interface ItemKeys {
  /** The key of the lock item. */
  Key lockKey(String name);

  /** The key of the lock's fence counter. */
  Key fenceKey(String name);

  /** The key of the lock's waiter flag. */
  Key waiterKey(String name);

  /** The key whose server holds the lock item, its fence counter and its waiter flag. */
  default Key placementKey(String name) {
    return lockKey(name);
  }
}
