package io.memlock.protocol;

import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;

/** {@code mn}: answered by {@code MN}; ends a pipeline of quiet requests. */
public final class MetaNoop extends Request<MetaResponse> {
  private static final MetaNoop INSTANCE = new MetaNoop();

  private MetaNoop() {}

  /**
   * Returns the request (it has no state).
   *
   * @return the {@code mn} request
   */
  public static MetaNoop create() {
    return INSTANCE;
  }

  @Override
  public void encode(ByteBuf out, @Nullable String opaque) {
    ByteBufUtil.writeAscii(out, "mn\r\n");
  }

  @Override
  public MetaResponse convert(Object reply) {
    if (reply instanceof MetaResponse r && r.status() == MetaStatus.MN) {
      return r;
    }
    throw new MemcachedProtocolException("reply '" + reply + "' cannot answer mn");
  }

  @Override
  public String name() {
    return "mn";
  }
}
