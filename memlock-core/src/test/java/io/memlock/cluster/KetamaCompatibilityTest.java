package io.memlock.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.KetamaNodeLocator;
import net.spy.memcached.MemcachedNode;
import org.junit.jupiter.api.Test;

/** memlock places every key on the server spymemcached's KetamaNodeLocator places it on. */
class KetamaCompatibilityTest {
  /** A spymemcached node that only knows its address, which is all the locator asks of it. */
  private static MemcachedNode node(InetSocketAddress address) {
    return (MemcachedNode)
        Proxy.newProxyInstance(
            MemcachedNode.class.getClassLoader(),
            new Class<?>[] {MemcachedNode.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getSocketAddress" -> address;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "node " + address;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static void assertSamePlacement(List<String> servers, List<String> keys) {
    List<MemcachedNode> spyNodes = new ArrayList<>();
    Map<MemcachedNode, String> names = new HashMap<>();
    Map<String, String> ours = new LinkedHashMap<>();
    for (String s : servers) {
      int colon = s.lastIndexOf(':');
      MemcachedNode n =
          node(
              new InetSocketAddress(
                  s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
      spyNodes.add(n);
      names.put(n, s);
      ours.put(s, s);
    }
    KetamaNodeLocator spy = new KetamaNodeLocator(spyNodes, DefaultHashAlgorithm.KETAMA_HASH);
    KetamaRing<String> ring = new KetamaRing<>(ours);
    Map<String, Integer> perServer = new HashMap<>();
    for (String key : keys) {
      String expected = names.get(spy.getPrimary(key));
      String actual = ring.nodeFor(key.getBytes(StandardCharsets.UTF_8));
      assertThat(actual).as("server of key %s", key).isEqualTo(expected);
      perServer.merge(actual, 1, Integer::sum);
    }
    // Every server gets a share: the comparison is not vacuous.
    assertThat(perServer).hasSize(servers.size());
  }

  private static List<String> keys(int count, long seed) {
    Random random = new Random(seed);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add("memlock:L:order:" + i);
      StringBuilder sb = new StringBuilder();
      int len = 1 + random.nextInt(60);
      for (int j = 0; j < len; j++) {
        sb.append((char) ('!' + random.nextInt(94)));
      }
      keys.add(sb.toString());
    }
    return keys;
  }

  @Test
  void threeServersOnOneHost() {
    assertSamePlacement(
        List.of("127.0.0.1:11211", "127.0.0.1:11212", "127.0.0.1:11213"), keys(5000, 1));
  }

  @Test
  void fiveServersOnSeveralHosts() {
    assertSamePlacement(
        List.of(
            "10.0.0.5:11211",
            "10.0.0.6:11211",
            "10.0.0.7:11211",
            "10.0.1.20:22122",
            "10.0.0.8:11211"),
        keys(5000, 2));
  }

  @Test
  void replicasAreConsecutiveDistinctServersStartingWithTheKeysOwn() {
    Map<String, String> servers = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      servers.put("10.0.0." + i + ":11211", "s" + i);
    }
    KetamaRing<String> ring = new KetamaRing<>(servers);
    for (String key : keys(500, 3)) {
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      List<String> three = ring.nodesFor(k, 3);
      assertThat(three).hasSize(3).doesNotHaveDuplicates();
      assertThat(three.get(0)).isEqualTo(ring.nodeFor(k));
      assertThat(ring.nodesFor(k, 5)).hasSize(5).startsWith(three.toArray(new String[0]));
      assertThat(ring.nodesFor(k, 9)).hasSize(5);
    }
  }
}
