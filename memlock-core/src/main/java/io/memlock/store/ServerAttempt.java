package io.memlock.store;

import io.memlock.MemcachedProtocolException;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaArithmetic;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.Request;
import io.memlock.protocol.SetMode;
import io.memlock.store.LeaseStore.Attempt;
import io.memlock.store.LeaseStore.Outcome;
import io.memlock.transport.NodeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition attempt on one server (docs/PROTOCOL.md, "Acquire"): add the lock item, read (and
 * bump) the fence counter, check the item is still ours, in one write; then judge the replies. When
 * won, {@link Attempt#fence} is the counter's value.
 */
final class ServerAttempt {
  private static final byte[] WAITING = {'1'};
  private static final long WAITER_FLAG_TTL = 2;

  private final SingleServerStore store;
  private final ItemKeys keys;
  private final long timeoutNanos;

  ServerAttempt(SingleServerStore store, ItemKeys keys, long timeoutNanos) {
    this.store = store;
    this.keys = keys;
    this.timeoutNanos = timeoutNanos;
  }

  /** Sends the attempt's requests in one write and judges the replies. */
  CompletableFuture<Attempt> run(
      NodeClient node,
      long epoch,
      String name,
      LockValue value,
      long ttlSeconds,
      boolean announce) {
    Key lockKey = keys.lockKey(name);
    Key fenceKey = keys.fenceKey(name);
    List<Request<?>> requests = new ArrayList<>(4);
    requests.add(MetaSet.of(lockKey, value.encode()).mode(SetMode.ADD).ttl(ttlSeconds).returnCas());
    requests.add(
        MetaArithmetic.of(fenceKey).autoCreate(0).initial(store.wallMicros()).returnValue());
    requests.add(MetaGet.of(lockKey).returnCas().returnTtl().returnValue());
    if (announce) {
      requests.add(MetaSet.of(keys.waiterKey(name), WAITING).ttl(WAITER_FLAG_TTL).quiet());
    }
    List<CompletableFuture<?>> f = node.sendAll(requests, timeoutNanos, epoch);
    CompletableFuture<Attempt> result = new CompletableFuture<>();
    // Replies come in order, so when the last request is answered the others are too; a request
    // failed on its own (not written) is the exception, and then all of them are waited for.
    f.get(f.size() - 1)
        .whenComplete(
            (ignored, t) -> {
              if (allDone(f)) {
                judged(name, value, node, epoch, f, result);
              } else {
                CompletableFuture.allOf(f.toArray(new CompletableFuture<?>[0]))
                    .whenComplete((x, e) -> judged(name, value, node, epoch, f, result));
              }
            });
    return result;
  }

  private static boolean allDone(List<CompletableFuture<?>> f) {
    for (CompletableFuture<?> x : f) {
      if (!x.isDone()) {
        return false;
      }
    }
    return true;
  }

  private void judged(
      String name,
      LockValue value,
      NodeClient node,
      long epoch,
      List<CompletableFuture<?>> f,
      CompletableFuture<Attempt> result) {
    try {
      result.complete(judge(name, value, node, epoch, f));
    } catch (RuntimeException e) {
      // Never leave the attempt without an outcome: a hang would hold the lock's queue.
      store.cleanUpUnknown(node, name, value.token());
      result.complete(Attempt.unavailable(e));
    }
  }

  private Attempt judge(
      String name, LockValue value, NodeClient node, long epoch, List<CompletableFuture<?>> f) {
    MetaResponse add;
    try {
      add = (MetaResponse) f.get(0).join();
    } catch (CompletionException e) {
      // The add may or may not have happened, or happen later: clean up if it does.
      store.cleanUpUnknown(node, name, value.token());
      return Attempt.unavailable(e.getCause());
    }
    // The check may have failed although the add was answered (the connection was cut between).
    MetaResponse check =
        f.get(2).isCompletedExceptionally() ? null : (MetaResponse) f.get(2).getNow(null);
    if (add.status() == MetaStatus.NS) {
      if (check == null) {
        return Attempt.busy(null, -2);
      }
      if (check.status() == MetaStatus.EN) {
        return Attempt.VANISHED_ATTEMPT;
      }
      LockValue holder = LockValue.decode(check.value());
      return Attempt.busy(
          holder == null ? "(not a memlock lock item)" : holder.holder(), check.ttl());
    }
    if (add.status() != MetaStatus.HD) {
      return Attempt.unavailable(
          new MemcachedProtocolException("add of " + keys.lockKey(name) + " answered " + add));
    }
    long cas = add.cas();
    if (check == null || f.get(1).isCompletedExceptionally()) {
      // Won, but the fence or the check is missing (the connection may be cut): give it back.
      store.releaseIfOwnedOn(node, name, value.token());
      Throwable why = exception(f.get(1));
      return Attempt.unavailable(why != null ? why : exception(f.get(2)));
    }
    if (check.status() != MetaStatus.VA || check.cas() != cas) {
      // Someone deleted our item and may hold the lock now; our fence would not be in order.
      return Attempt.VANISHED_ATTEMPT;
    }
    MetaResponse counter = (MetaResponse) f.get(1).join();
    long fence;
    try {
      fence = counter.valueAsNumber();
    } catch (MemcachedProtocolException e) {
      store.releaseIfOwnedOn(node, name, value.token());
      return Attempt.unavailable(e);
    }
    if (fence < 0 || fence > Long.MAX_VALUE / LockConfig.FENCE_SCALE) {
      store.releaseIfOwnedOn(node, name, value.token());
      return Attempt.unavailable(
          new MemcachedProtocolException(
              "fence counter " + keys.fenceKey(name) + " is out of range: " + counter));
    }
    return new Attempt(
        Outcome.WON, new SingleServerStore.ServerLease(node, epoch, cas), fence, null, 0, null);
  }

  private static @Nullable Throwable exception(CompletableFuture<?> f) {

    try {
      f.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
