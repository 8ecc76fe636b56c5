package io.memlock.cli;

/** A command failed for a reason it can name in one line; exits with the status given. */
final class Failure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the exit status
   * @param message what went wrong, in one line
   */
  Failure(int status, String message) {
    super(message);
    this.status = status;
  }

  /** Returns the exit status. */
  int status() {
    return status;
  }
}
