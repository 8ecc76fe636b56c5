package io.memlock.bench.locks;

import io.memlock.testing.Watchdog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, for the Redisson contenders: {@code
 * redis-server --port <p> --bind 127.0.0.1 --save '' --appendonly no}, nothing persisted, output in
 * a temp file. It never outlives this JVM: {@link #close()} and a shutdown hook kill it, and a
 * watchdog sidecar kills it even if this JVM is SIGKILLed.
 */
public final class RedisServer implements AutoCloseable {
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

  private final Process process;
  private final Watchdog watchdog;
  private final int port;
  private final Path log;
  private final Thread hook;

  private RedisServer(Process process, int port, Path log) throws IOException {
    this.process = process;
    this.port = port;
    this.log = log;
    this.watchdog = Watchdog.watch(process.pid());
    this.hook = new Thread(process::destroyForcibly, "redis-server-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code redis-server} (from PATH) and waits until it answers {@code PING}.
   *
   * @return the running server
   * @throws IllegalStateException if it does not start
   */
  public static RedisServer start() {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        Path log = Files.createTempFile("redis-server-" + port + "-", ".log");
        List<String> command =
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no");
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        RedisServer server = new RedisServer(p, port, log);
        try {
          server.awaitPing();
          return server;
        } catch (IllegalStateException e) {
          server.close();
          last = e;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
      }
    }
    throw last;
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited on start:\n" + logTail());
      }
      try {
        if ("PONG".equals(ServerStats.redisCommand(hostAndPort(), "PING").trim())) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not answer PING:\n" + logTail());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /**
   * Returns the address.
   *
   * @return {@code 127.0.0.1:port}
   */
  public String hostAndPort() {
    return "127.0.0.1:" + port;
  }

  /**
   * Returns the server's version, from {@code INFO server}.
   *
   * @return e.g. {@code 7.0.15}
   */
  public String version() {
    try {
      Map<String, String> info = ServerStats.redisInfo(hostAndPort(), "server");
      return info.getOrDefault("redis_version", "?");
    } catch (IOException e) {
      return "?";
    }
  }

  /** Kills the server and deletes its log. Idempotent. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watchdog.release();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file
    }
  }
}
