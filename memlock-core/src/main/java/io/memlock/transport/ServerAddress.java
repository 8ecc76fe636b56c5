package io.memlock.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A memcached server's host and port, parsed from {@code host:port} ({@code [v6]:port} for IPv6).
 *
 * @param host the host name or address
 * @param port the TCP port, 1 to 65535
 */
public record ServerAddress(String host, int port) {
  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException for an empty host or a port out of range
   */
  public ServerAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("server host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "server port must be 1 to 65535, got " + port + " for " + host);
    }
  }

  /**
   * Parses {@code host:port}.
   *
   * @param text the address
   * @return the address
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static ServerAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("server address is empty");
    }
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(
          "server address '" + text + "' must be host:port, e.g. 127.0.0.1:11211");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "server address '" + text + "': write IPv6 hosts in brackets, e.g. [::1]:11211");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "server address '" + text + "' has a port that is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "server address '" + text + "' has port " + port + "; ports are 1 to 65535");
    }
    return new ServerAddress(host, port);
  }

  /**
   * Parses a comma-separated list of {@code host:port}.
   *
   * @param list the addresses
   * @return the addresses, in order
   * @throws IllegalArgumentException for an empty list, a bad entry or a duplicate
   */
  public static List<ServerAddress> parseList(String list) {
    if (list == null || list.isBlank()) {
      throw new IllegalArgumentException("server list is empty");
    }
    List<ServerAddress> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      ServerAddress a = parse(part);
      if (out.contains(a)) {
        throw new IllegalArgumentException("server " + a + " is listed twice");
      }
      out.add(a);
    }
    return out;
  }

  /**
   * Returns an unresolved socket address for connecting.
   *
   * @return the socket address
   */
  public InetSocketAddress toSocketAddress() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
