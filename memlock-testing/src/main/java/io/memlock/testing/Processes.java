package io.memlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Process helpers: signals, bounded waits and polling pauses. */
final class Processes {
  private Processes() {}

  /** Runs {@code kill -<name> <pid>} and waits for it to succeed. */
  static void signal(long pid, String name) {
    String command = "kill -" + name + " " + pid;
    try {
      Process kill = new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start();
      if (!awaitExit(kill, 10_000) || kill.exitValue() != 0) {
        throw new IllegalStateException("'" + command + "' failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run '" + command + "'", e);
    }
  }

  /** Waits up to {@code millis} for the process to exit; true if it did. */
  static boolean awaitExit(Process process, long millis) {
    try {
      return process.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for pid " + process.pid(), e);
    }
  }

  /**
   * Polls /proc until the process is in the stopped state, at most {@code millis}. Returns at once
   * where /proc is unavailable.
   */
  static void awaitStopped(long pid, long millis) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (Files.exists(stat) && System.nanoTime() < deadline) {
      try {
        String text = Files.readString(stat, StandardCharsets.US_ASCII);
        char state = text.charAt(text.lastIndexOf(')') + 2);
        if (state == 'T' || state == 't') {
          return;
        }
      } catch (IOException | RuntimeException e) {
        return;
      }
      pause(1);
    }
  }

  /** A short pause between polls. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
