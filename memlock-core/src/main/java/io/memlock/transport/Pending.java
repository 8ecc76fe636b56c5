package io.memlock.transport;

import io.memlock.protocol.Request;
import java.util.concurrent.CompletableFuture;

/** A request on its way: the request, its future, its deadline and its opaque token. */
final class Pending<T> {
  final Request<T> request;
  final CompletableFuture<T> future = new CompletableFuture<>();
  final long deadlineNanos;
  final long timeoutNanos;
  final long requiredEpoch;
  String opaque;

  Pending(Request<T> request, long timeoutNanos, long requiredEpoch) {
    this.request = request;
    this.timeoutNanos = timeoutNanos;
    this.deadlineNanos = System.nanoTime() + timeoutNanos;
    this.requiredEpoch = requiredEpoch;
  }

  /** Completes with a reply; a reply that does not fit fails the future and is rethrown. */
  void complete(Object reply) {
    T value;
    try {
      value = request.convert(reply);
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
      throw e;
    }
    future.complete(value);
  }

  void completeQuiet() {
    future.complete(request.quietResult());
  }

  void fail(Throwable t) {
    future.completeExceptionally(t);
  }
}
