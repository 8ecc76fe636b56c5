package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lease arithmetic against a clock the test moves by hand. */
class LeaseClockTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  @Test
  void leaseIsTrustedForTtlMinusTwoSecondsTimesOneMinusDrift() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    try (MemLock memlock =
            MemLock.builder()
                .restartGrace(false)
                .servers(memcached.serverList())
                .leaseTime(Duration.ofSeconds(10))
                .drift(0.02)
                .ticker(now::get)
                .build();
        MemLock other =
            MemLock.builder().restartGrace(false).servers(memcached.serverList()).build()) {
      LockHandle h = memlock.lock("clock").acquire(Duration.ZERO);
      long validity = (long) (8 * 1e9 * 0.98);
      assertThat(h.leaseLeft()).isEqualTo(Duration.ofNanos(validity));
      now.addAndGet(validity - 1);
      assertThat(h.isHeld()).isTrue();
      now.addAndGet(1);
      assertThat(h.isHeld()).isFalse();
      assertThat(h.leaseLeft()).isZero();
      // Past its validity the holder must act as if it lost the lock, whatever memcached says
      // (the release or, if it comes first, the watchdog finds the lease ran out).
      assertThatThrownBy(h::release)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("ran out");
      // The item itself was still ours and is deleted, so others need not wait for its TTL.
      other.lock("clock").acquire(Duration.ofSeconds(3)).close();
    }
  }
}
