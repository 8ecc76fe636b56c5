package io.memlock.bench;

import io.memlock.protocol.Key;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.transport.MemcachedTransport;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.time.Duration;

/**
 * memlock's own transport: {@code mg <key> v} and {@code ms <key> 100 T0} over {@link NodeClient},
 * waiting for each reply with {@code join()}. Keys are encoded once, up front.
 */
public final class MemlockBenchClient implements BenchClient {
  private final MemcachedTransport transport;
  private final NodeClient node;
  private final Key[] keys;
  private final byte[] value = Workload.value();

  /**
   * Connects to a server and waits until the connection is up.
   *
   * @param server memcached's {@code host:port}
   * @param connections connections per server, or 0 for memlock's default
   * @param ioThreads event loop threads, or 0 for memlock's default
   */
  public MemlockBenchClient(String server, int connections, int ioThreads) {
    TransportConfig.Builder config =
        TransportConfig.builder()
            .connectTimeout(Duration.ofSeconds(5))
            .requestTimeout(Duration.ofSeconds(5));
    if (connections > 0) {
      config.connectionsPerServer(connections);
    }
    if (ioThreads > 0) {
      config.ioThreads(ioThreads);
    }
    String[] names = Workload.keyNames();
    keys = new Key[names.length];
    for (int i = 0; i < names.length; i++) {
      keys[i] = Key.of(names[i]);
    }
    transport = MemcachedTransport.create(config.build());
    try {
      node = transport.connect(ServerAddress.parse(server));
      if (!node.awaitConnected(Duration.ofSeconds(10))) {
        throw new IllegalStateException(
            "memlock could not connect to " + server + ": " + node.lastFailure());
      }
    } catch (InterruptedException e) {
      transport.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting", e);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  @Override
  public byte[] get(int i) {
    MetaResponse r = node.send(MetaGet.of(keys[i]).returnValue()).join();
    byte[] v = r.value();
    if (v == null) {
      throw new IllegalStateException("memlock: no value for " + keys[i] + ": " + r);
    }
    return v;
  }

  @Override
  public boolean set(int i) {
    MetaResponse r = node.send(MetaSet.of(keys[i], value).ttl(0)).join();
    if (r.status() != MetaStatus.HD) {
      throw new IllegalStateException("memlock: " + keys[i] + " not stored: " + r);
    }
    return true;
  }

  @Override
  public void close() {
    transport.close();
  }
}
