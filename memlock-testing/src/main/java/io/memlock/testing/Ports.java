package io.memlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback port helpers. */
final class Ports {
  static final String HOST = "127.0.0.1";
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {}

  /** The loopback address. */
  static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }

  /** A currently free loopback port, never one handed out before by this JVM. */
  static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free loopback port", e);
      }
    }
    throw new IllegalStateException("cannot find a free loopback port");
  }

  /** Binds a server socket on a free loopback port. */
  static ServerSocket bindLoopback() throws IOException {
    return new ServerSocket(0, 50, loopback());
  }

  /** Whether a TCP connection to the loopback port succeeds within the timeout. */
  static boolean accepts(int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(loopback(), port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
