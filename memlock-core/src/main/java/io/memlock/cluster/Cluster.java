package io.memlock.cluster;

import io.memlock.Ticker;
import io.memlock.protocol.Key;
import io.memlock.transport.MemcachedTransport;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The memcached servers of one client and the placement of keys on them. A key always maps to the
 * same server, whether it is up or not: memlock never moves a lock.
 */
public final class Cluster implements AutoCloseable {
  private final MemcachedTransport transport;
  private final List<NodeClient> nodes;
  private final KetamaRing<NodeClient> ring;
  private final int replicas;
  private final IdentityHashMap<NodeClient, NodeHealth> health = new IdentityHashMap<>();

  /**
   * How the servers are used.
   *
   * @param replicas on how many servers each name lives (1: sharding; more: quorum)
   * @param graceSeconds the restart grace period: the longest lease of the cluster (0: none)
   * @param drift the assumed bound on clock rate error
   * @param ticker the monotonic clock
   */
  public record Settings(int replicas, long graceSeconds, double drift, Ticker ticker) {}

  private Cluster(MemcachedTransport transport, List<ServerAddress> servers, Settings settings) {
    this.transport = transport;
    long timeout = transport.config().requestTimeout().toNanos();
    List<NodeClient> made = new ArrayList<>();
    for (ServerAddress a : servers) {
      // The health view listens before the first connection attempt: it must hear of the first
      // connection, or the first acquisitions find the server's grace unknown.
      made.add(
          transport.connect(
              a,
              n -> {
                NodeHealth h =
                    new NodeHealth(
                        n, settings.ticker(), settings.graceSeconds(), settings.drift(), timeout);
                health.put(n, h);
                n.addListener(h);
              }));
    }
    this.nodes = List.copyOf(made);
    this.replicas = Math.min(settings.replicas(), nodes.size());
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
   * @param settings how the servers are used
   * @return the cluster
   */
  public static Cluster connect(
      List<ServerAddress> servers, TransportConfig config, Settings settings) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no memcached servers given");
    }
    return new Cluster(MemcachedTransport.create(config), servers, settings);
  }

  /**
   * Returns on how many servers each name lives.
   *
   * @return 1 for sharding, more for quorum
   */
  public int replicas() {
    return replicas;
  }

  /**
   * Returns the servers a key lives on in quorum mode: {@link #replicas()} consecutive distinct
   * servers of the ring, the key's own server first.
   *
   * @param key the key
   * @return the servers' health views
   */
  public List<NodeHealth> replicasFor(Key key) {
    List<NodeClient> owners =
        nodes.size() == 1 ? List.of(nodes.get(0)) : ring.nodesFor(key.raw(), replicas);
    List<NodeHealth> out = new ArrayList<>(owners.size());
    for (NodeClient n : owners) {
      out.add(health(n));
    }
    return out;
  }

  /**
   * Returns the health view of a server: whether it may take acquisitions now.
   *
   * @param node the server
   * @return its health
   */
  public NodeHealth health(NodeClient node) {
    return Objects.requireNonNull(health.get(node), "not a server of this cluster");
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

  /**
   * Returns the statistics listeners of this client.
   *
   * @return the listeners
   */
  public io.memlock.transport.Listeners listeners() {
    return transport.listeners();
  }

  /** Closes every connection and stops the I/O threads. */
  @Override
  public void close() {
    transport.close();
  }
}
