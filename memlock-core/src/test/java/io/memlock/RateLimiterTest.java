package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rate limiter against a real memcached, with a wall clock moved by hand where it matters. */
class RateLimiterTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private static MemLock client(Clock clock) {
    return MemLock.builder().servers(memcached.serverList()).wallClock(clock).build();
  }

  @Test
  void burstRefillAndSeveralPermitsWithAControlledClock() throws Exception {
    MutableClock clock = new MutableClock(START);
    try (MemLock memlock = client(clock)) {
      RateLimiter limiter = memlock.rateLimiter("api", 10, Duration.ofSeconds(1));
      assertThat(limiter.burst()).isEqualTo(10);
      for (int i = 0; i < 10; i++) {
        assertThat(limiter.tryAcquire()).as("permit %d of the burst", i + 1).isTrue();
      }
      assertThat(limiter.tryAcquire()).isFalse();
      assertThat(limiter.tryAcquireOrRetryAfter(1)).isEqualTo(Duration.ofMillis(100));
      assertThat(limiter.tryAcquireOrRetryAfter(3)).isEqualTo(Duration.ofMillis(300));

      clock.advance(Duration.ofMillis(99));
      assertThat(limiter.tryAcquireOrRetryAfter(1)).isEqualTo(Duration.ofMillis(1));
      clock.advance(Duration.ofMillis(1));
      assertThat(limiter.tryAcquire()).isTrue();
      assertThat(limiter.tryAcquire()).isFalse();

      clock.advance(Duration.ofMillis(450)); // four and a half permits' worth
      assertThat(limiter.tryAcquire(5)).isFalse();
      assertThat(limiter.tryAcquireOrRetryAfter(5)).isEqualTo(Duration.ofMillis(50));
      assertThat(limiter.tryAcquire(4)).isTrue();
      assertThat(limiter.tryAcquire()).isFalse();

      clock.advance(Duration.ofMinutes(5)); // quiet: the full burst, and no more
      assertThat(limiter.tryAcquire(10)).isTrue();
      assertThat(limiter.tryAcquire()).isFalse();
    }
    // What memcached holds: the TAT in microseconds, with a TTL that covers it.
    String item = RawMemcached.meta(memcached.server(0), "mg memlock:rate:api v t");
    long tat = Long.parseLong(item.substring(item.indexOf('\n') + 1));
    long now = clock.micros();
    assertThat(tat).isEqualTo(now + 1_000_000);
    assertThat(item).startsWith("VA ").containsPattern(" t1[01]\\b");
  }

  @Test
  void clientsShareTheLimitAndRefusalsCostNoPermit() {
    MutableClock clock = new MutableClock(START);
    try (MemLock one = client(clock);
        MemLock two = client(clock)) {
      RateLimiter a = one.rateLimiter("shared", 4, Duration.ofSeconds(1));
      RateLimiter b = two.rateLimiter("shared", 4, Duration.ofSeconds(1));
      assertThat(a.tryAcquire(2)).isTrue();
      assertThat(b.tryAcquire(2)).isTrue();
      for (int i = 0; i < 5; i++) {
        assertThat(a.tryAcquire()).isFalse();
        assertThat(b.tryAcquire()).isFalse();
      }
      clock.advance(Duration.ofMillis(250));
      assertThat(b.tryAcquire()).isTrue();
      assertThat(a.tryAcquire()).isFalse(); // a's view was stale; the server's state decides
      clock.advance(Duration.ofMillis(250));
      assertThat(a.tryAcquire()).isTrue();
    }
  }

  @Test
  void threadsOfTwoClientsOnAFrozenClockGetExactlyTheBurst() throws Exception {
    Clock frozen = Clock.fixed(START, java.time.ZoneOffset.UTC);
    int burst = 300;
    int threads = 16;
    try (MemLock one = client(frozen);
        MemLock two = client(frozen)) {
      RateLimiter a = one.rateLimiter("frozen", burst, Duration.ofHours(1));
      RateLimiter b = two.rateLimiter("frozen", burst, Duration.ofHours(1));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> counts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RateLimiter limiter = t % 2 == 0 ? a : b;
        counts.add(
            pool.submit(
                () -> {
                  go.await();
                  int admitted = 0;
                  // Time stands still, so the first refusal is final.
                  while (limiter.tryAcquire()) {
                    admitted++;
                  }
                  return admitted;
                }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : counts) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(total).isEqualTo(burst);
    }
    // Every admission moved the TAT by exactly one interval: none lost, none counted twice.
    String item = RawMemcached.meta(memcached.server(0), "mg memlock:rate:frozen v");
    long tat = Long.parseLong(item.substring(item.indexOf('\n') + 1));
    assertThat(tat).isEqualTo(START.getEpochSecond() * 1_000_000L + 3_600_000_000L);
  }

  @Test
  void aValueThatIsNotATatIsOverwrittenAsIfEmpty() throws Exception {
    MutableClock clock = new MutableClock(START);
    try (MemLock memlock = client(clock)) {
      for (String garbage : new String[] {"hello", "-5", "9223372036854775807"}) {
        RawMemcached.meta(
            memcached.server(0),
            "ms memlock:rate:garbage " + garbage.length() + " T60\r\n" + garbage);
        RateLimiter limiter = memlock.rateLimiter("garbage", 2, Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire(2)).as("after %s", garbage).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
      }
    }
  }

  @Test
  void tryAcquireWithAMaxWaitWaitsForTheNextPermitOrGivesUpAtOnce() throws Exception {
    try (MemLock memlock = client(Clock.systemUTC())) {
      RateLimiter limiter = memlock.rateLimiter("waiting", 5, Duration.ofSeconds(1), 1);
      assertThat(limiter.tryAcquire(1, Duration.ZERO)).isTrue();
      long t0 = System.nanoTime();
      assertThat(limiter.tryAcquire(1, Duration.ofMillis(20))).isFalse();
      assertThat(System.nanoTime() - t0)
          .as("refused at once: the next permit is ~200 ms away")
          .isLessThan(TimeUnit.MILLISECONDS.toNanos(150));
      long t1 = System.nanoTime();
      assertThat(limiter.tryAcquire(1, Duration.ofSeconds(5))).isTrue();
      assertThat(System.nanoTime() - t1)
          .as("waited for the permit")
          .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  @Test
  void anInterruptedWaitThrows() throws Exception {
    try (MemLock memlock = client(Clock.systemUTC())) {
      RateLimiter limiter = memlock.rateLimiter("interrupt", 1, Duration.ofMinutes(1));
      assertThat(limiter.tryAcquire()).isTrue();
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> limiter.tryAcquire(1, Duration.ofMinutes(2)))
          .isInstanceOf(InterruptedException.class);
      assertThat(Thread.interrupted()).isFalse();
    }
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    try (MemLock memlock = client(Clock.systemUTC())) {
      Duration s = Duration.ofSeconds(1);
      assertThatThrownBy(() -> memlock.rateLimiter(null, 1, s))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("rate limiter name is null");
      assertThatThrownBy(() -> memlock.rateLimiter("", 1, s))
          .hasMessage("rate limiter name is empty");
      assertThatThrownBy(() -> memlock.rateLimiter("x", 0, s))
          .hasMessage("permits must be positive, got 0");
      assertThatThrownBy(() -> memlock.rateLimiter("x", 1, null)).hasMessage("per is null");
      assertThatThrownBy(() -> memlock.rateLimiter("x", 1, Duration.ZERO))
          .hasMessage("per must be positive, got PT0S");
      assertThatThrownBy(() -> memlock.rateLimiter("x", 1, Duration.ofDays(400)))
          .hasMessage("per must be at most 30 days, got PT9600H");
      assertThatThrownBy(() -> memlock.rateLimiter("x", 10, s, 0))
          .hasMessage("burst must be positive, got 0");
      RateLimiter limiter = memlock.rateLimiter("x", 10, s, 3);
      assertThatThrownBy(() -> limiter.tryAcquire(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("permits to take must be positive, got 0");
      assertThatThrownBy(() -> limiter.tryAcquire(-1))
          .hasMessage("permits to take must be positive, got -1");
      assertThatThrownBy(() -> limiter.tryAcquire(4))
          .hasMessage(
              "cannot take 4 permits at once from rate limiter 'x': its burst capacity is 3");
      assertThatThrownBy(() -> limiter.tryAcquire(1, null)).hasMessage("maxWait is null");
      assertThatThrownBy(() -> limiter.tryAcquire(1, Duration.ofMillis(-1)))
          .hasMessage("maxWait must not be negative, got PT-0.001S");
      // Any string names a limiter; long or odd ones are hashed or base64-encoded as keys.
      assertThat(memlock.rateLimiter("x".repeat(1000), 1, s).tryAcquire()).isTrue();
      assertThat(memlock.rateLimiter("ünï code\n", 1, s).tryAcquire()).isTrue();
    }
  }

  @Test
  void anUnreachableServerFailsTheCallInsteadOfAdmitting() throws Exception {
    try (MemLock memlock =
        MemLock.builder()
            .servers(memcached.serverList())
            .requestTimeout(Duration.ofMillis(300))
            .build()) {
      RateLimiter limiter = memlock.rateLimiter("down", 100, Duration.ofSeconds(1));
      assertThat(limiter.tryAcquire()).isTrue();
      memcached.server(0).pause();
      try {
        long t0 = System.nanoTime();
        assertThatThrownBy(limiter::tryAcquire).isInstanceOf(MemLockException.class);
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
      } finally {
        memcached.server(0).resume();
      }
      memcached.server(0).kill();
      AtomicInteger failures = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        try {
          limiter.tryAcquire();
        } catch (MemLockException e) {
          failures.incrementAndGet();
        }
      }
      assertThat(failures).hasValue(3);
    }
  }

  @Test
  void aClosedClientRefusesCalls() {
    MemLock memlock = client(Clock.systemUTC());
    RateLimiter limiter = memlock.rateLimiter("closed", 1, Duration.ofMinutes(1));
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse(); // refused on the state seen, without a round trip
    memlock.close();
    assertThatThrownBy(limiter::tryAcquire).isInstanceOf(ClientClosedException.class);
    assertThatThrownBy(() -> memlock.rateLimiter("y", 1, Duration.ofSeconds(1)))
        .isInstanceOf(ClientClosedException.class);
  }
}
