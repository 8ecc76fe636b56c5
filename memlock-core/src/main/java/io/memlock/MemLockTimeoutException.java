package io.memlock;

/**
 * A memcached server did not answer a request within its timeout.
 *
 * <p>A timed-out request may still have reached the server and taken effect: a timed-out lock
 * acquisition can have created the lock item, which then expires with its lease.
 */
public class MemLockTimeoutException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which server and request timed out, and after how long
   */
  public MemLockTimeoutException(String message) {
    super(message);
  }
}
