package io.memlock.bench.locks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the lock comparison: starts one memcached and (when a Redisson contender runs) one
 * redis-server on free loopback ports, runs every selected scenario for every contender it applies
 * to, stops the servers, and writes to the output directory:
 *
 * <ul>
 *   <li>{@code bench-locks.json}: the run's description and every measurement;
 *   <li>{@code bench-locks.csv}: the measurements, one a line;
 *   <li>{@code bench-locks.md}: the tables and the goals ({@link LockReport});
 *   <li>{@code bench-locks.png}: the chart ({@link LockChart});
 *   <li>{@code bench-locks-logs/}: JMH's output per trial and the workers' logs.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.locks.LockBenchRunner [--quick] [--out DIR] ...
 * java -cp benchmarks.jar io.memlock.bench.locks.LockBenchRunner --render DIR/bench-locks.json
 * </pre>
 *
 * <p>{@code --render} only redraws the markdown, CSV and chart from a run's JSON.
 *
 * <p>The servers never outlive the runner: they are closed at the end, by a shutdown hook if the
 * runner is interrupted, and by watchdog sidecars if it is killed.
 */
public final class LockBenchRunner {
  private LockBenchRunner() {}

  /**
   * Runs the comparison.
   *
   * @param args see {@link RunOptions#USAGE}
   * @throws Exception if the servers cannot start or the results cannot be written
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(RunOptions.USAGE);
      return;
    }
    if (args.length == 2 && args[0].equals("--render")) {
      Path json = Path.of(args[1]);
      write(fromJson(Files.readString(json)), json.toAbsolutePath().getParent());
      return;
    }
    RunOptions options;
    try {
      options = RunOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path out = options.out();
    Path logs = out.resolve("bench-locks-logs");
    Files.createDirectories(logs);
    Results results = new Results();
    long started = System.nanoTime();
    describeMachine(results, options, args);

    MemcachedServer memcached = MemcachedServer.builder().memoryMegabytes(256).threads(2).start();
    // The quorum contender's three servers: this one and two more, started alike.
    List<MemcachedServer> quorum = new ArrayList<>();
    RedisServer redis = null;
    Thread hook =
        new Thread(
            () -> {
              memcached.close();
              quorum.forEach(MemcachedServer::close);
            },
            "memcached-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (options.needsRedis()) {
        redis = RedisServer.start();
        results.describe(
            "redis", "redis-server " + redis.version() + " (--save '' --appendonly no)");
      }
      results.describe(
          "memcached",
          "memcached " + memcached.stats().getOrDefault("version", "?") + " (-m 256 -t 2)");
      List<String> quorumAddresses = new ArrayList<>();
      if (options.needsQuorum()) {
        quorumAddresses.add(memcached.hostAndPort());
        for (int i = 0; i < 2; i++) {
          MemcachedServer extra = MemcachedServer.builder().memoryMegabytes(256).threads(2).start();
          quorum.add(extra);
          quorumAddresses.add(extra.hostAndPort());
        }
        results.describe(
            "quorum", "the run's memcached and two more like it (-m 256 -t 2), replicas(3)");
      }
      Servers servers =
          new Servers(
              memcached.hostAndPort(),
              redis == null ? "" : redis.hostAndPort(),
              String.join(",", quorumAddresses));
      System.out.println(
          "# memcached "
              + servers.memcached()
              + (redis == null ? "" : ", redis " + servers.redis())
              + (quorumAddresses.isEmpty() ? "" : ", quorum " + servers.quorum()));

      JmhScenarios jmh = new JmhScenarios(options, servers, logs);
      if (!options.contenders(1).isEmpty()) {
        jmh.latency(results);
        elapsed(started, 1);
      }
      if (!options.contenders(2).isEmpty()) {
        jmh.distinctNames(results);
        elapsed(started, 2);
      }
      if (!options.contenders(3).isEmpty()) {
        jmh.hotName(results);
        elapsed(started, 3);
      }
      if (!options.contenders(4).isEmpty()) {
        new HandoffScenario(servers, logs, options.handoffWarm(), options.handoffMeasure())
            .run(options.contenders(4), options.processes(), results);
        elapsed(started, 4);
      }
      if (!options.contenders(5).isEmpty()) {
        new RenewalScenario(servers, logs, options.locks(), options.quick() ? 1500 : 0)
            .run(options.contenders(5), options.leases(), results);
        elapsed(started, 5);
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
      memcached.close();
      quorum.forEach(MemcachedServer::close);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
    results.describe(
        "load average after", Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0]);
    results.describe(
        "duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));
    write(results, out);
  }

  private static void elapsed(long started, int scenario) {
    System.out.printf(
        Locale.ROOT,
        "# --- %.0f s: scenario %d done%n",
        (System.nanoTime() - started) / 1e9,
        scenario);
  }

  /**
   * Reads results back from {@link #json}.
   *
   * @param json the JSON text
   * @return the results
   */
  static Results fromJson(String json) {
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    Results r = new Results();
    for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("run").entrySet()) {
      r.describe(e.getKey(), e.getValue().getAsString());
    }
    for (JsonElement el : root.getAsJsonArray("measurements")) {
      JsonObject o = el.getAsJsonObject();
      r.add(
          new Measurement(
              o.get("scenario").getAsInt(),
              o.get("contender").getAsString(),
              o.get("n").getAsInt(),
              o.get("metric").getAsString(),
              o.has("value") ? o.get("value").getAsDouble() : Double.NaN,
              o.has("error") ? o.get("error").getAsDouble() : Double.NaN,
              o.get("unit").getAsString()));
    }
    return r;
  }

  private static void describeMachine(Results results, RunOptions options, String[] args)
      throws IOException {
    results.describe("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    results.describe("mode", options.quick() ? "quick (smoke test, not for publishing)" : "full");
    results.describe("arguments", String.join(" ", args));
    results.describe(
        "cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    results.describe("memory", memTotal());
    results.describe(
        "kernel", "Linux " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
    results.describe(
        "jdk",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    results.describe(
        "load average before", Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0]);
    System.out.println("# " + results.run());
  }

  private static String cpuModel() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "?";
  }

  private static String memTotal() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
      }
    }
    return "?";
  }

  /**
   * Writes JSON, CSV, markdown and the chart, and prints the markdown.
   *
   * @param results the results
   * @param out the directory
   * @throws IOException if a file cannot be written
   */
  static void write(Results results, Path out) throws IOException {
    Files.writeString(out.resolve("bench-locks.json"), json(results));
    Files.writeString(out.resolve("bench-locks.csv"), csv(results));
    String md = LockReport.render(results);
    Files.writeString(out.resolve("bench-locks.md"), md);
    Map<String, String> run = results.run();
    String title =
        "memlock vs Redisson, ShedLock-style and the raw limit — "
            + run.getOrDefault("cpu", "")
            + ", "
            + run.getOrDefault("date", "")
            + (run.getOrDefault("mode", "").startsWith("quick") ? " (quick mode)" : "");
    LockChart.write(results, title, out.resolve("bench-locks.png"));
    System.out.println();
    System.out.println(md);
    System.out.println("# written: " + out.resolve("bench-locks.{json,csv,md,png}"));
  }

  /**
   * Renders the results as JSON.
   *
   * @param results the results
   * @return {@code {"run": {...}, "measurements": [...]}}
   */
  static String json(Results results) {
    JsonObject root = new JsonObject();
    JsonObject run = new JsonObject();
    results.run().forEach(run::addProperty);
    root.add("run", run);
    JsonArray ms = new JsonArray();
    for (Measurement m : results.measurements()) {
      JsonObject o = new JsonObject();
      o.addProperty("scenario", m.scenario());
      o.addProperty("contender", m.contender());
      o.addProperty("n", m.n());
      o.addProperty("metric", m.metric());
      if (Double.isFinite(m.value())) {
        o.addProperty("value", m.value());
      }
      if (Double.isFinite(m.error())) {
        o.addProperty("error", m.error());
      }
      o.addProperty("unit", m.unit());
      ms.add(o);
    }
    root.add("measurements", ms);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
  }

  /**
   * Renders the measurements as CSV.
   *
   * @param results the results
   * @return a header line, then one line per measurement
   */
  static String csv(Results results) {
    StringBuilder sb = new StringBuilder("scenario,contender,n,metric,value,error,unit\n");
    for (Measurement m : results.measurements()) {
      sb.append(m.scenario())
          .append(',')
          .append(m.contender())
          .append(',')
          .append(m.n())
          .append(',')
          .append(m.metric())
          .append(',')
          .append(Double.isFinite(m.value()) ? String.format(Locale.ROOT, "%.3f", m.value()) : "")
          .append(',')
          .append(Double.isFinite(m.error()) ? String.format(Locale.ROOT, "%.3f", m.error()) : "")
          .append(',')
          .append(m.unit())
          .append('\n');
    }
    return sb.toString();
  }
}
