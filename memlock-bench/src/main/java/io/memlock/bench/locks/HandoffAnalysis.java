package io.memlock.bench.locks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the holdings that several processes recorded on one hot lock into hand-off latency and
 * fairness (scenario 4).
 *
 * <p>Each process records, for every holding, the {@link System#nanoTime()} right after its {@code
 * lock()} returned ({@code acquired}) and right before it called {@code unlock()} ({@code
 * released}). On Linux {@code System.nanoTime()} reads {@code CLOCK_MONOTONIC}, one clock for all
 * processes of the machine, so instants of different processes compare. Sorted by {@code acquired},
 * each holding's <b>hand-off</b> is the time from the previous holding's {@code released} to its
 * own {@code acquired}: from the instant the holder decided to unlock to the instant the next
 * holder could run. It is a <b>cross-process</b> hand-off when the two holdings belong to different
 * processes. A negative gap would mean two holders at once; it is counted as an overlap.
 */
public final class HandoffAnalysis {
  /**
   * One holding.
   *
   * @param process the index of the process that held the lock
   * @param called nanoTime before {@code lock()} was called
   * @param acquired nanoTime after the lock was acquired
   * @param released nanoTime before the unlock was called
   * @param polls attempts of this {@code lock()} call that found the lock held and polled again; -1
   *     when not counted
   */
  public record Holding(int process, long called, long acquired, long released, long polls) {
    /**
     * A holding whose polls were not counted.
     *
     * @param process the index of the process that held the lock
     * @param called nanoTime before {@code lock()} was called
     * @param acquired nanoTime after the lock was acquired
     * @param released nanoTime before the unlock was called
     */
    public Holding(int process, long called, long acquired, long released) {
      this(process, called, acquired, released, -1);
    }
  }

  /**
   * The summary of one round.
   *
   * @param holdings holdings whose acquisition fell in the measurement window
   * @param perProcess those holdings by process
   * @param handoffP50Micros median hand-off (any next holder), µs; NaN with fewer than 2 holdings
   * @param handoffP99Micros 99th percentile of it
   * @param crossP50Micros median cross-process hand-off, µs; NaN when there was none
   * @param crossP99Micros 99th percentile of it
   * @param crossFraction the share of hand-offs that went to another process
   * @param waitP50Micros median wait from {@code lock()} to the acquisition, µs
   * @param waitP99Micros 99th percentile of it
   * @param jain Jain's fairness index of the per-process counts: 1 when all processes got the lock
   *     equally often, 1/n when one process got it every time
   * @param overlaps hand-offs with a negative gap (two holders at once); must be 0
   * @param perSecond holdings per second of the window
   * @param pollsPerWaitSecond a waiter's polls per second: the polls of the holdings in the window
   *     (attempts that found the lock held and polled again) divided by those holdings' waits (from
   *     {@code lock()} to the acquisition), summed over all processes; NaN when not counted
   */
  public record Summary(
      int holdings,
      long[] perProcess,
      double handoffP50Micros,
      double handoffP99Micros,
      double crossP50Micros,
      double crossP99Micros,
      double crossFraction,
      double waitP50Micros,
      double waitP99Micros,
      double jain,
      int overlaps,
      double perSecond,
      double pollsPerWaitSecond) {}

  private HandoffAnalysis() {}

  /**
   * Summarises a round.
   *
   * @param processes how many processes took part
   * @param holdings every holding recorded (warm-up included: a holding in the window needs its
   *     predecessor)
   * @param windowStart nanoTime where the measurement window starts
   * @param windowEnd nanoTime where it ends
   * @return the summary
   * @throws IllegalArgumentException if the window is empty or a process index is out of range
   */
  public static Summary summarise(
      int processes, List<Holding> holdings, long windowStart, long windowEnd) {
    if (processes < 1 || windowEnd - windowStart <= 0) {
      throw new IllegalArgumentException("need at least one process and a non-empty window");
    }
    List<Holding> sorted = new ArrayList<>(holdings);
    sorted.sort(Comparator.comparingLong(Holding::acquired));
    long[] perProcess = new long[processes];
    List<Long> all = new ArrayList<>();
    List<Long> cross = new ArrayList<>();
    List<Long> waits = new ArrayList<>();
    int overlaps = 0;
    int counted = 0;
    long polls = 0;
    long waited = 0;
    boolean pollsCounted = true;
    Holding previous = null;
    for (Holding h : sorted) {
      if (h.process() < 0 || h.process() >= processes) {
        throw new IllegalArgumentException("process index out of range: " + h.process());
      }
      boolean inWindow = h.acquired() - windowStart >= 0 && h.acquired() - windowEnd < 0;
      if (inWindow) {
        counted++;
        perProcess[h.process()]++;
        waits.add(h.acquired() - h.called());
        waited += h.acquired() - h.called();
        if (h.polls() < 0) {
          pollsCounted = false;
        } else {
          polls += h.polls();
        }
        if (previous != null) {
          long gap = h.acquired() - previous.released();
          if (gap < 0) {
            overlaps++;
          } else {
            all.add(gap);
            if (previous.process() != h.process()) {
              cross.add(gap);
            }
          }
        }
      }
      previous = h;
    }
    double seconds = (windowEnd - windowStart) / 1e9;
    return new Summary(
        counted,
        perProcess,
        percentileMicros(all, 50),
        percentileMicros(all, 99),
        percentileMicros(cross, 50),
        percentileMicros(cross, 99),
        all.isEmpty() ? Double.NaN : (double) cross.size() / all.size(),
        percentileMicros(waits, 50),
        percentileMicros(waits, 99),
        jain(perProcess),
        overlaps,
        counted / seconds,
        pollsCounted && waited > 0 ? polls / (waited / 1e9) : Double.NaN);
  }

  /**
   * Jain's fairness index, (Σx)² / (n·Σx²).
   *
   * @param counts per-process counts
   * @return in [1/n, 1]; NaN when all counts are 0
   */
  public static double jain(long[] counts) {
    double sum = 0;
    double squares = 0;
    for (long c : counts) {
      sum += c;
      squares += (double) c * c;
    }
    return squares == 0 ? Double.NaN : sum * sum / (counts.length * squares);
  }

  /**
   * The nearest-rank percentile, in microseconds.
   *
   * @param nanos values in nanoseconds
   * @param percent 0 to 100
   * @return the value at that rank, in µs; NaN for no values
   */
  public static double percentileMicros(List<Long> nanos, double percent) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    long[] v = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(v);
    int rank = (int) Math.ceil(percent / 100.0 * v.length);
    return v[Math.min(v.length - 1, Math.max(0, rank - 1))] / 1000.0;
  }
}
