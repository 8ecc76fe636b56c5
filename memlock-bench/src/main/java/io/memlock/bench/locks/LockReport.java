package io.memlock.bench.locks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Renders a run's {@link Results} as markdown: one table per scenario, then the goals. */
public final class LockReport {
  /** Scenario 4: holdings per second over all processes. */
  public static final String ACQ_PER_S = "acquisitions_per_s";

  /** Scenario 4: median hand-off to any next holder. */
  public static final String HANDOFF_P50 = "handoff_p50_us";

  /** Scenario 4: 99th percentile hand-off to any next holder. */
  public static final String HANDOFF_P99 = "handoff_p99_us";

  /** Scenario 4: 99th percentile hand-off to another process. */
  public static final String CROSS_P99 = "cross_handoff_p99_us";

  /** Scenario 4: the share of hand-offs that went to another process. */
  public static final String CROSS_SHARE = "cross_share";

  /** Scenario 4: median wait from lock() to the acquisition. */
  public static final String WAIT_P50 = "wait_p50_us";

  /** Scenario 4: 99th percentile wait from lock() to the acquisition. */
  public static final String WAIT_P99 = "wait_p99_us";

  /** Scenario 4: Jain's fairness index of per-process acquisitions. */
  public static final String JAIN = "jain";

  /** Scenario 4: a waiter's polls per second of waiting (see HandoffAnalysis.Summary). */
  public static final String POLLS = "polls_per_wait_s";

  /** Scenario 4: hand-offs with two holders at once (must be 0). */
  public static final String OVERLAPS = "overlaps";

  /** Scenario 4: prefix of the per-process acquisition counts ({@code acquisitions_p0}, …). */
  public static final String PER_PROCESS = "acquisitions_p";

  /** Scenario 5: locks still held at the end of the window. */
  public static final String HELD = "locks_held";

  /** Scenario 5: locks reported lost by the library. */
  public static final String LOST = "locks_lost";

  /** Scenario 5: renewal commands per second seen by the server. */
  public static final String RENEWALS = "renewals_per_s";

  /** Scenario 5: all commands per second seen by the server. */
  public static final String SERVER_CMDS = "server_cmds_per_s";

  /** Scenario 5: CPU time of the client process, percent of one core. */
  public static final String CLIENT_CPU = "client_cpu_pct";

  /** Scenario 5: the measurement window's length. */
  public static final String WINDOW = "window_s";

  /** Scenario 5: CPU time of the server process, percent of one core. */
  public static final String SERVER_CPU = "server_cpu_pct";

  private LockReport() {}

  /**
   * Renders the tables.
   *
   * @param r the results
   * @return markdown
   */
  public static String render(Results r) {
    StringBuilder md = new StringBuilder();
    if (!r.run().isEmpty()) {
      md.append("Run:\n\n");
      for (Map.Entry<String, String> e : r.run().entrySet()) {
        md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
      md.append('\n');
    }
    scenario1(r, md);
    scenario2(r, md);
    scenario3(r, md);
    scenario4(r, md);
    scenario5(r, md);
    goals(r, md);
    return md.toString();
  }

  private static void scenario1(Results r, StringBuilder md) {
    if (r.contenders(1).isEmpty()) {
      return;
    }
    md.append("#### 1. Uncontended lock + unlock, one thread\n\n");
    md.append(
        "| contender | p50 µs | p99 µs | mean µs | p50 ÷ raw limit | allocated per lock + unlock |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    OptionalDouble raw = r.value(1, Contenders.RAW, 1, Measurement.P50);
    for (String c : r.contenders(1)) {
      OptionalDouble p50 = r.value(1, c, 1, Measurement.P50);
      md.append("| ")
          .append(Contenders.label(c))
          .append(" | ")
          .append(num(p50, "%.0f"))
          .append(" | ")
          .append(num(r.value(1, c, 1, Measurement.P99), "%.0f"))
          .append(" | ")
          .append(num(r.value(1, c, 1, "mean_us"), "%.0f"))
          .append(" | ")
          .append(ratio(p50, raw))
          .append(" | ")
          .append(num(r.value(1, c, 1, Goals.ALLOC), "%,.0f B"))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void scenario2(Results r, StringBuilder md) {
    List<Integer> threads = r.ns(2);
    if (threads.isEmpty()) {
      return;
    }
    md.append("#### 2. Throughput over ")
        .append(String.format(Locale.ROOT, "%,d", LockNames.COUNT))
        .append(" distinct names (lock + unlock per second)\n\n");
    StringBuilder header = new StringBuilder("| contender |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int t : threads) {
      header.append(' ').append(t).append(t == 1 ? " thread |" : " threads |");
      rule.append("---:|");
    }
    boolean alloc =
        r.contenders(2).stream().anyMatch(c -> r.value(2, c, 1, Goals.ALLOC).isPresent());
    if (alloc) {
      header.append(" bytes allocated per lock + unlock (1 thread) |");
      rule.append("---:|");
    }
    md.append(header).append('\n').append(rule).append('\n');
    for (String c : r.contenders(2)) {
      md.append("| ").append(Contenders.label(c)).append(" |");
      for (int t : threads) {
        md.append(' ').append(num(r.value(2, c, t, Measurement.OPS), "%,.0f")).append(" |");
      }
      if (alloc) {
        md.append(' ').append(num(r.value(2, c, 1, Goals.ALLOC), "%,.0f")).append(" |");
      }
      md.append('\n');
    }
    for (String peer : List.of(Contenders.RAW, Contenders.SHEDLOCK, Contenders.REDISSON)) {
      if (!r.contenders(2).contains(peer) || !r.contenders(2).contains(Contenders.MEMLOCK)) {
        continue;
      }
      md.append("| *memlock ÷ ").append(Contenders.label(peer)).append("* |");
      for (int t : threads) {
        md.append(' ')
            .append(
                ratio(
                    r.value(2, Contenders.MEMLOCK, t, Measurement.OPS),
                    r.value(2, peer, t, Measurement.OPS)))
            .append(" |");
      }
      md.append(alloc ? " |\n" : "\n");
    }
    md.append('\n');
  }

  private static void scenario3(Results r, StringBuilder md) {
    if (r.contenders(3).isEmpty()) {
      return;
    }
    int t = r.ns(3).get(r.ns(3).size() - 1);
    md.append("#### 3. One hot name, ").append(t).append(" threads in one JVM\n\n");
    md.append("| contender | lock + unlock per second | ÷ Redisson RLock |\n");
    md.append("|---|---:|---:|\n");
    OptionalDouble redisson = r.value(3, Contenders.REDISSON, t, Measurement.OPS);
    for (String c : r.contenders(3)) {
      OptionalDouble ops = r.value(3, c, t, Measurement.OPS);
      md.append("| ")
          .append(Contenders.label(c))
          .append(" | ")
          .append(num(ops, "%,.0f"))
          .append(" | ")
          .append(ratio(ops, redisson))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void scenario4(Results r, StringBuilder md) {
    if (r.contenders(4).isEmpty()) {
      return;
    }
    md.append("#### 4. One hot name across processes (one thread each)\n\n");
    md.append(
        "| contender | processes | acquisitions/s | hand-off p50 µs | p99 µs |"
            + " to another process: p50 µs | p99 µs | share | wait p50 µs | wait p99 µs |"
            + " Jain's index | polls/s per waiter | per process |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (String c : r.contenders(4)) {
      for (int p : r.ns(4)) {
        if (r.value(4, c, p, ACQ_PER_S).isEmpty()) {
          continue;
        }
        StringBuilder counts = new StringBuilder();
        for (int i = 0; i < p; i++) {
          counts.append(i == 0 ? "" : " / ").append(num(r.value(4, c, p, PER_PROCESS + i), "%.0f"));
        }
        md.append("| ")
            .append(Contenders.label(c))
            .append(" | ")
            .append(p)
            .append(" | ")
            .append(num(r.value(4, c, p, ACQ_PER_S), "%,.0f"))
            .append(" | ")
            .append(num(r.value(4, c, p, HANDOFF_P50), "%,.0f"))
            .append(" | ")
            .append(num(r.value(4, c, p, HANDOFF_P99), "%,.0f"))
            .append(" | ")
            .append(num(r.value(4, c, p, Goals.CROSS_P50), "%,.0f"))
            .append(" | ")
            .append(num(r.value(4, c, p, CROSS_P99), "%,.0f"))
            .append(" | ")
            .append(num(r.value(4, c, p, CROSS_SHARE), "%.2f"))
            .append(" | ")
            .append(num(r.value(4, c, p, WAIT_P50), "%,.0f"))
            .append(" | ")
            .append(num(r.value(4, c, p, WAIT_P99), "%,.0f"))
            .append(" | ")
            .append(num(r.value(4, c, p, JAIN), "%.2f"))
            .append(" | ")
            .append(num(r.value(4, c, p, POLLS), "%,.0f"))
            .append(" | ")
            .append(counts)
            .append(" |\n");
        OptionalDouble overlaps = r.value(4, c, p, OVERLAPS);
        if (overlaps.isPresent() && overlaps.getAsDouble() > 0) {
          md.append("|   | **")
              .append(num(overlaps, "%.0f"))
              .append(" overlapping holdings: mutual exclusion broken** | | | | | | | | | | | |\n");
        }
      }
    }
    md.append('\n');
  }

  private static void scenario5(Results r, StringBuilder md) {
    if (r.contenders(5).isEmpty()) {
      return;
    }
    md.append("#### 5. Many locks held at once, renewed by the watchdog\n\n");
    md.append(
        "| contender | lease s | locks held | lost | renewal commands/s | all server commands/s |"
            + " client CPU % of a core | server CPU % of a core | window |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (String c : r.contenders(5)) {
      for (int lease : r.ns(5)) {
        if (r.value(5, c, lease, HELD).isEmpty()) {
          continue;
        }
        md.append("| ")
            .append(Contenders.label(c))
            .append(" | ")
            .append(lease)
            .append(" | ")
            .append(num(r.value(5, c, lease, HELD), "%,.0f"))
            .append(" | ")
            .append(num(r.value(5, c, lease, LOST), "%,.0f"))
            .append(" | ")
            .append(num(r.value(5, c, lease, RENEWALS), "%,.0f"))
            .append(" | ")
            .append(num(r.value(5, c, lease, SERVER_CMDS), "%,.0f"))
            .append(" | ")
            .append(num(r.value(5, c, lease, CLIENT_CPU), "%.1f"))
            .append(" | ")
            .append(num(r.value(5, c, lease, SERVER_CPU), "%.1f"))
            .append(" | ")
            .append(num(r.value(5, c, lease, WINDOW), "%.1f s"))
            .append(" |\n");
      }
    }
    md.append('\n');
  }

  private static void goals(Results r, StringBuilder md) {
    md.append("#### Goals\n\n");
    if (r.run().getOrDefault("mode", "").startsWith("quick")) {
      md.append(
          "*Quick mode: JMH trials ran in one JVM with 0.2 s of warm-up, so the first contender"
              + " measured runs half-compiled; these verdicts only show that the harness works.*\n\n");
    }
    md.append("| # | goal | measured | verdict |\n");
    md.append("|---:|---|---|---|\n");
    for (Goals.Verdict v : Goals.judge(r)) {
      md.append("| ")
          .append(v.number())
          .append(" | ")
          .append(v.goal())
          .append(" | ")
          .append(v.measured())
          .append(" | ")
          .append(v.met() == null ? "not measured" : v.met() ? "met" : "**not met**")
          .append(" |\n");
    }
  }

  /**
   * Formats a value, or an en dash when it is missing or not a number.
   *
   * @param v the value
   * @param format a {@link String#format} pattern
   * @return the text
   */
  static String num(OptionalDouble v, String format) {
    if (v.isEmpty() || Double.isNaN(v.getAsDouble())) {
      return "–";
    }
    return String.format(Locale.ROOT, format, v.getAsDouble());
  }

  /**
   * Formats {@code a ÷ b} with two decimals, or an en dash.
   *
   * @param a the numerator
   * @param b the denominator
   * @return the text
   */
  static String ratio(OptionalDouble a, OptionalDouble b) {
    if (a.isEmpty() || b.isEmpty() || b.getAsDouble() == 0) {
      return "–";
    }
    return num(OptionalDouble.of(a.getAsDouble() / b.getAsDouble()), "%.2f");
  }
}
