package io.memlock.engine;

import io.memlock.LockUnavailableException;
import io.memlock.cluster.Cluster;
import io.memlock.cluster.NodeHealth;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.Request;
import io.memlock.transport.NodeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The reads of a synchronizer's items that its attempts make: one pipelined write to a server, or
 * to every replica of its home key with the replies merged.
 */
public final class ReplicaReads {
  private ReplicaReads() {}

  /** Sends requests in one write and completes with their replies, or with the first failure. */
  public static CompletableFuture<List<MetaResponse>> pipeline(
      NodeClient node, List<? extends Request<?>> requests, long timeoutNanos) {
    List<CompletableFuture<?>> f = node.sendAll(requests, timeoutNanos, -1);
    return CompletableFuture.allOf(f.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              List<MetaResponse> replies = new ArrayList<>(f.size());
              for (CompletableFuture<?> r : f) {
                replies.add((MetaResponse) r.join());
              }
              return replies;
            });
  }

  /**
   * Sends requests in one write to each replica of a synchronizer's home key and merges their
   * replies: for each request, a hit (any status but {@code EN}) from any replica wins, else the
   * miss. With one replica this is the home server alone. In quorum mode only replicas that may
   * take acquisitions (connected, past their restart grace) are asked, and it completes as soon as
   * a majority of all replicas answered: every lock item held on a majority is then seen, since the
   * two majorities share a server.
   */
  public static CompletableFuture<List<MetaResponse>> replicated(
      LockEngine engine, Key home, List<? extends Request<?>> requests) {
    long timeout = engine.config.requestTimeout().toNanos();
    Cluster cluster = engine.cluster();
    if (cluster.replicas() == 1) {
      return pipeline(cluster.nodeFor(home), requests, timeout);
    }
    List<NodeHealth> replicas = cluster.replicasFor(home);
    int quorum = replicas.size() / 2 + 1;
    List<NodeHealth> usable = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (NodeHealth h : replicas) {
      if (h.acquirableEpoch() >= 0) {
        usable.add(h);
      } else {
        why.add(h.whyNot());
      }
    }
    CompletableFuture<List<MetaResponse>> merged = new CompletableFuture<>();
    if (usable.size() < quorum) {
      merged.completeExceptionally(
          new LockUnavailableException(
              "needs "
                  + quorum
                  + " of its "
                  + replicas.size()
                  + " servers: "
                  + String.join("; ", why),
              null));
      return merged;
    }
    List<List<MetaResponse>> answers = new ArrayList<>();
    int[] failed = {0};
    for (NodeHealth h : usable) {
      pipeline(h.node(), requests, timeout)
          .whenComplete(
              (replies, t) -> {
                List<MetaResponse> result = null;
                Throwable failure = null;
                synchronized (answers) {
                  if (merged.isDone()) {
                    return;
                  }
                  if (t != null) {
                    failed[0]++;
                    why.add(String.valueOf(SyncAttempt.unwrap(t).getMessage()));
                    if (usable.size() - failed[0] < quorum) {
                      failure =
                          new LockUnavailableException(
                              "only "
                                  + (usable.size() - failed[0])
                                  + " of the "
                                  + quorum
                                  + " servers needed answered: "
                                  + String.join("; ", why),
                              SyncAttempt.unwrap(t));
                    }
                  } else {
                    answers.add(replies);
                    if (answers.size() >= quorum) {
                      result = merge(answers);
                    }
                  }
                }
                if (result != null) {
                  merged.complete(result);
                } else if (failure != null) {
                  merged.completeExceptionally(failure);
                }
              });
    }
    return merged;
  }

  private static List<MetaResponse> merge(List<List<MetaResponse>> answers) {
    List<MetaResponse> out = new ArrayList<>(answers.get(0));
    for (List<MetaResponse> replies : answers) {
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).status() == MetaStatus.EN && replies.get(i).status() != MetaStatus.EN) {
          out.set(i, replies.get(i));
        }
      }
    }
    return out;
  }
}
