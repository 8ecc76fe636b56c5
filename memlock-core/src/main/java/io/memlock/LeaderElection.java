package io.memlock;

import java.time.Duration;
import java.util.Optional;

/**
 * One participant of a leader election: a lease on the lock of the election's name, whose holder is
 * the leader. The lock's fencing token is the leader's term. A participant that loses its lease is
 * revoked at once and queues again.
 *
 * <pre>{@code
 * LeaderElection election = memlock.leaderElection("scheduler");
 * election.addListener(new LeadershipListener() {
 *   public void granted(long term) { scheduler.startWork(term); }
 *   public void revoked() { scheduler.stopWork(); }
 * });
 * election.start();
 * ...
 * election.close(); // steps down if leader
 * }</pre>
 *
 * <p>At most one participant is leader at any instant under the lock's assumptions (see
 * docs/SAFETY.md): {@link #isLeader()} checks the lease by this client's clock, so a paused leader
 * whose lease ran out reports false as soon as it runs again, before any listener call. Listener
 * calls arrive after the fact; pass {@link #term()} to the resources the leader writes to, so they
 * can refuse a deposed leader. See docs/SYNCHRONIZERS.md.
 */
public interface LeaderElection extends AutoCloseable {
  /**
   * Returns the election's name (the name of its lock).
   *
   * @return the name
   */
  String name();

  /**
   * Returns this participant's id: {@code host/pid/election-<n>}, written into the lock item while
   * this participant leads, so others read it with {@link #leader()}.
   *
   * @return the id
   */
  String participantId();

  /**
   * Adds a listener. A listener added while this participant is leader is told {@code granted} at
   * once (on the callback executor), so each listener sees granted and revoked in pairs.
   *
   * @param listener the listener
   * @throws NullPointerException if listener is null
   */
  void addListener(LeadershipListener listener);

  /**
   * Joins the election: queues for leadership in the background. Calling it again does nothing.
   *
   * @throws IllegalStateException if the election was closed
   */
  void start();

  /**
   * Tells whether this participant is leader now: it holds the lease and the lease is valid by this
   * client's clock.
   *
   * @return true while leader
   */
  boolean isLeader();

  /**
   * Returns the current leadership's term (its fencing token).
   *
   * @return the term, or -1 when this participant is not leader
   */
  long term();

  /**
   * Waits until this participant is leader.
   *
   * @param timeout the longest wait
   * @return true if leader, false if the timeout passed or the election was closed first
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the election was not started
   */
  boolean awaitLeadership(Duration timeout) throws InterruptedException;

  /**
   * Steps down if leader and queues again after a short pause (250 ms, or eight times the client's
   * largest retry delay if longer), so that a waiting participant can take over. Listeners are told
   * {@code revoked}.
   *
   * @return true if this participant was leader
   */
  boolean yieldLeadership();

  /**
   * Returns the current leader's participant id, as memcached shows it now.
   *
   * @return the leader's id, or empty when nobody leads
   * @throws MemLockException if memcached cannot be asked
   */
  Optional<String> leader();

  /**
   * Leaves the election: stops queueing, steps down if leader (listeners are told {@code revoked})
   * and releases the lease, waiting briefly for memcached. Idempotent. Closing the {@link MemLock}
   * closes its elections.
   */
  @Override
  void close();
}
