package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The first use of a freshly built client against a healthy server. */
class FirstUseTest {
  private static final Duration LEASE = Duration.ofSeconds(3);

  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  /**
   * Issue 10, item 11: {@code build()} returns once the server's restart grace is known, so the
   * first {@code tryLock()} of a free lock wins; it used to fail for about a third of the clients
   * ("uptime is being read") when the connection came up before the client listened for it.
   */
  @Test
  void everyClientBuiltAgainstAServerPastItsGraceWinsItsFirstTryLock() throws Exception {
    MemcachedServer server = memcached.server(0);
    // The grace is maxLeaseTime plus 3 s of uptime slack, stretched by the drift.
    awaitUptime(server, LEASE.getSeconds() + 4);
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      try (MemLock c =
          MemLock.builder()
              .servers(memcached.serverList())
              .leaseTime(LEASE)
              .maxLeaseTime(LEASE)
              .build()) {
        DistributedLock lock = c.lock("first-" + i);
        if (lock.tryLock()) {
          lock.unlock();
        } else {
          // What a second attempt finds, for the message.
          failed.add(
              "client "
                  + i
                  + ": "
                  + lock.acquireAsync(Duration.ZERO)
                      .handle(
                          (h, t) -> {
                            if (h != null) {
                              h.release();
                            }
                            return String.valueOf(t);
                          })
                      .join());
        }
      }
    }
    assertThat(failed).as("clients whose first tryLock() of a free lock failed").isEmpty();
  }

  static void awaitUptime(MemcachedServer server, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30);
    while (Long.parseLong(server.stats().get("uptime")) < seconds) {
      assertThat(System.nanoTime()).as("uptime reaches %d s", seconds).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100); // polling the server's own clock, with a deadline
    }
  }
}
