package io.memlock.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal memcached text-protocol exchanges over a fresh raw socket. */
final class TextProtocol {
  private TextProtocol() {}

  /** Sends {@code command} and returns reply lines up to and including one equal to {@code end}. */
  static List<String> exchange(int port, String command, String end, int timeoutMillis)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Ports.loopback(), port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      List<String> lines = new ArrayList<>();
      while (true) {
        String line = readLine(in);
        if (line == null) {
          throw new IOException("connection closed after " + lines + " in reply to " + command);
        }
        lines.add(line);
        if (line.equals(end) || line.contains("ERROR")) {
          return lines;
        }
      }
    }
  }

  /** Parses {@code STAT name value} lines into a map. */
  static Map<String, String> stats(int port, int timeoutMillis) throws IOException {
    Map<String, String> stats = new LinkedHashMap<>();
    for (String line : exchange(port, "stats", "END", timeoutMillis)) {
      String[] parts = line.split(" ", 3);
      if (parts.length == 3 && parts[0].equals("STAT")) {
        stats.put(parts[1], parts[2]);
      } else if (!line.equals("END")) {
        throw new IOException("unexpected stats reply line: " + line);
      }
    }
    return stats;
  }

  /** Reads one line terminated by \r\n (or \n), without the terminator; null on end of stream. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
          length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    return null;
  }
}
