package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Names travel as UTF-8, which has no encoding for a lone surrogate: Java writes {@code '?'} for
 * it, so {@code "\uD800"} and {@code "\uDBFF"} named the same item. Such names are refused.
 */
class NameEncodingTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock memlock;

  @BeforeEach
  void client() {
    memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void close() {
    memlock.close();
  }

  @Test
  void loneSurrogatesAreRefusedByEveryNameCheck() {
    for (String bad : new String[] {"\uD800", "\uDBFF", "a\uDC00b", "x\uD83D"}) {
      refused(() -> memlock.lock(bad), "lock name has a lone surrogate");
      refused(() -> memlock.fairLock(bad), "lock name has a lone surrogate");
      refused(() -> memlock.inspect(bad), "lock name has a lone surrogate");
      refused(() -> memlock.forceRelease(bad), "lock name has a lone surrogate");
      refused(() -> memlock.readWriteLock(bad), "read-write lock name has a lone surrogate");
      refused(() -> memlock.semaphore(bad, 2), "semaphore name has a lone surrogate");
      refused(
          () -> memlock.rateLimiter(bad, 1, Duration.ofSeconds(1)),
          "rate limiter name has a lone surrogate");
      refused(() -> memlock.cache(bad), "cache name has a lone surrogate");
      refused(
          () -> memlock.cache("pages").getString(bad, Duration.ofSeconds(5), () -> "v"),
          "cache key has a lone surrogate");
      refused(() -> MemLock.builder().namespace(bad), "namespace must be printable ASCII");
    }
  }

  @Test
  void theMessageNamesTheSurrogateAndItsIndex() {
    assertThatThrownBy(() -> memlock.lock("ab\uDBFF"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lock name has a lone surrogate \\uDBFF at index 2: it is not well-formed UTF-16 and"
                + " has no UTF-8 encoding");
  }

  @Test
  void surrogatePairsAreNamesOfTheirOwn() {
    DistributedLock smile = memlock.lock("\uD83D\uDE00"); // U+1F600
    DistributedLock cry = memlock.lock("\uD83D\uDE22"); // U+1F622
    assertThat(smile.tryLock()).isTrue();
    try {
      assertThat(cry.tryLock()).as("another supplementary character is another lock").isTrue();
      cry.unlock();
      assertThat(memlock.inspect("\uD83D\uDE00")).isPresent();
      assertThat(memlock.inspect("\uD83D\uDE22")).isEmpty();
    } finally {
      smile.unlock();
    }
  }

  private static void refused(Executable call, String message) {
    assertThatThrownBy(call::execute)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
