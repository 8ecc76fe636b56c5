package io.memlock.store;

import io.memlock.LockUnavailableException;
import io.memlock.store.LeaseStore.Report;
import io.memlock.store.LeaseStore.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Combines the replicas' reports of a renewal or release as they arrive: OK as soon as a majority
 * of all replicas did it; LOST as soon as so many replicas lost the item that no majority can be
 * left; FAILED when every report is in and neither holds. Replicas that lost the item are dropped
 * from the lease.
 */
final class QuorumTally {
  private final QuorumLease lease;
  private final String what;
  private final List<SingleServerStore.ServerLease> replicas = new ArrayList<>();
  private final List<CompletableFuture<Report>> reports = new ArrayList<>();
  private final CompletableFuture<Report> result = new CompletableFuture<>();

  // Guarded by this.
  private int ok;
  private int failed;
  private int pending;
  private boolean othersWaiting;
  private @Nullable Throwable error;
  private final List<String> lost = new ArrayList<>();

  QuorumTally(QuorumLease lease, String what) {
    this.lease = lease;
    this.what = what;
  }

  void add(SingleServerStore.ServerLease replica, CompletableFuture<Report> report) {
    replicas.add(replica);
    reports.add(report);
  }

  CompletableFuture<Report> start() {
    synchronized (this) {
      pending = reports.size();
    }
    if (reports.isEmpty()) {
      result.complete(Report.lost("no replica holds the lock item any more"));
    }
    for (int i = 0; i < reports.size(); i++) {
      SingleServerStore.ServerLease replica = replicas.get(i);
      reports
          .get(i)
          .whenComplete(
              (r, t) ->
                  arrive(replica, r != null ? r : Report.failed(SingleServerStore.unwrap(t))));
    }
    return result;
  }

  private void arrive(SingleServerStore.ServerLease replica, Report r) {
    Report decided;
    synchronized (this) {
      pending--;
      othersWaiting |= r.othersWaiting();
      switch (r.result()) {
        case OK -> ok++;
        case FAILED -> {
          failed++;
          error = r.error();
        }
        case LOST -> {
          lost.add(replica.where() + ": " + r.detail());
          lease.replicas.remove(replica);
        }
      }
      decided = decide();
    }
    if (decided != null) {
      result.complete(decided);
    }
  }

  private @Nullable Report decide() {

    int quorum = QuorumStore.majority(lease.total);
    if (ok >= quorum) {
      return new Report(Result.OK, null, null, othersWaiting);
    }
    if (ok + failed + pending < quorum) {
      return Report.lost(
          "the lock item is gone from a majority of its servers at "
              + what
              + " ("
              + String.join("; ", lost)
              + ")");
    }
    if (pending > 0) {
      return null;
    }
    return Report.failed(
        error != null
            ? error
            : new LockUnavailableException(
                what + " reached only " + ok + " of the " + quorum + " servers needed", null));
  }
}
