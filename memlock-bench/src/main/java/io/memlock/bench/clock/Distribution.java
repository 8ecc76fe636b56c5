package io.memlock.bench.clock;

import java.util.Arrays;
import java.util.Locale;

/** Order statistics of a list of durations in nanoseconds, printed in seconds. */
final class Distribution {
  private final long[] sorted;

  Distribution(long[] values) {
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The value at quantile {@code q} (nearest rank), or 0 when empty. */
  long quantile(double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  long min() {
    return quantile(0);
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  long countBelow(long limit) {
    long n = 0;
    for (long v : sorted) {
      if (v < limit) {
        n++;
      }
    }
    return n;
  }

  /** {@code min / p0.1 / median / max} in seconds. */
  String summary() {
    return String.format(
        Locale.ROOT,
        "min %s  p0.1 %s  median %s  max %s (n=%d)",
        seconds(min()),
        seconds(quantile(0.001)),
        seconds(quantile(0.5)),
        seconds(max()),
        count());
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.4f s", nanos / 1e9);
  }
}
