package io.memlock.bench;

import io.memlock.testing.MemcachedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks once per thread count against one memcached process, then prints the
 * comparison table.
 *
 * <pre>
 * java -cp benchmarks.jar io.memlock.bench.BenchRunner [--threads 1,16] [--out DIR] [JMH options]
 * </pre>
 *
 * <p>Unless the JMH options give {@code -p servers=host:port}, it starts one memcached ({@value
 * ClientBenchmark#SERVER_MEGABYTES} MB, {@value ClientBenchmark#SERVER_THREADS} threads) for the
 * whole run, so that every client and thread count meets the same process. For each thread count it
 * writes JMH's JSON result to {@code DIR/jmh-result-t<threads>.json} (default {@code DIR}: {@code
 * target}), then prints the table of {@link ResultTable} and writes it to {@code
 * DIR/benchmarks-table.md}. Any other option goes to JMH as on its own command line, except {@code
 * -t}, {@code -rf} and {@code -rff}, which this runner sets.
 */
public final class BenchRunner {
  private BenchRunner() {}

  /**
   * Runs the benchmarks.
   *
   * @param args runner and JMH options, see the class description
   * @throws Exception if JMH or memcached fails
   */
  public static void main(String[] args) throws Exception {
    List<Integer> threads = List.of(1, 16);
    Path out = Path.of("target");
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads" -> threads = parseThreads(value(args, ++i, "--threads"));
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "-t", "-rf", "-rff" ->
            throw new IllegalArgumentException(
                args[i] + " is set by this runner: use --threads and --out instead");
        case "-h", "--help" -> {
          System.out.println(
              "usage: BenchRunner [--threads 1,16] [--out DIR] [JMH options]; JMH options:");
          new CommandLineOptions("-h").showHelp();
          return;
        }
        default -> jmhArgs.add(args[i]);
      }
    }
    CommandLineOptions jmh;
    try {
      jmh = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    } catch (CommandLineOptionException e) {
      System.err.println("bad JMH options: " + e.getMessage());
      System.exit(2);
      return;
    }
    Files.createDirectories(out);
    Collection<String> given = jmh.getParameter("servers").orElse(List.of());
    boolean external = given.stream().anyMatch(s -> !s.isBlank());
    List<Path> results = new ArrayList<>();
    try (MemcachedServer server = external ? null : startServer()) {
      for (int t : threads) {
        Path result = out.resolve("jmh-result-t" + t + ".json");
        ChainedOptionsBuilder options =
            new OptionsBuilder()
                .parent(jmh)
                .threads(t)
                .resultFormat(ResultFormatType.JSON)
                .result(result.toString());
        if (jmh.getIncludes().isEmpty()) {
          options.include(ClientBenchmark.class.getName());
        }
        if (server != null) {
          options.param("servers", server.hostAndPort());
        }
        run(options);
        results.add(result);
      }
    }
    String table = ResultTable.render(results);
    Path tableFile = out.resolve("benchmarks-table.md");
    Files.writeString(tableFile, table);
    System.out.println();
    System.out.println(table);
    System.out.println("(table written to " + tableFile + ")");
  }

  private static MemcachedServer startServer() {
    MemcachedServer server =
        MemcachedServer.builder()
            .memoryMegabytes(ClientBenchmark.SERVER_MEGABYTES)
            .threads(ClientBenchmark.SERVER_THREADS)
            .start();
    System.out.println("# memcached for all benchmarks: " + server.hostAndPort());
    return server;
  }

  private static void run(ChainedOptionsBuilder options) throws RunnerException, IOException {
    if (new Runner(options.build()).run().isEmpty()) {
      throw new RunnerException("no benchmark ran: check the include pattern");
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static List<Integer> parseThreads(String list) {
    List<Integer> threads =
        Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    if (threads.isEmpty() || threads.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("--threads needs positive numbers: " + list);
    }
    return threads;
  }
}
