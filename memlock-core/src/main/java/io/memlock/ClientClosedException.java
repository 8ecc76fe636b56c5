package io.memlock;

/** The memlock client was closed before or while a request was under way. */
public class ClientClosedException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was closed
   */
  public ClientClosedException(String message) {
    super(message);
  }
}
