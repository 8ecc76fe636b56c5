package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many holds renewed by one watchdog: their renewals finish in bursts and reach the scheduler
 * thread together; every one is rescheduled, and a lease lost among them is seen at once and alone.
 */
class ManyHoldsRenewalTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private static final int HOLDS = 2_000;

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
  void oneLostLeaseAmongManyIsDetectedAloneAndTheOthersKeepBeingRenewed() throws Exception {
    AtomicInteger renewed = new AtomicInteger();
    CountDownLatch lostSeen = new CountDownLatch(1);
    Set<String> lostNames = ConcurrentHashMap.newKeySet();
    try (MemLock client =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(4))
            .build()) {
      client.addListener(
          new MemLockListener() {
            @Override
            public void leaseRenewed(String name, RenewalOutcome outcome) {
              if (outcome == RenewalOutcome.RENEWED) {
                renewed.incrementAndGet();
              }
            }
          });
      List<CompletableFuture<LockHandle>> pending = new ArrayList<>();
      for (int i = 0; i < HOLDS; i++) {
        pending.add(client.lock("many-" + i).acquireAsync(Duration.ofSeconds(30)));
      }
      List<LockHandle> holds = new ArrayList<>();
      for (CompletableFuture<LockHandle> f : pending) {
        LockHandle h = f.get(60, TimeUnit.SECONDS);
        h.onLost(
            (x, e) -> {
              lostNames.add(x.name());
              lostSeen.countDown();
            });
        holds.add(h);
      }
      // Every hold renewed at least once (the first renewal comes within a second).
      waitFor(() -> renewed.get() >= HOLDS, 60);

      assertThat(raw(memcached.server(0), "md memlock:L:many-777\r\n")).isEqualTo("HD");
      // A 4 s lease renews every second: its next renewal finds the item gone.
      assertThat(lostSeen.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(lostNames).containsExactly("many-777");

      // Two more rounds of renewals of all the others: nobody else is lost or left behind.
      int before = renewed.get();
      waitFor(() -> renewed.get() >= before + 2 * (HOLDS - 1), 60);
      assertThat(lostNames).containsExactly("many-777");
      for (LockHandle h : holds) {
        assertThat(h.isHeld()).as(h.name()).isEqualTo(!h.name().equals("many-777"));
      }
      // The renewals rewrote the items' TTL: every item still held has most of its 4 s left.
      for (int i = 0; i < HOLDS; i += 97) {
        String reply = raw(memcached.server(0), "mg memlock:L:many-" + i + " t\r\n");
        assertThat(reply).as("many-" + i).startsWith("HD t");
        assertThat(Integer.parseInt(reply.substring(4).trim())).isGreaterThanOrEqualTo(1);
      }
      for (LockHandle h : holds) {
        if (h.isHeld()) {
          h.release();
        }
      }
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - end).as("waited %d s", seconds).isNegative();
      LockSupportPause.pause(Duration.ofMillis(20));
    }
  }
}
