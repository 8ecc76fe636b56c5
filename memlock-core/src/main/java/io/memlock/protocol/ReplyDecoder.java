package io.memlock.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/** Netty decoder that turns received bytes into replies with a {@link ReplyParser}. */
public final class ReplyDecoder extends ByteToMessageDecoder {
  private final ReplyParser parser;

  /**
   * Creates the decoder.
   *
   * @param parser the parser, owned by this decoder from now on
   */
  public ReplyDecoder(ReplyParser parser) {
    this.parser = parser;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    Object reply = parser.parse(in);
    if (reply != null) {
      out.add(reply);
    }
  }

  /**
   * Reports a reply cut off by the connection's end before the channel is seen inactive, so that
   * the request waiting for it fails with a {@link io.memlock.MemcachedProtocolException}.
   */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    int buffered = internalBuffer().readableBytes();
    if (buffered > 0 || parser.isMidReply()) {
      ctx.fireExceptionCaught(
          new io.memlock.MemcachedProtocolException(
              "connection closed in the middle of a reply, after " + buffered + " bytes of it"));
    }
    super.channelInactive(ctx);
  }
}
