package io.memlock;

/**
 * Told when a {@link LeaderElection} participant becomes leader and when it stops being leader.
 * Calls run on memlock's callback executor (see {@link MemLock.Builder#callbackExecutor}), one at a
 * time per election and in order: granted, revoked, granted, revoked, ... A listener may block; the
 * next call waits for it, lease renewals do not.
 */
public interface LeadershipListener {
  /**
   * This participant became leader.
   *
   * @param term the leadership's fencing token: greater than the term of every earlier leader of
   *     this election, so a resource can refuse writes from a deposed leader
   */
  void granted(long term);

  /**
   * This participant is no longer leader: its lease was lost or ran out, it yielded, or its
   * election or client was closed. Stop acting as leader; {@link LeaderElection#isLeader()} is
   * already false.
   */
  void revoked();
}
