package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * memcached forgets its locks when it restarts. A server whose uptime is below maxLeaseTime takes
 * no acquisitions until it reaches it, so no lease granted before the restart can still be live.
 */
class RestartGraceTest {
  private static final Duration LEASE = Duration.ofSeconds(3);

  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock client(boolean grace) {
    return MemLock.builder()
        .servers(memcached.serverList())
        .leaseTime(LEASE)
        .maxLeaseTime(LEASE)
        .restartGrace(grace)
        .build();
  }

  @Test
  void aFreshServerTakesNoAcquisitionsUntilItsUptimePassesMaxLeaseTime() throws Exception {
    MemcachedServer server = memcached.server(0);
    long restarted = System.nanoTime();
    server.restart();
    try (MemLock c = client(true)) {
      assertThat(c.lock("fresh").tryLock()).isFalse();
      assertThatThrownBy(() -> c.lock("fresh").acquire(Duration.ZERO))
          .isInstanceOf(LockUnavailableException.class)
          .hasMessageContaining("restart grace");
      try (LockHandle h = c.lock("fresh").acquire(Duration.ofSeconds(15))) {
        assertThat(System.nanoTime() - restarted).isGreaterThanOrEqualTo(LEASE.toNanos());
        assertThat(h.isHeld()).isTrue();
      }
    }
  }

  /**
   * Issue 10, item 14: a lock held back by the grace says so in the log, once per server and
   * connection, with when the grace ends and how to turn it off for a fresh server.
   */
  @Test
  void theGraceHoldingAcquisitionsBackIsLoggedOnce() throws Exception {
    MemcachedServer server = memcached.server(0);
    server.restart();
    Logger logger = Logger.getLogger("io.memlock");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try (MemLock c =
        MemLock.builder()
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(3))
            .maxLeaseTime(Duration.ofSeconds(3))
            .build()) {
      for (int i = 0; i < 5; i++) {
        assertThat(c.lock("held-back-" + i).tryLock()).isFalse();
      }
      assertThatThrownBy(() -> c.lock("held-back").acquire(Duration.ofMillis(300)))
          .isInstanceOf(LockUnavailableException.class);
    } finally {
      logger.removeHandler(capture);
    }
    List<String> graceWarnings =
        records.stream()
            .filter(r -> r.getLevel() == Level.WARNING)
            .map(LogRecord::getMessage)
            .filter(m -> m.contains("restart grace"))
            .toList();
    assertThat(graceWarnings).hasSize(1);
    assertThat(graceWarnings.get(0))
        .contains(server.hostAndPort())
        .containsPattern("ends in \\d+ s")
        .contains("restartGrace(false)")
        .contains("--no-restart-grace");
  }

  @Test
  void restartWhileHeldLetsNoSecondHolderInBeforeTheFirstLeaseEnded() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (MemLock a = client(true);
        MemLock b = client(true)) {
      LockHandle first = a.lock("restart").acquire(Duration.ofSeconds(15));
      AtomicLong lostAt = new AtomicLong();
      first.onLost((h, e) -> lostAt.compareAndSet(0, System.nanoTime()));
      long validUntil = System.nanoTime() + first.leaseLeft().toNanos();
      long restarted = System.nanoTime();
      server.restart();
      assertThat(b.lock("restart").tryLock()).isFalse();
      try (LockHandle second = b.lock("restart").acquire(Duration.ofSeconds(15))) {
        long acquired = System.nanoTime();
        assertThat(acquired - restarted).isGreaterThanOrEqualTo(LEASE.toNanos());
        // The first holder found out (its renewal found the item gone) before the second got in,
        // and its lease, as it measured it, ended before too.
        assertThat(first.isHeld()).isFalse();
        assertThat(lostAt.get()).isNotZero().isLessThan(acquired);
        assertThat(validUntil).isLessThan(acquired);
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
      }
      assertThatThrownBy(first::release).isInstanceOf(LockLostException.class);
    }
  }

  /** What the grace period prevents: without it, a restart lets a second holder in at once. */
  @Test
  void withoutTheGracePeriodARestartLetsASecondHolderInWhileTheFirstStillTrustsItsLease()
      throws Exception {
    MemcachedServer server = memcached.server(0);
    try (MemLock a =
            MemLock.builder()
                .servers(memcached.serverList())
                .leaseTime(Duration.ofSeconds(30))
                .restartGrace(false)
                .build();
        MemLock b = client(false)) {
      LockHandle first = a.lock("unsafe").acquire(Duration.ofSeconds(5));
      // Let the first renewal publish the fence, so the next one is 10 s away.
      waitForPublishedFence(a, "unsafe");
      server.restart();
      try (LockHandle second = b.lock("unsafe").acquire(Duration.ofSeconds(5))) {
        assertThat(first.isHeld()).as("first holder still trusts its lease").isTrue();
        assertThat(second.isHeld()).isTrue();
      }
      // The first holder learns that its item is gone at its release (LockLostException) or, if
      // its connection is still being re-opened, not at all: the item expires with its TTL.
      try {
        first.close();
      } catch (LockLostException expected) {
        assertThat(expected).hasMessageContaining("gone");
      }
    }
  }

  private static void waitForPublishedFence(MemLock c, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (c.inspect(name).orElseThrow().fencingToken().isEmpty()) {
      assertThat(System.nanoTime()).as("fence published within 10 s").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20); // polling with a deadline
    }
  }

  @Test
  void inQuorumModeServersInTheirGraceDoNotCountTowardTheMajority() throws Exception {
    long started = System.nanoTime();
    List<MemcachedServer> three = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        three.add(MemcachedServer.startNew());
      }
      String servers = String.join(",", three.stream().map(MemcachedServer::hostAndPort).toList());
      try (MemLock c =
          MemLock.builder()
              .servers(servers)
              .replicas(3)
              .leaseTime(LEASE)
              .maxLeaseTime(LEASE)
              .build()) {
        assertThatThrownBy(() -> c.lock("q").acquire(Duration.ZERO))
            .isInstanceOf(LockUnavailableException.class)
            .hasMessageContaining("needs 2 of its 3 servers")
            .hasMessageContaining("restart grace");
        try (LockHandle h = c.lock("q").acquire(Duration.ofSeconds(15))) {
          assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(LEASE.toNanos());
        }
        // One restarted server is in its grace; the other two still make a majority.
        long first = System.nanoTime();
        three.get(0).restart();
        try (LockHandle h = c.lock("q").acquire(Duration.ofSeconds(3))) {
          assertThat(h.isHeld()).isTrue();
          // Won on the other two: the restarted one, in its grace, was not asked.
          assertThat(RawMemcached.command(three.get(0), "mg memlock:L:q")).startsWith("EN");
          assertThat(RawMemcached.command(three.get(1), "mg memlock:L:q")).startsWith("HD");
          assertThat(RawMemcached.command(three.get(2), "mg memlock:L:q")).startsWith("HD");
        }
        // With a second one restarted, there is no majority until one of their graces ends: the
        // first restarted server's, at the earliest.
        long second = System.nanoTime();
        three.get(1).restart();
        assertThatThrownBy(() -> c.lock("q").acquire(Duration.ofMillis(300)))
            .isInstanceOf(LockUnavailableException.class);
        try (LockHandle h = c.lock("q").acquire(Duration.ofSeconds(15))) {
          long acquired = System.nanoTime();
          assertThat(acquired - first).isGreaterThanOrEqualTo(LEASE.toNanos());
          boolean onSecond = RawMemcached.command(three.get(1), "mg memlock:L:q").startsWith("HD");
          if (onSecond) {
            assertThat(acquired - second).isGreaterThanOrEqualTo(LEASE.toNanos());
          }
        }
      }
    } finally {
      three.forEach(MemcachedServer::close);
    }
  }
}
