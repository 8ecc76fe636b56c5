package io.memlock.bench.locks;

import java.util.List;

/**
 * One lock implementation under test, connected to its server, with a fixed list of lock names
 * prepared in the form it takes, so that no contender pays for building them per call.
 *
 * <p>{@link #lock} blocks (polling or being woken, as the implementation does) until the lock is
 * held or the wait runs out; {@link #unlock} returns once the server has released it. A lock is
 * taken and released by the same thread. Implementations are called by many threads at once, for
 * different or the same names.
 */
public interface LockContender extends AutoCloseable {
  /** Returned by {@link #lock} when the wait ran out. */
  long NOT_ACQUIRED = Long.MIN_VALUE;

  /**
   * A wait without limit: {@link #lock} then calls the implementation's untimed {@code lock()},
   * which is what an application writes and may cost less than a timed wait.
   */
  long FOREVER = Long.MAX_VALUE;

  /**
   * Acquires lock {@code i}.
   *
   * @param i the index of the name in the list given at construction
   * @param waitNanos the longest wait, or {@link #FOREVER}
   * @return the holding's fencing token, 0 for implementations without one, or {@link
   *     #NOT_ACQUIRED}
   * @throws InterruptedException if interrupted while waiting
   */
  long lock(int i, long waitNanos) throws InterruptedException;

  /**
   * Releases lock {@code i}, held by this thread.
   *
   * @param i the index of the name
   * @throws IllegalStateException if the server no longer had the lock as this holder's
   */
  void unlock(int i);

  /**
   * Returns how many attempts of this contender's {@link #lock} calls so far found the lock held
   * and polled again later: the load that waiting puts on the server.
   *
   * @return the count, or -1 when the contender does not count them (Redisson waits for a message;
   *     memlock counts only when opened with {@link Contenders.Settings#countPolls})
   */
  default long polls() {
    return -1;
  }

  /** Disconnects and stops the implementation's threads. */
  @Override
  void close();

  /**
   * Connects a contender by its id.
   *
   * @param id one of {@link Contenders#ALL}
   * @param servers where memcached and Redis listen
   * @param names the lock names, addressed by index
   * @return the connected contender
   */
  static LockContender open(String id, Servers servers, List<String> names) {
    return Contenders.open(id, servers, names, Contenders.Settings.DEFAULT);
  }
}
