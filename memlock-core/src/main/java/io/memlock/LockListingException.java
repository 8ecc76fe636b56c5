package io.memlock;

/**
 * {@link MemLock#list(String)} cannot list a server's items because memcached's LRU crawler refuses
 * to dump them: it is disabled ({@code memcached -o no_lru_crawler}), or it stayed busy with
 * another crawl for longer than the listing waits. The message names the server and the way out.
 */
public class LockListingException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which server, what it answered, and what to do
   */
  public LockListingException(String message) {
    super(message);
  }
}
