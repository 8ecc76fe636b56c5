package io.memlock.cluster;

import io.memlock.protocol.Key;
import io.memlock.transport.MemcachedTransport;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memcached servers of one client and the placement of keys on them. A key always maps to the
 * same server, whether it is up or not: memlock never moves a lock.
 */
public final class Cluster implements AutoCloseable {
  private final MemcachedTransport transport;
  private final List<NodeClient> nodes;
  private final KetamaRing<NodeClient> ring;

  private Cluster(MemcachedTransport transport, List<NodeClient> nodes) {
    this.transport = transport;
    this.nodes = List.copyOf(nodes);
    Map<String, NodeClient> byName = new LinkedHashMap<>();
    for (NodeClient n : nodes) {
      byName.put(n.address().toString(), n);
    }
    this.ring = new KetamaRing<>(byName);
  }

  /**
   * Connects to the servers (in the background; requests fail fast until connected).
   *
   * @param servers the servers
   * @param config transport settings
   * @return the cluster
   */
  public static Cluster connect(List<ServerAddress> servers, TransportConfig config) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no memcached servers given");
    }
    MemcachedTransport transport = MemcachedTransport.create(config);
    List<NodeClient> nodes = new ArrayList<>();
    for (ServerAddress a : servers) {
      nodes.add(transport.connect(a));
    }
    return new Cluster(transport, nodes);
  }

  /**
   * Returns the server a key lives on.
   *
   * @param key the key
   * @return its server's client
   */
  public NodeClient nodeFor(Key key) {
    return nodes.size() == 1 ? nodes.get(0) : ring.nodeFor(key.raw());
  }

  /**
   * Returns every server's client.
   *
   * @return the clients, in the configured order
   */
  public List<NodeClient> nodes() {
    return nodes;
  }

  /** Closes every connection and stops the I/O threads. */
  @Override
  public void close() {
    transport.close();
  }
}
