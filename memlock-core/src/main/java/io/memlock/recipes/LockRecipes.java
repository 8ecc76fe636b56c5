package io.memlock.recipes;

import io.memlock.DistributedLock;
import io.memlock.DistributedReadWriteLock;
import io.memlock.DistributedSemaphore;
import io.memlock.LeaderElection;
import io.memlock.engine.DistributedLockImpl;
import io.memlock.engine.LockEngine;
import io.memlock.store.LockKeys;
import io.memlock.store.SyncKeys;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recipes built on one client's lease engine: fair lock, read-write lock, semaphore and leader
 * election. The engine knows none of them; it closes the elections first through {@link
 * LockEngine#closeFirst(LeaderElection)}.
 */
public final class LockRecipes {
  private final LockEngine engine;
  private final AtomicInteger electionIds = new AtomicInteger();

  /**
   * Serves the recipes of one engine.
   *
   * @param engine the lease engine
   */
  public LockRecipes(LockEngine engine) {
    this.engine = engine;
  }

  /**
   * Returns a new participant of the leader election {@code name}; closing the engine closes it.
   *
   * @param name the election's name (the name of its lock)
   * @return the participant, not started
   */
  public LeaderElection leaderElection(String name) {
    LockKeys.checkName(name);
    engine.checkOpen();
    LeaderElectionImpl e =
        new LeaderElectionImpl(
            engine,
            new DistributedLockImpl(engine, name),
            engine.processDescription() + "/election-" + electionIds.incrementAndGet());
    engine.closeFirst(e);
    return e;
  }

  /**
   * Returns a fair lock: the lock of this name, taken in the order of a ticket queue.
   *
   * @param name the name
   * @return the lock
   */
  public DistributedLock fairLock(String name) {
    LockKeys.checkName(name);
    engine.checkOpen();
    return new FairLockImpl(engine, name);
  }

  /**
   * Returns a read-write lock.
   *
   * @param name the name
   * @return the lock
   */
  public DistributedReadWriteLock readWriteLock(String name) {
    SyncKeys.checkName("read-write lock", name);
    engine.checkOpen();
    return new ReadWriteLockImpl(engine, name);
  }

  /**
   * Returns a semaphore.
   *
   * @param name the name
   * @param permits how many holders at most
   * @return the semaphore
   */
  public DistributedSemaphore semaphore(String name, int permits) {
    SyncKeys.checkName("semaphore", name);
    SemaphoreImpl.checkPermits(permits);
    engine.checkOpen();
    return new SemaphoreImpl(engine, name, permits);
  }
}
