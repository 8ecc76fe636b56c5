package io.memlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port that forwards to an upstream address and injects faults:
 * latency, a blackhole, refused connections, dropped connections and replies cut short.
 *
 * <p>Bytes are forwarded as they arrive, with TCP_NODELAY on both sides. Each client connection
 * gets its own upstream connection and its own threads.
 */
public final class FaultProxy implements AutoCloseable {
  private final InetSocketAddress upstream;
  private final ServerSocket serverSocket;
  private final Thread acceptor;
  private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile long latencyNanos;
  private volatile boolean blackhole;
  private volatile boolean refuse;
  private volatile boolean closed;
  private int cutBytes = -1;
  private ProxyConnection cutTarget;
  private int connectionNumber;

  private FaultProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.serverSocket = Ports.bindLoopback();
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + port() + "-acceptor");
    acceptor.setDaemon(true);
  }

  /**
   * Starts a proxy on a free loopback port forwarding to {@code upstream}.
   *
   * @param upstream the server to forward to
   * @return the running proxy
   */
  public static FaultProxy start(InetSocketAddress upstream) {
    Objects.requireNonNull(upstream, "upstream");
    try {
      FaultProxy proxy = new FaultProxy(upstream);
      proxy.acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start proxy to " + upstream, e);
    }
  }

  /**
   * The proxy's loopback port.
   *
   * @return the port
   */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * The proxy's socket address.
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(Ports.HOST, port());
  }

  /**
   * The proxy's address as {@code 127.0.0.1:port}.
   *
   * @return {@code 127.0.0.1:port}
   */
  public String hostAndPort() {
    return Ports.HOST + ":" + port();
  }

  /**
   * Delays every chunk forwarded in either direction by {@code latency}, keeping order. {@link
   * Duration#ZERO} turns the delay off.
   *
   * @param latency the delay per chunk, zero or positive
   * @return this proxy
   */
  public FaultProxy latency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("negative latency: " + latency);
    }
    latencyNanos = latency.toNanos();
    return this;
  }

  /**
   * While on, bytes in both directions are read and dropped; connections stay open.
   *
   * @param on true to drop, false to forward again
   * @return this proxy
   */
  public FaultProxy blackhole(boolean on) {
    blackhole = on;
    return this;
  }

  /**
   * While on, new client connections are accepted and closed at once.
   *
   * @param on true to refuse, false to accept again
   * @return this proxy
   */
  public FaultProxy refuse(boolean on) {
    refuse = on;
    return this;
  }

  /** Closes every current connection, client and upstream side. */
  public void dropConnections() {
    List.copyOf(connections).forEach(ProxyConnection::close);
  }

  /**
   * Of the next bytes upstream sends toward a client, forwards only {@code bytes} of them, then
   * closes that client connection: the client sees exactly {@code bytes} bytes and then end of
   * stream.
   *
   * @param bytes how many bytes of the reply to forward, 0 or more
   * @return this proxy
   */
  public synchronized FaultProxy cutNextReply(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative byte count: " + bytes);
    }
    cutBytes = bytes;
    cutTarget = null;
    return this;
  }

  /**
   * The number of currently open client connections.
   *
   * @return the number of open client connections
   */
  public int connectionCount() {
    return connections.size();
  }

  /** Stops accepting, closes every connection and stops all threads. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException e) {
      // closing anyway
    }
    dropConnections();
    try {
      acceptor.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A short description with the address. */
  @Override
  public String toString() {
    return "FaultProxy[" + hostAndPort() + " -> " + upstream + "]";
  }

  long latencyNanos() {
    return latencyNanos;
  }

  boolean blackholed() {
    return blackhole;
  }

  /**
   * How many of {@code length} bytes from upstream to forward before cutting {@code connection}, or
   * -1 to forward them all and not cut.
   */
  synchronized int takeCut(ProxyConnection connection, int length) {
    if (cutBytes < 0 || (cutTarget != null && cutTarget != connection)) {
      return -1;
    }
    cutTarget = connection;
    if (length < cutBytes) {
      cutBytes -= length;
      return -1;
    }
    int forward = cutBytes;
    cutBytes = -1;
    cutTarget = null;
    return forward;
  }

  synchronized void closed(ProxyConnection connection) {
    connections.remove(connection);
    if (cutTarget == connection) {
      cutTarget = null;
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = serverSocket.accept();
      } catch (IOException e) {
        return;
      }
      if (refuse || closed) {
        closeQuietly(client);
        continue;
      }
      String name = "fault-proxy-" + port() + "-c" + ++connectionNumber;
      ProxyConnection connection = new ProxyConnection(this, client, upstream, name);
      connections.add(connection);
      if (closed) {
        connection.close();
      } else {
        connection.start();
      }
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
