package io.memlock.bench;

import java.nio.charset.StandardCharsets;

/**
 * The data every client works on: the same {@value #KEY_COUNT} keys and the same {@value
 * #VALUE_SIZE}-byte value.
 */
public final class Workload {
  /** How many distinct keys the benchmarks cycle through. */
  public static final int KEY_COUNT = 1000;

  /** The size of every stored value, in bytes. */
  public static final int VALUE_SIZE = 100;

  private Workload() {}

  /**
   * Returns the text of key {@code i}: printable ASCII, so that every client sends it as it is.
   *
   * @param i the key index, 0 to {@link #KEY_COUNT} - 1
   * @return the key
   */
  public static String keyName(int i) {
    return String.format("memlock-bench:%04d", i);
  }

  /**
   * Returns all key texts, in index order.
   *
   * @return {@link #KEY_COUNT} keys
   */
  public static String[] keyNames() {
    String[] keys = new String[KEY_COUNT];
    for (int i = 0; i < KEY_COUNT; i++) {
      keys[i] = keyName(i);
    }
    return keys;
  }

  /**
   * Returns a fresh copy of the value stored under every key.
   *
   * @return {@link #VALUE_SIZE} printable bytes
   */
  public static byte[] value() {
    byte[] value = new byte[VALUE_SIZE];
    for (int i = 0; i < VALUE_SIZE; i++) {
      value[i] = (byte) ('a' + i % 26);
    }
    return value;
  }

  /**
   * Checks that a value read back is the one stored.
   *
   * @param value what a get returned
   * @param key the key it was read from, for the message
   * @throws IllegalStateException if it differs
   */
  static void check(byte[] value, String key) {
    if (value == null || !java.util.Arrays.equals(value, value())) {
      throw new IllegalStateException(
          "reading "
              + key
              + " returned "
              + (value == null ? "nothing" : new String(value, StandardCharsets.UTF_8))
              + " instead of the value just stored");
    }
  }
}
