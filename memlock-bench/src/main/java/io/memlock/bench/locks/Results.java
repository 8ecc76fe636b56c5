package io.memlock.bench.locks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Everything one run of the lock comparison measured, with a description of the run (machine,
 * versions, load, command). Thread-safe for adding from the runner's one thread; read after.
 */
public final class Results {
  private final List<Measurement> measurements = new ArrayList<>();
  private final Map<String, String> run = new LinkedHashMap<>();

  /**
   * Adds a measurement.
   *
   * @param m the measurement
   */
  public synchronized void add(Measurement m) {
    measurements.add(Objects.requireNonNull(m));
  }

  /**
   * Records a fact about the run, e.g. {@code cpu} or {@code memcached}.
   *
   * @param key the name
   * @param value the value
   */
  public synchronized void describe(String key, String value) {
    run.put(key, value);
  }

  /**
   * Returns the measurements in the order they were added.
   *
   * @return an unmodifiable copy
   */
  public synchronized List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  /**
   * Returns the facts about the run.
   *
   * @return an unmodifiable copy, in the order recorded
   */
  public synchronized Map<String, String> run() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(run));
  }

  /**
   * Finds a value.
   *
   * @param scenario the scenario
   * @param contender the contender id
   * @param n threads, processes or lease seconds
   * @param metric the metric
   * @return the value, or empty if it was not measured
   */
  public synchronized OptionalDouble value(int scenario, String contender, int n, String metric) {
    for (Measurement m : measurements) {
      if (m.scenario() == scenario
          && m.contender().equals(contender)
          && m.n() == n
          && m.metric().equals(metric)) {
        return OptionalDouble.of(m.value());
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * Returns the contenders measured in a scenario, in the order first measured.
   *
   * @param scenario the scenario
   * @return contender ids
   */
  public synchronized List<String> contenders(int scenario) {
    return measurements.stream()
        .filter(m -> m.scenario() == scenario)
        .map(Measurement::contender)
        .distinct()
        .toList();
  }

  /**
   * Returns the values of {@code n} measured in a scenario, ascending.
   *
   * @param scenario the scenario
   * @return thread counts, process counts or lease seconds
   */
  public synchronized List<Integer> ns(int scenario) {
    return measurements.stream()
        .filter(m -> m.scenario() == scenario)
        .map(Measurement::n)
        .distinct()
        .sorted()
        .toList();
  }
}
