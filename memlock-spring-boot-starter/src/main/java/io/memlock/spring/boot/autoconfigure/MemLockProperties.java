package io.memlock.spring.boot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * The {@code memlock.*} properties: how the application's {@link io.memlock.MemLock} client is
 * built. Only {@code memlock.servers} is required; the rest have the library's defaults.
 */
@ConfigurationProperties("memlock")
public class MemLockProperties {
  /** Creates the properties with their defaults; Spring Boot binds {@code memlock.*} onto them. */
  public MemLockProperties() {}

  /**
   * The memcached servers, as host:port, comma-separated (e.g. "10.0.0.5:11211,10.0.0.6:11211").
   * Required.
   */
  private List<String> servers = new ArrayList<>();

  /**
   * TTL of lock items, renewed at a third of it while a lock is held: a holder that dies frees its
   * locks within this time. Whole seconds, at least 3 s; a number without a unit is seconds.
   */
  @DurationUnit(ChronoUnit.SECONDS)
  private Duration leaseTime = Duration.ofSeconds(30);

  /**
   * The longest lease any client of these servers takes. A restarted server takes no acquisitions
   * until its uptime passes this (restart grace). Whole seconds; a number without a unit is
   * seconds. Must be the same on every client of the servers.
   */
  @DurationUnit(ChronoUnit.SECONDS)
  private Duration maxLeaseTime = Duration.ofSeconds(60);

  /**
   * On how many servers each lock lives: 1 shards names over the servers; more (odd) needs a
   * majority of that many servers for each acquisition (quorum), so a lock survives the loss of a
   * minority.
   */
  private int replicas = 1;

  /** Prefix of every key; clients that should exclude each other use the same namespace. */
  private String namespace = "memlock";

  /**
   * Whether a freshly (re)started server waits for max-lease-time before taking acquisitions. Turn
   * it off only for servers no client can have used before their current start (tests, demos).
   */
  private boolean restartGrace = true;

  /** How long one request to memcached may take. */
  private Duration requestTimeout = Duration.ofSeconds(1);

  /** How long one connection attempt may take; startup waits up to this for the servers. */
  private Duration connectTimeout = Duration.ofSeconds(2);

  /** Pipelined connections per server. */
  private int connectionsPerServer = 1;

  /** TLS to the servers (memcached started with -Z). */
  private final Ssl ssl = new Ssl();

  /** TLS settings. */
  public static class Ssl {
    /** Creates the TLS settings, off by default. */
    public Ssl() {}

    /** Whether to talk TLS; implied by a bundle. */
    private boolean enabled;

    /** The SSL bundle (spring.ssl.bundle.*) whose trust material checks the servers. */
    private String bundle;

    /** Whether to check each server certificate against the server's host name. */
    private boolean verifyHostname = true;

    /**
     * Returns whether to talk TLS to the servers.
     *
     * @return whether to talk TLS to the servers
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether to talk TLS to the servers (implied by a bundle).
     *
     * @param enabled whether to talk TLS to the servers (implied by a bundle)
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the SSL bundle whose trust material checks the servers, or null.
     *
     * @return the SSL bundle whose trust material checks the servers, or null
     */
    public String getBundle() {
      return bundle;
    }

    /**
     * Sets the SSL bundle (spring.ssl.bundle.*) whose trust material checks the servers.
     *
     * @param bundle the SSL bundle (spring.ssl.bundle.*) whose trust material checks the servers
     */
    public void setBundle(String bundle) {
      this.bundle = bundle;
    }

    /**
     * Returns whether each server certificate is checked against the server's host name.
     *
     * @return whether each server certificate is checked against the server's host name
     */
    public boolean isVerifyHostname() {
      return verifyHostname;
    }

    /**
     * Sets whether to check each server certificate against the server's host name.
     *
     * @param verifyHostname whether to check each server certificate against the server's host name
     */
    public void setVerifyHostname(boolean verifyHostname) {
      this.verifyHostname = verifyHostname;
    }
  }

  /**
   * Returns the memcached servers, as host:port.
   *
   * @return the memcached servers, as host:port
   */
  public List<String> getServers() {
    return servers;
  }

  /**
   * Sets the memcached servers, as host:port (required).
   *
   * @param servers the memcached servers, as host:port (required)
   */
  public void setServers(List<String> servers) {
    this.servers = servers;
  }

  /**
   * Returns the TTL of lock items, renewed while a lock is held.
   *
   * @return the TTL of lock items, renewed while a lock is held
   */
  public Duration getLeaseTime() {
    return leaseTime;
  }

  /**
   * Sets the TTL of lock items, renewed while a lock is held (whole seconds, at least 2 s).
   *
   * @param leaseTime the TTL of lock items, renewed while a lock is held (whole seconds, at least 2
   *     s)
   */
  public void setLeaseTime(Duration leaseTime) {
    this.leaseTime = leaseTime;
  }

  /**
   * Returns the longest lease any client of these servers takes.
   *
   * @return the longest lease any client of these servers takes
   */
  public Duration getMaxLeaseTime() {
    return maxLeaseTime;
  }

  /**
   * Sets the longest lease any client of these servers takes (the same on every client).
   *
   * @param maxLeaseTime the longest lease any client of these servers takes (the same on every
   *     client)
   */
  public void setMaxLeaseTime(Duration maxLeaseTime) {
    this.maxLeaseTime = maxLeaseTime;
  }

  /**
   * Returns on how many servers each lock lives.
   *
   * @return on how many servers each lock lives
   */
  public int getReplicas() {
    return replicas;
  }

  /**
   * Sets on how many servers each lock lives (1 shards; more, odd, is quorum).
   *
   * @param replicas on how many servers each lock lives (1 shards; more, odd, is quorum)
   */
  public void setReplicas(int replicas) {
    this.replicas = replicas;
  }

  /**
   * Returns the prefix of every key.
   *
   * @return the prefix of every key
   */
  public String getNamespace() {
    return namespace;
  }

  /**
   * Sets the prefix of every key.
   *
   * @param namespace the prefix of every key
   */
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  /**
   * Returns whether a freshly (re)started server waits for max-lease-time before taking
   * acquisitions.
   *
   * @return whether a freshly (re)started server waits for max-lease-time before taking
   *     acquisitions
   */
  public boolean isRestartGrace() {
    return restartGrace;
  }

  /**
   * Sets whether a freshly (re)started server waits for max-lease-time before taking acquisitions.
   *
   * @param restartGrace whether a freshly (re)started server waits for max-lease-time before taking
   *     acquisitions
   */
  public void setRestartGrace(boolean restartGrace) {
    this.restartGrace = restartGrace;
  }

  /**
   * Returns how long one request to memcached may take.
   *
   * @return how long one request to memcached may take
   */
  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  /**
   * Sets how long one request to memcached may take.
   *
   * @param requestTimeout how long one request to memcached may take
   */
  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  /**
   * Returns how long one connection attempt may take.
   *
   * @return how long one connection attempt may take
   */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets how long one connection attempt may take.
   *
   * @param connectTimeout how long one connection attempt may take
   */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * Returns the number of pipelined connections per server.
   *
   * @return the number of pipelined connections per server
   */
  public int getConnectionsPerServer() {
    return connectionsPerServer;
  }

  /**
   * Sets the number of pipelined connections per server.
   *
   * @param connectionsPerServer the number of pipelined connections per server
   */
  public void setConnectionsPerServer(int connectionsPerServer) {
    this.connectionsPerServer = connectionsPerServer;
  }

  /**
   * Returns the TLS settings to the servers.
   *
   * @return the TLS settings to the servers
   */
  public Ssl getSsl() {
    return ssl;
  }
}
