package io.memlock.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CLI running as its own process ({@code java -cp <test classpath> io.memlock.cli.Main}), with
 * stdout and stderr in files. MEMLOCK_SERVERS is removed from its environment, and the restart
 * grace is off (MEMLOCK_RESTART_GRACE=off) unless a test asks for it.
 */
final class CliProcess implements AutoCloseable {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts the CLI.
   *
   * @param dir where its output files go
   * @param args its command line
   * @return the running CLI
   */
  static CliProcess start(Path dir, String... args) {
    return start(dir, Map.of(), args);
  }

  /**
   * Starts the CLI with more environment variables.
   *
   * @param dir where its output files go
   * @param env variables to set (they override the defaults above)
   * @param args its command line
   * @return the running CLI
   */
  static CliProcess start(Path dir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    // Every signal at its default disposition, as from an interactive shell: a test run started in
    // the background (`mvn verify &` from a script) ignores SIGINT, the ignore is inherited by
    // memlock and its command, and a shell cannot trap a signal ignored when it started.
    command.addAll(List.of("env", "--default-signal"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    int n = COUNT.incrementAndGet();
    Path out = dir.resolve("cli-" + n + ".out");
    Path err = dir.resolve("cli-" + n + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().remove("MEMLOCK_SERVERS");
    // The tests' memcached was started for them: no lock can predate its start.
    builder.environment().put("MEMLOCK_RESTART_GRACE", "off");
    builder.environment().putAll(env);
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    try {
      return new CliProcess(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the CLI to its end.
   *
   * @param dir where its output files go
   * @param args its command line
   * @return the finished CLI
   */
  static CliProcess run(Path dir, String... args) {
    CliProcess p = start(dir, args);
    p.waitFor(Duration.ofSeconds(60));
    return p;
  }

  /** The process. */
  Process process() {
    return process;
  }

  /**
   * Waits for the exit.
   *
   * @param timeout the longest wait
   * @return the exit status
   * @throws AssertionError if it is still running then
   */
  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new AssertionError("memlock still running after " + timeout + "; stderr: " + err());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** The exit status; the process must have ended. */
  int exit() {
    return process.exitValue();
  }

  /** What it wrote to stdout so far. */
  String out() {
    return read(out);
  }

  /** What it wrote to stderr so far. */
  String err() {
    return read(err);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills it and its descendants if they still run. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return "memlock pid " + process.pid() + "\nstdout: " + out() + "\nstderr: " + err();
  }
}
