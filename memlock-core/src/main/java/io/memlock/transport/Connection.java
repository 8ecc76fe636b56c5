package io.memlock.transport;

import io.memlock.ClientClosedException;
import io.memlock.MemLockException;
import io.memlock.MemcachedConnectionException;
import io.memlock.MemcachedProtocolException;
import io.memlock.protocol.MetaNoop;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One pipelined connection to one server, confined to one event loop. Requests are queued by any
 * thread and written in batches by the loop; replies are matched to requests in order, with opaque
 * tokens telling which quiet requests memcached did not answer ({@link InflightQueue}). Reconnects
 * with capped backoff ({@link Dialer}).
 */
final class Connection {
  private static final int WRITE_CHUNK = 32 * 1024;

  private enum State {
    CONNECTING,
    CONNECTED,
    WAITING,
    CLOSED
  }

  private final NodeClient node;
  private final MemcachedTransport transport;
  private final TransportConfig config;
  private final EventLoop loop;
  private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Runnable flushTask = this::flush;

  private volatile State state = State.CONNECTING;
  private volatile @Nullable Throwable lastFailure;
  private volatile boolean attempted;

  // Confined to the event loop.
  private final InflightQueue inflight;
  private @Nullable Channel channel;
  private boolean closing;
  private @Nullable Throwable resetCause;
  private int failedAttempts;
  private @Nullable ScheduledFuture<?> reconnectTask;

  Connection(NodeClient node, MemcachedTransport transport, EventLoop loop) {
    this.node = node;
    this.transport = transport;
    this.config = transport.config();
    this.loop = loop;
    this.inflight = new InflightQueue(node, loop, outstanding, cause -> reset(channel, cause));
  }

  boolean isConnected() {
    return state == State.CONNECTED;
  }

  @Nullable Throwable lastFailure() {

    return lastFailure;
  }

  /** Whether the first connection attempt is over (it came up or failed). */
  boolean attempted() {
    return attempted;
  }

  void start() {
    execute(this::connect);
  }

  // ---- sending (any thread) ----

  void enqueue(Object item, int count) {
    State s = state;
    if (s != State.CONNECTED) {
      failItem(item, s == State.CLOSED ? closed() : notConnected());
      return;
    }
    if (outstanding.addAndGet(count) > config.maxOutstandingRequests()) {
      outstanding.addAndGet(-count);
      failItem(
          item,
          new MemLockException(
              node.address()
                  + " has "
                  + config.maxOutstandingRequests()
                  + " requests waiting for replies; refusing more until it catches up"));
      return;
    }
    outbound.offer(item);
    if (flushScheduled.compareAndSet(false, true)) {
      try {
        loop.execute(flushTask);
      } catch (RejectedExecutionException e) {
        flushScheduled.set(false);
        drainOutbound(closed());
      }
    }
  }

  private MemLockException notConnected() {
    Throwable last = lastFailure;
    String why = last == null ? "connecting" : "reconnecting; last error: " + describe(last);
    return new MemcachedConnectionException(
        "not connected to memcached " + node.address() + " (" + why + ")", last);
  }

  private ClientClosedException closed() {
    return new ClientClosedException("connection to memcached " + node.address() + " is closed");
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private void failItem(Object item, Throwable t) {
    if (item instanceof Pending<?> p) {
      p.fail(t);
    } else {
      for (Pending<?> p : (Pending<?>[]) item) {
        p.fail(t);
      }
    }
  }

  // ---- the event loop ----

  private void execute(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // The transport is shut down; close() already failed everything.
    }
  }

  private void connect() {
    reconnectTask = null;
    if (state == State.CLOSED) {
      return;
    }
    state = State.CONNECTING;
    Dialer.dial(
        transport,
        loop,
        node.address(),
        Handler::new,
        () -> state == State.CLOSED,
        this::activate,
        this::connectFailed);
  }

  private void activate(Channel ch) {
    if (state == State.CLOSED) {
      ch.close();
      return;
    }
    if (!ch.isActive()) {
      connectFailed(new MemcachedConnectionException("connection closed while connecting"));
      return;
    }
    channel = ch;
    closing = false;
    resetCause = null;
    failedAttempts = 0;
    lastFailure = null;
    state = State.CONNECTED;
    attempted = true;
    node.connected();
  }

  private void connectFailed(Throwable cause) {
    if (state == State.CLOSED) {
      return;
    }
    lastFailure = cause;
    failedAttempts++;
    state = State.WAITING;
    attempted = true;
    node.attemptFailed();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    long delay = Dialer.backoffNanos(config, failedAttempts);
    reconnectTask = loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
  }

  private void flush() {
    flushScheduled.set(false);
    Channel ch = channel;
    if (state != State.CONNECTED || ch == null || closing) {
      drainOutbound(state == State.CLOSED ? closed() : notConnected());
      return;
    }
    ByteBuf buf = null;
    boolean wrote = false;
    Object item;
    while ((item = outbound.poll()) != null) {
      if (buf == null) {
        buf = ch.alloc().ioBuffer(512);
      }
      if (item instanceof Pending<?> p) {
        inflight.write(p, buf);
      } else {
        for (Pending<?> p : (Pending<?>[]) item) {
          inflight.write(p, buf);
        }
      }
      if (buf.readableBytes() >= WRITE_CHUNK) {
        ch.write(buf).addListener(writeListener);
        buf = null;
        wrote = true;
      }
    }
    if (inflight.endsWithUnansweredQuiet()) {
      // A quiet request learns its silent outcome only from a later reply: end with mn.
      if (buf == null) {
        buf = ch.alloc().ioBuffer(8);
      }
      Pending<?> noop = new Pending<>(MetaNoop.create(), config.requestTimeout().toNanos(), -1);
      outstanding.incrementAndGet();
      inflight.write(noop, buf);
    }
    if (buf != null) {
      if (buf.isReadable()) {
        ch.write(buf).addListener(writeListener);
        wrote = true;
      } else {
        buf.release();
      }
    }
    if (wrote) {
      ch.flush();
    }
  }

  private final ChannelFutureListener writeListener =
      f -> {
        if (!f.isSuccess()) {
          reset(f.channel(), f.cause());
        }
      };

  private void drainOutbound(Throwable t) {
    Object item;
    while ((item = outbound.poll()) != null) {
      outstanding.addAndGet(item instanceof Pending<?> ? -1 : -((Pending<?>[]) item).length);
      failItem(item, t);
    }
  }

  // ---- replies ----

  private void onReply(Object reply) {
    if (!closing) {
      inflight.onReply(reply);
    }
  }

  private void onDecodeError(Throwable cause) {
    if (!closing) {
      inflight.onDecodeError(cause);
    }
  }

  /** Closes the channel because of {@code cause}; its requests fail when it is inactive. */
  private void reset(@Nullable Channel ch, Throwable cause) {

    if (ch == null || ch != channel || closing) {
      return;
    }
    closing = true;
    resetCause = cause;
    if (state == State.CONNECTED) {
      state = State.WAITING;
    }
    ch.close();
  }

  private void channelClosed(Channel ch) {
    if (ch != channel) {
      return;
    }
    channel = null;
    Throwable cause = resetCause;
    resetCause = null;
    closing = false;
    MemLockException ex;
    if (state == State.CLOSED) {
      ex = closed();
    } else if (cause instanceof MemcachedConnectionException c) {
      ex = c;
    } else {
      String why = cause == null ? "closed by the server" : "reset: " + describe(cause);
      ex =
          new MemcachedConnectionException(
              "connection to memcached " + node.address() + " " + why, cause);
    }
    boolean open = state != State.CLOSED;
    if (open) {
      state = State.WAITING;
      lastFailure = ex;
    }
    inflight.failAll(ex);
    drainOutbound(ex);
    if (open) {
      failedAttempts = 1;
      node.disconnected(ex);
      scheduleReconnect();
    }
  }

  // ---- closing ----

  void close() {
    state = State.CLOSED;
    try {
      loop.execute(this::closeOnLoop);
    } catch (RejectedExecutionException e) {
      drainOutbound(closed());
    }
  }

  private void closeOnLoop() {
    if (reconnectTask != null) {
      reconnectTask.cancel(false);
      reconnectTask = null;
    }
    inflight.cancelSweep();
    ClientClosedException ex = closed();
    inflight.failAll(ex);
    drainOutbound(ex);
    if (channel != null) {
      closing = true;
      channel.close();
    }
  }

  /** The last handler of the pipeline: feeds replies and channel events to the connection. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (ctx.channel() == channel) {
        onReply(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      channelClosed(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (ctx.channel() != channel) {
        ctx.close();
        return;
      }
      Throwable c =
          cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      if (c instanceof MemcachedProtocolException) {
        onDecodeError(
            new MemcachedProtocolException("memcached " + node.address() + ": " + c.getMessage()));
      } else {
        reset(ctx.channel(), c);
      }
    }
  }
}
