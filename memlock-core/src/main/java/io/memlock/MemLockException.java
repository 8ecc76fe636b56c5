package io.memlock;

import org.jspecify.annotations.Nullable;

/**
 * Root of the unchecked exceptions memlock throws.
 *
 * <p>Subclasses say what went wrong: {@link MemLockTimeoutException} (memcached did not answer in
 * time), {@link MemcachedConnectionException} (no connection to a server), {@link
 * MemcachedErrorException} (the server replied {@code ERROR}, {@code CLIENT_ERROR} or {@code
 * SERVER_ERROR}), {@link MemcachedProtocolException} (a reply memlock cannot understand) and {@link
 * ClientClosedException} (the client was closed). The one exception outside this hierarchy is
 * {@code LockLostException}, which extends {@link IllegalMonitorStateException} as the {@code
 * java.util.concurrent.locks.Lock} contract asks.
 */
public class MemLockException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong
   */
  public MemLockException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public MemLockException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
