package io.memlock.transport;

import io.memlock.protocol.Request;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The client of one memcached server: one or more pipelined connections, each reconnecting on its
 * own. Requests fail fast with {@link io.memlock.MemcachedConnectionException} while no connection
 * is up. Every returned future completes: with the reply, or with a {@link
 * io.memlock.MemLockException} on timeout, connection loss, a bad reply or {@link #close()}.
 * Futures complete on an event loop thread: do not block in their callbacks.
 */
public final class NodeClient implements AutoCloseable {
  private final ServerAddress address;
  private final Connection[] connections;
  private final long defaultTimeoutNanos;
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicInteger next = new AtomicInteger();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final MemcachedTransport transport;
  private final Object connectedSignal = new Object();

  /** Whether a request timed out with no reply from the server since. */
  private volatile boolean stalled;

  NodeClient(MemcachedTransport transport, ServerAddress address, EventLoopGroup group) {
    this.transport = transport;
    this.address = address;
    this.defaultTimeoutNanos = transport.config().requestTimeout().toNanos();
    int n = transport.config().connectionsPerServer();
    this.connections = new Connection[n];
    for (int i = 0; i < n; i++) {
      connections[i] = new Connection(this, transport, group.next());
    }
  }

  void start() {
    for (Connection c : connections) {
      c.start();
    }
  }

  /**
   * Returns the server's address.
   *
   * @return the address
   */
  public ServerAddress address() {
    return address;
  }

  /**
   * Tells whether at least one connection is up.
   *
   * @return true when requests can be sent
   */
  public boolean isConnected() {
    for (Connection c : connections) {
      if (c.isConnected()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the connection epoch: how many times a connection to this server came up. It changes on
   * every reconnection, so a caller can tell that the server may have restarted in between.
   *
   * @return the epoch
   */
  public long epoch() {
    return epoch.get();
  }

  /**
   * Returns the last connection failure, or null.
   *
   * @return the last failure
   */
  public @Nullable Throwable lastFailure() {

    for (Connection c : connections) {
      Throwable t = c.lastFailure();
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /**
   * Adds a listener for connections coming up and going down.
   *
   * @param listener the listener
   */
  public void addListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  /**
   * Waits until a connection is up.
   *
   * @param timeout how long to wait
   * @return true if connected
   * @throws InterruptedException if interrupted
   */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (connectedSignal) {
      while (!isConnected()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(connectedSignal, left);
      }
      return true;
    }
  }

  /**
   * Waits until every connection made its first attempt (came up or failed).
   *
   * @param timeout how long to wait at most
   * @return true if connected
   * @throws InterruptedException if interrupted
   */
  public boolean awaitFirstAttempt(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (connectedSignal) {
      while (!allAttempted()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(connectedSignal, left);
      }
      return isConnected();
    }
  }

  private boolean allAttempted() {
    for (Connection c : connections) {
      if (!c.attempted()) {
        return false;
      }
    }
    return true;
  }

  void attemptFailed() {
    synchronized (connectedSignal) {
      connectedSignal.notifyAll();
    }
  }

  /**
   * Dumps the keys of the server's items with {@code lru_crawler metadump hash}, on a connection of
   * its own (memcached allows nothing else on a connection during a dump) with this client's TLS
   * settings and connect timeout. The returned future always completes: the dump ends, memcached
   * refuses it, the server sends nothing for {@code idleTimeout}, or the connection fails.
   *
   * @param keyPrefix the raw prefix of the keys to report
   * @param keys receives each reported key's raw bytes, on an I/O thread: it must be quick
   * @param idleTimeout how long the server may send nothing before the dump fails
   * @return null when the dump ended with {@code END}, or the line memcached answered instead, such
   *     as {@code BUSY currently processing crawler request} or {@code CLIENT_ERROR lru crawler
   *     disabled}
   */
  public CompletableFuture<String> metadump(
      byte[] keyPrefix, java.util.function.Consumer<byte[]> keys, Duration idleTimeout) {
    return MetadumpCall.start(transport, address, keyPrefix, keys, idleTimeout);
  }

  /**
   * Sends a request with the default timeout.
   *
   * @param request the request
   * @param <T> the result type
   * @return the result's future
   */
  public <T> CompletableFuture<T> send(Request<T> request) {
    return send(request, defaultTimeoutNanos, -1);
  }

  /**
   * Sends a request with its own timeout.
   *
   * @param request the request
   * @param timeout how long to wait for the reply
   * @param <T> the result type
   * @return the result's future
   */
  public <T> CompletableFuture<T> send(Request<T> request, Duration timeout) {
    return send(request, timeout.toNanos(), -1);
  }

  /**
   * Sends a request that is dropped, failing with {@link io.memlock.MemcachedConnectionException},
   * if the connection epoch is no longer {@code requiredEpoch} when it would be written.
   *
   * @param request the request
   * @param timeoutNanos how long to wait for the reply
   * @param requiredEpoch the epoch the caller checked the server in, or -1 for any
   * @param <T> the result type
   * @return the result's future
   */
  public <T> CompletableFuture<T> send(Request<T> request, long timeoutNanos, long requiredEpoch) {
    Pending<T> p = new Pending<>(request, timeoutNanos, requiredEpoch);
    timed(p.future);
    pick().enqueue(p, 1);
    return p.future;
  }

  /**
   * Sends requests back to back on one connection, in one write, so that they travel in one round
   * trip and memcached runs them in this order.
   *
   * @param requests the requests
   * @param timeout how long to wait for the replies
   * @return one future per request, in order
   */
  public List<CompletableFuture<?>> sendAll(List<? extends Request<?>> requests, Duration timeout) {
    return sendAll(requests, timeout.toNanos(), -1);
  }

  /**
   * Like {@link #sendAll(List, Duration)}, with a required epoch as for {@link #send(Request, long,
   * long)}.
   *
   * @param requests the requests
   * @param timeoutNanos how long to wait for the replies
   * @param requiredEpoch the epoch the caller checked the server in, or -1 for any
   * @return one future per request, in order
   */
  public List<CompletableFuture<?>> sendAll(
      List<? extends Request<?>> requests, long timeoutNanos, long requiredEpoch) {
    Pending<?>[] batch = new Pending<?>[requests.size()];
    List<CompletableFuture<?>> futures = new ArrayList<>(batch.length);
    for (int i = 0; i < batch.length; i++) {
      batch[i] = new Pending<>(requests.get(i), timeoutNanos, requiredEpoch);
      futures.add(batch[i].future);
    }
    if (batch.length > 0) {
      timed(batch[batch.length - 1].future);
      pick().enqueue(batch, batch.length);
    }
    return futures;
  }

  /** Reports the time to this reply to the statistics listeners, if any. */
  private void timed(CompletableFuture<?> reply) {
    Listeners listeners = transport.listeners();
    if (listeners.any()) {
      long t0 = System.nanoTime();
      String server = address.toString();
      reply.whenComplete(
          (r, t) -> listeners.serverRequest(server, System.nanoTime() - t0, t == null));
    }
  }

  private Connection pick() {
    Connection[] cs = connections;
    if (cs.length == 1) {
      return cs[0];
    }
    int start = Math.floorMod(next.getAndIncrement(), cs.length);
    for (int i = 0; i < cs.length; i++) {
      Connection c = cs[(start + i) % cs.length];
      if (c.isConnected()) {
        return c;
      }
    }
    return cs[start];
  }

  /**
   * Tells whether the server looks stalled: a request to it timed out and no reply has come since.
   * A stalled server may be paused, overloaded or cut off without the connection noticing.
   *
   * @return true until the server answers again
   */
  public boolean isStalled() {
    return stalled;
  }

  void timedOut() {
    stalled = true;
  }

  void answered() {
    if (stalled) {
      stalled = false;
    }
  }

  void connected() {
    long e = epoch.incrementAndGet();
    for (ConnectionListener l : listeners) {
      try {
        l.connected(this, e);
      } catch (RuntimeException ex) {
        // A listener's failure must not break the connection.
      }
    }
    synchronized (connectedSignal) {
      connectedSignal.notifyAll();
    }
  }

  void disconnected(Throwable cause) {
    for (ConnectionListener l : listeners) {
      try {
        l.disconnected(this, cause);
      } catch (RuntimeException ex) {
        // A listener's failure must not break the connection.
      }
    }
  }

  /**
   * Closes the connections; requests under way fail with {@link io.memlock.ClientClosedException}.
   */
  @Override
  public void close() {
    for (Connection c : connections) {
      c.close();
    }
    transport.forget(this);
  }

  @Override
  public String toString() {
    return "memcached " + address;
  }
}
