package io.memlock.cli;

import io.memlock.LockListing;
import io.memlock.MemLock;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memlock list}: every held lock item, found with memcached's LRU crawler. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Lists the held locks.",
    description = {
      "Lists every held lock item whose name starts with PREFIX (all when none is given) on every"
          + " server: locks, read-write locks' readers and writers, semaphore permits, and the"
          + " tickets of fair-lock waiters, with holder, fencing token and lease left.",
      "It asks each server's LRU crawler for its keys (lru_crawler metadump, about a second per"
          + " million items) and reads each lock item found.",
      "Exits 0 when every server was listed, 1 when some could not be (the others' locks are"
          + " shown, and stderr names the missing servers), 69 if the crawler is disabled or busy"
          + " or no server can be reached, 64 for bad usage."
    })
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Mixin NamespaceOption namespace;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Parameters(
      arity = "0..1",
      paramLabel = "PREFIX",
      description = "List the locks whose names start with this (default: all).")
  String prefix = "";

  @Override
  public Integer call() {
    String servers = common.servers();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LockListing listing;
    try (MemLock memlock = Clients.connect(servers, namespace.get(), cluster.maxLease(), cluster)) {
      listing = memlock.list(prefix);
    }
    Map<String, String> unlisted = new TreeMap<>(listing.unlisted());
    if (json) {
      out.println(ItemText.json(listing.items(), unlisted));
    } else if (listing.items().isEmpty()) {
      out.println(
          prefix.isEmpty()
              ? "no lock is held"
              : "no lock whose name starts with '" + ItemText.printable(prefix) + "' is held");
    } else {
      out.print(ItemText.table(listing.items()));
    }
    out.flush();
    unlisted.forEach(
        (server, why) -> err.println("memlock: could not list " + server + ": " + why));
    err.flush();
    if (unlisted.isEmpty()) {
      return ExitCodes.OK;
    }
    int serverCount = io.memlock.transport.ServerAddress.parseList(servers).size();
    return unlisted.size() == serverCount ? ExitCodes.UNAVAILABLE : ExitCodes.NOT_ALL;
  }
}
