package io.memlock.engine;

import io.memlock.ClientClosedException;
import io.memlock.DistributedLock;
import io.memlock.LeaderElection;
import io.memlock.LockInfo;
import io.memlock.cluster.Cluster;
import io.memlock.store.LeaseStore;
import io.memlock.store.LockConfig;
import io.memlock.store.LockKeys;
import io.memlock.store.SyncKeys;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The lock layer of one client: lock states by name, the lease store, the scheduler thread (the
 * watchdog, retries and deadlines) and the callback executor.
 */
public final class LockEngine implements AutoCloseable {
  static final System.Logger LOG = System.getLogger("io.memlock");

  public final LockConfig config;
  public final LeaseStore store;

  /** The store of the synchronizers' items (semaphore permits, read-write lock items). */
  public final LeaseStore syncStore;

  public final SyncKeys syncKeys;
  final Watchdog watchdog;
  public final ScheduledThreadPoolExecutor scheduler;
  public final Callbacks callbacks;

  /** The statistics listeners (see {@link io.memlock.MemLockListener}). */
  final io.memlock.transport.Listeners listeners;

  private final Cluster cluster;
  private final LockStates states = new LockStates(this);
  private final Set<LockAttempt> active = ConcurrentHashMap.newKeySet();

  /**
   * The thread holding the {@code Lock} view of each lock, with its hold count: keyed by name for
   * user locks, by other keys for the synchronizers' views (see {@link
   * DistributedLockImpl#viewKey()}).
   */
  final ConcurrentHashMap<Object, ViewHold> views = new ConcurrentHashMap<>();

  /** A thread's reentrant hold of a lock's {@code Lock} view; holds only change on that thread. */
  public static final class ViewHold {
    final Thread owner = Thread.currentThread();
    public final LockHandleImpl handle;
    int holds = 1;

    ViewHold(LockHandleImpl handle) {
      this.handle = handle;
    }
  }

  private final Tokens tokens = new Tokens();
  private final HolderNames holderNames = new HolderNames();
  private final Set<LeaderElection> elections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Starts the lock layer over a cluster. The engine owns the cluster from now on.
   *
   * @param cluster the servers
   * @param config the settings
   */
  public LockEngine(Cluster cluster, LockConfig config) {
    this.cluster = cluster;
    this.config = config;
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              // Daemon: a client that is never closed must not keep the JVM alive; its locks
              // then expire by their TTL (docs/CONFIGURATION.md, "Threads").
              Thread t = new Thread(r, "memlock-scheduler-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    LockKeys keys = new LockKeys(config.namespace());
    this.store = LeaseStore.open(cluster, keys, config, scheduler);
    this.syncKeys = new SyncKeys(keys);
    this.syncStore = LeaseStore.open(cluster, syncKeys, config, scheduler);
    this.callbacks = new Callbacks(config.callbacks());
    this.listeners = cluster.listeners();
    this.watchdog = new Watchdog(this);
    scheduler.scheduleWithFixedDelay(states::sweepIdle, 10, 10, TimeUnit.SECONDS);
  }

  /**
   * Returns the lock with this name.
   *
   * @param name the name
   * @return the lock
   */
  public DistributedLock lock(String name) {
    LockKeys.checkName(name);
    checkOpen();
    return new DistributedLockImpl(this, name);
  }

  /**
   * Has {@link #close()} close a leader election first, while the client still works, so that its
   * listeners hear {@code revoked}.
   *
   * @param e the participant
   */
  public void closeFirst(LeaderElection e) {
    elections.add(e);
  }

  /**
   * Undoes {@link #closeFirst(LeaderElection)}: the participant closed itself.
   *
   * @param e the participant
   */
  public void forget(LeaderElection e) {
    elections.remove(e);
  }

  /**
   * Returns this process's description: host name and process id.
   *
   * @return the description
   */
  public String processDescription() {
    return holderNames.process();
  }

  LockState state(LeaseStore in, String name) {
    return states.get(in, name);
  }

  /**
   * Returns the holder description of the current thread: host, process id and thread name.
   *
   * @return the description
   */
  public String holderDescription() {
    return holderNames.holder();
  }

  /** Returns a token no other acquisition carries (see {@link Tokens}). */
  byte[] newToken() {
    return tokens.next();
  }

  Acquisition acquire(String name, long waitNanos, boolean forever, long ttl, boolean watchdog) {
    return acquire(name, waitNanos, forever, ttl, watchdog, holderDescription());
  }

  /**
   * Like {@link #acquire(String, long, boolean, long, boolean)} with a given holder description.
   */
  Acquisition acquire(
      String name, long waitNanos, boolean forever, long ttl, boolean watchdog, String holder) {
    return observe(
        acquire(store, name, waitNanos, forever, ttl, watchdog, holder), name, a -> a.once);
  }

  /**
   * Reports how an acquisition of the public API ends to the statistics listeners, if any.
   *
   * @param a the attempt, just started
   * @param name the name reported
   * @param once whether the attempt was one try without waiting
   * @return {@code a}
   */
  <A extends LockAttempt> A observe(A a, String name, java.util.function.Predicate<A> once) {
    io.memlock.transport.Listeners l = listeners;
    if (l.any()) {
      long t0 = config.ticker().read();
      a.result()
          .whenComplete(
              (h, t) ->
                  l.lockAcquired(
                      name,
                      Statistics.outcome(a, h, t, once.test(a)),
                      config.ticker().read() - t0));
    }
    return a;
  }

  /** Leases held now: won and neither released nor lost. */
  final java.util.concurrent.atomic.AtomicInteger held =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Returns how many leases this client holds in memcached now (locks, permits, read-write lock
   * items), including leases kept for a local hand-off.
   *
   * @return the count
   */
  public int heldCount() {
    return held.get();
  }

  /** Starts acquiring the lock item {@code name} of the store {@code in}. */
  public Acquisition acquire(
      LeaseStore in, String name, long waitNanos, boolean forever, long ttl, boolean watchdog) {
    return acquire(in, name, waitNanos, forever, ttl, watchdog, holderDescription());
  }

  private Acquisition acquire(
      LeaseStore in,
      String name,
      long waitNanos,
      boolean forever,
      long ttl,
      boolean watchdog,
      String holder) {
    checkOpen();
    while (true) {
      Acquisition a =
          new Acquisition(this, state(in, name), waitNanos, forever, ttl, watchdog, holder);
      active.add(a);
      if (closed) {
        a.close();
        return a;
      }
      if (a.start()) {
        return a;
      }
      // The state was retired between lookup and start: a fresh one replaces it.
      active.remove(a);
    }
  }

  /**
   * Registers an attempt that {@link #close()} must stop; false (not registered) if closed.
   *
   * @param a the attempt
   * @return true if registered
   */
  boolean register(LockAttempt a) {
    if (a instanceof SyncAttempt s) {
      observe(s, s.describe(), x -> x.once);
    }
    active.add(a);
    if (closed) {
      active.remove(a);
      return false;
    }
    return true;
  }

  void finished(LockAttempt a) {
    active.remove(a);
  }

  /** Runs a task on the scheduler thread, or here if the engine is shut down. */
  void runSoon(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** A release could not reach the server: try to delete the item later if it is still ours. */
  void releaseLater(Hold hold, @Nullable Throwable error) {
    LOG.log(
        System.Logger.Level.WARNING,
        "could not release lock '"
            + hold.name()
            + "' on "
            + hold.lease.where()
            + " ("
            + (error == null ? "no reply" : error.getMessage())
            + "); it expires within its TTL of "
            + hold.ttlSeconds
            + " s unless a later cleanup succeeds");
    hold.state.store.releaseIfOwned(hold.name(), hold.token());
  }

  /**
   * Reads who holds a lock.
   *
   * @param name the lock name
   * @return what memcached holds for it
   */
  public CompletableFuture<Optional<LockInfo>> inspect(String name) {
    LockKeys.checkName(name);
    checkOpen();
    return store.inspect(name);
  }

  /**
   * Deletes a lock item whoever holds it.
   *
   * @param name the lock name
   * @return what the item held, or empty if there was none
   */
  public CompletableFuture<Optional<LockInfo>> forceRelease(String name) {
    LockKeys.checkName(name);
    checkOpen();
    return store.forceRelease(name);
  }

  /**
   * Returns the settings.
   *
   * @return the settings
   */
  public LockConfig config() {
    return config;
  }

  /**
   * Returns the cluster.
   *
   * @return the servers
   */
  public Cluster cluster() {
    return cluster;
  }

  /**
   * Throws if this engine is closed.
   *
   * @throws ClientClosedException if it is
   */
  public void checkOpen() {
    if (closed) {
      throw new ClientClosedException("memlock client is closed");
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops acquisitions, releases every hold (waiting up to the request timeout), stops the
   * scheduler and closes the connections.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    // Elections step down first: their listeners hear revoked while the client still works.
    for (LeaderElection e : List.copyOf(elections)) {
      e.close();
    }
    closed = true;
    for (LockAttempt a : active) {
      a.close();
    }
    callbacks.closing();
    states.releaseAllOnClose(config.requestTimeout().toMillis() * 2);
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cluster.close();
  }
}
