package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.ScriptedServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lock operations against a server that misbehaves in the middle of them: every call ends. */
class LockServerFaultsTest {
  private ScriptedServer server;
  private MemLock memlock;

  @BeforeEach
  void start() {
    server = ScriptedServer.start();
    memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(server.hostAndPort())
            .requestTimeout(Duration.ofMillis(500))
            .build();
  }

  @AfterEach
  void stop() {
    memlock.close();
    server.close();
  }

  /** Regression: an add answered, then the connection cut, left the acquisition pending forever. */
  @Test
  void aConnectionCutAfterTheAddIsAnsweredEndsTheAttempt() throws Exception {
    server.reply("HD c5\r\n").closeConnection();
    CompletableFuture<Boolean> tried = CompletableFuture.supplyAsync(memlock.lock("cut")::tryLock);
    assertThat(tried.get(5, TimeUnit.SECONDS)).isFalse();
    // The next acquisition is not stuck behind the first one.
    assertThatThrownBy(() -> memlock.lock("cut").acquire(Duration.ofMillis(300)))
        .isInstanceOf(LockUnavailableException.class);
  }

  @Test
  void aServerThatStopsAnsweringMakesAcquisitionsFailFast() throws Exception {
    server.hang();
    assertThat(memlock.lock("stalled").tryLock()).isFalse();
    // After a timeout the server counts as stalled: later attempts fail at once, saying why.
    long start = System.nanoTime();
    assertThatThrownBy(() -> memlock.lock("stalled").acquire(Duration.ZERO))
        .isInstanceOf(LockUnavailableException.class)
        .hasMessageContaining("did not answer in time");
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(400));
  }
}
