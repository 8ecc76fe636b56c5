package io.memlock.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.DistributedLock;
import io.memlock.MemLock;
import io.memlock.micrometer.MemLockMetrics;
import io.memlock.shedlock.MemLockProvider;
import io.memlock.spring.integration.MemLockRegistry;
import io.memlock.testing.MemcachedExtension;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.locks.LockRegistry;

/** Each condition and property of the auto-configuration, in real contexts against memcached. */
class MemLockAutoConfigurationTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MemLockAutoConfiguration.class));

  private ApplicationContextRunner withServer() {
    return runner.withPropertyValues(
        "memlock.servers=" + memcached.serverList(), "memlock.restart-grace=false");
  }

  @Test
  void oneDependencyAndOnePropertyGiveAWorkingClientAndEveryIntegrationPresent() {
    withServer()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MemLock memlock = context.getBean(MemLock.class);
              DistributedLock lock = memlock.lock("starter");
              lock.lock();
              lock.unlock();
              assertThat(memlock.servers()).containsExactly(memcached.server(0).hostAndPort());
              assertThat(context).hasSingleBean(MemLockRegistry.class);
              assertThat(context).hasSingleBean(MemLockProvider.class);
              assertThat(context).hasSingleBean(MemLockMetrics.class);
              java.util.Optional<SimpleLock> job =
                  context
                      .getBean(LockProvider.class)
                      .lock(
                          new LockConfiguration(
                              java.time.Instant.now(),
                              "starter-job",
                              Duration.ofSeconds(10),
                              Duration.ZERO));
              assertThat(job).isPresent();
              job.get().unlock();
              assertThat(context).hasBean("memlockHealthIndicator");
              Lock registryLock = context.getBean(LockRegistry.class).obtain("order:7");
              assertThat(registryLock.tryLock()).isTrue();
              registryLock.unlock();
            });
  }

  @Test
  void theClientIsClosedWithTheContext() {
    AtomicReference<MemLock> client = new AtomicReference<>();
    withServer().run(context -> client.set(context.getBean(MemLock.class)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.get().lock("after"))
        .isInstanceOf(io.memlock.ClientClosedException.class);
  }

  @Test
  void propertiesReachTheClient() {
    withServer()
        .withPropertyValues(
            "memlock.lease-time=5", // seconds without a unit
            "memlock.max-lease-time=10s",
            "memlock.namespace=orders",
            "memlock.request-timeout=500ms")
        .run(
            context -> {
              MemLockProperties p = context.getBean(MemLockProperties.class);
              assertThat(p.getLeaseTime()).isEqualTo(Duration.ofSeconds(5));
              assertThat(p.getMaxLeaseTime()).isEqualTo(Duration.ofSeconds(10));
              MemLock memlock = context.getBean(MemLock.class);
              try (var hold = memlock.lock("ns").acquire(Duration.ofSeconds(5))) {
                // The lease is the configured 5 s; the key carries the namespace.
                assertThat(hold.leaseLeft()).isLessThanOrEqualTo(Duration.ofSeconds(5));
                assertThat(memcached.server(0).stats()).isNotEmpty();
                assertThat(memlock.inspect("ns")).isPresent();
              }
            });
  }

  @Test
  void aBadServerListFailsStartupNamingTheProperty() {
    runner
        .withPropertyValues("memlock.servers=localhost:notaport")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                  .hasMessageContaining("memlock.servers")
                  .hasMessageContaining("notaport");
            });
  }

  @Test
  void aMissingServerListFailsStartupNamingTheProperty() {
    runner.run(
        context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure())
              .rootCause()
              .isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("memlock.servers");
        });
  }

  @Test
  void badLeasesFailStartupNamingTheProperty() {
    withServer()
        .withPropertyValues("memlock.lease-time=1500ms")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("memlock.lease-time")
                    .hasMessageContaining("whole seconds"));
    withServer()
        .withPropertyValues("memlock.lease-time=90s")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("memlock.lease-time")
                    .hasMessageContaining("memlock.max-lease-time"));
    withServer()
        .withPropertyValues("memlock.replicas=3")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("memlock.replicas"));
    withServer()
        .withPropertyValues("memlock.namespace=has space")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("memlock.namespace"));
  }

  @Test
  void anSslBundleThatDoesNotExistFailsStartupNamingTheProperty() {
    withServer()
        .withPropertyValues("memlock.ssl.bundle=memcached-tls")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("memlock.ssl.bundle")
                    .hasMessageContaining("memcached-tls"));
  }

  @Test
  void withoutMemlockOnTheClasspathNothingIsConfiguredAndNoPropertyIsNeeded() {
    runner
        .withClassLoader(new FilteredClassLoader(MemLock.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(MemLockProperties.class);
              assertThat(context).doesNotHaveBean("memlockHealthIndicator");
            });
  }

  @Test
  void withoutSpringIntegrationThereIsNoRegistry() {
    withServer()
        .withClassLoader(new FilteredClassLoader(LockRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(MemLock.class);
              assertThat(context).doesNotHaveBean(MemLockRegistry.class);
            });
  }

  @Test
  void withoutShedLockThereIsNoLockProvider() {
    withServer()
        .withClassLoader(new FilteredClassLoader(LockProvider.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(MemLockProvider.class);
            });
  }

  @Test
  void withoutMicrometerThereAreNoMeters() {
    withServer()
        .withClassLoader(new FilteredClassLoader(MeterBinder.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(MemLockMetrics.class);
            });
  }

  @Test
  void withoutSpringBootHealthThereIsNoHealthIndicator() {
    withServer()
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("memlockHealthIndicator");
            });
  }

  @Test
  void theHealthIndicatorCanBeTurnedOff() {
    withServer()
        .withPropertyValues("management.health.memlock.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("memlockHealthIndicator"));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    @Bean(destroyMethod = "close")
    MemLock myMemLock() {
      return MemLock.builder()
          .servers(memcached.serverList())
          .restartGrace(false)
          .namespace("mine")
          .build();
    }

    @Bean
    LockRegistry myRegistry() {
      return new org.springframework.integration.support.locks.DefaultLockRegistry();
    }

    @Bean
    LockProvider myLockProvider(MemLock memlock) {
      return new MemLockProvider(memlock, "mine");
    }

    @Bean
    MemLockMetrics myMetrics(MemLock memlock) {
      return new MemLockMetrics(memlock, io.micrometer.core.instrument.Tags.of("app", "mine"));
    }

    @Bean
    HealthIndicator memlockHealthIndicator() {
      return () -> Health.up().withDetail("mine", true).build();
    }
  }

  @Test
  void theApplicationsOwnBeansWin() {
    runner
        .withUserConfiguration(OwnBeans.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(MemLock.class);
              assertThat(context).hasBean("myMemLock");
              assertThat(context).hasSingleBean(LockRegistry.class);
              assertThat(context).doesNotHaveBean(MemLockRegistry.class);
              assertThat(context).hasSingleBean(LockProvider.class);
              assertThat(context).hasBean("myLockProvider");
              assertThat(context).hasSingleBean(MemLockMetrics.class);
              assertThat(context).hasBean("myMetrics");
              assertThat(
                      context
                          .getBean("memlockHealthIndicator", HealthIndicator.class)
                          .health()
                          .getDetails())
                  .containsKey("mine");
            });
  }

  @Test
  void healthReportsEachServerUpDownAndInRestartGrace() throws Exception {
    try (var stopped = io.memlock.testing.MemcachedServer.startNew()) {
      String down = stopped.hostAndPort();
      stopped.stop();
      withServer()
          .withPropertyValues("memlock.servers=" + memcached.serverList() + "," + down)
          .run(
              context -> {
                Health health =
                    context.getBean("memlockHealthIndicator", HealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                @SuppressWarnings("unchecked")
                var servers =
                    (java.util.Map<String, java.util.Map<String, Object>>)
                        health.getDetails().get("servers");
                assertThat(servers.get(memcached.server(0).hostAndPort()))
                    .containsEntry("state", "UP");
                assertThat(servers.get(down)).containsEntry("state", "DOWN");
              });
    }
    // The test's memcached started moments ago: with the restart grace on it is in its grace.
    runner
        .withPropertyValues(
            "memlock.servers=" + memcached.serverList(), "memlock.max-lease-time=600s")
        .run(
            context -> {
              Health health =
                  context.getBean("memlockHealthIndicator", HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
              assertThat(health.getDetails().get("servers").toString())
                  .contains("RESTART_GRACE")
                  .contains("restart grace");
            });
    withServer()
        .run(
            context ->
                assertThat(
                        context
                            .getBean("memlockHealthIndicator", HealthIndicator.class)
                            .health()
                            .getStatus())
                    .isEqualTo(Status.UP));
  }
}
