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
   * MemLock.close()} call that completed it; never on memlock's I/O or scheduler threads.
   *
   * @return the future
   */
  CompletableFuture<Void> ended();
}
