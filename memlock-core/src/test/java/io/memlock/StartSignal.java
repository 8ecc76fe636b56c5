package io.memlock;

import io.memlock.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Lets child JVMs start their work together: each prints {@code ready} and waits for a line on its
 * stdin, which the test sends once every child is ready.
 */
final class StartSignal {
  private StartSignal() {}

  /** In the child: announce readiness and wait for the signal. */
  static void awaitInChild() throws IOException {
    System.out.println("ready");
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }

  /** In the test: wait until every child is ready, then signal them all. */
  static void release(List<ChildJvm> children, Duration startup) throws IOException {
    for (ChildJvm c : children) {
      c.awaitLine("ready"::equals, startup);
    }
    for (ChildJvm c : children) {
      OutputStream in = c.process().getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
    }
  }
}
