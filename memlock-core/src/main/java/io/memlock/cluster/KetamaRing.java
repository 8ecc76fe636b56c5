package io.memlock.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ketama consistent-hash ring in the layout of spymemcached's {@code KetamaNodeLocator} (and
 * libmemcached's ketama): 160 points per server, four from each MD5 digest of {@code
 * "<server>-<i>"}, keys hashed with the first four bytes of their MD5, little-endian.
 *
 * @param <N> the node type
 */
public final class KetamaRing<N> {
  private static final int POINTS_PER_SERVER = 160;

  private final TreeMap<Long, N> ring = new TreeMap<>();

  /**
   * Builds the ring.
   *
   * @param nodes the nodes by the name their points derive from (spymemcached uses the socket
   *     address's text without a leading slash, e.g. {@code "127.0.0.1:11211"})
   */
  public KetamaRing(Map<String, N> nodes) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no servers");
    }
    for (Map.Entry<String, N> e : nodes.entrySet()) {
      for (int i = 0; i < POINTS_PER_SERVER / 4; i++) {
        byte[] d = md5(e.getKey() + "-" + i);
        for (int h = 0; h < 4; h++) {
          ring.put(point(d, h), e.getValue());
        }
      }
    }
  }

  private static long point(byte[] d, int h) {
    return ((long) (d[3 + h * 4] & 0xFF) << 24)
        | ((long) (d[2 + h * 4] & 0xFF) << 16)
        | ((long) (d[1 + h * 4] & 0xFF) << 8)
        | (d[h * 4] & 0xFF);
  }

  /**
   * Returns the ketama hash of a key.
   *
   * @param key the key bytes
   * @return its point on the ring
   */
  public static long hash(byte[] key) {
    return point(md5(key), 0);
  }

  /**
   * Returns the node a key belongs to.
   *
   * @param key the key bytes
   * @return the node
   */
  public N nodeFor(byte[] key) {
    Map.Entry<Long, N> e = ring.ceilingEntry(hash(key));
    return e != null ? e.getValue() : ring.firstEntry().getValue();
  }

  /**
   * Returns up to {@code count} distinct nodes, walking the ring clockwise from a key's point.
   *
   * @param key the key bytes
   * @param count how many
   * @return the nodes, the key's own node first
   */
  public List<N> nodesFor(byte[] key, int count) {
    java.util.LinkedHashSet<N> out = new java.util.LinkedHashSet<>();
    long h = hash(key);
    for (N n : ring.tailMap(h, true).values()) {
      if (out.size() == count) {
        break;
      }
      out.add(n);
    }
    for (N n : ring.values()) {
      if (out.size() == count) {
        break;
      }
      out.add(n);
    }
    return List.copyOf(out);
  }

  private static byte[] md5(String s) {
    return md5(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] md5(byte[] b) {
    try {
      return MessageDigest.getInstance("MD5").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }
}
