package io.memlock.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.ClientClosedException;
import io.memlock.MemLockException;
import io.memlock.MemLockTimeoutException;
import io.memlock.MemcachedConnectionException;
import io.memlock.MemcachedErrorException;
import io.memlock.MemcachedProtocolException;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaNoop;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.Request;
import io.memlock.testing.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against a server that misbehaves on purpose. */
class ScriptedServerTransportTest {
  private ScriptedServer server;
  private MemcachedTransport transport;
  private NodeClient node;

  /** memlock-io threads alive before this test's transport was made (other tests' clients). */
  private Set<Thread> ioThreadsBefore;

  @BeforeEach
  void start() throws Exception {
    ioThreadsBefore = ioThreads();
    server = ScriptedServer.start();
    transport =
        MemcachedTransport.create(
            TransportConfig.builder()
                .requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                .maxOutstandingRequests(4)
                .build());
    node = transport.connect(ServerAddress.parse(server.hostAndPort()));
    assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
  }

  @AfterEach
  void stop() {
    transport.close();
    server.close();
  }

  private static Set<Thread> ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("memlock-io") && t.isAlive())
        .collect(Collectors.toSet());
  }

  private static MetaGet get(String key) {
    return MetaGet.of(Key.of(key)).returnValue();
  }

  private static Throwable failure(CompletableFuture<?> f) {
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isNotNull();
    try {
      f.join();
      throw new AssertionError("future succeeded");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  private MetaResponse ok(Request<MetaResponse> r) throws Exception {
    return node.send(r).get(10, TimeUnit.SECONDS);
  }

  private void awaitReconnect(int connections) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.connections() < connections || !node.isConnected()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no reconnection");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void serverErrorFailsOnlyItsRequest() throws Exception {
    server.reply("SERVER_ERROR out of memory storing object\r\n");
    server.reply("HD c5\r\n");
    Throwable t = failure(node.send(MetaSet.of(Key.of("k"), new byte[] {1})));
    assertThat(t).isInstanceOf(MemcachedErrorException.class);
    assertThat(((MemcachedErrorException) t).kind())
        .isEqualTo(MemcachedErrorException.Kind.SERVER_ERROR);
    assertThat(((MemcachedErrorException) t).serverMessage())
        .isEqualTo("out of memory storing object");
    assertThat(t).hasMessageContaining("ms k").hasMessageContaining(server.hostAndPort());
    assertThat(ok(MetaSet.of(Key.of("k"), new byte[] {1})).cas()).isEqualTo(5);
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void clientErrorFailsItsRequestAndResetsTheConnection() throws Exception {
    server.reply("CLIENT_ERROR bad data chunk\r\n");
    server.hang();
    server.reply("EN\r\n");
    // One write, so that the server reads both requests before the reset (see below).
    List<CompletableFuture<?>> both =
        node.sendAll(List.of(get("a"), get("b")), Duration.ofSeconds(5));
    CompletableFuture<?> first = both.get(0);
    CompletableFuture<?> second = both.get(1);
    Throwable t1 = failure(first);
    assertThat(t1).isInstanceOf(MemcachedErrorException.class);
    assertThat(((MemcachedErrorException) t1).kind())
        .isEqualTo(MemcachedErrorException.Kind.CLIENT_ERROR);
    Throwable t2 = failure(second);
    assertThat(t2).isInstanceOf(MemcachedConnectionException.class).hasMessageContaining("reset");
    awaitReconnect(2);
    assertThat(ok(get("c")).status()).isEqualTo(MetaStatus.EN);
  }

  @Test
  void unknownCommandIsAnError() throws Exception {
    server.reply("ERROR\r\n");
    Throwable t = failure(node.send(get("a")));
    assertThat(((MemcachedErrorException) t).kind()).isEqualTo(MemcachedErrorException.Kind.ERROR);
  }

  @Test
  void garbageIsAProtocolExceptionAndTheConnectionIsReset() throws Exception {
    server.reply("HELLO THERE\r\n");
    server.hang();
    server.reply("HD\r\n");
    // One write, so that the server reads both requests (and uses up the hang) before the reset;
    // sent apart, "b" may not have left when the garbage arrives, and the hang would meet "c".
    List<CompletableFuture<?>> both =
        node.sendAll(List.of(get("a"), get("b")), Duration.ofSeconds(5));
    CompletableFuture<?> first = both.get(0);
    CompletableFuture<?> second = both.get(1);
    assertThat(failure(first))
        .isInstanceOf(MemcachedProtocolException.class)
        .hasMessageContaining("unexpected reply line: 'HELLO THERE'");
    assertThat(failure(second)).isInstanceOf(MemcachedConnectionException.class);
    awaitReconnect(2);
    assertThat(ok(get("c")).status()).isEqualTo(MetaStatus.HD);
  }

  @Test
  void replyThatDoesNotFitTheRequestIsAProtocolException() throws Exception {
    server.reply("MN\r\n");
    assertThat(failure(node.send(get("a"))))
        .isInstanceOf(MemcachedProtocolException.class)
        .hasMessageContaining("cannot answer mg a");
  }

  @Test
  void truncatedReplyIsAProtocolException() throws Exception {
    server.replyAndClose("VA 10 c1\r\nabc".getBytes(StandardCharsets.US_ASCII));
    assertThat(failure(node.send(get("a"))))
        .isInstanceOf(MemcachedProtocolException.class)
        .hasMessageContaining("middle of a reply");
  }

  @Test
  void closedWithoutAnswerIsAConnectionException() throws Exception {
    server.closeConnection();
    assertThat(failure(node.send(get("a"))))
        .isInstanceOf(MemcachedConnectionException.class)
        .hasMessageContaining("closed by the server");
  }

  @Test
  void extraReplyWithNothingOutstandingResetsTheConnection() throws Exception {
    server.reply("HD\r\nHD\r\n");
    server.reply("EN\r\n");
    assertThat(ok(get("a")).status()).isEqualTo(MetaStatus.HD);
    awaitReconnect(2);
    assertThat(ok(get("b")).status()).isEqualTo(MetaStatus.EN);
  }

  @Test
  void replyInSmallChunksIsReassembled() throws Exception {
    server.replyInChunks("VA 11 c9 t-1\r\nhello world\r\n".getBytes(StandardCharsets.US_ASCII), 3);
    MetaResponse r = ok(get("a"));
    assertThat(r.valueAsString()).isEqualTo("hello world");
    assertThat(r.cas()).isEqualTo(9);
  }

  @Test
  void timeoutCompletesTheFutureAndALateReplyIsDiscarded() throws Exception {
    server.hang();
    server.reply("EN\r\nHD c2\r\n");
    CompletableFuture<MetaResponse> slow = node.send(get("slow"), Duration.ofMillis(100));
    Throwable t = failure(slow);
    assertThat(t)
        .isInstanceOf(MemLockTimeoutException.class)
        .hasMessageContaining("did not answer 'mg slow' within 100 ms");
    assertThat(ok(get("next")).cas()).isEqualTo(2);
  }

  @Test
  void aShortTimeoutBehindALongOneStillRunsOut() throws Exception {
    // The deadlines in flight are out of order: the sweep must look past the first request.
    server.hang().hang();
    CompletableFuture<MetaResponse> patient = node.send(get("patient"), Duration.ofSeconds(60));
    CompletableFuture<MetaResponse> hasty = node.send(get("hasty"), Duration.ofMillis(100));
    assertThat(failure(hasty))
        .isInstanceOf(MemLockTimeoutException.class)
        .hasMessageContaining("did not answer 'mg hasty' within 100 ms");
    assertThat(patient).isNotDone();
  }

  @Test
  void quietRequestsWithoutRepliesAreMatchedByOpaque() throws Exception {
    // Script one reply for the four requests: only the miss and the noop answer.
    server.reply("");
    server.reply("");
    server.reply("");
    server.reply("NS O3\r\nMN\r\n");
    List<CompletableFuture<?>> f =
        node.sendAll(
            List.of(
                MetaSet.of(Key.of("a"), new byte[0]).quiet(),
                MetaSet.of(Key.of("b"), new byte[0]).quiet(),
                MetaSet.of(Key.of("c"), new byte[0]).quiet(),
                MetaNoop.create()),
            Duration.ofSeconds(2));
    List<String> lines = server.awaitRequests(4, Duration.ofSeconds(5));
    assertThat(lines.get(0)).isEqualTo("ms a 0 q O1");
    assertThat(lines.get(2)).isEqualTo("ms c 0 q O3");
    assertThat(((MetaResponse) f.get(0).join()).status()).isEqualTo(MetaStatus.HD);
    assertThat(((MetaResponse) f.get(1).join()).status()).isEqualTo(MetaStatus.HD);
    assertThat(((MetaResponse) f.get(2).join()).status()).isEqualTo(MetaStatus.NS);
    assertThat(((MetaResponse) f.get(3).join()).status()).isEqualTo(MetaStatus.MN);
  }

  @Test
  void aTrailingQuietRequestIsFollowedByANoop() throws Exception {
    server.reply("");
    server.reply("MN\r\n");
    CompletableFuture<MetaResponse> quiet = node.send(MetaSet.of(Key.of("a"), new byte[0]).quiet());
    assertThat(quiet.get(5, TimeUnit.SECONDS).status()).isEqualTo(MetaStatus.HD);
    assertThat(server.awaitRequests(2, Duration.ofSeconds(5))).containsExactly("ms a 0 q O1", "mn");
  }

  @Test
  void errorInsideAQuietPipelineResetsTheConnection() throws Exception {
    server.reply("");
    server.reply("CLIENT_ERROR bad data chunk\r\n");
    List<CompletableFuture<?>> f =
        node.sendAll(
            List.of(MetaSet.of(Key.of("a"), new byte[0]).quiet(), MetaNoop.create()),
            Duration.ofSeconds(2));
    assertThat(failure(f.get(0))).isInstanceOf(MemcachedErrorException.class);
    assertThat(failure(f.get(1))).isInstanceOf(MemcachedConnectionException.class);
  }

  @Test
  void tooManyOutstandingRequestsFailAtOnce() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.hang();
    }
    for (int i = 0; i < 4; i++) {
      node.send(get("k" + i), Duration.ofSeconds(30));
    }
    assertThat(failure(node.send(get("k5"))))
        .isInstanceOf(MemLockException.class)
        .hasMessageContaining("4 requests waiting for replies");
  }

  @Test
  void closeCompletesEveryFutureAndStopsTheThreads() throws Exception {
    server.hang();
    server.hang();
    CompletableFuture<MetaResponse> a = node.send(get("a"), Duration.ofSeconds(30));
    CompletableFuture<MetaResponse> b = node.send(get("b"), Duration.ofSeconds(30));
    server.awaitRequests(2, Duration.ofSeconds(5));
    // Only this transport's threads: a client another test class left open may still run its own.
    Set<Thread> mine = ioThreads();
    mine.removeAll(ioThreadsBefore);
    assertThat(mine).as("this transport's I/O threads").isNotEmpty();
    transport.close();
    assertThat(failure(a)).isInstanceOf(ClientClosedException.class);
    assertThat(failure(b)).isInstanceOf(ClientClosedException.class);
    assertThat(failure(node.send(get("c")))).isInstanceOf(ClientClosedException.class);
    for (Thread t : mine) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThat(mine).noneMatch(Thread::isAlive);
  }
}
