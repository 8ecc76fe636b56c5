package io.memlock;

import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one text command to a server and returns the first reply line, for inspecting items. */
final class RawMemcached {
  private RawMemcached() {}

  static String command(MemcachedServer server, String command) {
    try (Socket s = new Socket(server.host(), server.port())) {
      s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[512];
      int n = s.getInputStream().read(buf);
      String reply = new String(buf, 0, n, StandardCharsets.US_ASCII);
      return reply.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of an item as a number, or -1 when the item is missing. */
  static long number(MemcachedServer server, String key) {
    String reply = command(server, "mg " + key + " v");
    if (reply.startsWith("EN")) {
      return -1;
    }
    String[] lines = reply.split("\r\n");
    return Long.parseLong(lines[1].trim());
  }
}
