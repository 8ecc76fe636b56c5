package io.memlock.engine;

import io.memlock.ClientClosedException;
import io.memlock.store.LeaseStore;
import io.memlock.store.LockValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One attempt to get a lock, from queueing for the local baton to winning the lock item or giving
 * up at the deadline. Asynchronous: the blocking API waits on {@link #result}, which completes with
 * the handle, or with null when the lock was not acquired (see {@link #lastHolder} and {@link
 * #lastError}).
 */
public final class Acquisition implements LockAttempt {
  final LockEngine engine;
  final LockState state;
  final long deadline;
  final boolean forever;
  final boolean once;
  final long ttlSeconds;
  final boolean watchdog;
  final String holder;
  final CompletableFuture<LockHandleImpl> result = new CompletableFuture<>();
  private final Backoff backoff;

  // Guarded by this.
  private @Nullable CompletableFuture<Boolean> batonWait;
  private boolean hasBaton;
  private boolean done;
  private boolean inFlight;
  private @Nullable ScheduledFuture<?> retryTask;
  private @Nullable ScheduledFuture<?> deadlineTask;
  private @Nullable String lastHolder;
  private long lastTtl = -2;
  private @Nullable Throwable lastError;

  Acquisition(
      LockEngine engine,
      LockState state,
      long waitNanos,
      boolean forever,
      long ttlSeconds,
      boolean watchdog,
      String holder) {
    this.engine = engine;
    this.state = state;
    this.forever = forever;
    this.once = !forever && waitNanos <= 0;
    this.deadline = engine.config.ticker().read() + Math.max(0, waitNanos);
    this.ttlSeconds = ttlSeconds;
    this.watchdog = watchdog;
    this.holder = holder;
    this.backoff = new Backoff(engine.config, deadline, forever);
  }

  /** Starts; returns false (doing nothing) if the lock state was retired meanwhile. */
  boolean start() {
    if (once) {
      if (!state.baton.tryAcquire()) {
        if (state.baton.isRetired()) {
          return false;
        }
        complete(null);
        return true;
      }
      synchronized (this) {
        hasBaton = true;
      }
      onBaton();
      return true;
    }
    CompletableFuture<Boolean> wait = state.baton.acquire();
    if (wait == null) {
      return false;
    }
    synchronized (this) {
      batonWait = wait;
      if (!forever) {
        long delay = deadline - engine.config.ticker().read();
        deadlineTask = engine.scheduler.schedule(this::expire, delay, TimeUnit.NANOSECONDS);
      }
    }
    if (wait.isDone()) {
      // Granted at once (the common case): no continuation to allocate.
      if (!wait.isCompletedExceptionally()) {
        batonGranted(wait.getNow(false));
      }
    } else {
      wait.thenAccept(this::batonGranted);
    }
    return true;
  }

  private void batonGranted(boolean granted) {
    if (granted) {
      synchronized (this) {
        hasBaton = true;
      }
      onBaton();
    }
  }

  private void onBaton() {
    if (giveBackIfDone()) {
      return;
    }
    Hold r = state.takeRetained();
    if (r != null) {
      if (r.isValidFor(engine.config.ticker().read(), state.handoffMargin(r))) {
        LockHandleImpl h = state.handOff(r);
        if (!complete(h)) {
          h.releaseInternally();
        }
        return;
      }
      r.release().whenComplete((v, t) -> attempt());
      return;
    }
    long yield = state.yieldUntil - engine.config.ticker().read();
    if (!once && yield > 0) {
      // A release of this client just saw waiters of other clients: give them the first turn.
      synchronized (this) {
        if (!done) {
          retryTask = engine.scheduler.schedule(this::attempt, yield, TimeUnit.NANOSECONDS);
          return;
        }
      }
    }
    attempt();
  }

  private void attempt() {
    if (giveBackIfDone()) {
      return;
    }
    LockValue value;
    boolean announce;
    synchronized (this) {
      retryTask = null;
      inFlight = true;
      announce = backoff.attempt() > 0;
      value = new LockValue(engine.newToken(), -1, holder);
    }
    long t0 = engine.config.ticker().read();
    state
        .store
        .tryAcquire(state.name, value, ttlSeconds, announce)
        .whenComplete(
            (a, t) -> {
              backoff.took(engine.config.ticker().read() - t0);
              attempted(a != null ? a : LeaseStore.Attempt.unavailable(t), value, t0, announce);
            });
  }

  private void attempted(LeaseStore.Attempt a, LockValue value, long t0, boolean announced) {
    if (a.outcome() == LeaseStore.Outcome.WON) {
      Hold hold =
          new Hold(
              engine,
              state,
              a.wonLease(),
              a.fence(),
              value,
              ttlSeconds,
              watchdog,
              t0 + engine.config.validityNanos(ttlSeconds));
      if (!hold.isValid(engine.config.ticker().read())) {
        wonTooLate(hold, t0);
        return;
      }
      LockHandleImpl h = state.newHold(hold);
      engine.watchdog.register(hold);
      if (announced) {
        // This waiter announced itself; others re-announce at their next poll.
        state.store.clearWaiterFlag(state.name);
      }
      boolean abandoned;
      synchronized (this) {
        inFlight = false;
        abandoned = done;
      }
      if (abandoned || !complete(h)) {
        h.releaseInternally();
      }
      return;
    }
    boolean retryNow = false;
    boolean stopped = false;
    boolean scheduled = false;
    long delay = 0;
    synchronized (this) {
      inFlight = false;
      if (a.outcome() == LeaseStore.Outcome.BUSY) {
        lastHolder = a.holder();
        lastTtl = a.holderTtlSeconds();
        lastError = null;
      } else if (a.outcome() == LeaseStore.Outcome.UNAVAILABLE) {
        lastError = a.error();
      }
      stopped = done;
      long now = engine.config.ticker().read();
      if (stopped || once || (!forever && deadline - now <= 0)) {
        // give up below
      } else if (backoff.retryAtOnce(a)) {
        retryNow = true;
      } else {
        delay = backoff.delay(a, now);
        retryTask = engine.scheduler.schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
        scheduled = true;
      }
    }
    if (scheduled) {
      if (a.outcome() == LeaseStore.Outcome.BUSY) {
        engine.listeners.lockPolled(state.name);
      }
      return;
    }
    if (stopped) {
      giveBackIfDone();
    } else if (retryNow) {
      attempt();
    } else {
      complete(null);
    }
  }

  /**
   * The add won, but its reply came after the lease's validity: the lease cannot be trusted, so it
   * is not handed out. Its item is deleted (comparing its CAS), then the acquisition retries if its
   * wait allows, or gives up as unavailable.
   */
  private void wonTooLate(Hold hold, long t0) {
    long took = engine.config.ticker().read() - t0;
    Throwable late = LockErrors.wonTooLate(took, engine.config.validityNanos(ttlSeconds));
    hold.release()
        .whenComplete(
            (v, t) -> {
              long delay = -1;
              boolean stopped;
              synchronized (this) {
                inFlight = false;
                lastHolder = null;
                lastTtl = -2;
                lastError = late;
                stopped = done;
                long now = engine.config.ticker().read();
                if (!stopped && !once && (forever || deadline - now > 0)) {
                  delay = backoff.delay(LeaseStore.Attempt.unavailable(late), now);
                  retryTask = engine.scheduler.schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
                }
              }
              if (stopped) {
                giveBackIfDone();
              } else if (delay < 0) {
                complete(null);
              }
            });
  }

  /** The deadline passed: stop, whatever is under way. */
  private void expire() {
    abandon();
  }

  /**
   * Stops the acquisition: completes {@link #result} with null unless it already has a handle. A
   * lease won afterwards is released.
   *
   * @return the handle if the acquisition had already succeeded, else null
   */
  @Override
  public @Nullable LockHandleImpl abandon() {
    return stop(null);
  }

  @Override
  public CompletableFuture<LockHandleImpl> result() {
    return result;
  }

  /** Stops the acquisition because the client closes. */
  @Override
  public void close() {
    stop(
        new ClientClosedException(
            "memlock client closed while acquiring lock '" + state.name + "'"));
  }

  private @Nullable LockHandleImpl stop(@Nullable Throwable failure) {
    boolean releaseBaton = false;
    synchronized (this) {
      if (!done) {
        done = true;
        if (deadlineTask != null) {
          deadlineTask.cancel(false);
        }
        if (retryTask != null) {
          // If the retry already started, attempt() sees done and gives the baton back.
          if (retryTask.cancel(false)) {
            releaseBaton = hasBaton;
            hasBaton = false;
          }
          retryTask = null;
        } else if (!hasBaton && batonWait != null) {
          // If the baton was granted at this very moment, onBaton() sees done and gives it back.
          state.baton.withdraw(batonWait);
        }
        // With an attempt in flight, attempted() sees done and releases what it won.
      }
    }
    if (releaseBaton) {
      state.baton.release();
      state.checkOrphan();
    }
    if (failure != null) {
      result.completeExceptionally(failure);
    } else {
      result.complete(null);
    }
    engine.finished(this);
    return result.isCompletedExceptionally() ? null : result.getNow(null);
  }

  /**
   * If the acquisition was stopped, gives the baton back (outside the monitor, since the release
   * may run the next waiter) and returns true.
   */
  private boolean giveBackIfDone() {
    synchronized (this) {
      if (!done) {
        return false;
      }
      if (!hasBaton) {
        return true;
      }
      hasBaton = false;
    }
    state.baton.release();
    state.checkOrphan();
    return true;
  }

  /** Completes with a handle, or with null (then the baton is given back). */
  private boolean complete(@Nullable LockHandleImpl h) {

    boolean releaseBaton = false;
    synchronized (this) {
      if (done) {
        return false;
      }
      done = true;
      if (deadlineTask != null) {
        deadlineTask.cancel(false);
      }
      if (h == null && hasBaton) {
        hasBaton = false;
        releaseBaton = true;
      }
    }
    engine.finished(this);
    if (releaseBaton) {
      state.baton.release();
      state.checkOrphan();
    }
    return result.complete(h);
  }

  @Override
  public synchronized @Nullable String lastHolder() {
    return lastHolder;
  }

  @Override
  public synchronized long lastTtl() {
    return lastTtl;
  }

  @Override
  public synchronized @Nullable Throwable lastError() {
    return lastError;
  }

  synchronized int attempts() {
    return backoff.attempts();
  }
}
