package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** No lost increment on a shared file, and fences in the order of holdings. */
class MutualExclusionTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  @Test
  void threadsOfTwoClients(@TempDir Path dir) throws Exception {
    Path counter = Files.writeString(dir.resolve("counter"), "0");
    List<Long> fences = new ArrayList<>();
    int threads = 8;
    int iterations = 150;
    try (MemLock one =
            MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
        MemLock two =
            MemLock.builder().restartGrace(false).servers(memcached.serverList()).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        DistributedLock lock = (t % 2 == 0 ? one : two).lock("shared-file");
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < iterations; i++) {
                    lock.lock();
                    try {
                      int v = Integer.parseInt(Files.readString(counter));
                      Files.writeString(counter, Integer.toString(v + 1));
                      fences.add(lock.fencingToken());
                    } finally {
                      lock.unlock();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
    }
    assertThat(Files.readString(counter)).isEqualTo(Integer.toString(threads * iterations));
    assertThat(fences).hasSize(threads * iterations).isSorted().doesNotHaveDuplicates();
    // Most holdings were local hand-offs: their fences carry a hand-off index.
    assertThat(fences.stream().filter(f -> f % 128 != 0).count()).isPositive();
  }

  @Test
  void threeProcesses(@TempDir Path dir) throws Exception {
    Path counter = Files.writeString(dir.resolve("counter"), "0");
    Path log = Files.writeString(dir.resolve("fences"), "");
    int iterations = 100;
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(
            ChildJvm.start(
                LockWorker.class,
                "count",
                memcached.serverList(),
                "processes",
                Integer.toString(iterations),
                counter.toString(),
                log.toString()));
      }
      for (ChildJvm c : children) {
        c.awaitLine("done"::equals, Duration.ofSeconds(90));
        assertThat(c.waitFor(Duration.ofSeconds(30))).isZero();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
    assertThat(Files.readString(counter)).isEqualTo(Integer.toString(3 * iterations));
    List<Long> fences = Files.readAllLines(log).stream().map(Long::parseLong).toList();
    assertThat(fences).hasSize(3 * iterations).isSorted().doesNotHaveDuplicates();
  }
}
