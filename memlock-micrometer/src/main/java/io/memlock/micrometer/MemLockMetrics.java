package io.memlock.micrometer;

import io.memlock.MemLock;
import io.memlock.MemLockListener;
import io.memlock.ServerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Micrometer meters of a {@link MemLock} client. Bind it to a registry (Spring Boot does so for
 * every {@link MeterBinder} bean):
 *
 * <pre>{@code
 * new MemLockMetrics(memlock).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what it counts</th></tr>
 *   <tr><td>{@code memlock.lock.acquire}</td><td>timer</td>
 *       <td>{@code outcome}: acquired, busy, timeout, unavailable, error</td>
 *       <td>acquisitions of locks, fair locks, read-write locks and semaphore permits</td></tr>
 *   <tr><td>{@code memlock.lock.held}</td><td>gauge</td><td></td><td>leases held now</td></tr>
 *   <tr><td>{@code memlock.lock.lost}</td><td>counter</td><td></td><td>leases lost while held</td></tr>
 *   <tr><td>{@code memlock.lease.renewals}</td><td>counter</td>
 *       <td>{@code outcome}: renewed, failed, lost</td><td>watchdog renewals</td></tr>
 *   <tr><td>{@code memlock.server.requests}</td><td>timer</td>
 *       <td>{@code server} ({@code host:port}), {@code outcome}: success, error</td>
 *       <td>round trips to each server</td></tr>
 *   <tr><td>{@code memlock.server.grace}</td><td>gauge</td><td></td>
 *       <td>servers in restart grace now</td></tr>
 *   <tr><td>{@code memlock.server.down}</td><td>gauge</td><td></td><td>servers down now</td></tr>
 *   <tr><td>{@code memlock.ratelimiter.requests}</td><td>counter</td>
 *       <td>{@code limiter}, {@code outcome}: admitted, refused</td><td>rate-limiter decisions</td></tr>
 *   <tr><td>{@code memlock.cache.gets}</td><td>counter</td>
 *       <td>{@code cache}, {@code result}: hit, miss</td><td>cache lookups</td></tr>
 *   <tr><td>{@code memlock.cache.loads}</td><td>timer</td>
 *       <td>{@code cache}, {@code result}: success, failure</td><td>cache loader runs</td></tr>
 * </table>
 *
 * <p>Lock names are unbounded (an order id, a user id), so they are not tags by default: a tag per
 * name would make a time series per name. {@link #withLockNameTag(Function)} adds a {@code lock}
 * tag to the acquisition timer and the lost counter, with a value the caller chooses (for instance
 * the part of the name before a colon). Rate-limiter and cache names are chosen in code, few, and
 * always tags.
 *
 * <p>The meters are fed by a {@link MemLockListener} registered on the client when bound: events
 * before binding are not counted. {@link #close()} unregisters it. The listener runs on the
 * client's {@code memlock-events} thread, so the meters show an event a moment after it happened.
 */
public final class MemLockMetrics implements MeterBinder, AutoCloseable {
  private final MemLock memlock;
  private final Tags tags;
  private final Function<String, String> lockNameTag;
  private final List<Recorder> recorders = new CopyOnWriteArrayList<>();

  /**
   * Meters of a client, without extra tags.
   *
   * @param memlock the client
   */
  public MemLockMetrics(MemLock memlock) {
    this(memlock, Tags.empty());
  }

  /**
   * Meters of a client, with tags added to every meter (e.g. to tell two clients apart).
   *
   * @param memlock the client
   * @param tags the tags
   */
  public MemLockMetrics(MemLock memlock, Iterable<Tag> tags) {
    this(memlock, Tags.of(tags), null);
  }

  private MemLockMetrics(MemLock memlock, Tags tags, Function<String, String> lockNameTag) {
    if (memlock == null) {
      throw new IllegalArgumentException("memlock client is null");
    }
    this.memlock = memlock;
    this.tags = tags;
    this.lockNameTag = lockNameTag;
  }

  /**
   * Returns meters like these that also tag acquisitions and lost leases with {@code lock}, the
   * value {@code tagOf} gives for the lock's name. Keep the number of values small: each value is a
   * time series. A null value is tagged {@code other}. For fair locks, read-write locks and
   * semaphores, the name given is a description of what was acquired, such as {@code fair lock
   * 'x'}.
   *
   * @param tagOf the tag value of a lock name, e.g. {@code name -> name.split(":")[0]}
   * @return new, unbound metrics
   */
  public MemLockMetrics withLockNameTag(Function<String, String> tagOf) {
    if (tagOf == null) {
      throw new IllegalArgumentException("lock name tag function is null");
    }
    return new MemLockMetrics(memlock, tags, tagOf);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("memlock.lock.held", memlock, MemLock::heldLockCount)
        .tags(tags)
        .description("Leases this client holds in memcached now")
        .register(registry);
    Gauge.builder("memlock.server.grace", memlock, m -> count(m, ServerStatus.State.RESTART_GRACE))
        .tags(tags)
        .description("Servers in their restart grace: connected, taking no acquisitions yet")
        .register(registry);
    Gauge.builder("memlock.server.down", memlock, m -> count(m, ServerStatus.State.DOWN))
        .tags(tags)
        .description("Servers not connected or not answering")
        .register(registry);
    Recorder r = new Recorder(registry);
    recorders.add(r);
    memlock.addListener(r);
  }

  private static double count(MemLock m, ServerStatus.State state) {
    return m.serverStatus().stream().filter(s -> s.state() == state).count();
  }

  /** Stops counting: unregisters the listeners from the client. The meters stay registered. */
  @Override
  public void close() {
    for (Recorder r : recorders) {
      memlock.removeListener(r);
    }
    recorders.clear();
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** Turns the client's events into meters of one registry; the meters are made once and kept. */
  private final class Recorder implements MemLockListener {
    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    private record Key(String meter, String a, String b) {}

    Recorder(MeterRegistry registry) {
      this.registry = registry;
      // Known outcomes appear at once, at zero, so dashboards and alerts see them before they
      // occur.
      for (AcquireOutcome o : AcquireOutcome.values()) {
        if (lockNameTag == null) {
          acquireTimer(o, null);
        }
      }
      for (RenewalOutcome o : RenewalOutcome.values()) {
        renewals(o);
      }
      if (lockNameTag == null) {
        lost(null);
        polls(null);
      }
    }

    private String nameTag(String name) {
      String v = lockNameTag.apply(name);
      return v == null ? "other" : v;
    }

    private Timer acquireTimer(AcquireOutcome outcome, String lock) {
      return timers.computeIfAbsent(
          new Key("acquire", lower(outcome), lock),
          k -> {
            Timer.Builder b =
                Timer.builder("memlock.lock.acquire")
                    .tags(tags)
                    .tag("outcome", k.a())
                    .description("Acquisitions of locks and permits, by outcome");
            if (lock != null) {
              b.tag("lock", lock);
            }
            return b.register(registry);
          });
    }

    private Counter lost(String lock) {
      return perLock(
          "memlock.lock.lost",
          lock,
          "Leases lost while held (renewal failed, lease ran out, deleted)");
    }

    private Counter polls(String lock) {
      return perLock(
          "memlock.lock.polls",
          lock,
          "Attempts of waiting acquisitions that found the lock held and will try again");
    }

    /** The counter {@code meter}, tagged with the lock's name when names are tagged. */
    private Counter perLock(String meter, String lock, String about) {
      return counters.computeIfAbsent(
          new Key(meter, lock, null),
          k -> {
            Counter.Builder b = Counter.builder(meter).tags(tags).description(about);
            if (lock != null) {
              b.tag("lock", lock);
            }
            return b.register(registry);
          });
    }

    private Counter renewals(RenewalOutcome outcome) {
      return counters.computeIfAbsent(
          new Key("renewals", lower(outcome), null),
          k ->
              Counter.builder("memlock.lease.renewals")
                  .tags(tags)
                  .tag("outcome", k.a())
                  .description("Watchdog renewals of leases, by outcome")
                  .register(registry));
    }

    @Override
    public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
      acquireTimer(outcome, lockNameTag == null ? null : nameTag(name))
          .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void leaseLost(String name) {
      lost(lockNameTag == null ? null : nameTag(name)).increment();
    }

    @Override
    public void lockPolled(String name) {
      polls(lockNameTag == null ? null : nameTag(name)).increment();
    }

    @Override
    public void leaseRenewed(String name, RenewalOutcome outcome) {
      renewals(outcome).increment();
    }

    @Override
    public void serverRequest(String server, long nanos, boolean success) {
      timer(
              "memlock.server.requests",
              "server",
              server,
              "outcome",
              success ? "success" : "error",
              "Round trips to a memcached server")
          .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rateLimited(String limiter, boolean admitted) {
      counter(
              "memlock.ratelimiter.requests",
              "limiter",
              limiter,
              "outcome",
              admitted ? "admitted" : "refused",
              "Rate-limiter decisions, admitted or refused")
          .increment();
    }

    @Override
    public void cacheLookup(String cache, boolean hit) {
      counter(
              "memlock.cache.gets",
              "cache",
              cache,
              "result",
              hit ? "hit" : "miss",
              "Cache lookups: hit (value from memcached) or miss (loaded)")
          .increment();
    }

    @Override
    public void cacheLoaded(String cache, long nanos, boolean success) {
      timer(
              "memlock.cache.loads",
              "cache",
              cache,
              "result",
              success ? "success" : "failure",
              "Runs of cache loaders")
          .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The counter {@code meter} tagged {@code tag=value} and {@code resultTag=result}. */
    private Counter counter(
        String meter, String tag, String value, String resultTag, String result, String about) {
      return counters.computeIfAbsent(
          new Key(meter, value, result),
          k ->
              Counter.builder(meter)
                  .tags(tags)
                  .tag(tag, value)
                  .tag(resultTag, result)
                  .description(about)
                  .register(registry));
    }

    /** The timer {@code meter} tagged {@code tag=value} and {@code resultTag=result}. */
    private Timer timer(
        String meter, String tag, String value, String resultTag, String result, String about) {
      return timers.computeIfAbsent(
          new Key(meter, value, result),
          k ->
              Timer.builder(meter)
                  .tags(tags)
                  .tag(tag, value)
                  .tag(resultTag, result)
                  .description(about)
                  .register(registry));
    }
  }
}
