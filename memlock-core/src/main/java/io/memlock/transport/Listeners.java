package io.memlock.transport;

import io.memlock.MemLockListener;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The statistics listeners of one client, as one listener. An event never runs user code on the
 * thread where it happens (a caller's thread, the scheduler or a Netty I/O thread): it is put on a
 * bounded queue and one daemon thread of the client, {@code memlock-events-N}, hands it to every
 * listener in turn, in the order the events were queued. The thread starts with the first listener
 * and stops when the last one is removed or the client is closed.
 *
 * <p>When nobody listens an event costs one volatile read and allocates nothing. When the queue is
 * full (the listeners are slower than the events) an event is dropped and counted, and the first
 * drop is logged. A listener's exception is logged once per listener and otherwise ignored.
 */
public final class Listeners implements MemLockListener {
  static final System.Logger LOG = System.getLogger("io.memlock");

  /** How many events may wait for delivery before new ones are dropped. */
  public static final int CAPACITY = 65_536;

  /** How long {@link #close()} lets queued events be delivered. */
  static final long CLOSE_DRAIN_MILLIS = 2_000;

  private static final AtomicInteger THREADS = new AtomicInteger();

  @SuppressWarnings("UnnecessaryLambda") // a sentinel, recognised by identity
  private static final Consumer<MemLockListener> STOP = l -> {};

  private final int capacity;
  private final CopyOnWriteArrayList<MemLockListener> all = new CopyOnWriteArrayList<>();
  private final LongAdder dropped = new LongAdder();
  private final AtomicBoolean dropLogged = new AtomicBoolean();
  private final Set<MemLockListener> failedOnce =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  /** Where events go now; null while nobody listens. */
  private volatile @Nullable Delivery delivery;

  /** The newest delivery thread, possibly still finishing after it was stopped (guarded). */
  private @Nullable Delivery newest;

  private boolean closed;

  /** Listeners with a queue of {@link #CAPACITY} events. */
  public Listeners() {
    this(CAPACITY);
  }

  Listeners(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Adds a listener, starting the delivery thread if it is the first one. After {@link #close()} it
   * is kept but hears nothing.
   *
   * @param listener the listener
   */
  public synchronized void add(MemLockListener listener) {
    all.add(listener);
    if (delivery == null && !closed) {
      Delivery d = new Delivery(newest);
      newest = d;
      delivery = d;
      d.thread.start();
    }
  }

  /**
   * Removes a listener (every registration of it). When none is left, events are no longer queued
   * and the delivery thread ends after the event it may be delivering.
   *
   * @param listener the listener
   * @return whether it was registered
   */
  public synchronized boolean remove(MemLockListener listener) {
    boolean removed = all.removeIf(l -> l == listener);
    failedOnce.remove(listener);
    Delivery d = delivery;
    if (all.isEmpty() && d != null) {
      delivery = null;
      d.stop(false);
    }
    return removed;
  }

  /**
   * Tells whether any listener is registered, so callers can skip measuring.
   *
   * @return true if some listener is registered
   */
  public boolean any() {
    return delivery != null;
  }

  /**
   * Returns how many events were dropped because the queue was full.
   *
   * @return the number of dropped events
   */
  public long dropped() {
    return dropped.sum();
  }

  /**
   * Returns the delivery thread, for tests.
   *
   * @return the newest delivery thread, or null if none was started
   */
  synchronized @Nullable Thread thread() {
    return newest == null ? null : newest.thread;
  }

  /**
   * Stops delivering: events queued so far are delivered for up to {@value #CLOSE_DRAIN_MILLIS} ms,
   * then the thread is interrupted and the rest dropped. Called by the client's close, after its
   * last events. Idempotent.
   */
  public void close() {
    Delivery d;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      d = newest;
      Delivery current = delivery; // when set, it is the newest
      if (current != null) {
        delivery = null;
        current.stop(true);
      }
    }
    if (d == null || Thread.currentThread() == d.thread) {
      return;
    }
    try {
      d.thread.join(CLOSE_DRAIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (d.thread.isAlive()) {
      d.discard = true;
      d.thread.interrupt();
      LOG.log(
          System.Logger.Level.WARNING,
          "memlock: a statistics listener was still busy "
              + CLOSE_DRAIN_MILLIS
              + " ms after close; its thread "
              + d.thread.getName()
              + " was interrupted and the events still queued are dropped");
    }
  }

  private void post(Consumer<MemLockListener> event, Delivery d) {
    if (!d.queue.offer(event)) {
      dropped.increment();
      if (dropLogged.compareAndSet(false, true)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "memlock: statistics listener events are dropped: "
                + capacity
                + " events are waiting for the listeners, which are too slow"
                + " (logged once; further drops are only counted)");
      }
    }
  }

  private void deliver(Consumer<MemLockListener> event) {
    for (MemLockListener l : all) {
      try {
        event.accept(l);
      } catch (Throwable t) {
        // A listener must not break the others nor stop the delivery.
        if (failedOnce.add(l)) {
          LOG.log(
              System.Logger.Level.WARNING,
              "memlock: statistics listener "
                  + l.getClass().getName()
                  + " threw; it is ignored (logged once per listener)",
              t);
        }
      }
    }
  }

  /** One delivery thread and its queue. */
  private final class Delivery implements Runnable {
    final BlockingQueue<Consumer<MemLockListener>> queue = new LinkedBlockingQueue<>(capacity);
    final Thread thread;
    private final @Nullable Delivery previous;

    private volatile boolean stopping;
    volatile boolean discard;

    Delivery(@Nullable Delivery previous) {

      this.previous = previous;
      this.thread = new Thread(this, "memlock-events-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
    }

    /** Ends after delivering what is queued, or ({@code drain} false) after the current event. */
    void stop(boolean drain) {
      discard = !drain;
      stopping = true;
      queue.offer(STOP); // if the queue is full, the loop sees 'stopping' when it is empty
    }

    @Override
    public void run() {
      try {
        // A thread stopped when the last listener went may still be in a listener: one at a time.
        while (previous != null && previous.thread.isAlive() && !discard) {
          previous.thread.join(TimeUnit.SECONDS.toMillis(1));
        }
        while (!discard) {
          Consumer<MemLockListener> event = queue.take();
          if (event == STOP || discard) {
            return;
          }
          deliver(event);
          if (stopping && queue.isEmpty()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        // Interrupted by close after its bound: stop.
      }
    }
  }

  @Override
  public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.lockAcquired(name, outcome, nanos), d);
    }
  }

  @Override
  public void lockPolled(String name) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.lockPolled(name), d);
    }
  }

  @Override
  public void leaseLost(String name) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.leaseLost(name), d);
    }
  }

  @Override
  public void leaseRenewed(String name, RenewalOutcome outcome) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.leaseRenewed(name, outcome), d);
    }
  }

  @Override
  public void serverRequest(String server, long nanos, boolean success) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.serverRequest(server, nanos, success), d);
    }
  }

  @Override
  public void rateLimited(String limiter, boolean admitted) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.rateLimited(limiter, admitted), d);
    }
  }

  @Override
  public void cacheLookup(String cache, boolean hit) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.cacheLookup(cache, hit), d);
    }
  }

  @Override
  public void cacheLoaded(String cache, long nanos, boolean success) {
    Delivery d = delivery;
    if (d != null) {
      post(l -> l.cacheLoaded(cache, nanos, success), d);
    }
  }
}
