package io.memlock.bench.clock;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One blocking loopback connection to memcached speaking a few meta commands, one request at a
 * time, so that the instant before a request is written can be taken right before the write.
 */
final class MetaConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  MetaConnection(InetSocketAddress address, int timeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(address, timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Writes {@code command} (without its CRLF) and returns the first reply line. */
  String exchange(String command) throws IOException {
    send(command);
    return readLine();
  }

  /** Writes {@code command} followed by CRLF. */
  void send(String command) throws IOException {
    out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Writes {@code requests} as they are (each already ending in CRLF) in one write. */
  void sendRaw(CharSequence requests) throws IOException {
    out.write(requests.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one reply line, without its CRLF. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(16);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("memcached closed the connection");
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
  }

  /** {@code ms <key> 1 T<ttl> [flags]} with the value {@code x}; returns the reply line. */
  String set(String key, int ttl, String flags) throws IOException {
    return exchange("ms " + key + " 1 T" + ttl + (flags.isEmpty() ? "" : " " + flags) + "\r\nx");
  }

  /** {@code mg <key>}: whether the item is there ({@code HD}) or not ({@code EN}). */
  boolean exists(String key) throws IOException {
    String reply = exchange("mg " + key);
    if (reply.equals("HD")) {
      return true;
    }
    if (reply.equals("EN")) {
      return false;
    }
    throw new IOException("mg " + key + " answered " + reply);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
