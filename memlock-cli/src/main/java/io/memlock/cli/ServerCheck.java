package io.memlock.cli;

import io.memlock.cluster.NodeHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Judges one memcached server from its {@code version}, {@code stats} and settings. */
final class ServerCheck {
  private static final long NEAR_FULL_PERCENT = 90;

  private ServerCheck() {}

  /**
   * Judges a server.
   *
   * @param version the {@code version} reply, e.g. {@code 1.6.18}
   * @param stats the {@code stats} reply
   * @param settings the {@code stats settings} reply
   * @param localSeconds this machine's Unix time, in seconds, when the stats were taken
   * @param maxLease the longest lease clients take: the restart grace period
   * @return the findings, one per line of the report
   */
  static List<Finding> judge(
      String version,
      Map<String, String> stats,
      Map<String, String> settings,
      double localSeconds,
      Duration maxLease) {
    List<Finding> findings = new ArrayList<>();
    findings.add(version(version));
    findings.add(uptime(number(stats, "uptime"), maxLease));
    String evictions = settings.getOrDefault("evictions", "?");
    findings.add(evictionSetting(evictions));
    findings.add(evicted(number(stats, "evictions"), evictions));
    findings.add(memory(number(stats, "bytes"), number(stats, "limit_maxbytes"), evictions));
    findings.add(clock(number(stats, "time"), localSeconds));
    return findings;
  }

  static Finding version(String version) {
    int[] v = parseVersion(version);
    if (v[0] < 1 || (v[0] == 1 && v[1] < 6)) {
      return Finding.fail(
          "version", version, "memlock needs the meta protocol of memcached 1.6 or newer");
    }
    if (v[0] == 1 && v[1] == 6 && v[2] < 27) {
      return Finding.ok(
          "version",
          version,
          "has the meta protocol (1.6+); the E flag needs 1.6.27, memlock does not use it");
    }
    return Finding.ok("version", version, "has the meta protocol (1.6+)");
  }

  static Finding uptime(long uptime, Duration maxLease) {
    String value = seconds(uptime);
    // memcached's uptime runs up to 3 s ahead of its true uptime; memlock waits for that too.
    if (uptime < maxLease.getSeconds() + NodeHealth.UPTIME_SLACK_SECONDS) {
      return Finding.warn(
          "uptime",
          value,
          "below the restart grace period of "
              + seconds(maxLease.getSeconds())
              + ": a lock granted before a restart may still be in use; locks are safe once"
              + " uptime passes it");
    }
    return Finding.ok(
        "uptime", value, "past the restart grace period of " + seconds(maxLease.getSeconds()));
  }

  static Finding evictionSetting(String evictions) {
    if ("off".equals(evictions)) {
      return Finding.ok("evictions", "off", "started with -M: lock items are never evicted");
    }
    return Finding.note(
        "evictions",
        evictions,
        "memcached may evict lock items when its memory is full; -M turns evictions off");
  }

  static Finding evicted(long count, String evictions) {
    if (count > 0) {
      return Finding.warn(
          "evicted",
          count + " items",
          "memcached ran out of memory and evicted items; a lock item evicted frees its lock"
              + " early: give it more memory (-m) or start it with -M");
    }
    return Finding.ok("evicted", "0 items", "on".equals(evictions) ? "nothing evicted yet" : "");
  }

  static Finding memory(long bytes, long limit, String evictions) {
    long percent = limit <= 0 ? 0 : bytes * 100 / limit;
    String value =
        size(bytes)
            + " of "
            + size(limit)
            + String.format(Locale.ROOT, " (%.1f %%)", limit <= 0 ? 0.0 : bytes * 100.0 / limit);
    if (percent >= NEAR_FULL_PERCENT) {
      return Finding.warn(
          "memory",
          value,
          "off".equals(evictions)
              ? "nearly full: with -M new lock items will fail to be stored"
              : "nearly full: memcached will start evicting items, lock items among them");
    }
    return Finding.ok("memory", value, "");
  }

  static Finding clock(long serverSeconds, double localSeconds) {
    // memcached's "time" is whole seconds, updated once a second: a synchronized server reads
    // 0 or 1 s behind this machine's second.
    long offset = serverSeconds - (long) Math.floor(localSeconds);
    String value = (offset >= 0 ? "+" : "") + offset + " s";
    if (Math.abs(offset) > 1) {
      return Finding.warn(
          "clock",
          value,
          "memcached's clock is more than 1 s off this machine's: fences are seeded from"
              + " wall clocks, and operators reading TTLs will be misled; sync clocks with NTP");
    }
    return Finding.ok(
        "clock", value, "in step with this machine (memcached reports whole seconds)");
  }

  private static long number(Map<String, String> stats, String name) {
    String v = stats.get(name);
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static int[] parseVersion(String version) {
    int[] v = new int[3];
    String[] parts = version.trim().split("\\.", 3);
    for (int i = 0; i < parts.length; i++) {
      String digits = parts[i].replaceFirst("^(\\d*).*$", "$1");
      v[i] =
          digits.isEmpty()
              ? 0
              : Integer.parseInt(digits.substring(0, Math.min(9, digits.length())));
    }
    return v;
  }

  private static String seconds(long s) {
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return s / 60 + " min";
    }
    if (s < 172800) {
      return s / 3600 + " h";
    }
    return s / 86400 + " days";
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
  }
}
