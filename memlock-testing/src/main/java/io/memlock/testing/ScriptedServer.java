package io.memlock.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A scriptable, misbehaving memcached on a free loopback port, for codec tests.
 *
 * <p>A request is one line ending in {@code \r\n}; for a line starting with {@code "ms "} the third
 * token is a data length, and that many bytes plus {@code \r\n} follow as part of the request.
 * Every request is recorded and consumes the next scripted action (first in, first out). With an
 * empty script a request gets no answer. The script is shared by all connections, so it continues
 * across reconnects.
 *
 * <pre>{@code
 * try (ScriptedServer server = ScriptedServer.start()) {
 *   server.reply("HD\r\n").replyInChunks(bytes, 3).closeConnection();
 *   ...
 * }
 * }</pre>
 */
public final class ScriptedServer implements AutoCloseable {
  private final ServerSocket serverSocket;
  private final Thread acceptor;
  private final ArrayDeque<ScriptedAction> script = new ArrayDeque<>();
  private final List<String> requests = new ArrayList<>();
  private final List<byte[]> data = new ArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile int connections;
  private volatile boolean closed;

  private ScriptedServer() throws IOException {
    serverSocket = Ports.bindLoopback();
    acceptor = new Thread(this::acceptLoop, "scripted-server-" + port() + "-acceptor");
    acceptor.setDaemon(true);
  }

  /**
   * Starts a server on a free loopback port with an empty script.
   *
   * @return the running server
   */
  public static ScriptedServer start() {
    try {
      ScriptedServer server = new ScriptedServer();
      server.acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start scripted server", e);
    }
  }

  /**
   * The server's loopback port.
   *
   * @return the port
   */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * The server's socket address.
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(Ports.HOST, port());
  }

  /**
   * The address as {@code 127.0.0.1:port}.
   *
   * @return {@code 127.0.0.1:port}
   */
  public String hostAndPort() {
    return Ports.HOST + ":" + port();
  }

  /**
   * Scripts an answer of exactly these bytes (UTF-8), which must include any {@code \r\n}.
   *
   * @param raw the answer
   * @return this server
   */
  public ScriptedServer reply(String raw) {
    return reply(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Scripts an answer of exactly these bytes.
   *
   * @param raw the answer
   * @return this server
   */
  public ScriptedServer reply(byte[] raw) {
    return add(ScriptedAction.reply(raw, raw.length, false));
  }

  /**
   * Scripts an answer of these bytes followed by closing the connection.
   *
   * @param raw the answer
   * @return this server
   */
  public ScriptedServer replyAndClose(byte[] raw) {
    return add(ScriptedAction.reply(raw, raw.length, true));
  }

  /**
   * Scripts an answer of these bytes (UTF-8) followed by closing the connection.
   *
   * @param raw the answer
   * @return this server
   */
  public ScriptedServer replyAndClose(String raw) {
    return replyAndClose(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Scripts an answer written in flushed chunks of {@code chunkSize} bytes with a short pause
   * between them, to exercise decoding of split frames.
   *
   * @param raw the answer
   * @param chunkSize bytes per chunk, 1 or more
   * @return this server
   */
  public ScriptedServer replyInChunks(byte[] raw, int chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
    }
    return add(ScriptedAction.reply(raw, chunkSize, false));
  }

  /**
   * Scripts closing the connection without answering.
   *
   * @return this server
   */
  public ScriptedServer closeConnection() {
    return add(ScriptedAction.reply(new byte[0], 1, true));
  }

  /**
   * Scripts no answer to the request; the connection stays open.
   *
   * @return this server
   */
  public ScriptedServer hang() {
    return add(ScriptedAction.reply(new byte[0], 1, false));
  }

  /**
   * The request lines received so far (without {@code \r\n}), in arrival order.
   *
   * @return a copy of the request lines
   */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /**
   * The data block of request {@code index} (without its trailing {@code \r\n}); empty if the
   * request had none.
   *
   * @param index the request's index, from 0
   * @return the data block
   */
  public synchronized byte[] data(int index) {
    return data.get(index).clone();
  }

  /**
   * Waits until at least {@code n} requests arrived and returns all request lines so far.
   *
   * @param n how many requests to wait for
   * @param timeout how long to wait
   * @return the request lines received so far
   * @throws AssertionError if fewer than {@code n} arrive within {@code timeout}
   */
  public synchronized List<String> awaitRequests(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      long left;
      while (requests.size() < n && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting requests", e);
    }
    if (requests.size() < n) {
      throw new AssertionError(
          "expected " + n + " requests within " + timeout + " but got " + requests);
    }
    return List.copyOf(requests);
  }

  /**
   * The number of client connections accepted so far.
   *
   * @return the number of accepted connections
   */
  public int connections() {
    return connections;
  }

  /** Stops accepting and closes every connection. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException e) {
      // closing anyway
    }
    sockets.forEach(FaultProxy::closeQuietly);
  }

  /** A short description with the address. */
  @Override
  public String toString() {
    return "ScriptedServer[" + hostAndPort() + "]";
  }

  private synchronized ScriptedServer add(ScriptedAction action) {
    script.add(action);
    return this;
  }

  private synchronized ScriptedAction record(String line, byte[] block) {
    requests.add(line);
    data.add(block);
    notifyAll();
    ScriptedAction next = script.poll();
    return next == null ? ScriptedAction.reply(new byte[0], 1, false) : next;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
        sockets.add(socket);
        connections++;
        Thread handler = new Thread(() -> serve(socket), "scripted-server-" + port() + "-conn");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String line;
      while (!closed && (line = TextProtocol.readLine(in)) != null) {
        byte[] block = new byte[0];
        String[] tokens = line.split(" ");
        if (tokens[0].equals("ms") && tokens.length >= 3 && tokens[2].matches("\\d{1,9}")) {
          block = in.readNBytes(Integer.parseInt(tokens[2]));
          in.readNBytes(2);
        }
        if (!record(line, block).perform(socket)) {
          return;
        }
      }
    } catch (IOException e) {
      // client went away or server closed
    } finally {
      sockets.remove(socket);
    }
  }
}
