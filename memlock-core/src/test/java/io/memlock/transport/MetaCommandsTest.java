package io.memlock.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.protocol.Key;
import io.memlock.protocol.MetaArithmetic;
import io.memlock.protocol.MetaDelete;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaNoop;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.SetMode;
import io.memlock.protocol.Stats;
import io.memlock.protocol.Version;
import io.memlock.testing.MemcachedExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every meta command against a real memcached. */
class MetaCommandsTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private static MemcachedTransport transport;
  private static NodeClient node;

  @BeforeAll
  static void connect() throws Exception {
    transport = MemcachedTransport.create(TransportConfig.builder().build());
    node = transport.connect(ServerAddress.parse(memcached.server(0).hostAndPort()));
    assertThat(node.awaitConnected(Duration.ofSeconds(5))).isTrue();
  }

  @AfterAll
  static void close() {
    transport.close();
  }

  private static MetaResponse send(io.memlock.protocol.Request<MetaResponse> r) {
    return node.send(r).join();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void addWinsOnceThenReportsNotStored() {
    Key k = Key.of("add");
    MetaResponse first = send(MetaSet.of(k, b("one")).mode(SetMode.ADD).ttl(30).returnCas());
    assertThat(first.status()).isEqualTo(MetaStatus.HD);
    assertThat(first.cas()).isPositive();
    MetaResponse second = send(MetaSet.of(k, b("two")).mode(SetMode.ADD).ttl(30).returnCas());
    assertThat(second.status()).isEqualTo(MetaStatus.NS);
    MetaResponse get = send(MetaGet.of(k).returnValue().returnCas().returnTtl());
    assertThat(get.valueAsString()).isEqualTo("one");
    assertThat(get.cas()).isEqualTo(first.cas());
    assertThat(get.ttl()).isBetween(28L, 30L);
  }

  @Test
  void setReplaceAppendPrepend() {
    Key k = Key.of("modes");
    assertThat(send(MetaSet.of(k, b("x")).mode(SetMode.REPLACE)).status()).isEqualTo(MetaStatus.NS);
    assertThat(send(MetaSet.of(k, b("mid")).mode(SetMode.SET)).status()).isEqualTo(MetaStatus.HD);
    assertThat(send(MetaSet.of(k, b("-end")).mode(SetMode.APPEND)).status())
        .isEqualTo(MetaStatus.HD);
    assertThat(send(MetaSet.of(k, b("start-")).mode(SetMode.PREPEND)).status())
        .isEqualTo(MetaStatus.HD);
    assertThat(send(MetaGet.of(k).returnValue()).valueAsString()).isEqualTo("start-mid-end");
    assertThat(send(MetaSet.of(k, b("new")).mode(SetMode.REPLACE)).status())
        .isEqualTo(MetaStatus.HD);
    assertThat(send(MetaGet.of(k).returnValue()).valueAsString()).isEqualTo("new");
  }

  @Test
  void compareAndSetNeedsTheCurrentCas() {
    Key k = Key.of("cas");
    long cas = send(MetaSet.of(k, b("a")).ttl(30).returnCas()).cas();
    assertThat(send(MetaSet.of(k, b("b")).compareCas(cas + 1000)).status())
        .isEqualTo(MetaStatus.EX);
    MetaResponse ok = send(MetaSet.of(k, b("c")).compareCas(cas).ttl(60).returnCas());
    assertThat(ok.status()).isEqualTo(MetaStatus.HD);
    assertThat(ok.cas()).isNotEqualTo(cas);
    assertThat(send(MetaSet.of(k, b("d")).compareCas(cas)).status()).isEqualTo(MetaStatus.EX);
    assertThat(send(MetaSet.of(Key.of("cas-missing"), b("d")).compareCas(cas)).status())
        .isEqualTo(MetaStatus.NF);
    MetaResponse get = send(MetaGet.of(k).returnValue().returnTtl());
    assertThat(get.valueAsString()).isEqualTo("c");
    assertThat(get.ttl()).isBetween(58L, 60L);
  }

  @Test
  void compareAndDelete() {
    Key k = Key.of("cad");
    long cas = send(MetaSet.of(k, b("a")).returnCas()).cas();
    assertThat(send(MetaDelete.of(k).compareCas(cas + 1)).status()).isEqualTo(MetaStatus.EX);
    assertThat(send(MetaGet.of(k)).status()).isEqualTo(MetaStatus.HD);
    assertThat(send(MetaDelete.of(k).compareCas(cas)).status()).isEqualTo(MetaStatus.HD);
    assertThat(send(MetaGet.of(k)).status()).isEqualTo(MetaStatus.EN);
    assertThat(send(MetaDelete.of(k).compareCas(cas)).status()).isEqualTo(MetaStatus.NF);
  }

  @Test
  void invalidateMarksStale() {
    Key k = Key.of("stale");
    send(MetaSet.of(k, b("v")).ttl(60));
    assertThat(send(MetaDelete.of(k).invalidate().ttl(30)).status()).isEqualTo(MetaStatus.HD);
    MetaResponse get = send(MetaGet.of(k).returnValue());
    assertThat(get.hasFlag('X')).isTrue();
    assertThat(get.hasFlag('W')).isTrue();
  }

  @Test
  void arithmeticWithAutoCreate() {
    Key k = Key.of("counter");
    assertThat(send(MetaArithmetic.of(k)).status()).isEqualTo(MetaStatus.NF);
    MetaResponse created =
        send(MetaArithmetic.of(k).autoCreate(0).initial(1_000_000).returnValue().returnTtl());
    assertThat(created.valueAsNumber()).isEqualTo(1_000_000);
    assertThat(created.ttl()).isEqualTo(-1);
    MetaResponse inc = send(MetaArithmetic.of(k).autoCreate(0).initial(5).delta(10).returnValue());
    assertThat(inc.valueAsNumber()).isEqualTo(1_000_010);
    MetaResponse dec = send(MetaArithmetic.of(k).decrement().delta(20).returnValue());
    assertThat(dec.valueAsNumber()).isEqualTo(999_990);
    MetaResponse floor = send(MetaArithmetic.of(k).decrement().delta(Long.MAX_VALUE).returnValue());
    assertThat(floor.valueAsNumber()).isZero();
  }

  @Test
  void vivifyWinsOnceThenOthersSeeZ() {
    Key k = Key.of("vivify");
    MetaResponse first = send(MetaGet.of(k).vivify(30).returnValue());
    assertThat(first.status()).isEqualTo(MetaStatus.VA);
    assertThat(first.hasFlag('W')).isTrue();
    MetaResponse second = send(MetaGet.of(k).vivify(30).returnValue());
    assertThat(second.hasFlag('W')).isFalse();
    assertThat(second.hasFlag('Z')).isTrue();
  }

  @Test
  void recacheWinsOnceWhenTheRemainingTtlFallsBelowTheThreshold() {
    Key k = Key.of("recache");
    send(MetaSet.of(k, b("v")).ttl(3).clientFlags(1));
    MetaResponse fresh = send(MetaGet.of(k).returnValue().returnClientFlags().recacheBelow(3));
    assertThat(fresh.clientFlags()).isEqualTo(1);
    assertThat(fresh.hasFlag('W')).isFalse();
    // memcached's clock ticks once a second; within two ticks the remaining TTL is below 3.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    MetaResponse due;
    do {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // polling pace
      due = send(MetaGet.of(k).returnValue().returnTtl().recacheBelow(3));
    } while (!due.hasFlag('W') && System.nanoTime() < deadline);
    assertThat(due.hasFlag('W')).isTrue();
    assertThat(due.ttl()).isLessThan(3);
    assertThat(due.valueAsString()).isEqualTo("v");
    MetaResponse other = send(MetaGet.of(k).returnValue().recacheBelow(3));
    assertThat(other.hasFlag('W')).isFalse();
    assertThat(other.hasFlag('Z')).isTrue();
    assertThat(other.valueAsString()).isEqualTo("v");
  }

  @Test
  void aWinIsGivenBackByDeletingOrInvalidatingWithItsCas() {
    Key placeholder = Key.of("give-back");
    MetaResponse won = send(MetaGet.of(placeholder).returnCas().returnClientFlags().vivify(30));
    assertThat(won.hasFlag('W')).isTrue();
    assertThat(won.clientFlags()).isZero();
    assertThat(send(MetaDelete.of(placeholder).compareCas(won.cas())).status())
        .isEqualTo(MetaStatus.HD);
    assertThat(send(MetaGet.of(placeholder).vivify(30)).hasFlag('W')).isTrue();

    Key stale = Key.of("give-back-stale");
    send(MetaSet.of(stale, b("old")).ttl(60));
    long cas = send(MetaGet.of(stale).returnCas()).cas();
    assertThat(send(MetaDelete.of(stale).invalidate().compareCas(cas)).status())
        .isEqualTo(MetaStatus.HD);
    MetaResponse first = send(MetaGet.of(stale).returnValue().returnCas());
    assertThat(first.hasFlag('X')).isTrue();
    assertThat(first.hasFlag('W')).isTrue();
    // The winner fails and gives the win back: the value stays, stale, for the next reader.
    assertThat(send(MetaDelete.of(stale).invalidate().compareCas(first.cas())).status())
        .isEqualTo(MetaStatus.HD);
    MetaResponse next = send(MetaGet.of(stale).returnValue().returnCas());
    assertThat(next.hasFlag('W')).isTrue();
    assertThat(next.valueAsString()).isEqualTo("old");
    assertThat(send(MetaGet.of(stale).returnValue()).hasFlag('Z')).isTrue();
    // The winner's store with the CAS it won with clears the stale mark.
    assertThat(send(MetaSet.of(stale, b("new")).compareCas(next.cas()).ttl(60)).status())
        .isEqualTo(MetaStatus.HD);
    MetaResponse after = send(MetaGet.of(stale).returnValue());
    assertThat(after.flags()).isEmpty();
    assertThat(after.valueAsString()).isEqualTo("new");
  }

  @Test
  void quietPipelineEndedByNoop() {
    Key hit = Key.of("q-hit");
    send(MetaSet.of(hit, b("yes")));
    List<io.memlock.protocol.Request<?>> batch = new ArrayList<>();
    batch.add(MetaSet.of(Key.of("q-set"), b("1")).quiet());
    batch.add(MetaGet.of(Key.of("q-miss")).returnValue().quiet());
    batch.add(MetaGet.of(hit).returnValue().quiet());
    batch.add(MetaDelete.of(Key.of("q-missing")).quiet());
    batch.add(MetaSet.of(Key.of("q-set"), b("2")).mode(SetMode.ADD).quiet());
    batch.add(MetaDelete.of(Key.of("q-set")).quiet());
    batch.add(MetaNoop.create());
    List<CompletableFuture<?>> f = node.sendAll(batch, Duration.ofSeconds(2));
    assertThat(status(f.get(0))).isEqualTo(MetaStatus.HD);
    assertThat(status(f.get(1))).isEqualTo(MetaStatus.EN);
    assertThat(((MetaResponse) f.get(2).join()).valueAsString()).isEqualTo("yes");
    assertThat(status(f.get(3))).isEqualTo(MetaStatus.NF);
    assertThat(status(f.get(4))).isEqualTo(MetaStatus.NS);
    assertThat(status(f.get(5))).isEqualTo(MetaStatus.HD);
    assertThat(status(f.get(6))).isEqualTo(MetaStatus.MN);
    assertThat(send(MetaGet.of(Key.of("q-set"))).status()).isEqualTo(MetaStatus.EN);
  }

  private static MetaStatus status(CompletableFuture<?> f) {
    return ((MetaResponse) f.join()).status();
  }

  @Test
  void opaqueTokensComeBack() {
    MetaResponse r = send(MetaGet.of(Key.of("opaque-miss")).opaque("token-1"));
    assertThat(r.status()).isEqualTo(MetaStatus.EN);
    assertThat(r.opaque()).isEqualTo("token-1");
    MetaResponse s = send(MetaSet.of(Key.of("opaque"), b("v")).opaque("t2").returnCas());
    assertThat(s.opaque()).isEqualTo("t2");
  }

  @Test
  void base64KeysRoundTrip() {
    Key k = Key.of("key with spaces\nand ünïcode");
    send(MetaSet.of(k, b("v1")));
    assertThat(send(MetaGet.of(k).returnValue()).valueAsString()).isEqualTo("v1");
    assertThat(send(MetaGet.of(Key.of("keywithspaces")).returnValue()).status())
        .isEqualTo(MetaStatus.EN);
  }

  @Test
  void versionAndStats() {
    assertThat(node.send(Version.create()).join()).startsWith("1.6");
    Map<String, String> stats = node.send(Stats.general()).join();
    assertThat(stats).containsKeys("pid", "uptime", "evictions", "limit_maxbytes");
    Map<String, String> settings = node.send(Stats.group("settings")).join();
    assertThat(settings).containsEntry("evictions", "on");
  }

  @Test
  void manyConcurrentRequestsAllMatchTheirReplies() {
    List<CompletableFuture<MetaResponse>> futures = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      futures.add(node.send(MetaSet.of(Key.of("many" + i), b("v" + i))));
    }
    futures.forEach(CompletableFuture::join);
    List<CompletableFuture<MetaResponse>> gets = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      gets.add(node.send(MetaGet.of(Key.of("many" + i)).returnValue()));
    }
    for (int i = 0; i < 2000; i++) {
      assertThat(gets.get(i).join().valueAsString()).isEqualTo("v" + i);
    }
  }
}
