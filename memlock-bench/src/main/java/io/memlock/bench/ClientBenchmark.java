package io.memlock.bench;

import io.memlock.testing.MemcachedServer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Raw {@code get} and {@code set} of a {@value Workload#VALUE_SIZE}-byte value over {@value
 * Workload#KEY_COUNT} keys, one synchronous operation per call, for each client in {@link #client}.
 *
 * <p>Each benchmark thread walks the keys in order from a random start. All threads of a trial
 * share one client, as an application would. Throughput and sample time (for percentiles) are
 * measured in separate runs. The thread count comes from the runner ({@code -t}, or {@code
 * --threads} of {@link BenchRunner}).
 *
 * <p>memcached is the one given by {@link #servers}; when that is empty each trial starts its own
 * ({@value #SERVER_MEGABYTES} MB, {@value #SERVER_THREADS} threads), so {@link BenchRunner} passes
 * one process it started to every trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ClientBenchmark {
  /** Item memory of a memcached started by a trial. */
  public static final int SERVER_MEGABYTES = 256;

  /** Worker threads of a memcached started by a trial. */
  public static final int SERVER_THREADS = 2;

  /** The client under test: {@code memlock}, {@code xmemcached} or {@code spymemcached}. */
  @Param({"memlock", "xmemcached", "spymemcached"})
  public String client;

  /** memcached's {@code host:port}; empty to start a memcached process for the trial. */
  @Param("")
  public String servers;

  /** memlock only: connections per server, 0 for memlock's default (1). */
  @Param("0")
  public int memlockConnections;

  /** memlock only: event loop threads, 0 for memlock's default (2, or 1 on one core). */
  @Param("0")
  public int memlockIoThreads;

  private MemcachedServer server;
  private BenchClient bench;

  /**
   * Starts memcached if needed, connects the client and stores every key.
   *
   * @throws IllegalStateException if memcached cannot be started or a key does not read back
   */
  @Setup(Level.Trial)
  public void setUp() {
    String address = servers.trim();
    if (address.isEmpty()) {
      server =
          MemcachedServer.builder()
              .memoryMegabytes(SERVER_MEGABYTES)
              .threads(SERVER_THREADS)
              .start();
      address = server.hostAndPort();
    }
    try {
      bench = BenchClient.open(client, address, memlockConnections, memlockIoThreads);
      bench.populate();
    } catch (RuntimeException e) {
      tearDown();
      throw e;
    }
  }

  /** Closes the client and the memcached this trial started, if any. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (bench != null) {
        bench.close();
      }
    } finally {
      bench = null;
      if (server != null) {
        server.close();
        server = null;
      }
    }
  }

  /**
   * Reads one key.
   *
   * @param keys this thread's position in the keys
   * @return the value, consumed by JMH
   */
  @Benchmark
  public byte[] get(KeyCursor keys) {
    return bench.get(keys.next());
  }

  /**
   * Stores one key.
   *
   * @param keys this thread's position in the keys
   * @return true, consumed by JMH
   */
  @Benchmark
  public boolean set(KeyCursor keys) {
    return bench.set(keys.next());
  }

  /** One benchmark thread's walk over the keys. */
  @State(Scope.Thread)
  public static class KeyCursor {
    private int next;

    /** Starts at a random key, so that threads do not all hit the same key at once. */
    @Setup(Level.Trial)
    public void start() {
      next = ThreadLocalRandom.current().nextInt(Workload.KEY_COUNT);
    }

    /**
     * Returns the next key index.
     *
     * @return an index from 0 to {@link Workload#KEY_COUNT} - 1
     */
    public int next() {
      int i = next;
      next = i + 1 == Workload.KEY_COUNT ? 0 : i + 1;
      return i;
    }
  }
}
