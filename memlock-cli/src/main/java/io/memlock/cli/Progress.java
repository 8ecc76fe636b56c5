package io.memlock.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's progress on stderr: a bar redrawn in place when stderr is a terminal, else a plain
 * line every few seconds (for logs and pipes).
 */
final class Progress {
  private static final int WIDTH = 30;
  private static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

  private final PrintStream err;
  private final boolean terminal;
  private long nextPlain;
  private boolean drawn;

  Progress(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Returns progress for this process's stderr. */
  static Progress onStderr() {
    return new Progress(System.err, stderrIsTerminal());
  }

  /** Tells whether fd 2 is a terminal (Linux: where /proc/self/fd/2 points). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /**
   * Shows how far a phase is.
   *
   * @param label the phase
   * @param done orders done
   * @param total orders in all
   */
  synchronized void update(String label, int done, int total) {
    if (terminal) {
      int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
      err.print(
          "\r"
              + label
              + " ["
              + "#".repeat(filled)
              + ".".repeat(WIDTH - filled)
              + "] "
              + done
              + "/"
              + total
              + " orders\033[K");
      err.flush();
      drawn = true;
    } else {
      long now = System.nanoTime();
      if (now - nextPlain >= 0) {
        err.println(label + ": " + done + "/" + total + " orders");
        nextPlain = now + PLAIN_EVERY_NANOS;
      }
    }
  }

  /**
   * Ends a phase: replaces the bar with a line saying how long it took.
   *
   * @param label the phase
   * @param done orders done
   * @param seconds how long the phase ran
   */
  synchronized void finish(String label, int done, double seconds) {
    say(String.format(java.util.Locale.ROOT, "%s: %d orders in %.1f s", label, done, seconds));
  }

  /**
   * Prints a message line, clearing the bar first.
   *
   * @param message the message
   */
  synchronized void say(String message) {
    if (drawn) {
      err.print("\r\033[K");
      drawn = false;
    }
    err.println(message);
    err.flush();
    nextPlain = System.nanoTime() + PLAIN_EVERY_NANOS;
  }
}
