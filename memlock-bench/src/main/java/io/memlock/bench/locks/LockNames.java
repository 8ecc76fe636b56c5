package io.memlock.bench.locks;

import java.util.ArrayList;
import java.util.List;

/** The lock names of the JMH scenarios: {@value #COUNT} distinct names and one hot name. */
public final class LockNames {
  /** How many distinct names the throughput scenario spreads its threads over. */
  public static final int COUNT = 1000;

  /** The index of the hot name, after the distinct ones. */
  public static final int HOT = COUNT;

  private LockNames() {}

  /**
   * Returns the names: {@code bench-lock-0000} to {@code bench-lock-0999}, then {@code
   * bench-lock-hot} at index {@link #HOT}.
   *
   * @return {@value #COUNT} + 1 names
   */
  public static List<String> standard() {
    List<String> names = new ArrayList<>(COUNT + 1);
    for (int i = 0; i < COUNT; i++) {
      names.add(String.format("bench-lock-%04d", i));
    }
    names.add("bench-lock-hot");
    return List.copyOf(names);
  }
}
