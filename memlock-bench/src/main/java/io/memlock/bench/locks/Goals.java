package io.memlock.bench.locks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The six goals of issue 12, each judged from a run's {@link Results} as ratios measured in that
 * run.
 *
 * <ol>
 *   <li>Distinct names (scenario 2): memlock at least 0.8 × the raw limit's throughput at 16 and 64
 *       threads, and at least the ShedLock-style contender's at every thread count (1, 4, 16, 64).
 *   <li>Uncontended lock + unlock (scenario 1): memlock's p50 within 1.2 × the raw limit's.
 *   <li>One hot name across 2, 3 and 4 processes (scenario 4): memlock's p99 wait at most 10 ms,
 *       Jain's index at least 0.95, median hand-off to another process under 1 ms; a waiter's polls
 *       per second at most today's default ({@link #POLLS_PER_S}, when scenario 4 measures it).
 *   <li>One hot name, 16 threads in one JVM (scenario 3): memlock at least 50 × Redisson's RLock.
 *   <li>100,000 locks held and renewed by the watchdog, 30 s lease (scenario 5): none lost, client
 *       CPU under 5 % of a core, at most one renewal command per lock per renewal interval (a third
 *       of the lease).
 *   <li>Quorum mode, 3 servers (scenarios 1 and 2): uncontended p50 within 1.3 × single-server
 *       memlock's; throughput at 1 and 16 threads reported against memlock and Redisson.
 * </ol>
 */
public final class Goals {
  /** Scenario 4's metric for the median hand-off to another process. */
  public static final String CROSS_P50 = "cross_handoff_p50_us";

  /**
   * Scenario 4's metric for a waiting process's polls per second, when the scenario records it;
   * judged against {@link #POLLS_REFERENCE} of the same run, when recorded, or shown only.
   */
  public static final String POLLS_PER_S = LockReport.POLLS;

  /** Scenario 4's reference for {@link #POLLS_PER_S}: today's default's polls per second. */
  public static final String POLLS_REFERENCE = "polls_per_s_reference";

  /** Scenario 2's allocation per lock + unlock at one thread (JMH gc.alloc.rate.norm). */
  public static final String ALLOC = "alloc_bytes_per_op";

  /** Scenario 5's lease of goal 5, seconds. */
  static final int GOAL5_LEASE = 30;

  /**
   * One goal's verdict.
   *
   * @param number 1 to 6
   * @param goal what the goal asks
   * @param measured the measured ratios or values, as text
   * @param met true, false, or null when the run did not measure it
   */
  public record Verdict(int number, String goal, String measured, Boolean met) {
    /**
     * Returns the verdict as a word.
     *
     * @return {@code met}, {@code NOT met} or {@code not measured}
     */
    public String word() {
      return met == null ? "not measured" : met ? "met" : "NOT met";
    }
  }

  private Goals() {}

  /**
   * Judges the goals.
   *
   * @param r the run's results
   * @return six verdicts, in order
   */
  public static List<Verdict> judge(Results r) {
    return List.of(distinctNames(r), latency(r), handoff(r), hotName(r), renewals(r), quorum(r));
  }

  /** Collects parts of a verdict: all must hold, and every one must have been measured. */
  private static final class Parts {
    final List<String> text = new ArrayList<>();
    boolean met = true;
    boolean missing;

    void add(String t, boolean ok) {
      text.add(t);
      met &= ok;
    }

    void missing(String what) {
      text.add(what + ": not measured");
      missing = true;
    }

    /** Not met when a measured part fails; not measured when a part is missing and none fails. */
    Verdict verdict(int n, String goal) {
      boolean any = text.stream().anyMatch(t -> !t.endsWith("not measured"));
      Boolean verdict = any && !met ? Boolean.FALSE : any && !missing ? Boolean.TRUE : null;
      return new Verdict(n, goal, text.isEmpty() ? "–" : String.join("; ", text), verdict);
    }
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static Verdict distinctNames(Results r) {
    String goal =
        "distinct names: memlock ≥ 0.8 × raw limit at 16 and 64 threads, ≥ ShedLock-style at 1,"
            + " 4, 16 and 64 threads";
    Parts p = new Parts();
    for (int t : List.of(16, 64)) {
      OptionalDouble m = r.value(2, Contenders.MEMLOCK, t, Measurement.OPS);
      OptionalDouble raw = r.value(2, Contenders.RAW, t, Measurement.OPS);
      if (m.isEmpty() || raw.isEmpty()) {
        p.missing("÷ raw at " + t + " threads");
        continue;
      }
      double q = m.getAsDouble() / raw.getAsDouble();
      p.add(f("%.2f × raw at %d threads", q, t), q >= 0.8);
    }
    for (int t : List.of(1, 4, 16, 64)) {
      OptionalDouble m = r.value(2, Contenders.MEMLOCK, t, Measurement.OPS);
      OptionalDouble s = r.value(2, Contenders.SHEDLOCK, t, Measurement.OPS);
      if (m.isEmpty() || s.isEmpty()) {
        p.missing("÷ ShedLock-style at " + t + (t == 1 ? " thread" : " threads"));
        continue;
      }
      double q = m.getAsDouble() / s.getAsDouble();
      p.add(f("%.2f × ShedLock-style at %d", q, t), q >= 1);
    }
    OptionalDouble alloc = r.value(2, Contenders.MEMLOCK, 1, ALLOC);
    if (alloc.isPresent()) {
      p.text.add(f("memlock allocates %,.0f B per lock + unlock", alloc.getAsDouble()));
    }
    return p.verdict(1, goal);
  }

  private static Verdict latency(Results r) {
    String goal = "uncontended lock + unlock, 1 thread: memlock p50 ≤ 1.2 × raw limit p50";
    OptionalDouble m = r.value(1, Contenders.MEMLOCK, 1, Measurement.P50);
    OptionalDouble raw = r.value(1, Contenders.RAW, 1, Measurement.P50);
    if (m.isEmpty() || raw.isEmpty()) {
      return new Verdict(2, goal, "–", null);
    }
    double ratio = m.getAsDouble() / raw.getAsDouble();
    String text = f("%.2f × (%.0f / %.0f µs)", ratio, m.getAsDouble(), raw.getAsDouble());
    OptionalDouble m99 = r.value(1, Contenders.MEMLOCK, 1, Measurement.P99);
    OptionalDouble raw99 = r.value(1, Contenders.RAW, 1, Measurement.P99);
    if (m99.isPresent() && raw99.isPresent()) {
      text += f("; p99 %.2f ×", m99.getAsDouble() / raw99.getAsDouble());
    }
    return new Verdict(2, goal, text, ratio <= 1.2);
  }

  private static Verdict handoff(Results r) {
    String goal =
        "one hot name across 2, 3, 4 processes: p99 wait ≤ 10 ms, Jain's index ≥ 0.95, p50"
            + " hand-off to another process < 1 ms, polls/s ≤ today's default";
    Parts p = new Parts();
    for (int n : List.of(2, 3, 4)) {
      OptionalDouble wait = r.value(4, Contenders.MEMLOCK, n, LockReport.WAIT_P99);
      OptionalDouble jain = r.value(4, Contenders.MEMLOCK, n, LockReport.JAIN);
      OptionalDouble cross = r.value(4, Contenders.MEMLOCK, n, CROSS_P50);
      if (wait.isEmpty() || jain.isEmpty() || cross.isEmpty()) {
        p.missing(n + " processes");
        continue;
      }
      double c = cross.getAsDouble();
      boolean ok = wait.getAsDouble() <= 10_000 && jain.getAsDouble() >= 0.95 && c < 1000;
      String crossText =
          Double.isNaN(c) ? "no hand-off to another process" : f("%.2f ms", c / 1000);
      String text =
          f(
              "%d: wait p99 %.1f ms, Jain %.2f, cross p50 %s",
              n, wait.getAsDouble() / 1000, jain.getAsDouble(), crossText);
      OptionalDouble polls = r.value(4, Contenders.MEMLOCK, n, POLLS_PER_S);
      OptionalDouble ref = r.value(4, Contenders.MEMLOCK, n, POLLS_REFERENCE);
      if (polls.isPresent()) {
        text += f(", %.0f polls/s", polls.getAsDouble());
        if (ref.isPresent()) {
          text += f(" (today's default %.0f)", ref.getAsDouble());
          ok &= polls.getAsDouble() <= ref.getAsDouble();
        }
      }
      p.add(text, ok && !Double.isNaN(c));
    }
    return p.verdict(3, goal);
  }

  private static Verdict hotName(Results r) {
    String goal = "one hot name, 16 threads in one JVM: memlock ≥ 50 × Redisson RLock";
    OptionalDouble m = r.value(3, Contenders.MEMLOCK, 16, Measurement.OPS);
    OptionalDouble rd = r.value(3, Contenders.REDISSON, 16, Measurement.OPS);
    if (m.isEmpty() || rd.isEmpty()) {
      return new Verdict(4, goal, "–", null);
    }
    double ratio = m.getAsDouble() / rd.getAsDouble();
    return new Verdict(
        4,
        goal,
        f("%.1f × (%,.0f / %,.0f ops/s)", ratio, m.getAsDouble(), rd.getAsDouble()),
        ratio >= 50);
  }

  /**
   * Goal 5. Renewals per lock per interval: renewals/s × (lease / 3) ÷ locks held; 1.00 is one
   * renewal per lock per interval. The watchdog renews the holds due within a tenth of an interval
   * together, so the server sees about ten bursts per interval and a window of one interval counts
   * one burst more or less: up to 1.10 is still one renewal per lock.
   */
  private static Verdict renewals(Results r) {
    String goal =
        "100,000 locks renewed by the watchdog, 30 s lease: 0 lost, client CPU < 5 % of a core,"
            + " ≤ 1 renewal per lock per lease/3";
    int lease = GOAL5_LEASE;
    OptionalDouble held = r.value(5, Contenders.MEMLOCK, lease, LockReport.HELD);
    if (held.isEmpty()) {
      return new Verdict(5, goal, "– (no 30 s lease in this run)", null);
    }
    double lost = r.value(5, Contenders.MEMLOCK, lease, LockReport.LOST).orElse(Double.NaN);
    double cpu = r.value(5, Contenders.MEMLOCK, lease, LockReport.CLIENT_CPU).orElse(Double.NaN);
    double cmds = r.value(5, Contenders.MEMLOCK, lease, LockReport.SERVER_CMDS).orElse(Double.NaN);
    double perLock = cmds * lease / 3.0 / held.getAsDouble();
    String text =
        f(
            "%,.0f held, %.0f lost, client CPU %.1f %%, %,.0f commands/s = %.2f per lock per"
                + " interval",
            held.getAsDouble(), lost, cpu, cmds, perLock);
    OptionalDouble redisson = r.value(5, Contenders.REDISSON, lease, LockReport.HELD);
    if (redisson.isPresent()) {
      text +=
          f(
              "; Redisson: %,.0f held, client CPU %.1f %%",
              redisson.getAsDouble(),
              r.value(5, Contenders.REDISSON, lease, LockReport.CLIENT_CPU).orElse(Double.NaN));
    }
    boolean met = held.getAsDouble() >= 100_000 && lost == 0 && cpu < 5 && perLock <= 1.10;
    if (held.getAsDouble() < 100_000 && lost == 0) {
      text += " (fewer than the goal's 100,000 locks in this run)";
      return new Verdict(5, goal, text, cpu < 5 && perLock <= 1.10 ? null : false);
    }
    return new Verdict(5, goal, text, met);
  }

  private static Verdict quorum(Results r) {
    String goal = "quorum of 3 (replicas(3)): uncontended p50 ≤ 1.3 × single-server memlock's";
    OptionalDouble q = r.value(1, Contenders.MEMLOCK_QUORUM, 1, Measurement.P50);
    OptionalDouble m = r.value(1, Contenders.MEMLOCK, 1, Measurement.P50);
    if (q.isEmpty() || m.isEmpty()) {
      return new Verdict(6, goal, "–", null);
    }
    double ratio = q.getAsDouble() / m.getAsDouble();
    StringBuilder text =
        new StringBuilder(f("%.2f × (%.0f / %.0f µs)", ratio, q.getAsDouble(), m.getAsDouble()));
    for (int t : JmhScenarios.QUORUM_THREADS) {
      OptionalDouble qo = r.value(2, Contenders.MEMLOCK_QUORUM, t, Measurement.OPS);
      OptionalDouble mo = r.value(2, Contenders.MEMLOCK, t, Measurement.OPS);
      OptionalDouble ro = r.value(2, Contenders.REDISSON, t, Measurement.OPS);
      if (qo.isEmpty()) {
        continue;
      }
      text.append(
          f("; distinct names at %d thread%s: %,.0f/s", t, t == 1 ? "" : "s", qo.getAsDouble()));
      if (mo.isPresent()) {
        text.append(f(", %.2f × memlock", qo.getAsDouble() / mo.getAsDouble()));
      }
      if (ro.isPresent()) {
        text.append(f(", %.1f × Redisson", qo.getAsDouble() / ro.getAsDouble()));
      }
    }
    return new Verdict(6, goal, text.toString(), ratio <= 1.3);
  }
}
