package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quorum mode: a replica whose answer comes after the majority decided joins the lease only with
 * its fence counter raised to the lease's fence, which also leaves the replicas' counters equal.
 */
class QuorumLateReplicaTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.servers(3);

  @Test
  void aLateWinIsRaisedToTheFenceBeforeItJoinsTheLease() throws Exception {
    RawMemcached.set(memcached.server(0), "memlock:F:late", "1000", 0);
    RawMemcached.set(memcached.server(1), "memlock:F:late", "500", 0);
    RawMemcached.set(memcached.server(2), "memlock:F:late", "100", 0);
    try (MemLock c =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .replicas(3)
            .leaseTime(Duration.ofSeconds(10))
            .build()) {
      // Server 2 answers only after the majority (servers 0 and 1) decided.
      memcached.server(2).pause();
      LockHandle h;
      try {
        h = c.lock("late").acquire(Duration.ofSeconds(5));
      } finally {
        memcached.server(2).resume();
      }
      long fence = h.fencingToken() / 128;
      assertThat(fence).isEqualTo(1001);
      assertThat(RawMemcached.number(memcached.server(1), "memlock:F:late")).isEqualTo(1001);
      // Server 2's add and bump (to 101) run now; the late win is raised to the fence and joins.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (RawMemcached.number(memcached.server(2), "memlock:F:late") < fence) {
        assertThat(System.nanoTime() - end).as("server 2's counter reaches the fence").isNegative();
        LockSupportPause.pause(Duration.ofMillis(10));
      }
      assertThat(RawMemcached.number(memcached.server(2), "memlock:F:late")).isEqualTo(1001);
      // It joined the lease: the lease's renewals now rewrite the item on server 2 too (a win given
      // back would be deleted, and a replica outside the lease is never renewed).
      String cas = RawMemcached.meta(memcached.server(2), "mg memlock:L:late c");
      assertThat(cas).startsWith("HD c");
      end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (RawMemcached.meta(memcached.server(2), "mg memlock:L:late c").equals(cas)) {
        assertThat(System.nanoTime() - end).as("a renewal reaches server 2").isNegative();
        LockSupportPause.pause(Duration.ofMillis(20));
      }
      assertThat(RawMemcached.meta(memcached.server(2), "mg memlock:L:late c")).startsWith("HD c");
      assertThat(h.isHeld()).isTrue();
      h.release();
      for (int i = 0; i < 3; i++) {
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (RawMemcached.exists(memcached.server(i), "memlock:L:late")) {
          assertThat(System.nanoTime() - end).as("released on server " + i).isNegative();
          LockSupportPause.pause(Duration.ofMillis(10));
        }
      }
    }
  }
}
