package io.memlock.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints the demo's table: one column per phase. */
final class DemoReport {
  private DemoReport() {}

  /**
   * Prints the table and what it shows.
   *
   * @param out where to print
   * @param free the phase without a lock
   * @param locked the phase with memlock
   */
  static void print(PrintWriter out, PhaseResult free, PhaseResult locked) {
    out.println();
    row(out, "", "without a lock", "with memlock");
    row(out, "orders", free.tally().orders(), locked.tally().orders());
    row(out, "sold", free.tally().sold(), locked.tally().sold());
    row(out, "stock left", free.stockLeft(), locked.stockLeft());
    row(out, "oversold", free.oversold(), locked.oversold());
    row(out, "lost updates", free.lostUpdates(), locked.lostUpdates());
    row(out, "time", seconds(free.elapsedNanos()), seconds(locked.elapsedNanos()));
    row(
        out,
        "acquisitions/s",
        "-",
        String.format(Locale.ROOT, "%.0f", locked.acquisitionsPerSecond()));
    row(out, "acquire p50", "-", millis(locked.tally().latencyPercentile(50)));
    row(out, "acquire p99", "-", millis(locked.tally().latencyPercentile(99)));
    row(out, "fencing tokens", "-", locked.tally().distinctFences() + " distinct");
    out.println();
    out.println(summary("Without a lock", free));
    out.println(summary("With memlock", locked));
    out.flush();
  }

  private static String summary(String what, PhaseResult r) {
    String sold = what + ": " + r.tally().sold() + " units sold from a stock of " + r.initial();
    if (r.oversold() == 0 && r.lostUpdates() == 0) {
      return sold
          + ", "
          + r.stockLeft()
          + " left: none oversold, no lost updates"
          + (r.locked()
              ? ";\n  each of the "
                  + r.tally().acquisitions()
                  + " acquisitions had its own fencing token."
              : ".");
    }
    return sold
        + ": "
        + r.oversold()
        + " oversold;\n  "
        + r.lostUpdates()
        + " sales overwrote each other's stock update and never reached the count (lost updates).";
  }

  private static void row(PrintWriter out, String label, Object free, Object locked) {
    out.println(String.format(Locale.ROOT, "%-16s %16s %16s", label, free, locked));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static String millis(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
