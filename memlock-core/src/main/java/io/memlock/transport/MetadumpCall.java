package io.memlock.transport;

import io.memlock.ClientClosedException;
import io.memlock.MemLockTimeoutException;
import io.memlock.MemcachedConnectionException;
import io.memlock.protocol.MetadumpDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@code lru_crawler metadump hash} on a connection of its own. memcached refuses the command
 * behind other pipelined commands ({@code ERROR cannot pipeline other commands before metadump})
 * and hands the connection to its crawler thread until the dump ends, so the dump cannot share the
 * pipelined lock connections. The connection uses the transport's TLS settings and connect timeout,
 * gives up when the server sends nothing for {@code idleTimeout}, and is closed when the dump ends.
 */
final class MetadumpCall extends ChannelInboundHandlerAdapter {
  private static final int MAX_LINE = 4096;

  private final ServerAddress address;
  private final Consumer<byte[]> keys;
  private final CompletableFuture<String> result = new CompletableFuture<>();

  private MetadumpCall(ServerAddress address, Consumer<byte[]> keys) {
    this.address = address;
    this.keys = keys;
  }

  /**
   * Starts a dump.
   *
   * @return completes with null when the dump ended with {@code END}, or with the line memcached
   *     answered instead ({@code BUSY ...}); fails with a {@link
   *     io.memlock.MemcachedConnectionException}, {@link MemLockTimeoutException} or {@link
   *     io.memlock.MemcachedProtocolException}
   */
  static CompletableFuture<String> start(
      MemcachedTransport transport,
      ServerAddress address,
      byte[] keyPrefix,
      Consumer<byte[]> keys,
      Duration idleTimeout) {
    MetadumpCall call = new MetadumpCall(address, keys);
    long idleMillis = Math.max(1, idleTimeout.toMillis());
    Bootstrap b =
        new Bootstrap()
            .group(transport.group())
            .channel(transport.channelClass())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, transport.config().connectTimeout().toMillis()))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (transport.sslContext() != null) {
                      ch.pipeline().addLast(transport.newSslHandler(ch.alloc(), address));
                    }
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS))
                        .addLast(new MetadumpDecoder(keyPrefix, MAX_LINE))
                        .addLast(call);
                  }
                });
    try {
      b.connect(address.host(), address.port()).addListener((ChannelFuture f) -> call.connected(f));
    } catch (RejectedExecutionException | IllegalStateException e) {
      call.result.completeExceptionally(
          new ClientClosedException("memlock client is closed; cannot list " + address));
    }
    return call.result;
  }

  private void connected(ChannelFuture f) {
    if (!f.isSuccess()) {
      result.completeExceptionally(
          new MemcachedConnectionException(
              "cannot connect to memcached " + address + ": " + Connection.describe(f.cause()),
              f.cause()));
      return;
    }
    Channel ch = f.channel();
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl == null) {
      send(ch);
    } else {
      ssl.handshakeFuture()
          .addListener(
              h -> {
                if (h.isSuccess()) {
                  send(ch);
                } else {
                  fail(
                      ch,
                      new MemcachedConnectionException(
                          "TLS handshake with "
                              + address
                              + " failed: "
                              + Connection.describe(h.cause()),
                          h.cause()));
                }
              });
    }
  }

  private void send(Channel ch) {
    ch.writeAndFlush(ByteBufUtil.writeAscii(ch.alloc(), "lru_crawler metadump hash\r\n"))
        .addListener(
            w -> {
              if (!w.isSuccess()) {
                fail(
                    ch,
                    new MemcachedConnectionException(
                        "cannot send lru_crawler metadump to "
                            + address
                            + ": "
                            + Connection.describe(w.cause()),
                        w.cause()));
              }
            });
  }

  private void fail(Channel ch, Throwable t) {
    result.completeExceptionally(t);
    ch.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof byte[] key) {
      keys.accept(key);
    } else if (msg instanceof MetadumpDecoder.End end) {
      result.complete(end.refusal());
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    result.completeExceptionally(
        new MemcachedConnectionException(
            "memcached " + address + " closed the connection before the metadump ended"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable t =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (t instanceof ReadTimeoutException) {
      t =
          new MemLockTimeoutException(
              "memcached "
                  + address
                  + " sent nothing for the metadump "
                  + "within the timeout; it may be stopped or overloaded");
    } else if (!(t instanceof io.memlock.MemLockException)) {
      t =
          new MemcachedConnectionException(
              "metadump from " + address + " failed: " + Connection.describe(t), t);
    }
    fail(ctx.channel(), t);
  }
}
