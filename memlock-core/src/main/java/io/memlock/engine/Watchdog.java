package io.memlock.engine;

import io.memlock.store.LockConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Renews watchdog leases at a third of their TTL (sooner for leases under 6 s, see {@link
 * LockConfig#renewIntervalNanos}) and notices leases that run out, on the engine's one scheduler
 * thread. Holds due within a small window are renewed together, so their requests leave in the same
 * write to each server. The first renewal comes within a second, to publish the holder's fencing
 * token in the lock item.
 */
final class Watchdog {
  private static final long FIRST_RENEWAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final LockEngine engine;

  /** New holds, taken in by the scheduler thread. */
  private final ConcurrentLinkedQueue<Hold> incoming = new ConcurrentLinkedQueue<>();

  /**
   * Holds whose renewal finished, their next renewal set; the scheduler thread takes them all in
   * with one task, so that a burst of replies costs one hand-over to it, not one per hold.
   */
  private final ConcurrentLinkedQueue<Hold> renewedHolds = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean takeRenewedScheduled = new AtomicBoolean();

  /** Whether a wake-up is scheduled, and when; written by the scheduler thread. */
  private volatile boolean armed;

  private volatile long armedAt;

  // Scheduler thread only.
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long sequence;
  private @Nullable ScheduledFuture<?> wake;

  private long wakeAt;

  private record Entry(long due, long seq, Hold hold) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(due - o.due, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  Watchdog(LockEngine engine) {
    this.engine = engine;
  }

  /**
   * Starts watching a new hold. The hold waits in a queue that the scheduler thread takes in at its
   * next wake-up; the thread is woken now only if that wake-up would come later than the hold's
   * first renewal. Most holds end long before then, so acquiring wakes no other thread.
   */
  void register(Hold hold) {
    long now = engine.config.ticker().read();
    hold.nextRenewal =
        now + Math.min(FIRST_RENEWAL_NANOS, LockConfig.renewIntervalNanos(hold.ttlSeconds));
    long due = hold.watchdog ? Math.min(hold.nextRenewal, hold.validUntil()) : hold.validUntil();
    incoming.add(hold);
    if (!armed || armedAt - due > 0) {
      engine.runSoon(this::takeIncoming);
    }
  }

  private void takeIncoming() {
    Hold h;
    while ((h = incoming.poll()) != null) {
      push(h);
    }
    rearm();
  }

  /**
   * A renewal that started at {@code started} finished; schedules the next one an interval after
   * that start, so that slow renewals do not push the schedule back (sooner after a failure).
   */
  void renewed(Hold hold, boolean ok, long started) {
    long now = engine.config.ticker().read();
    long interval = LockConfig.renewIntervalNanos(hold.ttlSeconds);
    hold.renewedNext = ok ? started + interval : now + Math.min(interval / 4, 500_000_000L);
    renewedHolds.add(hold);
    if (takeRenewedScheduled.compareAndSet(false, true)) {
      engine.runSoon(this::takeRenewed);
    }
  }

  private void takeRenewed() {
    takeRenewedScheduled.set(false);
    Hold h;
    while ((h = renewedHolds.poll()) != null) {
      h.nextRenewal = h.renewedNext;
      push(h);
    }
  }

  /** The hold ended; its queue entries are dropped when they come up. */
  void forget(Hold hold) {}

  private void push(Hold hold) {
    if (hold.status() != Hold.Status.HELD) {
      return;
    }
    long due = hold.validUntil();
    if (hold.watchdog && hold.nextRenewal - due < 0) {
      due = hold.nextRenewal;
    }
    hold.entry = ++sequence;
    queue.add(new Entry(due, hold.entry, hold));
    rearm();
  }

  private void rearm() {
    Entry first = queue.peek();
    if (first == null) {
      return;
    }
    if (wake != null && wakeAt - first.due <= 0) {
      return;
    }
    if (wake != null) {
      wake.cancel(false);
    }
    wakeAt = first.due;
    armedAt = wakeAt;
    armed = true;
    long delay = first.due - engine.config.ticker().read();
    wake = engine.scheduler.schedule(this::run, Math.max(0, delay), TimeUnit.NANOSECONDS);
  }

  private void run() {
    wake = null;
    armed = false;
    Hold fresh;
    while ((fresh = incoming.poll()) != null) {
      push(fresh);
    }
    long now = engine.config.ticker().read();
    List<Hold> due = new ArrayList<>();
    while (!queue.isEmpty()) {
      Entry e = queue.peek();
      Hold h = e.hold;
      long window = h.watchdog ? LockConfig.renewIntervalNanos(h.ttlSeconds) / 10 : 0;
      if (e.due - now > window) {
        break;
      }
      queue.poll();
      if (e.seq != h.entry || h.status() != Hold.Status.HELD) {
        continue;
      }
      due.add(h);
    }
    for (Hold h : due) {
      if (h.validUntil() - now <= 0) {
        Throwable last = h.lastRenewError();
        h.lose(
            h.watchdog
                ? "the lease ran out: no renewal succeeded in time"
                    + (last == null ? "" : " (last error: " + last.getMessage() + ")")
                : "its fixed lease of " + h.ttlSeconds + " s ran out");
        // The item may still be ours in memcached: delete it if so, so others need not wait for
        // its TTL.
        h.state.store.releaseIfOwned(h.name(), h.token());
        continue;
      }
      long window = LockConfig.renewIntervalNanos(h.ttlSeconds) / 10;
      if (h.watchdog && h.nextRenewal - now <= window) {
        if (!h.renew()) {
          // A renewal or the release is under way; its completion re-registers the hold.
          continue;
        }
      } else {
        push(h);
      }
      if (h.isOwnerless()) {
        h.state.checkOrphan();
      }
    }
    rearm();
  }
}
