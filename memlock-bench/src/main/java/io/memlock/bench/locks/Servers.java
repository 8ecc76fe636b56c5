package io.memlock.bench.locks;

/**
 * Where the servers of a run listen.
 *
 * @param memcached memcached's {@code host:port}
 * @param redis Redis's {@code host:port}, or empty when no Redis contender runs
 * @param quorum the three memcached servers of the quorum contender, {@code host:port} separated by
 *     commas, or empty when it does not run
 */
public record Servers(String memcached, String redis, String quorum) {
  /**
   * Servers without the quorum contender's.
   *
   * @param memcached memcached's {@code host:port}
   * @param redis Redis's {@code host:port}, or empty
   */
  public Servers(String memcached, String redis) {
    this(memcached, redis, "");
  }

  /**
   * Returns Redis's address as Redisson takes it.
   *
   * @return {@code redis://host:port}
   * @throws IllegalStateException if no Redis was given
   */
  public String redisUri() {
    if (redis == null || redis.isBlank()) {
      throw new IllegalStateException("this contender needs Redis, but no Redis address was given");
    }
    return "redis://" + redis;
  }

  /**
   * Returns the quorum contender's servers.
   *
   * @return {@code host:port,host:port,host:port}
   * @throws IllegalStateException if none were given
   */
  public String quorumServers() {
    if (quorum == null || quorum.isBlank()) {
      throw new IllegalStateException(
          "the quorum contender needs three memcached servers, but none were given");
    }
    return quorum;
  }
}
