package io.memlock.bench.locks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The four goals of the lock comparison, judged from a run's {@link Results}.
 *
 * <ol>
 *   <li>Uncontended lock + unlock (scenario 1): memlock's p50 within 1.2 × the raw limit's.
 *   <li>Throughput over distinct names (scenario 2): memlock at least 2 × Redisson's RLock at 16
 *       threads and more.
 *   <li>One hot name, 16 threads in one JVM (scenario 3): memlock at least 10 × Redisson's RLock.
 *   <li>One hot name across processes (scenario 4): memlock's median cross-process hand-off under 2
 *       ms at every process count measured.
 * </ol>
 */
public final class Goals {
  /** Scenario 4's metric for the median hand-off to another process. */
  public static final String CROSS_P50 = "cross_handoff_p50_us";

  /**
   * One goal's verdict.
   *
   * @param number 1 to 4
   * @param goal what the goal asks
   * @param measured the measured ratio or value, as text
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
   * @return four verdicts, in order
   */
  public static List<Verdict> judge(Results r) {
    List<Verdict> verdicts = new ArrayList<>();
    verdicts.add(latency(r));
    verdicts.add(throughput(r));
    verdicts.add(hotName(r));
    verdicts.add(handoff(r));
    return verdicts;
  }

  private static Verdict latency(Results r) {
    String goal = "uncontended lock + unlock: memlock p50 ≤ 1.2 × raw limit p50";
    OptionalDouble m = r.value(1, Contenders.MEMLOCK, 1, Measurement.P50);
    OptionalDouble raw = r.value(1, Contenders.RAW, 1, Measurement.P50);
    if (m.isEmpty() || raw.isEmpty()) {
      return new Verdict(1, goal, "–", null);
    }
    double ratio = m.getAsDouble() / raw.getAsDouble();
    String text =
        String.format(
            Locale.ROOT, "%.2f × (%.0f / %.0f µs)", ratio, m.getAsDouble(), raw.getAsDouble());
    OptionalDouble m99 = r.value(1, Contenders.MEMLOCK, 1, Measurement.P99);
    OptionalDouble raw99 = r.value(1, Contenders.RAW, 1, Measurement.P99);
    if (m99.isPresent() && raw99.isPresent()) {
      text += String.format(Locale.ROOT, "; p99 %.2f ×", m99.getAsDouble() / raw99.getAsDouble());
    }
    return new Verdict(1, goal, text, ratio <= 1.2);
  }

  private static Verdict throughput(Results r) {
    String goal = "distinct names: memlock ≥ 2 × Redisson RLock at 16 threads and more";
    List<String> parts = new ArrayList<>();
    Boolean met = null;
    for (int t : r.ns(2)) {
      if (t < 16) {
        continue;
      }
      OptionalDouble m = r.value(2, Contenders.MEMLOCK, t, Measurement.OPS);
      OptionalDouble rd = r.value(2, Contenders.REDISSON, t, Measurement.OPS);
      if (m.isEmpty() || rd.isEmpty()) {
        continue;
      }
      double ratio = m.getAsDouble() / rd.getAsDouble();
      parts.add(String.format(Locale.ROOT, "%.2f × at %d threads", ratio, t));
      met = (met == null || met) && ratio >= 2;
    }
    return new Verdict(2, goal, parts.isEmpty() ? "–" : String.join(", ", parts), met);
  }

  private static Verdict hotName(Results r) {
    String goal = "one hot name, 16 threads: memlock ≥ 10 × Redisson RLock";
    OptionalDouble m = r.value(3, Contenders.MEMLOCK, 16, Measurement.OPS);
    OptionalDouble rd = r.value(3, Contenders.REDISSON, 16, Measurement.OPS);
    if (m.isEmpty() || rd.isEmpty()) {
      return new Verdict(3, goal, "–", null);
    }
    double ratio = m.getAsDouble() / rd.getAsDouble();
    return new Verdict(
        3,
        goal,
        String.format(
            Locale.ROOT, "%.1f × (%,.0f / %,.0f ops/s)", ratio, m.getAsDouble(), rd.getAsDouble()),
        ratio >= 10);
  }

  private static Verdict handoff(Results r) {
    String goal = "hot name across processes: memlock p50 hand-off < 2 ms";
    List<String> parts = new ArrayList<>();
    Boolean met = null;
    for (int p : r.ns(4)) {
      OptionalDouble m = r.value(4, Contenders.MEMLOCK, p, CROSS_P50);
      if (m.isEmpty()) {
        continue;
      }
      double v = m.getAsDouble();
      parts.add(
          Double.isNaN(v)
              ? "no hand-off to another process with " + p + " processes"
              : String.format(Locale.ROOT, "%.2f ms with %d processes", v / 1000, p));
      met = (met == null || met) && v < 2000;
    }
    return new Verdict(4, goal, parts.isEmpty() ? "–" : String.join(", ", parts), met);
  }
}
