package io.memlock.bench.locks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A sidecar shell that SIGKILLs a process when this JVM dies, however it dies: it blocks reading a
 * pipe whose write end only this JVM holds, and kills the process at end of file. {@link
 * #release()} lets it exit without killing. (The same trick as memlock-testing's servers and child
 * JVMs.)
 */
final class ProcessWatchdog {
  private static final String SCRIPT =
      "trap '' HUP INT TERM; read -r line; [ \"$line\" = stop ] || kill -9 %d 2>/dev/null";

  private final Process sidecar;
  private boolean released;

  private ProcessWatchdog(Process sidecar) {
    this.sidecar = sidecar;
  }

  /**
   * Starts a sidecar that kills {@code pid} once this JVM is gone.
   *
   * @param pid the process to kill
   * @return the watchdog
   */
  static ProcessWatchdog watch(long pid) {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", String.format(SCRIPT, pid));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      return new ProcessWatchdog(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the watchdog of pid " + pid, e);
    }
  }

  /** Lets the sidecar exit without killing; the watched process is gone. Idempotent. */
  synchronized void release() {
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
