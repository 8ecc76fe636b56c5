package io.memlock.protocol;

import io.memlock.MemcachedErrorException;

/**
 * A decoded error line: {@code ERROR}, {@code CLIENT_ERROR <text>} or {@code SERVER_ERROR <text>}.
 *
 * @param kind the kind of error line
 * @param message the server's text after the error word (empty for {@code ERROR})
 */
public record ErrorReply(MemcachedErrorException.Kind kind, String message) {
  @Override
  public String toString() {
    return message.isEmpty() ? kind.name() : kind.name() + " " + message;
  }
}
