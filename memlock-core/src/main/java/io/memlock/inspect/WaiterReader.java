package io.memlock.inspect;

import io.memlock.HeldItem;
import io.memlock.LockWaiters;
import io.memlock.cluster.Cluster;
import io.memlock.cluster.NodeHealth;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaStatus;
import io.memlock.store.LockKeys;
import io.memlock.transport.NodeClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads who waits for a lock, without the crawler: on the servers of the lock item, {@code mg} of
 * its waiter flag {@code NS:W:NAME}, then of the fair queue's counters {@code NS:QT:NAME} (last
 * ticket handed out) and {@code NS:QS:NAME} (now serving) and of each presence item {@code
 * NS:Q<t>:NAME} between them (at most {@link #MAX_TICKETS}). See docs/PROTOCOL.md.
 */
public final class WaiterReader {
  /** The most tickets read per server: a longer queue shows its first ones. */
  public static final int MAX_TICKETS = 1000;

  private final Cluster cluster;
  private final LockKeys keys;
  private final Duration timeout;

  /**
   * Creates a reader.
   *
   * @param cluster the servers
   * @param keys the key scheme of the client's namespace
   * @param timeout the request timeout
   */
  public WaiterReader(Cluster cluster, LockKeys keys, Duration timeout) {
    this.cluster = cluster;
    this.keys = keys;
    this.timeout = timeout;
  }

  /**
   * Reads the waiters of a lock on every server of its lock item.
   *
   * @param name the lock's name
   * @return the waiters; fails if a server cannot be read
   */
  public CompletableFuture<LockWaiters> read(String name) {
    Key lockKey = keys.lockKey(name);
    List<CompletableFuture<LockWaiters>> reads = new ArrayList<>();
    for (NodeHealth h : cluster.replicasFor(lockKey)) {
      reads.add(readOn(h.node(), name));
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(
            x -> {
              boolean polling = false;
              Map<Long, HeldItem> tickets = new TreeMap<>();
              for (CompletableFuture<LockWaiters> f : reads) {
                LockWaiters w = f.join();
                polling |= w.polling();
                w.queue().forEach(t -> tickets.putIfAbsent(t.slot(), t));
              }
              return new LockWaiters(polling, List.copyOf(tickets.values()));
            });
  }

  private CompletableFuture<LockWaiters> readOn(NodeClient node, String name) {
    CompletableFuture<MetaResponse> flag = node.send(MetaGet.of(keys.waiterKey(name)), timeout);
    CompletableFuture<MetaResponse> last =
        node.send(MetaGet.of(keys.key("QT", name)).returnValue(), timeout);
    CompletableFuture<MetaResponse> serving =
        node.send(MetaGet.of(keys.key("QS", name)).returnValue(), timeout);
    return CompletableFuture.allOf(flag, last, serving)
        .thenCompose(
            x -> {
              boolean polling = flag.join().status() == MetaStatus.HD;
              long to = number(last.join());
              long from = Math.max(number(serving.join()), to - MAX_TICKETS + 1);
              List<CompletableFuture<HeldItem>> tickets = new ArrayList<>();
              for (long t = Math.max(0, from); t <= to && to >= 0; t++) {
                tickets.add(ticket(node, name, t));
              }
              return CompletableFuture.allOf(tickets.toArray(CompletableFuture[]::new))
                  .thenApply(
                      y -> {
                        List<HeldItem> queue = new ArrayList<>();
                        for (CompletableFuture<HeldItem> f : tickets) {
                          if (f.join() != null) {
                            queue.add(f.join());
                          }
                        }
                        return new LockWaiters(polling, queue);
                      });
            });
  }

  private CompletableFuture<HeldItem> ticket(NodeClient node, String name, long t) {
    return node.send(
            MetaGet.of(keys.key("Q" + Long.toUnsignedString(t), name)).returnValue().returnTtl(),
            timeout)
        .thenApply(
            r -> {
              if (r.status() != MetaStatus.VA) {
                return null;
              }
              String value = new String(r.value(), StandardCharsets.UTF_8);
              if (!value.startsWith("w ")) {
                return null; // withdrawn
              }
              return new HeldItem(
                  HeldItem.Kind.FAIR_QUEUE_TICKET,
                  name,
                  false,
                  t,
                  value.substring(2),
                  OptionalLong.empty(),
                  Duration.ofSeconds(Math.max(0, r.ttl())),
                  List.of(node.address().toString()));
            });
  }

  private static long number(MetaResponse r) {
    if (r.status() != MetaStatus.VA) {
      return -1;
    }
    try {
      return Long.parseLong(new String(r.value(), StandardCharsets.US_ASCII).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
