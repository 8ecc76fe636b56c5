package io.memlock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultProxyTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private FaultProxy proxy;

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.start(memcached.server(0).address());
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  /** Reads one byte, treating a reset like end of stream. */
  private static int readOrEnd(RawClient client) {
    try {
      return client.read();
    } catch (IOException e) {
      return -1;
    }
  }

  @Test
  void forwardsBothWays() throws IOException {
    assertThat(proxy.hostAndPort()).isEqualTo("127.0.0.1:" + proxy.port());
    assertThat(proxy.address().getPort()).isEqualTo(proxy.port());
    try (RawClient client = RawClient.connect(proxy.address())) {
      client.send("set k 0 0 5\r\nhello\r\n");
      assertThat(client.line()).isEqualTo("STORED");
      assertThat(client.call("get k")).isEqualTo("VALUE k 0 5");
      assertThat(client.line()).isEqualTo("hello");
      assertThat(client.line()).isEqualTo("END");
      assertThat(proxy.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void addsLatencyInEachDirection() throws IOException {
    try (RawClient client = RawClient.connect(proxy.address())) {
      assertThat(client.call("version")).startsWith("VERSION ");
      proxy.latency(Duration.ofMillis(100));
      long start = System.nanoTime();
      assertThat(client.call("version")).startsWith("VERSION ");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
      proxy.latency(Duration.ZERO);
      start = System.nanoTime();
      assertThat(client.call("version")).startsWith("VERSION ");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
    }
  }

  @Test
  void blackholeDropsEverythingButKeepsTheConnection() throws IOException {
    try (RawClient client = RawClient.connect(proxy.address()).timeout(300)) {
      assertThat(client.call("version")).startsWith("VERSION ");
      proxy.blackhole(true);
      assertThatThrownBy(() -> client.call("version")).isInstanceOf(SocketTimeoutException.class);
      assertThat(proxy.connectionCount()).isEqualTo(1);
      proxy.blackhole(false);
      client.timeout(5000);
      assertThat(client.call("version")).startsWith("VERSION ");
    }
  }

  @Test
  void refuseClosesNewConnectionsAtOnce() throws IOException {
    proxy.refuse(true);
    try (RawClient client = RawClient.connect(proxy.address())) {
      client.send("version\r\n");
      assertThat(readOrEnd(client)).isEqualTo(-1);
    }
    assertThat(proxy.connectionCount()).isZero();
    proxy.refuse(false);
    assertThat(RawClient.call(proxy.address(), "version")).startsWith("VERSION ");
  }

  @Test
  void dropConnectionsClosesEveryPair() throws IOException {
    try (RawClient first = RawClient.connect(proxy.address());
        RawClient second = RawClient.connect(proxy.address())) {
      assertThat(first.call("version")).startsWith("VERSION ");
      assertThat(second.call("version")).startsWith("VERSION ");
      assertThat(proxy.connectionCount()).isEqualTo(2);
      proxy.dropConnections();
      assertThat(proxy.connectionCount()).isZero();
      assertThat(readOrEnd(first)).isEqualTo(-1);
      assertThat(readOrEnd(second)).isEqualTo(-1);
    }
    assertThat(RawClient.call(proxy.address(), "version")).startsWith("VERSION ");
  }

  @Test
  void cutsTheNextReplyAfterTheGivenBytes() throws IOException {
    try (RawClient client = RawClient.connect(proxy.address())) {
      client.send("set k 0 0 11\r\nhello world\r\n");
      assertThat(client.line()).isEqualTo("STORED");
      proxy.cutNextReply(10);
      client.send("get k\r\n");
      assertThat(client.readToEnd()).isEqualTo("VALUE k 0 ");
    }
    assertThat(RawClient.call(proxy.address(), "version")).startsWith("VERSION ");
  }

  @Test
  void cutWorksWithLatency() throws IOException {
    proxy.latency(Duration.ofMillis(20)).cutNextReply(3);
    try (RawClient client = RawClient.connect(proxy.address())) {
      client.send("version\r\n");
      assertThat(client.readToEnd()).isEqualTo("VER");
    }
  }

  @Test
  void closeIsIdempotentAndStopsForwarding() throws IOException {
    RawClient client = RawClient.connect(proxy.address());
    assertThat(client.call("version")).startsWith("VERSION ");
    proxy.close();
    proxy.close();
    assertThat(readOrEnd(client)).isEqualTo(-1);
    client.close();
    assertThat(Ports.accepts(proxy.port(), 500)).isFalse();
  }
}
