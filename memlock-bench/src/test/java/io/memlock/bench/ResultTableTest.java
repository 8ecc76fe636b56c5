package io.memlock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** Checks the table made from JMH JSON results; runs no benchmark. */
class ResultTableTest {
  private static String result(
      String op, String mode, int threads, String client, String metric, String extraParams) {
    return """
        {"benchmark": "io.memlock.bench.ClientBenchmark.%s", "mode": "%s", "threads": %d,
         "params": {"client": "%s", "servers": "127.0.0.1:1"%s},
         "primaryMetric": %s, "secondaryMetrics": {}}
        """
        .formatted(op, mode, threads, client, extraParams, metric);
  }

  private static String throughput(double opsPerMicro) {
    return """
        {"score": %s, "scoreError": "NaN", "scoreUnit": "ops/us"}
        """
        .formatted(opsPerMicro);
  }

  private static String sample(double p50Nanos, double p99Nanos) {
    return """
        {"score": 1, "scoreError": 0.5, "scoreUnit": "ns/op",
         "scorePercentiles": {"50.0": %s, "99.0": %s}}
        """
        .formatted(p50Nanos, p99Nanos);
  }

  private static JsonArray array(String... results) {
    return JsonParser.parseString("[" + String.join(",", results) + "]").getAsJsonArray();
  }

  @Test
  void convertsUnitsAndComputesRatiosToEachPeer() {
    String md =
        ResultTable.render(
            array(
                result("get", "thrpt", 16, "spymemcached", throughput(0.05), ""),
                result("get", "thrpt", 16, "memlock", throughput(0.1), ""),
                result("get", "thrpt", 16, "xmemcached", throughput(0.08), ""),
                result("get", "sample", 16, "memlock", sample(100_000, 300_000), ""),
                result("get", "sample", 16, "xmemcached", sample(80_000, 400_000), ""),
                result("get", "sample", 16, "spymemcached", sample(200_000, 600_000), "")));

    assertThat(md)
        .contains("| get | 16 | memlock | 100,000 | – | 100.0 | 300.0 |")
        .contains("| get | 16 | xmemcached | 80,000 | – | 80.0 | 400.0 |")
        .contains("| get | 16 | memlock | 1.25 | 2.00 | 1.25 | 0.50 | 0.75 | 0.50 |");
    assertThat(md.indexOf("| get | 16 | memlock | 100,000"))
        .isLessThan(md.indexOf("| get | 16 | xmemcached"));
    assertThat(md.indexOf("| get | 16 | xmemcached"))
        .isLessThan(md.indexOf("| get | 16 | spymemcached"));
  }

  @Test
  void showsMemlockSettingsAsSeparateRowsAndMissingPeersAsDashes() {
    String md =
        ResultTable.render(
            array(
                result("set", "thrpt", 1, "memlock", throughput(0.01), ""),
                result(
                    "set",
                    "thrpt",
                    1,
                    "memlock",
                    throughput(0.02),
                    ", \"memlockIoThreads\": \"1\", \"memlockConnections\": \"0\""),
                result("set", "thrpt", 1, "xmemcached", throughput(0.01), "")));

    assertThat(md)
        .contains("| set | 1 | memlock | 10,000 |")
        .contains("| set | 1 | memlock (ioThreads=1) | 20,000 |")
        .contains("| set | 1 | memlock (ioThreads=1) | 2.00 | – | – | – | – | – |");
  }
}
