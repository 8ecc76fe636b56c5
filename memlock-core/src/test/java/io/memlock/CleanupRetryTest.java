package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.FaultProxy;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 9: an item this client may have left behind (an add answered but whose acquisition
 * failed, an add whose outcome is unknown) is deleted once the server can be reached again, across
 * reconnections and long pauses, not left to block the lock for its whole TTL.
 */
class CleanupRetryTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private static MemLock client(String servers) {
    return MemLock.builder()
        .servers(servers)
        .restartGrace(false)
        .leaseTime(LEASE)
        .maxLeaseTime(LEASE)
        .build();
  }

  @Test
  void anAddAnsweredOnAConnectionCutBeforeTheRestOfItsPipelineIsDeletedAfterTheReconnect()
      throws Exception {
    MemcachedServer server = memcached.server(0);
    try (FaultProxy proxy = FaultProxy.start(server.address());
        MemLock c = client(proxy.hostAndPort())) {
      // The add's reply is "HD c<cas>": its CAS is the next of the server's counter.
      String probe = RawMemcached.command(server, "ms cleanup-probe 1 T0 c\r\nx");
      long next = Long.parseLong(probe.substring(probe.indexOf(" c") + 2).trim()) + 1;
      String addReply = "HD c" + next + "\r\n";
      proxy.cutNextReply(addReply.length());
      long cut = System.nanoTime();
      assertThat(c.lock("cut").tryLock()).isFalse();
      assertThat(RawMemcached.exists(server, "memlock:F:cut")).as("the pipeline ran").isTrue();
      awaitGone(server, "memlock:L:cut", Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThan(LEASE.dividedBy(2));
      // And the lock is free for this client again.
      assertThat(c.lock("cut").tryLock()).isTrue();
      c.lock("cut").unlock();
    }
  }

  @Test
  void anAddQueuedInAPausedServerIsDeletedWhenItRunsLongAfterTheClientGaveUp() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (MemLock c = client(server.hostAndPort())) {
      server.pause();
      try {
        // The add waits in the frozen server; the attempt times out with its outcome unknown.
        assertThat(c.lock("paused").tryLock()).isFalse();
        // The fault itself: a pause longer than the ~10 s the cleanup used to try for.
        TimeUnit.SECONDS.sleep(15);
      } finally {
        server.resume();
      }
      long resumed = System.nanoTime();
      // The queued add runs now and makes an item that would live for its TTL.
      awaitTrue(() -> RawMemcached.exists(server, "memlock:F:paused"), Duration.ofSeconds(10));
      awaitGone(server, "memlock:L:paused", Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - resumed)).isLessThan(LEASE.dividedBy(2));
    }
  }

  @Test
  void aReleaseThatCannotReachTheServerIsCompletedAfterTheReconnect() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (FaultProxy proxy = FaultProxy.start(server.address());
        MemLock c = client(proxy.hostAndPort())) {
      LockHandle h = c.lock("unreachable").acquire(Duration.ofSeconds(5));
      proxy.refuse(true);
      proxy.dropConnections();
      long cut = System.nanoTime();
      // The release fails at once (not connected); the item is left to a background cleanup.
      h.release();
      assertThat(RawMemcached.exists(server, "memlock:L:unreachable")).isTrue();
      // The fault itself: the server stays unreachable longer than the ~5 s of retries of old.
      TimeUnit.SECONDS.sleep(12);
      proxy.refuse(false);
      awaitGone(server, "memlock:L:unreachable", Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThan(LEASE);
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void awaitTrue(Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.ok()) {
      assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50); // polling with a deadline
    }
  }

  static void awaitGone(MemcachedServer server, String key, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (RawMemcached.exists(server, key)) {
      assertThat(System.nanoTime())
          .as(
              "%s deleted within %s: %s",
              key, timeout, RawMemcached.command(server, "mg " + key + " t v"))
          .isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50); // polling with a deadline
    }
  }
}
