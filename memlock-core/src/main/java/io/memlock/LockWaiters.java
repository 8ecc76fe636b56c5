package io.memlock;

import java.util.List;

/**
 * Who waits for a lock, as memcached shows it now; see {@link MemLock#waiters(String)}.
 *
 * @param polling whether a client of another process is polling for the lock: its waiter flag
 *     ({@code NS:W:NAME}, set for 2 s at each poll) exists
 * @param queue the waiters in the queue of the fair lock of that name ({@link MemLock#fairLock}),
 *     in ticket order: each a {@link HeldItem.Kind#FAIR_QUEUE_TICKET} whose slot is its ticket;
 *     empty for a lock that is not used as a fair lock
 */
public record LockWaiters(boolean polling, List<HeldItem> queue) {}
