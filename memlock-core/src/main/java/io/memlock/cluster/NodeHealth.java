package io.memlock.cluster;

import io.memlock.Ticker;
import io.memlock.protocol.MetaNoop;
import io.memlock.protocol.Stats;
import io.memlock.transport.ConnectionListener;
import io.memlock.transport.NodeClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether one server may take new acquisitions: it must be connected, and its uptime, read on every
 * (re)connection, must have passed the restart grace period. memcached forgets every item when it
 * restarts; a lease granted before the restart may still be trusted by its holder for up to the
 * longest lease of the cluster, so no new lease is granted on the server until then.
 *
 * <p>memcached reports its uptime in whole seconds, counted from two seconds before it started: the
 * reported value is up to three seconds ahead of the true one, so three seconds are added to the
 * wait, and the wait is stretched by the clock drift.
 */
public final class NodeHealth implements ConnectionListener {
  /** How far memcached's reported uptime may be ahead of the true uptime. */
  public static final long UPTIME_SLACK_SECONDS = 3;

  private final NodeClient node;
  private final Ticker ticker;
  private final long graceSeconds;
  private final double drift;
  private final long statsTimeoutNanos;

  /** What is known about the current connection epoch. */
  private record State(long epoch, boolean known, long usableAt, long uptime) {}

  private volatile State state = new State(-1, false, 0, -1);
  private final AtomicLong reading = new AtomicLong(-1);
  private final AtomicBoolean probing = new AtomicBoolean();
  private final CompletableFuture<Void> firstKnown = new CompletableFuture<>();

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
    if (graceSeconds <= 0) {
      state = new State(epoch, true, ticker.read(), -1);
      firstKnown.complete(null);
      return;
    }
    state = new State(epoch, false, 0, -1);
    readUptime(epoch);
  }

  /** Reads the uptime unless a read for this epoch is under way. */
  private void readUptime(long epoch) {
    long current = reading.get();
    if (current == epoch || !reading.compareAndSet(current, epoch)) {
      return;
    }
    long sent = ticker.read();
    node.send(Stats.general(), statsTimeoutNanos, epoch)
        .whenComplete(
            (stats, error) -> {
              reading.compareAndSet(epoch, -1);
              uptimeRead(epoch, sent, stats);
            });
  }

  private void uptimeRead(long epoch, long sent, Map<String, String> stats) {
    if (state.epoch() != epoch) {
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
    // The uptime was read at some instant after the request was sent: counting from then is safe.
    state = new State(epoch, true, sent + wait, uptime);
    firstKnown.complete(null);
  }

  /**
   * Waits until the server's restart grace is known for the first time (its uptime was read).
   *
   * @param timeout the longest wait
   * @throws InterruptedException if interrupted
   */
  public void awaitFirstCheck(Duration timeout) throws InterruptedException {
    try {
      firstKnown.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Not known yet: acquisitions say so.
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
    State s = state;
    if (s.epoch() != epoch) {
      // A connection came up before this listener was told (or while it was being told).
      connected(node, epoch);
      s = state;
    }
    if (!s.known()) {
      readUptime(epoch);
      return -1;
    }
    return s.usableAt() - ticker.read() <= 0 ? epoch : -1;
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
    State s = state;
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
   * Returns how long, by this client's clock, until the server's restart grace ends.
   *
   * @return nanoseconds, 0 when it has ended, -1 when unknown
   */
  public long graceLeftNanos() {
    State s = state;
    if (!s.known() || s.epoch() != node.epoch()) {
      return -1;
    }
    return Math.max(0, s.usableAt() - ticker.read());
  }
}
