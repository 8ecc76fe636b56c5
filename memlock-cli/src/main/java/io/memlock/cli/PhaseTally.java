package io.memlock.cli;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Counts the orders of one demo phase as the workers report them. */
final class PhaseTally {
  private int orders;
  private int sold;
  private long[] latencies = new long[1024];
  private int samples;
  private final Set<Long> fences = new HashSet<>();

  /**
   * Adds one worker line {@code O <sold 0|1> <acquire ns> <fence>}.
   *
   * @param line the line
   */
  synchronized void add(String line) {
    String[] parts = line.split(" ");
    orders++;
    if (parts[1].equals("1")) {
      sold++;
    }
    long fence = Long.parseLong(parts[3]);
    if (fence >= 0) {
      if (samples == latencies.length) {
        latencies = Arrays.copyOf(latencies, samples * 2);
      }
      latencies[samples++] = Long.parseLong(parts[2]);
      fences.add(fence);
    }
  }

  /** Returns the orders reported so far. */
  synchronized int orders() {
    return orders;
  }

  /** Returns the orders that sold a unit. */
  synchronized int sold() {
    return sold;
  }

  /** Returns how many distinct fencing tokens the lock handed out. */
  synchronized int distinctFences() {
    return fences.size();
  }

  /** Returns how many acquisitions of the lock were reported. */
  synchronized int acquisitions() {
    return samples;
  }

  /**
   * Returns a percentile of the lock's acquire latency.
   *
   * @param p the percentile, 0 to 100
   * @return nanoseconds, or -1 without samples
   */
  synchronized long latencyPercentile(double p) {
    int n = samples;
    if (n == 0) {
      return -1;
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, index))];
  }
}
