package io.memlock.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns JMH JSON results of {@link ClientBenchmark} into markdown: one table with each client's
 * throughput and p50/p99 latency per operation and thread count, and one with memlock's ratios to
 * xmemcached and spymemcached.
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.ResultTable target/jmh-result-t1.json ...
 * </pre>
 *
 * <p>Throughput comes from {@code thrpt} results and percentiles from {@code sample} results; a
 * {@code gc.alloc.rate.norm} secondary metric (from {@code -prof gc}) is shown as bytes allocated
 * per operation. memlock results with non-default {@code memlock*} parameters are shown as separate
 * rows; repeated results of the same client, operation and thread count are averaged.
 */
public final class ResultTable {
  private static final String MEMLOCK = "memlock";
  private static final List<String> PEERS = List.of("xmemcached", "spymemcached");

  private ResultTable() {}

  /**
   * Prints the tables for the given JSON result files.
   *
   * @param args JMH JSON result files
   * @throws IOException if a file cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: ResultTable jmh-result.json...");
      System.exit(2);
    }
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      files.add(Path.of(a));
    }
    System.out.print(render(files));
  }

  /**
   * Renders the tables for JMH JSON result files.
   *
   * @param files JMH JSON result files ({@code -rf json})
   * @return markdown
   * @throws IOException if a file cannot be read
   */
  public static String render(List<Path> files) throws IOException {
    List<JsonArray> results = new ArrayList<>();
    for (Path f : files) {
      results.add(JsonParser.parseString(Files.readString(f)).getAsJsonArray());
    }
    return render(results.toArray(new JsonArray[0]));
  }

  /**
   * Renders the tables for parsed JMH JSON results.
   *
   * @param results arrays of JMH results
   * @return markdown
   */
  static String render(JsonArray... results) {
    Map<RowKey, Row> rows = new TreeMap<>();
    for (JsonArray array : results) {
      for (JsonElement e : array) {
        add(rows, e.getAsJsonObject());
      }
    }
    boolean alloc = rows.values().stream().anyMatch(r -> r.alloc.n > 0);
    StringBuilder md = new StringBuilder();
    md.append("| op | threads | client | ops/s | ± ops/s (99.9%) | p50 µs | p99 µs |");
    md.append(alloc ? " alloc B/op |\n" : "\n");
    md.append("|----|--------:|--------|------:|----------------:|-------:|-------:|");
    md.append(alloc ? "-----------:|\n" : "\n");
    for (Map.Entry<RowKey, Row> e : rows.entrySet()) {
      RowKey k = e.getKey();
      Row r = e.getValue();
      md.append(String.format(Locale.ROOT, "| %s | %d | %s ", k.op, k.threads, k.client));
      md.append("| ").append(format(r.opsPerSecond.mean(), "%,.0f"));
      md.append(" | ").append(format(r.opsError.mean(), "%,.0f"));
      md.append(" | ").append(format(r.p50Micros.mean(), "%,.1f"));
      md.append(" | ").append(format(r.p99Micros.mean(), "%,.1f"));
      md.append(alloc ? " | " + format(r.alloc.mean(), "%,.0f") + " |\n" : " |\n");
    }
    md.append('\n');
    md.append("memlock ÷ peer: for ops/s above 1 means memlock does more operations; for p50 and");
    md.append(" p99 below 1 means memlock answers sooner.\n\n");
    md.append("| op | threads | client | ops/s ÷ xmemcached | ops/s ÷ spymemcached");
    md.append(
        " | p50 ÷ xmemcached | p50 ÷ spymemcached | p99 ÷ xmemcached | p99 ÷ spymemcached |\n");
    md.append("|----|--------:|--------|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<RowKey, Row> e : rows.entrySet()) {
      RowKey k = e.getKey();
      if (!k.client.startsWith(MEMLOCK)) {
        continue;
      }
      Row m = e.getValue();
      List<Row> peers = new ArrayList<>();
      for (String p : PEERS) {
        peers.add(rows.get(new RowKey(k.op, k.threads, p)));
      }
      md.append(String.format(Locale.ROOT, "| %s | %d | %s", k.op, k.threads, k.client));
      for (Row p : peers) {
        md.append(" | ").append(ratio(m.opsPerSecond, p == null ? null : p.opsPerSecond));
      }
      for (Row p : peers) {
        md.append(" | ").append(ratio(m.p50Micros, p == null ? null : p.p50Micros));
      }
      for (Row p : peers) {
        md.append(" | ").append(ratio(m.p99Micros, p == null ? null : p.p99Micros));
      }
      md.append(" |\n");
    }
    return md.toString();
  }

  private static void add(Map<RowKey, Row> rows, JsonObject result) {
    String benchmark = result.get("benchmark").getAsString();
    String op = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    int threads = result.get("threads").getAsInt();
    String mode = result.get("mode").getAsString();
    Row row = rows.computeIfAbsent(new RowKey(op, threads, client(result)), k -> new Row());
    JsonObject primary = result.getAsJsonObject("primaryMetric");
    String unit = primary.get("scoreUnit").getAsString();
    switch (mode) {
      case "thrpt" -> {
        double perUnit = perSecond(unit);
        row.opsPerSecond.add(number(primary.get("score")) * perUnit);
        row.opsError.add(number(primary.get("scoreError")) * perUnit);
        JsonObject secondary = result.getAsJsonObject("secondaryMetrics");
        if (secondary != null && secondary.has("gc.alloc.rate.norm")) {
          row.alloc.add(number(secondary.getAsJsonObject("gc.alloc.rate.norm").get("score")));
        }
      }
      case "sample" -> {
        double micros = micros(unit);
        JsonObject percentiles = primary.getAsJsonObject("scorePercentiles");
        row.p50Micros.add(number(percentiles.get("50.0")) * micros);
        row.p99Micros.add(number(percentiles.get("99.0")) * micros);
      }
      default -> {
        // Other modes are not part of the comparison.
      }
    }
  }

  /** The client name, with memlock's non-default settings appended. */
  private static String client(JsonObject result) {
    JsonObject params = result.getAsJsonObject("params");
    if (params == null || !params.has("client")) {
      String benchmark = result.get("benchmark").getAsString();
      String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
      return cls.substring(cls.lastIndexOf('.') + 1);
    }
    String client = params.get("client").getAsString();
    if (!client.equals(MEMLOCK)) {
      return client;
    }
    Set<String> settings = new LinkedHashSet<>();
    for (Map.Entry<String, JsonElement> p : params.entrySet()) {
      String value = p.getValue().getAsString();
      if (p.getKey().startsWith(MEMLOCK) && !value.equals("0")) {
        String name = p.getKey().substring(MEMLOCK.length());
        settings.add(Character.toLowerCase(name.charAt(0)) + name.substring(1) + "=" + value);
      }
    }
    return settings.isEmpty() ? client : client + " (" + String.join(", ", settings) + ")";
  }

  private static double number(JsonElement e) {
    return e == null ? Double.NaN : Double.parseDouble(e.getAsString());
  }

  /** Factor from a JMH throughput unit such as {@code ops/us} to operations per second. */
  private static double perSecond(String unit) {
    return TimeUnit.SECONDS.toNanos(1) / (double) nanos(unit.substring(unit.indexOf('/') + 1));
  }

  /** Factor from a JMH time unit such as {@code ns/op} to microseconds. */
  private static double micros(String unit) {
    return nanos(unit.substring(0, unit.indexOf('/'))) / 1000.0;
  }

  private static long nanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "min" -> 60_000_000_000L;
      default -> throw new IllegalArgumentException("unknown JMH time unit: " + unit);
    };
  }

  private static String format(double value, String pattern) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, pattern, value);
  }

  private static String ratio(Mean memlock, Mean peer) {
    if (peer == null || Double.isNaN(memlock.mean()) || Double.isNaN(peer.mean())) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f", memlock.mean() / peer.mean());
  }

  /** A table row's identity, ordered by operation, thread count, then memlock first. */
  private record RowKey(String op, int threads, String client) implements Comparable<RowKey> {
    private static final Comparator<RowKey> ORDER =
        Comparator.comparing(RowKey::op)
            .thenComparingInt(RowKey::threads)
            .thenComparingInt(RowKey::rank)
            .thenComparing(RowKey::client);

    private int rank() {
      if (client.startsWith(MEMLOCK)) {
        return 0;
      }
      int i = PEERS.indexOf(client);
      return i < 0 ? PEERS.size() + 1 : i + 1;
    }

    @Override
    public int compareTo(RowKey o) {
      return ORDER.compare(this, o);
    }
  }

  /** What the results say about one row. */
  private static final class Row {
    final Mean opsPerSecond = new Mean();
    final Mean opsError = new Mean();
    final Mean p50Micros = new Mean();
    final Mean p99Micros = new Mean();
    final Mean alloc = new Mean();
  }

  /** The mean of the values added, NaN when none. */
  private static final class Mean {
    double sum;
    int n;

    void add(double v) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }

    double mean() {
      return n == 0 ? Double.NaN : sum / n;
    }
  }
}
