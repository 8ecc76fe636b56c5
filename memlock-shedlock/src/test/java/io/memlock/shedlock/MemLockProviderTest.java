package io.memlock.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.LockInfo;
import io.memlock.MemLock;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cases ShedLock's own provider tests cover (create, no second lock, independent names, relock
 * after unlock, timeout, lockAtLeastFor, extend, extend after expiry, used locks, a fuzz test with
 * threads), written for {@link MemLockProvider} against real memcached, plus memlock's own: whole
 * second rounding, leases above maxLeaseTime, memcached down.
 */
class MemLockProviderTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock memlock;
  private MemLock other;
  private MemLockProvider provider;
  private MemLockProvider otherProvider;

  @BeforeEach
  void start() {
    memlock = client();
    other = client();
    provider = new MemLockProvider(memlock);
    otherProvider = new MemLockProvider(other);
  }

  @AfterEach
  void stop() {
    memlock.close();
    other.close();
  }

  private MemLock client() {
    return MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
  }

  private static LockConfiguration config(String name, Duration atMost, Duration atLeast) {
    return new LockConfiguration(ClockProvider.now(), name, atMost, atLeast);
  }

  private static LockConfiguration config(String name) {
    return config(name, Duration.ofSeconds(30), Duration.ZERO);
  }

  private Optional<LockInfo> item(String name) {
    return other.inspect("shedlock:" + name);
  }

  private void assertLocked(String name) {
    assertThat(item(name)).as("lock '%s' is taken", name).isPresent();
  }

  private void assertUnlocked(String name) {
    assertThat(item(name)).as("lock '%s' is free", name).isEmpty();
  }

  /** Polls until the lock item is gone; returns how long that took. */
  private Duration awaitUnlocked(String name, Duration timeout) {
    long start = System.nanoTime();
    while (item(name).isPresent()) {
      assertThat(System.nanoTime() - start)
          .as("lock '%s' still taken after %s", name, timeout)
          .isLessThan(timeout.toNanos());
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void createsALockAndUnlockFreesIt() {
    Optional<SimpleLock> lock = provider.lock(config("job"));
    assertThat(lock).isPresent();
    assertLocked("job");
    lock.get().unlock();
    assertUnlocked("job");
  }

  @Test
  void aTakenLockIsNotGivenAgain() {
    Optional<SimpleLock> lock = provider.lock(config("job"));
    assertThat(lock).isPresent();
    assertThat(provider.lock(config("job"))).isEmpty();
    assertThat(otherProvider.lock(config("job"))).isEmpty();
    lock.get().unlock();
  }

  @Test
  void differentNamesAreIndependentLocks() {
    Optional<SimpleLock> a = provider.lock(config("a"));
    Optional<SimpleLock> b = provider.lock(config("b"));
    assertThat(a).isPresent();
    assertThat(b).isPresent();
    a.get().unlock();
    assertLocked("b");
    b.get().unlock();
    assertUnlocked("b");
  }

  @Test
  void aLockCanBeTakenAgainRightAfterUnlock() {
    for (int i = 0; i < 10; i++) {
      Optional<SimpleLock> lock = (i % 2 == 0 ? provider : otherProvider).lock(config("again"));
      assertThat(lock).isPresent();
      assertThat(provider.lock(config("again"))).isEmpty();
      lock.get().unlock();
    }
  }

  @Test
  void aLockFreesItselfAfterLockAtMostForRoundedUpToWholeSeconds() {
    Optional<SimpleLock> lock =
        provider.lock(config("timeout", Duration.ofMillis(2500), Duration.ZERO));
    assertThat(lock).isPresent();
    // 2.5 s rounds up to a 3 s TTL.
    assertThat(item("timeout").orElseThrow().leaseLeft())
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3));
    Duration freed = awaitUnlocked("timeout", Duration.ofSeconds(10));
    System.out.printf("lockAtMostFor 2.5 s: freed after %d ms%n", freed.toMillis());
    assertThat(otherProvider.lock(config("timeout")))
        .isPresent()
        .get()
        .satisfies(SimpleLock::unlock);
    // Unlocking the expired lock is not an error (it logs that the lease was lost).
    lock.get().unlock();
  }

  @Test
  void aLockAtMostForUnderThreeSecondsGetsMemlocksShortestLease() {
    Optional<SimpleLock> lock =
        provider.lock(config("short", Duration.ofMillis(100), Duration.ZERO));
    assertThat(lock).isPresent();
    assertThat(item("short").orElseThrow().leaseLeft()).isLessThanOrEqualTo(Duration.ofSeconds(3));
    awaitUnlocked("short", Duration.ofSeconds(10));
  }

  @Test
  void lockAtLeastForKeepsTheLockAfterUnlock() {
    Instant created = ClockProvider.now();
    Optional<SimpleLock> lock =
        provider.lock(
            new LockConfiguration(created, "least", Duration.ofSeconds(20), Duration.ofSeconds(3)));
    assertThat(lock).isPresent();
    lock.get().unlock();
    // Held, by nobody, until lockAtLeastUntil: neither this client nor another may take it.
    assertThat(provider.lock(config("least"))).isEmpty();
    assertThat(otherProvider.lock(config("least"))).isEmpty();
    assertThat(item("least").orElseThrow().holder()).contains("kept by nobody");
    // 3 s rounds to 3 s plus 1 s for memcached's clock: the item expires within 4 s, never before
    // 2 s even when memcached's clock skips a tick.
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1500));
    assertThat(otherProvider.lock(config("least"))).isEmpty();
    awaitUnlocked("least", Duration.ofSeconds(10));
    long heldMs = Duration.between(created, ClockProvider.now()).toMillis();
    System.out.printf("lockAtLeastFor 3 s, unlocked at once: taken again after %d ms%n", heldMs);
    assertThat(otherProvider.lock(config("least"))).isPresent().get().satisfies(SimpleLock::unlock);
  }

  @Test
  void unlockAfterLockAtLeastUntilFreesAtOnce() {
    // Created 5 s ago with lockAtLeastFor 2 s: the at-least time has passed.
    Instant created = ClockProvider.now().minusSeconds(5);
    Optional<SimpleLock> lock =
        provider.lock(
            new LockConfiguration(created, "past", Duration.ofSeconds(30), Duration.ofSeconds(2)));
    assertThat(lock).isPresent();
    lock.get().unlock();
    assertUnlocked("past");
  }

  @Test
  void extendRewritesTheLeaseAndReturnsANewLock() {
    Optional<SimpleLock> lock =
        provider.lock(config("extend", Duration.ofSeconds(2), Duration.ZERO));
    assertThat(lock).isPresent();
    Optional<SimpleLock> extended = lock.get().extend(Duration.ofSeconds(20), Duration.ZERO);
    assertThat(extended).isPresent();
    // The original 2 s lease would be gone by now; the extended one runs 20 s.
    assertThat(item("extend").orElseThrow().leaseLeft()).isGreaterThan(Duration.ofSeconds(15));
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2500));
    assertLocked("extend");
    extended.get().unlock();
    assertUnlocked("extend");
  }

  @Test
  void anUnlockedLockCannotBeExtendedOrUnlockedAgain() {
    SimpleLock lock = provider.lock(config("used")).orElseThrow();
    lock.unlock();
    assertThatThrownBy(() -> lock.extend(Duration.ofSeconds(10), Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already been unlocked or extended");
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anExpiredLockCannotBeExtended() {
    SimpleLock lock =
        provider.lock(config("expired", Duration.ofMillis(1), Duration.ZERO)).orElseThrow();
    awaitUnlocked("expired", Duration.ofSeconds(10));
    assertThat(lock.extend(Duration.ofSeconds(10), Duration.ZERO)).isEmpty();
    assertUnlocked("expired");
  }

  @Test
  void aLockTakenOverCannotBeExtended() {
    SimpleLock lock = provider.lock(config("taken")).orElseThrow();
    other.forceRelease("shedlock:taken");
    SimpleLock thief = otherProvider.lock(config("taken")).orElseThrow();
    assertThat(lock.extend(Duration.ofSeconds(10), Duration.ZERO)).isEmpty();
    assertLocked("taken");
    thief.unlock();
  }

  @Test
  void extendWithLockAtLeastForKeepsTheLockAfterUnlock() {
    SimpleLock lock = provider.lock(config("extend-least")).orElseThrow();
    SimpleLock extended = lock.extend(Duration.ofSeconds(10), Duration.ofSeconds(9)).orElseThrow();
    extended.unlock();
    assertLocked("extend-least");
    assertThat(otherProvider.lock(config("extend-least"))).isEmpty();
  }

  @Test
  void aLockCanBeExtendedOnceAndNotUnlockedAfterwards() {
    SimpleLock lock = provider.lock(config("once")).orElseThrow();
    SimpleLock extended = lock.extend(Duration.ofSeconds(10), Duration.ofSeconds(1)).orElseThrow();
    assertThatThrownBy(() -> lock.extend(Duration.ofSeconds(10), Duration.ZERO))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class);
    // The extended lock can itself be extended, once.
    SimpleLock again = extended.extend(Duration.ofSeconds(10), Duration.ZERO).orElseThrow();
    assertThatThrownBy(extended::unlock).isInstanceOf(IllegalStateException.class);
    again.unlock();
    assertUnlocked("once");
  }

  @Test
  void lockAtMostForAboveMaxLeaseTimeIsRefused() {
    assertThatThrownBy(() -> provider.lock(config("long", Duration.ofMinutes(10), Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLeaseTime");
    SimpleLock lock = provider.lock(config("long")).orElseThrow();
    assertThatThrownBy(() -> lock.extend(Duration.ofMinutes(10), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLeaseTime");
    // The failed extension left the lock usable.
    lock.unlock();
    assertUnlocked("long");
  }

  @Test
  void aLockIsNotTakenWhenMemcachedIsDown() {
    MemcachedServer server = MemcachedServer.startNew();
    try (MemLock down =
        MemLock.builder()
            .restartGrace(false)
            .servers(server.hostAndPort())
            .requestTimeout(Duration.ofMillis(300))
            .build()) {
      server.stop();
      assertThat(new MemLockProvider(down).lock(config("down"))).isEmpty();
    } finally {
      server.close();
    }
  }

  @Test
  void constructorChecksItsArguments() {
    assertThatThrownBy(() -> new MemLockProvider(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memlock is null");
    assertThatThrownBy(() -> new MemLockProvider(memlock, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix");
    SimpleLock lock = new MemLockProvider(memlock, "prod").lock(config("job")).orElseThrow();
    assertThat(other.inspect("prod:job")).isPresent();
    assertThat(provider.lock(config("job"))).isPresent().get().satisfies(SimpleLock::unlock);
    lock.unlock();
  }

  /**
   * Threads of two clients increment two counters, each under its own lock, with a read and a write
   * apart: a lost update means two holders at once.
   */
  @Test
  void fuzzManyThreadsNeverHoldALockTogether() throws Exception {
    int threads = 8;
    int iterations = 40;
    AtomicInteger[] counters = {new AtomicInteger(), new AtomicInteger()};
    AtomicInteger refusals = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int job = t % 2;
        MemLockProvider p = t < threads / 2 ? provider : otherProvider;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < iterations; ) {
                    Optional<SimpleLock> lock = p.lock(config("fuzz" + job));
                    if (lock.isEmpty()) {
                      refusals.incrementAndGet();
                      Thread.yield();
                      continue;
                    }
                    int n = counters[job].get();
                    Thread.yield();
                    counters[job].set(n + 1);
                    lock.get().unlock();
                    i++;
                  }
                  return null;
                }));
      }
      for (Future<?> f : tasks) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counters[0]).hasValue(threads / 2 * iterations);
    assertThat(counters[1]).hasValue(threads / 2 * iterations);
    System.out.printf(
        "fuzz: %d threads x %d holds, %d refused attempts%n", threads, iterations, refusals.get());
  }
}
