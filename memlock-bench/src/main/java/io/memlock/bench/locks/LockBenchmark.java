package io.memlock.bench.locks;

import io.memlock.testing.MemcachedServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Lock + unlock through each contender, one synchronous call each, as an application would write it
 * ({@code lock(); try { } finally { unlock(); }} with an empty critical section).
 *
 * <ul>
 *   <li>{@link #distinctNames}: each benchmark thread has its own share of the {@value
 *       LockNames#COUNT} names (thread k of n takes names k, k + n, k + 2n, …, in turn), so no two
 *       threads ever want the same name: the cost of the lock path itself, uncontended. At one
 *       thread in sample-time mode this is scenario 1 (latency); in throughput mode at 1 to 64
 *       threads, scenario 2.
 *   <li>{@link #hotName}: every thread locks the same name (scenario 3). A shared counter checks
 *       that no two threads are ever inside at once; the trial fails if they are.
 * </ul>
 *
 * <p>All threads of a trial share one client of the contender, as an application would. memcached
 * and Redis are the ones given by {@link #memcached} and {@link #redis}; when empty, the trial
 * starts its own. {@link LockBenchRunner} starts one of each for the whole run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LockBenchmark {
  /** The contender, one of {@link Contenders#ALL}. */
  @Param({"memlock", "raw", "redisson", "redisson-fenced", "shedlock"})
  public String contender;

  /** memcached's {@code host:port}; empty to start one for the trial. */
  @Param("")
  public String memcached;

  /** Redis's {@code host:port}; empty to start one for the trial if the contender needs it. */
  @Param("")
  public String redis;

  /** The quorum contender's three memcached servers, separated by commas. */
  @Param("")
  public String quorum;

  private MemcachedServer ownMemcached;
  private RedisServer ownRedis;
  private LockContender lock;
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicLong overlaps = new AtomicLong();

  /** Starts servers if needed and connects the contender. */
  @Setup(Level.Trial)
  public void setUp() {
    String mc = memcached.trim();
    String rd = redis.trim();
    try {
      if (mc.isEmpty()) {
        ownMemcached = MemcachedServer.builder().memoryMegabytes(256).threads(2).start();
        mc = ownMemcached.hostAndPort();
      }
      if (rd.isEmpty() && Contenders.needsRedis(contender)) {
        ownRedis = RedisServer.start();
        rd = ownRedis.hostAndPort();
      }
      lock =
          LockContender.open(contender, new Servers(mc, rd, quorum.trim()), LockNames.standard());
    } catch (RuntimeException e) {
      tearDown();
      throw e;
    }
  }

  /**
   * Closes the contender and the servers this trial started.
   *
   * @throws IllegalStateException if two threads were inside the hot lock at once
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (lock != null) {
        lock.close();
      }
    } finally {
      lock = null;
      if (ownRedis != null) {
        ownRedis.close();
        ownRedis = null;
      }
      if (ownMemcached != null) {
        ownMemcached.close();
        ownMemcached = null;
      }
    }
    if (overlaps.get() > 0) {
      throw new IllegalStateException(
          contender + ": " + overlaps.get() + " times two threads held the hot lock at once");
    }
  }

  /**
   * Locks and unlocks this thread's next name.
   *
   * @param names this thread's share of the names
   * @return the fencing token, consumed by JMH
   * @throws InterruptedException never in practice
   */
  @Benchmark
  public long distinctNames(NameCursor names) throws InterruptedException {
    int i = names.next();
    long token = lock.lock(i, LockContender.FOREVER);
    lock.unlock(i);
    return token;
  }

  /**
   * Locks and unlocks the hot name.
   *
   * @return the fencing token, consumed by JMH
   * @throws InterruptedException never in practice
   */
  @Benchmark
  public long hotName() throws InterruptedException {
    long token = lock.lock(LockNames.HOT, LockContender.FOREVER);
    if (inside.incrementAndGet() != 1) {
      overlaps.incrementAndGet();
    }
    inside.decrementAndGet();
    lock.unlock(LockNames.HOT);
    return token;
  }

  /** One benchmark thread's share of the names. */
  @State(Scope.Thread)
  public static class NameCursor {
    private int first;
    private int step;
    private int next;

    /**
     * Takes names {@code k, k + n, k + 2n, …} for thread {@code k} of {@code n}.
     *
     * @param thread JMH's thread index and count
     */
    @Setup(Level.Trial)
    public void start(ThreadParams thread) {
      step = thread.getThreadCount();
      first = thread.getThreadIndex() % LockNames.COUNT;
      next = first;
    }

    /**
     * Returns the next name's index.
     *
     * @return an index below {@link LockNames#COUNT}
     */
    public int next() {
      int i = next;
      next = i + step < LockNames.COUNT ? i + step : first;
      return i;
    }
  }
}
