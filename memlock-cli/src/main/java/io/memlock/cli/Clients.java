package io.memlock.cli;

import io.memlock.MemLock;
import io.memlock.store.LockConfig;
import io.memlock.transport.ServerAddress;
import java.time.Duration;

/** Builds the memlock clients of the commands. */
final class Clients {
  /** The longest lease other clients are assumed to take, unless --ttl is longer. */
  static final Duration MAX_LEASE = Duration.ofSeconds(60);

  /** How long a command waits for its first connection to each server. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private Clients() {}

  /**
   * Connects a client (waiting up to {@link #CONNECT_TIMEOUT} for the servers; a server still down
   * then makes the first request fail). The wait is longer than the library's default of 2 s
   * because a command-line tool starts cold: on a loaded machine a fresh JVM can take more than 2 s
   * to set up its first connection to a server that is up.
   *
   * @param servers comma-separated host:port
   * @param namespace the key prefix
   * @param ttl the lease of locks taken
   * @param cluster how the clients of the servers use them
   * @return the client
   * @throws UsageException for a TTL memcached cannot keep or longer than --max-lease, a bad
   *     namespace, or more replicas than servers
   */
  static MemLock connect(String servers, String namespace, Duration ttl, ClusterOptions cluster) {
    checkTtl(ttl);
    Duration maxLease = cluster.maxLease();
    if (ttl.compareTo(maxLease) > 0) {
      throw new UsageException(
          "--ttl "
              + Durations.format(ttl)
              + " is longer than the cluster's longest lease (--max-lease "
              + Durations.format(maxLease)
              + "): raise --max-lease for every client of these servers");
    }
    MemLock.Builder builder = MemLock.builder().servers(servers);
    try {
      builder.namespace(namespace);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--namespace: " + e.getMessage());
    }
    int replicas = cluster.replicas();
    int serverCount = ServerAddress.parseList(servers).size();
    if (replicas > serverCount) {
      throw new UsageException(
          cluster.replicasFrom()
              + " "
              + replicas
              + " needs at least "
              + replicas
              + " servers, got "
              + serverCount
              + " ("
              + servers
              + ")");
    }
    builder
        .connectTimeout(CONNECT_TIMEOUT)
        .leaseTime(ttl)
        .maxLeaseTime(maxLease)
        .replicas(replicas)
        .restartGrace(cluster.restartGrace());
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new UsageException(flagNames(e.getMessage()));
    }
  }

  /**
   * Rewrites a library message in the CLI's terms: builder options become the flags that set them
   * ({@code maxLeaseTime} becomes {@code --max-lease}, {@code leaseTime} {@code --ttl}, {@code
   * replicas(3)} {@code --replicas 3}).
   *
   * @param message the library's message
   * @return the message with flag names
   */
  static String flagNames(String message) {
    if (message == null) {
      return null;
    }
    return message
        .replaceAll("\\bmaxLeaseTime\\b", "--max-lease")
        .replaceAll("\\bleaseTime\\b", "--ttl")
        .replaceAll("\\breplicas\\((\\d+)\\)", "--replicas $1");
  }

  /**
   * Checks that memcached can keep a lease this long.
   *
   * @param ttl the lease
   * @throws UsageException naming what is wrong
   */
  static void checkTtl(Duration ttl) {
    try {
      LockConfig.leaseSeconds("--ttl", ttl);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
