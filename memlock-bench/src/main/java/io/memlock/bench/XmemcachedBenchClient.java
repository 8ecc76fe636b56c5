package io.memlock.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.exception.MemcachedException;
import net.rubyeye.xmemcached.utils.AddrUtil;

/**
 * xmemcached with its defaults (text protocol, its serializing transcoder, which stores a {@code
 * byte[]} as it is), one connection, a 5 s operation timeout and its synchronous {@code get} and
 * {@code set}. Keys are the workload's precomputed strings.
 */
public final class XmemcachedBenchClient implements BenchClient {
  private static final long TIMEOUT_MILLIS = 5000;

  private final MemcachedClient client;
  private final String[] keys = Workload.keyNames();
  private final byte[] value = Workload.value();

  /**
   * Connects to a server.
   *
   * @param server memcached's {@code host:port}
   */
  public XmemcachedBenchClient(String server) {
    XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(server));
    builder.setConnectionPoolSize(1);
    builder.setOpTimeout(TIMEOUT_MILLIS);
    builder.setConnectTimeout(TIMEOUT_MILLIS);
    try {
      client = builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("xmemcached could not connect to " + server, e);
    }
  }

  @Override
  public byte[] get(int i) {
    Object v;
    try {
      v = client.get(keys[i]);
    } catch (TimeoutException | MemcachedException e) {
      throw new IllegalStateException("xmemcached: get " + keys[i] + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (v == null) {
      throw new IllegalStateException("xmemcached: no value for " + keys[i]);
    }
    return (byte[]) v;
  }

  @Override
  public boolean set(int i) {
    boolean stored;
    try {
      stored = client.set(keys[i], 0, value);
    } catch (TimeoutException | MemcachedException e) {
      throw new IllegalStateException("xmemcached: set " + keys[i] + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (!stored) {
      throw new IllegalStateException("xmemcached: " + keys[i] + " not stored");
    }
    return true;
  }

  @Override
  public void close() {
    try {
      client.shutdown();
    } catch (IOException e) {
      throw new UncheckedIOException("xmemcached shutdown failed", e);
    }
  }
}
