package io.memlock.testing;

import java.io.IOException;

/** Main class for {@link ChildJvmTest}: {@code memcached <tmpdir>} or {@code exit <code>}. */
public final class ChildMain {
  private ChildMain() {}

  /** Starts a memcached and blocks until stdin closes, or prints a line and exits with a code. */
  public static void main(String[] args) throws IOException {
    if (args[0].equals("memcached")) {
      // the JVM is SIGKILLed and cannot delete its memcached log: keep it in the test's temp dir
      System.setProperty("java.io.tmpdir", args[1]);
      MemcachedServer server = MemcachedServer.startNew();
      System.out.println("memcached pid " + server.pid() + " port " + server.port());
      System.out.flush();
      while (System.in.read() != -1) {
        // block until the parent closes our stdin or dies
      }
      server.close();
    } else {
      System.out.println("hello from child");
      System.exit(Integer.parseInt(args[1]));
    }
  }
}
