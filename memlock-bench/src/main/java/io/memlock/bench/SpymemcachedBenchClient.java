package io.memlock.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.MemcachedClient;

/**
 * spymemcached with its default connection factory (text protocol, one connection, its serializing
 * transcoder, which stores a {@code byte[]} as it is): the synchronous {@code get}, and {@code
 * set(...).get()}. Keys are the workload's precomputed strings.
 */
public final class SpymemcachedBenchClient implements BenchClient {
  static {
    // spymemcached logs to stderr by default; route it to SLF4J, which discards it here.
    System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
  }

  private final MemcachedClient client;
  private final String[] keys = Workload.keyNames();
  private final byte[] value = Workload.value();

  /**
   * Connects to a server (the connection comes up in the background; requests wait for it).
   *
   * @param server memcached's {@code host:port}
   */
  public SpymemcachedBenchClient(String server) {
    try {
      client = new MemcachedClient(AddrUtil.getAddresses(server));
    } catch (IOException e) {
      throw new UncheckedIOException("spymemcached could not connect to " + server, e);
    }
  }

  @Override
  public byte[] get(int i) {
    Object v = client.get(keys[i]);
    if (v == null) {
      throw new IllegalStateException("spymemcached: no value for " + keys[i]);
    }
    return (byte[]) v;
  }

  @Override
  public boolean set(int i) {
    boolean stored;
    try {
      stored = client.set(keys[i], 0, value).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("spymemcached: set " + keys[i] + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (!stored) {
      throw new IllegalStateException("spymemcached: " + keys[i] + " not stored");
    }
    return true;
  }

  @Override
  public void close() {
    client.shutdown(5, TimeUnit.SECONDS);
  }
}
