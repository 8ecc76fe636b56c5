package io.memlock.cli;

/** A usage error found after parsing, such as a bad server list; exits with 64. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, in one line
   */
  UsageException(String message) {
    super(message);
  }
}
