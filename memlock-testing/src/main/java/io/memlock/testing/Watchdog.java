package io.memlock.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A sidecar shell process that SIGKILLs a watched process when this JVM dies.
 *
 * <p>The sidecar blocks reading a pipe whose write end only this JVM holds. When the JVM exits for
 * any reason (including SIGKILL or a crash) the pipe closes, the read returns end-of-file and the
 * sidecar kills the watched process. {@link #release()} tells the sidecar to exit without killing.
 * Used for the memcached servers and child JVMs of this module, and by memlock-bench for its worker
 * JVMs and redis-server.
 */
public final class Watchdog {
  private static final String SCRIPT =
      "trap '' HUP INT TERM; read -r line; [ \"$line\" = stop ] || kill -9 %d 2>/dev/null";

  private final Process sidecar;
  private boolean released;

  private Watchdog(Process sidecar) {
    this.sidecar = sidecar;
  }

  /**
   * Starts a sidecar that kills {@code pid} once this JVM is gone.
   *
   * @param pid the process to kill
   * @return the watchdog
   * @throws IOException if the sidecar shell cannot be started
   */
  public static Watchdog watch(long pid) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", String.format(SCRIPT, pid));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new Watchdog(builder.start());
  }

  /** Lets the sidecar exit without killing; the watched process is already gone. Idempotent. */
  public synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    try (OutputStream in = sidecar.getOutputStream()) {
      in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      sidecar.destroyForcibly();
    }
  }
}
