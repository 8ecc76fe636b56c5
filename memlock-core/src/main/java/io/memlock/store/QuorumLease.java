package io.memlock.store;

import io.memlock.transport.NodeClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A lease of {@link QuorumStore}: the replicas the lock item was won on, each with its own CAS. */
final class QuorumLease implements LeaseStore.Lease {
  final List<SingleServerStore.ServerLease> replicas;
  final int total;

  /** The lease's fence: the counter value every replica it holds is raised to. */
  final long fence;

  private boolean closed;

  /** Replicas being taken back (guarded by this). */
  private final Set<NodeClient> rejoining = new HashSet<>();

  QuorumLease(List<SingleServerStore.ServerLease> replicas, int total, long fence) {
    this.replicas = new CopyOnWriteArrayList<>(replicas);
    this.total = total;
    this.fence = fence;
  }

  /** Whether the lease holds the item on {@code node}. */
  boolean holds(NodeClient node) {
    for (SingleServerStore.ServerLease l : replicas) {
      if (l.node == node) {
        return true;
      }
    }
    return false;
  }

  /** Marks {@code node} as being taken back; false if it already is, or the lease is over. */
  synchronized boolean startRejoin(NodeClient node) {
    return !closed && rejoining.add(node);
  }

  synchronized void endRejoin(NodeClient node) {
    rejoining.remove(node);
  }

  /** Adds a replica won after the majority; false once the lease is being released. */
  synchronized boolean adopt(SingleServerStore.ServerLease late) {
    if (closed) {
      return false;
    }
    replicas.add(late);
    return true;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Stops adopting replicas and returns the ones to release. */
  synchronized List<SingleServerStore.ServerLease> close() {
    closed = true;
    return List.copyOf(replicas);
  }

  @Override
  public String where() {
    return replicas.stream().map(SingleServerStore.ServerLease::where).toList()
        + " (a majority of "
        + total
        + " replicas)";
  }
}
