package io.memlock.transport;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link MemcachedTransport}. Immutable; made with {@link #builder()}.
 *
 * @param connectTimeout how long one connection attempt may take
 * @param requestTimeout the default time a request may wait for its reply
 * @param connectionsPerServer pipelined connections per server
 * @param reconnectMinDelay first delay before reconnecting after a failure
 * @param reconnectMaxDelay cap of the doubling reconnect delay
 * @param sslContext TLS context, or null for plain TCP
 * @param verifyHostname whether TLS checks the server certificate against the host name
 * @param maxOutstandingRequests requests a connection may have waiting for replies
 * @param maxValueLength the largest value block accepted in a reply
 * @param ioThreads event loop threads
 */
public record TransportConfig(
    Duration connectTimeout,
    Duration requestTimeout,
    int connectionsPerServer,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    @Nullable SSLContext sslContext,
    boolean verifyHostname,
    int maxOutstandingRequests,
    int maxValueLength,
    int ioThreads) {

  /** Checks the settings. */
  public TransportConfig {
    positive("connectTimeout", connectTimeout);
    positive("requestTimeout", requestTimeout);
    positive("reconnectMinDelay", reconnectMinDelay);
    positive("reconnectMaxDelay", reconnectMaxDelay);
    if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
      throw new IllegalArgumentException("reconnectMaxDelay is shorter than reconnectMinDelay");
    }
    atLeastOne("connectionsPerServer", connectionsPerServer);
    atLeastOne("maxOutstandingRequests", maxOutstandingRequests);
    atLeastOne("maxValueLength", maxValueLength);
    atLeastOne("ioThreads", ioThreads);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + n);
    }
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TransportConfig}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(1);
    private int connectionsPerServer = 1;
    private Duration reconnectMinDelay = Duration.ofMillis(50);
    private Duration reconnectMaxDelay = Duration.ofSeconds(2);
    private @Nullable SSLContext sslContext;
    private boolean verifyHostname = true;
    private int maxOutstandingRequests = 65_536;
    private int maxValueLength = 1024 * 1024;
    private int ioThreads = Math.min(2, Runtime.getRuntime().availableProcessors());

    private Builder() {}

    /**
     * Sets how long one connection attempt may take (default 2 s).
     *
     * @param d the timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /**
     * Sets the default time a request may wait for its reply (default 1 s).
     *
     * @param d the timeout
     * @return this builder
     */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /**
     * Sets the number of pipelined connections per server (default 1).
     *
     * @param n connections
     * @return this builder
     */
    public Builder connectionsPerServer(int n) {
      this.connectionsPerServer = n;
      return this;
    }

    /**
     * Sets the reconnect backoff: it starts at {@code min} and doubles up to {@code max}, with
     * jitter (defaults 50 ms and 2 s).
     *
     * @param min first delay
     * @param max cap
     * @return this builder
     */
    public Builder reconnectDelay(Duration min, Duration max) {
      this.reconnectMinDelay = min;
      this.reconnectMaxDelay = max;
      return this;
    }

    /**
     * Uses TLS with this context (default: plain TCP).
     *
     * @param context the client TLS context
     * @return this builder
     */
    public Builder tls(@Nullable SSLContext context) {

      this.sslContext = context;
      return this;
    }

    /**
     * Sets whether TLS verifies the certificate's host name (default true).
     *
     * @param verify whether to verify
     * @return this builder
     */
    public Builder verifyHostname(boolean verify) {
      this.verifyHostname = verify;
      return this;
    }

    /**
     * Sets how many requests one connection may have waiting for replies (default 65,536); more
     * fail at once.
     *
     * @param n the limit
     * @return this builder
     */
    public Builder maxOutstandingRequests(int n) {
      this.maxOutstandingRequests = n;
      return this;
    }

    /**
     * Sets the largest value block accepted in a reply (default 1 MiB, memcached's item limit).
     *
     * @param n bytes
     * @return this builder
     */
    public Builder maxValueLength(int n) {
      this.maxValueLength = n;
      return this;
    }

    /**
     * Sets the number of event loop threads (default: 2, or 1 on a one-core machine).
     *
     * @param n threads
     * @return this builder
     */
    public Builder ioThreads(int n) {
      this.ioThreads = n;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException for a bad value
     */
    public TransportConfig build() {
      return new TransportConfig(
          connectTimeout,
          requestTimeout,
          connectionsPerServer,
          reconnectMinDelay,
          reconnectMaxDelay,
          sslContext,
          verifyHostname,
          maxOutstandingRequests,
          maxValueLength,
          ioThreads);
    }
  }
}
