package io.memlock.cli;

import io.memlock.testing.MemcachedServer;
import io.memlock.transport.ServerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memlock demo}: overselling stock without a lock, and not with memlock. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Shows stock oversold without a lock, and none with memlock.",
    sortOptions = false,
    description = {
      "Concurrent order-stock deduction: worker processes sell orders from a stock count kept"
          + " in memcached, first without a lock (stock is oversold, updates are lost), then"
          + " with memlock (none oversold). Prints a table per phase.",
      "Starts a private memcached unless --servers is given (it then writes the item"
          + " demo:stock and takes the lock demo:stock there).",
      "Exits 0 when the locked phase sold nothing twice, 1 otherwise."
    })
final class DemoCommand implements Callable<Integer> {
  /** The memcached key of the stock count. */
  static final String STOCK_KEY = "demo:stock";

  /** The lock's name. */
  static final String LOCK_NAME = "demo:stock";

  @Spec CommandSpec spec;

  @Option(
      names = "--servers",
      paramLabel = "LIST",
      description =
          "Use these memcached servers (comma-separated host:port) instead of starting a"
              + " private one.")
  String servers;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "4",
      description = "Worker processes (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--orders",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Orders in all, per phase (default: ${DEFAULT-VALUE}).")
  int orders;

  @Option(
      names = "--stock",
      paramLabel = "N",
      description = "Units in stock at the start of each phase (default: half the orders).")
  Long stock;

  @Option(
      names = "--think",
      paramLabel = "DUR",
      defaultValue = "200us",
      converter = Durations.class,
      description =
          "Pause between reading the stock and writing it back (default: ${DEFAULT-VALUE}).")
  Duration think;

  @Override
  public Integer call() throws IOException, InterruptedException {
    DemoSettings settings = settings(servers);
    Progress progress = Progress.onStderr();
    MemcachedServer own = null;
    if (settings.servers() == null) {
      own = startMemcached(progress);
      settings =
          new DemoSettings(
              own.hostAndPort(),
              settings.workers(),
              settings.orders(),
              settings.stock(),
              settings.think(),
              true);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (StockItem item = StockItem.connect(settings.servers(), STOCK_KEY)) {
      out.println(
          "memlock demo: "
              + settings.workers()
              + " worker processes sell "
              + settings.orders()
              + " orders from a stock of "
              + settings.stock()
              + " units kept in memcached "
              + settings.servers()
              + " (item "
              + STOCK_KEY
              + ")");
      out.flush();
      PhaseResult free = DemoPhase.run("phase 1/2: without a lock", null, settings, item, progress);
      PhaseResult locked =
          DemoPhase.run("phase 2/2: with memlock", LOCK_NAME, settings, item, progress);
      DemoReport.print(out, free, locked);
      if (own == null) {
        item.delete();
      }
      return locked.oversold() == 0 && locked.lostUpdates() == 0 ? ExitCodes.OK : ExitCodes.NOT_ALL;
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }

  private DemoSettings settings(String servers) {
    if (servers != null) {
      try {
        ServerAddress.parseList(servers);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--servers: " + e.getMessage());
      }
    }
    if (workers < 1 || workers > 64) {
      throw new UsageException("--workers must be 1 to 64, got " + workers);
    }
    if (orders < 1 || orders > 10_000_000) {
      throw new UsageException("--orders must be 1 to 10000000, got " + orders);
    }
    long units = stock == null ? orders / 2 : stock;
    if (units < 0) {
      throw new UsageException("--stock must not be negative, got " + units);
    }
    if (think.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new UsageException("--think must be at most 1s, got " + Durations.format(think));
    }
    return new DemoSettings(servers, workers, orders, units, think, false);
  }

  private static MemcachedServer startMemcached(Progress progress) {
    progress.say("memlock demo: starting a private memcached (no --servers given)...");
    try {
      return MemcachedServer.builder().start();
    } catch (IllegalStateException e) {
      throw new Failure(
          ExitCodes.UNAVAILABLE,
          "cannot start a private memcached: "
              + e.getMessage().lines().findFirst().orElse("")
              + "; or point the demo at one with --servers");
    }
  }
}
