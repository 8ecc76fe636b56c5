package io.memlock.store;

import io.memlock.LockInfo;
import io.memlock.LockUnavailableException;
import io.memlock.cluster.Cluster;
import io.memlock.cluster.NodeHealth;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaArithmetic;
import io.memlock.protocol.MetaStatus;
import io.memlock.transport.NodeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Leases on a majority of a name's replicas (quorum mode). Each name lives on R consecutive
 * distinct servers of the ring. An acquisition runs the single-server attempt on every replica that
 * may take acquisitions (connected, past its restart grace) at once, and wins when a majority of
 * all R replicas won within the lease's validity; partial wins are undone.
 *
 * <p>Fences: each replica's attempt bumps that replica's counter while the item is ours there. The
 * fence is the largest value seen; before the hold counts, every won replica whose counter is below
 * the fence is raised to it ({@code ma D<difference>}), and a majority must end at or above it. Any
 * later holder wins a majority that shares a replica with that majority; on it, the later holder's
 * bump comes after our raise (our item sat there until we released it or it expired), so its fence
 * is larger. See docs/CLUSTER.md.
 */
final class QuorumStore implements LeaseStore {
  private final Cluster cluster;
  private final ItemKeys keys;
  private final SingleServerStore single;
  final LockConfig config;
  private final long timeoutNanos;

  QuorumStore(Cluster cluster, ItemKeys keys, SingleServerStore single, LockConfig config) {
    this.cluster = cluster;
    this.keys = keys;
    this.single = single;
    this.config = config;
    this.timeoutNanos = config.requestTimeout().toNanos();
  }

  static int majority(int n) {
    return n / 2 + 1;
  }

  @Override
  public CompletableFuture<Attempt> tryAcquire(
      String name, LockValue value, long ttlSeconds, boolean announce) {
    long t0 = config.ticker().read();
    List<NodeHealth> replicas = cluster.replicasFor(keys.placementKey(name));
    int quorum = majority(replicas.size());
    List<CompletableFuture<Attempt>> attempts = new ArrayList<>();
    List<NodeClient> asked = new ArrayList<>();
    List<String> unusable = new ArrayList<>();
    boolean flagged = false;
    for (NodeHealth h : replicas) {
      long epoch = h.acquirableEpoch();
      if (epoch < 0) {
        unusable.add(h.whyNot());
        continue;
      }
      boolean announceHere = announce && !flagged;
      flagged |= announceHere;
      asked.add(h.node());
      attempts.add(single.tryAcquireOn(h.node(), epoch, name, value, ttlSeconds, announceHere));
    }
    if (asked.size() < quorum) {
      return CompletableFuture.completedFuture(
          Attempt.unavailable(
              new LockUnavailableException(
                  "lock needs "
                      + quorum
                      + " of its "
                      + replicas.size()
                      + " servers and only "
                      + asked.size()
                      + " can take acquisitions: "
                      + String.join("; ", unusable),
                  null)));
    }
    QuorumVote vote =
        new QuorumVote(
            this, name, value, t0, ttlSeconds, replicas.size(), attempts.size(), unusable);
    for (CompletableFuture<Attempt> a : attempts) {
      a.whenComplete(
          (attempt, t) -> vote.arrive(attempt != null ? attempt : Attempt.unavailable(t)));
    }
    return vote.result;
  }

  /**
   * A replica won after the majority joins the lease once its fence counter is at or above the
   * lease's fence, like a replica taken back ({@link #rejoin}); if the raise fails or the lease is
   * being released, the win is given back. Raising it also keeps the replicas' counters equal, so
   * that the next acquisition usually finds nothing to raise and takes one round trip.
   */
  void joinLate(String name, LockValue value, QuorumLease q, Attempt a) {
    SingleServerStore.ServerLease l = (SingleServerStore.ServerLease) a.wonLease();
    if (q.isClosed()) {
      // Released already: nothing to join, nothing to raise.
      giveBack(name, value, l);
      return;
    }
    if (a.fence() >= q.fence) {
      if (!q.adopt(l)) {
        giveBack(name, value, l);
      }
      return;
    }
    raise(name, l, a.fence(), q.fence)
        .thenAccept(
            raisedToFence -> {
              if (!raisedToFence || !q.adopt(l)) {
                giveBack(name, value, l);
              }
            });
  }

  /** Raises one won replica's fence counter to {@code fence}; true when it is at or above it. */
  CompletableFuture<Boolean> raise(
      String name, SingleServerStore.ServerLease lease, long counter, long fence) {
    if (counter >= fence) {
      return CompletableFuture.completedFuture(true);
    }
    Key fenceKey = keys.fenceKey(name);
    MetaArithmetic bump =
        MetaArithmetic.of(fenceKey)
            .autoCreate(0)
            .initial(Math.max(fence, single.wallMicros()))
            .delta(fence - counter)
            .returnValue();
    return lease
        .node
        .send(bump, timeoutNanos, -1)
        .handle(
            (r, t) -> {
              if (t != null || r.status() != MetaStatus.VA) {
                return false;
              }
              try {
                return r.valueAsNumber() >= fence;
              } catch (RuntimeException e) {
                return false;
              }
            });
  }

  /** Gives back the replicas won by an attempt that did not win a majority. */
  void undo(String name, LockValue value, List<Attempt> won) {
    for (Attempt a : won) {
      giveBack(name, value, (SingleServerStore.ServerLease) a.wonLease());
    }
  }

  /**
   * Deletes our item on one replica; if the delete's outcome is unknown (the connection was cut,
   * the server stalled), deletes it later if it still carries our token.
   */
  void giveBack(String name, LockValue value, SingleServerStore.ServerLease l) {
    single
        .release(name, l, value)
        .thenAccept(
            r -> {
              if (r.result() == Result.FAILED) {
                single.releaseIfOwnedOn(l.node, name, value.token());
              }
            });
  }

  @Override
  public void clearWaiterFlag(String name) {
    for (NodeHealth h : cluster.replicasFor(keys.placementKey(name))) {
      h.node()
          .send(io.memlock.protocol.MetaDelete.of(keys.waiterKey(name)).quiet(), timeoutNanos, -1);
    }
  }

  @Override
  public CompletableFuture<Report> renew(
      String name, Lease lease, LockValue value, long ttlSeconds) {
    QuorumLease q = (QuorumLease) lease;
    QuorumTally tally = new QuorumTally(q, "renewal");
    for (SingleServerStore.ServerLease l : List.copyOf(q.replicas)) {
      tally.add(l, single.renew(name, l, value, ttlSeconds));
    }
    rejoin(name, q, value, ttlSeconds);
    return tally.start();
  }

  /**
   * Takes back the replicas the lease lacks (down or in their restart grace when it was won, or
   * lost since), so that it survives the next fault: on each that may take acquisitions again, adds
   * the lock item with the lease's value when it is free there. A win has its fence counter raised
   * to the lease's fence and joins the lease; it counts from the next renewal on.
   */
  private void rejoin(String name, QuorumLease q, LockValue value, long ttlSeconds) {
    List<NodeHealth> replicas = cluster.replicasFor(keys.placementKey(name));
    if (q.replicas.size() >= replicas.size()) {
      return;
    }
    for (NodeHealth h : replicas) {
      NodeClient node = h.node();
      // A cleanup of an earlier item with this token would delete the new one: wait for it.
      if (q.holds(node) || single.cleaningUp(node, name, value.token()) || !q.startRejoin(node)) {
        continue;
      }
      long epoch = h.acquirableEpoch();
      if (epoch < 0) {
        q.endRejoin(node);
        continue;
      }
      single
          .tryAcquireOn(node, epoch, name, value, ttlSeconds, false)
          .thenCompose(
              a -> {
                if (a.outcome() != Outcome.WON) {
                  return CompletableFuture.completedFuture(null);
                }
                SingleServerStore.ServerLease l = (SingleServerStore.ServerLease) a.wonLease();
                return raise(name, l, a.fence(), q.fence)
                    .thenApply(
                        raised -> {
                          if (!raised) {
                            giveBack(name, value, l);
                            return null;
                          }
                          return l;
                        });
              })
          .whenComplete(
              (l, t) -> {
                q.endRejoin(node);
                if (l != null && !q.adopt(l)) {
                  giveBack(name, value, l);
                }
              });
    }
  }

  @Override
  public CompletableFuture<Report> retire(
      String name, Lease lease, LockValue ownerless, long ttlSeconds) {
    QuorumLease q = (QuorumLease) lease;
    QuorumTally tally = new QuorumTally(q, "release");
    for (SingleServerStore.ServerLease l : q.close()) {
      tally.add(l, single.renew(name, l, ownerless, ttlSeconds));
    }
    return tally.start();
  }

  @Override
  public CompletableFuture<Report> release(String name, Lease lease, LockValue value) {
    QuorumLease q = (QuorumLease) lease;
    QuorumTally tally = new QuorumTally(q, "release");
    for (SingleServerStore.ServerLease l : q.close()) {
      CompletableFuture<Report> r = single.release(name, l, value);
      // A replica that could not be reached is cleaned up later, if the item is still ours.
      r.thenAccept(
          report -> {
            if (report.result() == Result.FAILED) {
              single.releaseIfOwnedOn(l.node, name, value.token());
            }
          });
      tally.add(l, r);
    }
    return tally.start();
  }

  @Override
  public void releaseIfOwned(String name, byte[] token) {
    for (NodeHealth h : cluster.replicasFor(keys.placementKey(name))) {
      single.releaseIfOwnedOn(h.node(), name, token);
    }
  }

  @Override
  public CompletableFuture<Optional<LockInfo>> inspect(String name) {
    List<NodeHealth> replicas = cluster.replicasFor(keys.placementKey(name));
    List<CompletableFuture<Optional<LockInfo>>> reads = new ArrayList<>();
    for (NodeHealth h : replicas) {
      reads.add(single.inspectOn(h.node(), name).exceptionally(t -> null));
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              List<Optional<LockInfo>> seen = reads.stream().map(CompletableFuture::join).toList();
              long answered = seen.stream().filter(o -> o != null).count();
              if (answered < majority(replicas.size())) {
                throw new LockUnavailableException(
                    "lock '"
                        + name
                        + "': only "
                        + answered
                        + " of its "
                        + replicas.size()
                        + " servers answered",
                    null);
              }
              return majorityHolder(name, seen, replicas.size());
            });
  }

  /** The holder found on a majority of the replicas, with the servers it was found on. */
  private static Optional<LockInfo> majorityHolder(
      String name, List<Optional<LockInfo>> seen, int total) {
    Map<String, List<LockInfo>> byHolder = new LinkedHashMap<>();
    for (Optional<LockInfo> o : seen) {
      if (o != null && o.isPresent()) {
        LockInfo i = o.get();
        byHolder
            .computeIfAbsent(i.holder() + "\u0000" + i.fencingToken(), k -> new ArrayList<>())
            .add(i);
      }
    }
    for (List<LockInfo> infos : byHolder.values()) {
      if (infos.size() >= majority(total)) {
        LockInfo first = infos.get(0);
        Duration ttl =
            infos.stream().map(LockInfo::leaseLeft).min(Duration::compareTo).orElseThrow();
        String servers = infos.stream().map(LockInfo::server).collect(Collectors.joining(","));
        return Optional.of(new LockInfo(name, first.holder(), first.fencingToken(), ttl, servers));
      }
    }
    return Optional.empty();
  }

  @Override
  public CompletableFuture<Optional<LockInfo>> forceRelease(String name) {
    List<NodeHealth> replicas = cluster.replicasFor(keys.placementKey(name));
    List<CompletableFuture<Optional<LockInfo>>> deletes = new ArrayList<>();
    for (NodeHealth h : replicas) {
      deletes.add(single.forceReleaseOn(h.node(), name).exceptionally(t -> null));
    }
    return CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              List<Optional<LockInfo>> seen =
                  deletes.stream().map(CompletableFuture::join).toList();
              if (seen.stream().allMatch(o -> o == null)) {
                throw new LockUnavailableException(
                    "lock '" + name + "': none of its servers answered", null);
              }
              Optional<LockInfo> holder = majorityHolder(name, seen, replicas.size());
              if (holder.isPresent()) {
                return holder;
              }
              return seen.stream()
                  .filter(o -> o != null && o.isPresent())
                  .findFirst()
                  .orElse(Optional.empty());
            });
  }
}
