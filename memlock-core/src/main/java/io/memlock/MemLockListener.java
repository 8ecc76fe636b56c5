package io.memlock;

/**
 * Hears what a {@link MemLock} client does, for metrics: acquisitions and their outcome, renewals,
 * lost leases, requests to each server, rate-limiter decisions and cache lookups. Register it with
 * {@link MemLock#addListener(MemLockListener)}; every method does nothing by default, so implement
 * only what you count. {@code memlock-micrometer} turns these calls into Micrometer meters.
 *
 * <p><b>Threads.</b> These methods never run on the thread where the event happens (a caller's
 * thread, memlock's scheduler or a network I/O thread), so a slow listener cannot delay a lock.
 * While at least one listener is registered, each event is put on a queue of the client (up to
 * 65,536 events) and one daemon thread of the client, named {@code memlock-events-N}, calls the
 * listeners: one event at a time, each listener in the order they were added, events in the order
 * they were queued (so two events from one thread arrive in the order they happened there). The
 * thread starts with the first listener and ends when the last one is removed or the client is
 * closed; {@link MemLock#close()} first lets it deliver the events already queued, for up to two
 * seconds, then interrupts it. With no listener an event costs nothing.
 *
 * <p>Events therefore arrive a moment after they happened: an acquisition may be heard after the
 * caller already resumed. Keep listeners fast anyway: if they fall 65,536 events behind, new events
 * are dropped (and the first drop is logged as a warning to the {@code io.memlock} logger). An
 * exception thrown by a listener is logged once per listener and otherwise ignored; it does not
 * stop the other listeners nor later events.
 */
public interface MemLockListener {

  /** How an acquisition ended. */
  enum AcquireOutcome {
    /** The lock (or permit) was acquired. */
    ACQUIRED,
    /** A try without waiting found it held by someone else. */
    BUSY,
    /** Waiting for it ended at the caller's deadline, or was interrupted, before it was free. */
    TIMEOUT,
    /**
     * Its server (or a majority of its replicas) could not take acquisitions: down, in restart
     * grace.
     */
    UNAVAILABLE,
    /** It failed otherwise, e.g. the client was closed meanwhile. */
    ERROR
  }

  /** How a watchdog renewal of a lease ended. */
  enum RenewalOutcome {
    /** The lease was extended. */
    RENEWED,
    /** The server could not be asked; the renewal is retried while the lease is still valid. */
    FAILED,
    /** The item was no longer this client's: the lease is lost. */
    LOST
  }

  /**
   * An acquisition ended: of a lock, a fair lock, a read-write lock or a semaphore permit (blocking
   * or asynchronous). Reentrant acquisitions of a lock the thread already holds are not reported.
   *
   * @param name the lock's name; for a fair lock, a read-write lock or a semaphore that waits, a
   *     description naming it, such as {@code fair lock 'x'} or {@code a permit of semaphore 'x'}
   * @param outcome how it ended
   * @param nanos how long it took, from the call to the outcome
   */
  default void lockAcquired(String name, AcquireOutcome outcome, long nanos) {}

  /**
   * An attempt of a lock acquisition that waits found the lock held by another client (its add was
   * refused): the acquisition polls again after a pause, unless its wait ends first. The rate of
   * these events is the load that waiting puts on memcached.
   *
   * @param name the lock's name
   */
  default void lockPolled(String name) {}

  /**
   * A held lease was lost: a renewal found the item changed or gone, the lease ran out, or the
   * release found it was no longer this client's.
   *
   * @param name the lock's name (for synchronizers, the name of their item)
   */
  default void leaseLost(String name) {}

  /**
   * A watchdog renewal ended.
   *
   * @param name the lock's name (for synchronizers, the name of their item)
   * @param outcome how it ended
   */
  default void leaseRenewed(String name, RenewalOutcome outcome) {}

  /**
   * A request (or a batch of requests sent in one write) to a server got its reply or failed.
   *
   * @param server the server's {@code host:port}
   * @param nanos from sending to the reply or failure
   * @param success false when it failed: timeout, connection lost, error reply or bad reply
   */
  default void serverRequest(String server, long nanos, boolean success) {}

  /**
   * A rate limiter decided a call of {@code tryAcquire}/{@code tryAcquireOrRetryAfter}.
   *
   * @param limiter the limiter's name
   * @param admitted whether the permits were granted
   */
  default void rateLimited(String limiter, boolean admitted) {}

  /**
   * A cache lookup ended: a hit when the value came from memcached (possibly after waiting for
   * another caller's load), a miss when this caller had to load it (absent, or due for its early
   * refresh).
   *
   * @param cache the cache's name
   * @param hit whether it was a hit
   */
  default void cacheLookup(String cache, boolean hit) {}

  /**
   * A cache loader ran (after a miss, or to refresh a value nearing its end).
   *
   * @param cache the cache's name
   * @param nanos how long the loader took
   * @param success false if it threw
   */
  default void cacheLoaded(String cache, long nanos, boolean success) {}
}
