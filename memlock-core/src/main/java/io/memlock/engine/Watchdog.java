package io.memlock.engine;

import io.memlock.store.LockConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
  /**
   * The watched holds by due time, each at most once: a min-heap kept in the holds themselves
   * ({@link Hold#due}, {@link Hold#entry}, {@link Hold#heapIndex}), so that scheduling a renewal
   * allocates nothing. A hold pushed again moves to its new due time.
   */
  private Hold[] heap = new Hold[64];

  private int size;
  private long sequence;
  private ScheduledFuture<?> wake;
  private long wakeAt;

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
    hold.due = due;
    hold.entry = ++sequence;
    int i = hold.heapIndex;
    if (i < 0) {
      if (size == heap.length) {
        heap = java.util.Arrays.copyOf(heap, size * 2);
      }
      i = size++;
    }
    siftDown(siftUp(i, hold));
    rearm();
  }

  private static boolean before(Hold a, Hold b) {
    long c = a.due - b.due;
    return c < 0 || (c == 0 && a.entry < b.entry);
  }

  /** Places {@code h} at {@code i} or above; returns where it went. */
  private int siftUp(int i, Hold h) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Hold p = heap[parent];
      if (!before(h, p)) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = h;
    h.heapIndex = i;
    return i;
  }

  /** Moves the hold at {@code i} down to its place. */
  private void siftDown(int i) {
    Hold h = heap[i];
    while (true) {
      int c = 2 * i + 1;
      if (c >= size) {
        break;
      }
      if (c + 1 < size && before(heap[c + 1], heap[c])) {
        c++;
      }
      Hold child = heap[c];
      if (!before(child, h)) {
        break;
      }
      heap[i] = child;
      child.heapIndex = i;
      i = c;
    }
    heap[i] = h;
    h.heapIndex = i;
  }

  private Hold poll() {
    Hold first = heap[0];
    first.heapIndex = -1;
    Hold last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      heap[0] = last;
      last.heapIndex = 0;
      siftDown(0);
    }
    return first;
  }

  private void rearm() {
    if (size == 0) {
      return;
    }
    Hold first = heap[0];
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
    while (size > 0) {
      Hold h = heap[0];
      long window = h.watchdog ? LockConfig.renewIntervalNanos(h.ttlSeconds) / 10 : 0;
      if (h.due - now > window) {
        break;
      }
      poll();
      if (h.status() != Hold.Status.HELD) {
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
