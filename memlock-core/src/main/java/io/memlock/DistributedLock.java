package io.memlock;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock shared by every client of the same memcached servers, identified by its name.
 *
 * <p>As a {@link Lock} it follows the {@code java.util.concurrent} contract: a hold belongs to the
 * thread that took it, is reentrant, and only that thread may unlock it. While held, the lease is
 * renewed in the background (the watchdog), so a hold lasts as long as its holder lives. When the
 * lease is lost anyway, {@link #isHeldByCurrentThread()} turns false and {@link #unlock()} throws
 * {@link LockLostException}.
 *
 * <p><b>A lost hold is never reentered.</b> If the thread's hold was lost (the item was deleted,
 * evicted or replaced, or the lease ran out) and the thread did not unlock it, its next {@link
 * #lock()}, {@link #lockInterruptibly()}, {@link #tryLock()} or {@link #tryLock(long,
 * java.util.concurrent.TimeUnit)} throws {@link LockLostException} instead of counting one more
 * hold on a lease another client may hold now. That call also drops the dead hold: afterwards
 * {@link #getHoldCount()} is 0, {@link #unlock()} throws {@link IllegalMonitorStateException}, and
 * the next {@code lock}/{@code tryLock} starts a fresh acquisition with a new, greater fencing
 * token. Until then {@link #fencingToken()} throws {@link LockLostException} rather than return the
 * stale token, and {@link #getHoldCount()} still counts the unmatched {@code lock} calls, each of
 * which {@link #unlock()} matches by throwing {@link LockLostException}. A caller that polls {@code
 * tryLock()} while it holds the lock (as Spring Integration's leader initiator does) thus sees the
 * loss as an exception and can step down.
 *
 * <p>Holds not tied to a thread are {@link LockHandle}s, from the {@link Acquirable} methods {@link
 * #acquire(Duration)}, {@link #tryAcquire()} and {@link #acquireAsync(Duration)}. Handles are not
 * reentrant: a thread that holds this lock and asks for a handle of it waits for itself.
 *
 * <p>Threads of one {@link MemLock} that contend for the same name queue locally and pass the lock
 * among themselves without a round trip to memcached, up to a limit, after which the lock is
 * released so other processes get their turn.
 */
public interface DistributedLock extends Lock, Acquirable {
  /**
   * Acquires the lock, waiting as long as it takes. Interrupts do not stop the wait; the interrupt
   * status is kept.
   *
   * @throws MemLockException if the client is closed
   * @throws LockLostException if this thread's hold was lost and not unlocked (the hold is dropped)
   */
  @Override
  void lock();

  /**
   * Acquires the lock unless interrupted.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws LockLostException if this thread's hold was lost and not unlocked (the hold is dropped)
   */
  @Override
  void lockInterruptibly() throws InterruptedException;

  /**
   * Acquires the lock if it is free now: at most one round trip to memcached, no waiting.
   *
   * @return true if acquired
   * @throws LockLostException if this thread's hold was lost and not unlocked (the hold is dropped)
   */
  @Override
  boolean tryLock();

  /**
   * Acquires the lock if it becomes free within the time given.
   *
   * @param time the longest wait
   * @param unit its unit
   * @return true if acquired
   * @throws InterruptedException if interrupted while waiting
   * @throws LockLostException if this thread's hold was lost and not unlocked (the hold is dropped)
   */
  @Override
  boolean tryLock(long time, java.util.concurrent.TimeUnit unit) throws InterruptedException;

  /**
   * Releases one hold count of the current thread; the last one releases the lock.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   * @throws LockLostException if the lease was lost (the hold count still goes down)
   */
  @Override
  void unlock();

  /**
   * Not supported: memcached cannot wake waiters.
   *
   * @return never
   * @throws UnsupportedOperationException always
   */
  @Override
  Condition newCondition();

  /**
   * Returns the fencing token of the current thread's hold.
   *
   * @return the token
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   * @throws LockLostException if the current thread's hold was lost (never the stale token)
   */
  long fencingToken();

  /**
   * Tells whether the current thread holds the lock and its lease is valid.
   *
   * @return true if held by this thread
   */
  boolean isHeldByCurrentThread();

  /**
   * Returns the current thread's hold count.
   *
   * @return the number of unmatched {@link #lock()} calls of this thread, 0 if it does not hold the
   *     lock; a lost hold keeps its count until unlocked or dropped (see above)
   */
  int getHoldCount();
}
