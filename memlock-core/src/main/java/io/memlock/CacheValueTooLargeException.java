package io.memlock;

import org.jspecify.annotations.Nullable;

/**
 * A {@link RefreshingCache} loader returned a value larger than memcached accepts: more than the
 * server's item size limit (memcached's {@code -I}, 1 MiB by default, less the item's own overhead)
 * or more than the 1 MiB memlock reads back. The value was not stored, and the right to load passed
 * to the next caller.
 */
public class CacheValueTooLargeException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /** The value's size in bytes. */
  private final int size;

  /**
   * Creates the exception.
   *
   * @param message which cache and key, how large, and what refused it
   * @param size the value's size in bytes
   * @param cause the server's refusal, or null when memlock refused before sending
   */
  public CacheValueTooLargeException(String message, int size, @Nullable Throwable cause) {
    super(message, cause);
    this.size = size;
  }

  /**
   * Returns the size of the refused value.
   *
   * @return bytes
   */
  public int size() {
    return size;
  }
}
