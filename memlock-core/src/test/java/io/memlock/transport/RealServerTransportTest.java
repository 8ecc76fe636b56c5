package io.memlock.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.MemLockTimeoutException;
import io.memlock.MemcachedConnectionException;
import io.memlock.MemcachedProtocolException;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.Version;
import io.memlock.testing.FaultProxy;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reconnection, faults through the proxy, and TLS, against real memcached. */
class RealServerTransportTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private static TransportConfig.Builder config() {
    return TransportConfig.builder()
        .requestTimeout(Duration.ofSeconds(2))
        .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("future succeeded");
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static MetaGet get(String k) {
    return MetaGet.of(Key.of(k)).returnValue();
  }

  @Test
  void downServerFailsFastAndReconnectsWhenItIsBack() throws Exception {
    MemcachedServer server = memcached.server(0);
    CountDownLatch down = new CountDownLatch(1);
    CountDownLatch up = new CountDownLatch(2);
    try (MemcachedTransport t = MemcachedTransport.create(config().build())) {
      NodeClient node = t.connect(ServerAddress.parse(server.hostAndPort()));
      node.addListener(
          new ConnectionListener() {
            @Override
            public void connected(NodeClient n, long epoch) {
              up.countDown();
            }

            @Override
            public void disconnected(NodeClient n, Throwable cause) {
              down.countDown();
            }
          });
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      long epoch = node.epoch();
      server.kill();
      assertThat(down.await(5, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      Throwable t1 = failure(node.send(get("a")));
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
      assertThat(t1)
          .isInstanceOf(MemcachedConnectionException.class)
          .hasMessageContaining("not connected to memcached " + server.hostAndPort());
      server.start();
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      assertThat(node.epoch()).isGreaterThan(epoch);
      assertThat(node.send(Version.create()).get(5, TimeUnit.SECONDS)).startsWith("1.6");
    }
  }

  @Test
  void connectionRefusedAtStartIsReportedWithTheCause() throws Exception {
    MemcachedServer server = memcached.server(0);
    server.stop();
    try (MemcachedTransport t = MemcachedTransport.create(config().build())) {
      NodeClient node = t.connect(ServerAddress.parse(server.hostAndPort()));
      assertThat(node.awaitConnected(Duration.ofMillis(300))).isFalse();
      assertThat(failure(node.send(get("a"))))
          .isInstanceOf(MemcachedConnectionException.class)
          .hasMessageContaining("refused");
    }
  }

  @Test
  void replyCutInTheMiddleIsAProtocolException() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (FaultProxy proxy = FaultProxy.start(server.address());
        MemcachedTransport t = MemcachedTransport.create(config().build())) {
      NodeClient node = t.connect(ServerAddress.parse(proxy.hostAndPort()));
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      node.send(MetaSet.of(Key.of("big"), new byte[1000])).get(5, TimeUnit.SECONDS);
      proxy.cutNextReply(500);
      assertThat(failure(node.send(get("big"))))
          .isInstanceOf(MemcachedProtocolException.class)
          .hasMessageContaining("middle of a reply");
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      assertThat(node.send(get("big")).get(5, TimeUnit.SECONDS).value()).hasSize(1000);
    }
  }

  @Test
  void latencyBeyondTheTimeoutTimesOut() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (FaultProxy proxy = FaultProxy.start(server.address());
        MemcachedTransport t = MemcachedTransport.create(config().build())) {
      NodeClient node = t.connect(ServerAddress.parse(proxy.hostAndPort()));
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      proxy.latency(Duration.ofMillis(300));
      assertThat(failure(node.send(get("a"), Duration.ofMillis(100))))
          .isInstanceOf(MemLockTimeoutException.class);
      MetaResponse r = node.send(get("a"), Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(MetaStatus.EN);
    }
  }

  @Test
  void blackholeTimesOutAndDroppedConnectionsReconnect() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (FaultProxy proxy = FaultProxy.start(server.address());
        MemcachedTransport t = MemcachedTransport.create(config().build())) {
      NodeClient node = t.connect(ServerAddress.parse(proxy.hostAndPort()));
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      long epoch = node.epoch();
      proxy.blackhole(true);
      assertThat(failure(node.send(get("a"), Duration.ofMillis(200))))
          .isInstanceOf(MemLockTimeoutException.class);
      CompletableFuture<MetaResponse> stuck = node.send(get("b"), Duration.ofSeconds(30));
      proxy.blackhole(false);
      proxy.dropConnections();
      assertThat(failure(stuck)).isInstanceOf(MemcachedConnectionException.class);
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      assertThat(node.send(get("c")).get(5, TimeUnit.SECONDS).status()).isEqualTo(MetaStatus.EN);
      assertThat(node.epoch()).isGreaterThan(epoch);
    }
  }

  @Test
  void severalConnectionsPerServerShareTheLoad() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (MemcachedTransport t =
        MemcachedTransport.create(config().connectionsPerServer(3).build())) {
      NodeClient node = t.connect(ServerAddress.parse(server.hostAndPort()));
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      CopyOnWriteArrayList<CompletableFuture<MetaResponse>> all = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 300; i++) {
        all.add(node.send(MetaSet.of(Key.of("k" + i), new byte[] {'x'})));
      }
      for (CompletableFuture<MetaResponse> f : all) {
        assertThat(f.get(5, TimeUnit.SECONDS).status()).isEqualTo(MetaStatus.HD);
      }
      long conns = Long.parseLong(server.stats().get("curr_connections"));
      assertThat(conns).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void tls(@TempDir Path dir) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "memcached-test");
    try (MemcachedServer tlsServer =
        MemcachedServer.builder()
            .args("-Z", "-o", "ssl_chain_cert=" + cert.certificate + ",ssl_key=" + cert.privateKey)
            .start()) {
      ServerAddress address = ServerAddress.parse(tlsServer.hostAndPort());
      try (MemcachedTransport t =
          MemcachedTransport.create(config().tls(cert.trustingContext()).build())) {
        NodeClient node = t.connect(address);
        assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
        node.send(MetaSet.of(Key.of("tls"), "secret".getBytes())).get(5, TimeUnit.SECONDS);
        assertThat(node.send(get("tls")).get(5, TimeUnit.SECONDS).valueAsString())
            .isEqualTo("secret");
      }
      // A client that does not trust the certificate never connects, and says why.
      SelfSignedCertificate other = SelfSignedCertificate.create(dir, "someone-else");
      try (MemcachedTransport t =
          MemcachedTransport.create(config().tls(other.trustingContext()).build())) {
        NodeClient node = t.connect(address);
        assertThat(node.awaitConnected(Duration.ofMillis(500))).isFalse();
        assertThatThrownBy(() -> node.send(get("tls")).join())
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOf(MemcachedConnectionException.class)
            .hasMessageContaining("not connected");
      }
      // A plain client cannot talk to a TLS server: a bad reply or a dropped connection.
      try (MemcachedTransport t = MemcachedTransport.create(config().build())) {
        NodeClient node = t.connect(address);
        if (node.awaitConnected(Duration.ofSeconds(2))) {
          assertThat(failure(node.send(get("tls"), Duration.ofMillis(500))))
              .isInstanceOfAny(
                  MemcachedConnectionException.class,
                  MemcachedProtocolException.class,
                  MemLockTimeoutException.class);
        }
      }
    }
  }
}
