package io.memlock.cli;

/**
 * The outcome of one demo phase.
 *
 * @param locked whether the workers took the lock
 * @param initial the stock at the start
 * @param tally the orders as the workers reported them
 * @param stockLeft the stock at the end, as memcached holds it
 * @param elapsedNanos from the start signal until every worker was done
 */
record PhaseResult(
    boolean locked, long initial, PhaseTally tally, long stockLeft, long elapsedNanos) {
  /** Units sold beyond the initial stock. */
  long oversold() {
    return Math.max(0, tally.sold() - initial);
  }

  /** Sales the stock count never saw: sold − (initial − stock left). */
  long lostUpdates() {
    return Math.max(0, tally.sold() - (initial - stockLeft));
  }

  /** Lock acquisitions per second. */
  double acquisitionsPerSecond() {
    return elapsedNanos <= 0 ? 0 : tally.acquisitions() * 1e9 / elapsedNanos;
  }
}
