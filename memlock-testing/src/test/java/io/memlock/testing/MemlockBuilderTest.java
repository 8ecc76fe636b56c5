package io.memlock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.DistributedLock;
import io.memlock.MemLock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MemcachedExtension#memlockBuilder()}: a client for the test's freshly started servers. */
class MemlockBuilderTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(2);

  @Test
  void theFirstLockOnFreshServersNeedsNoRestartGrace() {
    try (MemLock memlock = memcached.memlockBuilder().build()) {
      assertThat(memlock.servers()).containsExactly(memcached.serverList().split(","));
      long start = System.nanoTime();
      DistributedLock lock = memlock.lock("first");
      assertThat(lock.tryLock()).as("a free lock on a server started a moment ago").isTrue();
      lock.unlock();
      try (var hold = memlock.lock("second").acquire(Duration.ofSeconds(10))) {
        assertThat(hold.isHeld()).isTrue();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("no wait for the servers' uptime to pass maxLeaseTime")
          .isLessThan(Duration.ofSeconds(30));
    }
  }
}
