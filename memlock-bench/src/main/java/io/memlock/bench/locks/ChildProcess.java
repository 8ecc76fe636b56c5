package io.memlock.bench.locks;

import io.memlock.testing.Watchdog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM of the multi-process scenarios: {@code java <jvm options> -cp <this classpath>
 * <main> <args>} with the full JIT (unlike memlock-testing's {@code ChildJvm}, which starts fast
 * with C1 only and would measure the wrong thing). Commands go to its stdin as lines; its stdout
 * lines are queued for {@link #await}; its stderr goes to a log file. It never outlives this JVM: a
 * {@link Watchdog} SIGKILLs it if this JVM dies, and workers exit when their stdin closes.
 */
final class ChildProcess implements AutoCloseable {
  /** Heap and collector of every worker. */
  static final List<String> JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");

  private static final String EOF = "\u0000eof";

  private final String name;
  private final Process process;
  private final Watchdog watchdog;
  private final OutputStream stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path log;

  private ChildProcess(String name, Process process, Path log) throws IOException {
    this.name = name;
    this.process = process;
    this.log = log;
    this.watchdog = Watchdog.watch(process.pid());
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::drain, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a worker.
   *
   * @param name a name for messages and the log file
   * @param main the worker's main class, on this JVM's classpath
   * @param logDir where to write the worker's stderr ({@code <name>.log})
   * @param args the worker's arguments
   * @return the running worker
   */
  static ChildProcess start(String name, Class<?> main, Path logDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Path log = logDir.resolve(name + ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
      return new ChildProcess(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker " + name, e);
    }
  }

  private void drain() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the worker is gone
    } finally {
      lines.add(EOF);
    }
  }

  /**
   * Sends a command line.
   *
   * @param command the line, without its newline
   * @throws IllegalStateException if the worker has gone
   */
  void send(String command) {
    try {
      stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException(name + " is gone (see " + log + ")", e);
    }
  }

  /**
   * Waits for the next output line that starts with {@code prefix}; other lines are skipped. A line
   * starting with {@code error} fails the wait.
   *
   * @param prefix the expected start
   * @param timeout how long to wait
   * @return the line
   * @throws IllegalStateException if the worker reports an error, exits or does not answer in time
   */
  String await(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line;
      try {
        line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      if (line == null) {
        throw new IllegalStateException(
            name + " did not answer '" + prefix + "' within " + timeout + " (see " + log + ")");
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new IllegalStateException(name + " exited (see " + log + ")");
      }
      if (line.startsWith("error")) {
        throw new IllegalStateException(name + ": " + line + " (see " + log + ")");
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Closes the worker's stdin, which ends it, and kills it if it does not exit in 10 s. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // it is gone already
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    watchdog.release();
  }
}
