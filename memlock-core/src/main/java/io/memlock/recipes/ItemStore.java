package io.memlock.recipes;

import io.memlock.ClientClosedException;
import io.memlock.MemLockException;
import io.memlock.MemLockTimeoutException;
import io.memlock.cluster.Cluster;
import io.memlock.protocol.Key;
import io.memlock.protocol.MetaRequest;
import io.memlock.protocol.MetaResponse;
import io.memlock.transport.NodeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place where the rate limiter and the cache talk to memcached: it picks the server of a
 * key and waits for the replies on the calling thread. Every item of these features is one key, so
 * a key's server is all the routing there is.
 */
final class ItemStore {
  private final Cluster cluster;
  private final long timeoutNanos;
  private volatile boolean closed;

  /** The client's statistics listeners. */
  final io.memlock.transport.Listeners listeners;

  ItemStore(Cluster cluster, Duration requestTimeout) {
    this.cluster = cluster;
    this.listeners = cluster.listeners();
    this.timeoutNanos = requestTimeout.toNanos();
  }

  /**
   * Sends one request to the key's server and waits for the reply.
   *
   * @throws MemLockException (a subclass) when there is no reply: timeout, connection, closed
   */
  MetaResponse call(Key key, MetaRequest request) {
    checkOpen();
    NodeClient node = cluster.nodeFor(key);
    return await(node.send(request, timeoutNanos, -1));
  }

  /**
   * Sends requests in one write to the key's server, which runs them in order, and waits for every
   * reply.
   *
   * @throws MemLockException (a subclass) when a reply is missing
   */
  List<MetaResponse> pipeline(Key key, List<MetaRequest> requests) {
    checkOpen();
    NodeClient node = cluster.nodeFor(key);
    List<CompletableFuture<?>> futures = node.sendAll(requests, timeoutNanos, -1);
    List<MetaResponse> replies = new ArrayList<>(futures.size());
    for (CompletableFuture<?> f : futures) {
      replies.add((MetaResponse) await(f));
    }
    return replies;
  }

  void checkOpen() {
    if (closed) {
      throw new ClientClosedException("memlock client is closed");
    }
  }

  /**
   * Fails every later call with {@link ClientClosedException}; calls under way fail as the cluster
   * closes.
   */
  void close() {
    closed = true;
  }

  /** Waits for a transport future, which always completes within its request timeout. */
  private <T> T await(CompletableFuture<T> f) {
    // The transport times every request out; this bound only guards against a bug there.
    long boundNanos = timeoutNanos * 2 + TimeUnit.SECONDS.toNanos(1);
    try {
      return f.get(boundNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemLockException("interrupted while waiting for memcached", e);
    } catch (TimeoutException e) {
      throw new MemLockTimeoutException(
          "no answer from memcached within " + Duration.ofNanos(boundNanos));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new MemLockException(String.valueOf(cause), cause);
    }
  }
}
