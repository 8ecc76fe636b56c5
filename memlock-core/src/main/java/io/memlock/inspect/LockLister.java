package io.memlock.inspect;

import io.memlock.HeldItem;
import io.memlock.LockListing;
import io.memlock.LockListingException;
import io.memlock.MemLockException;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaStatus;
import io.memlock.transport.NodeClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Lists the held items of the client's namespace on every server. For each server: dump the keys
 * with {@code lru_crawler metadump hash} (on a connection of its own), keep those of the namespace
 * that name a held item and match the prefix, then read each with {@code mg <key> v t}: the
 * crawler's view is a moment old, so only items that still exist, with a memlock value, are listed.
 * A busy crawler is asked again for up to {@link #BUSY_WAIT}; a disabled one, or one busy for
 * longer, fails the listing with {@link LockListingException}. A server that cannot be reached is
 * reported in {@link LockListing#unlisted()} and the others are listed.
 */
public final class LockLister {
  /** How long a listing asks a busy crawler again before giving up. */
  public static final Duration BUSY_WAIT = Duration.ofSeconds(5);

  private static final int WINDOW = 1024;

  private final List<NodeClient> nodes;
  private final byte[] namespacePrefix;
  private final Duration requestTimeout;
  private final Duration busyWait;

  /**
   * Creates a lister.
   *
   * @param nodes the servers
   * @param namespace the client's namespace
   * @param requestTimeout how long a server may stay silent (an {@code mg}, or the dump between two
   *     chunks) before it counts as unreachable; the dump gets four times as long
   * @param busyWait how long to ask a busy crawler again
   */
  public LockLister(
      List<NodeClient> nodes, String namespace, Duration requestTimeout, Duration busyWait) {
    this.nodes = List.copyOf(nodes);
    this.namespacePrefix = (namespace + ":").getBytes(StandardCharsets.US_ASCII);
    this.requestTimeout = requestTimeout;
    this.busyWait = busyWait;
  }

  /**
   * Lists, waiting for the answer. Every step has a timeout, so this returns or throws.
   *
   * @param prefix the prefix of the names to list; empty for all
   * @return the listing
   * @throws IllegalArgumentException if the prefix is null
   * @throws LockListingException if a server's crawler is disabled or stays busy
   * @throws MemLockException if the listing is interrupted
   */
  public LockListing list(String prefix) {
    try {
      return listAsync(prefix).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemLockException("interrupted while listing locks", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new MemLockException(cause.toString(), cause);
    }
  }

  /**
   * Lists.
   *
   * @param prefix the prefix of the names to list; empty for all
   * @return the listing; fails with {@link LockListingException} as {@link #list} throws it
   * @throws IllegalArgumentException if the prefix is null
   */
  public CompletableFuture<LockListing> listAsync(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix is null (use \"\" to list every lock)");
    }
    List<CompletableFuture<List<Found>>> perNode = new ArrayList<>();
    for (NodeClient node : nodes) {
      long deadline = System.nanoTime() + busyWait.toNanos();
      perNode.add(dump(node, prefix, deadline, 10).thenCompose(keys -> confirm(node, keys)));
    }
    return CompletableFuture.allOf(perNode.toArray(CompletableFuture[]::new))
        .handle((ignored, failure) -> merge(perNode));
  }

  private LockListing merge(List<CompletableFuture<List<Found>>> perNode) {
    Map<String, String> unlisted = new TreeMap<>();
    Map<String, Merged> items = new TreeMap<>();
    for (int i = 0; i < perNode.size(); i++) {
      String address = nodes.get(i).address().toString();
      CompletableFuture<List<Found>> f = perNode.get(i);
      List<Found> found;
      try {
        found = f.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof LockListingException refused) {
          throw refused;
        }
        String m = cause.getMessage();
        unlisted.put(address, m == null || m.isBlank() ? cause.toString() : m);
        continue;
      }
      for (Found item : found) {
        items.computeIfAbsent(item.identity(), k -> new Merged(item)).add(item, address);
      }
    }
    List<HeldItem> held = new ArrayList<>(items.size());
    for (Merged m : items.values()) {
      held.add(m.toItem());
    }
    return new LockListing(List.copyOf(held), Collections.unmodifiableMap(unlisted));
  }

  // ---- the dump ----

  private CompletableFuture<List<ListedKey>> dump(
      NodeClient node, String prefix, long deadline, long retryMillis) {
    List<ListedKey> keys = Collections.synchronizedList(new ArrayList<>());
    int nsLength = namespacePrefix.length;
    return node.metadump(
            namespacePrefix,
            raw -> {
              ListedKey key = ListedKey.parse(raw, nsLength);
              if (key != null && matches(key, prefix)) {
                keys.add(key);
              }
            },
            requestTimeout.multipliedBy(4))
        .thenCompose(
            refusal -> {
              if (refusal == null) {
                return CompletableFuture.completedFuture(List.copyOf(keys));
              }
              if (!refusal.startsWith("BUSY")) {
                throw new LockListingException(refused(node, refusal));
              }
              if (System.nanoTime() - deadline >= 0) {
                throw new LockListingException(
                    "memcached "
                        + node.address()
                        + "'s LRU crawler stayed busy for "
                        + busyWait.toMillis()
                        + " ms ("
                        + refusal
                        + "): another lru_crawler crawl or metadump is running there; list again"
                        + " once it has finished");
              }
              long next = Math.min(retryMillis * 2, 500);
              return CompletableFuture.supplyAsync(
                      () -> null,
                      CompletableFuture.delayedExecutor(retryMillis, TimeUnit.MILLISECONDS))
                  .thenCompose(x -> dump(node, prefix, deadline, next));
            });
  }

  private static String refused(NodeClient node, String refusal) {
    if (refusal.contains("disabled")) {
      return "memcached "
          + node.address()
          + " cannot list its items: its LRU crawler is disabled ("
          + refusal
          + "). Start memcached without '-o no_lru_crawler', or enable the crawler at run time"
          + " with the command 'lru_crawler enable'";
    }
    return "memcached " + node.address() + " refused 'lru_crawler metadump hash': " + refusal;
  }

  private static boolean matches(ListedKey key, String prefix) {
    return prefix.isEmpty() || (!key.hashed() && key.name().startsWith(prefix));
  }

  // ---- confirming each candidate ----

  private CompletableFuture<List<Found>> confirm(NodeClient node, List<ListedKey> keys) {
    List<Found> found = Collections.synchronizedList(new ArrayList<>());
    return confirmFrom(node, keys, 0, found).thenApply(x -> List.copyOf(found));
  }

  private CompletableFuture<Void> confirmFrom(
      NodeClient node, List<ListedKey> keys, int from, List<Found> found) {
    if (from >= keys.size()) {
      return CompletableFuture.completedFuture(null);
    }
    int to = Math.min(keys.size(), from + WINDOW);
    List<CompletableFuture<Void>> reads = new ArrayList<>(to - from);
    for (ListedKey key : keys.subList(from, to)) {
      Key k;
      try {
        k = Key.of(key.raw());
      } catch (IllegalArgumentException notAKey) {
        continue; // longer than a key memlock writes: not one of its items
      }
      reads.add(
          node.send(MetaGet.of(k).returnValue().returnTtl(), requestTimeout)
              .thenAccept(
                  r -> {
                    Found f = Found.of(key, r);
                    if (f != null) {
                      found.add(f);
                    }
                  }));
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenCompose(x -> confirmFrom(node, keys, to, found));
  }

  /** A confirmed item on one server. */
  private record Found(ListedKey key, String token, String holder, long fence, long ttl) {
    static @Nullable Found of(ListedKey key, MetaResponse r) {
      if (r.status() != MetaStatus.VA) {
        return null; // released or expired since the dump
      }
      String value = new String(r.value(), StandardCharsets.UTF_8);
      if (key.kind() == HeldItem.Kind.FAIR_QUEUE_TICKET) {
        // "w <holder>" while waiting, "x" once withdrawn.
        return value.startsWith("w ") ? new Found(key, "", value.substring(2), -1, r.ttl()) : null;
      }
      String[] parts = value.split(" ", 4);
      if (parts.length < 4 || !parts[0].equals("memlock1") || parts[1].length() != 32) {
        return null; // not a memlock lock value
      }
      long fence;
      try {
        fence = parts[2].equals("-") ? -1 : Long.parseLong(parts[2]);
      } catch (NumberFormatException e) {
        return null;
      }
      return new Found(key, parts[1], parts[3], fence, r.ttl());
    }

    /**
     * Sorts by name, kind and slot; the token and holder keep replicas of different holds apart.
     */
    @SuppressWarnings("EnumOrdinal") // kinds sort in their declared order
    String identity() {

      return key.name()
          + '\u0000'
          + key.kind().ordinal()
          + '\u0000'
          + String.format("%020d", key.slot() + 1)
          + '\u0000'
          + token
          + '\u0000'
          + holder;
    }
  }

  /** One item, merged over the replicas that hold it. */
  private static final class Merged {
    private final Found first;
    private final List<String> servers = new ArrayList<>();
    private long fence = -1;
    private long ttl;
    private boolean forever;

    Merged(Found first) {
      this.first = first;
    }

    void add(Found f, String server) {
      if (!servers.contains(server)) {
        servers.add(server);
      }
      fence = Math.max(fence, f.fence());
      forever |= f.ttl() < 0;
      ttl = Math.max(ttl, f.ttl());
    }

    HeldItem toItem() {
      ListedKey k = first.key();
      return new HeldItem(
          k.kind(),
          k.name(),
          k.hashed(),
          k.slot(),
          first.holder(),
          fence < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(fence),
          forever ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.ofSeconds(ttl),
          List.copyOf(servers));
    }
  }
}
