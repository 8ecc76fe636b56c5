package io.memlock.store;

import io.memlock.LockInfo;
import io.memlock.cluster.Cluster;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Where leases live: one memcached server per name, or a quorum of servers. Every method returns a
 * future that completes with an outcome, never exceptionally.
 */
public interface LeaseStore {
  /**
   * Opens the store of one key family: single-server or, with replicas, quorum.
   *
   * @param cluster the servers
   * @param itemKeys the key family (the store remembers the keys of the names in use)
   * @param config the settings
   * @param scheduler the scheduler thread (cleanups)
   * @return the store
   */
  static LeaseStore open(
      Cluster cluster, ItemKeys itemKeys, LockConfig config, ScheduledExecutorService scheduler) {
    ItemKeys keys = new CachedKeys(itemKeys);
    SingleServerStore single =
        new SingleServerStore(
            cluster,
            keys,
            config.wallClock(),
            config.requestTimeout(),
            config.maxLeaseSeconds(),
            scheduler);
    return cluster.replicas() > 1 ? new QuorumStore(cluster, keys, single, config) : single;
  }

  /** What an acquisition attempt found. */
  enum Outcome {
    /** The lock is ours: {@link Attempt#lease} and {@link Attempt#fence} are set. */
    WON,
    /** Someone else holds it; holder and TTL are set when known. */
    BUSY,
    /** The item vanished between the add and the check: try again at once. */
    VANISHED,
    /** The server(s) could not be used; {@link Attempt#error} says why. */
    UNAVAILABLE
  }

  /** The outcome of an acquisition attempt. */
  record Attempt(
      Outcome outcome,
      @Nullable Lease lease,
      long fence,
      @Nullable String holder,
      long holderTtlSeconds,
      @Nullable Throwable error) {
    /** The lease of a {@link Outcome#WON} attempt, which always carries one. */
    public Lease wonLease() {
      return Objects.requireNonNull(lease, "a " + outcome + " attempt has no lease");
    }

    static Attempt busy(@Nullable String holder, long ttl) {
      return new Attempt(Outcome.BUSY, null, 0, holder, ttl, null);
    }

    public static Attempt unavailable(@Nullable Throwable error) {
      return new Attempt(Outcome.UNAVAILABLE, null, 0, null, -2, error);
    }

    static final Attempt VANISHED_ATTEMPT = new Attempt(Outcome.VANISHED, null, 0, null, -2, null);
  }

  /** What a renewal or a release found. */
  enum Result {
    /** Done. */
    OK,
    /** The lock item is gone or belongs to someone else. */
    LOST,
    /** The server(s) did not answer usefully; the outcome is unknown. */
    FAILED
  }

  /**
   * A renewal or release result with its detail; a release also tells whether waiters of other
   * clients announced themselves.
   */
  record Report(
      Result result, @Nullable String detail, @Nullable Throwable error, boolean othersWaiting) {
    static final Report OK_REPORT = new Report(Result.OK, null, null, false);

    /** The detail of a {@link Result#LOST} report, which {@link #lost} always sets. */
    public String lostDetail() {
      return Objects.requireNonNull(detail, "a " + result + " report has no loss detail");
    }

    static Report lost(String detail) {

      return new Report(Result.LOST, detail, null, false);
    }

    public static Report failed(@Nullable Throwable error) {
      return new Report(Result.FAILED, null, error, false);
    }
  }

  /** Store-specific state of a won lease (the CAS values it renews and releases with). */
  interface Lease {
    /** The server(s) the lease is on, for messages. */
    String where();
  }

  /**
   * One attempt: add the lock item, read the fence counter, check the item is still ours, all in
   * one round trip. With {@code announce}, also leaves a short-lived flag saying that a waiter
   * polls for the lock, so that a client passing the lock among its own threads lets others in.
   */
  CompletableFuture<Attempt> tryAcquire(
      String name, LockValue value, long ttlSeconds, boolean announce);

  /** Clears the waiter flag, after a waiter that announced itself won the lock. */
  void clearWaiterFlag(String name);

  /** Renews a lease, comparing its CAS; writes {@code value} (which publishes the fence). */
  CompletableFuture<Report> renew(String name, Lease lease, LockValue value, long ttlSeconds);

  /**
   * Deletes the lock item if it is still this lease's, and reads the waiter flag in the same round
   * trip.
   */
  CompletableFuture<Report> release(String name, Lease lease, LockValue value);

  /**
   * Replaces the lock item, if it is still this lease's (comparing its CAS), by {@code ownerless}
   * expiring in {@code ttlSeconds}: a release that leaves the lock taken by nobody until then. In
   * quorum mode it goes to every replica.
   */
  CompletableFuture<Report> retire(String name, Lease lease, LockValue ownerless, long ttlSeconds);

  /** Deletes the lock item if its value carries {@code token}: cleanup after an unknown outcome. */
  void releaseIfOwned(String name, byte[] token);

  /** Reads who holds a lock. */
  CompletableFuture<Optional<LockInfo>> inspect(String name);

  /** Deletes a lock item whoever holds it, returning what it held. */
  CompletableFuture<Optional<LockInfo>> forceRelease(String name);
}
