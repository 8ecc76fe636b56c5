package io.memlock.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** One client connection of a {@link FaultProxy} and its upstream connection. */
final class ProxyConnection {
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final FaultProxy proxy;
  private final Socket client;
  private final Socket upstream = new Socket();
  private final InetSocketAddress upstreamAddress;
  private final String name;
  private final Pipe toUpstream;
  private final Pipe toClient;
  private volatile boolean closed;

  ProxyConnection(FaultProxy proxy, Socket client, InetSocketAddress upstream, String name) {
    this.proxy = proxy;
    this.client = client;
    this.upstreamAddress = upstream;
    this.name = name;
    this.toUpstream = new Pipe(client, this.upstream, false);
    this.toClient = new Pipe(this.upstream, client, true);
  }

  void start() {
    Thread thread = new Thread(this::connectAndPump, name + "-to-upstream");
    thread.setDaemon(true);
    thread.start();
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    FaultProxy.closeQuietly(client);
    FaultProxy.closeQuietly(upstream);
    toUpstream.stop();
    toClient.stop();
    proxy.closed(this);
  }

  private void connectAndPump() {
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      upstream.connect(upstreamAddress, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      close();
      return;
    }
    if (closed) {
      FaultProxy.closeQuietly(upstream);
      return;
    }
    Thread thread = new Thread(toClient::pump, name + "-to-client");
    thread.setDaemon(true);
    thread.start();
    toUpstream.pump();
  }

  /** Ends the client connection after the bytes already sent: FIN first, then close. */
  private void cut() {
    try {
      client.shutdownOutput();
    } catch (IOException e) {
      // closing anyway
    }
    close();
  }

  private record Chunk(byte[] bytes, long dueNanos, boolean last) {}

  /** One direction: a reader thread, plus a writer thread once latency queues chunks. */
  private final class Pipe {
    private final Socket from;
    private final Socket to;
    private final boolean towardClient;
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private volatile Thread writer;

    Pipe(Socket from, Socket to, boolean towardClient) {
      this.from = from;
      this.to = to;
      this.towardClient = towardClient;
    }

    void pump() {
      byte[] buffer = new byte[64 * 1024];
      try {
        InputStream in = from.getInputStream();
        int read;
        while ((read = in.read(buffer)) != -1) {
          if (proxy.blackholed()) {
            continue;
          }
          int cut = towardClient ? proxy.takeCut(ProxyConnection.this, read) : -1;
          submit(Arrays.copyOf(buffer, cut < 0 ? read : cut), cut >= 0);
          if (cut >= 0) {
            return;
          }
        }
        submit(new byte[0], true);
      } catch (IOException e) {
        close();
      }
    }

    private synchronized void submit(byte[] bytes, boolean last) {
      if (closed) {
        return;
      }
      long latency = proxy.latencyNanos();
      if (latency == 0 && pending.isEmpty()) {
        deliver(new Chunk(bytes, 0, last));
        return;
      }
      pending.add(new Chunk(bytes, System.nanoTime() + latency, last));
      if (writer == null) {
        writer = new Thread(this::writeLoop, name + (towardClient ? "-client" : "-upstream"));
        writer.setDaemon(true);
        writer.start();
      }
      notifyAll();
    }

    private synchronized void writeLoop() {
      try {
        while (!closed) {
          Chunk chunk = pending.peek();
          long wait = chunk == null ? 0 : chunk.dueNanos() - System.nanoTime();
          if (chunk == null) {
            wait();
          } else if (wait > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, wait);
          } else {
            deliver(pending.poll());
          }
        }
      } catch (InterruptedException e) {
        // stopped
      }
    }

    private void deliver(Chunk chunk) {
      if (closed) {
        return;
      }
      try {
        if (chunk.bytes().length > 0) {
          OutputStream out = to.getOutputStream();
          out.write(chunk.bytes());
          out.flush();
        }
      } catch (IOException e) {
        close();
        return;
      }
      if (chunk.last()) {
        if (towardClient) {
          cut();
        } else {
          close();
        }
      }
    }

    /** Wakes the writer so it exits; takes no lock, so it is safe from any thread. */
    void stop() {
      Thread current = writer;
      if (current != null) {
        current.interrupt();
      }
    }
  }
}
