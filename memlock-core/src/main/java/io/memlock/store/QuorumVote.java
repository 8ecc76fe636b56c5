package io.memlock.store;

import io.memlock.LockUnavailableException;
import io.memlock.store.LeaseStore.Attempt;
import io.memlock.store.LeaseStore.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The answers of the replicas to one acquisition, decided as soon as a majority won (or can no
 * longer win): a slow or stalled replica does not hold the others up. A replica won after the
 * decision joins the lease, or is given back if there is none.
 */
final class QuorumVote {
  private final QuorumStore store;
  final String name;
  final LockValue value;
  final long t0;
  final long ttlSeconds;
  final int total;
  final List<String> unusable;
  final CompletableFuture<Attempt> result = new CompletableFuture<>();

  // Guarded by this.
  private final List<Attempt> arrived = new ArrayList<>();
  private final List<Attempt> won = new ArrayList<>();
  private int pending;
  private boolean decided;
  private @Nullable QuorumLease lease;

  private boolean failed;

  QuorumVote(
      QuorumStore store,
      String name,
      LockValue value,
      long t0,
      long ttlSeconds,
      int total,
      int asked,
      List<String> unusable) {
    this.store = store;
    this.name = name;
    this.value = value;
    this.t0 = t0;
    this.ttlSeconds = ttlSeconds;
    this.total = total;
    this.pending = asked;
    this.unusable = unusable;
  }

  void arrive(Attempt a) {
    int quorum = QuorumStore.majority(total);
    List<Attempt> raise = null;
    Attempt lost = null;
    boolean late;
    synchronized (this) {
      pending--;
      late = decided;
      if (!late) {
        arrived.add(a);
        if (a.outcome() == Outcome.WON) {
          won.add(a);
        }
        if (won.size() >= quorum) {
          decided = true;
          raise = List.copyOf(won);
        } else if (won.size() + pending < quorum) {
          decided = true;
          failed = true;
          lost = lostVote(arrived, unusable, quorum, total);
        }
      }
    }
    if (late) {
      arrivedLate(a);
    } else if (raise != null) {
      raiseFences(raise);
    } else if (lost != null) {
      store.undo(name, value, wonSoFar());
      result.complete(lost);
    }
  }

  private synchronized List<Attempt> wonSoFar() {
    return List.copyOf(won);
  }

  /**
   * An answer after the decision: a win joins the lease (see {@link QuorumStore#joinLate}), or is
   * given back.
   */
  private void arrivedLate(Attempt a) {
    if (a.outcome() != Outcome.WON) {
      return;
    }
    SingleServerStore.ServerLease l = (SingleServerStore.ServerLease) a.wonLease();
    QuorumLease q;
    synchronized (this) {
      if (lease == null && !failed) {
        // The fences are still being raised: the win is settled with the others.
        won.add(a);
        return;
      }
      q = lease;
    }
    if (q == null) {
      store.giveBack(name, value, l);
    } else {
      store.joinLate(name, value, q, a);
    }
  }

  private void raiseFences(List<Attempt> majority) {
    long fence = majority.stream().mapToLong(Attempt::fence).max().orElseThrow();
    List<CompletableFuture<Boolean>> raised = new ArrayList<>();
    for (Attempt a : majority) {
      raised.add(store.raise(name, (SingleServerStore.ServerLease) a.wonLease(), a.fence(), fence));
    }
    CompletableFuture.allOf(raised.toArray(new CompletableFuture<?>[0]))
        .whenComplete(
            (ignored, t) -> {
              try {
                raised(majority, raised, fence);
              } catch (RuntimeException e) {
                // Never leave the attempt without an outcome: a hang would hold the lock's queue.
                store.undo(name, value, wonSoFar());
                result.complete(Attempt.unavailable(e));
              }
            });
  }

  /** The fence raises are answered: the attempt wins, or is undone. */
  private void raised(List<Attempt> majority, List<CompletableFuture<Boolean>> raised, long fence) {
    int majoritySize = majority.size();
    long atFence = raised.stream().filter(CompletableFuture::join).count();
    boolean inTime = store.config.ticker().read() - t0 < store.config.validityNanos(ttlSeconds);
    List<Attempt> all;
    List<Attempt> behind = new ArrayList<>();
    QuorumLease won;
    synchronized (this) {
      all = List.copyOf(this.won);
      if (atFence >= QuorumStore.majority(total) && inTime) {
        List<SingleServerStore.ServerLease> leases = new ArrayList<>();
        for (Attempt a : all) {
          if (majority.contains(a) || a.fence() >= fence) {
            leases.add((SingleServerStore.ServerLease) a.wonLease());
          } else {
            // Won while the majority's fences were raised, and its counter is below the fence.
            behind.add(a);
          }
        }
        lease = new QuorumLease(leases, total, fence);
      } else {
        failed = true;
      }
      won = lease;
    }
    if (won != null) {
      result.complete(new Attempt(Outcome.WON, won, fence, null, 0, null));
      for (Attempt a : behind) {
        store.joinLate(name, value, won, a);
      }
      return;
    }
    store.undo(name, value, all);
    result.complete(
        inTime
            ? Attempt.unavailable(
                new LockUnavailableException(
                    "the fence counter could be raised on only "
                        + atFence
                        + " of the "
                        + majoritySize
                        + " servers won",
                    null))
            : Attempt.VANISHED_ATTEMPT);
  }

  /** The outcome of an attempt that won no majority. */
  private static Attempt lostVote(
      List<Attempt> results, List<String> unusable, int quorum, int total) {
    Attempt busy = null;
    long minTtl = Long.MAX_VALUE;
    int vanished = 0;
    List<String> errors = new ArrayList<>(unusable);
    for (Attempt a : results) {
      switch (a.outcome()) {
        case BUSY -> {
          if (busy == null || (a.holder() != null && busy.holder() == null)) {

            busy = a;
          }
          if (a.holderTtlSeconds() >= 0) {
            minTtl = Math.min(minTtl, a.holderTtlSeconds());
          }
        }
        case VANISHED -> vanished++;
        case UNAVAILABLE -> errors.add(a.error() == null ? "no answer" : a.error().getMessage());
        default -> {}
      }
    }
    if (busy != null) {
      // Someone holds the lock on at least one replica: that is the answer, whoever else failed.
      return Attempt.busy(busy.holder(), minTtl == Long.MAX_VALUE ? -2 : minTtl);
    }
    int answered = results.size() - (errors.size() - unusable.size());
    if (answered < quorum) {
      return Attempt.unavailable(
          new LockUnavailableException(
              "lock needs "
                  + quorum
                  + " of its "
                  + total
                  + " servers and only "
                  + answered
                  + " answered: "
                  + String.join("; ", errors),
              null));
    }
    return vanished > 0 ? Attempt.VANISHED_ATTEMPT : Attempt.busy(null, -2);
  }
}
