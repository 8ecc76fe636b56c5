package io.memlock.protocol;

import java.util.Map;

/**
 * Decoded {@code STAT <name> <value>} lines up to {@code END}.
 *
 * @param stats the statistics, in the order received
 */
public record StatsReply(Map<String, String> stats) {
  @Override
  public String toString() {
    return "STAT... (" + stats.size() + " lines) END";
  }
}
