package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Quorum mode: each name on three servers, an acquisition needs two. */
class QuorumTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  private static MemLock client(int leaseSeconds) {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .replicas(3)
        .leaseTime(Duration.ofSeconds(leaseSeconds))
        .build();
  }

  private static List<Boolean> itemOnEachServer(String name) throws Exception {
    List<Boolean> out = new ArrayList<>();
    for (MemcachedServer s : memcached.servers()) {
      out.add(s.isRunning() && !s.isPaused() && RawMemcached.exists(s, "memlock:L:" + name));
    }
    return out;
  }

  @Test
  void theLockItemIsWrittenToEveryReplicaAndReleasedFromEvery() throws Exception {
    try (MemLock c = client(5)) {
      LockHandle h = c.lock("everywhere").acquire(Duration.ZERO);
      assertThat(itemOnEachServer("everywhere")).containsExactly(true, true, true);
      assertThat(c.inspect("everywhere"))
          .get()
          .extracting(LockInfo::server)
          .asString()
          .contains(memcached.server(0).hostAndPort())
          .contains(memcached.server(1).hostAndPort())
          .contains(memcached.server(2).hostAndPort());
      h.release();
      assertThat(itemOnEachServer("everywhere")).containsExactly(false, false, false);
    }
  }

  @Test
  void oneServerDownStillMakesAMajorityTwoDoNot() throws Exception {
    try (MemLock c = client(5)) {
      memcached.server(2).kill();
      long fence;
      try (LockHandle h = c.lock("minority").acquire(Duration.ZERO)) {
        fence = h.fencingToken();
      }
      memcached.server(1).kill();
      assertThat(c.lock("minority").tryLock()).isFalse();
      assertThatThrownBy(() -> c.lock("minority").acquire(Duration.ZERO))
          .isInstanceOf(LockUnavailableException.class)
          .hasMessageContaining("needs 2 of its 3 servers");
      memcached.server(2).start();
      try (LockHandle h = c.lock("minority").acquire(Duration.ofSeconds(15))) {
        assertThat(h.fencingToken()).isGreaterThan(fence);
      }
    }
  }

  @Test
  void aPartialWinIsUndone() throws Exception {
    // Someone else's items on two of the three replicas: the third can be won, but is given back.
    RawMemcached.set(memcached.server(0), "memlock:L:partial", "foreign", 30);
    RawMemcached.set(memcached.server(1), "memlock:L:partial", "foreign", 30);
    // A lease far longer than the waits below, so only the give-back can remove the won item.
    try (MemLock c = client(30)) {
      assertThatThrownBy(() -> c.lock("partial").acquire(Duration.ZERO))
          .isInstanceOf(LockBusyException.class)
          .hasMessageContaining("not a memlock lock item");
      // The attempt is decided as soon as two replicas said busy; server 2 may not even have
      // processed the add yet (a loaded machine), so "no item there" alone proves nothing. Its
      // fence
      // counter is bumped in the same write right after the add: once the counter exists, the add
      // has been applied, and the item's absence means the win was given back.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (RawMemcached.number(memcached.server(2), "memlock:F:partial") < 0
          || RawMemcached.exists(memcached.server(2), "memlock:L:partial")) {
        assertThat(System.nanoTime()).as("partial win undone within 10 s").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(10); // polling with a deadline
      }
      // With one foreign item, the other two make a majority.
      RawMemcached.delete(memcached.server(1), "memlock:L:partial");
      try (LockHandle h = c.lock("partial").acquire(Duration.ZERO)) {
        assertThat(itemOnEachServer("partial")).containsExactly(true, true, true);
      }
      assertThat(RawMemcached.exists(memcached.server(0), "memlock:L:partial")).isTrue();
    }
  }

  @Test
  void fencesKeepIncreasingWhenTheReplicasCountersDiffer() throws Exception {
    // Counters far apart: the next holder may win on servers whose counters lag.
    RawMemcached.set(memcached.server(0), "memlock:F:fence", "5000000", 0);
    RawMemcached.set(memcached.server(1), "memlock:F:fence", "10", 0);
    RawMemcached.set(memcached.server(2), "memlock:F:fence", "20", 0);
    try (MemLock a = client(5);
        MemLock b = client(5)) {
      long first;
      // The first holder wins on servers 0 and 1 (server 2 is stalled): its fence comes from
      // server 0's counter, and server 1's counter is raised to it.
      memcached.server(2).pause();
      try (LockHandle h = a.lock("fence").acquire(Duration.ofSeconds(5))) {
        first = h.fencingToken();
      } finally {
        memcached.server(2).resume();
      }
      assertThat(first / 128).isEqualTo(5_000_001);
      assertThat(RawMemcached.number(memcached.server(1), "memlock:F:fence")).isEqualTo(5_000_001);
      assertThat(RawMemcached.number(memcached.server(2), "memlock:F:fence")).isLessThan(5_000_000);
      // The server with the highest counter goes away: the next holder wins on servers 1 and 2,
      // whose counters were 10 and 20 before the raise.
      memcached.server(0).kill();
      long second;
      try (LockHandle h = b.lock("fence").acquire(Duration.ofSeconds(5))) {
        second = h.fencingToken();
      }
      assertThat(second).isGreaterThan(first);
      memcached.server(0).start(); // empty: its counter is gone
      memcached.server(1).kill();
      try (LockHandle h = a.lock("fence").acquire(Duration.ofSeconds(10))) {
        assertThat(h.fencingToken()).isGreaterThan(second);
      }
    }
  }

  @Test
  void theLeaseIsLostOnlyWhenAMajorityOfItsItemsIsGone() throws Exception {
    try (MemLock c = client(4)) {
      LockHandle h = c.lock("majority").acquire(Duration.ZERO);
      // Items replaced by someone else's (renewals cannot take them back, as they could a deleted
      // one: see QuorumRejoinTest).
      RawMemcached.set(memcached.server(0), "memlock:L:majority", "foreign", 30);
      // Two renewal intervals (1 s each) pass with two items left: still held.
      assertThatThrownBy(() -> h.ended().get(2500, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      assertThat(h.isHeld()).isTrue();
      RawMemcached.set(memcached.server(1), "memlock:L:majority", "foreign", 30);
      assertThatThrownBy(() -> h.ended().get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LockLostException.class)
          .hasMessageContaining("majority");
      assertThat(h.isHeld()).isFalse();
      assertThatThrownBy(h::release).isInstanceOf(LockLostException.class);
    }
  }

  /**
   * Mutant killed: releasing a replica with a plain {@code md <key>} (no CAS compare), the path
   * that releases and gives back replicas. Items replaced on a majority are found changed at once
   * by the release, which must throw and leave them alone.
   */
  @Test
  void aReleaseRightAfterAMajorityOfItemsWasReplacedThrowsAndLeavesThem() throws Exception {
    try (MemLock c = client(4)) {
      // A fixed lease: no renewal runs, so only the release can find out.
      LockHandle h = c.lock("swapped").acquire(Duration.ofSeconds(10), Duration.ofSeconds(30));
      // Replace the item on two replicas that have it (a late third may be missing).
      List<Boolean> had = itemOnEachServer("swapped");
      List<Integer> replaced = new ArrayList<>();
      for (int i = 0; i < 3 && replaced.size() < 2; i++) {
        if (had.get(i)) {
          RawMemcached.set(memcached.server(i), "memlock:L:swapped", "thief", 60);
          replaced.add(i);
        }
      }
      assertThat(replaced).as("items on %s", had).hasSize(2);
      assertThatThrownBy(h::release)
          .isInstanceOf(LockLostException.class)
          .hasMessageContaining("majority");
      for (int i : replaced) {
        assertThat(RawMemcached.command(memcached.server(i), "mg memlock:L:swapped v"))
            .endsWith("thief");
      }
      // Its own item, on the third replica, goes (the release may be decided before that reply).
      int own = 3 - replaced.get(0) - replaced.get(1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (RawMemcached.exists(memcached.server(own), "memlock:L:swapped")) {
        assertThat(System.nanoTime()).as("own item deleted within 3 s").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(10); // polling with a deadline
      }
    }
  }

  @Test
  void aReplicaThatStallsDoesNotStopAHolderOrTheNextOne() throws Exception {
    try (MemLock a = client(4);
        MemLock b = client(4)) {
      LockHandle h = a.lock("stall").acquire(Duration.ZERO);
      memcached.server(1).pause();
      try {
        // Renewals go on with the other two past the TTL of the stalled server's item.
        assertThatThrownBy(() -> h.ended().get(5, TimeUnit.SECONDS))
            .isInstanceOf(TimeoutException.class);
        assertThat(h.isHeld()).isTrue();
        h.release();
        try (LockHandle next = b.lock("stall").acquire(Duration.ofSeconds(5))) {
          assertThat(next.fencingToken()).isGreaterThan(h.fencingToken());
        }
      } finally {
        memcached.server(1).resume();
      }
    }
  }

  @Test
  void replicasNeedAsManyServers() {
    assertThatThrownBy(
            () -> MemLock.builder().servers(memcached.server(0).hostAndPort()).replicas(3).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replicas(3) needs at least as many servers, got 1");
    assertThatThrownBy(() -> MemLock.builder().replicas(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replicas must be 1 to 15, got 0");
  }
}
