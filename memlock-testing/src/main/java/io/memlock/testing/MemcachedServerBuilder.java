package io.memlock.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Settings for a {@link MemcachedServer}; obtain one from {@link MemcachedServer#builder()}. */
public final class MemcachedServerBuilder {
  static final String NOT_FOUND =
      "memcached not found on PATH: install it (Debian/Ubuntu: apt-get install memcached)"
          + " or run ./scripts/test.sh, which installs it";

  private int memoryMegabytes = 64;
  private int threads = 2;
  private final List<String> args = new ArrayList<>();
  private int port;
  private Path executable;
  private Duration startTimeout = Duration.ofSeconds(10);

  MemcachedServerBuilder() {}

  /**
   * Item memory in megabytes ({@code -m}); default 64.
   *
   * @param memoryMegabytes 1 or more
   * @return this builder
   */
  public MemcachedServerBuilder memoryMegabytes(int memoryMegabytes) {
    if (memoryMegabytes <= 0) {
      throw new IllegalArgumentException("memoryMegabytes must be positive: " + memoryMegabytes);
    }
    this.memoryMegabytes = memoryMegabytes;
    return this;
  }

  /**
   * Worker threads ({@code -t}); default 2.
   *
   * @param threads 1 or more
   * @return this builder
   */
  public MemcachedServerBuilder threads(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    this.threads = threads;
    return this;
  }

  /**
   * Extra memcached arguments appended to the command line, e.g. {@code "-M"}. Accumulates.
   *
   * @param args the arguments
   * @return this builder
   */
  public MemcachedServerBuilder args(String... args) {
    for (String arg : args) {
      this.args.add(Objects.requireNonNull(arg, "arg"));
    }
    return this;
  }

  /**
   * A fixed TCP port; default (or 0): a free loopback port chosen at build time.
   *
   * @param port 0 for a free port, or 1 to 65535
   * @return this builder
   */
  public MemcachedServerBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The memcached binary; default: {@code memcached} on PATH, else /usr/bin/memcached.
   *
   * @param executable the binary's path
   * @return this builder
   */
  public MemcachedServerBuilder executable(Path executable) {
    this.executable = Objects.requireNonNull(executable, "executable");
    return this;
  }

  /**
   * How long a start may take until memcached accepts connections; default 10 seconds.
   *
   * @param startTimeout a positive duration
   * @return this builder
   */
  public MemcachedServerBuilder startTimeout(Duration startTimeout) {
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
    }
    this.startTimeout = startTimeout;
    return this;
  }

  /**
   * Creates the server without starting it.
   *
   * @return the server, not started
   * @throws IllegalStateException if the memcached executable cannot be found
   */
  public MemcachedServer build() {
    List<String> options = new ArrayList<>();
    options.addAll(List.of("-m", Integer.toString(memoryMegabytes)));
    options.addAll(List.of("-t", Integer.toString(threads)));
    options.addAll(args);
    return new MemcachedServer(resolveExecutable(), options, port, startTimeout);
  }

  /**
   * Builds the server and starts it; see {@link MemcachedServer#start()}.
   *
   * @return the running server
   */
  public MemcachedServer start() {
    return build().start();
  }

  private Path resolveExecutable() {
    if (executable != null) {
      if (!Files.isExecutable(executable)) {
        throw new IllegalStateException("memcached executable not found: " + executable);
      }
      return executable;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, "memcached");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    Path fallback = Path.of("/usr/bin/memcached");
    if (Files.isExecutable(fallback)) {
      return fallback;
    }
    throw new IllegalStateException(NOT_FOUND);
  }
}
