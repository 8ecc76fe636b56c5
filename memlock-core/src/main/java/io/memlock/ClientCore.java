package io.memlock;

import io.memlock.cluster.Cluster;
import io.memlock.engine.LockEngine;
import io.memlock.inspect.LockLister;
import io.memlock.inspect.WaiterReader;
import io.memlock.recipes.ItemSynchronizers;
import io.memlock.recipes.LockRecipes;
import io.memlock.store.LockConfig;
import io.memlock.store.LockKeys;
import io.memlock.transport.NodeClient;
import io.memlock.transport.TransportConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The parts of one {@link MemLock} client and their wiring: the cluster, the lease engine, the
 * recipes, the item synchronizers and the callback pool it owns. {@link MemLock} holds the API and
 * its documentation; this class does the work behind it.
 */
final class ClientCore {
  final LockEngine engine;
  final LockRecipes recipes;
  final ItemSynchronizers items;
  private final @Nullable ExecutorService ownedCallbacks;
  private final Duration requestTimeout;

  private ClientCore(
      LockEngine engine,
      ItemSynchronizers items,
      @Nullable ExecutorService ownedCallbacks,
      Duration requestTimeout) {
    this.engine = engine;
    this.recipes = new LockRecipes(engine);
    this.items = items;
    this.ownedCallbacks = ownedCallbacks;
    this.requestTimeout = requestTimeout;
  }

  /** Connects the parts of a client with the builder's settings, already checked. */
  static ClientCore connect(MemLock.Builder b) {
    ExecutorService owned = null;
    Executor callbacks = b.callbackExecutor;
    if (callbacks == null) {
      AtomicInteger n = new AtomicInteger();
      // Unbounded: a callback may block (it may even wait for another callback), and a task
      // the pool refused would have to run on the I/O thread that completed the future.
      owned =
          new ThreadPoolExecutor(
              0,
              Integer.MAX_VALUE,
              30,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              r -> {
                Thread t = new Thread(r, "memlock-callback-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      callbacks = owned;
    }
    TransportConfig.Builder transport =
        TransportConfig.builder()
            .connectTimeout(b.connectTimeout)
            .requestTimeout(b.requestTimeout)
            .connectionsPerServer(b.connectionsPerServer);
    if (b.tls != null) {
      transport.tls(b.tls).verifyHostname(b.verifyHostname);
    }
    Cluster cluster =
        Cluster.connect(
            Objects.requireNonNull(b.servers, "servers are checked by build()"),
            transport.build(),
            new Cluster.Settings(
                b.replicas, b.restartGrace ? b.maxLeaseTime.toSeconds() : 0, b.drift, b.ticker));
    LockConfig config =
        new LockConfig(
            b.leaseTime.toSeconds(),
            b.maxLeaseTime.toSeconds(),
            b.drift,
            b.namespace,
            b.requestTimeout,
            b.retryMin,
            b.retryMax,
            b.cohortHandoffs,
            b.ticker,
            b.wallClock,
            callbacks);
    LockEngine engine = new LockEngine(cluster, config);
    ItemSynchronizers items = new ItemSynchronizers(cluster, config);
    long deadline = System.nanoTime() + b.connectTimeout.toNanos();
    for (NodeClient node : cluster.nodes()) {
      try {
        if (node.awaitFirstAttempt(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          cluster
              .health(node)
              .awaitCheck(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new ClientCore(engine, items, owned, b.requestTimeout);
  }

  List<ServerStatus> serverStatus() {
    Cluster cluster = engine.cluster();
    return cluster.nodes().stream()
        .map(
            n -> {
              String address = n.address().toString();
              io.memlock.cluster.NodeHealth health = cluster.health(n);
              if (health.acquirableEpoch() >= 0) {
                return new ServerStatus(
                    address, ServerStatus.State.UP, "memcached " + address + " is usable");
              }
              ServerStatus.State state =
                  !n.isConnected() || n.isStalled()
                      ? ServerStatus.State.DOWN
                      : ServerStatus.State.RESTART_GRACE;
              return new ServerStatus(address, state, health.whyNot());
            })
        .toList();
  }

  /** See {@link MemLock#list(String)}. */
  LockListing list(String prefix) {
    engine.checkOpen();
    return new LockLister(
            engine.cluster().nodes(),
            engine.config().namespace(),
            engine.config().requestTimeout(),
            LockLister.BUSY_WAIT)
        .list(prefix);
  }

  /** See {@link MemLock#waiters(String)}. */
  LockWaiters waiters(String name) {
    LockKeys.checkName(name);
    engine.checkOpen();
    return await(
        new WaiterReader(
                engine.cluster(),
                new LockKeys(engine.config().namespace()),
                engine.config().requestTimeout())
            .read(name));
  }

  <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(requestTimeout.toNanos() * 4, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemLockException("interrupted", e);
    } catch (TimeoutException e) {
      throw new MemLockTimeoutException("no answer within " + requestTimeout.multipliedBy(4));
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new MemLockException(cause.toString(), cause);
    }
  }

  void close() {
    items.close();
    engine.close();
    if (ownedCallbacks != null) {
      ownedCallbacks.shutdown();
      try {
        if (!ownedCallbacks.awaitTermination(5, TimeUnit.SECONDS)) {
          ownedCallbacks.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedCallbacks.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
