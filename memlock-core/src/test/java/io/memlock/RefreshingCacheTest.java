package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stampede-safe cache against a real memcached: who loads, who waits, who gets stale. */
class RefreshingCacheTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  private static MemLock client() {
    return MemLock.builder().servers(memcached.serverList()).build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(30, TimeUnit.SECONDS)).as("latch reached").isTrue();
  }

  @Test
  void aMissIsLoadedOnceWhileThreadsOfTwoClientsWait() throws Exception {
    int threads = 32;
    try (MemLock one = client();
        MemLock two = client()) {
      for (int round = 0; round < 3; round++) {
        String key = "product-" + round;
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch allCalling = new CountDownLatch(threads);
        Callable<byte[]> loader =
            () -> {
              loads.incrementAndGet();
              // Keep loading until every thread has called get(): they find the load under way.
              await(allCalling);
              return bytes("value of " + key);
            };
        List<Future<byte[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          RefreshingCache cache = (t % 2 == 0 ? one : two).cache("products");
          results.add(
              pool.submit(
                  () -> {
                    allCalling.countDown();
                    return cache.get(key, MINUTE, loader);
                  }));
        }
        for (Future<byte[]> f : results) {
          assertThat(f.get(30, TimeUnit.SECONDS)).asString().isEqualTo("value of " + key);
        }
        assertThat(loads).as("loads of %s", key).hasValue(1);
      }
    }
  }

  @Test
  void anInvalidatedValueIsServedStaleWhileOneCallerReloads() throws Exception {
    try (MemLock one = client();
        MemLock two = client()) {
      RefreshingCache a = one.cache("prices");
      RefreshingCache b = two.cache("prices");
      assertThat(a.getString("sku", MINUTE, () -> "v1")).isEqualTo("v1");
      assertThat(b.invalidate("sku")).isTrue();
      assertThat(b.invalidate("never-cached")).isFalse();

      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<String> reloader =
          pool.submit(
              () ->
                  a.getString(
                      "sku",
                      MINUTE,
                      () -> {
                        loading.countDown();
                        await(release);
                        return "v2";
                      }));
      await(loading);
      AtomicInteger otherLoads = new AtomicInteger();
      for (int i = 0; i < 10; i++) {
        RefreshingCache c = i % 2 == 0 ? a : b;
        String v =
            c.getString(
                "sku",
                MINUTE,
                () -> {
                  otherLoads.incrementAndGet();
                  return "not me";
                });
        assertThat(v).as("served stale during the reload").isEqualTo("v1");
      }
      assertThat(otherLoads).hasValue(0);
      release.countDown();
      assertThat(reloader.get(30, TimeUnit.SECONDS)).isEqualTo("v2");
      assertThat(b.getString("sku", MINUTE, () -> "not me")).isEqualTo("v2");
    }
  }

  @Test
  void anExpiredValueIsServedStaleWhileOneCallerReloads() throws Exception {
    try (MemLock one = client();
        MemLock two = client()) {
      RefreshingCache a = one.cache("rates");
      RefreshingCache b = two.cache("rates");
      Duration ttl = Duration.ofSeconds(1);
      assertThat(a.getString("eur", ttl, () -> "v1")).isEqualTo("v1");

      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      // Read until the value is due (within about a second): then one reader wins the reload.
      Future<String> reloader =
          pool.submit(
              () -> {
                while (true) {
                  String v =
                      a.getString(
                          "eur",
                          ttl,
                          () -> {
                            loading.countDown();
                            await(release);
                            return "v2";
                          });
                  if (!v.equals("v1")) {
                    return v;
                  }
                  LockSupportPause.pause(Duration.ofMillis(20));
                }
              });
      await(loading);
      for (int i = 0; i < 10; i++) {
        assertThat(b.getString("eur", ttl, () -> "not me")).isEqualTo("v1");
      }
      release.countDown();
      assertThat(reloader.get(30, TimeUnit.SECONDS)).isEqualTo("v2");
      assertThat(b.getString("eur", ttl, () -> "not me")).isEqualTo("v2");
    }
  }

  /** The value a cache item holds now, read raw; "-" for a placeholder or no item. */
  private static String rawValue(String key) throws IOException {
    String reply = RawMemcached.meta(memcached.server(0), "mg " + key + " v");
    int nl = reply.indexOf('\n');
    return nl < 0 || nl == reply.length() - 1 ? "-" : reply.substring(nl + 1);
  }

  @Test
  void aHotKeyIsReloadedOncePerExpiryByThreadsOfTwoClients() throws Exception {
    int threads = 32;
    Duration ttl = Duration.ofSeconds(2);
    long runNanos = TimeUnit.SECONDS.toNanos(6);
    List<Long> loadStarts = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    AtomicInteger generation = new AtomicInteger();
    List<Boolean> staleServedDuringLoad = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch[] staleSeen = {new CountDownLatch(0)};
    Callable<byte[]> loader =
        () -> {
          int gen;
          CountDownLatch seen = new CountDownLatch(1);
          // What this load replaces: the value that expired, still in memcached until the store.
          String expired = rawValue("memlock:cache:hot:key");
          synchronized (loadStarts) {
            loadStarts.add(System.nanoTime());
            replaced.add(expired);
            gen = generation.get() + 1;
            staleSeen[0] = seen;
          }
          if (gen > 1) {
            // Others must be getting the stale generation while this load is under way.
            staleServedDuringLoad.add(seen.await(10, TimeUnit.SECONDS));
          }
          generation.set(gen);
          return bytes(Integer.toString(gen));
        };
    try (MemLock one = client();
        MemLock two = client()) {
      long start = System.nanoTime();
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RefreshingCache cache = (t % 2 == 0 ? one : two).cache("hot");
        readers.add(
            pool.submit(
                () -> {
                  int lastSeen = 0;
                  int reads = 0;
                  while (System.nanoTime() - start < runNanos) {
                    int v = Integer.parseInt(new String(cache.get("key", ttl, loader)));
                    assertThat(v).as("generations never go back").isGreaterThanOrEqualTo(lastSeen);
                    if (v < staleGenerationBound(loadStarts)) {
                      staleSeen[0].countDown();
                    }
                    lastSeen = v;
                    reads++;
                    // Pace the readers a little: the key stays hot without starving the machine.
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                  }
                  return reads;
                }));
      }
      int reads = 0;
      for (Future<Integer> f : readers) {
        reads += f.get(60, TimeUnit.SECONDS);
      }
      List<Long> starts;
      List<String> expired;
      synchronized (loadStarts) {
        starts = List.copyOf(loadStarts);
        expired = List.copyOf(replaced);
      }
      System.out.printf(
          "hot key, 2 clients x %d threads: %d reads, %d loads at %s ms%n",
          threads,
          reads,
          starts.size(),
          starts.stream().map(t -> (t - starts.get(0)) / 1_000_000).toList());
      // Once per expiry: the first load filled the placeholder, and every later load replaced
      // the value of the load before it. Two loads for one expiry would replace the same value.
      List<String> chain = new ArrayList<>(List.of("-"));
      for (int g = 1; g < starts.size(); g++) {
        chain.add(Integer.toString(g));
      }
      assertThat(expired).isEqualTo(chain);
      // Readers were busy from the first load until start + runNanos; a value stored at a load
      // is due within the ttl (plus a second of margin for memcached's clock): so many expiries.
      long busy = start + runNanos - starts.get(0);
      long expiries = busy / (ttl.toNanos() + TimeUnit.SECONDS.toNanos(1));
      assertThat(starts.size()).isGreaterThanOrEqualTo(1 + (int) expiries);
      assertThat(staleServedDuringLoad).hasSize(starts.size() - 1).containsOnly(true);
    }
  }

  /** While a load is under way, the generation being loaded is loads.size(): less is stale. */
  private static int staleGenerationBound(List<Long> loadStarts) {
    synchronized (loadStarts) {
      return loadStarts.size();
    }
  }

  @Test
  void aThrowingLoaderPassesTheRightToLoadToTheNextCaller() throws Exception {
    try (MemLock one = client();
        MemLock two = client()) {
      // A long load timeout: a caller waiting for the failed loader's placeholder would take 60 s.
      RefreshingCache a = one.cache("flaky").withLoadTimeout(Duration.ofSeconds(30));
      RefreshingCache b = two.cache("flaky").withLoadTimeout(Duration.ofSeconds(30));
      IllegalStateException boom = new IllegalStateException("database down");
      assertThatThrownBy(
              () ->
                  a.get(
                      "k",
                      MINUTE,
                      () -> {
                        throw boom;
                      }))
          .isSameAs(boom);
      long t0 = System.nanoTime();
      assertThat(b.getString("k", MINUTE, () -> "loaded by b")).isEqualTo("loaded by b");
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));

      // A caller already waiting for the load takes over when it fails.
      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch fail = new CountDownLatch(1);
      Future<?> failing =
          pool.submit(
              () ->
                  a.get(
                      "k2",
                      MINUTE,
                      () -> {
                        loading.countDown();
                        await(fail);
                        throw new IllegalStateException("timeout talking to the database");
                      }));
      await(loading);
      CompletableFuture<String> waiter =
          CompletableFuture.supplyAsync(() -> b.getString("k2", MINUTE, () -> "waiter"), pool);
      fail.countDown();
      assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("waiter");

      // A failed reload of a stale value: the value stays stale, and the next caller reloads.
      assertThat(a.invalidate("k")).isTrue();
      assertThatThrownBy(
              () ->
                  a.getString(
                      "k",
                      MINUTE,
                      () -> {
                        throw new java.io.IOException("checked");
                      }))
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(java.io.IOException.class);
      assertThat(b.getString("k", MINUTE, () -> "reloaded")).isEqualTo("reloaded");
    }
  }

  @Test
  void aDeadLoadersPlaceholderExpiresAndAWaiterLoads() throws Exception {
    try (MemLock one = client();
        MemLock two = client()) {
      RefreshingCache a = one.cache("dead").withLoadTimeout(Duration.ofSeconds(2));
      RefreshingCache b = two.cache("dead").withLoadTimeout(Duration.ofSeconds(2));
      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<String> stuck =
          pool.submit(
              () ->
                  a.getString(
                      "k",
                      MINUTE,
                      () -> {
                        loading.countDown();
                        await(release);
                        return "too late";
                      }));
      await(loading);
      long t0 = System.nanoTime();
      assertThat(b.getString("k", MINUTE, () -> "taken over")).isEqualTo("taken over");
      assertThat(System.nanoTime() - t0)
          .as("waited for the placeholder to expire")
          .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(500));
      release.countDown();
      // The late loader's caller gets its value, but it is not stored over the newer one.
      assertThat(stuck.get(30, TimeUnit.SECONDS)).isEqualTo("too late");
      assertThat(a.getString("k", MINUTE, () -> "not me")).isEqualTo("taken over");
    }
  }

  @Test
  void aWaiterGivesUpAfterTwiceTheLoadTimeout() throws Exception {
    try (MemLock memlock = client()) {
      RefreshingCache cache = memlock.cache("stuck").withLoadTimeout(Duration.ofSeconds(2));
      // Another client won a load an hour long: its placeholder lives for an hour.
      String won = RawMemcached.meta(memcached.server(0), "mg memlock:cache:stuck:k v N3600");
      assertThat(won).startsWith("VA 0").contains("W");
      AtomicInteger loads = new AtomicInteger();
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () ->
                  cache.getString(
                      "k",
                      MINUTE,
                      () -> {
                        loads.incrementAndGet();
                        return "x";
                      }))
          .isInstanceOf(MemLockTimeoutException.class)
          .hasMessageContaining("cache 'stuck', key 'k': another caller has been loading");
      assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(4));
      assertThat(loads).hasValue(0);
    }
  }

  @Test
  void nullIsCachedAndAnEmptyValueIsAValue() {
    try (MemLock memlock = client()) {
      RefreshingCache cache = memlock.cache("nulls");
      AtomicInteger loads = new AtomicInteger();
      Callable<byte[]> absent =
          () -> {
            loads.incrementAndGet();
            return null;
          };
      assertThat(cache.get("missing-row", MINUTE, absent)).isNull();
      assertThat(cache.get("missing-row", MINUTE, absent)).isNull();
      assertThat(cache.getString("missing-row", MINUTE, () -> "not me")).isNull();
      assertThat(loads).hasValue(1);
      assertThat(cache.get("empty", MINUTE, () -> new byte[0])).isEmpty();
      assertThat(cache.get("empty", MINUTE, () -> bytes("not me"))).isEmpty();
    }
  }

  @Test
  void aValueLargerThanMemlockReadsIsRefusedAndNotStored() {
    try (MemLock memlock = client()) {
      RefreshingCache cache = memlock.cache("big");
      byte[] huge = new byte[1024 * 1024 + 1];
      assertThatThrownBy(() -> cache.get("k", MINUTE, () -> huge))
          .isInstanceOf(CacheValueTooLargeException.class)
          .hasMessageContaining("1048577 bytes")
          .satisfies(e -> assertThat(((CacheValueTooLargeException) e).size()).isEqualTo(1048577));
      // The right to load was given back: the next caller loads at once.
      assertThat(cache.getString("k", MINUTE, () -> "small")).isEqualTo("small");
      byte[] limit = new byte[512 * 1024];
      assertThat(cache.get("half", MINUTE, () -> limit)).hasSize(limit.length);
      assertThat(cache.get("half", MINUTE, () -> null)).hasSize(limit.length);
    }
  }

  @Test
  void aValueLargerThanTheServersItemLimitIsRefusedAndNotStored() throws Exception {
    try (MemcachedServer small =
            MemcachedServer.builder().args("-I", "1k", "-o", "slab_chunk_max=512").start();
        MemLock memlock = MemLock.builder().servers(small.hostAndPort()).build()) {
      RefreshingCache cache = memlock.cache("big");
      assertThatThrownBy(() -> cache.get("k", MINUTE, () -> new byte[2000]))
          .isInstanceOf(CacheValueTooLargeException.class)
          .hasMessageContaining("memcached refused the loaded value of 2000 bytes")
          .hasCauseInstanceOf(MemcachedErrorException.class);
      long t0 = System.nanoTime();
      assertThat(cache.getString("k", MINUTE, () -> "small")).isEqualTo("small");
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void anyStringIsAKey() {
    try (MemLock memlock = client()) {
      RefreshingCache cache = memlock.cache("keys");
      String longKey = "k".repeat(5000);
      String oddKey = "a key with spaces, ünïcode\nand a newline";
      assertThat(cache.getString(longKey, MINUTE, () -> "long")).isEqualTo("long");
      assertThat(cache.getString(oddKey, MINUTE, () -> "odd")).isEqualTo("odd");
      assertThat(cache.getString(longKey, MINUTE, () -> "not me")).isEqualTo("long");
      assertThat(cache.getString(oddKey, MINUTE, () -> "not me")).isEqualTo("odd");
      assertThat(cache.getString(longKey + "x", MINUTE, () -> "other")).isEqualTo("other");
      // Caches of different names do not share entries.
      assertThat(memlock.cache("keys2").getString(oddKey, MINUTE, () -> "own")).isEqualTo("own");
    }
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    try (MemLock memlock = client()) {
      assertThatThrownBy(() -> memlock.cache(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cache name is null");
      assertThatThrownBy(() -> memlock.cache("")).hasMessage("cache name is empty");
      assertThatThrownBy(() -> memlock.cache("a:b"))
          .hasMessage(
              "cache name must not contain ':' (it separates the name from the key): 'a:b'");
      assertThatThrownBy(() -> memlock.cache("n".repeat(65)))
          .hasMessage("cache name must be at most 64 characters, got 65");
      RefreshingCache cache = memlock.cache("c");
      Callable<byte[]> loader = () -> bytes("v");
      assertThatThrownBy(() -> cache.get(null, MINUTE, loader)).hasMessage("cache key is null");
      assertThatThrownBy(() -> cache.get("", MINUTE, loader)).hasMessage("cache key is empty");
      assertThatThrownBy(() -> cache.get("k", null, loader)).hasMessage("ttl is null");
      assertThatThrownBy(() -> cache.get("k", Duration.ZERO, loader))
          .hasMessage("ttl must be positive, got PT0S");
      assertThatThrownBy(() -> cache.get("k", Duration.ofSeconds(-3), loader))
          .hasMessage("ttl must be positive, got PT-3S");
      assertThatThrownBy(() -> cache.get("k", Duration.ofMillis(1500), loader))
          .hasMessage("ttl must be whole seconds (memcached TTLs are seconds), got 1500 ms");
      assertThatThrownBy(() -> cache.get("k", Duration.ofDays(30), loader))
          .hasMessage(
              "ttl PT720H plus the stale grace of 30 s exceeds 30 days, memcached's longest"
                  + " relative TTL");
      assertThatThrownBy(() -> cache.get("k", MINUTE, null)).hasMessage("loader is null");
      assertThatThrownBy(() -> cache.getString("k", MINUTE, null)).hasMessage("loader is null");
      assertThatThrownBy(() -> cache.invalidate(null)).hasMessage("cache key is null");
      assertThatThrownBy(() -> cache.withStaleGrace(null)).hasMessage("staleGrace is null");
      assertThatThrownBy(() -> cache.withStaleGrace(Duration.ZERO))
          .hasMessage("staleGrace must be positive, got PT0S");
      assertThatThrownBy(() -> cache.withLoadTimeout(Duration.ofSeconds(1)))
          .hasMessageContaining("loadTimeout must be at least 2 s");
      assertThatThrownBy(() -> cache.withLoadTimeout(Duration.ofDays(31)))
          .hasMessageContaining("loadTimeout must be at most 30 days");
      assertThat(cache.withStaleGrace(Duration.ofSeconds(5)).staleGrace())
          .isEqualTo(Duration.ofSeconds(5));
      assertThat(cache.staleGrace()).isEqualTo(Duration.ofSeconds(30));
      assertThat(cache.loadTimeout()).isEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void itemsCarryTheTtlPlusTheGraceAndTheirFlags() throws IOException {
    try (MemLock memlock = client()) {
      RefreshingCache cache = memlock.cache("wire").withStaleGrace(Duration.ofSeconds(20));
      cache.getString("k", Duration.ofSeconds(100), () -> "v");
      cache.get("nothing", Duration.ofSeconds(100), () -> null);
    }
    assertThat(RawMemcached.meta(memcached.server(0), "mg memlock:cache:wire:k v f t"))
        .matches("VA 1 f1 t1(19|20)\nv");
    assertThat(RawMemcached.meta(memcached.server(0), "mg memlock:cache:wire:nothing v f t"))
        .matches("VA 0 f2 t1(19|20)\n");
  }

  @Test
  void anUnreachableServerOrAClosedClientFailsTheCall() {
    MemLock memlock =
        MemLock.builder()
            .servers(memcached.serverList())
            .requestTimeout(Duration.ofMillis(300))
            .build();
    RefreshingCache cache = memlock.cache("down");
    memcached.server(0).kill();
    assertThatThrownBy(() -> cache.getString("k", MINUTE, () -> "v"))
        .isInstanceOf(MemLockException.class);
    memlock.close();
    assertThatThrownBy(() -> cache.getString("k", MINUTE, () -> "v"))
        .isInstanceOf(ClientClosedException.class);
    assertThatThrownBy(() -> memlock.cache("x")).isInstanceOf(ClientClosedException.class);
  }
}
