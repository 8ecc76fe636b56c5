package io.memlock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemcachedExtensionPerTestTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private static MemcachedServer previous;

  @Test
  @Order(1)
  void instanceFieldGivesARunningServer() {
    previous = memcached.server(0);
    assertThat(previous.isRunning()).isTrue();
  }

  @Test
  @Order(2)
  void andClosesItAfterTheTest(MemcachedServer server) {
    assertThat(previous.isRunning()).isFalse();
    assertThat(server).isNotSameAs(previous);
    assertThat(server.isRunning()).isTrue();
  }
}
