package io.memlock.engine;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An acquisition under way: of a lock item ({@link Acquisition}) or of a synchronizer built on lock
 * items ({@link SyncAttempt}). Its result completes with the hold, with null when it was not
 * acquired (see {@link #lastHolder()} and {@link #lastError()}), or exceptionally when the client
 * closes.
 */
public interface LockAttempt {
  /** Completes with the handle, or null if not acquired. */
  CompletableFuture<LockHandleImpl> result();

  /**
   * Stops the attempt: completes {@link #result()} with null unless it already has a handle. A
   * lease won afterwards is released.
   *
   * @return the handle if the attempt had already succeeded, else null
   */
  @Nullable LockHandleImpl abandon();

  /** Stops the attempt because the client closes. */
  void close();

  /** The holder the last try found, or null. */
  @Nullable String lastHolder();

  /** The holder's remaining TTL in seconds the last try found, or a negative number. */
  long lastTtl();

  /** The last failure to reach memcached, or null. */
  @Nullable Throwable lastError();
}
