package io.memlock.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.DistributedLock;
import io.memlock.LockHandle;
import io.memlock.MemLock;
import io.memlock.MemLockListener;
import io.memlock.RateLimiter;
import io.memlock.RefreshingCache;
import io.memlock.testing.MemcachedExtension;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters against a real memcached and a real Micrometer registry. */
class MemLockMetricsTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private static MemLock client() {
    return MemLock.builder().servers(memcached.serverList()).restartGrace(false).build();
  }

  private static double acquired(SimpleMeterRegistry registry, String outcome) {
    return registry.get("memlock.lock.acquire").tag("outcome", outcome).timer().count();
  }

  /**
   * Waits until a meter shows what the test expects: every event is recorded by the client's
   * memlock-events thread, a moment after it happened.
   */
  static void eventually(Runnable assertion) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        // A meter registered at its first event is not found until then.
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void acquisitionsByOutcomeHeldLeasesAndServerRequests() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MemLock memlock = client();
        MemLock other = client()) {
      new MemLockMetrics(memlock).bindTo(registry);
      // Every outcome is there from the start, at zero.
      for (String o : new String[] {"acquired", "busy", "timeout", "unavailable", "error"}) {
        assertThat(acquired(registry, o)).as(o).isZero();
      }

      DistributedLock a = memlock.lock("orders:1");
      a.lock();
      eventually(() -> assertThat(acquired(registry, "acquired")).isEqualTo(1));
      assertThat(registry.get("memlock.lock.held").gauge().value()).isEqualTo(1);
      a.lock(); // reentry: not an acquisition
      eventually(() -> assertThat(acquired(registry, "acquired")).isEqualTo(1));
      a.unlock();
      a.unlock();
      assertThat(registry.get("memlock.lock.held").gauge().value()).isZero();

      DistributedLock taken = other.lock("orders:2");
      taken.lock();
      try {
        assertThat(memlock.lock("orders:2").tryLock()).isFalse();
        eventually(() -> assertThat(acquired(registry, "busy")).isEqualTo(1));
        // A try without a wait never polls.
        assertThat(registry.get("memlock.lock.polls").counter().count()).isZero();
        assertThat(memlock.lock("orders:2").tryLock(100, TimeUnit.MILLISECONDS)).isFalse();
        eventually(() -> assertThat(acquired(registry, "timeout")).isEqualTo(1));
        // The waiting try found the lock held at least once before it ran out.
        assertThat(registry.get("memlock.lock.polls").counter().count()).isPositive();
      } finally {
        taken.unlock();
      }
      // The other client's acquisition is not this client's.
      eventually(() -> assertThat(acquired(registry, "acquired")).isEqualTo(1));

      String server = memcached.server(0).hostAndPort();
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.server.requests")
                          .tags("server", server, "outcome", "success")
                          .timer()
                          .count())
                  .isGreaterThanOrEqualTo(4));
      assertThat(registry.get("memlock.server.grace").gauge().value()).isZero();
      assertThat(registry.get("memlock.server.down").gauge().value()).isZero();
    }
  }

  @Test
  void renewalsAndLostLeases() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MemLock memlock = client();
        MemLock operator = client()) {
      new MemLockMetrics(memlock).bindTo(registry);
      CountDownLatch renewed = new CountDownLatch(1);
      memlock.addListener(
          new MemLockListener() {
            @Override
            public void leaseRenewed(String name, RenewalOutcome outcome) {
              if (outcome == RenewalOutcome.RENEWED) {
                renewed.countDown();
              }
            }
          });
      LockHandle hold = memlock.lock("nightly").acquire(Duration.ofSeconds(5));
      // The watchdog's first renewal comes within a second; the meters' listener was added first.
      assertThat(renewed.await(30, TimeUnit.SECONDS)).isTrue();
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.lease.renewals")
                          .tag("outcome", "renewed")
                          .counter()
                          .count())
                  .isGreaterThanOrEqualTo(1));

      CountDownLatch lost = new CountDownLatch(1);
      hold.onLost((h, e) -> lost.countDown());
      operator.forceRelease("nightly");
      assertThat(lost.await(30, TimeUnit.SECONDS)).isTrue();
      eventually(
          () -> assertThat(registry.get("memlock.lock.lost").counter().count()).isEqualTo(1));
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.lease.renewals")
                          .tag("outcome", "lost")
                          .counter()
                          .count())
                  .isEqualTo(1));
      assertThat(registry.get("memlock.lock.held").gauge().value()).isZero();
    }
  }

  @Test
  void aServerInRestartGraceIsCountedAndItsAcquisitionsAreUnavailable() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // The test's memcached started seconds ago: with the grace on, it is in its restart grace.
    try (MemLock memlock =
        MemLock.builder()
            .servers(memcached.serverList())
            .maxLeaseTime(Duration.ofSeconds(600))
            .build()) {
      new MemLockMetrics(memlock, Tags.of("client", "graceful")).bindTo(registry);
      assertThat(registry.get("memlock.server.grace").tag("client", "graceful").gauge().value())
          .isEqualTo(1);
      assertThat(memlock.lock("x").tryLock()).isFalse();
      assertThat(memlock.serverStatus().get(0).detail()).contains("restart grace");
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.lock.acquire")
                          .tags("outcome", "unavailable", "client", "graceful")
                          .timer()
                          .count())
                  .isEqualTo(1));
    }
  }

  @Test
  void rateLimiterAndCacheMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MemLock memlock = client()) {
      new MemLockMetrics(memlock).bindTo(registry);
      RateLimiter limiter =
          memlock.rateLimiter("exports-" + System.nanoTime(), 2, Duration.ofHours(1));
      assertThat(limiter.tryAcquire()).isTrue();
      assertThat(limiter.tryAcquire()).isTrue();
      assertThat(limiter.tryAcquire()).isFalse();
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.ratelimiter.requests")
                          .tags("limiter", limiter.name(), "outcome", "admitted")
                          .counter()
                          .count())
                  .isEqualTo(2));
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.ratelimiter.requests")
                          .tags("limiter", limiter.name(), "outcome", "refused")
                          .counter()
                          .count())
                  .isEqualTo(1));

      RefreshingCache cache = memlock.cache("pages");
      String key = "home-" + System.nanoTime();
      assertThat(cache.getString(key, Duration.ofMinutes(5), () -> "v1")).isEqualTo("v1");
      assertThat(cache.getString(key, Duration.ofMinutes(5), () -> "v2")).isEqualTo("v1");
      assertThatThrownBy(
              () ->
                  cache.getString(
                      key + "-broken",
                      Duration.ofMinutes(5),
                      () -> {
                        throw new IllegalStateException("backend down");
                      }))
          .hasMessageContaining("backend down");
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.cache.gets")
                          .tags("cache", "pages", "result", "hit")
                          .counter()
                          .count())
                  .isEqualTo(1));
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.cache.gets")
                          .tags("cache", "pages", "result", "miss")
                          .counter()
                          .count())
                  .isEqualTo(2));
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.cache.loads")
                          .tags("cache", "pages", "result", "success")
                          .timer()
                          .count())
                  .isEqualTo(1));
      eventually(
          () ->
              assertThat(
                      registry
                          .get("memlock.cache.loads")
                          .tags("cache", "pages", "result", "failure")
                          .timer()
                          .count())
                  .isEqualTo(1));
    }
  }

  @Test
  void lockNamesAreTagsOnlyWhenAskedAndCloseStopsCounting() throws Exception {
    SimpleMeterRegistry plain = new SimpleMeterRegistry();
    SimpleMeterRegistry named = new SimpleMeterRegistry();
    try (MemLock memlock = client()) {
      MemLockMetrics metrics = new MemLockMetrics(memlock);
      metrics.bindTo(plain);
      MemLockMetrics byName = metrics.withLockNameTag(n -> n.substring(0, n.indexOf(':')));
      byName.bindTo(named);
      for (String name : new String[] {"order:1", "order:2", "user:7"}) {
        DistributedLock l = memlock.lock(name);
        l.lock();
        l.unlock();
      }
      eventually(
          () ->
              assertThat(
                      plain.get("memlock.lock.acquire").tag("outcome", "acquired").timer().count())
                  .isEqualTo(3));
      assertThat(plain.find("memlock.lock.acquire").tagKeys("lock").timer()).isNull();
      eventually(
          () ->
              assertThat(
                      named
                          .get("memlock.lock.acquire")
                          .tags("outcome", "acquired", "lock", "order")
                          .timer()
                          .count())
                  .isEqualTo(2));
      eventually(
          () ->
              assertThat(
                      named
                          .get("memlock.lock.acquire")
                          .tags("outcome", "acquired", "lock", "user")
                          .timer()
                          .count())
                  .isEqualTo(1));

      metrics.close();
      DistributedLock l = memlock.lock("order:3");
      l.lock();
      l.unlock();
      // Both listeners are called on the one events thread, the closed one first: once the one
      // still bound has heard 'order:3', the closed one would have been counted if it still heard.
      eventually(
          () ->
              assertThat(
                      named
                          .get("memlock.lock.acquire")
                          .tags("outcome", "acquired", "lock", "order")
                          .timer()
                          .count())
                  .isEqualTo(3));
      assertThat(plain.get("memlock.lock.acquire").tag("outcome", "acquired").timer().count())
          .isEqualTo(3);
    }
  }
}
