package io.memlock.engine;

import io.memlock.store.LeaseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The lock states of one engine, by store and name: made on first use, dropped by the idle sweep
 * when nobody uses them, and released all together when the client closes.
 */
final class LockStates {
  /** A lock state's identity: user locks and synchronizer items may share a name. */
  private record StateKey(LeaseStore store, String name) {}

  private final LockEngine engine;
  private final ConcurrentHashMap<StateKey, LockState> states = new ConcurrentHashMap<>();

  LockStates(LockEngine engine) {
    this.engine = engine;
  }

  /** Returns the state of the lock item {@code name} of the store {@code in}, made if absent. */
  LockState get(LeaseStore in, String name) {
    return states.computeIfAbsent(new StateKey(in, name), k -> new LockState(engine, name, in));
  }

  /**
   * Drops the states of names nobody uses now; a later use makes a new one. A state seen held
   * without a lock is passed over (it is not idle, and a stale look only delays its retirement to
   * the next sweep), so a client holding many locks does not lock each map bin every sweep.
   */
  void sweepIdle() {
    states.forEach(
        (key, state) -> {
          if (state.mayBeIdle()) {
            states.computeIfPresent(key, (k, s) -> s.retireIfIdle() ? null : s);
          }
        });
  }

  /**
   * Releases every hold of every state as the client closes, waiting up to {@code timeoutMillis};
   * then completes the {@code ended()} futures of the handles so closed, on this thread.
   */
  void releaseAllOnClose(long timeoutMillis) {
    List<LockHandleImpl> closedHandles = new ArrayList<>();
    CompletableFuture<?>[] releases =
        states.values().stream()
            .map(s -> s.releaseAllOnClose(closedHandles))
            .toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(releases).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Whatever is not released expires with its TTL.
    }
    synchronized (closedHandles) {
      // Their ended() futures complete before close() returns, on this thread.
      closedHandles.forEach(LockHandleImpl::closed);
    }
  }
}
