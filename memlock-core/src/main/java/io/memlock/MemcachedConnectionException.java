package io.memlock;

import org.jspecify.annotations.Nullable;

/**
 * There is no usable connection to a memcached server: it refused or dropped the connection, the
 * connection was reset after a bad reply, or memlock is still reconnecting.
 *
 * <p>A request that fails this way may or may not have reached the server.
 */
public class MemcachedConnectionException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which server, and what happened to the connection
   */
  public MemcachedConnectionException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message which server, and what happened to the connection
   * @param cause the underlying failure
   */
  public MemcachedConnectionException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
