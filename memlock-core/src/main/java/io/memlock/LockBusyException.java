package io.memlock;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A lock could not be acquired within the time allowed because another holder has it.
 *
 * <p>Carries what the last attempt learned of the holder: its description (host, process and
 * thread, as the holder wrote it) and its remaining lease.
 */
public class LockBusyException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /** The busy lock's name. */
  private final String lockName;

  /** Who holds the lock, as the holder described itself. */
  private final @Nullable String holder;

  /** The holder's remaining lease, or null when unknown. */
  private final @Nullable Duration holderLeaseLeft;

  /**
   * Creates the exception.
   *
   * @param lockName the lock's name
   * @param holder the holder's description, or null when unknown
   * @param holderLeaseLeft the holder's remaining lease, or null when unknown
   * @param message the whole description
   */
  public LockBusyException(
      String lockName,
      @Nullable String holder,
      @Nullable Duration holderLeaseLeft,
      String message) {

    super(message);
    this.lockName = lockName;
    this.holder = holder;
    this.holderLeaseLeft = holderLeaseLeft;
  }

  /**
   * Returns the lock's name.
   *
   * @return the name
   */
  public String lockName() {
    return lockName;
  }

  /**
   * Returns the holder's description, as the holder wrote it.
   *
   * @return the description, if the last attempt saw one
   */
  public Optional<String> holder() {
    return Optional.ofNullable(holder);
  }

  /**
   * Returns the holder's remaining lease, as memcached reported it (whole seconds).
   *
   * @return the remaining lease, if the last attempt saw it
   */
  public Optional<Duration> holderLeaseLeft() {
    return Optional.ofNullable(holderLeaseLeft);
  }
}
