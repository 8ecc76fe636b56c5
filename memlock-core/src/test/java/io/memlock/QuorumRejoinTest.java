package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 10: a quorum lease won while a replica was down takes that replica back once it is
 * past its restart grace, so that it survives the loss of another replica.
 */
class QuorumRejoinTest {
  private static final Duration LEASE = Duration.ofSeconds(6);

  @Test
  void aReplicaDownAtTheAcquisitionRejoinsTheLeaseAndTheLeaseSurvivesTheNextFault()
      throws Exception {
    List<MemcachedServer> three = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        three.add(MemcachedServer.startNew());
      }
      MemcachedServer down = three.get(2);
      down.kill();
      // The two others pass their restart grace (maxLeaseTime + 3 s of uptime slack).
      FirstUseTest.awaitUptime(three.get(0), LEASE.getSeconds() + 4);
      FirstUseTest.awaitUptime(three.get(1), LEASE.getSeconds() + 4);
      String servers = String.join(",", three.stream().map(MemcachedServer::hostAndPort).toList());
      try (MemLock c =
          MemLock.builder()
              .servers(servers)
              .replicas(3)
              .leaseTime(LEASE)
              .maxLeaseTime(LEASE)
              .build()) {
        LockHandle h = c.lock("rejoin").acquire(Duration.ofSeconds(10));
        CountDownLatch lost = new CountDownLatch(1);
        h.onLost((handle, e) -> lost.countDown());

        // The third server comes back, empty; once past its grace a renewal takes it back.
        down.start();
        CleanupRetryTest.awaitTrue(
            () -> RawMemcached.exists(down, "memlock:L:rejoin"), Duration.ofSeconds(40));
        assertThat(RawMemcached.command(down, "mg memlock:L:rejoin v"))
            .as("the same holder's value")
            .isEqualTo(RawMemcached.command(three.get(1), "mg memlock:L:rejoin v"));
        assertThat(h.isHeld()).isTrue();

        // Now another replica dies: the lease still has a majority (server 1 and server 2).
        three.get(0).kill();
        assertThat(lost.await(LEASE.toSeconds() * 2, TimeUnit.SECONDS))
            .as("lease lost after a replica died")
            .isFalse();
        assertThat(h.isHeld()).isTrue();
        h.release();
      }
    } finally {
      three.forEach(MemcachedServer::close);
    }
  }
}
