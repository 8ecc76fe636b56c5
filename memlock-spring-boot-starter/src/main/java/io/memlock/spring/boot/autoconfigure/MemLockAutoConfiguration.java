package io.memlock.spring.boot.autoconfigure;

import io.memlock.MemLock;
import io.memlock.micrometer.MemLockMetrics;
import io.memlock.shedlock.MemLockProvider;
import io.memlock.spring.integration.MemLockRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.security.NoSuchAlgorithmException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Auto-configuration of memlock: a {@link MemLock} client built from the {@code memlock.*}
 * properties and closed on shutdown, and, each when its framework is on the classpath and the
 * application defines no such bean itself, a Spring Integration {@link LockRegistry}, a ShedLock
 * {@link LockProvider}, Micrometer meters and a health indicator ({@code memlock}).
 */
@AutoConfiguration
@ConditionalOnClass(MemLock.class)
@EnableConfigurationProperties(MemLockProperties.class)
public class MemLockAutoConfiguration {
  /** Creates the auto-configuration; Spring Boot does this when it applies it. */
  public MemLockAutoConfiguration() {}

  /**
   * The client. It connects while the context starts; a server that is down does not stop the
   * application (its locks are unavailable until it is back), a bad property does.
   *
   * @param properties the {@code memlock.*} properties
   * @param sslBundles the SSL bundles, for {@code memlock.ssl.bundle}
   * @return the client
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public MemLock memLock(MemLockProperties properties, ObjectProvider<SslBundles> sslBundles) {
    MemLock.Builder b = MemLock.builder();
    String servers = String.join(",", properties.getServers()).trim();
    if (servers.isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(
          "memlock.servers",
          servers,
          "memlock needs its memcached servers: set memlock.servers=host:port[,host:port...]");
    }
    set("memlock.servers", servers, b::servers);
    set("memlock.lease-time", properties.getLeaseTime(), b::leaseTime);
    set("memlock.max-lease-time", properties.getMaxLeaseTime(), b::maxLeaseTime);
    set("memlock.replicas", properties.getReplicas(), b::replicas);
    set("memlock.namespace", properties.getNamespace(), b::namespace);
    set("memlock.request-timeout", properties.getRequestTimeout(), b::requestTimeout);
    set("memlock.connect-timeout", properties.getConnectTimeout(), b::connectTimeout);
    set(
        "memlock.connections-per-server",
        properties.getConnectionsPerServer(),
        b::connectionsPerServer);
    b.restartGrace(properties.isRestartGrace());
    MemLockProperties.Ssl ssl = properties.getSsl();
    if (ssl.getBundle() != null && !ssl.getBundle().isBlank()) {
      SslBundles bundles = sslBundles.getIfAvailable();
      if (bundles == null) {
        throw new InvalidConfigurationPropertyValueException(
            "memlock.ssl.bundle", ssl.getBundle(), "no SSL bundles are configured (spring.ssl)");
      }
      b.tls(bundles.getBundle(ssl.getBundle()).createSslContext(), ssl.isVerifyHostname());
    } else if (ssl.isEnabled()) {
      try {
        b.tls(SSLContext.getDefault(), ssl.isVerifyHostname());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("memlock.ssl.enabled: no default TLS context", e);
      }
    }
    if (properties.getLeaseTime().compareTo(properties.getMaxLeaseTime()) > 0) {
      throw new InvalidConfigurationPropertyValueException(
          "memlock.lease-time",
          properties.getLeaseTime(),
          "it is longer than memlock.max-lease-time ("
              + properties.getMaxLeaseTime()
              + "), the longest lease of any client");
    }
    int serverCount = servers.split(",").length;
    if (properties.getReplicas() > serverCount) {
      throw new InvalidConfigurationPropertyValueException(
          "memlock.replicas",
          properties.getReplicas(),
          "it needs at least as many servers in memlock.servers, which has " + serverCount);
    }
    return b.build();
  }

  private static <T> void set(String property, T value, Consumer<T> setter) {
    if (value == null) {
      throw new InvalidConfigurationPropertyValueException(property, null, "it must not be empty");
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }

  /** A Spring Integration lock registry, when Spring Integration is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({LockRegistry.class, MemLockRegistry.class})
  static class RegistryConfiguration {
    @Bean
    @ConditionalOnMissingBean(LockRegistry.class)
    MemLockRegistry memLockRegistry(MemLock memlock) {
      return new MemLockRegistry(memlock);
    }
  }

  /** A ShedLock lock provider, when ShedLock is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({LockProvider.class, MemLockProvider.class})
  static class ShedLockConfiguration {
    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    MemLockProvider memLockProvider(MemLock memlock) {
      return new MemLockProvider(memlock);
    }
  }

  /** Meters, when Micrometer is present (Spring Boot binds every MeterBinder bean). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterBinder.class, MemLockMetrics.class})
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    MemLockMetrics memLockMetrics(MemLock memlock) {
      return new MemLockMetrics(memlock);
    }
  }

  /** The {@code memlock} health indicator, when Spring Boot's health support is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("memlock")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "memlockHealthIndicator")
    MemLockHealthIndicator memlockHealthIndicator(MemLock memlock) {
      return new MemLockHealthIndicator(memlock);
    }
  }
}
