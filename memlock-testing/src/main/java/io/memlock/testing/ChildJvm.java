package io.memlock.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Another JVM running a main class with this JVM's classpath, for multi-process tests.
 *
 * <p>The child's stdout and stderr are merged and drained continuously into memory, so the child
 * never blocks on output. Like {@link MemcachedServer}, a watchdog sidecar SIGKILLs the child if
 * this JVM dies. The child's stdin is a pipe from this JVM that closes when this JVM exits.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Watchdog watchdog;
  private final List<String> lines = new ArrayList<>();
  private boolean ended;

  private ChildJvm(Process process) throws IOException {
    this.process = process;
    this.watchdog = Watchdog.watch(process.pid());
    Thread drainer = new Thread(this::drain, "child-jvm-" + process.pid() + "-output");
    drainer.setDaemon(true);
    drainer.start();
  }

  /**
   * Starts {@code java -cp <this classpath> <mainClass> <args>} using this JVM's {@code java.home}.
   * The child runs with {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} to start fast.
   *
   * @param mainClass the class whose {@code main} runs
   * @param args its arguments
   * @return the running child
   */
  public static ChildJvm start(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    try {
      return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start child JVM: " + command, e);
    }
  }

  /**
   * The child's pid.
   *
   * @return the child's pid
   */
  public long pid() {
    return process.pid();
  }

  /**
   * The child process.
   *
   * @return the child process
   */
  public Process process() {
    return process;
  }

  /**
   * The output lines (stdout and stderr merged) read so far.
   *
   * @return a copy of the lines read so far
   */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Waits for an output line (earlier ones included) matching {@code matcher} and returns it.
   *
   * @param matcher what the line must match
   * @param timeout how long to wait
   * @return the first matching line
   * @throws AssertionError if none appears within {@code timeout} or the output ends first
   */
  public synchronized String awaitLine(Predicate<String> matcher, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    try {
      while (true) {
        for (; checked < lines.size(); checked++) {
          if (matcher.test(lines.get(checked))) {
            return lines.get(checked);
          }
        }
        long left = deadline - System.nanoTime();
        if (ended || left <= 0) {
          String why = ended ? "output ended" : "timed out after " + timeout;
          throw new AssertionError("no matching line from child JVM (" + why + "): " + lines);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting child output", e);
    }
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** Freezes the child with SIGSTOP; returns once it is stopped. */
  public void pause() {
    Processes.signal(pid(), "STOP");
    Processes.awaitStopped(pid(), 10_000);
  }

  /** Unfreezes a paused child with SIGCONT. */
  public void resume() {
    Processes.signal(pid(), "CONT");
  }

  /**
   * Waits for the child to exit and returns its exit code.
   *
   * @param timeout how long to wait
   * @return the exit code
   * @throws AssertionError if it does not exit within {@code timeout}
   */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("child JVM " + pid() + " still running after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for child JVM", e);
    }
    watchdog.release();
    return process.exitValue();
  }

  /** Kills the child if it is still alive. Idempotent. */
  @Override
  public void close() {
    kill();
  }

  private void drain() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (this) {
          lines.add(line);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the child is gone
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }
}
