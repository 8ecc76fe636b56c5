package io.memlock.testing;

import io.memlock.MemLock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension running real memcached servers.
 *
 * <pre>{@code
 * @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);
 * }</pre>
 *
 * <p>In a static field the servers live for the whole test class; in an instance field, for one
 * test. Before every test each server is restored (killed or stopped servers are started again on
 * the same port, paused ones resumed) and flushed, so every test starts clean. A test method may
 * declare a {@link MemcachedServer} parameter to receive the first server. Tests using one
 * extension must not run concurrently.
 */
public final class MemcachedExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {
  private final int count;
  private final List<String> args = new ArrayList<>();
  private final List<MemcachedServer> servers = new ArrayList<>();
  private String ownerId;

  private MemcachedExtension(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    this.count = count;
  }

  /**
   * An extension running one server.
   *
   * @return the extension
   */
  public static MemcachedExtension server() {
    return new MemcachedExtension(1);
  }

  /**
   * An extension running {@code count} servers, each on its own port.
   *
   * @param count how many servers, 1 or more
   * @return the extension
   */
  public static MemcachedExtension servers(int count) {
    return new MemcachedExtension(count);
  }

  /**
   * Extra memcached arguments for every server, e.g. {@code "-M"}; call before servers start.
   *
   * @param args memcached command-line arguments
   * @return this extension
   */
  public synchronized MemcachedExtension args(String... args) {
    if (!servers.isEmpty()) {
      throw new IllegalStateException("servers are already running");
    }
    this.args.addAll(List.of(args));
    return this;
  }

  /**
   * The server at {@code index} (0-based), starting all servers if they are not yet running.
   *
   * @param index the server's index, from 0
   * @return the server
   */
  public synchronized MemcachedServer server(int index) {
    return servers().get(index);
  }

  /**
   * All servers, starting them if they are not yet running.
   *
   * @return the servers, in index order
   */
  public synchronized List<MemcachedServer> servers() {
    if (servers.isEmpty()) {
      startAll();
    }
    return List.copyOf(servers);
  }

  /**
   * The servers as {@code 127.0.0.1:p1,127.0.0.1:p2}, starting them if needed.
   *
   * @return the comma-separated {@code host:port} list
   */
  public synchronized String serverList() {
    return servers().stream().map(MemcachedServer::hostAndPort).collect(Collectors.joining(","));
  }

  /**
   * A {@link MemLock} builder for these servers, with the restart grace off: the servers were
   * started by this test, so no client can have held a lock on them before, and the first
   * acquisitions need not wait for {@code maxLeaseTime} plus 3 s of server uptime. Tests of
   * restarts that need the grace call {@code restartGrace(true)} on the builder.
   *
   * <pre>{@code
   * try (MemLock memlock = memcached.memlockBuilder().build()) {
   *   ...
   * }
   * }</pre>
   *
   * @return {@code MemLock.builder().servers(serverList()).restartGrace(false)}, starting the
   *     servers if needed
   */
  public MemLock.Builder memlockBuilder() {
    return MemLock.builder().servers(serverList()).restartGrace(false);
  }

  /** Starts the servers for the test class (static field registration). */
  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    claim(context);
  }

  /** Stops the servers if they were started for this test class. */
  @Override
  public synchronized void afterAll(ExtensionContext context) {
    release(context);
  }

  /** Starts the servers if needed, then restores and flushes each one. */
  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    claim(context);
    for (MemcachedServer server : servers) {
      if (server.isPaused()) {
        server.resume();
      }
      if (!server.isRunning()) {
        server.start();
      }
      server.flushAll();
    }
  }

  /** Stops the servers if they were started for this test (instance field registration). */
  @Override
  public synchronized void afterEach(ExtensionContext context) {
    release(context);
  }

  /** Supports parameters of type {@link MemcachedServer}. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MemcachedServer.class;
  }

  /** Resolves a {@link MemcachedServer} parameter to the first server. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(0);
  }

  private void claim(ExtensionContext context) {
    if (servers.isEmpty()) {
      startAll();
      ownerId = context.getUniqueId();
    } else if (ownerId == null) {
      ownerId = context.getUniqueId();
    }
  }

  private void release(ExtensionContext context) {
    if (context.getUniqueId().equals(ownerId)) {
      ownerId = null;
      servers.forEach(MemcachedServer::close);
      servers.clear();
    }
  }

  private void startAll() {
    try {
      for (int i = 0; i < count; i++) {
        servers.add(MemcachedServer.builder().args(args.toArray(String[]::new)).start());
      }
    } catch (RuntimeException e) {
      servers.forEach(MemcachedServer::close);
      servers.clear();
      throw e;
    }
  }
}
