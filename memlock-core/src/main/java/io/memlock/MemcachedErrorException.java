package io.memlock;

/**
 * A memcached server answered a request with an error line: {@code ERROR}, {@code CLIENT_ERROR
 * <text>} or {@code SERVER_ERROR <text>}.
 */
public class MemcachedErrorException extends MemLockException {
  private static final long serialVersionUID = 1L;

  /** The three kinds of error line memcached sends. */
  public enum Kind {
    /** {@code ERROR}: the server does not know the command. */
    ERROR,
    /** {@code CLIENT_ERROR}: the request was malformed. */
    CLIENT_ERROR,
    /** {@code SERVER_ERROR}: the server could not carry out a well-formed request. */
    SERVER_ERROR
  }

  /** Which error memcached answered. */
  private final Kind kind;

  /** The text memcached sent after the error word. */
  private final String serverMessage;

  /**
   * Creates the exception.
   *
   * @param kind the kind of error line
   * @param serverMessage the text after the error word, empty for {@code ERROR}
   * @param message the whole description: which server, which request, what it said
   */
  public MemcachedErrorException(Kind kind, String serverMessage, String message) {
    super(message);
    this.kind = kind;
    this.serverMessage = serverMessage;
  }

  /**
   * Returns the kind of error line.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the server's own text, e.g. {@code "out of memory storing object"}.
   *
   * @return the text after the error word, empty for {@code ERROR}
   */
  public String serverMessage() {
    return serverMessage;
  }
}
