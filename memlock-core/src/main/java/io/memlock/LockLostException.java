package io.memlock;

/**
 * The lease of a lock was lost: it ran out, a renewal found the lock item deleted or replaced, or a
 * release found it gone. After this the holder may overlap with another holder; only the fencing
 * token protects the resource from here on.
 *
 * <p>It extends {@link IllegalMonitorStateException}, which {@link
 * java.util.concurrent.locks.Lock#unlock()} throws when the caller does not hold the lock, and is
 * therefore not a {@link MemLockException}.
 */
public class LockLostException extends IllegalMonitorStateException {
  private static final long serialVersionUID = 1L;

  /** The lost lock's name. */
  private final String lockName;

  /**
   * Creates the exception.
   *
   * @param lockName the lock's name
   * @param message what happened
   */
  public LockLostException(String lockName, String message) {
    super(message);
    this.lockName = lockName;
  }

  /**
   * Returns the lock's name.
   *
   * @return the name
   */
  public String lockName() {
    return lockName;
  }
}
