package io.memlock.bench.locks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads server statistics over a short-lived plain TCP connection: memcached's {@code stats} and
 * Redis's {@code INFO}. Used to count the traffic a scenario causes on the server.
 */
public final class ServerStats {
  private static final int TIMEOUT_MILLIS = 5000;

  private ServerStats() {}

  /**
   * Returns memcached's {@code stats}.
   *
   * @param hostAndPort the server
   * @return name to value
   * @throws IOException if the exchange fails
   */
  public static Map<String, String> memcached(String hostAndPort) throws IOException {
    try (Socket s = connect(hostAndPort)) {
      OutputStream out = s.getOutputStream();
      out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(s.getInputStream());
      Map<String, String> stats = new LinkedHashMap<>();
      while (true) {
        String line = readLine(in);
        if (line.equals("END")) {
          return stats;
        }
        String[] parts = line.split(" ", 3);
        if (parts.length == 3 && parts[0].equals("STAT")) {
          stats.put(parts[1], parts[2]);
        } else {
          throw new IOException("unexpected stats line: " + line);
        }
      }
    }
  }

  /**
   * Returns a section of Redis's {@code INFO}.
   *
   * @param hostAndPort the server
   * @param section e.g. {@code stats}, {@code cpu}, {@code commandstats}
   * @return name to value
   * @throws IOException if the exchange fails
   */
  public static Map<String, String> redisInfo(String hostAndPort, String section)
      throws IOException {
    Map<String, String> info = new LinkedHashMap<>();
    for (String line : redisCommand(hostAndPort, "INFO " + section).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        info.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return info;
  }

  /**
   * Sends one inline command to Redis and returns its simple-string or bulk-string reply.
   *
   * @param hostAndPort the server
   * @param command e.g. {@code PING}
   * @return the reply's text
   * @throws IOException if the exchange fails or Redis answers with an error
   */
  public static String redisCommand(String hostAndPort, String command) throws IOException {
    try (Socket s = connect(hostAndPort)) {
      OutputStream out = s.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(s.getInputStream());
      String first = readLine(in);
      if (first.startsWith("+")) {
        return first.substring(1);
      }
      if (first.startsWith("$")) {
        int length = Integer.parseInt(first.substring(1));
        byte[] body = in.readNBytes(Math.max(0, length));
        return new String(body, StandardCharsets.UTF_8);
      }
      throw new IOException("Redis answered " + first + " to " + command);
    }
  }

  private static Socket connect(String hostAndPort) throws IOException {
    int colon = hostAndPort.lastIndexOf(':');
    Socket s = new Socket();
    try {
      s.connect(
          new InetSocketAddress(
              hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1))),
          TIMEOUT_MILLIS);
      s.setSoTimeout(TIMEOUT_MILLIS);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }
}
