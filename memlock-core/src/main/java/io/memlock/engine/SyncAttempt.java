package io.memlock.engine;

import io.memlock.ClientClosedException;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.Request;
import io.memlock.store.LockValue;
import io.memlock.transport.NodeClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One acquisition of a synchronizer: a sequence of steps (reads of memcached, acquisitions of lock
 * items through the engine, waits) that ends with a hold, with null (busy or unavailable until the
 * deadline) or with a failure. Steps run one at a time, on the scheduler or on an I/O thread, and
 * never block. {@link #abandon()} and {@link #close()} may come from any thread: a step that
 * finishes afterwards releases whatever it won.
 */
public abstract class SyncAttempt implements LockAttempt {
  public final LockEngine engine;
  public final long deadline;
  public final boolean forever;
  public final boolean once;
  public final long ttlSeconds;
  public final boolean watchdog;
  public final CompletableFuture<LockHandleImpl> result = new CompletableFuture<>();

  // Guarded by this.
  private boolean done;
  private @Nullable ScheduledFuture<?> timer;
  private @Nullable ScheduledFuture<?> deadlineTask;
  private @Nullable LockAttempt sub;
  private @Nullable LockHandleImpl pending;
  private @Nullable LockHandleImpl won;
  private int backoffs;
  private @Nullable String lastHolder;
  private long lastTtl = -2;
  private @Nullable Throwable lastError;

  public SyncAttempt(
      LockEngine engine, long waitNanos, boolean forever, long ttlSeconds, boolean watchdog) {
    this.engine = engine;
    this.forever = forever;
    this.once = !forever && waitNanos <= 0;
    this.deadline = now() + Math.max(0, waitNanos);
    this.ttlSeconds = ttlSeconds;
    this.watchdog = watchdog;
  }

  /** Starts the attempt; returns it. */
  public final SyncAttempt start() {
    if (!engine.register(this)) {
      result.completeExceptionally(new ClientClosedException("memlock client is closed"));
      return this;
    }
    if (!forever && !once) {
      synchronized (this) {
        try {
          deadlineTask =
              engine.scheduler.schedule(this::expire, deadline - now(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
          // close() stops this attempt.
        }
      }
    }
    step(this::begin);
    return this;
  }

  /** The first step. */
  public abstract void begin();

  /**
   * The attempt ended without a hold (given up, abandoned, failed or closed): undo what it left in
   * memcached. Called once, without the monitor held.
   */
  public void stopped() {}

  // ---- state ----

  public final long now() {
    return engine.config.ticker().read();
  }

  public final synchronized boolean isDone() {
    return done;
  }

  /** The longest wait left for an engine acquisition started now. */
  public final long waitLeft() {
    return forever || once ? 0 : Math.max(0, deadline - now());
  }

  /** True when no further try may start: one attempt only, or the deadline passed. */
  public final boolean outOfTime() {
    return once || (!forever && deadline - now() <= 0);
  }

  /** Records what the last try found holding the synchronizer. */
  public final synchronized void busy(@Nullable String holder, long ttl) {
    lastHolder = holder;
    lastTtl = ttl;
    lastError = null;
  }

  public final synchronized void unavailable(@Nullable Throwable error) {
    lastError = error;
  }

  /** A hold this attempt won but has not handed out: released if the attempt ends otherwise. */
  public final synchronized void holding(@Nullable LockHandleImpl h) {
    pending = h;
  }

  // ---- steps ----

  /** Runs a step unless the attempt is over; a step that throws fails the attempt. */
  public final void step(Runnable r) {
    if (isDone()) {
      return;
    }
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      fail(e);
    }
  }

  /** Runs a step after a delay on the scheduler. */
  public final void later(Runnable r, long delayNanos) {
    synchronized (this) {
      if (done) {
        return;
      }
      try {
        timer =
            engine.scheduler.schedule(() -> step(r), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException closing) {
        // fall through
      }
    }
    fail(new ClientClosedException("memlock client is closed"));
  }

  /**
   * A try found the synchronizer busy or memcached unavailable: runs {@code r} again after a capped
   * exponential backoff with jitter (never past {@code capNanos} when positive, nor the deadline),
   * or gives up.
   */
  public final void retry(Runnable r, long capNanos) {
    if (outOfTime()) {
      finish(null);
      return;
    }
    later(r, backoff(capNanos));
  }

  /** Resets the backoff after progress. */
  public final synchronized void progressed() {
    backoffs = 0;
  }

  private long backoff(long capNanos) {
    long min = engine.config.retryMin().toNanos();
    long max = engine.config.retryMax().toNanos();
    int shift;
    synchronized (this) {
      shift = Math.min(backoffs++, 20);
    }
    long b = Math.min(max, min << shift);
    long delay = b / 2 + ThreadLocalRandom.current().nextLong(b / 2 + 1);
    if (capNanos > 0) {
      delay = Math.min(delay, capNanos);
    }
    if (!forever) {
      delay = Math.min(delay, deadline - now());
    }
    return Math.max(0, delay);
  }

  /**
   * Waits for an engine acquisition, then runs {@code then} with its handle (null when it was not
   * acquired; what it found is copied into this attempt). The handle is {@link #holding held} until
   * {@code then} finishes with it or hands it on. If this attempt ends first, the engine
   * acquisition is abandoned and a hold it wins is released.
   */
  public final void sub(LockAttempt a, Consumer<LockHandleImpl> then) {
    boolean over;
    synchronized (this) {
      over = done;
      if (!over) {
        sub = a;
      }
    }
    if (over) {
      releaseQuietly(a.abandon());
      return;
    }
    a.result()
        .whenComplete(
            (h, t) -> {
              boolean ended;
              synchronized (this) {
                if (sub == a) {
                  sub = null;
                }
                ended = done;
                if (!ended && h != null) {
                  // Until a step hands it out, stopping releases it.
                  pending = h;
                }
              }
              if (ended) {
                releaseQuietly(h);
                return;
              }
              if (t != null) {
                fail(t instanceof CompletionException c && c.getCause() != null ? c.getCause() : t);
                return;
              }
              if (h == null) {
                synchronized (this) {
                  if (a.lastError() != null && a.lastHolder() == null) {
                    lastError = a.lastError();
                  } else if (a.lastHolder() != null) {
                    lastHolder = a.lastHolder();
                    lastTtl = a.lastTtl();
                    lastError = null;
                  }
                }
              }
              step(() -> then.accept(h));
            });
  }

  /** Sends requests in one write and completes with their replies, or with the first failure. */
  public final CompletableFuture<List<MetaResponse>> send(
      NodeClient node, List<? extends Request<?>> requests) {
    return ReplicaReads.pipeline(node, requests, engine.config.requestTimeout().toNanos());
  }

  /** The holder text of a lock item read with {@code v}. */
  public static String holderOf(MetaResponse item) {
    LockValue v = LockValue.decode(item.value());
    return v == null ? "(not a memlock lock item)" : v.holder();
  }

  /** A TTL in whole seconds (at least 1) as nanoseconds, to cap a wait. */
  public static long seconds(long ttl) {
    return Math.max(1, ttl) * 1_000_000_000L;
  }

  public static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Releases a hold, ignoring the outcome; completes when the release is done. */
  public static CompletableFuture<Void> releaseQuietly(@Nullable LockHandleImpl h) {
    if (h == null) {
      return CompletableFuture.completedFuture(null);
    }
    return h.releaseInternally().exceptionally(t -> null);
  }

  // ---- endings ----

  /**
   * Ends with a hold (or null: not acquired). A hold that comes too late is released. Giving up
   * completes once a hold this attempt kept (a writer item, a reader slot) is released, so that the
   * caller sees the synchronizer as it left it.
   */
  public final void finish(@Nullable LockHandleImpl h) {
    LockHandleImpl leftover;
    synchronized (this) {
      if (done) {
        if (h != null && h != won) {
          releaseQuietly(h);
        }
        return;
      }
      done = true;
      won = h;
      cancelTimers();
      leftover = pending == h ? null : pending;
      pending = null;
    }
    engine.finished(this);
    if (h == null) {
      stopped();
    }
    releaseQuietly(leftover).whenComplete((v, t) -> result.complete(h));
  }

  /** Ends with a failure. */
  public final void fail(Throwable t) {
    if (stop() != null) {
      result.completeExceptionally(t);
    }
  }

  /** The deadline passed: gives up once what this attempt held is released. */
  private void expire() {
    CompletableFuture<Void> released = stop();
    if (released != null) {
      released.whenComplete((v, t) -> result.complete(null));
    }
  }

  @Override
  public final @Nullable LockHandleImpl abandon() {
    if (stop() != null) {
      result.complete(null);
      return null;
    }
    synchronized (this) {
      return won;
    }
  }

  @Override
  public final void close() {
    fail(new ClientClosedException("memlock client closed while acquiring " + describe()));
  }

  /** What is being acquired, for messages. */
  public abstract String describe();

  /**
   * Marks the attempt over and undoes what it holds; returns null if it was over already, else a
   * future that completes when what it held is released.
   */
  private @Nullable CompletableFuture<Void> stop() {

    LockAttempt running;
    LockHandleImpl leftover;
    synchronized (this) {
      if (done) {
        return null;
      }
      done = true;
      cancelTimers();
      running = sub;
      sub = null;
      leftover = pending;
      pending = null;
    }
    engine.finished(this);
    CompletableFuture<Void> a = running == null ? null : releaseQuietly(running.abandon());
    CompletableFuture<Void> b = releaseQuietly(leftover);
    stopped();
    return a == null ? b : CompletableFuture.allOf(a, b);
  }

  private void cancelTimers() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (deadlineTask != null) {
      deadlineTask.cancel(false);
      deadlineTask = null;
    }
  }

  @Override
  public final CompletableFuture<LockHandleImpl> result() {
    return result;
  }

  @Override
  public final synchronized @Nullable String lastHolder() {
    return lastHolder;
  }

  @Override
  public final synchronized long lastTtl() {
    return lastTtl;
  }

  @Override
  public final synchronized @Nullable Throwable lastError() {
    return lastError;
  }
}
