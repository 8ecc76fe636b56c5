package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.HeldItem.Kind;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MemLock#list(String)} over three servers: sharded, quorum, a server down, busy crawler.
 */
class ListServersTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  private static MemLock client(int replicas) {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .replicas(replicas)
        .requestTimeout(Duration.ofMillis(500))
        .leaseTime(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void shardedLocksAreListedFromEveryServer() throws Exception {
    try (MemLock c = client(1)) {
      for (int i = 0; i < 30; i++) {
        c.lock(String.format("shard-%02d", i)).acquire(Duration.ZERO);
      }
      LockListing listing = c.list("shard-");
      assertThat(listing.isComplete()).isTrue();
      assertThat(listing.items()).hasSize(30);
      assertThat(listing.items()).extracting(HeldItem::name).isSorted().doesNotHaveDuplicates();
      Map<String, Long> perServer =
          listing.items().stream()
              .collect(Collectors.groupingBy(i -> i.servers().get(0), Collectors.counting()));
      assertThat(perServer).hasSize(3);
      for (HeldItem item : listing.items()) {
        assertThat(item.servers()).hasSize(1);
        assertThat(c.inspect(item.name()))
            .get()
            .extracting(LockInfo::server)
            .isEqualTo(item.servers().get(0));
      }
    }
  }

  @Test
  void aQuorumLockAppearsOnceWithItsReplicas() throws Exception {
    try (MemLock c = client(3)) {
      LockHandle h = c.lock("replicated").acquire(Duration.ZERO);
      LockListing listing =
          ListTest.listUntil(
              c, "", l -> l.items().stream().allMatch(i -> i.fencingToken().isPresent()));
      HeldItem item = ListTest.only(listing, Kind.LOCK, "replicated");
      assertThat(listing.items()).hasSize(1);
      assertThat(item.servers())
          .containsExactlyInAnyOrderElementsOf(
              memcached.servers().stream().map(MemcachedServer::hostAndPort).toList());
      assertThat(item.fencingToken()).hasValue(h.fencingToken());
    }
  }

  @Test
  void aServerDownIsNamedAndTheOthersAreListed() throws Exception {
    try (MemLock c = client(1)) {
      for (int i = 0; i < 30; i++) {
        c.lock("down-" + i).acquire(Duration.ZERO);
      }
      MemcachedServer down = memcached.server(1);
      long onDown =
          c.list("").items().stream().filter(i -> i.servers().contains(down.hostAndPort())).count();
      assertThat(onDown).isPositive();
      down.stop();
      LockListing listing = c.list("");
      assertThat(listing.isComplete()).isFalse();
      assertThat(listing.unlisted()).containsOnlyKeys(down.hostAndPort());
      assertThat(listing.unlisted().get(down.hostAndPort())).contains("cannot connect");
      assertThat(listing.items()).hasSize(30 - (int) onDown);
      assertThat(listing.items())
          .allSatisfy(i -> assertThat(i.servers()).doesNotContain(down.hostAndPort()));
    }
  }

  @Test
  void aStoppedServerTimesOut() throws Exception {
    try (MemLock c = client(1)) {
      c.lock("paused-or-not").acquire(Duration.ZERO);
      MemcachedServer paused = memcached.server(2);
      paused.pause();
      try {
        LockListing listing = c.list("");
        assertThat(listing.unlisted()).containsOnlyKeys(paused.hostAndPort());
        assertThat(listing.unlisted().get(paused.hostAndPort())).contains("sent nothing");
      } finally {
        paused.resume();
      }
    }
  }

  @Test
  void aBusyCrawlerIsAskedAgainThenNamed() throws Exception {
    MemcachedServer server = memcached.server(0);
    loadItems(server, 200_000);
    try (MemLock c = client(1);
        Socket hog = new Socket()) {
      c.lock("while-busy").acquire(Duration.ZERO);
      // A dump read slowly keeps the crawler busy. (A dump nobody reads at all would block the
      // crawler, and memcached would then not answer another dump request: a timeout.)
      hog.setReceiveBufferSize(4096);
      hog.connect(server.address());
      hog.getOutputStream()
          .write("lru_crawler metadump hash\r\n".getBytes(StandardCharsets.US_ASCII));
      hog.getOutputStream().flush();
      hog.setSoTimeout(10_000);
      // Its first byte shows that the crawler is at work for it.
      assertThat(hog.getInputStream().read()).isNotNegative();
      Thread reader =
          new Thread(
              () -> {
                byte[] buf = new byte[2048];
                try {
                  while (hog.getInputStream().read(buf) > 0) {
                    Thread.sleep(2); // throttles the reader: this is what keeps the crawler busy
                  }
                } catch (IOException | InterruptedException closed) {
                  // the test closed the socket
                }
              });
      reader.setDaemon(true);
      reader.start();
      long start = System.nanoTime();
      assertThatThrownBy(() -> c.list(""))
          .isInstanceOf(LockListingException.class)
          .hasMessageContaining(server.hostAndPort())
          .hasMessageContaining("stayed busy")
          .hasMessageContaining("BUSY");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
      hog.close();
      reader.join(10_000);
      // Once the other dump ends, the listing works again.
      LockListing listing = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (listing == null) {
        try {
          listing = c.list("");
        } catch (LockListingException stillBusy) {
          assertThat(System.nanoTime()).isLessThan(deadline);
        }
      }
      assertThat(listing.items()).extracting(HeldItem::name).containsExactly("while-busy");
    }
  }

  /** Stores {@code count} unrelated items with pipelined quiet sets. */
  static void loadItems(MemcachedServer server, int count) throws IOException {
    try (Socket s = new Socket(server.host(), server.port())) {
      OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
      for (int i = 0; i < count; i++) {
        out.write(("ms filler-" + i + " 1 T0 q\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.write("mn\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] reply = s.getInputStream().readNBytes(4);
      assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("MN\r\n");
    }
  }

  static List<String> addresses() {
    return memcached.servers().stream().map(MemcachedServer::hostAndPort).toList();
  }
}
