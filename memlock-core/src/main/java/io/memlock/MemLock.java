package io.memlock;

import io.memlock.store.LockConfig;
import io.memlock.transport.ServerAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A client of memcached servers that hands out distributed locks. Make one per application with
 * {@link #builder()}, share it between threads, and close it on shutdown: closing releases every
 * lock it holds and stops its threads and connections.
 *
 * <pre>{@code
 * try (MemLock memlock = MemLock.builder().servers("10.0.0.5:11211").build()) {
 *   DistributedLock lock = memlock.lock("order:42");
 *   lock.lock();
 *   try {
 *     deductStock(order, lock.fencingToken());
 *   } finally {
 *     lock.unlock();
 *   }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A client runs Netty I/O threads ({@code memlock-io-*}), one scheduler thread
 * for renewals and timers ({@code memlock-scheduler-*}) and, unless {@link
 * Builder#callbackExecutor(Executor)} replaces them, callback threads ({@code memlock-callback-*}).
 * All are daemon threads: a client that is never closed does not keep the JVM from exiting. Its
 * locks are then not released but expire by their TTL (at most the lease time after the JVM ends),
 * as when the process is killed. Close the client to release them at once.
 */
public final class MemLock implements AutoCloseable {
  private final ClientCore core;

  private MemLock(ClientCore core) {
    this.core = core;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the lock with this name. Any well-formed string works as a name; see docs/PROTOCOL.md
   * for how it becomes a memcached key.
   *
   * @param name the lock's name
   * @return the lock (a light view: calling this again for the same name is cheap)
   * @throws IllegalArgumentException if the name is null, empty or not well-formed UTF-16 (a lone
   *     surrogate)
   * @throws ClientClosedException if this client is closed
   */
  public DistributedLock lock(String name) {
    return core.engine.lock(name);
  }

  /**
   * Returns a new participant of the leader election with this name: the leader is the holder of
   * the lease on the lock {@code name}, and its term is that lease's fencing token. Add listeners,
   * then {@link LeaderElection#start()}. Each call returns a new participant; closing this client
   * closes them. See docs/SYNCHRONIZERS.md.
   *
   * @param name the election's name (the name of its lock)
   * @return the participant, not started
   * @throws IllegalArgumentException if the name is null or empty
   * @throws ClientClosedException if this client is closed
   */
  public LeaderElection leaderElection(String name) {
    return core.recipes.leaderElection(name);
  }

  /**
   * Returns the lock with this name, taken in first-come, first-served order across threads and
   * processes: waiters queue with tickets kept in memcached, and a waiter that dies is skipped once
   * its presence in the queue expires (within 5 s, or the lease time if shorter). It is the same
   * lock as {@link #lock(String) lock(name)}, which excludes it but does not queue; one try without
   * a wait ({@code tryLock()}, {@code tryAcquire()}) takes the lock if it is free without queueing,
   * as {@link java.util.concurrent.locks.ReentrantLock#tryLock()} does. See docs/SYNCHRONIZERS.md.
   *
   * @param name the lock's name
   * @return the lock (a light view: calling this again for the same name is cheap)
   * @throws IllegalArgumentException if the name is null, empty or not well-formed UTF-16 (a lone
   *     surrogate)
   * @throws ClientClosedException if this client is closed
   */
  public DistributedLock fairLock(String name) {
    return core.recipes.fairLock(name);
  }

  /**
   * Returns the read-write lock with this name: many readers or one writer, across threads and
   * processes, at most {@link DistributedReadWriteLock#MAX_READERS} readers at once. A waiting
   * writer stops new readers, so readers cannot starve it. Read-write locks live apart from {@link
   * #lock(String)} locks of the same name. See docs/SYNCHRONIZERS.md.
   *
   * @param name the lock's name
   * @return the lock (a light view: calling this again for the same name is cheap)
   * @throws IllegalArgumentException if the name is null, empty or not well-formed UTF-16 (a lone
   *     surrogate)
   * @throws ClientClosedException if this client is closed
   */
  public DistributedReadWriteLock readWriteLock(String name) {
    return core.recipes.readWriteLock(name);
  }

  /**
   * Returns the semaphore with this name: at most {@code permits} holders at once, across threads
   * and processes, each permit a lease of its own. Every client must use the same number of permits
   * for a name; the first use records it, and acquiring with another number throws {@link
   * IllegalStateException}. See docs/SYNCHRONIZERS.md.
   *
   * @param name the semaphore's name
   * @param permits the number of permits, 1 to {@link DistributedSemaphore#MAX_PERMITS}
   * @return the semaphore (a light view: calling this again for the same name is cheap)
   * @throws IllegalArgumentException if the name is null, empty or not well-formed UTF-16, or
   *     permits is out of range
   * @throws ClientClosedException if this client is closed
   */
  public DistributedSemaphore semaphore(String name, int permits) {
    return core.recipes.semaphore(name, permits);
  }

  /**
   * Returns a rate limiter shared by every client of these servers: {@code permits} per {@code
   * per}, with bursts of up to {@code permits} after a quiet spell. Limiters of the same name share
   * their state whatever their parameters, so the limit can be changed by deploying new parameters.
   * See {@link RateLimiter} and docs/SYNCHRONIZERS.md.
   *
   * @param name the limiter's name; any non-empty string
   * @param permits permits per period, from 1 to 10^9
   * @param per the period: at most 30 days, whole microseconds, and at least one microsecond per
   *     permit
   * @return the limiter (a light object; share one per name between threads)
   * @throws IllegalArgumentException for a null or empty name or bad numbers
   * @throws ClientClosedException if this client is closed
   */
  public RateLimiter rateLimiter(String name, long permits, Duration per) {
    return core.items.rateLimiter(name, permits, per, permits);
  }

  /**
   * Returns a rate limiter with its own burst capacity: {@code permits} per {@code per} on average,
   * at most {@code burst} at once. A burst of 1 spaces permits evenly.
   *
   * @param name the limiter's name; any non-empty string
   * @param permits permits per period, from 1 to 10^9
   * @param per the period: at most 30 days, whole microseconds, and at least one microsecond per
   *     permit
   * @param burst the most permits granted at once after a quiet spell, from 1 to 2^31 - 1, spanning
   *     at most 30 days of the rate
   * @return the limiter (a light object; share one per name between threads)
   * @throws IllegalArgumentException for a null or empty name or bad numbers
   * @throws ClientClosedException if this client is closed
   */
  public RateLimiter rateLimiter(String name, long permits, Duration per, long burst) {
    return core.items.rateLimiter(name, permits, per, burst);
  }

  /**
   * Returns a stampede-safe cache: when a value is missing or expired, exactly one caller among all
   * clients loads it while the others get the stale value or wait. The defaults are a stale grace
   * of 30 s and a load timeout of 10 s; see {@link RefreshingCache#withStaleGrace} and {@link
   * RefreshingCache#withLoadTimeout}, and docs/SYNCHRONIZERS.md.
   *
   * @param name the cache's name: 1 to 64 characters, no {@code ':'}
   * @return the cache (a light, immutable object)
   * @throws IllegalArgumentException for a bad name
   * @throws ClientClosedException if this client is closed
   */
  public RefreshingCache cache(String name) {
    return core.items.cache(name);
  }

  /**
   * Reads who holds a lock, as memcached sees it now.
   *
   * @param name the lock's name
   * @return the holder, or empty if the lock is free
   * @throws MemLockException if memcached cannot be asked
   */
  public Optional<LockInfo> inspect(String name) {
    return core.await(core.engine.inspect(name));
  }

  /**
   * Deletes a lock item whoever holds it: a break-glass tool for operators. The holder learns of it
   * at its next renewal (its lease is lost).
   *
   * @param name the lock's name
   * @return what the deleted item held, or empty if the lock was free
   * @throws MemLockException if memcached cannot be asked
   */
  public Optional<LockInfo> forceRelease(String name) {
    return core.await(core.engine.forceRelease(name));
  }

  /**
   * Lists the held lock items of this client's namespace on every server: locks, the readers and
   * writer of read-write locks, semaphore permits, and the tickets of fair-lock waiters. memcached
   * cannot list keys, so this asks each server's LRU crawler for a dump of its item keys ({@code
   * lru_crawler metadump hash}, on a connection of its own), keeps the keys of this namespace, and
   * reads each with {@code mg} so that only items that still exist are listed. It costs a pass over
   * every item of every server (about a second per million items; see docs/BENCHMARKS.md): a tool
   * for operators, not for a request path. The view is not atomic: a lock taken or released during
   * the listing may or may not appear.
   *
   * <p>A name too long for a memcached key is stored as its SHA-256 and cannot be shown: such items
   * appear with {@link HeldItem#nameHashed()} true, and only when the prefix is empty. In quorum
   * mode an item held on several replicas appears once, with each of its servers.
   *
   * @param prefix list the names that start with this; {@code ""} for all
   * @return the items found, and the servers that could not be listed (down, or not answering),
   *     with the reason
   * @throws IllegalArgumentException if the prefix is null
   * @throws LockListingException if a server's LRU crawler is disabled ({@code memcached -o
   *     no_lru_crawler}), or stays busy with another crawl for 5 s
   * @throws ClientClosedException if this client is closed
   */
  public LockListing list(String prefix) {
    return core.list(prefix);
  }

  /**
   * Reads who waits for a lock, as memcached shows it now: whether a client of another process is
   * polling for it (its waiter flag), and the waiters queued in the fair lock of that name. It
   * reads a few items on the lock's servers (no crawler), so it is cheap enough to repeat every
   * second, as {@code memlock watch} does. Waiting threads of one client that queue locally show
   * only through the flag of the one that polls.
   *
   * @param name the lock's name
   * @return the waiters
   * @throws IllegalArgumentException for a bad name
   * @throws MemLockException if memcached cannot be asked
   * @throws ClientClosedException if this client is closed
   */
  public LockWaiters waiters(String name) {
    return core.waiters(name);
  }

  /**
   * Returns the servers' addresses, in the configured order.
   *
   * @return {@code host:port} of each server
   */
  public List<String> servers() {
    return core.engine.cluster().nodes().stream().map(n -> n.address().toString()).toList();
  }

  /**
   * Registers a statistics listener, for metrics (see {@code memlock-micrometer}). It hears events
   * from now on, in order, on this client's {@code memlock-events} thread (never on a caller's, the
   * scheduler's or an I/O thread); see {@link MemLockListener}. A listener added after {@link
   * #close()} hears nothing.
   *
   * @param listener the listener
   * @throws IllegalArgumentException if it is null
   */
  public void addListener(MemLockListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    core.engine.cluster().listeners().add(listener);
  }

  /**
   * Unregisters a statistics listener.
   *
   * @param listener the listener
   * @return whether it was registered
   */
  public boolean removeListener(MemLockListener listener) {
    return core.engine.cluster().listeners().remove(listener);
  }

  /**
   * Returns how many leases this client holds in memcached now: locks (including those kept for a
   * hand-off between its threads), semaphore permits and read-write lock items.
   *
   * @return the number of leases held
   */
  public int heldLockCount() {
    return core.engine.heldCount();
  }

  /**
   * Tells, for each server, whether it takes acquisitions now: up, down, or in its restart grace.
   * It answers from this client's state, as an acquisition would decide; like an acquisition, it
   * may start reading the uptime of a server that has just reconnected, or send a no-op to a server
   * that stopped answering, but it does not wait for them.
   *
   * @return one status per server, in the configured order
   */
  public List<ServerStatus> serverStatus() {
    return core.serverStatus();
  }

  /**
   * Releases every lock this client holds (waiting briefly for memcached), fails acquisitions under
   * way with {@link ClientClosedException}, and stops every thread and connection. Idempotent.
   */
  @Override
  public void close() {
    core.close();
  }

  /**
   * Builds a {@link MemLock}. Every option is checked when set: a bad value throws {@link
   * IllegalArgumentException} at once, naming the option. docs/CONFIGURATION.md has them in a
   * table.
   */
  public static final class Builder {
    @Nullable List<ServerAddress> servers;
    Duration leaseTime = Duration.ofSeconds(30);
    Duration maxLeaseTime = Duration.ofSeconds(60);
    String namespace = "memlock";
    Duration requestTimeout = Duration.ofSeconds(1);
    Duration connectTimeout = Duration.ofSeconds(2);
    double drift = 0.01;
    Duration retryMin = Duration.ofMillis(1);
    Duration retryMax = Duration.ofMillis(32);
    int cohortHandoffs = 64;
    int connectionsPerServer = 1;
    @Nullable SSLContext tls;
    boolean verifyHostname = true;
    Ticker ticker = Ticker.system();
    Clock wallClock = Clock.systemUTC();
    @Nullable Executor callbackExecutor;

    int replicas = 1;
    boolean restartGrace = true;

    private Builder() {}

    /**
     * Sets the memcached servers (required).
     *
     * @param servers comma-separated {@code host:port}, e.g. {@code
     *     "10.0.0.5:11211,10.0.0.6:11211"}
     * @return this builder
     * @throws IllegalArgumentException for an empty list, a malformed entry or a duplicate
     */
    public Builder servers(String servers) {
      this.servers = ServerAddress.parseList(servers);
      return this;
    }

    /**
     * Sets the TTL of lock items (default 30 s), renewed by the watchdog at a third of it while a
     * lock is held (at half of {@code leaseTime − 2 s} for leases under 6 s). A holder that dies
     * frees its locks within this time; a holder trusts its lease a little less long, see {@link
     * #drift(double)}.
     *
     * @param leaseTime whole seconds, from 3 s to 30 days
     * @return this builder
     * @throws IllegalArgumentException for a bad value
     */
    public Builder leaseTime(Duration leaseTime) {
      this.leaseTime = BuilderChecks.lease("leaseTime", leaseTime);
      return this;
    }

    /**
     * Sets the longest lease any client of these servers takes (default 60 s). A restarted server
     * is used for acquisitions only once its uptime exceeds this, so that no lease granted before
     * the restart can still be live.
     *
     * @param maxLeaseTime whole seconds, from 3 s (the shortest lease) to 30 days
     * @return this builder
     * @throws IllegalArgumentException for a bad value
     */
    public Builder maxLeaseTime(Duration maxLeaseTime) {
      this.maxLeaseTime = BuilderChecks.lease("maxLeaseTime", maxLeaseTime);
      return this;
    }

    /**
     * Sets on how many servers each lock lives (default 1). With 1, each name is placed on one
     * server of a ketama ring (sharding): when that server is down its locks are unavailable, other
     * names keep working. With more, quorum mode: each name lives on {@code replicas} consecutive
     * distinct servers of the ring, and an acquisition needs a majority of them; a lock survives
     * the loss of a minority of its servers. Use an odd number. See docs/CLUSTER.md.
     *
     * @param replicas 1 to 15, at most the number of servers (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException for a bad value
     */
    public Builder replicas(int replicas) {
      this.replicas = BuilderChecks.range("replicas", replicas, 1, 15);
      return this;
    }

    /**
     * Turns the restart grace period on or off (default on). With it, a server whose uptime is
     * below {@link #maxLeaseTime(Duration)} when this client (re)connects to it takes no
     * acquisitions until it reaches it: memcached forgets its items on a restart, and a lease
     * granted before the restart may still be trusted by its holder until then. Turn it off only
     * for servers no client can have used for locks before their current start, such as a memcached
     * your test or demo has just started for itself.
     *
     * @param enabled false to use freshly started servers at once
     * @return this builder
     */
    public Builder restartGrace(boolean enabled) {
      this.restartGrace = enabled;
      return this;
    }

    /**
     * Sets the prefix of every key this client writes (default {@code memlock}). Clients that
     * should exclude each other must use the same namespace.
     *
     * @param namespace printable ASCII without spaces, 1 to 64 characters
     * @return this builder
     * @throws IllegalArgumentException for a bad value
     */
    public Builder namespace(String namespace) {
      this.namespace = BuilderChecks.namespace(namespace);
      return this;
    }

    /**
     * Sets how long one request to memcached may take (default 1 s).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = BuilderChecks.positive("requestTimeout", timeout);
      return this;
    }

    /**
     * Sets how long one connection attempt may take (default 2 s); {@link #build()} also waits up
     * to this long for the first connections.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = BuilderChecks.positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Sets the assumed bound on how fast or slow a client's clock may run relative to memcached's
     * (default 0.01, i.e. 1 %). Leases are trusted for {@code (ttl − 2 s) × (1 − drift)} from the
     * instant before the request that won or renewed them was sent: memcached's 1-second clock
     * sometimes skips a second, so an item can end 2 s before its TTL. See docs/SAFETY.md.
     *
     * @param drift from 0 (inclusive) to 0.5 (exclusive)
     * @return this builder
     */
    public Builder drift(double drift) {
      this.drift = BuilderChecks.drift(drift);
      return this;
    }

    /**
     * Sets the wait between attempts on a busy lock: it starts near {@code min}, doubles up to
     * {@code max}, with jitter, and never passes the holder's remaining TTL or the caller's
     * deadline (defaults 1 ms and 32 ms).
     *
     * @param min the first wait, positive
     * @param max the cap, at least {@code min}
     * @return this builder
     */
    public Builder retryDelay(Duration min, Duration max) {
      this.retryMax = BuilderChecks.retryMax(min, max);
      this.retryMin = min;
      return this;
    }

    /**
     * Sets how many times in a row a lease may pass between threads of this client without a round
     * trip before it is released for other processes (default 64; 0 turns the local hand-off off).
     *
     * @param handoffs 0 to 127
     * @return this builder
     */
    public Builder cohortHandoffs(int handoffs) {
      this.cohortHandoffs =
          BuilderChecks.range("cohortHandoffs", handoffs, 0, LockConfig.FENCE_SCALE - 1);
      return this;
    }

    /**
     * Sets the pipelined connections per server (default 1).
     *
     * @param n 1 to 64
     * @return this builder
     */
    public Builder connectionsPerServer(int n) {
      this.connectionsPerServer = BuilderChecks.range("connectionsPerServer", n, 1, 64);
      return this;
    }

    /**
     * Talks TLS to the servers (memcached started with {@code -Z}); the default is plain TCP.
     *
     * @param context the client TLS context, trusting the servers' certificates; not null
     * @param verifyHostname whether to check each certificate against the server's host name
     * @return this builder
     */
    public Builder tls(SSLContext context, boolean verifyHostname) {
      this.tls = BuilderChecks.notNull("TLS context", context);
      this.verifyHostname = verifyHostname;
      return this;
    }

    /**
     * Replaces the monotonic clock of lease arithmetic (default {@link Ticker#system()}), for
     * tests.
     *
     * @param ticker the clock, not null
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = BuilderChecks.notNull("ticker", ticker);
      return this;
    }

    /**
     * Replaces the wall clock that seeds fence counters (default UTC system clock).
     *
     * @param clock the clock, not null
     * @return this builder
     */
    public Builder wallClock(Clock clock) {
      this.wallClock = BuilderChecks.notNull("wall clock", clock);
      return this;
    }

    /**
     * Sets where user code runs: lock-lost listeners, and the continuations of the futures this
     * client returns ({@code acquireAsync}, {@code releaseAsync}, {@code ended}). The default is a
     * pool of this client's threads named {@code memlock-callback-N}, as many as callbacks run at
     * once (idle ones end after 30 s), stopped by {@link MemLock#close()}.
     *
     * <p>User code never runs on memlock's I/O threads ({@code memlock-io-*}) or its scheduler
     * thread ({@code memlock-scheduler-*}), so a callback may block, even on another lock call (a
     * continuation of {@code acquireAsync} may call {@code release()}): no acquisition or release
     * needs a free callback thread to make progress. A future already complete when a continuation
     * is added runs it on the caller's thread; {@code release()}, {@code close()} and {@link
     * MemLock#close()} complete {@code ended()} on their caller's thread.
     *
     * <p>The executor must run each task on another thread than the caller's (no direct executor,
     * no {@code ThreadPoolExecutor.CallerRunsPolicy}). It may be bounded but should accept every
     * task: a task it rejects (full, or shut down) runs on a fallback thread of this client, with a
     * warning in the log, so every future still completes. {@link MemLock#close()} does not shut it
     * down. If callbacks wait for each other, give it enough threads for them.
     *
     * @param executor the executor, not null
     * @return this builder
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = BuilderChecks.notNull("callback executor", executor);
      return this;
    }

    /**
     * Connects to the servers and returns the client. It waits until each server has connected and
     * its uptime was read (for the restart grace), or failed its first attempt, at most the connect
     * timeout; a server that is down is retried in the background, and locks on it are unavailable
     * until it is back.
     *
     * @return the client
     * @throws IllegalStateException if no servers were set, leaseTime exceeds maxLeaseTime, or
     *     there are fewer servers than replicas
     */
    public MemLock build() {
      BuilderChecks.conflicts(this);
      return new MemLock(ClientCore.connect(this));
    }
  }
}
