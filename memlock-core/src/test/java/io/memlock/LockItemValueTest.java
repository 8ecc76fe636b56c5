package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock item's value as docs/PROTOCOL.md describes it ({@code memlock1 <token> <fence>
 * <holder>}), read back with raw meta commands: the value is written without an intermediate
 * String, and tokens come from a sequence instead of a shared {@code SecureRandom} (issue 12).
 */
class LockItemValueTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private static final Pattern VALUE =
      Pattern.compile("memlock1 ([0-9a-f]{32}) (-|0|[1-9][0-9]*) (.+)", Pattern.DOTALL);

  private MemLock client() {
    return MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
  }

  private Matcher value(String name) throws Exception {
    String reply = RawMemcached.meta(memcached.server(0), "mg memlock:L:" + name + " v");
    assertThat(reply).startsWith("VA ");
    Matcher m = VALUE.matcher(reply.substring(reply.indexOf('\n') + 1));
    assertThat(m.matches()).as("value of %s: %s", name, reply).isTrue();
    return m;
  }

  /** Runs {@code body} on a thread with this name, and waits for it. */
  private static <T> T onThread(String threadName, java.util.concurrent.Callable<T> body)
      throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                out.complete(body.call());
              } catch (Throwable e) {
                out.completeExceptionally(e);
              }
            },
            threadName);
    t.start();
    return out.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aNonAsciiHolderIsWrittenAsUtf8AndThePublishedFenceInDecimal() throws Exception {
    try (MemLock m = client()) {
      LockHandle h = onThread("wörker-ñ-日本", () -> m.lock("value-utf8").acquire(Duration.ZERO));
      Matcher v = value("value-utf8");
      assertThat(v.group(2)).isEqualTo("-");
      assertThat(v.group(3)).endsWith("/wörker-ñ-日本");
      // The first renewal, within a second, publishes the fence.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((v = value("value-utf8")).group(2).equals("-")) {
        assertThat(System.nanoTime()).as("fence published within 10 s").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(20); // polling with a deadline
      }
      assertThat(Long.parseLong(v.group(2))).isEqualTo(h.fencingToken());
      assertThat(v.group(3)).endsWith("/wörker-ñ-日本");
      h.release();
    }
  }

  @Test
  void everyAcquisitionOfEveryClientCarriesItsOwnToken() throws Exception {
    Set<String> tokens = new HashSet<>();
    try (MemLock a = client();
        MemLock b = client()) {
      for (int i = 0; i < 50; i++) {
        for (MemLock m : new MemLock[] {a, b}) {
          LockHandle h = m.lock("value-token").acquire(Duration.ZERO);
          String token = value("value-token").group(1);
          assertThat(tokens.add(token)).as("token %s seen before", token).isTrue();
          h.release();
        }
      }
    }
    assertThat(tokens).hasSize(100);
  }
}
