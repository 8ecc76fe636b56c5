package io.memlock.transport;

import io.memlock.protocol.Request;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A request on its way: the request, its future, its deadline and its opaque token. */
final class Pending<T> {
  final Request<T> request;
  final CompletableFuture<T> future = new CompletableFuture<>();
  final long deadlineNanos;
  final long timeoutNanos;
  final long requiredEpoch;
  @Nullable String opaque;

  Pending(Request<T> request, long timeoutNanos, long requiredEpoch) {
    this.request = request;
    this.timeoutNanos = timeoutNanos;
    this.deadlineNanos = System.nanoTime() + timeoutNanos;
    this.requiredEpoch = requiredEpoch;
  }

  /**
   * Converts a reply and completes the future with it. A reply that does not fit is returned, not
   * thrown, and leaves the future alone, so that the caller can reset the connection first.
   */
  @Nullable RuntimeException complete(Object reply) {

    T value;
    try {
      value = request.convert(reply);
    } catch (RuntimeException e) {
      return e;
    }
    future.complete(value);
    return null;
  }

  void completeQuiet() {
    future.complete(request.quietResult());
  }

  void fail(Throwable t) {
    future.completeExceptionally(t);
  }
}
