package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.cluster.KetamaRing;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With several servers and one replica, each name lives on its ring server and never moves. */
class ShardingTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  private static MemLock client() {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .leaseTime(Duration.ofSeconds(5))
        .build();
  }

  /** The server each name belongs to, as spymemcached would place its lock key. */
  private static MemcachedServer serverOf(String name) {
    Map<String, MemcachedServer> byAddress = new LinkedHashMap<>();
    for (MemcachedServer s : memcached.servers()) {
      byAddress.put(s.hostAndPort(), s);
    }
    return new KetamaRing<>(byAddress)
        .nodeFor(("memlock:L:" + name).getBytes(StandardCharsets.US_ASCII));
  }

  private static List<String> namesOn(MemcachedServer server, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; names.size() < count; i++) {
      if (serverOf("shard-" + i) == server) {
        names.add("shard-" + i);
      }
    }
    return names;
  }

  @Test
  void eachLockItemIsOnItsRingServerOnly() throws Exception {
    try (MemLock c = client()) {
      List<LockHandle> held = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        held.add(c.lock("shard-" + i).acquire(Duration.ZERO));
      }
      int[] perServer = new int[3];
      for (int i = 0; i < 30; i++) {
        String key = "memlock:L:shard-" + i;
        MemcachedServer owner = serverOf("shard-" + i);
        for (int s = 0; s < 3; s++) {
          MemcachedServer server = memcached.server(s);
          assertThat(RawMemcached.exists(server, key))
              .as("%s on %s", key, server)
              .isEqualTo(server == owner);
          if (server == owner) {
            perServer[s]++;
          }
        }
      }
      assertThat(perServer).doesNotContain(0);
      assertThat(c.inspect("shard-0"))
          .get()
          .extracting(LockInfo::server)
          .isEqualTo(serverOf("shard-0").hostAndPort());
      held.forEach(LockHandle::release);
    }
  }

  @Test
  void aDownServerMakesOnlyItsOwnLocksUnavailable() throws Exception {
    MemcachedServer down = memcached.server(1);
    List<String> onDown = namesOn(down, 5);
    List<String> elsewhere = new ArrayList<>(namesOn(memcached.server(0), 3));
    elsewhere.addAll(namesOn(memcached.server(2), 3));
    try (MemLock c = client()) {
      down.kill();
      for (String name : onDown) {
        assertThat(c.lock(name).tryLock()).isFalse();
        assertThatThrownBy(() -> c.lock(name).acquire(Duration.ZERO))
            .isInstanceOf(LockUnavailableException.class)
            .hasMessageContaining(down.hostAndPort());
        assertThatThrownBy(() -> c.lock(name).acquire(Duration.ofMillis(300)))
            .isInstanceOf(LockUnavailableException.class)
            .hasMessageContaining("gave up after 300 ms");
      }
      for (String name : elsewhere) {
        try (LockHandle h = c.lock(name).acquire(Duration.ZERO)) {
          assertThat(h.isHeld()).isTrue();
        }
      }
      // Never moved: no other server got an item for the down server's names.
      for (String name : onDown) {
        assertThat(RawMemcached.exists(memcached.server(0), "memlock:L:" + name)).isFalse();
        assertThat(RawMemcached.exists(memcached.server(2), "memlock:L:" + name)).isFalse();
      }
      // A wait that outlasts the outage succeeds once the server is back.
      CompletableFuture<Boolean> waiting =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  boolean got = c.lock(onDown.get(0)).tryLock(20, TimeUnit.SECONDS);
                  if (got) {
                    c.lock(onDown.get(0)).unlock();
                  }
                  return got;
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      down.start();
      assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
