package io.memlock.bench.locks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one run of {@link LockBenchRunner} does: which scenarios and contenders, and how long it
 * measures. The full run warms each JMH trial up for 5 s: with 2 s, memlock's deeper lock path was
 * still being compiled during the measurement on a loaded 2-core machine (its score rose from one
 * iteration to the next), which would compare a half-compiled memlock with a compiled raw client.
 * Two presets: the full run (about 11 minutes on 2 cores) and {@code --quick} (about a minute, a
 * smoke test whose numbers are not for publishing: JMH trials in the runner's JVM, 16 threads only,
 * and only {@link #QUICK_CONTENDERS} unless {@code --contenders} names others).
 *
 * @param quick the quick preset
 * @param out where results go
 * @param scenarios the scenarios to run, 1 to 5
 * @param only contender ids to keep, or empty for every contender of each scenario
 * @param threads scenario 2's thread counts
 * @param hotThreads scenario 3's thread count
 * @param processes scenario 4's process counts
 * @param locks scenario 5's number of locks held at the 30 s lease (at most 10,000 at shorter ones)
 * @param leases scenario 5's lease seconds, each with its measurement window
 * @param forks JMH forks per trial (0 runs trials in the runner's JVM)
 * @param warmups JMH warm-up iterations
 * @param warmup the length of each
 * @param iterations JMH measurement iterations
 * @param iteration the length of each
 * @param handoffWarm scenario 4's warm-up per round
 * @param handoffMeasure scenario 4's window per round
 */
public record RunOptions(
    boolean quick,
    Path out,
    Set<Integer> scenarios,
    List<String> only,
    List<Integer> threads,
    int hotThreads,
    List<Integer> processes,
    int locks,
    Map<Integer, Duration> leases,
    int forks,
    int warmups,
    Duration warmup,
    int iterations,
    Duration iteration,
    Duration handoffWarm,
    Duration handoffMeasure) {

  /** The usage text. */
  public static final String USAGE =
      """
      usage: LockBenchRunner [--quick] [--out DIR] [--scenarios 1,2,3,4,5]
                             [--contenders memlock,raw,redisson,...] [--threads 1,4,16,64]
                             [--processes 2,3,4] [--locks 10000]
        --quick        about a minute: short iterations, JMH trials in this JVM, only memlock,
                       memlock-quorum3, raw, redisson and shedlock, 16 threads, 2 and 4
                       processes, one 6 s lease with 10000 locks; numbers only for a smoke test
        --render JSON  only redraw the markdown, CSV and chart of an earlier run's JSON
        --out DIR      where results go (default target)
        --scenarios    which scenarios to run (default all)
        --contenders   keep only these contenders (default: every one each scenario applies to);
                       ids: %s
        --threads      scenario 2's thread counts
        --processes    scenario 4's process counts (each 1 to 8)
        --locks        scenario 5's number of locks held at the 30 s lease (default 100000;
                       shorter leases hold at most 10000)
      """
          .formatted(String.join(", ", Contenders.ALL));

  /** Contenders of each scenario, in table order. */
  static final Map<Integer, List<String>> CONTENDERS =
      Map.of(
          1,
          List.of(
              Contenders.MEMLOCK,
              Contenders.MEMLOCK_QUORUM,
              Contenders.RAW,
              Contenders.RAW_MEMLOCK_COMMANDS,
              Contenders.REDISSON,
              Contenders.REDISSON_FENCED,
              Contenders.SHEDLOCK),
          2,
          // RFencedLock's path is RLock's plus a counter: scenarios 1 and 3 show it; leaving it
          // out here buys the longer warm-up the full run needs.
          List.of(
              Contenders.MEMLOCK,
              Contenders.MEMLOCK_QUORUM,
              Contenders.RAW,
              Contenders.REDISSON,
              Contenders.SHEDLOCK),
          3,
          List.of(
              Contenders.MEMLOCK,
              Contenders.MEMLOCK_NO_COHORT,
              Contenders.RAW,
              Contenders.REDISSON,
              Contenders.REDISSON_FENCED,
              Contenders.SHEDLOCK),
          4,
          List.of(
              Contenders.MEMLOCK,
              Contenders.MEMLOCK_FAST_RETRY,
              Contenders.RAW,
              Contenders.REDISSON,
              Contenders.SHEDLOCK),
          5,
          List.of(Contenders.MEMLOCK, Contenders.REDISSON));

  /**
   * The contenders of the quick preset: memlock (single and quorum), the raw limit and the peers.
   */
  static final List<String> QUICK_CONTENDERS =
      List.of(
          Contenders.MEMLOCK,
          Contenders.MEMLOCK_QUORUM,
          Contenders.RAW,
          Contenders.REDISSON,
          Contenders.SHEDLOCK);

  /** Checks the options. */
  public RunOptions {
    for (int s : scenarios) {
      if (s < 1 || s > 5) {
        throw new IllegalArgumentException("scenarios are 1 to 5, not " + s);
      }
    }
    for (String c : only) {
      if (!Contenders.ALL.contains(c)) {
        throw new IllegalArgumentException(
            "unknown contender '" + c + "': use one of " + Contenders.ALL);
      }
    }
    if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1 || t > 1024)) {
      throw new IllegalArgumentException("thread counts must be 1 to 1024: " + threads);
    }
    if (processes.isEmpty() || processes.stream().anyMatch(p -> p < 1 || p > 8)) {
      throw new IllegalArgumentException("process counts must be 1 to 8: " + processes);
    }
    if (locks < 1) {
      throw new IllegalArgumentException("--locks must be at least 1, not " + locks);
    }
    scenarios = Set.copyOf(scenarios);
    only = List.copyOf(only);
    threads = List.copyOf(threads);
    processes = List.copyOf(processes);
    leases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(leases));
  }

  /**
   * Parses the command line.
   *
   * @param args the arguments, see {@link #USAGE}
   * @return the options
   * @throws IllegalArgumentException for an unknown option or a bad value
   */
  public static RunOptions parse(String... args) {
    boolean quick = Arrays.asList(args).contains("--quick");
    Path out = Path.of("target");
    Set<Integer> scenarios = new TreeSet<>(List.of(1, 2, 3, 4, 5));
    List<String> only = List.of();
    List<Integer> threads = quick ? List.of(16) : List.of(1, 4, 16, 64);
    List<Integer> processes = quick ? List.of(2, 4) : List.of(2, 3, 4);
    // Goal 5: 100,000 locks at the 30 s lease (the 6 s lease holds at most 10,000, see
    // RenewalScenario); the quick preset's one 6 s lease holds 10,000.
    int locks = quick ? 10_000 : 100_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> {}
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--scenarios" -> scenarios = new TreeSet<>(ints(value(args, ++i, "--scenarios")));
        case "--contenders" -> only = strings(value(args, ++i, "--contenders"));
        case "--threads" -> threads = ints(value(args, ++i, "--threads"));
        case "--processes" -> processes = ints(value(args, ++i, "--processes"));
        case "--locks" -> locks = ints(value(args, ++i, "--locks")).get(0);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
      }
    }
    Map<Integer, Duration> leases = new LinkedHashMap<>();
    if (quick) {
      leases.put(6, Duration.ofSeconds(2));
      return new RunOptions(
          true,
          out,
          scenarios,
          only,
          threads,
          16,
          processes,
          locks,
          leases,
          0,
          1,
          Duration.ofMillis(200),
          1,
          Duration.ofMillis(400),
          Duration.ofMillis(200),
          Duration.ofMillis(500));
    }
    // Windows of whole renewal intervals (a third of the lease): one of 10 s, two of 2 s. The
    // locks' renewals are spread evenly over the interval (see RenewalWorker), so one interval
    // already counts every lock once.
    leases.put(30, Duration.ofSeconds(10));
    leases.put(6, Duration.ofSeconds(4));
    return new RunOptions(
        false,
        out,
        scenarios,
        only,
        threads,
        16,
        processes,
        locks,
        leases,
        1,
        5,
        Duration.ofSeconds(1),
        3,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(3));
  }

  /**
   * Returns the contenders a scenario runs.
   *
   * @param scenario 1 to 5
   * @return its contenders, less those {@code --contenders} leaves out; empty if the scenario is
   *     not selected
   */
  public List<String> contenders(int scenario) {
    if (!scenarios.contains(scenario)) {
      return List.of();
    }
    List<String> cs = new ArrayList<>(CONTENDERS.get(scenario));
    if (!only.isEmpty()) {
      cs.retainAll(only);
    } else if (quick) {
      cs.retainAll(QUICK_CONTENDERS);
    }
    return cs;
  }

  /**
   * Tells whether any selected contender needs the three quorum servers.
   *
   * @return true if they must be started
   */
  public boolean needsQuorum() {
    for (int s = 1; s <= 5; s++) {
      if (contenders(s).stream().anyMatch(Contenders::needsQuorum)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether any selected contender needs Redis.
   *
   * @return true if Redis must be started
   */
  public boolean needsRedis() {
    for (int s = 1; s <= 5; s++) {
      if (contenders(s).stream().anyMatch(Contenders::needsRedis)) {
        return true;
      }
    }
    return false;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static List<Integer> ints(String list) {
    try {
      return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a list of numbers: " + list, e);
    }
  }

  private static List<String> strings(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
