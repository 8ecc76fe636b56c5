package io.memlock;

import org.jspecify.annotations.Nullable;

/**
 * A lock cannot be used now because the memcached server (or the majority of servers) it lives on
 * is down, unreachable, failing, or still in its restart grace period. memlock never moves a lock
 * to another server, which could let two holders in; it waits or fails instead.
 */
public class LockUnavailableException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which lock, which server, and why
   * @param cause the last failure, or null
   */
  public LockUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
