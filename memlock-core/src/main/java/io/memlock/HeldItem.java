package io.memlock;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * One held lock item that {@link MemLock#list(String)} found in memcached: a lock, one share of a
 * read-write lock or a semaphore, or a waiter's ticket in a fair lock's queue. Where {@link
 * LockInfo} answers "who holds this lock", a held item also says what kind of item it is.
 *
 * @param kind what the item is
 * @param name the name given to the lock, read-write lock or semaphore; when the name was too long
 *     for a memcached key, the key holds only its SHA-256, and this is {@code #} followed by that
 *     hash in hex (see {@code nameHashed})
 * @param nameHashed whether the key held only the SHA-256 of the name, so that the name itself
 *     cannot be shown
 * @param slot the reader slot ({@link Kind#READ}), permit slot ({@link Kind#PERMIT}) or ticket
 *     number ({@link Kind#FAIR_QUEUE_TICKET}); -1 for a lock or a writer
 * @param holder the holder's description as it wrote it ({@code host/pid/thread}); for a ticket,
 *     the waiting client's
 * @param fencingToken the holder's fencing token once published (within a second of acquiring);
 *     empty before, and always for a ticket
 * @param leaseLeft the time left before memcached expires the item, in whole seconds as memcached
 *     reports it ({@code Duration.ofSeconds(Long.MAX_VALUE)} for an item without expiry)
 * @param servers the servers the item was found on: one, or each replica in quorum mode
 */
public record HeldItem(
    Kind kind,
    String name,
    boolean nameHashed,
    long slot,
    String holder,
    OptionalLong fencingToken,
    Duration leaseLeft,
    List<String> servers) {

  /** What a held item is. */
  public enum Kind {
    /** The item of a lock ({@link MemLock#lock}, {@link MemLock#fairLock}, leader election). */
    LOCK,
    /** A reader's share of a read-write lock ({@link MemLock#readWriteLock}). */
    READ,
    /** The writer's item of a read-write lock. */
    WRITE,
    /** One permit of a semaphore ({@link MemLock#semaphore}). */
    PERMIT,
    /** A waiter's place in a fair lock's queue: it waits, it does not hold the lock. */
    FAIR_QUEUE_TICKET
  }
}
