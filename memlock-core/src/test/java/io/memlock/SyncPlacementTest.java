package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.cluster.KetamaRing;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With several servers, all items of one synchronizer live on one server, its home's. */
class SyncPlacementTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  /** The servers holding a key now. */
  private static List<MemcachedServer> holders(String key) {
    List<MemcachedServer> found = new ArrayList<>();
    for (MemcachedServer s : memcached.servers()) {
      if (!RawMemcached.command(s, "mg " + key).startsWith("EN")) {
        found.add(s);
      }
    }
    return found;
  }

  /** Asserts that every key is on exactly the server that holds {@code home}. */
  private static void onOneServer(String home, List<String> keys) {
    List<MemcachedServer> homes = holders(home);
    assertThat(homes).as(home).hasSize(1);
    for (String k : keys) {
      assertThat(holders(k)).as(k).containsExactlyElementsOf(homes);
    }
  }

  @Test
  void everyItemOfASynchronizerLivesOnItsHomeServer() throws Exception {
    Map<String, MemcachedServer> byAddress = new LinkedHashMap<>();
    for (MemcachedServer s : memcached.servers()) {
      byAddress.put(s.hostAndPort(), s);
    }
    KetamaRing<MemcachedServer> ring = new KetamaRing<>(byAddress);
    int scattered = 0;
    List<String> checked = new ArrayList<>();
    try (MemLock m =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(5))
            .build()) {
      for (String name : List.of("alpha", "beta", "gamma", "delta")) {
        // Semaphore: the count record, the slots and the fence counter.
        DistributedSemaphore sem = m.semaphore(name, 4);
        List<LockHandle> permits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          permits.add(sem.acquire(Duration.ZERO));
        }
        List<String> keys = new ArrayList<>(List.of("memlock:SF:" + name));
        for (int i = 0; i < 4; i++) {
          keys.add("memlock:S" + i + ":" + name);
        }
        onOneServer("memlock:SP:" + name, keys);
        checked.addAll(keys);
        for (LockHandle p : permits) {
          p.release();
        }

        // Read-write lock: readers' slots, then the writer item.
        DistributedReadWriteLock rw = m.readWriteLock(name);
        List<LockHandle> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          readers.add(rw.readLock().acquire(Duration.ZERO));
        }
        List<String> slots = new ArrayList<>();
        for (LockHandle r : readers) {
          String slot = r.name().replaceAll(".* \\(read ([0-9]+)\\)$", "$1");
          slots.add("memlock:RR" + slot + ":" + name);
        }
        onOneServer("memlock:RF:" + name, slots);
        checked.addAll(slots);
        for (LockHandle r : readers) {
          r.release();
        }
        LockHandle w = rw.writeLock().acquire(Duration.ZERO);
        onOneServer("memlock:RF:" + name, List.of("memlock:RW:" + name));
        checked.add("memlock:RF:" + name);
        w.release();

        // Fair lock: the queue lives with the lock item.
        LockHandle f = m.fairLock(name).acquire(Duration.ofSeconds(5));
        onOneServer(
            "memlock:L:" + name,
            List.of("memlock:QT:" + name, "memlock:QS:" + name, "memlock:F:" + name));
        checked.addAll(List.of("memlock:QT:" + name, "memlock:QS:" + name));
        f.release();
      }
    }
    for (String key : checked) {
      String name = key.substring(key.lastIndexOf(':') + 1);
      String kind = key.split(":")[1];
      String home =
          kind.startsWith("R")
              ? "memlock:RW:" + name
              : kind.startsWith("S") ? "memlock:SP:" + name : "memlock:L:" + name;
      if (ring.nodeFor(bytes(key)) != ring.nodeFor(bytes(home))) {
        scattered++;
      }
    }
    // Hashed on their own keys, many items would have landed elsewhere: placement mattered.
    assertThat(scattered).isGreaterThan(checked.size() / 4);
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.US_ASCII);
  }
}
