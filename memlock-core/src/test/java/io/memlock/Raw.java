package io.memlock;

import io.memlock.testing.MemcachedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Talks to a memcached server directly, behind memlock's back. */
final class Raw {
  private Raw() {}

  /**
   * Sends meta commands and returns every reply line before the closing {@code mn}'s {@code MN}.
   *
   * @param server the server
   * @param commands the commands, each ending in CRLF
   * @return the replies, trimmed
   */
  static String send(MemcachedServer server, String commands) throws IOException {
    try (Socket s = new Socket(server.host(), server.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write((commands + "mn\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (true) {
        String text = out.toString(StandardCharsets.US_ASCII);
        if (text.endsWith("MN\r\n")) {
          return text.substring(0, text.length() - 4).trim();
        }
        int n = in.read(buf);
        if (n < 0) {
          throw new IOException("connection closed after: " + text);
        }
        out.write(buf, 0, n);
      }
    }
  }

  /** Tells whether a key exists on a server. */
  static boolean exists(MemcachedServer server, String key) throws IOException {
    return send(server, "mg " + key + "\r\n").startsWith("HD");
  }

  /** Deletes a key on a server. */
  static void delete(MemcachedServer server, String key) throws IOException {
    send(server, "md " + key + " q\r\n");
  }

  /** Stores a value under a key on a server. */
  static void set(MemcachedServer server, String key, String value, int ttl) throws IOException {
    send(server, "ms " + key + " " + value.length() + " T" + ttl + " q\r\n" + value + "\r\n");
  }

  /** Reads a counter's value on a server, or -1 when missing. */
  static long number(MemcachedServer server, String key) throws IOException {
    String r = send(server, "mg " + key + " v\r\n");
    if (!r.startsWith("VA")) {
      return -1;
    }
    return Long.parseLong(r.split("\r\n")[1].trim());
  }
}
