package io.memlock.recipes;

import io.memlock.engine.DistributedLockImpl;
import io.memlock.engine.LockAttempt;
import io.memlock.engine.LockEngine;
import io.memlock.engine.SyncAttempt;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaArithmetic;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaRequest;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.SetMode;
import io.memlock.store.LockConfig;
import io.memlock.store.SyncKeys;
import io.memlock.transport.NodeClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The lock of a name taken in first-come, first-served order across processes. It guards the same
 * lock item as {@code lock(name)}: exclusion comes from that item alone, and the ticket queue in
 * front of it only decides who may try for it, so a fault in the queue can cost fairness, never
 * mutual exclusion.
 *
 * <p>The queue, on the lock item's server: a ticket counter {@code NS:QT:name} (the last ticket
 * handed out), a now-serving counter {@code NS:QS:name} (the ticket allowed to try the lock item),
 * and per waiter a presence item {@code NS:Q<ticket>:name} with a short TTL, rewritten at every
 * poll. A waiter takes a ticket, then polls now-serving; its turn comes when now-serving reaches
 * its ticket; it then acquires the lock item as an ordinary waiter and, once it holds it, advances
 * now-serving. A waiter that sees the head's presence item gone for longer than a request timeout,
 * or marked withdrawn, advances now-serving past it (compare-and-swap on its CAS, so only one
 * does). A waiter that finds itself passed over queues again with a new ticket.
 *
 * <p>One try without a wait ({@code tryLock()}, {@code tryAcquire()}) does not queue: like {@link
 * java.util.concurrent.locks.ReentrantLock#tryLock()} of a fair lock, it takes the lock if it is
 * free now.
 */
final class FairLockImpl extends DistributedLockImpl {
  /** The counters live this long after their last use; waiters touch them at every poll. */
  static final long QUEUE_TTL_SECONDS = 3600;

  private static final byte[] WITHDRAWN = {'x'};

  FairLockImpl(LockEngine engine, String name) {
    super(engine, name);
  }

  @Override
  public LockAttempt start(long waitNanos, boolean forever, long ttl, boolean watchdog) {
    if (!forever && waitNanos <= 0) {
      return super.start(waitNanos, false, ttl, watchdog);
    }
    return new FairAttempt(clampWait(waitNanos, forever), forever, ttl, watchdog).start();
  }

  /** How long a waiter's presence item lives without being rewritten. */
  static long presenceTtlSeconds(long leaseSeconds) {
    return Math.max(LockConfig.MIN_TTL_SECONDS, Math.min(5, leaseSeconds));
  }

  private static byte[] ascii(long n) {
    return Long.toUnsignedString(n).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "DistributedLock[" + name + ", fair]";
  }

  /** One waiter: ticket, polls, turn, the lock item, and advancing the queue. */
  private final class FairAttempt extends SyncAttempt {
    private final SyncKeys keys = engine.syncKeys;
    private final NodeClient node = engine.cluster().nodeFor(keys.fairHome(name));
    private final long presenceTtl = presenceTtlSeconds(engine.config.leaseSeconds());
    private final long grace = engine.config.requestTimeout().toNanos();
    private final byte[] present =
        ("w " + engine.holderDescription()).getBytes(StandardCharsets.UTF_8);

    // Written by the steps, which run one at a time; read by stopped() from any thread.
    private volatile long ticket = -1;
    private volatile boolean head;
    private volatile long servingCas;

    // Steps only.
    private long ticketCas;
    private long guess = -1;
    private long missingOf = -1;
    private long missingCas;
    private long missingSince;

    // Guarded by this.
    private @Nullable ScheduledFuture<?> refresh;

    FairAttempt(long waitNanos, boolean forever, long ttl, boolean watchdog) {
      super(FairLockImpl.this.engine, waitNanos, forever, ttl, watchdog);
    }

    @Override
    public void begin() {
      takeTicket(0);
    }

    private Key presenceOf(long t) {
      return keys.waiter(name, t);
    }

    /**
     * Takes a ticket. After being passed over ({@code serving} is the now-serving value seen), the
     * ticket counter may have been lost and re-created below now-serving: then it is raised to just
     * below now-serving first (only if nobody took a ticket since ours, so it never goes down), and
     * a missing counter is created at now-serving.
     */
    private void takeTicket(long serving) {
      Key counter = keys.ticketCounter(name);
      List<MetaRequest> requests = new ArrayList<>(2);
      if (serving > 0 && ticket >= 0) {
        requests.add(
            MetaSet.of(counter, ascii(serving - 1)).compareCas(ticketCas).ttl(QUEUE_TTL_SECONDS));
      }
      requests.add(
          MetaArithmetic.of(counter)
              .autoCreate(QUEUE_TTL_SECONDS)
              .initial(serving)
              .ttl(QUEUE_TTL_SECONDS)
              .returnValue()
              .returnCas());
      send(node, requests)
          .whenComplete(
              (r, t) -> {
                if (t == null) {
                  MetaResponse m = r.get(r.size() - 1);
                  try {
                    ticketCas = m.cas();
                    ticket = m.valueAsNumber();
                  } catch (RuntimeException e) {
                    fail(e);
                    return;
                  }
                  if (isDone()) {
                    // Stopped while the ticket was on its way: withdraw it (stopped() may too).
                    withdraw(ticket, false);
                    return;
                  }
                }
                step(
                    () -> {
                      if (t != null) {
                        unavailable(unwrap(t));
                        retry(() -> takeTicket(serving), 0);
                        return;
                      }
                      guess = -1;
                      missingOf = -1;
                      poll();
                    });
              });
    }

    private void poll() {
      long t = ticket;
      List<MetaRequest> requests = new ArrayList<>(5);
      requests.add(MetaSet.of(presenceOf(t), present).ttl(presenceTtl).quiet());
      requests.add(
          MetaGet.of(keys.nowServing(name)).returnValue().returnCas().touch(QUEUE_TTL_SECONDS));
      requests.add(MetaGet.of(keys.ticketCounter(name)).touch(QUEUE_TTL_SECONDS).quiet());
      requests.add(MetaGet.of(keys.fairHome(name)).returnValue().returnTtl());
      long asked = guess;
      if (asked >= 0 && asked != t) {
        requests.add(MetaGet.of(presenceOf(asked)).returnValue());
      }
      send(node, requests)
          .whenComplete(
              (r, e) -> {
                if (isDone()) {
                  // This poll may have rewritten the presence after the withdrawal.
                  withdraw(t, false);
                  return;
                }
                step(() -> polled(r, e, asked));
              });
    }

    private void polled(List<MetaResponse> r, Throwable e, long asked) {
      if (e != null) {
        unavailable(unwrap(e));
        retry(this::poll, 0);
        return;
      }
      MetaResponse lockItem = r.get(3);
      if (lockItem.status() == MetaStatus.VA) {
        busy(holderOf(lockItem), lockItem.ttl());
      } else {
        busy("earlier waiters of the fair queue", -2);
      }
      MetaResponse serving = r.get(1);
      if (serving.status() != MetaStatus.VA) {
        // Lost (expired, evicted, restarted): start serving from this ticket.
        MetaSet create =
            MetaSet.of(keys.nowServing(name), ascii(ticket))
                .mode(SetMode.ADD)
                .ttl(QUEUE_TTL_SECONDS);
        send(node, List.of(create)).whenComplete((x, t) -> step(this::poll));
        return;
      }
      long s = serving.valueAsNumber();
      long cas = serving.cas();
      if (s == ticket) {
        becomeHead(cas);
        return;
      }
      if (Long.compareUnsigned(s, ticket) > 0) {
        // Passed over (taken for dead, or the counters were lost): queue again.
        takeTicket(s);
        return;
      }
      if (asked == s && r.size() > 4) {
        MetaResponse p = r.get(4);
        byte[] pv = p.value();
        if (p.status() == MetaStatus.VA && pv != null && pv.length > 0 && pv[0] == 'x') {

          skip(cas);
          return;
        }
        if (p.status() == MetaStatus.VA) {
          missingOf = -1;
        } else if (missingOf == s && missingCas == cas) {
          if (now() - missingSince >= grace) {
            skip(cas);
            return;
          }
        } else {
          // The head's presence is missing: it died, or has not written it yet. Give it time.
          missingOf = s;
          missingCas = cas;
          missingSince = now();
        }
      }
      if (guess != s) {
        guess = s;
        progressed();
        later(this::poll, 0);
        return;
      }
      if (outOfTime()) {
        finish(null);
        return;
      }
      // Waiters further back poll less often; everyone rewrites its presence well within its TTL.
      long position = Math.min(ticket - s, 64);
      long interval =
          Math.min(
              engine.config.retryMax().toNanos() * position,
              TimeUnit.SECONDS.toNanos(presenceTtl) / 3);
      later(this::poll, interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1));
    }

    /** Advances now-serving past a dead or withdrawn head, if nobody did yet. */
    private void skip(long cas) {
      missingOf = -1;
      MetaArithmetic advance =
          MetaArithmetic.of(keys.nowServing(name)).compareCas(cas).ttl(QUEUE_TTL_SECONDS);
      send(node, List.of(advance)).whenComplete((x, t) -> step(this::poll));
    }

    private void becomeHead(long cas) {
      servingCas = cas;
      head = true;
      startRefresh();
      sub(
          engine.acquire(engine.store, name, waitLeft(), forever, ttlSeconds, watchdog),
          h -> {
            if (h == null) {
              finish(null);
              return;
            }
            stopRefresh();
            head = false;
            advance(ticket, cas);
            finish(h);
          });
    }

    /** Lets the next ticket try the lock item, and marks this ticket's presence withdrawn. */
    private void advance(long t, long cas) {
      node.sendAll(
          List.of(
              MetaArithmetic.of(keys.nowServing(name))
                  .compareCas(cas)
                  .ttl(QUEUE_TTL_SECONDS)
                  .quiet(),
              MetaSet.of(presenceOf(t), WITHDRAWN).ttl(presenceTtl).quiet()),
          engine.config.requestTimeout().toNanos(),
          -1);
    }

    /** Marks a ticket withdrawn, so that waiters behind it skip it at once. */
    private void withdraw(long t, boolean wasHead) {
      if (t < 0) {
        return;
      }
      if (wasHead) {
        advance(t, servingCas);
      } else {
        node.send(
            MetaSet.of(presenceOf(t), WITHDRAWN).ttl(presenceTtl).quiet(),
            engine.config.requestTimeout().toNanos(),
            -1);
      }
    }

    /** While the head waits for the lock item, its presence and the counters stay fresh. */
    private void startRefresh() {
      long period = TimeUnit.SECONDS.toNanos(presenceTtl) / 3;
      long t = ticket;
      Runnable write =
          () ->
              node.sendAll(
                  List.of(
                      MetaSet.of(presenceOf(t), present).ttl(presenceTtl).quiet(),
                      MetaGet.of(keys.nowServing(name)).touch(QUEUE_TTL_SECONDS).quiet(),
                      MetaGet.of(keys.ticketCounter(name)).touch(QUEUE_TTL_SECONDS).quiet()),
                  engine.config.requestTimeout().toNanos(),
                  -1);
      synchronized (this) {
        if (isDone()) {
          return;
        }
        try {
          refresh =
              engine.scheduler.scheduleWithFixedDelay(write, period, period, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
          // close() stops this attempt.
        }
      }
    }

    private synchronized void stopRefresh() {
      if (refresh != null) {
        refresh.cancel(false);
        refresh = null;
      }
    }

    @Override
    public void stopped() {
      stopRefresh();
      withdraw(ticket, head);
    }

    @Override
    public String describe() {
      return "fair lock '" + name + "'";
    }
  }
}
