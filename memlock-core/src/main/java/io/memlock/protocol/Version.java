package io.memlock.protocol;

import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;

/** {@code version}: the server's version string, e.g. {@code "1.6.18"}. */
public final class Version extends Request<String> {
  private static final Version INSTANCE = new Version();

  private Version() {}

  /**
   * Returns the request (it has no state).
   *
   * @return the {@code version} request
   */
  public static Version create() {
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out, @Nullable String opaque) {
    ByteBufUtil.writeAscii(out, "version\r\n");
  }

  @Override
  public String convert(Object reply) {
    if (reply instanceof VersionReply v) {
      return v.version();
    }
    throw new MemcachedProtocolException("reply '" + reply + "' cannot answer version");
  }

  @Override
  public String name() {
    return "version";
  }
}
