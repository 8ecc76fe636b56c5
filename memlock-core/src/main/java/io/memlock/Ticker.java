package io.memlock;

/**
 * A monotonic clock in nanoseconds, used for lease arithmetic. Replace it in tests to move time by
 * hand; the default is {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {
  /**
   * Returns the current reading.
   *
   * @return nanoseconds from an arbitrary origin
   */
  long read();

  /**
   * Returns the system ticker.
   *
   * @return a ticker reading {@link System#nanoTime()}
   */
  static Ticker system() {
    return System::nanoTime;
  }
}
