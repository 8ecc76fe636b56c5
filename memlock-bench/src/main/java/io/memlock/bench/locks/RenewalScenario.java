package io.memlock.bench.locks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 5: many locks held at once by one client process and renewed by the library's watchdog
 * ({@link RenewalWorker}, one fresh process per contender and lease): renewal traffic seen by the
 * server, client and server CPU.
 */
final class RenewalScenario {
  private final Servers servers;
  private final Path dir;
  private final int locks;
  private final long settleMillis;

  /**
   * Prepares the scenario.
   *
   * @param servers where memcached and Redis listen
   * @param dir where the workers' logs go
   * @param locks how many locks each worker holds
   * @param settleMillis the wait between acquiring and measuring, or 0 for the worker's default
   */
  RenewalScenario(Servers servers, Path dir, int locks, long settleMillis) {
    this.servers = servers;
    this.dir = dir;
    this.locks = locks;
    this.settleMillis = settleMillis;
  }

  /**
   * Measures each contender at each lease.
   *
   * @param contenders {@link Contenders#MEMLOCK} and/or {@link Contenders#REDISSON}
   * @param leases lease seconds to window length, e.g. 30 s → 20 s
   * @param results where to add the measurements
   */
  void run(List<String> contenders, Map<Integer, Duration> leases, Results results) {
    for (String c : contenders) {
      for (Map.Entry<Integer, Duration> e : leases.entrySet()) {
        int lease = e.getKey();
        int locks = locksAt(lease);
        try (ChildProcess w =
            ChildProcess.start(
                "renewal-worker-" + c + "-" + lease,
                RenewalWorker.class,
                dir,
                c,
                servers.memcached(),
                servers.redis() == null ? "" : servers.redis(),
                Integer.toString(locks),
                Integer.toString(lease),
                Long.toString(e.getValue().toMillis()),
                Long.toString(
                    settleMillis > 0
                        ? settleMillis
                        : RenewalWorker.settleMillis(Duration.ofSeconds(lease))))) {
          String line = w.await("result", e.getValue().plusSeconds(120));
          record(c, lease, RenewalWorker.parse(line.substring("result".length())), results);
        } catch (RuntimeException ex) {
          System.out.println(
              "# scenario 5, " + c + " lease " + lease + " s: FAILED: " + ex.getMessage());
        }
      }
    }
  }

  /**
   * The locks held at a lease: all of them at the 30 s lease (goal 5), at most {@link
   * #SHORT_LEASE_LOCKS} at shorter leases, whose renewals come so often that 100,000 of them only
   * measure how the 2-core machine copes with 50,000 renewals per second.
   */
  int locksAt(int lease) {
    return lease >= 30 ? locks : Math.min(locks, SHORT_LEASE_LOCKS);
  }

  /** The most locks held at a lease under 30 s. */
  static final int SHORT_LEASE_LOCKS = 10_000;

  private void record(String c, int lease, Map<String, Long> r, Results results) {
    double seconds = r.get("windowNanos") / 1e9;
    double renewals = r.get("renewals") / seconds;
    double commands = r.get("commands") / seconds;
    double clientCpu = 100.0 * r.get("clientCpuNanos") / r.get("windowNanos");
    double serverCpu = 100.0 * r.get("serverCpuMicros") * 1000 / r.get("windowNanos");
    results.add(Measurement.of(5, c, lease, LockReport.HELD, r.get("held"), "locks"));
    results.add(Measurement.of(5, c, lease, LockReport.LOST, r.get("lost"), "locks"));
    results.add(Measurement.of(5, c, lease, LockReport.RENEWALS, renewals, "1/s"));
    results.add(Measurement.of(5, c, lease, LockReport.SERVER_CMDS, commands, "1/s"));
    results.add(Measurement.of(5, c, lease, LockReport.CLIENT_CPU, clientCpu, "%"));
    results.add(Measurement.of(5, c, lease, LockReport.SERVER_CPU, serverCpu, "%"));
    results.add(Measurement.of(5, c, lease, LockReport.WINDOW, seconds, "s"));
    System.out.printf(
        Locale.ROOT,
        "# scenario 5, %-10s lease %2d s: %,d of %,d locks held, %,.0f renewal requests/s"
            + " (%,.0f commands/s), client CPU %.1f %%, server CPU %.1f %%, window %.1f s%n",
        c,
        lease,
        r.get("held"),
        locksAt(lease),
        renewals,
        commands,
        clientCpu,
        serverCpu,
        seconds);
  }
}
