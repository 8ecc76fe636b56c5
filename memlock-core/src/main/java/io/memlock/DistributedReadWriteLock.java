package io.memlock;

import java.time.Duration;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * A read-write lock shared by every client of the same memcached servers: many readers or one
 * writer at a time, across threads and processes.
 *
 * <p>Both {@link #readLock()} and {@link #writeLock()} are {@link DistributedLock}s: reentrant per
 * thread through the {@link java.util.concurrent.locks.Lock} methods, with handles not tied to a
 * thread, leases renewed in the background, fencing tokens and lost-lease reporting. A writer
 * waiting for readers to leave blocks new readers, so a stream of readers cannot starve it.
 *
 * <pre>{@code
 * DistributedReadWriteLock prices = memlock.readWriteLock("prices");
 * prices.readLock().lock();
 * try {
 *   return cache.read();
 * } finally {
 *   prices.readLock().unlock();
 * }
 * }</pre>
 *
 * <p><b>Downgrade:</b> a thread that holds the write lock may take the read lock (it is granted at
 * once) and then release the write lock, as with {@link
 * java.util.concurrent.locks.ReentrantReadWriteLock}; with handles, use {@link #downgrade}.
 * <b>Upgrade</b> from read to write is not possible: a thread that holds the read lock and asks for
 * the write lock gets {@link IllegalStateException}.
 *
 * <p>At most {@link #MAX_READERS} readers hold the lock at once, across all clients; further
 * readers wait. All items of one read-write lock live on one memcached server. Taking the read lock
 * costs three round trips and the write lock two, so {@code tryLock()} here, which never waits, may
 * take up to three. See docs/SYNCHRONIZERS.md.
 */
public interface DistributedReadWriteLock extends ReadWriteLock {
  /** How many readers may hold one read-write lock at once, across all clients. */
  int MAX_READERS = 64;

  /**
   * Returns the lock's name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the read lock: shared with other readers, excluded by a writer. Its name is this lock's
   * name followed by {@code " (read)"}. It waits while a writer holds the lock or waits for the
   * readers to leave.
   *
   * @return the read lock
   */
  @Override
  DistributedLock readLock();

  /**
   * Returns the write lock: excludes readers and other writers. Its name is this lock's name
   * followed by {@code " (write)"}. Acquiring it through the {@code Lock} methods, or a handle of
   * it, from a thread that holds the read lock through the {@code Lock} methods throws {@link
   * IllegalStateException} (an upgrade would wait for itself).
   *
   * @return the write lock
   */
  @Override
  DistributedLock writeLock();

  /**
   * Turns a write hold into a read hold without letting another writer in between: takes a read
   * hold (granted without waiting for the writer, which is this hold), then releases the write
   * hold. The read hold has the write hold's kind of lease (renewed, or fixed with the same TTL).
   * Readers are kept out while the write hold lasts, so a reader slot is normally free at once;
   * {@code wait} bounds the wait for one.
   *
   * @param writeHold a hold of this lock's write lock
   * @param wait the longest wait for a reader slot; zero for one try
   * @return the read hold
   * @throws IllegalArgumentException if {@code writeHold} is null or not a write hold of this lock,
   *     or {@code wait} is null or negative
   * @throws IllegalStateException if the write hold was already released
   * @throws LockLostException if the write hold's lease was lost (no read hold is kept then)
   * @throws LockUnavailableException if memcached could not be used for {@code wait}
   * @throws LockBusyException if every reader slot stayed taken for {@code wait}
   * @throws InterruptedException if interrupted while taking the read hold
   */
  LockHandle downgrade(LockHandle writeHold, Duration wait) throws InterruptedException;
}
