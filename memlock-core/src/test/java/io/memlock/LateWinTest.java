package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.FaultProxy;
import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A won add whose reply arrives after the lease's validity is not handed out: its item is given
 * back, and the acquisition retries or gives up (issue 10, item 6).
 */
class LateWinTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private FaultProxy proxy;

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.start(memcached.server(0).address());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  /** 3 s leases (trusted for under 2 s) and a request timeout far above the proxy's latency. */
  private MemLock clientThroughProxy() {
    return MemLock.builder()
        .restartGrace(false)
        .servers(proxy.hostAndPort())
        .leaseTime(Duration.ofSeconds(3))
        .requestTimeout(Duration.ofSeconds(10))
        .build();
  }

  private String item(String name) throws Exception {
    return RawMemcached.meta(memcached.server(0), "mg memlock:L:" + name + " v");
  }

  @Test
  void aWinWhoseReplyCameAfterTheValidityIsGivenBackNotReturned() throws Exception {
    try (MemLock m = clientThroughProxy()) {
      // 1.25 s each way: the reply comes 2.5 s after the add was sent, past any 3 s lease's
      // validity.
      proxy.latency(Duration.ofMillis(1250));
      DistributedLock lock = m.lock("late");
      assertThat(lock.tryAcquire()).isEmpty();
      // The item was deleted before tryAcquire returned.
      assertThat(item("late")).isEqualTo("EN");

      assertThatThrownBy(() -> lock.acquire(Duration.ZERO))
          .isInstanceOf(LockUnavailableException.class)
          .hasMessageContaining("validity");
      assertThat(item("late")).isEqualTo("EN");

      assertThat(lock.tryLock()).isFalse();
      assertThat(lock.getHoldCount()).isZero();
      proxy.latency(Duration.ZERO);
      LockHandle h = lock.tryAcquire().orElseThrow();
      assertThat(h.isHeld()).isTrue();
      h.release();
    }
  }

  @Test
  void aWaitingAcquisitionRetriesAfterALateWinAndReturnsAValidHold() throws Exception {
    try (MemLock m = clientThroughProxy()) {
      proxy.latency(Duration.ofMillis(1250));
      CompletableFuture<LockHandle> f = m.lock("late-retry").acquireAsync(Duration.ofSeconds(60));
      // Observe the server until the first add has reached it, then make the network fast.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!item("late-retry").startsWith("VA")) {
        assertThat(System.nanoTime()).as("the add reached the server").isLessThan(end);
        LockSupportPause.pause(Duration.ofMillis(10));
      }
      proxy.latency(Duration.ZERO);
      LockHandle h = f.get(30, TimeUnit.SECONDS);
      // The late win was given back; this is a later attempt's hold, within its validity.
      assertThat(h.isHeld()).isTrue();
      assertThat(h.leaseLeft()).isPositive();
      h.release();
    }
  }
}
