package io.memlock.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.MemLockTimeoutException;
import io.memlock.MemcachedConnectionException;
import io.memlock.MemcachedProtocolException;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaSet;
import io.memlock.testing.MemcachedServer;
import io.memlock.testing.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NodeClient#metadump}: the reply's format, its failures, and TLS. */
class MetadumpTest {
  private static final byte[] PREFIX = "ns:".getBytes(StandardCharsets.US_ASCII);

  private static TransportConfig.Builder config() {
    return TransportConfig.builder()
        .requestTimeout(Duration.ofSeconds(2))
        .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
      throw new AssertionError("future succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private static List<String> text(List<byte[]> keys) {
    return keys.stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList();
  }

  /** Dumps from a scripted server that answers the metadump with {@code reply}. */
  private static CompletableFuture<String> scripted(
      ScriptedServer server, List<byte[]> keys, Duration idle) {
    MemcachedTransport t = MemcachedTransport.create(config().build());
    NodeClient node = t.connect(ServerAddress.parse(server.hostAndPort()));
    return node.metadump(PREFIX, keys::add, idle).whenComplete((r, e) -> t.close());
  }

  @Test
  void keysAreDecodedAndFilteredAcrossSplitReads() throws Exception {
    String dump =
        "key=ns%3AL%3Aa%20b exp=1 la=2 cas=3 fetch=no cls=1 size=70\n"
            + "key=other exp=-1 la=2 cas=4 fetch=no cls=1 size=60\n"
            + "key=ns%3AL%3A%C3%BC exp=1 la=2 cas=5 fetch=yes cls=1 size=70\n"
            + "key=ns:plain exp=1 la=2 cas=6 fetch=no cls=1 size=70\n"
            + "END\r\n";
    try (ScriptedServer server = ScriptedServer.start()) {
      server.replyInChunks(dump.getBytes(StandardCharsets.US_ASCII), 7);
      List<byte[]> keys = new CopyOnWriteArrayList<>();
      assertThat(scripted(server, keys, Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)).isNull();
      assertThat(text(keys)).containsExactly("ns:L:a b", "ns:L:ü", "ns:plain");
      assertThat(server.requests()).containsExactly("lru_crawler metadump hash");
    }
  }

  @Test
  void aRefusalIsReturned() throws Exception {
    try (ScriptedServer server = ScriptedServer.start()) {
      server.reply("BUSY currently processing crawler request\r\n");
      assertThat(
              scripted(server, new CopyOnWriteArrayList<>(), Duration.ofSeconds(5))
                  .get(20, TimeUnit.SECONDS))
          .isEqualTo("BUSY currently processing crawler request");
    }
  }

  @Test
  void malformedRepliesFailTheDump() throws Exception {
    String[] bad = {
      "key=ns%3 exp=1\nEND\r\n", "garbage line\r\n", "key= exp=1\nEND\r\n", "key=ns\u0001x\nEND\r\n"
    };
    for (String reply : bad) {
      try (ScriptedServer server = ScriptedServer.start()) {
        server.reply(reply);
        assertThat(failure(scripted(server, new CopyOnWriteArrayList<>(), Duration.ofSeconds(5))))
            .as(reply)
            .isInstanceOf(MemcachedProtocolException.class);
      }
    }
    try (ScriptedServer server = ScriptedServer.start()) {
      server.reply("key=" + "a".repeat(5000) + "\n");
      assertThat(failure(scripted(server, new CopyOnWriteArrayList<>(), Duration.ofSeconds(5))))
          .isInstanceOf(MemcachedProtocolException.class)
          .hasMessageContaining("longer than");
    }
  }

  @Test
  void aCutOrSilentDumpFails() throws Exception {
    try (ScriptedServer server = ScriptedServer.start()) {
      server.replyAndClose("key=ns%3Ax exp=1\n");
      assertThat(failure(scripted(server, new CopyOnWriteArrayList<>(), Duration.ofSeconds(5))))
          .isInstanceOf(MemcachedConnectionException.class)
          .hasMessageContaining("before the metadump ended");
    }
    try (ScriptedServer server = ScriptedServer.start()) {
      server.hang();
      assertThat(failure(scripted(server, new CopyOnWriteArrayList<>(), Duration.ofMillis(300))))
          .isInstanceOf(MemLockTimeoutException.class)
          .hasMessageContaining(server.hostAndPort());
    }
    // Nobody listening.
    ScriptedServer gone = ScriptedServer.start();
    gone.close();
    assertThat(failure(scripted(gone, new CopyOnWriteArrayList<>(), Duration.ofSeconds(5))))
        .isInstanceOf(MemcachedConnectionException.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  void tls(@TempDir Path dir) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "memcached-test");
    try (MemcachedServer tlsServer =
            MemcachedServer.builder()
                .args(
                    "-Z",
                    "-o",
                    "ssl_chain_cert=" + cert.certificate + ",ssl_key=" + cert.privateKey)
                .start();
        MemcachedTransport t =
            MemcachedTransport.create(config().tls(cert.trustingContext()).build())) {
      NodeClient node = t.connect(ServerAddress.parse(tlsServer.hostAndPort()));
      assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
      node.send(MetaSet.of(Key.of("ns:L:over tls"), "v".getBytes())).get(5, TimeUnit.SECONDS);
      node.send(MetaSet.of(Key.of("elsewhere"), "v".getBytes())).get(5, TimeUnit.SECONDS);
      List<byte[]> keys = new CopyOnWriteArrayList<>();
      assertThat(node.metadump(PREFIX, keys::add, Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS))
          .isNull();
      assertThat(text(keys)).containsExactly("ns:L:over tls");
    }
  }
}
