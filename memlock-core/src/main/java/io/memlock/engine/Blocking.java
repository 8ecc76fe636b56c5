package io.memlock.engine;

import io.memlock.MemLockException;
import io.memlock.MemLockTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** Waiting for futures in the blocking API. */
public final class Blocking {
  private Blocking() {}

  /**
   * Waits for a request's future (at most four request timeouts) and rethrows its failure as it is
   * when unchecked.
   */
  public static <T> T await(CompletableFuture<T> f, Duration requestTimeout) {
    try {
      return f.get(requestTimeout.toNanos() * 4, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemLockException("interrupted", e);
    } catch (TimeoutException e) {
      throw new MemLockTimeoutException("no answer within " + requestTimeout.multipliedBy(4));
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    }
  }

  /** Joins a future that completes without waiting for long, rethrowing its failure as it is. */
  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw unchecked(e.getCause());
    }
  }

  static RuntimeException unchecked(@Nullable Throwable t) {

    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new MemLockException(String.valueOf(t), t);
  }
}
