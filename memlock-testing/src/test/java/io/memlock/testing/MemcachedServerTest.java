package io.memlock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemcachedServerTest {
  private final List<MemcachedServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(MemcachedServer::close);
  }

  private MemcachedServer started() {
    MemcachedServer server = MemcachedServer.startNew();
    servers.add(server);
    return server;
  }

  private static void assertAnswers(MemcachedServer server) throws IOException {
    assertThat(RawClient.call(server.address(), "version")).startsWith("VERSION ");
  }

  @Test
  void startsSeveralServersAtOnceOnDistinctPorts() throws Exception {
    List<CompletableFuture<MemcachedServer>> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      starts.add(CompletableFuture.supplyAsync(MemcachedServer::startNew));
    }
    for (CompletableFuture<MemcachedServer> start : starts) {
      servers.add(start.get(30, TimeUnit.SECONDS));
    }
    Set<Integer> ports = servers.stream().map(MemcachedServer::port).collect(Collectors.toSet());
    assertThat(ports).hasSize(3);
    for (MemcachedServer server : servers) {
      assertThat(server.isRunning()).isTrue();
      assertThat(server.host()).isEqualTo("127.0.0.1");
      assertThat(server.hostAndPort()).isEqualTo("127.0.0.1:" + server.port());
      assertThat(server.address()).isEqualTo(new InetSocketAddress("127.0.0.1", server.port()));
      assertThat(server.stats()).containsEntry("pid", Long.toString(server.pid()));
      assertAnswers(server);
    }
  }

  @Test
  void stopThenStartKeepsThePort() throws IOException {
    MemcachedServer server = started();
    int port = server.port();
    server.stop();
    assertThat(server.isRunning()).isFalse();
    assertThat(Ports.accepts(port, 500)).isFalse();
    server.start();
    assertThat(server.port()).isEqualTo(port);
    assertAnswers(server);
  }

  @Test
  void killThenStartKeepsThePort() throws IOException {
    MemcachedServer server = started();
    int port = server.port();
    long oldPid = server.pid();
    server.kill();
    assertThat(server.isRunning()).isFalse();
    assertThat(ProcessHandle.of(oldPid).filter(ProcessHandle::isAlive)).isEmpty();
    server.start();
    assertThat(server.port()).isEqualTo(port);
    assertThat(server.pid()).isNotEqualTo(oldPid);
    assertAnswers(server);
  }

  @Test
  void pausedServerAnswersOnlyAfterResume() throws IOException {
    MemcachedServer server = started();
    server.pause();
    assertThat(server.isPaused()).isTrue();
    try (RawClient client = RawClient.connect(server.address()).timeout(300)) {
      assertThatThrownBy(() -> client.call("version")).isInstanceOf(SocketTimeoutException.class);
      server.resume();
      client.timeout(5000);
      assertThat(client.line()).startsWith("VERSION ");
    }
    assertThat(server.isPaused()).isFalse();
    assertAnswers(server);
  }

  @Test
  void stopAndRestartWorkWhilePaused() throws IOException {
    MemcachedServer server = started();
    int port = server.port();
    server.pause();
    server.restart();
    assertThat(server.port()).isEqualTo(port);
    assertAnswers(server);
    server.pause();
    server.stop();
    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void restartKeepsThePortAndLosesTheData() throws IOException {
    MemcachedServer server = started();
    int port = server.port();
    try (RawClient client = RawClient.connect(server.address())) {
      client.send("set k 0 0 1\r\nv\r\n");
      assertThat(client.line()).isEqualTo("STORED");
    }
    server.restart();
    assertThat(server.port()).isEqualTo(port);
    assertThat(RawClient.call(server.address(), "get k")).isEqualTo("END");
  }

  @Test
  void flushAllRemovesEverything() throws IOException {
    MemcachedServer server = started();
    try (RawClient client = RawClient.connect(server.address())) {
      client.send("set k 0 0 1\r\nv\r\n");
      assertThat(client.line()).isEqualTo("STORED");
      server.flushAll();
      assertThat(client.call("get k")).isEqualTo("END");
    }
  }

  @Test
  void passesOptionsToMemcached() throws IOException {
    MemcachedServer server =
        MemcachedServer.builder().memoryMegabytes(16).threads(1).args("-M").build();
    servers.add(server);
    assertThat(server.isRunning()).isFalse();
    server.start();
    assertThat(server.stats()).containsEntry("limit_maxbytes", Long.toString(16L << 20));
    assertThat(server.stats()).containsEntry("threads", "1");
    List<String> settings = TextProtocol.exchange(server.port(), "stats settings", "END", 5000);
    assertThat(settings).contains("STAT evictions off");
  }

  @Test
  void freshStartMovesToAnotherPortWhenItsPortIsTaken() throws IOException {
    MemcachedServer server = MemcachedServer.builder().build();
    servers.add(server);
    int taken = server.port();
    try (ServerSocket squatter = new ServerSocket(taken, 50, Ports.loopback())) {
      server.start();
      assertThat(server.port()).isNotEqualTo(squatter.getLocalPort());
      assertThat(server.stats()).containsEntry("pid", Long.toString(server.pid()));
    }
  }

  @Test
  void failedStartReportsMemcachedOutput() {
    MemcachedServer server = MemcachedServer.builder().args("--no-such-option").build();
    servers.add(server);
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("no-such-option");
    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void missingExecutableFailsClearly() {
    Path missing = Path.of("/nonexistent/memcached");
    assertThatThrownBy(() -> MemcachedServer.builder().executable(missing).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void closeKillsMemcachedAndItsWatchdogAndIsIdempotent() throws Exception {
    Set<ProcessHandle> before = ProcessHandle.current().children().collect(Collectors.toSet());
    MemcachedServer server = MemcachedServer.startNew();
    List<ProcessHandle> started =
        ProcessHandle.current().children().filter(c -> !before.contains(c)).toList();
    assertThat(started).hasSize(2);
    server.close();
    server.close();
    for (ProcessHandle child : started) {
      child.onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }
}
