package io.memlock.cli;

/**
 * Keeps Netty from printing the JVM's warnings on JDK 24 and later: its use of {@code
 * sun.misc.Unsafe} and the native library of its epoll transport each make the JVM warn on standard
 * error, which would garble the tool's one-line messages. A command-line tool makes a handful of
 * requests: plain NIO and heap-safe buffers cost it nothing measurable. Settings given on the
 * command line ({@code -Dio.netty...}) win.
 */
final class QuietNetty {
  private QuietNetty() {}

  /** Sets the properties; must run before any Netty class is loaded. */
  static void apply() {
    setIfAbsent("io.netty.noUnsafe", "true");
    setIfAbsent("io.netty.transport.noNative", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
