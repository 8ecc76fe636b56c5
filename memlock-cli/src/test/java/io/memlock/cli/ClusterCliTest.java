package io.memlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's cluster settings: --max-lease and the restart grace, --replicas. */
class ClusterCliTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(3);

  @TempDir Path dir;

  private static String one() {
    return "--servers=" + memcached.server(0).hostAndPort();
  }

  private static boolean exists(MemcachedServer server, String key) throws Exception {
    try (Socket s = new Socket(server.host(), server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("mg " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[64];
      int n = s.getInputStream().read(buf);
      return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HD");
    }
  }

  @Test
  void aRestartedServerTakesNoLocksUntilItsGraceEnds() {
    memcached.server(0).restart();
    Map<String, String> grace = Map.of("MEMLOCK_RESTART_GRACE", "on");
    CliProcess busy =
        CliProcess.start(
            dir, grace, "run", "--no-wait", "--ttl=3s", "--max-lease=3s", one(), "g", "--", "true");
    assertThat(busy.waitFor(Duration.ofSeconds(30))).as("%s", busy).isEqualTo(69);
    assertThat(busy.err()).contains("restart grace").doesNotContain("at io.memlock");
    CliProcess waits =
        CliProcess.start(
            dir,
            grace,
            "run",
            "--wait=20s",
            "--ttl=3s",
            "--max-lease=3s",
            one(),
            "g",
            "--",
            "true");
    assertThat(waits.waitFor(Duration.ofSeconds(30))).as("%s", waits).isEqualTo(0);
  }

  /**
   * --verbose only adds words: in the restart grace, a --wait that outlasts the grace takes the
   * lock, and one that runs out during it exits 69 after waiting, with and without --verbose.
   */
  @Test
  void verboseWaitsThroughTheRestartGraceLikeTheQuietRun() {
    memcached.server(2).restart();
    List<CliProcess> runsOut = new ArrayList<>();
    List<CliProcess> outlasts = new ArrayList<>();
    for (boolean verbose : new boolean[] {true, false}) {
      runsOut.add(inGrace(verbose, "--wait=2s", "--max-lease=10m", "runs-out-" + verbose));
      outlasts.add(inGrace(verbose, "--wait=60s", "--max-lease=8s", "outlasts-" + verbose));
    }
    for (CliProcess cli : runsOut) {
      assertThat(cli.waitFor(Duration.ofSeconds(60))).as("%s", cli).isEqualTo(69);
      String said = cli.err().lines().filter(l -> l.startsWith("memlock:")).toList().toString();
      assertThat(said)
          .as("%s", cli)
          .contains("restart grace")
          .contains("gave up after 2 s")
          .contains("--max-lease")
          .doesNotContain("maxLeaseTime");
    }
    for (CliProcess cli : outlasts) {
      assertThat(cli.waitFor(Duration.ofSeconds(60))).as("%s", cli).isEqualTo(0);
    }
    assertThat(outlasts.get(0).err()).contains("restart grace").contains("; waiting");
  }

  /** Starts {@code run} against server 2 with the restart grace on. */
  private CliProcess inGrace(boolean verbose, String wait, String maxLease, String name) {
    List<String> args = new ArrayList<>(List.of("run", wait, "--ttl=5s", maxLease));
    if (verbose) {
      args.add("--verbose");
    }
    args.addAll(List.of("--servers=" + memcached.server(2).hostAndPort(), name, "--", "true"));
    return CliProcess.start(
        dir, Map.of("MEMLOCK_RESTART_GRACE", "on"), args.toArray(String[]::new));
  }

  @Test
  void aTtlLongerThanMaxLeaseIsAUsageError() {
    CliProcess cli = CliProcess.run(dir, "run", "--ttl=90s", one(), "x", "--", "true");
    assertThat(cli.exit()).as("%s", cli).isEqualTo(64);
    assertThat(cli.err())
        .contains("--ttl 90s is longer than the cluster's longest lease (--max-lease 1m)");
    CliProcess env =
        CliProcess.start(dir, Map.of("MEMLOCK_MAX_LEASE", "soon"), "run", one(), "x", "--", "true");
    assertThat(env.waitFor(Duration.ofSeconds(30))).as("%s", env).isEqualTo(64);
    assertThat(env.err()).contains("MEMLOCK_MAX_LEASE");
  }

  @Test
  void replicasNeedAsManyServers() {
    CliProcess cli = CliProcess.run(dir, "run", "--replicas=3", one(), "x", "--", "true");
    assertThat(cli.exit()).as("%s", cli).isEqualTo(64);
    assertThat(cli.err()).contains("--replicas 3 needs at least 3 servers, got 1");
    CliProcess bad = CliProcess.run(dir, "run", "--replicas=three", one(), "x", "--", "true");
    assertThat(bad.exit()).as("%s", bad).isEqualTo(64);
    assertThat(bad.err()).contains("--replicas must be a whole number");
  }

  @Test
  void quorumRunHoldsTheLockOnEveryReplica() throws Exception {
    String all = "--servers=" + memcached.serverList();
    String check =
        "for p in "
            + memcached.server(0).port()
            + " "
            + memcached.server(1).port()
            + " "
            + memcached.server(2).port()
            + "; do printf 'mg memlock:L:q\\r\\n' | timeout 2 bash -c \"exec 3<>/dev/tcp/127.0.0.1/$p;"
            + " cat >&3; head -c 2 <&3\"; done";
    CliProcess cli =
        CliProcess.run(dir, "run", "--replicas=3", all, "q", "--", "bash", "-c", check);
    assertThat(cli.exit()).as("%s", cli).isEqualTo(0);
    assertThat(cli.out()).isEqualTo("HDHDHD");
    for (MemcachedServer s : memcached.servers()) {
      assertThat(exists(s, "memlock:L:q")).isFalse();
    }
  }
}
