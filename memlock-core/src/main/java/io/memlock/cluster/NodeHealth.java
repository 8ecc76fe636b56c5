package io.memlock.cluster;

import io.memlock.Ticker;
import io.memlock.protocol.MetaNoop;
import io.memlock.protocol.Stats;
import io.memlock.transport.ConnectionListener;
import io.memlock.transport.NodeClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Whether one server may take new acquisitions: it must be connected, and its uptime, read on every
 * (re)connection, must have passed the restart grace period. memcached forgets every item when it
 * restarts; a lease granted before the restart may still be trusted by its holder for up to the
 * longest lease of the cluster, so no new lease is granted on the server until then.
 *
 * <p>memcached reports its uptime in whole seconds, counted from two seconds before it started: the
 * reported value is up to three seconds ahead of the true one, so three seconds are added to the
 * wait, and the wait is stretched by the clock drift. The wait is counted from when the reply
 * arrived: the server read its uptime at some instant before that.
 */
public final class NodeHealth implements ConnectionListener {
  private static final System.Logger LOG = System.getLogger("io.memlock");

  /** How far memcached's reported uptime may be ahead of the true uptime. */
  public static final long UPTIME_SLACK_SECONDS = 3;

  private final NodeClient node;
  private final Ticker ticker;
  private final long graceSeconds;
  private final double drift;
  private final long statsTimeoutNanos;

  /** What is known about the current connection epoch. */
  private record State(long epoch, boolean known, long usableAt, long uptime) {}

  /** Only ever replaced by a later epoch's state, or by its own epoch's once known. */
  private final AtomicReference<State> state = new AtomicReference<>(new State(-1, false, 0, -1));

  /** The current state: never null (NullAway takes every AtomicReference to hold null). */
  private State state() {
    return Objects.requireNonNull(state.get());
  }

  private final AtomicLong reading = new AtomicLong(-1);

  /** The last epoch whose grace was logged: once per server and connection epoch. */
  private final AtomicLong loggedEpoch = new AtomicLong(-1);

  private final AtomicBoolean probing = new AtomicBoolean();

  /** Notified whenever an epoch's grace becomes known. */
  private final Object knownSignal = new Object();

  NodeHealth(NodeClient node, Ticker ticker, long graceSeconds, double drift, long timeoutNanos) {
    this.node = node;
    this.ticker = ticker;
    this.graceSeconds = graceSeconds;
    this.drift = drift;
    this.statsTimeoutNanos = timeoutNanos;
  }

  /**
   * Returns the server.
   *
   * @return its client
   */
  public NodeClient node() {
    return node;
  }

  @Override
  public void connected(NodeClient n, long epoch) {
    State fresh =
        graceSeconds <= 0
            ? new State(epoch, true, ticker.read(), -1)
            : new State(epoch, false, 0, -1);
    // Called on the event loop and, when an acquisition sees a new epoch first, on its thread: a
    // state already made for this epoch (perhaps known by now) is kept.
    State s = state();
    while (s.epoch() < epoch) {
      if (state.compareAndSet(s, fresh)) {
        if (fresh.known()) {
          signalKnown();
        } else {
          readUptime(epoch);
        }
        return;
      }
      s = state();
    }
  }

  private void signalKnown() {
    synchronized (knownSignal) {
      knownSignal.notifyAll();
    }
  }

  /** Reads the uptime unless a read for this epoch is under way. */
  private void readUptime(long epoch) {
    long current = reading.get();
    if (current == epoch || !reading.compareAndSet(current, epoch)) {
      return;
    }
    node.send(Stats.general(), statsTimeoutNanos, epoch)
        .whenComplete(
            (stats, error) -> {
              reading.compareAndSet(epoch, -1);
              uptimeRead(epoch, stats);
            });
  }

  private void uptimeRead(long epoch, @Nullable Map<String, String> stats) {

    // Read first: the server read its uptime at some instant before its reply arrived.
    long arrived = ticker.read();
    State current = state();
    if (current.epoch() != epoch || current.known()) {
      return;
    }
    long uptime = -1;
    if (stats != null) {
      try {
        uptime = Long.parseLong(stats.getOrDefault("uptime", "-1"));
      } catch (NumberFormatException e) {
        uptime = -1;
      }
    }
    if (uptime < 0) {
      // No answer, or no usable uptime: ask again at the next check.
      return;
    }
    long waitSeconds = graceSeconds + UPTIME_SLACK_SECONDS - uptime;
    long wait = waitSeconds <= 0 ? 0 : (long) (waitSeconds * 1_000_000_000.0 * (1 + drift));
    // The server read its uptime at some instant between the request and this reply: the grace is
    // counted from the reply's arrival, the latest that instant can be. Counting from the request
    // would end the grace early by up to the request's duration.
    if (state.compareAndSet(current, new State(epoch, true, arrived + wait, uptime))) {
      signalKnown();
    }
  }

  /**
   * Waits until the server's restart grace is known for its current connection epoch (its uptime
   * was read since the last connection came up), or the server is not connected.
   *
   * @param timeout the longest wait
   * @throws InterruptedException if interrupted
   */
  public void awaitCheck(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (knownSignal) {
      while (node.isConnected()) {
        long epoch = node.epoch();
        State s = state();
        if (s.epoch() == epoch && s.known()) {
          return;
        }
        if (s.epoch() < epoch) {
          connected(node, epoch);
        } else if (!s.known()) {
          readUptime(epoch);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        // Bounded, so that a read that failed is asked again.
        TimeUnit.NANOSECONDS.timedWait(knownSignal, Math.min(left, 50_000_000L));
      }
    }
  }

  /**
   * Tells whether the server may take acquisitions now.
   *
   * @return the epoch to send acquisitions in (so that they are dropped if the server reconnects
   *     meanwhile), or -1 when it may not; {@link #whyNot()} says why
   */
  public long acquirableEpoch() {
    if (!node.isConnected()) {
      return -1;
    }
    if (node.isStalled()) {
      probe();
      return -1;
    }
    long epoch = node.epoch();
    State s = state();
    if (s.epoch() < epoch) {
      // A connection came up and this listener is being told right now.
      connected(node, epoch);
      s = state();
    }
    if (s.epoch() != epoch) {
      return -1;
    }
    if (!s.known()) {
      readUptime(epoch);
      return -1;
    }
    long left = s.usableAt() - ticker.read();
    if (left <= 0) {
      return epoch;
    }
    logGrace(s, left);
    return -1;
  }

  /** Says once per connection epoch that the restart grace holds acquisitions back, and why. */
  private void logGrace(State s, long left) {
    long logged = loggedEpoch.get();
    if (logged >= s.epoch() || !loggedEpoch.compareAndSet(logged, s.epoch())) {
      return;
    }
    long seconds = (left + 999_999_999) / 1_000_000_000;
    LOG.log(
        System.Logger.Level.WARNING,
        "memcached "
            + node.address()
            + " started "
            + s.uptime()
            + " s ago: locks on it wait for its restart grace, which ends in "
            + seconds
            + " s (about "
            + Instant.now().plusNanos(left).truncatedTo(ChronoUnit.SECONDS)
            + "). A lock granted before a restart may still be trusted by its holder for up to the"
            + " longest lease of the cluster (maxLeaseTime "
            + graceSeconds
            + " s). If no client can have used this server for locks before it started (a fresh"
            + " server, e.g. in tests), turn the grace off: MemLock.builder().restartGrace(false),"
            + " or the CLI's --no-restart-grace (MEMLOCK_RESTART_GRACE=off).");
  }

  /** Asks a stalled server for a sign of life (one no-op at a time): its reply ends the stall. */
  private void probe() {
    if (probing.compareAndSet(false, true)) {
      node.send(MetaNoop.create(), statsTimeoutNanos, -1)
          .whenComplete((r, t) -> probing.set(false));
    }
  }

  /**
   * Says why the server may not take acquisitions now.
   *
   * @return the reason, for messages
   */
  public String whyNot() {
    State s = state();
    if (!node.isConnected()) {
      Throwable t = node.lastFailure();
      return "memcached " + node.address() + " is not connected" + (t == null ? "" : ": " + t);
    }
    if (node.isStalled()) {
      return "memcached "
          + node.address()
          + " did not answer in time (paused, overloaded or cut off?); it takes no acquisitions"
          + " until it answers again";
    }
    if (!s.known() || s.epoch() != node.epoch()) {
      return "memcached "
          + node.address()
          + " has just (re)connected; its uptime is being read (restart grace check)";
    }
    long left = s.usableAt() - ticker.read();
    if (left > 0) {
      return "memcached "
          + node.address()
          + " started "
          + s.uptime()
          + " s ago: it takes no acquisitions until the longest lease of the cluster (maxLeaseTime"
          + " "
          + graceSeconds
          + " s) has passed since, in "
          + (left + 999_999_999) / 1_000_000_000
          + " s (restart grace)";
    }
    return "memcached " + node.address() + " is usable";
  }

  /**
   * Returns the server's uptime as read for the current connection epoch.
   *
   * @return seconds, as memcached reported them, or -1 when not read (or no grace is kept)
   */
  public long uptimeSeconds() {
    State s = state();
    return s.known() && s.epoch() == node.epoch() ? s.uptime() : -1;
  }

  /**
   * Returns how long, by this client's clock, until the server's restart grace ends.
   *
   * @return nanoseconds, 0 when it has ended, -1 when unknown
   */
  public long graceLeftNanos() {
    State s = state();
    if (!s.known() || s.epoch() != node.epoch()) {
      return -1;
    }
    return Math.max(0, s.usableAt() - ticker.read());
  }
}
