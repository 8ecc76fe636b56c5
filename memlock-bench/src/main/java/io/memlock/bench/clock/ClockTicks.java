package io.memlock.bench.clock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;

/**
 * Follows one memcached's clock ticks through a long-lived item: {@code mg <clock item> t} answers
 * the seconds left, which drop exactly when memcached's {@code current_time} moves. A drop seen
 * between two reads places a tick between the earlier read's send and the later read's reply; two
 * such ticks bound the interval between them. A drop by 2 is a skip.
 */
final class ClockTicks {
  /** One interval between two observed ticks: its bounds in nanoseconds and the seconds counted. */
  record Interval(long low, long high, long advanced) {}

  private final Queue<Interval> intervals;
  private long lastValue = -1;
  private long lastSent;
  private long tickLow;
  private long tickHigh;

  ClockTicks(Queue<Interval> intervals) {
    this.intervals = intervals;
  }

  /**
   * Records a read that answered {@code remaining}, sent at {@code sent}, answered at {@code
   * replied}.
   */
  void observe(long remaining, long sent, long replied) {
    if (lastValue >= 0 && remaining < lastValue) {
      long low = lastSent;
      long high = replied;
      if (tickHigh != 0) {
        intervals.add(new Interval(low - tickHigh, high - tickLow, lastValue - remaining));
      }
      tickLow = low;
      tickHigh = high;
    }
    lastValue = remaining;
    lastSent = sent;
  }

  /** Parses the {@code t} flag of an {@code mg} reply such as {@code HD t86399}. */
  static long remaining(String reply) {
    for (String token : reply.split(" ")) {
      if (token.startsWith("t") && token.length() > 1) {
        return Long.parseLong(token.substring(1));
      }
    }
    throw new IllegalArgumentException("no t flag in " + reply);
  }

  /** A line about the ticks: how many, the skips, and the intervals measured to within 10 ms. */
  static String summary(Queue<Interval> intervals) {
    List<Interval> all = new ArrayList<>(intervals);
    long skips = all.stream().filter(i -> i.advanced() >= 2).count();
    long maxAdvanced = all.stream().mapToLong(Interval::advanced).max().orElse(0);
    long precision = 10_000_000;
    long[] precise =
        all.stream()
            .filter(i -> i.high() - i.low() <= precision && i.advanced() <= 2)
            .mapToLong(i -> (i.low() + i.high()) / 2)
            .toArray();
    long surelyLongest = all.stream().mapToLong(Interval::low).max().orElse(0);
    Distribution d = new Distribution(precise);
    return String.format(
        Locale.ROOT,
        "clock: %d tick intervals seen, %d skips (current_time moved by 2; largest move %d);"
            + " intervals known to 10 ms: median %s, p99 %s, max %s (n=%d); longest interval at"
            + " least %s",
        all.size(),
        skips,
        maxAdvanced,
        Distribution.seconds(d.quantile(0.5)),
        Distribution.seconds(d.quantile(0.99)),
        Distribution.seconds(d.max()),
        d.count(),
        Distribution.seconds(surelyLongest));
  }
}
