package io.memlock;

/**
 * A memcached server sent a reply memlock cannot understand: garbage, a truncated or oversized
 * reply, or a reply that does not fit the request it answers. The connection it came on is reset.
 */
public class MemcachedProtocolException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong with the reply
   */
  public MemcachedProtocolException(String message) {
    super(message);
  }
}
