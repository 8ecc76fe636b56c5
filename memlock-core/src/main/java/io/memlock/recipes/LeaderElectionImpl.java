package io.memlock.recipes;

import io.memlock.ClientClosedException;
import io.memlock.LeaderElection;
import io.memlock.LeadershipListener;
import io.memlock.LockHandle;
import io.memlock.LockInfo;
import io.memlock.MemLockException;
import io.memlock.MemLockTimeoutException;
import io.memlock.engine.DistributedLockImpl;
import io.memlock.engine.LockEngine;
import io.memlock.engine.SerialExecutor;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A leader election participant: queues for the lease of its lock with the async handle API; the
 * hold's lease is the leadership, its fencing token the term. A lost lease revokes and re-queues.
 * Listener calls go through one serial executor over the client's callback executor.
 */
final class LeaderElectionImpl implements LeaderElection {
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
  private static final long MIN_YIELD_PAUSE_MILLIS = 250;

  private final LockEngine engine;
  private final DistributedLockImpl lock;
  private final String id;
  private final SerialExecutor events;
  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();

  // Guarded by this.
  private boolean started;
  private boolean closed;
  private @Nullable CompletableFuture<LockHandle> queued;
  private @Nullable LockHandle leadership;
  private long term = -1;

  LeaderElectionImpl(LockEngine engine, DistributedLockImpl lock, String id) {
    this.engine = engine;
    this.lock = lock;
    this.id = id;
    this.events = new SerialExecutor(engine.callbacks);
  }

  @Override
  public String name() {
    return lock.name();
  }

  @Override
  public String participantId() {
    return id;
  }

  @Override
  public synchronized void addListener(LeadershipListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    if (leadership != null) {
      long t = term;
      events.execute(() -> listener.granted(t));
    }
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("leader election '" + name() + "' is closed");
    }
    if (!started) {
      started = true;
      queue();
    }
  }

  /** Queues for the lease in the background. Called holding this. */
  private void queue() {
    if (closed) {
      return;
    }
    CompletableFuture<LockHandle> attempt;
    try {
      attempt = lock.acquireAsync(FOREVER, id);
    } catch (ClientClosedException e) {
      return;
    }
    queued = attempt;
    // acquireAsync completes on the callback executor, never on an I/O or scheduler thread.
    attempt.whenComplete((h, t) -> acquired(attempt, h));
  }

  /** The attempt ended: {@code h} is null when it failed or gave up (the failure needs no more). */
  private void acquired(CompletableFuture<LockHandle> attempt, @Nullable LockHandle h) {

    synchronized (this) {
      if (attempt != queued) {
        releaseQuietly(h);
        return;
      }
      queued = null;
      if (h == null) {
        if (!closed && !engine.isClosed()) {
          // Not a client close: try again after a pause rather than spin.
          Executor later =
              CompletableFuture.delayedExecutor(
                  yieldPauseMillis(), TimeUnit.MILLISECONDS, engine.callbacks);
          later.execute(this::requeue);
        }
        return;
      }
      if (closed) {
        releaseQuietly(h);
        return;
      }
      leadership = h;
      term = h.fencingToken();
      long granted = term;
      // The listeners as of now: one added later hears this grant from addListener instead.
      List<LeadershipListener> told = List.copyOf(listeners);
      events.execute(() -> told.forEach(l -> l.granted(granted)));
      notifyAll();
    }
    // A loss before this line is reported at once.
    h.onLost((handle, cause) -> lost(handle));
  }

  private synchronized void requeue() {
    if (started && queued == null && leadership == null) {
      queue();
    }
  }

  /**
   * The lease was lost (renewal failed, or it ran out by this client's clock): revoke, re-queue.
   */
  private synchronized void lost(LockHandle h) {
    if (leadership != h) {
      return;
    }
    stepDown();
    releaseQuietly(h);
    queue();
  }

  /** Ends the current leadership locally and tells the listeners. Called holding this. */
  private void stepDown() {
    leadership = null;
    term = -1;
    List<LeadershipListener> told = List.copyOf(listeners);
    events.execute(() -> told.forEach(LeadershipListener::revoked));
    notifyAll();
  }

  private static void releaseQuietly(@Nullable LockHandle h) {
    if (h != null) {
      // Completes with LockLostException when the lease was lost: nothing more to do then.
      h.releaseAsync().exceptionally(t -> null);
    }
  }

  @Override
  public synchronized boolean isLeader() {
    return leadership != null && leadership.isHeld();
  }

  @Override
  public synchronized long term() {
    return isLeader() ? term : -1;
  }

  @Override
  public boolean awaitLeadership(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      if (!started) {
        throw new IllegalStateException(
            "leader election '" + name() + "' is not started: call start() first");
      }
      while (!isLeader()) {
        long left = deadline - System.nanoTime();
        if (closed || left <= 0) {
          return false;
        }
        // A leadership that runs out unnoticed still ends the wait: re-check at least every 100 ms.
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
      return true;
    }
  }

  @Override
  public boolean yieldLeadership() {
    LockHandle h;
    synchronized (this) {
      h = leadership;
      if (h == null) {
        return false;
      }
      stepDown();
    }
    h.releaseAsync()
        .whenComplete(
            (ignored, t) ->
                CompletableFuture.delayedExecutor(
                        yieldPauseMillis(), TimeUnit.MILLISECONDS, engine.callbacks)
                    .execute(this::requeue));
    return true;
  }

  private long yieldPauseMillis() {
    return Math.max(MIN_YIELD_PAUSE_MILLIS, 8 * engine.config.retryMax().toMillis());
  }

  @Override
  public Optional<String> leader() {
    long timeout = engine.config.requestTimeout().toNanos() * 4;
    try {
      return engine.inspect(name()).get(timeout, TimeUnit.NANOSECONDS).map(LockInfo::holder);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemLockException("interrupted", e);
    } catch (TimeoutException e) {
      throw new MemLockTimeoutException(
          "no answer within " + Duration.ofNanos(timeout) + " reading the leader of " + name());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new MemLockException(cause.toString(), cause);
    }
  }

  @Override
  public void close() {
    LockHandle h;
    CompletableFuture<LockHandle> attempt;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      attempt = queued;
      queued = null;
      h = leadership;
      if (h != null) {
        stepDown();
      }
    }
    engine.forget(this);
    if (attempt != null) {
      // Abandons the attempt; a hold won meanwhile is released.
      attempt.cancel(false);
    }
    if (h != null) {
      try {
        h.releaseAsync().get(engine.config.requestTimeout().toNanos() * 2, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Lost already, or memcached did not answer: the item expires with its lease.
      }
    }
  }

  @Override
  public String toString() {
    return "LeaderElection[" + name() + ", " + id + "]";
  }
}
