package io.memlock.cli;

import io.memlock.MemLockException;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaDelete;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.transport.MemcachedTransport;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The demo's stock count: a plain memcached item holding a decimal number, read and written with no
 * protection of its own, like a cache entry an application updates.
 */
final class StockItem implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final MemcachedTransport transport;
  private final NodeClient node;
  private final Key key;

  private StockItem(MemcachedTransport transport, NodeClient node, Key key) {
    this.transport = transport;
    this.node = node;
    this.key = key;
  }

  /**
   * Connects to the first server of the list.
   *
   * @param servers comma-separated host:port
   * @param key the item's key
   * @return the item
   * @throws MemLockException if the server cannot be reached
   */
  static StockItem connect(String servers, String key) {
    ServerAddress address = ServerAddress.parseList(servers).get(0);
    TransportConfig config =
        TransportConfig.builder()
            .connectTimeout(TIMEOUT)
            .requestTimeout(TIMEOUT)
            .ioThreads(1)
            .build();
    MemcachedTransport transport = MemcachedTransport.create(config);
    NodeClient node = transport.connect(address);
    try {
      if (!node.awaitConnected(TIMEOUT)) {
        transport.close();
        Throwable t = node.lastFailure();
        throw new MemLockException(
            "cannot connect to memcached " + address + (t == null ? "" : ": " + t.getMessage()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      transport.close();
      throw new MemLockException("interrupted while connecting to " + address);
    }
    return new StockItem(transport, node, Key.of(key));
  }

  /**
   * Reads the stock count.
   *
   * @return the count
   * @throws MemLockException if the item is missing or memcached fails
   */
  long read() {
    MetaResponse r = join(node.send(MetaGet.of(key).returnValue()));
    if (r.status() != MetaStatus.VA) {
      throw new MemLockException("stock item " + key + " is missing");
    }
    return Long.parseLong(r.valueAsString().trim());
  }

  /**
   * Writes the stock count.
   *
   * @param count the count
   * @throws MemLockException if memcached does not store it
   */
  void write(long count) {
    byte[] value = Long.toString(count).getBytes(StandardCharsets.US_ASCII);
    MetaResponse r = join(node.send(MetaSet.of(key, value)));
    if (r.status() != MetaStatus.HD) {
      throw new MemLockException("memcached did not store " + key + ": " + r);
    }
  }

  /** Deletes the item. */
  void delete() {
    join(node.send(MetaDelete.of(key)));
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new MemLockException(String.valueOf(e.getCause()), e.getCause());
    }
  }

  @Override
  public void close() {
    transport.close();
  }
}
