package io.memlock.transport;

import io.memlock.protocol.ReplyDecoder;
import io.memlock.protocol.ReplyParser;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How a connection opens its channel: the socket options, the pipeline (TLS when configured, the
 * reply decoder, the connection's own handler), the TLS handshake, and the backoff between failed
 * attempts.
 */
final class Dialer {
  private Dialer() {}

  /**
   * Opens a channel to {@code address} on {@code loop}. Calls {@code ready} once it is connected
   * (and its TLS handshake done), or {@code failed} with the cause; a channel that opens after
   * {@code closed} turned true is closed at once and reported to neither.
   */
  static void dial(
      MemcachedTransport transport,
      EventLoop loop,
      ServerAddress address,
      Supplier<ChannelHandler> handler,
      BooleanSupplier closed,
      Consumer<Channel> ready,
      Consumer<Throwable> failed) {
    TransportConfig config = transport.config();
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(transport.channelClass())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (transport.sslContext() != null) {
                      ch.pipeline().addLast(transport.newSslHandler(ch.alloc(), address));
                    }
                    ch.pipeline()
                        .addLast(
                            new ReplyDecoder(new ReplyParser(8192, config.maxValueLength(), 4096)));
                    ch.pipeline().addLast(handler.get());
                  }
                });
    b.connect(address.host(), address.port())
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                failed.accept(f.cause());
                return;
              }
              Channel ch = f.channel();
              if (closed.getAsBoolean()) {
                ch.close();
                return;
              }
              SslHandler ssl = ch.pipeline().get(SslHandler.class);
              if (ssl == null) {
                ready.accept(ch);
              } else {
                ssl.handshakeFuture()
                    .addListener(
                        h -> {
                          if (h.isSuccess()) {
                            ready.accept(ch);
                          } else {
                            ch.close();
                            failed.accept(h.cause());
                          }
                        });
              }
            });
  }

  /**
   * The wait before the next attempt after {@code failedAttempts} failures in a row: the minimum
   * delay doubled per failure, capped at the maximum, then jittered to between half and all of it.
   */
  static long backoffNanos(TransportConfig config, int failedAttempts) {
    long min = config.reconnectMinDelay().toNanos();
    long max = config.reconnectMaxDelay().toNanos();
    int shift = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long delay = min << shift;
    if (delay <= 0 || delay > max) {
      delay = max;
    }
    return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
  }
}
