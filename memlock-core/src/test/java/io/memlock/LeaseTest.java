package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases: the watchdog keeps them, loss is reported, a dead holder's lock frees itself. */
class LeaseTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock client(int leaseSeconds) {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .leaseTime(Duration.ofSeconds(leaseSeconds))
        .build();
  }

  /** Sends a raw text command to the server and returns the first reply line. */
  private static String raw(MemcachedServer server, String command) throws Exception {
    try (Socket s = new Socket(server.host(), server.port())) {
      s.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[256];
      int n = s.getInputStream().read(buf);
      return new String(buf, 0, n, StandardCharsets.US_ASCII).trim();
    }
  }

  @Test
  void watchdogHoldsALockForFiveTimesItsTtl() throws Exception {
    // A 4 s lease is renewed every second and trusted for 1.98 s: a second of slack for a renewal
    // delayed by a loaded machine.
    try (MemLock holder = client(4);
        MemLock other = client(4)) {
      LockHandle h = holder.lock("long-job").acquire(Duration.ZERO);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int checks = 0;
      while (System.nanoTime() < end) {
        assertThat(other.lock("long-job").tryAcquire()).isEmpty();
        assertThat(h.isHeld()).isTrue();
        checks++;
        // Poll the other client at a steady pace; this is the observation, not synchronization.
        LockSupportPause.pause(Duration.ofMillis(200));
      }
      assertThat(checks).isGreaterThan(10);
      assertThat(h.ended()).isNotDone();
      h.release();
      assertThat(other.lock("long-job").tryAcquire())
          .isPresent()
          .get()
          .satisfies(LockHandle::close);
    }
  }

  @Test
  void deletedItemIsReportedWithinOneRenewalIntervalAndUnlockThrows() throws Exception {
    try (MemLock holder = client(4)) {
      DistributedLock lock = holder.lock("deleted");
      lock.lock();
      assertThat(raw(memcached.server(0), "md memlock:L:deleted\r\n")).isEqualTo("HD");
      long deleted = System.nanoTime();
      // The Lock view has no listener: watch through a handle of another lock? Use isHeld polling.
      while (lock.isHeldByCurrentThread()) {
        assertThat(System.nanoTime() - deleted).isLessThan(TimeUnit.MILLISECONDS.toNanos(2500));
        Thread.onSpinWait();
      }
      long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deleted);
      // One renewal interval (1 s), plus the renewal's round trip (at most the request timeout).
      assertThat(detectedMs).isLessThanOrEqualTo(1000 + 1000);
      assertThatThrownBy(lock::unlock)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("gone");
      assertThat(lock.getHoldCount()).isZero();
    }
  }

  @Test
  void replacedItemIsReportedToTheListener() throws Exception {
    try (MemLock holder = client(4)) {
      LockHandle h = holder.lock("replaced").acquire(Duration.ZERO);
      CountDownLatch lost = new CountDownLatch(1);
      AtomicReference<LockLostException> why = new AtomicReference<>();
      h.onLost(
          (handle, e) -> {
            why.set(e);
            lost.countDown();
          });
      assertThat(raw(memcached.server(0), "ms memlock:L:replaced 5 T60\r\nthief\r\n"))
          .isEqualTo("HD");
      long replaced = System.nanoTime();
      assertThat(lost.await(3, TimeUnit.SECONDS)).isTrue();
      // One renewal interval (1 s), plus the renewal's round trips (at most the request timeout).
      assertThat(System.nanoTime() - replaced).isLessThan(TimeUnit.MILLISECONDS.toNanos(2000));
      assertThat(why.get()).hasMessageContaining("replaced");
      assertThat(h.isHeld()).isFalse();
      assertThat(h.ended()).failsWithin(Duration.ofSeconds(1));
      assertThatThrownBy(h::release).isInstanceOf(LockLostException.class);
      // The thief's item is left alone.
      assertThat(raw(memcached.server(0), "mg memlock:L:replaced v\r\n")).contains("thief");
    }
  }

  /**
   * Mutant killed: releasing with a plain {@code md <key>} (no CAS compare). The item is replaced
   * and the release follows at once, before any renewal could notice: the release must find the
   * item changed, throw, and leave the other item alone.
   */
  @Test
  void aReleaseRightAfterTheItemWasReplacedThrowsAndLeavesTheOtherItem() throws Exception {
    try (MemLock holder = client(4)) {
      // A fixed lease: no renewal runs, so only the release can find out.
      LockHandle h = holder.lock("swapped").acquire(Duration.ZERO, Duration.ofSeconds(30));
      RawMemcached.set(memcached.server(0), "memlock:L:swapped", "thief", 60);
      assertThatThrownBy(h::release)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("replaced");
      assertThat(RawMemcached.command(memcached.server(0), "mg memlock:L:swapped v"))
          .endsWith("thief");
    }
  }

  /**
   * What the trusted lease is for: another client gets the lock only after the holder's trusted
   * lease ended, both measured on this JVM's one clock. A holder that trusted its lease longer than
   * memcached keeps the item (the full TTL, say) would still believe it holds when the other got
   * in.
   */
  @Test
  void aSecondClientGetsInOnlyAfterTheHoldersTrustedLeaseEnded() throws Exception {
    try (MemLock holder = client(3);
        MemLock poller = client(3)) {
      for (int round = 0; round < 4; round++) {
        String name = "trusted-" + round;
        // A fixed 3 s lease: not renewed, the item expires 1 to 3 s after it was written.
        LockHandle first = holder.lock(name).acquire(Duration.ZERO, Duration.ofSeconds(3));
        long firstFence = first.fencingToken();
        Duration left = first.leaseLeft();
        // An upper bound of the holder's trusted end: leaseLeft() read the clock before this.
        long trustedUntil = System.nanoTime() + left.toNanos();
        DistributedLock lock = poller.lock(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!lock.tryLock()) {
          assertThat(System.nanoTime()).as("the lock frees itself").isLessThan(deadline);
          LockSupportPause.pause(Duration.ofMillis(2));
        }
        long acquired = System.nanoTime();
        try {
          assertThat(acquired)
              .as(
                  "round %d: second holder got in %d ms after the first holder's trusted lease"
                      + " ended",
                  round, (acquired - trustedUntil) / 1_000_000)
              .isGreaterThan(trustedUntil);
          assertThat(first.isHeld()).isFalse();
          assertThat(lock.fencingToken()).isGreaterThan(firstFence);
        } finally {
          lock.unlock();
        }
        assertThatThrownBy(first::release).isInstanceOf(LockLostException.class);
      }
    }
  }

  @Test
  void pausedServerBeyondTheTtlLosesTheLease() throws Exception {
    try (MemLock holder = client(3)) {
      LockHandle h = holder.lock("paused").acquire(Duration.ZERO);
      CompletableFuture<Void> ended = h.ended();
      memcached.server(0).pause();
      try {
        assertThat(ended)
            .failsWithin(Duration.ofSeconds(5))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withCauseInstanceOf(LockLostException.class);
        assertThat(h.isHeld()).isFalse();
      } finally {
        memcached.server(0).resume();
      }
      assertThatThrownBy(h::release).isInstanceOf(LockLostException.class);
    }
  }

  @Test
  void killedHolderFreesTheLockWithinItsLeaseTime() throws Exception {
    int lease = 4;
    try (ChildJvm child =
            ChildJvm.start(
                LockWorker.class,
                "hold",
                memcached.serverList(),
                "crash",
                Integer.toString(lease));
        MemLock survivor = client(lease)) {
      child.awaitLine(l -> l.startsWith("locked "), Duration.ofSeconds(30));
      assertThat(survivor.lock("crash").tryAcquire()).isEmpty();
      child.kill();
      long killed = System.nanoTime();
      LockHandle h = survivor.lock("crash").acquire(Duration.ofSeconds(lease + 2));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      assertThat(waitedMs).isLessThanOrEqualTo((lease + 2) * 1000L);
      h.release();
    }
  }
}
