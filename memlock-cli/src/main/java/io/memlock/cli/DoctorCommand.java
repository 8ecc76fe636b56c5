package io.memlock.cli;

import io.memlock.protocol.Stats;
import io.memlock.protocol.Version;
import io.memlock.transport.MemcachedTransport;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code memlock doctor}: checks that the servers are fit to keep locks. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Checks that memcached servers are fit to keep locks.",
    description = {
      "Checks each memcached server: version, uptime against the restart grace period,"
          + " evictions, memory use and clock offset, then prints a verdict.",
      "Exits 0 for OK, 1 for warnings, 69 if a server cannot be reached or cannot serve locks."
    })
final class DoctorCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws InterruptedException {
    List<ServerAddress> servers = ServerAddress.parseList(common.servers());
    PrintWriter out = spec.commandLine().getOut();
    List<String> warnings = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    TransportConfig config =
        TransportConfig.builder().connectTimeout(TIMEOUT).requestTimeout(TIMEOUT).build();
    try (MemcachedTransport transport = MemcachedTransport.create(config)) {
      List<NodeClient> nodes = new ArrayList<>();
      for (ServerAddress a : servers) {
        nodes.add(transport.connect(a));
      }
      for (NodeClient node : nodes) {
        String where = node.address().toString();
        out.println("memcached " + where);
        List<Finding> findings;
        try {
          findings = check(node);
        } catch (ProbeException e) {
          out.println("  unreachable: " + e.getMessage());
          failures.add(where + " cannot be reached");
          continue;
        }
        for (Finding f : findings) {
          out.println(line(f));
          switch (f.level()) {
            case WARN -> warnings.add(where + ": " + f.label() + " " + f.value());
            case FAIL -> failures.add(where + ": " + f.remark());
            default -> {}
          }
        }
      }
    }
    return verdict(out, warnings, failures);
  }

  private static int verdict(PrintWriter out, List<String> warnings, List<String> failures) {
    int status;
    if (!failures.isEmpty()) {
      out.println("verdict: FAIL (" + String.join("; ", failures) + ")");
      status = ExitCodes.UNAVAILABLE;
    } else if (!warnings.isEmpty()) {
      out.println("verdict: WARN (" + String.join("; ", warnings) + ")");
      status = ExitCodes.NOT_ALL;
    } else {
      out.println("verdict: OK (memcached is fit to keep locks)");
      status = ExitCodes.OK;
    }
    out.flush();
    return status;
  }

  private static String line(Finding f) {
    String level = f.level() == Finding.Level.OK ? "ok" : f.level().name();
    String remark = f.remark().isEmpty() ? level : level + ": " + f.remark();
    return String.format("  %-10s %-26s %s", f.label(), f.value(), remark);
  }

  private List<Finding> check(NodeClient node) throws InterruptedException, ProbeException {
    if (!node.awaitConnected(TIMEOUT)) {
      Throwable t = node.lastFailure();
      throw new ProbeException(
          t == null ? "no connection within " + Durations.format(TIMEOUT) : describe(t));
    }
    CompletableFuture<String> version = node.send(Version.create());
    CompletableFuture<Map<String, String>> settings = node.send(Stats.group("settings"));
    long before = System.currentTimeMillis();
    CompletableFuture<Map<String, String>> stats = node.send(Stats.general());
    Map<String, String> general = get(stats);
    double local = (before + System.currentTimeMillis()) / 2000.0;
    return ServerCheck.judge(get(version), general, get(settings), local, cluster.maxLease());
  }

  private static <T> T get(CompletableFuture<T> f) throws InterruptedException, ProbeException {
    try {
      return f.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ProbeException(describe(e.getCause()));
    } catch (TimeoutException e) {
      throw new ProbeException("no answer within " + Durations.format(TIMEOUT.multipliedBy(2)));
    }
  }

  private static String describe(Throwable t) {
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    String message = t.getMessage() != null ? t.getMessage() : t.toString();
    return message.contains("Connection refused") ? "connection refused" : message;
  }

  /** A server could not be asked. */
  private static final class ProbeException extends Exception {
    private static final long serialVersionUID = 1L;

    ProbeException(String message) {
      super(message);
    }
  }
}
