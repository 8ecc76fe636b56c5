package io.memlock.cli;

import io.memlock.MemLock;
import io.memlock.lock.LockConfig;
import java.time.Duration;

/** Builds the memlock clients of the commands. */
final class Clients {
  /** The longest lease other clients are assumed to take, unless --ttl is longer. */
  static final Duration MAX_LEASE = Duration.ofSeconds(60);

  private Clients() {}

  /**
   * Connects a client (waiting up to two seconds for the servers; a server still down then makes
   * the first request fail).
   *
   * @param servers comma-separated host:port
   * @param namespace the key prefix
   * @param ttl the lease of locks taken
   * @return the client
   * @throws UsageException for a TTL memcached cannot keep, or a bad namespace
   */
  static MemLock connect(String servers, String namespace, Duration ttl) {
    checkTtl(ttl);
    MemLock.Builder builder = MemLock.builder().servers(servers);
    try {
      builder.namespace(namespace);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--namespace: " + e.getMessage());
    }
    return builder
        .leaseTime(ttl)
        .maxLeaseTime(ttl.compareTo(MAX_LEASE) > 0 ? ttl : MAX_LEASE)
        .build();
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
