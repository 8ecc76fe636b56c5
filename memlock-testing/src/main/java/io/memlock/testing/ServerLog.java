package io.memlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temp directory holding one log file per memcached launch. */
final class ServerLog {
  private static final int TAIL_CHARS = 2000;

  private volatile Path dir;
  private Path current;
  private int launches;

  /** Creates (the directory if needed and) a fresh log file for the next launch. */
  Path next(int port) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("memcached-");
      }
      current = dir.resolve("memcached-" + port + "-" + ++launches + ".log");
      return current;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a memcached log directory", e);
    }
  }

  /** The last characters of the current log file, prefixed with its path; "" if none. */
  String tail() {
    if (current == null || !Files.exists(current)) {
      return "";
    }
    try {
      String log = Files.readString(current, StandardCharsets.UTF_8);
      String tail = log.length() > TAIL_CHARS ? log.substring(log.length() - TAIL_CHARS) : log;
      return "\nlog " + current + ":\n" + tail;
    } catch (IOException e) {
      return "\n(cannot read " + current + ": " + e + ")";
    }
  }

  /** Deletes the directory and its logs, best effort. */
  void delete() {
    Path root = dir;
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temp directory
    }
  }
}
