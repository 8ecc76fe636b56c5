package io.memlock.store;

import io.memlock.LockInfo;
import io.memlock.LockUnavailableException;
import io.memlock.cluster.Cluster;
import io.memlock.cluster.NodeHealth;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaDelete;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.transport.NodeClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Leases on the one server each name maps to (sharded by the ketama ring). The algorithm of
 * docs/PROTOCOL.md: {@code ms ME} + {@code ma N0 J<µs> v} + {@code mg c t v} in one write to
 * acquire; {@code ms C<cas>} to renew; {@code md C<cas>} to release; on a CAS mismatch, the item is
 * read back and adopted when it still carries this holder's token.
 */
final class SingleServerStore implements LeaseStore {
  private final Cluster cluster;
  private final ItemKeys keys;
  private final Clock wallClock;
  private final long timeoutNanos;

  private final Cleanups cleanups;
  private final ServerAttempt attempts;

  SingleServerStore(
      Cluster cluster,
      ItemKeys keys,
      Clock wallClock,
      Duration requestTimeout,
      long longestTtlSeconds,
      ScheduledExecutorService scheduler) {
    this.cluster = cluster;
    this.keys = keys;
    this.wallClock = wallClock;
    this.timeoutNanos = requestTimeout.toNanos();
    this.cleanups = new Cleanups(scheduler, timeoutNanos, longestTtlSeconds);
    this.attempts = new ServerAttempt(this, keys, timeoutNanos);
  }

  /**
   * The CAS of the lock item on its server, with the connection epoch it is known in. A CAS is only
   * ever sent in its own epoch: after a reconnection the server may have restarted, and its CAS
   * counter with it, so an old CAS could match another holder's item. In a new epoch the item is
   * read back first and its CAS adopted only if it still carries this holder's token.
   */
  static final class ServerLease implements Lease {
    final NodeClient node;

    /** The epoch and CAS, replaced together. */
    private volatile Stamp stamp;

    private record Stamp(long epoch, long cas) {}

    ServerLease(NodeClient node, long epoch, long cas) {
      this.node = node;
      this.stamp = new Stamp(epoch, cas);
    }

    void update(long epoch, long cas) {
      stamp = new Stamp(epoch, cas);
    }

    long epoch() {
      return stamp.epoch();
    }

    long cas() {
      return stamp.cas();
    }

    /** Whether the CAS is known in the connection epoch of now. */
    boolean current() {
      return stamp.epoch() == node.epoch();
    }

    @Override
    public String where() {
      return node.address().toString();
    }
  }

  long wallMicros() {
    Instant now = wallClock.instant();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  @Override
  public CompletableFuture<Attempt> tryAcquire(
      String name, LockValue value, long ttlSeconds, boolean announce) {
    NodeHealth health = cluster.health(cluster.nodeFor(keys.placementKey(name)));
    long epoch = health.acquirableEpoch();
    if (epoch < 0) {
      return CompletableFuture.completedFuture(unusable(health));
    }
    return tryAcquireOn(health.node(), epoch, name, value, ttlSeconds, announce);
  }

  /** The attempt's outcome when a server may not take acquisitions now. */
  static Attempt unusable(NodeHealth health) {
    return Attempt.unavailable(
        new LockUnavailableException(health.whyNot(), health.node().lastFailure()));
  }

  /**
   * One attempt on one server: add the lock item, read (and bump) the fence counter, check the item
   * is still ours, in one write. When won, {@link Attempt#fence} is the counter's value.
   */
  CompletableFuture<Attempt> tryAcquireOn(
      NodeClient node,
      long epoch,
      String name,
      LockValue value,
      long ttlSeconds,
      boolean announce) {
    return attempts.run(node, epoch, name, value, ttlSeconds, announce);
  }

  @Override
  public void clearWaiterFlag(String name) {
    cluster
        .nodeFor(keys.placementKey(name))
        .send(MetaDelete.of(keys.waiterKey(name)).quiet(), timeoutNanos, -1);
  }

  @Override
  public CompletableFuture<Report> renew(
      String name, Lease lease, LockValue value, long ttlSeconds) {
    ServerLease l = (ServerLease) lease;
    Key key = keys.lockKey(name);
    if (!l.current()) {
      return readBack(l, key, value, () -> renew(name, lease, value, ttlSeconds));
    }
    long epoch = l.epoch();
    return l.node
        .send(
            MetaSet.of(key, value.encode()).compareCas(l.cas()).ttl(ttlSeconds).returnCas(),
            timeoutNanos,
            epoch)
        .handle(
            (r, t) -> {
              if (t != null) {
                return CompletableFuture.completedFuture(Report.failed(unwrap(t)));
              }
              if (r.status() == MetaStatus.HD) {
                l.update(epoch, r.cas());
                return CompletableFuture.completedFuture(Report.OK_REPORT);
              }
              if (r.status() == MetaStatus.NF) {
                return CompletableFuture.completedFuture(
                    Report.lost("the lock item was gone at renewal (expired or deleted)"));
              }
              return adopt(l, key, value)
                  .thenCompose(
                      adopted ->
                          adopted == null
                              ? renew(name, lease, value, ttlSeconds)
                              : CompletableFuture.completedFuture(adopted));
            })
        .thenCompose(x -> x);
  }

  @Override
  public CompletableFuture<Report> retire(
      String name, Lease lease, LockValue ownerless, long ttlSeconds) {
    return renew(name, lease, ownerless, ttlSeconds);
  }

  /**
   * After a CAS mismatch: reads the item back; if it still carries our token (an earlier renewal
   * took effect though its reply was lost), adopts its CAS and returns null; otherwise the lease is
   * lost.
   */
  private CompletableFuture<Report> adopt(ServerLease l, Key key, LockValue value) {
    long epoch = l.node.epoch();
    return l.node
        .send(MetaGet.of(key).returnValue().returnCas(), timeoutNanos, epoch)
        .handle(
            (r, t) -> {
              if (t != null) {
                return Report.failed(unwrap(t));
              }
              if (r.status() != MetaStatus.VA) {
                return Report.lost("the lock item was gone (expired or deleted)");
              }
              LockValue v = LockValue.decode(r.value());
              if (v == null || !v.hasToken(value.token())) {
                return Report.lost(
                    "the lock item was replaced by "
                        + (v == null ? "a foreign value" : "another holder: " + v.holder()));
              }
              l.update(epoch, r.cas());
              return null;
            });
  }

  /**
   * The connection was re-established since the lease's CAS was read, and the server may have
   * restarted: its old CAS is never sent. Reads the item back in the new epoch and adopts its CAS
   * if it still carries our token, then goes on with {@code then}; otherwise the lease is lost.
   */
  private CompletableFuture<Report> readBack(
      ServerLease l, Key key, LockValue value, Supplier<CompletableFuture<Report>> then) {
    return adopt(l, key, value)
        .thenCompose(
            found -> {
              if (found == null) {
                return then.get();
              }
              if (found.result() == Result.LOST) {
                return CompletableFuture.completedFuture(
                    Report.lost(
                        "the connection to "
                            + l.where()
                            + " was re-established (the server may have restarted) and "
                            + found.detail()));
              }
              return CompletableFuture.completedFuture(found);
            });
  }

  @Override
  public CompletableFuture<Report> release(String name, Lease lease, LockValue value) {
    ServerLease l = (ServerLease) lease;
    Key key = keys.lockKey(name);
    if (!l.current()) {
      return readBack(l, key, value, () -> release(name, lease, value));
    }
    // A quiet mg answers only when the flag exists, so the common case costs no reply; it goes
    // first, so that the delete's reply ends the batch and no mn is needed.
    List<CompletableFuture<?>> f =
        l.node.sendAll(
            List.of(
                MetaGet.of(keys.waiterKey(name)).quiet(), MetaDelete.of(key).compareCas(l.cas())),
            timeoutNanos,
            l.epoch());
    @SuppressWarnings("unchecked")
    CompletableFuture<MetaResponse> delete = (CompletableFuture<MetaResponse>) f.get(1);
    CompletableFuture<?> flag = f.get(0);
    CompletableFuture<Report> out = new CompletableFuture<>();
    delete.whenComplete(
        (r, t) -> {
          try {
            released(r, t, flag, out, l, key, name, value);
          } catch (RuntimeException e) {
            // Never leave the release without an outcome.
            out.complete(Report.failed(e));
          }
        });
    return out;
  }

  private void released(
      MetaResponse r,
      Throwable t,
      CompletableFuture<?> flag,
      CompletableFuture<Report> out,
      ServerLease l,
      Key key,
      String name,
      LockValue value) {
    if (t != null) {
      out.complete(Report.failed(unwrap(t)));
    } else if (r.status() == MetaStatus.HD) {
      // The flag's reply (or its silence, told by the delete's reply) came first.
      Object w = flag.isCompletedExceptionally() ? null : flag.getNow(null);
      out.complete(
          w instanceof MetaResponse m && m.status() == MetaStatus.HD
              ? new Report(Result.OK, null, null, true)
              : Report.OK_REPORT);
    } else if (r.status() == MetaStatus.NF) {
      out.complete(Report.lost("the lock item was gone at release (expired or deleted)"));
    } else {
      adopt(l, key, value)
          .thenCompose(
              adopted ->
                  adopted == null
                      ? release(name, l, value)
                      : CompletableFuture.completedFuture(adopted))
          .whenComplete((x, e) -> out.complete(x != null ? x : Report.failed(unwrap(e))));
    }
  }

  @Override
  public void releaseIfOwned(String name, byte[] token) {
    releaseIfOwnedOn(cluster.nodeFor(keys.placementKey(name)), name, token);
  }

  /**
   * Deletes the lock item on one server if its value carries {@code token}, where the item was
   * written (or never will be): a lease that could not be released, an add won and given back.
   * Retried across reconnections until the server answers (see {@link Cleanups}).
   */
  void releaseIfOwnedOn(NodeClient node, String name, byte[] token) {
    cleanups.deleteIfOwned(node, keys.lockKey(name), token, true);
  }

  /**
   * Like {@link #releaseIfOwnedOn}, after an add whose outcome is unknown: the server may still run
   * it later (a paused server resuming), so the item is looked for as long as it could appear.
   */
  void cleanUpUnknown(NodeClient node, String name, byte[] token) {
    cleanups.deleteIfOwned(node, keys.lockKey(name), token, false);
  }

  /** Tells whether a cleanup of this lock item with this token is under way on {@code node}. */
  boolean cleaningUp(NodeClient node, String name, byte[] token) {
    return cleanups.pending(node, keys.lockKey(name), token);
  }

  @Override
  public CompletableFuture<Optional<LockInfo>> inspect(String name) {
    return inspectOn(cluster.nodeFor(keys.placementKey(name)), name);
  }

  /** Reads who holds a lock on one server. */
  CompletableFuture<Optional<LockInfo>> inspectOn(NodeClient node, String name) {
    Key key = keys.lockKey(name);
    return node.send(MetaGet.of(key).returnValue().returnTtl().returnCas(), timeoutNanos, -1)
        .thenApply(r -> info(name, node, r));
  }

  private static Optional<LockInfo> info(String name, NodeClient node, MetaResponse r) {
    if (r.status() != MetaStatus.VA) {
      return Optional.empty();
    }
    LockValue v = LockValue.decode(r.value());
    String holder = v == null ? "(not a memlock lock item: " + r.valueAsString() + ")" : v.holder();
    OptionalLong fence =
        v == null || v.fence() < 0 ? OptionalLong.empty() : OptionalLong.of(v.fence());
    long ttl = r.ttl();
    return Optional.of(
        new LockInfo(
            name,
            holder,
            fence,
            ttl < 0 ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.ofSeconds(ttl),
            node.address().toString()));
  }

  @Override
  public CompletableFuture<Optional<LockInfo>> forceRelease(String name) {
    return forceReleaseOn(cluster.nodeFor(keys.placementKey(name)), name);
  }

  /** Deletes a lock item on one server whoever holds it, returning what it held. */
  CompletableFuture<Optional<LockInfo>> forceReleaseOn(NodeClient node, String name) {
    Key key = keys.lockKey(name);
    // The CAS read is sent back only in the epoch it was read in.
    long epoch = node.epoch();
    return node.send(MetaGet.of(key).returnValue().returnTtl().returnCas(), timeoutNanos, epoch)
        .thenCompose(
            r -> {
              Optional<LockInfo> info = info(name, node, r);
              if (info.isEmpty()) {
                return CompletableFuture.completedFuture(info);
              }
              return node.send(MetaDelete.of(key).compareCas(r.cas()), timeoutNanos, epoch)
                  .thenCompose(
                      d ->
                          d.status() == MetaStatus.EX
                              ? forceReleaseOn(node, name)
                              : CompletableFuture.completedFuture(
                                  d.status() == MetaStatus.HD ? info : Optional.empty()));
            });
  }

  static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
