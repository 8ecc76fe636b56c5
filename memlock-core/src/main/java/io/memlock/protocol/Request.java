package io.memlock.protocol;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * One request to memcached and the conversion of its reply.
 *
 * @param <T> what the reply becomes
 */
public abstract class Request<T> {
  Request() {}

  /**
   * Writes the request in wire form.
   *
   * @param out the buffer to write to
   * @param opaque the opaque token to send with {@code O}, or null for none; the transport passes
   *     one for every quiet request so that it can match replies
   */
  public abstract void encode(ByteBuf out, @Nullable String opaque);

  /**
   * Turns a decoded reply into this request's result.
   *
   * @param reply a reply from {@link ReplyParser}
   * @return the result
   * @throws io.memlock.MemcachedProtocolException if the reply cannot answer this request
   */
  public abstract T convert(Object reply);

  /**
   * Tells whether memcached may send no reply at all on success (the {@code q} flag).
   *
   * @return true for a quiet request
   */
  public boolean isQuiet() {
    return false;
  }

  /**
   * Returns the opaque token the caller set, or null.
   *
   * @return the caller's opaque token
   */
  public @Nullable String opaque() {
    return null;
  }

  /**
   * The result of a quiet request whose success memcached did not report.
   *
   * @return the implied result
   */
  public T quietResult() {
    throw new IllegalStateException(name() + " is not quiet");
  }

  /**
   * Returns a short description for error messages, such as {@code "mg lock:orders"}.
   *
   * @return the command and its key
   */
  public abstract String name();

  @Override
  public String toString() {
    return name();
  }
}
