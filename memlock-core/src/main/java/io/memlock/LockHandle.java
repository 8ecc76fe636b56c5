package io.memlock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One hold of a distributed lock, not tied to a thread: it may be released from any thread or from
 * a future's callback. Closing it releases it.
 *
 * <pre>{@code
 * try (LockHandle hold = memlock.lock("nightly-report").acquire(Duration.ofSeconds(10))) {
 *   hold.onLost((h, e) -> job.abort());
 *   job.run(hold.fencingToken());
 * }
 * }</pre>
 */
public interface LockHandle extends AutoCloseable {
  /**
   * Returns the lock's name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns this hold's fencing token: greater than the token of every earlier hold of this lock,
   * by any client. Pass it to the resource the lock protects, so that it can refuse writes from an
   * older holder that lost its lease without noticing.
   *
   * @return the fencing token
   */
  long fencingToken();

  /**
   * Tells whether the hold is still valid: not released, not lost, and within its lease as this
   * client's clock measures it.
   *
   * @return true while held
   */
  boolean isHeld();

  /**
   * Returns how much of the lease is left by this client's clock (zero when released or lost). With
   * the watchdog the lease is renewed long before it runs out.
   *
   * @return the remaining lease
   */
  Duration leaseLeft();

  /**
   * Releases the hold: deletes the lock item if it is still this hold's.
   *
   * @throws LockLostException if the lease was lost before the release
   * @throws IllegalStateException if the hold was already released
   */
  void release();

  /**
   * Releases the hold but leaves the lock taken, by nobody, for {@code keepFor} more: the lock item
   * is replaced (if it is still this hold's) by one no client owns, which memcached expires after
   * {@code keepFor} rounded up to whole seconds, plus one second for memcached's once-a-second
   * expiry clock, which may end an item up to a second early (rarely two). Until then nobody, this
   * client included, can acquire the lock; nothing can release it early but {@link
   * MemLock#forceRelease(String)}. In quorum mode every replica gets the ownerless item. A zero
   * {@code keepFor} is {@link #release()}. It serves "hold at least this long" contracts such as
   * ShedLock's {@code lockAtLeastFor}.
   *
   * <p>If memcached cannot be reached, the item (if still this hold's) keeps its own lease and
   * expires with it, which is never earlier.
   *
   * @param keepFor how long the lock stays taken from now; at most 30 days
   * @throws IllegalArgumentException if {@code keepFor} is null, negative or over 30 days
   * @throws LockLostException if the lease was lost before the release
   * @throws IllegalStateException if the hold was already released
   */
  void release(Duration keepFor);

  /**
   * Extends a hold taken with a fixed lease ({@link DistributedLock#acquire(Duration, Duration)}):
   * the lock item's TTL is rewritten (if the item is still this hold's) to {@code lease} from now,
   * and {@link #leaseLeft()} starts over from now. A shorter lease shortens the hold. The hold
   * stays not renewed. Holds renewed by the watchdog need no extension and refuse it.
   *
   * @param lease the new lease, whole seconds from 2 s to the client's maximum lease time
   * @throws IllegalArgumentException if {@code lease} is out of range
   * @throws IllegalStateException if the hold is renewed by the watchdog, released, or being
   *     extended by another call at the same time
   * @throws LockLostException if the lease was lost or ran out before the extension
   * @throws LockUnavailableException if memcached could not be asked; the lease is unchanged by
   *     this client's clock, though the server may have applied the extension
   */
  void extend(Duration lease);

  /**
   * Releases the hold without blocking.
   *
   * @return completes when released, or with {@link LockLostException} if the lease was lost; its
   *     continuations run on the callback executor (or on the caller's thread if it is complete at
   *     once, as when the hold passes to the next thread of this client), and {@link #ended()} is
   *     complete before it is
   */
  CompletableFuture<Void> releaseAsync();

  /**
   * Releases the hold if it is not released yet. Unlike {@link #release()}, closing twice is fine.
   *
   * @throws LockLostException if the lease was lost before the release
   */
  @Override
  void close();

  /**
   * Registers a listener for the loss of this hold's lease. A listener added after the loss is
   * called at once.
   *
   * @param listener the listener
   */
  void onLost(LockLostListener listener);

  /**
   * Returns the future that ends with the hold: one future per hold, the same instance at every
   * call. It completes normally when the hold is released (also when it is passed to the next
   * thread of this client, or when the release could not reach memcached and the item is left to
   * expire), and with {@link LockLostException} when its lease was lost first.
   *
   * <p>It is complete when {@link #release()} or {@link #close()} returns (or throws), before the
   * future of {@link #releaseAsync()} completes, and before {@link MemLock#close()} returns:
   * closing the client releases a held handle, so its {@code ended()} completes normally then (with
   * {@link LockLostException} if the lease had been lost before). Its continuations run on the
   * callback executor, or on the thread of the {@code release()}, {@code close()} or {@code
   * MemLock.close()} call that completed it; never on memlock's I/O or scheduler threads. When the
   * hold ended before the first call of this method, the future it returns is already complete.
   *
   * @return the future
   */
  CompletableFuture<Void> ended();
}
