package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.ChildJvm;
import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that is never closed does not keep its JVM alive: memlock's threads are daemons. The
 * locks it held are not released; they expire by their TTL.
 */
class ForgottenClientTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  @Test
  void anUnclosedClientLetsTheJvmExitAndItsLocksExpireByTtl() throws Exception {
    try (ChildJvm child =
        ChildJvm.start(ForgottenClientMain.class, memcached.serverList(), "forgotten")) {
      child.awaitLine(line -> line.startsWith("holding "), Duration.ofSeconds(60));
      assertThat(child.waitFor(Duration.ofSeconds(20)))
          .as(
              "exit code of a JVM whose main returned with an unclosed client; output %s",
              child.lines())
          .isZero();
    }
    try (MemLock other =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(15))
            .build()) {
      assertThat(other.inspect("forgotten")).as("not released: it expires by TTL").isPresent();
      try (LockHandle h = other.lock("forgotten").acquire(Duration.ofSeconds(60))) {
        assertThat(h.isHeld()).isTrue();
      }
    }
  }
}
