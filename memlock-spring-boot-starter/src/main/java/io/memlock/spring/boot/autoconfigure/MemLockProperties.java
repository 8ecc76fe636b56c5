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
    /** Whether to talk TLS; implied by a bundle. */
    private boolean enabled;

    /** The SSL bundle (spring.ssl.bundle.*) whose trust material checks the servers. */
    private String bundle;

    /** Whether to check each server certificate against the server's host name. */
    private boolean verifyHostname = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getBundle() {
      return bundle;
    }

    public void setBundle(String bundle) {
      this.bundle = bundle;
    }

    public boolean isVerifyHostname() {
      return verifyHostname;
    }

    public void setVerifyHostname(boolean verifyHostname) {
      this.verifyHostname = verifyHostname;
    }
  }

  public List<String> getServers() {
    return servers;
  }

  public void setServers(List<String> servers) {
    this.servers = servers;
  }

  public Duration getLeaseTime() {
    return leaseTime;
  }

  public void setLeaseTime(Duration leaseTime) {
    this.leaseTime = leaseTime;
  }

  public Duration getMaxLeaseTime() {
    return maxLeaseTime;
  }

  public void setMaxLeaseTime(Duration maxLeaseTime) {
    this.maxLeaseTime = maxLeaseTime;
  }

  public int getReplicas() {
    return replicas;
  }

  public void setReplicas(int replicas) {
    this.replicas = replicas;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public boolean isRestartGrace() {
    return restartGrace;
  }

  public void setRestartGrace(boolean restartGrace) {
    this.restartGrace = restartGrace;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public int getConnectionsPerServer() {
    return connectionsPerServer;
  }

  public void setConnectionsPerServer(int connectionsPerServer) {
    this.connectionsPerServer = connectionsPerServer;
  }

  public Ssl getSsl() {
    return ssl;
  }
}
