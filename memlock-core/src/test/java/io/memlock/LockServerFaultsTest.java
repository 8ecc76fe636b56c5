package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.ScriptedServer;
import java.time.Duration;
import java.util.List;
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

  /**
   * Mutant killed: accepting a won add whose final check shows another CAS. Someone deleted our
   * item between the add and the counter read, and may hold the lock: the attempt must not count.
   * Only a scripted server answers in this order.
   */
  @Test
  void anAddWonWhoseCheckShowsAnotherCasIsNotAnAcquisition() throws Exception {
    String other = "memlock1 00000000000000000000000000000000 - someone-else";
    server
        .reply("HD c5\r\n")
        .reply("VA 2\r\n42\r\n")
        .reply("VA " + other.length() + " c6 t30\r\n" + other + "\r\n");
    // Not won; and not "unavailable" either: the replies were understood.
    assertThatThrownBy(() -> memlock.lock("raced").acquire(Duration.ZERO))
        .isInstanceOf(LockBusyException.class);
    List<String> sent = server.requests();
    assertThat(sent.get(0)).startsWith("ms memlock:L:raced ").contains("ME").contains("c");
    assertThat(sent.get(1)).startsWith("ma memlock:F:raced ");
    assertThat(sent.get(2)).startsWith("mg memlock:L:raced ").contains(" c");
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
