package io.memlock.transport;

import io.memlock.MemLockTimeoutException;
import io.memlock.MemcachedConnectionException;
import io.memlock.MemcachedErrorException;
import io.memlock.MemcachedProtocolException;
import io.memlock.protocol.ErrorReply;
import io.memlock.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The requests one connection has written and not yet seen answered, in the order they were sent,
 * confined to the connection's event loop. Encodes requests with their opaque tokens, matches
 * replies to them (a quiet request passed over by a reply with another opaque succeeded silently),
 * and fails those whose deadline passes.
 */
final class InflightQueue {
  private final NodeClient node;
  private final EventLoop loop;
  private final AtomicInteger outstanding;
  private final Consumer<Throwable> reset;
  private final ArrayDeque<Pending<?>> inflight = new ArrayDeque<>();
  private int nextOpaque;
  private @Nullable ScheduledFuture<?> sweepTask;

  private long sweepAt;

  /**
   * Whether the deadlines in {@link #inflight} never decrease from head to tail (as when all
   * requests share one timeout), so a sweep can stop at the first request not yet due; reset when
   * the queue empties.
   */
  private boolean ordered = true;

  private long lastDeadline;

  /**
   * @param outstanding the connection's count of requests queued or in flight; decremented here as
   *     requests leave the queue
   * @param reset closes the connection's current channel with the given cause
   */
  InflightQueue(
      NodeClient node, EventLoop loop, AtomicInteger outstanding, Consumer<Throwable> reset) {
    this.node = node;
    this.loop = loop;
    this.outstanding = outstanding;
    this.reset = reset;
  }

  /** Whether the last request sent is quiet and unanswered, so it needs a later reply (mn). */
  boolean endsWithUnansweredQuiet() {
    Pending<?> last = inflight.peekLast();
    return last != null && last.request.isQuiet() && !last.future.isDone();
  }

  /** Encodes {@code p} into {@code buf} and queues it for its reply, unless it is done or stale. */
  void write(Pending<?> p, ByteBuf buf) {
    if (p.future.isDone()) {
      outstanding.decrementAndGet();
      return;
    }
    if (p.requiredEpoch >= 0 && p.requiredEpoch != node.epoch()) {
      outstanding.decrementAndGet();
      p.fail(
          new MemcachedConnectionException(
              "connection to memcached "
                  + node.address()
                  + " was re-established since the request was prepared; not sent"));
      return;
    }
    String transportOpaque = null;
    if (p.request.isQuiet()) {
      if (p.request.opaque() != null) {
        p.opaque = p.request.opaque();
      } else {
        nextOpaque = nextOpaque == Integer.MAX_VALUE ? 0 : nextOpaque + 1;
        p.opaque = Integer.toString(nextOpaque, 36);
        transportOpaque = p.opaque;
      }
    }
    int mark = buf.writerIndex();
    try {
      p.request.encode(buf, transportOpaque);
    } catch (RuntimeException e) {
      buf.writerIndex(mark);
      outstanding.decrementAndGet();
      p.fail(e);
      return;
    }
    if (inflight.isEmpty()) {
      ordered = true;
    } else if (p.deadlineNanos - lastDeadline < 0) {
      ordered = false;
    }
    lastDeadline = p.deadlineNanos;
    inflight.add(p);
    armSweep(p.deadlineNanos);
  }

  /** Fails every request in flight with {@code t}. */
  void failAll(Throwable t) {
    Pending<?> p;
    while ((p = inflight.poll()) != null) {
      outstanding.decrementAndGet();
      p.fail(t);
    }
  }

  /** Stops the deadline timer (the connection is closing). */
  void cancelSweep() {
    if (sweepTask != null) {
      sweepTask.cancel(false);
      sweepTask = null;
    }
  }

  // ---- timeouts ----

  private void armSweep(long deadline) {
    if (sweepTask == null || deadline - sweepAt < 0) {
      if (sweepTask != null) {
        sweepTask.cancel(false);
      }
      sweepAt = deadline;
      sweepTask = loop.schedule(this::sweep, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
  }

  private void sweep() {
    sweepTask = null;
    long now = System.nanoTime();
    long next = 0;
    boolean any = false;
    for (Pending<?> p : inflight) {
      if (p.future.isDone()) {
        continue;
      }
      if (p.deadlineNanos - now <= 0) {
        node.timedOut();
        p.fail(
            new MemLockTimeoutException(
                "memcached "
                    + node.address()
                    + " did not answer '"
                    + p.request.name()
                    + "' within "
                    + TimeUnit.NANOSECONDS.toMillis(p.timeoutNanos)
                    + " ms"));
      } else if (!any || p.deadlineNanos - next < 0) {
        next = p.deadlineNanos;
        any = true;
        if (ordered) {
          // Every later request is due no sooner: the rest need no look now.
          break;
        }
      }
    }
    if (any) {
      armSweep(next);
    }
  }

  // ---- replies ----

  /** Completes the request(s) {@code reply} answers; resets the connection if it fits none. */
  void onReply(Object reply) {
    node.answered();
    try {
      if (reply instanceof ErrorReply e) {
        onErrorReply(e);
        return;
      }
      String opaque = reply instanceof MetaResponse r ? r.opaque() : null;
      while (true) {
        Pending<?> head = inflight.poll();
        if (head == null) {
          throw new MemcachedProtocolException(
              "memcached " + node.address() + " sent '" + reply + "' with no request outstanding");
        }
        outstanding.decrementAndGet();
        if (head.request.isQuiet() && (opaque == null || !opaque.equals(head.opaque))) {
          head.completeQuiet();
          continue;
        }
        RuntimeException misfit = head.complete(reply);
        if (misfit != null) {
          reset.accept(misfit);
          head.fail(misfit);
        }
        return;
      }
    } catch (MemcachedProtocolException e) {
      reset.accept(e);
    }
  }

  private void onErrorReply(ErrorReply e) {
    Pending<?> head = inflight.poll();
    if (head == null) {
      throw new MemcachedProtocolException(
          "memcached " + node.address() + " sent '" + e + "' with no request outstanding");
    }
    outstanding.decrementAndGet();
    MemcachedErrorException error =
        new MemcachedErrorException(
            e.kind(),
            e.message(),
            "memcached " + node.address() + " answered '" + head.request.name() + "' with " + e);
    if (head.request.isQuiet()) {
      reset.accept(
          new MemcachedConnectionException(
              "connection to memcached "
                  + node.address()
                  + " reset: an error reply inside a quiet pipeline cannot be matched to its"
                  + " request",
              error));
    } else if (e.kind() != MemcachedErrorException.Kind.SERVER_ERROR) {
      reset.accept(
          new MemcachedConnectionException(
              "connection to memcached " + node.address() + " reset after " + e, error));
    }
    head.fail(error);
  }

  /** A reply could not be decoded: it belonged to the oldest request, which fails with it. */
  void onDecodeError(Throwable cause) {
    Pending<?> head = inflight.poll();
    reset.accept(cause);
    if (head != null) {
      outstanding.decrementAndGet();
      head.fail(cause);
    }
  }
}
