package io.memlock.bench.locks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The contenders by id, with their display names. */
public final class Contenders {
  /** memlock with its defaults (retry 1 to 32 ms, 64 local hand-offs). */
  public static final String MEMLOCK = "memlock";

  /** memlock without the local hand-off between threads of one client. */
  public static final String MEMLOCK_NO_COHORT = "memlock-nocohort";

  /** memlock with waiters polling every 1 to 4 ms instead of 1 to 32 ms. */
  public static final String MEMLOCK_FAST_RETRY = "memlock-retry1-4";

  /** memlock in quorum mode: three memcached servers, {@code replicas(3)}. */
  public static final String MEMLOCK_QUORUM = "memlock-quorum3";

  /** Raw meta add + compare-delete round trips: the floor of a memcached lock. */
  public static final String RAW = "raw";

  /** Diagnostic: memlock's own commands sent raw (see {@link RawMemcachedContender}). */
  public static final String RAW_MEMLOCK_COMMANDS = "raw-memlock-cmds";

  /** Redisson's RLock on Redis. */
  public static final String REDISSON = "redisson";

  /** Redisson's RFencedLock on Redis (a fencing token with every acquisition, like memlock). */
  public static final String REDISSON_FENCED = "redisson-fenced";

  /** ShedLock's memcached algorithm, as {@link ShedLockMemcachedProvider} re-implements it. */
  public static final String SHEDLOCK = "shedlock";

  /** Every contender id. */
  public static final List<String> ALL =
      List.of(
          MEMLOCK,
          MEMLOCK_NO_COHORT,
          MEMLOCK_FAST_RETRY,
          MEMLOCK_QUORUM,
          RAW,
          RAW_MEMLOCK_COMMANDS,
          REDISSON,
          REDISSON_FENCED,
          SHEDLOCK);

  private static final Map<String, String> LABELS =
      Map.of(
          MEMLOCK_QUORUM, "memlock, quorum of 3",
          MEMLOCK, "memlock",
          MEMLOCK_NO_COHORT, "memlock, no cohort",
          MEMLOCK_FAST_RETRY, "memlock, retry 1-4 ms",
          RAW, "raw limit",
          RAW_MEMLOCK_COMMANDS, "raw, memlock's commands",
          REDISSON, "Redisson RLock",
          REDISSON_FENCED, "Redisson RFencedLock",
          SHEDLOCK, "ShedLock-style");

  private Contenders() {}

  /**
   * Settings a scenario may change.
   *
   * @param lease memlock's leaseTime and Redisson's lockWatchdogTimeout; null for their defaults
   *     (30 s each)
   * @param countPolls whether memlock counts its waiters' polls ({@link LockContender#polls}),
   *     through a statistics listener, which costs the client a little
   */
  public record Settings(Duration lease, boolean countPolls) {
    /** The libraries' defaults. */
    public static final Settings DEFAULT = new Settings(null, false);

    /** The defaults, with memlock's polls counted (scenario 4). */
    public static final Settings COUNT_POLLS = new Settings(null, true);
  }

  /**
   * Returns a contender's display name.
   *
   * @param id the id
   * @return the name for tables and charts
   */
  public static String label(String id) {
    return LABELS.getOrDefault(id, id);
  }

  /**
   * Tells whether a contender needs the three quorum servers.
   *
   * @param id the id
   * @return true for {@link #MEMLOCK_QUORUM}
   */
  public static boolean needsQuorum(String id) {
    return id.equals(MEMLOCK_QUORUM);
  }

  /**
   * Tells whether a contender needs Redis.
   *
   * @param id the id
   * @return true for the Redisson contenders
   */
  public static boolean needsRedis(String id) {
    return id.startsWith(REDISSON);
  }

  /**
   * Connects a contender.
   *
   * @param id the id
   * @param servers the servers
   * @param names the lock names
   * @param settings lease settings
   * @return the contender
   * @throws IllegalArgumentException for an unknown id
   */
  public static LockContender open(
      String id, Servers servers, List<String> names, Settings settings) {
    return switch (id) {
      case MEMLOCK ->
          new MemlockContender(servers.memcached(), names, settings.lease(), null, null, 64)
              .countingPolls(settings.countPolls());
      case MEMLOCK_NO_COHORT ->
          new MemlockContender(servers.memcached(), names, settings.lease(), null, null, 0)
              .countingPolls(settings.countPolls());
      case MEMLOCK_FAST_RETRY ->
          new MemlockContender(
                  servers.memcached(),
                  names,
                  settings.lease(),
                  Duration.ofMillis(1),
                  Duration.ofMillis(4),
                  64)
              .countingPolls(settings.countPolls());
      case MEMLOCK_QUORUM ->
          new MemlockContender(servers.quorumServers(), names, settings.lease(), null, null, 64, 3)
              .countingPolls(settings.countPolls());
      case RAW -> new RawMemcachedContender(servers.memcached(), names, Backoff.DEFAULT, false);
      case RAW_MEMLOCK_COMMANDS ->
          new RawMemcachedContender(servers.memcached(), names, Backoff.DEFAULT, true);
      case REDISSON -> new RedissonContender(servers.redisUri(), names, false, settings.lease());
      case REDISSON_FENCED ->
          new RedissonContender(servers.redisUri(), names, true, settings.lease());
      case SHEDLOCK -> new ShedLockContender(servers.memcached(), names, Backoff.DEFAULT);
      default ->
          throw new IllegalArgumentException("unknown contender '" + id + "': use one of " + ALL);
    };
  }
}
