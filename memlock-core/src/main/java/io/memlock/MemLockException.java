package io.memlock;

/** Root of the unchecked exceptions memlock throws. */
public class MemLockException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MemLockException(String message) {
    super(message);
  }

  public MemLockException(String message, Throwable cause) {
    super(message, cause);
  }
}
