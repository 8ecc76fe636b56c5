package io.memlock.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.Ticker;
import io.memlock.testing.FaultProxy;
import io.memlock.testing.MemcachedServer;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 3: the restart grace is counted from when the uptime reply arrived. memcached
 * reads its uptime at some instant between the request and the reply; counting from the request
 * would end the grace early by up to the request's duration.
 */
class GraceCountingTest {
  private static final long GRACE_SECONDS = 10;
  private static final Duration LATENCY = Duration.ofSeconds(3);

  @Test
  void theGraceEndsNoEarlierThanTheReplysArrivalPlusGraceMinusUptime() throws Exception {
    try (MemcachedServer server = MemcachedServer.startNew();
        FaultProxy proxy = FaultProxy.start(server.address());
        Cluster cluster =
            Cluster.connect(
                List.of(ServerAddress.parse(proxy.hostAndPort())),
                TransportConfig.builder().requestTimeout(Duration.ofSeconds(20)).build(),
                new Cluster.Settings(1, GRACE_SECONDS, 0.01, Ticker.system()))) {
      NodeClient node = cluster.nodes().get(0);
      NodeHealth health = cluster.health(node);
      assertThat(node.awaitConnected(Duration.ofSeconds(10))).isTrue();
      health.awaitCheck(Duration.ofSeconds(10));
      assertThat(health.graceLeftNanos()).as("grace known before the restart").isNotNegative();
      long before = node.epoch();

      // The server restarts; the reconnection's uptime request and its reply take LATENCY each.
      proxy.latency(LATENCY);
      server.kill();
      server.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long graceLeft;
      while (node.epoch() == before || (graceLeft = health.graceLeftNanos()) < 0) {
        assertThat(System.nanoTime()).as("uptime read after the restart").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(5); // polling with a deadline
      }
      long uptime = health.uptimeSeconds();
      assertThat(uptime).isNotNegative();
      // Seen at or after the reply arrived: the grace must end at least GRACE - uptime from now.
      assertThat(Duration.ofNanos(graceLeft))
          .as("grace left when the uptime (%d s) had just been read", uptime)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(GRACE_SECONDS - uptime));
    }
  }
}
