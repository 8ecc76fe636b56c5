package io.memlock;

/**
 * Told when a hold's lease is lost. Runs on memlock's callback executor (see {@link
 * MemLock.Builder#callbackExecutor}); it may block without delaying lease renewals.
 */
@FunctionalInterface
public interface LockLostListener {
  /**
   * The lease was lost.
   *
   * @param handle the hold that lost its lease
   * @param cause what happened
   */
  void lockLost(LockHandle handle, LockLostException cause);
}
