package io.memlock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemcachedExtensionTest {
  @RegisterExtension
  static final MemcachedExtension memcached = MemcachedExtension.servers(3).args("-M");

  private static List<MemcachedServer> first;

  @Test
  @Order(1)
  void breakTheServers() throws IOException {
    first = memcached.servers();
    assertThat(first).hasSize(3);
    try (RawClient client = RawClient.connect(memcached.server(0).address())) {
      client.send("set k 0 0 1\r\nv\r\n");
      assertThat(client.line()).isEqualTo("STORED");
    }
    memcached.server(0).kill();
    memcached.server(1).pause();
    memcached.server(2).stop();
  }

  @Test
  @Order(2)
  void serversAreRestoredAndFlushedBeforeTheNextTest() throws IOException {
    assertThat(memcached.servers()).isEqualTo(first);
    for (MemcachedServer server : memcached.servers()) {
      assertThat(server.isRunning()).isTrue();
      assertThat(server.isPaused()).isFalse();
      assertThat(RawClient.call(server.address(), "version")).startsWith("VERSION ");
    }
    try (RawClient client = RawClient.connect(memcached.server(1).address())) {
      client.send("set k 0 0 1\r\nv\r\n");
      assertThat(client.line()).isEqualTo("STORED");
    }
  }

  @Test
  @Order(3)
  void previousDataIsFlushed() throws IOException {
    assertThat(RawClient.call(memcached.server(1).address(), "get k")).isEqualTo("END");
  }

  @Test
  @Order(4)
  void resolvesTheFirstServerAndListsAll(MemcachedServer server) throws IOException {
    assertThat(server).isSameAs(memcached.server(0));
    assertThat(memcached.serverList())
        .isEqualTo(
            first.get(0).hostAndPort()
                + ","
                + first.get(1).hostAndPort()
                + ","
                + first.get(2).hostAndPort());
    List<String> settings = TextProtocol.exchange(server.port(), "stats settings", "END", 5000);
    assertThat(settings).contains("STAT evictions off");
  }
}
