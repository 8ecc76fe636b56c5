package io.memlock.bench.locks;

/**
 * Where the servers of a run listen.
 *
 * @param memcached memcached's {@code host:port}
 * @param redis Redis's {@code host:port}, or empty when no Redis contender runs
 */
public record Servers(String memcached, String redis) {
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
}
