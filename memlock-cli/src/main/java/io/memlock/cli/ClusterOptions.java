package io.memlock.cli;

import io.memlock.MemLock;
import io.memlock.store.LockConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How the clients of a memcached cluster use it: settings every client of the same locks must agree
 * on (see docs/CLUSTER.md). Each option falls back to an environment variable.
 */
final class ClusterOptions {
  @Option(
      names = "--max-lease",
      paramLabel = "DUR",
      description =
          "The longest lease any client of these servers takes: a restarted server takes no"
              + " acquisitions until its uptime passes it (whole seconds, at least 3s; default:"
              + " $MEMLOCK_MAX_LEASE, else 60s).")
  String maxLease;

  @Option(
      names = "--replicas",
      paramLabel = "N",
      description =
          "On how many servers each lock lives: 1 places each name on one server (sharding),"
              + " more needs a majority of them (quorum). Default: $MEMLOCK_REPLICAS, else 1.")
  String replicas;

  @Option(
      names = "--no-restart-grace",
      description =
          "Use freshly started servers at once. Only for a memcached no client can have used for"
              + " locks before its current start (also: MEMLOCK_RESTART_GRACE=off).")
  boolean noRestartGrace;

  /** The longest lease: --max-lease, else $MEMLOCK_MAX_LEASE, else 60 s. */
  Duration maxLease() {
    Given given = Given.of("--max-lease", maxLease, "MEMLOCK_MAX_LEASE");
    if (given.text() == null) {
      return Clients.MAX_LEASE;
    }
    try {
      Duration d = Durations.parse(given.text());
      LockConfig.leaseSeconds(given.from(), d);
      return d;
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          e.getMessage().startsWith(given.from())
              ? e.getMessage()
              : given.from() + ": " + e.getMessage());
    }
  }

  /** The replicas: --replicas, else $MEMLOCK_REPLICAS, else 1. */
  int replicas() {
    Given given = Given.of("--replicas", replicas, "MEMLOCK_REPLICAS");
    if (given.text() == null) {
      return 1;
    }
    int n;
    try {
      n = Integer.parseInt(given.text().trim());
    } catch (NumberFormatException e) {
      throw new UsageException(
          given.from() + " must be a whole number, got '" + given.text() + "'");
    }
    try {
      MemLock.builder().replicas(n);
    } catch (IllegalArgumentException e) {
      // The builder's message names its method ("replicas must be 1 to 15"); name the flag.
      throw new UsageException(given.from() + e.getMessage().replaceFirst("^replicas\\b", ""));
    }
    return n;
  }

  /**
   * Returns where the replicas came from, for messages: --replicas or MEMLOCK_REPLICAS.
   *
   * @return the flag or the variable's name
   */
  String replicasFrom() {
    return Given.of("--replicas", replicas, "MEMLOCK_REPLICAS").from();
  }

  /** Whether the restart grace period is on. */
  boolean restartGrace() {
    if (noRestartGrace) {
      return false;
    }
    String env = System.getenv("MEMLOCK_RESTART_GRACE");
    if (env == null || env.isBlank() || env.equalsIgnoreCase("on")) {
      return true;
    }
    if (env.equalsIgnoreCase("off")) {
      return false;
    }
    throw new UsageException("MEMLOCK_RESTART_GRACE must be on or off, got '" + env + "'");
  }
}
