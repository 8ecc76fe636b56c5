package io.memlock.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * Owns the event loop threads and makes {@link NodeClient}s. Closing it closes every node client
 * and stops its threads.
 */
public final class MemcachedTransport implements AutoCloseable {
  private final TransportConfig config;
  private final EventLoopGroup group;
  private final Class<? extends Channel> channelClass;
  private final @Nullable SslContext sslContext;
  private final Set<NodeClient> nodes = ConcurrentHashMap.newKeySet();
  private final Listeners listeners = new Listeners();
  private volatile boolean closed;

  private MemcachedTransport(TransportConfig config) {
    this.config = config;
    DefaultThreadFactory threads = new DefaultThreadFactory("memlock-io", true);
    if (Epoll.isAvailable()) {
      this.group = new EpollEventLoopGroup(config.ioThreads(), threads);
      this.channelClass = EpollSocketChannel.class;
    } else {
      this.group = new NioEventLoopGroup(config.ioThreads(), threads);
      this.channelClass = NioSocketChannel.class;
    }
    this.sslContext =
        config.sslContext() == null
            ? null
            : new JdkSslContext(
                config.sslContext(),
                true,
                null,
                IdentityCipherSuiteFilter.INSTANCE,
                ApplicationProtocolConfig.DISABLED,
                ClientAuth.NONE,
                null,
                false);
  }

  /**
   * Starts a transport: its event loop threads run until {@link #close()}.
   *
   * @param config the settings
   * @return the transport
   */
  public static MemcachedTransport create(TransportConfig config) {
    return new MemcachedTransport(config);
  }

  /**
   * Returns the settings.
   *
   * @return the settings
   */
  public TransportConfig config() {
    return config;
  }

  /**
   * Returns the statistics listeners of this client.
   *
   * @return the listeners
   */
  public Listeners listeners() {
    return listeners;
  }

  /**
   * Makes a client for one server and starts connecting to it in the background.
   *
   * @param address the server
   * @return its client
   * @throws IllegalStateException if the transport is closed
   */
  public NodeClient connect(ServerAddress address) {
    return connect(address, node -> {});
  }

  /**
   * Makes a client for one server, lets {@code beforeStart} add its listeners, then starts
   * connecting, so that the listeners hear of every connection, the first one included.
   *
   * @param address the server
   * @param beforeStart called with the client before its first connection attempt
   * @return its client
   * @throws IllegalStateException if the transport is closed
   */
  public NodeClient connect(ServerAddress address, Consumer<NodeClient> beforeStart) {
    if (closed) {
      throw new IllegalStateException("transport is closed");
    }
    NodeClient node = new NodeClient(this, address, group);
    beforeStart.accept(node);
    nodes.add(node);
    node.start();
    return node;
  }

  EventLoopGroup group() {
    if (closed) {
      throw new IllegalStateException("transport is closed");
    }
    return group;
  }

  Class<? extends Channel> channelClass() {
    return channelClass;
  }

  @Nullable SslContext sslContext() {

    return sslContext;
  }

  SslHandler newSslHandler(ByteBufAllocator alloc, ServerAddress address) {
    SslContext context = sslContext;
    if (context == null) {
      throw new IllegalStateException("TLS is not configured");
    }
    SslHandler handler = context.newHandler(alloc, address.host(), address.port());

    if (config.verifyHostname()) {
      SSLEngine engine = handler.engine();
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(params);
    }
    return handler;
  }

  void forget(NodeClient node) {
    nodes.remove(node);
  }

  /**
   * Closes every node client (their requests fail with {@link io.memlock.ClientClosedException})
   * and stops the event loop threads, waiting up to five seconds for them unless called from one;
   * then stops the statistics listeners' thread after it delivered what is queued (see {@link
   * Listeners#close()}).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (NodeClient node : nodes) {
      node.close();
    }
    var termination = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    if (!group.next().inEventLoop()) {
      boolean inLoop = false;
      for (var executor : group) {
        inLoop |= executor.inEventLoop();
      }
      if (!inLoop) {
        termination.awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
    // Last: the requests failed above are still heard by the listeners.
    listeners.close();
  }
}
