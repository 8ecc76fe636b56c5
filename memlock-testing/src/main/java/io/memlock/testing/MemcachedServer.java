package io.memlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One real memcached process listening on a loopback port, for tests.
 *
 * <p>memcached runs as {@code memcached -l 127.0.0.1 -p <port> -U 0 -m <MB> -t <threads> <args>}
 * (plus {@code -u root} when this JVM runs as root), as a direct child of this JVM, with its output
 * in a temp log file whose tail is reported if it fails to start. It never outlives the JVM: a
 * shutdown hook kills every server not closed, and a small watchdog sidecar kills it even when the
 * JVM is SIGKILLed or crashes. Once a server has started its port never changes: {@link #stop()} or
 * {@link #kill()} followed by {@link #start()}, and {@link #restart()}, keep the same address.
 *
 * <p>{@link #flushAll()} and {@link #stats()} speak the plain text protocol, so they do not work
 * with TLS ({@code -Z}) or SASL servers.
 *
 * <p>Lifecycle methods are synchronized; {@link #port()}, {@link #address()} and {@link
 * #isRunning()} may be called from any thread at any time.
 */
public final class MemcachedServer implements AutoCloseable {
  /** Servers started and not yet closed. */
  private static final Set<MemcachedServer> OPEN = ConcurrentHashMap.newKeySet();

  private static final int MAX_FRESH_PORT_ATTEMPTS = 5;
  private static final int PROBE_TIMEOUT_MILLIS = 250;
  private static final long NO_ANSWER = -1;
  private static final int COMMAND_TIMEOUT_MILLIS = 5000;
  private static final long EXIT_TIMEOUT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 10;

  static {
    Thread reaper = new Thread(MemcachedServer::killAllOpen, "memcached-shutdown-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  private final Path executable;
  private final List<String> options;
  private final Duration startTimeout;
  private volatile int port;
  private volatile Process process;
  private boolean portFixed;
  private Watchdog watchdog;
  private boolean paused;
  private boolean closed;
  private final ServerLog log = new ServerLog();

  MemcachedServer(Path executable, List<String> options, int port, Duration startTimeout) {
    this.executable = executable;
    this.options = List.copyOf(options);
    this.startTimeout = startTimeout;
    this.portFixed = port != 0;
    this.port = port != 0 ? port : Ports.freePort();
  }

  /**
   * Returns a builder for a server with default settings (64 MB, 2 threads, a free port).
   *
   * @return a new builder
   */
  public static MemcachedServerBuilder builder() {
    return new MemcachedServerBuilder();
  }

  /**
   * Builds and starts a server with all default settings.
   *
   * @return the running server
   */
  public static MemcachedServer startNew() {
    return builder().start();
  }

  /**
   * The host the server listens on: {@code 127.0.0.1}.
   *
   * @return {@code 127.0.0.1}
   */
  public String host() {
    return Ports.HOST;
  }

  /**
   * The TCP port the server listens (or will listen) on.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The server's socket address.
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(Ports.HOST, port);
  }

  /**
   * The address as {@code 127.0.0.1:port}.
   *
   * @return {@code 127.0.0.1:port}
   */
  public String hostAndPort() {
    return Ports.HOST + ":" + port;
  }

  /**
   * The pid of the current (or most recent) memcached process.
   *
   * @return the pid
   * @throws IllegalStateException if the server was never started
   */
  public long pid() {
    Process current = process;
    if (current == null) {
      throw new IllegalStateException("memcached was never started");
    }
    return current.pid();
  }

  /**
   * Whether the memcached process is alive (a paused process counts as running).
   *
   * @return true while the process is alive
   */
  public boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /**
   * Starts memcached and waits until it accepts connections. After {@link #stop()} or {@link
   * #kill()} this starts it again on the same port.
   *
   * @return this server
   * @throws IllegalStateException if it is already running, closed, or fails to start in time
   */
  public synchronized MemcachedServer start() {
    if (closed) {
      throw new IllegalStateException("server is closed");
    }
    if (isRunning()) {
      throw new IllegalStateException("memcached is already running on port " + port);
    }
    long deadline = System.nanoTime() + startTimeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      if (!portFixed) {
        deadline = System.nanoTime() + startTimeout.toNanos();
      }
      if (launchAndAwait(deadline)) {
        portFixed = true;
        return this;
      }
      if (!portFixed && attempt < MAX_FRESH_PORT_ATTEMPTS) {
        port = Ports.freePort();
      } else if (!portFixed || System.nanoTime() > deadline) {
        throw new IllegalStateException("port " + port + " is in use" + failureDetails());
      } else {
        Processes.pause(50);
      }
    }
  }

  /** Stops memcached with SIGTERM and waits for it to exit; does nothing if not running. */
  public synchronized void stop() {
    Process current = process;
    if (current != null && current.isAlive()) {
      current.destroy();
      if (paused) {
        Processes.signal(pid(), "CONT");
      }
      // memcached checks for SIGTERM when its main loop wakes, at least once a second; a
      // connection attempt wakes it at once.
      Ports.accepts(port, PROBE_TIMEOUT_MILLIS);
      if (!Processes.awaitExit(current, EXIT_TIMEOUT_MILLIS)) {
        current.destroyForcibly();
        Processes.awaitExit(current, EXIT_TIMEOUT_MILLIS);
      }
    }
    afterExit();
  }

  /** Kills memcached with SIGKILL and waits for it to exit; does nothing if not running. */
  public synchronized void kill() {
    Process current = process;
    if (current != null && current.isAlive()) {
      current.destroyForcibly();
      if (!Processes.awaitExit(current, EXIT_TIMEOUT_MILLIS)) {
        throw new IllegalStateException("memcached pid " + current.pid() + " did not die");
      }
    }
    afterExit();
  }

  /**
   * Freezes memcached with SIGSTOP: connections stay open but nothing is answered. Returns once the
   * process is stopped.
   */
  public synchronized void pause() {
    requireRunning();
    Processes.signal(pid(), "STOP");
    paused = true;
    Processes.awaitStopped(pid(), EXIT_TIMEOUT_MILLIS);
  }

  /** Unfreezes a paused memcached with SIGCONT. */
  public synchronized void resume() {
    requireRunning();
    Processes.signal(pid(), "CONT");
    paused = false;
  }

  /**
   * Whether the server is currently paused by {@link #pause()}.
   *
   * @return true between {@link #pause()} and {@link #resume()}
   */
  public synchronized boolean isPaused() {
    return paused && isRunning();
  }

  /**
   * Stops memcached if it is running (all data is lost) and starts it again on the same port,
   * waiting until it accepts connections.
   */
  public synchronized void restart() {
    stop();
    start();
  }

  /**
   * Sends {@code flush_all} over a raw text-protocol connection.
   *
   * @throws IllegalStateException if memcached does not answer {@code OK}
   * @throws UncheckedIOException if the exchange fails
   */
  public void flushAll() {
    try {
      List<String> reply = TextProtocol.exchange(port, "flush_all", "OK", COMMAND_TIMEOUT_MILLIS);
      if (!reply.equals(List.of("OK"))) {
        throw new IllegalStateException("flush_all answered " + reply);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("flush_all to " + hostAndPort() + " failed", e);
    }
  }

  /**
   * Returns the output of the text-protocol {@code stats} command as a name to value map.
   *
   * @return each statistic's name and value
   * @throws UncheckedIOException if the exchange fails
   */
  public Map<String, String> stats() {
    try {
      return TextProtocol.stats(port, COMMAND_TIMEOUT_MILLIS);
    } catch (IOException e) {
      throw new UncheckedIOException("stats from " + hostAndPort() + " failed", e);
    }
  }

  /** Kills memcached and deletes its log directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    kill();
    closed = true;
    OPEN.remove(this);
    log.delete();
  }

  /** A short description with the address and whether it is running. */
  @Override
  public String toString() {
    return "MemcachedServer[" + hostAndPort() + (isRunning() ? ", running" : "") + "]";
  }

  /** Launches one process; true once it accepts connections, false if the port was taken. */
  private boolean launchAndAwait(long deadline) {
    Process launched = launch();
    while (true) {
      if (!launched.isAlive()) {
        afterExit();
        if (log.tail().contains("Address already in use")) {
          return false;
        }
        throw new IllegalStateException(
            "memcached exited with code " + launched.exitValue() + " on start" + failureDetails());
      }
      long listener = Ports.accepts(port, PROBE_TIMEOUT_MILLIS) ? listenerPid() : NO_ANSWER;
      if (listener > 0 && listener != launched.pid()) {
        kill();
        return false;
      }
      if (listener != NO_ANSWER && launched.isAlive()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        kill();
        throw new IllegalStateException(
            "memcached did not accept connections on port "
                + port
                + " within "
                + startTimeout
                + failureDetails());
      }
      Processes.awaitExit(launched, POLL_MILLIS);
    }
  }

  private Process launch() {
    try {
      Path logFile = log.next(port);
      ProcessBuilder builder = new ProcessBuilder(command());
      builder.redirectErrorStream(true);
      builder.redirectOutput(logFile.toFile());
      Process launched = builder.start();
      launched.getOutputStream().close();
      process = launched;
      paused = false;
      OPEN.add(this);
      watchdog = Watchdog.watch(launched.pid());
      return launched;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command(), e);
    }
  }

  private String failureDetails() {
    return "\ncommand: " + String.join(" ", command()) + log.tail();
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("-u", "root"));
    }
    command.addAll(List.of("-l", Ports.HOST, "-p", Integer.toString(port), "-U", "0"));
    command.addAll(options);
    return command;
  }

  /**
   * The pid reported by whoever listens on our port: 0 if that cannot be told (e.g. with TLS),
   * {@link #NO_ANSWER} if it did not answer in time.
   */
  private long listenerPid() {
    try {
      String pid = TextProtocol.stats(port, PROBE_TIMEOUT_MILLIS).get("pid");
      return pid == null ? 0 : Long.parseLong(pid);
    } catch (SocketTimeoutException e) {
      return NO_ANSWER;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private void afterExit() {
    if (watchdog != null) {
      watchdog.release();
      watchdog = null;
    }
    paused = false;
  }

  private void requireRunning() {
    if (!isRunning()) {
      throw new IllegalStateException("memcached is not running on port " + port);
    }
  }

  /** The shutdown hook: kills every server not closed and deletes its logs. */
  private static void killAllOpen() {
    for (MemcachedServer server : OPEN) {
      Process current = server.process;
      if (current != null) {
        current.destroyForcibly();
      }
      server.log.delete();
    }
  }
}
