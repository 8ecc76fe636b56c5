package io.memlock;

import io.memlock.testing.MemcachedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Reads and writes items with raw meta commands, bypassing memlock, to check what it stored. */
final class RawMemcached {
  private RawMemcached() {}

  /**
   * Sends one meta command (without its line end) and returns the reply: the status line, and for
   * {@code VA} a newline and the value as text.
   */
  static String meta(MemcachedServer server, String command) throws IOException {
    return meta(server.host(), server.port(), command);
  }

  /** Like {@link #meta(MemcachedServer, String)} for a server given as {@code host:port}. */
  static String meta(String hostAndPort, String command) throws IOException {
    int colon = hostAndPort.lastIndexOf(':');
    return meta(
        hostAndPort.substring(0, colon),
        Integer.parseInt(hostAndPort.substring(colon + 1)),
        command);
  }

  private static String meta(String host, int port, String command) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String line = readLine(in);
      if (!line.startsWith("VA ")) {
        return line;
      }
      int size = Integer.parseInt(line.split(" ")[1]);
      byte[] value = in.readNBytes(size + 2);
      return line + "\n" + new String(value, 0, size, StandardCharsets.UTF_8);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one meta command and returns the reply as {@link #meta} does, failing unchecked. */
  static String command(MemcachedServer server, String command) {
    try {
      return meta(server, command);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The value of an item as a number, or -1 when the item is missing. */
  static long number(MemcachedServer server, String key) {
    String reply = command(server, "mg " + key + " v");
    if (reply.startsWith("EN")) {
      return -1;
    }
    return Long.parseLong(reply.split("\n")[1].trim());
  }

  /** Tells whether a key exists on a server. */
  static boolean exists(MemcachedServer server, String key) {
    return command(server, "mg " + key).startsWith("HD");
  }

  /** Deletes a key on a server. */
  static void delete(MemcachedServer server, String key) {
    command(server, "md " + key);
  }

  /** Stores a value under a key on a server, with a TTL in seconds (0: none). */
  static void set(MemcachedServer server, String key, String value, int ttl) {
    String reply =
        command(server, "ms " + key + " " + value.length() + " T" + ttl + "\r\n" + value);
    if (!reply.startsWith("HD")) {
      throw new IllegalStateException("ms " + key + " answered " + reply);
    }
  }
}
