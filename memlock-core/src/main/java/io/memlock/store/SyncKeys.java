package io.memlock.store;

import io.memlock.protocol.Key;

/**
 * Keys of the synchronizers' items. Each item is a lock item of its own, named {@code <name>
 * (<label>)} inside memlock (the label says which item: {@code permit 3}, {@code write}, {@code
 * read 5}); the name a user gave stays the tail of every key, so all items of one synchronizer are
 * recognisable and, through {@link #placementKey}, live on one server.
 *
 * <table>
 *   <caption>Keys (NS is the namespace)</caption>
 *   <tr><th>item</th><th>key</th></tr>
 *   <tr><td>semaphore permit count</td><td>{@code NS:SP:name}</td></tr>
 *   <tr><td>semaphore permit slot i</td><td>{@code NS:S<i>:name}</td></tr>
 *   <tr><td>semaphore fence counter / waiter flag</td><td>{@code NS:SF:name} / {@code
 *       NS:SX:name}</td></tr>
 *   <tr><td>read-write lock writer item</td><td>{@code NS:RW:name}</td></tr>
 *   <tr><td>read-write lock reader slot i</td><td>{@code NS:RR<i>:name}</td></tr>
 *   <tr><td>read-write lock fence counter / waiter flag</td><td>{@code NS:RF:name} / {@code
 *       NS:RX:name}</td></tr>
 *   <tr><td>fair lock ticket counter, now serving, waiter t</td><td>{@code NS:QT:name}, {@code
 *       NS:QS:name}, {@code NS:Q<t>:name}</td></tr>
 * </table>
 *
 * <p>The semaphore's items are placed with {@code NS:SP:name}, the read-write lock's with {@code
 * NS:RW:name}, and the fair lock's queue with its lock item {@code NS:L:name}. See
 * docs/PROTOCOL.md.
 */
public final class SyncKeys implements ItemKeys {
  static final String WRITE = "write";
  private static final String PERMIT = "permit ";
  private static final String READ = "read ";

  private final LockKeys keys;

  public SyncKeys(LockKeys keys) {
    this.keys = keys;
  }

  /**
   * Checks the name of a synchronizer.
   *
   * @param what the synchronizer, for the message
   * @param name the name
   * @throws IllegalArgumentException for a null or empty name, or one that is not well-formed
   *     UTF-16
   */
  public static void checkName(String what, String name) {
    if (name == null) {
      throw new IllegalArgumentException(what + " name is null");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException(what + " name is empty");
    }
    LockKeys.checkWellFormed(what + " name", name);
  }

  public static String permitItem(String name, int slot) {
    return item(name, PERMIT + slot);
  }

  public static String readItem(String name, int slot) {
    return item(name, READ + slot);
  }

  public static String writeItem(String name) {
    return item(name, WRITE);
  }

  private static String item(String name, String label) {
    return name + " (" + label + ")";
  }

  /** The name a user gave, and the label of the item. */
  private record Parsed(String name, String label) {
    boolean semaphore() {
      return label.startsWith(PERMIT);
    }

    String tag() {
      if (label.equals(WRITE)) {
        return "RW";
      }
      if (label.startsWith(READ)) {
        return "RR" + Integer.parseInt(label.substring(READ.length()));
      }
      if (semaphore()) {
        return "S" + Integer.parseInt(label.substring(PERMIT.length()));
      }
      throw new IllegalStateException("not a synchronizer item label: " + label);
    }
  }

  private static Parsed parse(String item) {
    int open = item.lastIndexOf(" (");
    if (open <= 0 || !item.endsWith(")")) {
      throw new IllegalStateException("not a synchronizer item: " + item);
    }
    return new Parsed(item.substring(0, open), item.substring(open + 2, item.length() - 1));
  }

  @Override
  public Key lockKey(String item) {
    Parsed p = parse(item);
    return keys.key(p.tag(), p.name());
  }

  @Override
  public Key fenceKey(String item) {
    Parsed p = parse(item);
    return keys.key(p.semaphore() ? "SF" : "RF", p.name());
  }

  @Override
  public Key waiterKey(String item) {
    Parsed p = parse(item);
    return keys.key(p.semaphore() ? "SX" : "RX", p.name());
  }

  @Override
  public Key placementKey(String item) {
    Parsed p = parse(item);
    return p.semaphore() ? semaphoreHome(p.name()) : readWriteHome(p.name());
  }

  // ---- keys of the items that are not lock items ----

  /** The semaphore's permit count item; all its items live on this key's server. */
  public Key semaphoreHome(String name) {
    return keys.key("SP", name);
  }

  public Key permitSlot(String name, int slot) {
    return keys.key("S" + slot, name);
  }

  /** The read-write lock's writer item; all its items live on this key's server. */
  public Key readWriteHome(String name) {
    return keys.key("RW", name);
  }

  public Key readerSlot(String name, int slot) {
    return keys.key("RR" + slot, name);
  }

  /** The fair lock's ticket counter (the last ticket handed out). */
  public Key ticketCounter(String name) {
    return keys.key("QT", name);
  }

  /** The fair lock's now-serving counter: the ticket allowed to try the lock item. */
  public Key nowServing(String name) {
    return keys.key("QS", name);
  }

  /** The presence item of the fair lock's waiter holding ticket {@code t}. */
  public Key waiter(String name, long ticket) {
    return keys.key("Q" + Long.toUnsignedString(ticket), name);
  }

  /** The fair lock's lock item: its queue lives on this key's server. */
  public Key fairHome(String name) {
    return keys.lockKey(name);
  }
}
